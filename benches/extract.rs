//! Extraction time per document shape: an ordinary article grown to 1 MB and
//! the awkward shapes of the same size (one endless line, short lines, no
//! punctuation, nothing but place names, nested HTML). Linear work means the
//! time per MB of every shape stays within 2× of the article's; figures in
//! BENCHMARKS.md.

use std::hint::black_box;

use badiya::corpus::{Corpus, gazetteer_for};
use badiya::docs::{DocMeta, Document};
use badiya::geodata::DataSource;
use badiya::stress::document_shapes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn shapes(c: &mut Criterion) {
    let (gaz, _) = gazetteer_for(&DataSource::Embedded);
    let mb = 1 << 20;
    let mut group = c.benchmark_group("extract/shape_1mb");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(mb as u64));
    for shape in document_shapes(mb) {
        group.bench_function(shape.name, |b| {
            b.iter(|| {
                let doc = Document::new(
                    "stress.txt",
                    shape.text.clone(),
                    shape.kind,
                    DocMeta::default(),
                );
                black_box(badiya::extract::extract_document(&doc, &gaz).len())
            });
        });
    }
    group.finish();
    c.bench_function("extract/seeds", |b| {
        b.iter(|| black_box(Corpus::seeds().incidents().len()));
    });
}

criterion_group!(benches, shapes);
criterion_main!(benches);
