//! Export benchmark: an A4 landscape page at 300 DPI (3508 × 2480 px) of the
//! default region with title, legend, scale bar, north arrow and attribution,
//! composed, rasterised and encoded as PNG (no disk I/O).

use std::hint::black_box;

use badiya::camera::REGION;
use badiya::export::{MapArea, MapContent, PageSpec, compose, render_png};
use badiya::geodata::GeoData;
use badiya::scene::{MapOptions, Prepared};
use badiya::spatial::SpatialIndex;
use criterion::{Criterion, criterion_group, criterion_main};

fn a4_300dpi_png(c: &mut Criterion) {
    let data = GeoData::embedded();
    let index = SpatialIndex::new(&data);
    let prepared = Prepared::new(&data, &index);
    let options = MapOptions::for_data(&data);
    let content = MapContent {
        data: &data,
        index: &index,
        prepared: &prepared,
        options: &options,
        markers: &[],
        annotations: &[],
        incident_legend: &[],
        sources: &[],
    };
    let spec = PageSpec {
        title: "Iraq–Syria border region".into(),
        ..PageSpec::default()
    };
    let area = MapArea::BBox([REGION.0[0], REGION.0[1], REGION.1[0], REGION.1[1]]);
    let mut group = c.benchmark_group("export");
    group.sample_size(10);
    group.bench_function("a4_300dpi_png_default_region", |b| {
        b.iter(|| {
            let page = compose(&content, &area, &spec, chrono::Utc::now()).expect("composes");
            black_box(render_png(&page, &spec.title).expect("renders").len())
        });
    });
    group.bench_function("a4_compose_only", |b| {
        b.iter(|| {
            black_box(compose(&content, &area, &spec, chrono::Utc::now()).expect("composes"))
        });
    });
    group.finish();
}

criterion_group!(benches, a4_300dpi_png);
criterion_main!(benches);
