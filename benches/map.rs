//! Map benchmarks on the shipped data: start-up work (load, index,
//! tessellate), building the scene for a frame, picking under the pointer,
//! and extracting incidents from the five seed documents; plus a stress case
//! with 5,000 generated incident markers.

use std::hint::black_box;

use badiya::camera::Camera;
use badiya::corpus::Corpus;
use badiya::geodata::{GeoData, Rgba};
use badiya::scene::{MapOptions, MarkerInput, Prepared, Symbol, build_map};
use badiya::spatial::SpatialIndex;
use criterion::{Criterion, criterion_group, criterion_main};

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(20);
    group.bench_function("load_index_tessellate_embedded_data", |b| {
        b.iter(|| {
            let data = GeoData::embedded();
            let index = SpatialIndex::new(&data);
            let prepared = Prepared::new(&data, &index);
            black_box((
                data.layers.len(),
                prepared.triangles.len(),
                index.in_box([0.0; 2], [1.0; 2]).len(),
            ))
        });
    });
    group.bench_function("extract_five_seed_documents", |b| {
        b.iter(|| black_box(Corpus::seeds().incidents().len()));
    });
    group.finish();
}

fn frame(c: &mut Criterion) {
    let data = GeoData::embedded();
    let index = SpatialIndex::new(&data);
    let prepared = Prepared::new(&data, &index);
    let options = MapOptions::for_data(&data);
    let camera = Camera::default().with_size(1200.0, 800.0);
    c.bench_function("scene_default_view_1200x800", |b| {
        b.iter(|| {
            black_box(
                build_map(&data, &index, &prepared, camera, &options, &[])
                    .shapes
                    .len(),
            )
        });
    });
    let close = camera.zoomed_at(3.0, [600.0, 400.0]);
    c.bench_function("scene_zoomed_in_1200x800", |b| {
        b.iter(|| {
            black_box(
                build_map(&data, &index, &prepared, close, &options, &[])
                    .shapes
                    .len(),
            )
        });
    });
    // Markers spread over the region (a deterministic lattice with jitter).
    let lattice = |n: u32| -> Vec<MarkerInput> {
        (0..n)
            .map(|k| {
                let f = f64::from(k);
                MarkerInput {
                    id: k as usize,
                    lon: 34.5 + (f * 0.618_034).fract() * 14.0,
                    lat: 29.5 + (f * 0.414_214).fract() * 8.5,
                    symbol: Symbol::Star,
                    color: Rgba::rgb(200, 40, 40),
                    selected: false,
                    area: None,
                }
            })
            .collect()
    };
    let many = lattice(100_000);
    c.bench_function("scene_default_view_100000_markers", |b| {
        b.iter(|| {
            black_box(
                build_map(&data, &index, &prepared, camera, &options, &many)
                    .hits
                    .len(),
            )
        });
    });
    let markers = lattice(5000);
    c.bench_function("scene_default_view_5000_markers", |b| {
        b.iter(|| {
            black_box(
                build_map(&data, &index, &prepared, camera, &options, &markers)
                    .hits
                    .len(),
            )
        });
    });
    let m = badiya::camera::merc_from_lon_lat(41.5, 33.5);
    let tolerance = 6.0 * camera.m_per_px();
    c.bench_function("pick_in_anbar", |b| {
        b.iter(|| black_box(index.pick([m.x, m.y], tolerance, &|_| true).len()));
    });
}

criterion_group!(benches, startup, frame);
criterion_main!(benches);
