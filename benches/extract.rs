//! Extraction time per document shape: an ordinary article grown to 5 MB
//! (the largest document badiya takes) and the awkward shapes of the same
//! size (one endless line, short lines, no punctuation, nothing but place
//! names, nested HTML). The target is 1 s for each; linear work means the
//! time per MB of every shape stays within 2× of the article's. Figures in
//! BENCHMARKS.md.

use std::hint::black_box;

use badiya::corpus::{Corpus, gazetteer_for};
use badiya::docs::{DocMeta, Document};
use badiya::geodata::DataSource;
use badiya::stress::document_shapes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn shapes(c: &mut Criterion) {
    let (gaz, _) = gazetteer_for(&DataSource::Embedded);
    let size = 5_000_000;
    let mut group = c.benchmark_group("extract/shape_5mb");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(size as u64));
    for shape in document_shapes(size) {
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
