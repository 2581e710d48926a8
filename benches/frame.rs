//! Whole frames as the window runs them, headless: the app's UI code for one
//! frame (panels, table, timeline, the map's scene and painter) and egui's
//! tessellation of what it painted, on a 1400×900 window. No GPU is involved;
//! the upload and draw of the triangles are the only work left out.
//!
//! - `frame/region`: the default view on the embedded data and the seeds.
//! - `frame/zoomed`: zoomed onto Al-Qaim / Abu Kamal.
//! - `frame/stress`: the stress layers (`badiya gen-stress DIR --layers LAYERS`) and the
//!   stress corpus of 10,000 documents loaded, default view.
//! - `frame/pan`: one frame of a drag on the stress data.
//! - `pick/rtree_100k`, `pick/linear_100k`: what lies under the pointer
//!   among 100,000 incidents, with the R-tree and by a scan of every one.
//!
//! The map's meshes are drawn as the window draws them: from GPU buffers
//! kept between frames, so a frame hands egui paint callbacks for them (the
//! upload, at a new scene, is left out with the rest of the GPU's work).
//! `BADIYA_BENCH_PAINTER=egui` times the window run with `--no-gpu-map`
//! instead, where egui takes every vertex of the map each frame.
//!
//! Figures in BENCHMARKS.md.

use std::hint::black_box;
use std::path::PathBuf;

use badiya::app::{BadiyaApp, Command, Options};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, Pos2, RawInput, Rect, vec2};

const SIZE: egui::Vec2 = vec2(1400.0, 900.0);

struct Window {
    ctx: egui::Context,
    app: BadiyaApp,
    time: f64,
}

impl Window {
    fn new(options: Options) -> Self {
        let map_on_gpu = std::env::var("BADIYA_BENCH_PAINTER").map_or(true, |p| p != "egui");
        let mut w = Self {
            ctx: egui::Context::default(),
            app: BadiyaApp::new(Options {
                map_on_gpu,
                ..options
            }),
            time: 0.0,
        };
        for _ in 0..3 {
            w.frame(Vec::new());
        }
        w
    }

    /// One frame: the UI, then the tessellation of its shapes. Returns the
    /// number of vertices, so that nothing is optimised away.
    fn frame(&mut self, events: Vec<Event>) -> usize {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SIZE)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        };
        let app = &mut self.app;
        let output = self.ctx.run_ui(input, |ui| app.ui(ui));
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum()
    }

    /// Frames until the documents added are extracted.
    fn settle(&mut self) {
        // The command is carried out in the next frame.
        self.frame(Vec::new());
        while self.app.is_extracting() {
            self.frame(Vec::new());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        for _ in 0..3 {
            self.frame(Vec::new());
        }
    }
}

/// The stress data under the system's temporary folder, written once.
fn stress_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("badiya-bench-stress");
    if !dir.join("layers").join("layers.json").exists() || !dir.join("docs").exists() {
        badiya::stress::write_stress_layers(&dir.join("layers"), 7).expect("stress layers");
        badiya::stress::write_stress_corpus(&dir.join("docs"), 10_000, 7).expect("stress corpus");
    }
    dir
}

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    let mut region = Window::new(Options::default());
    group.bench_function("region", |b| b.iter(|| black_box(region.frame(Vec::new()))));
    drop(region);

    let mut zoomed = Window::new(Options {
        view: badiya::app::InitialView::Place("Al-Qaim".into()),
        ..Options::default()
    });
    group.bench_function("zoomed", |b| b.iter(|| black_box(zoomed.frame(Vec::new()))));
    drop(zoomed);

    let dir = stress_dir();
    let mut stress = Window::new(Options {
        data_dir: Some(dir.join("layers")),
        ..Options::default()
    });
    let docs: Vec<PathBuf> = std::fs::read_dir(dir.join("docs"))
        .expect("stress corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    stress.app.send(Command::AddFiles(docs));
    stress.settle();
    eprintln!(
        "stress: {} layers, {} incidents",
        stress.app.data().layers.len(),
        stress.app.corpus().incidents().len()
    );
    group.bench_function("stress", |b| b.iter(|| black_box(stress.frame(Vec::new()))));

    // A drag across the map: press in the middle, then move 4 px a frame,
    // back and forth.
    let start = Pos2::new(760.0, 420.0);
    stress.frame(vec![Event::PointerMoved(start)]);
    stress.frame(vec![Event::PointerButton {
        pos: start,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    }]);
    let mut k = 0_i32;
    group.bench_function("pan", |b| {
        b.iter(|| {
            k += 1;
            let dx = if (k / 50) % 2 == 0 { 4.0 } else { -4.0 };
            let x = start.x + dx * (k % 50) as f32;
            black_box(stress.frame(vec![Event::PointerMoved(Pos2::new(x, start.y))]))
        })
    });
    group.finish();
}

/// What lies under the pointer among 100,000 incident targets on one screen:
/// through the scene's hit index, and by a scan of every target.
fn pick(c: &mut Criterion) {
    use badiya::scene::{Hit, HitIndex, hits_at_linear};
    let hits: Vec<Hit> = (0..100_000u32)
        .map(|k| {
            let f = f64::from(k);
            #[allow(clippy::cast_possible_truncation)]
            Hit {
                center: [
                    ((f * 0.618_034).fract() * 1400.0) as f32,
                    ((f * 0.414_214).fract() * 900.0) as f32,
                ],
                radius: 6.0 + (k % 5) as f32,
                ids: vec![k as usize],
            }
        })
        .collect();
    let index = HitIndex::new(&hits);
    let probes: Vec<[f32; 2]> = (0..64u16)
        .map(|k| [f32::from(k) * 21.7 + 3.0, f32::from(k % 16) * 55.3 + 7.0])
        .collect();
    let mut group = c.benchmark_group("pick");
    let mut n = 0usize;
    group.bench_function("rtree_100k", |b| {
        b.iter(|| {
            n = (n + 1) % probes.len();
            black_box(index.at(&hits, probes[n]).len())
        });
    });
    group.bench_function("linear_100k", |b| {
        b.iter(|| {
            n = (n + 1) % probes.len();
            black_box(hits_at_linear(&hits, probes[n]).len())
        });
    });
    group.finish();
}

criterion_group!(benches, frames, pick);
criterion_main!(benches);
