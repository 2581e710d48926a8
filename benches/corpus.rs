//! The corpus at scale: 10,000 generated documents (`stress::stress_corpus`,
//! about 50 MB). `corpus/edit_10k` applies one correction, `corpus/add_doc_10k`
//! adds one more document, `extract/stress_10k` extracts the whole corpus
//! (throughput in MB/s). Figures in BENCHMARKS.md.

use std::hint::black_box;

use badiya::corpus::{Corpus, gazetteer_for};
use badiya::docs::{DocKind, DocMeta, Document};
use badiya::geodata::DataSource;
use badiya::incidents::{Edit, EventType};
use badiya::stress::stress_corpus;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn documents(n: usize) -> Vec<Document> {
    stress_corpus(n, 7)
        .into_iter()
        .map(|(name, text)| Document::new(&name, text, DocKind::Text, DocMeta::default()))
        .collect()
}

fn corpus(c: &mut Criterion) {
    let (gaz, _) = gazetteer_for(&DataSource::Embedded);
    let docs = documents(10_000);
    let bytes: usize = docs.iter().map(|d| d.raw.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("stress_10k", |b| {
        b.iter(|| black_box(badiya::extract::extract_all(&docs, &gaz).len()));
    });
    group.finish();

    let base = Corpus::new(docs, gaz, Vec::new());
    let mut group = c.benchmark_group("corpus");
    group.sample_size(20);
    let ids: Vec<String> = base.incidents().iter().map(|i| i.id.clone()).collect();
    let mut edited = base.clone();
    let mut k = 0;
    group.bench_function("edit_10k", |b| {
        b.iter(|| {
            k = (k + 1) % ids.len();
            let event_type = if k % 2 == 0 {
                EventType::Clash
            } else {
                EventType::Attack
            };
            edited.edit(Edit::SetType {
                id: ids[k].clone(),
                event_type,
            });
            black_box(edited.incidents().len())
        });
    });
    let extra = stress_corpus(10_001, 7)
        .pop()
        .map(|(_, text)| text)
        .unwrap_or_default();
    let one = Document::new("one more.txt", extra, DocKind::Text, DocMeta::default());
    group.bench_function("add_doc_10k", |b| {
        b.iter_batched(
            || base.clone(),
            |mut c| {
                let _ = c.add_document(one.clone());
                black_box(c.incidents().len());
                // Returned, so dropping 10,000 documents is not timed.
                c
            },
            BatchSize::LargeInput,
        );
    });
    group.bench_function("extract_one_doc", |b| {
        b.iter(|| black_box(badiya::extract::extract_document(&one, &base.gazetteer).len()));
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
