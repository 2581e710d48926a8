//! Export tests: golden images (compared with a tolerance; `UPDATE_GOLDEN=1`
//! rewrites them), world-file placement, SVG content, file safety and the CLI.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::TimeZone;

use super::*;
use crate::annotate::{AnnoStyle, AnnotationKind, lon_lat};
use crate::camera::{Camera, merc_from_lon_lat};
use crate::geodata::Rgba;
use crate::scene::{Anchor, Scene, Shape, Stroke, Symbol, build_map};

const AIN_AL_ASAD: (f64, f64) = (42.4412, 33.7856);

struct Fixture {
    data: GeoData,
    index: SpatialIndex,
    prepared: Prepared,
    options: MapOptions,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let data = GeoData::embedded();
        let index = SpatialIndex::new(&data);
        let prepared = Prepared::new(&data, &index);
        let options = MapOptions::for_data(&data);
        Fixture {
            data,
            index,
            prepared,
            options,
        }
    })
}

const CLASH: Rgba = Rgba::rgb(0xc0, 0x1c, 0x28);
const DETENTION: Rgba = Rgba::rgb(0x6a, 0x3d, 0x9a);
const AGREEMENT: Rgba = Rgba::rgb(0x1b, 0x9e, 0x77);

fn markers() -> Vec<MarkerInput> {
    let m = |id, lon, lat, symbol, color| MarkerInput {
        id,
        lon,
        lat,
        symbol,
        color,
        selected: false,
        area: None,
    };
    vec![
        // Al-Qaim crossing, inside Anbar.
        m(1, 40.977, 34.3975, Symbol::Star, CLASH),
        // al-Hol camp, far north of Anbar.
        m(2, 41.14861, 36.37556, Symbol::Square, DETENTION),
        // Baghdad, east of Anbar.
        m(3, 44.40088, 33.34058, Symbol::Diamond, AGREEMENT),
    ]
}

fn legend() -> Vec<LegendEntry> {
    vec![
        LegendEntry {
            label: "Clash".into(),
            symbol: Symbol::Star,
            color: CLASH,
        },
        LegendEntry {
            label: "Detention facility".into(),
            symbol: Symbol::Square,
            color: DETENTION,
        },
        LegendEntry {
            label: "Agreement".into(),
            symbol: Symbol::Diamond,
            color: AGREEMENT,
        },
    ]
}

fn sources() -> Vec<SourceRef> {
    vec![
        SourceRef {
            title: "Iraq reinforces the Syrian border".into(),
            publisher: "Example Wire".into(),
            date: "2025-01-12".into(),
            doc: "000".into(),
            cited_by: vec![1],
        },
        SourceRef {
            title: "Transfers from al-Hol".into(),
            publisher: "Camp Monitor".into(),
            date: "2025-02-03".into(),
            doc: "001".into(),
            cited_by: vec![2],
        },
        SourceRef {
            title: "Pipeline talks in Baghdad".into(),
            publisher: "Energy Desk".into(),
            date: "2025-03-01".into(),
            doc: "002".into(),
            cited_by: vec![3],
        },
    ]
}

fn annotations() -> Vec<Annotation> {
    let style = AnnoStyle {
        color: Rgba::rgb(0xd6, 0x27, 0x28),
        stroke_width: 3.0,
        font_size: 14.0,
        fill: false,
    };
    vec![
        Annotation::new(AnnotationKind::Arrow {
            from: lon_lat(40.2, 33.2),
            to: lon_lat(40.9, 34.2),
        })
        .with_style(style),
        Annotation::new(AnnotationKind::Pin {
            at: lon_lat(41.45, 34.37),
            note: "Border crossing reopened".into(),
        })
        .with_text("Rawa road"),
        Annotation::new(AnnotationKind::Ellipse {
            a: lon_lat(39.0, 32.4),
            b: lon_lat(40.0, 33.0),
        })
        .with_style(AnnoStyle {
            fill: true,
            ..style
        }),
    ]
}

fn stamp() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2025, 3, 2, 9, 30, 0)
        .single()
        .expect("valid date")
}

fn with_content<R>(
    markers: &[MarkerInput],
    annotations: &[Annotation],
    f: impl FnOnce(&MapContent) -> R,
) -> R {
    let fx = fixture();
    let legend = legend();
    let sources = sources();
    let content = MapContent {
        data: &fx.data,
        index: &fx.index,
        prepared: &fx.prepared,
        options: &fx.options,
        markers,
        annotations,
        incident_legend: &legend,
        sources: &sources,
    };
    f(&content)
}

fn anbar() -> MapArea {
    MapArea::BBox(place_bbox(&fixture().data, "Al-Anbar").expect("Al-Anbar in the data"))
}

fn full_spec(size: PageSize, orientation: Orientation, dpi: f32) -> PageSpec {
    PageSpec {
        size,
        orientation,
        dpi,
        title: "Al-Anbar: border incidents".into(),
        subtitle: "Iraq–Syria border, January–March 2025".into(),
        text_block: "Incidents extracted from open sources and checked by an analyst. \
                     Positions of precision 2 are approximate."
            .into(),
        banner_top: "UNCLASSIFIED // FOR RESEARCH".into(),
        banner_bottom: "UNCLASSIFIED // FOR RESEARCH".into(),
        ..PageSpec::default()
    }
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

/// Compares PNG bytes with a stored golden image: the share of pixels that
/// differ visibly, and the mean difference, must both be small.
fn check_golden(name: &str, png_bytes: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).expect("golden folder");
        std::fs::write(&path, png_bytes).expect("write golden");
        return;
    }
    let want = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
                path.display()
            )
        })
        .to_rgba8();
    let got = image::load_from_memory(png_bytes)
        .expect("decodes")
        .to_rgba8();
    assert_eq!(got.dimensions(), want.dimensions(), "{name}: size changed");
    let mut visibly_different = 0u64;
    let mut total = 0u64;
    for (a, b) in got.pixels().zip(want.pixels()) {
        let d =
            a.0.iter()
                .zip(b.0.iter())
                .map(|(x, y)| x.abs_diff(*y))
                .max()
                .unwrap_or(0);
        total += u64::from(d);
        if d > 48 {
            visibly_different += 1;
        }
    }
    let n = u64::from(got.width()) * u64::from(got.height());
    #[allow(clippy::cast_precision_loss)]
    let (share, mean) = (visibly_different as f64 / n as f64, total as f64 / n as f64);
    if share > 0.004 || mean > 1.5 {
        let out = std::env::temp_dir().join(format!("badiya-actual-{name}"));
        let _ = std::fs::write(&out, png_bytes);
        panic!(
            "{name}: {:.2}% of pixels differ visibly, mean difference {mean:.2}; actual image in {} \
             (UPDATE_GOLDEN=1 accepts it)",
            share * 100.0,
            out.display()
        );
    }
}

/// A scene with every primitive, independent of the geodata.
fn synthetic_scene() -> Scene {
    let camera = Camera::default().with_size(240.0, 160.0);
    let mut inner = Scene::new(camera.with_size(120.0, 80.0), Rgba::rgb(0xc9, 0xdc, 0xe8));
    inner.shapes.push(Shape::Circle {
        center: [100.0, 60.0],
        radius: 40.0,
        fill: Some(Rgba::rgb(0xee, 0x99, 0x22)),
        stroke: None,
    });
    let mut scene = Scene::new(camera, Rgba::WHITE);
    scene.shapes.push(Shape::Area {
        rings: vec![
            vec![[10.0, 10.0], [110.0, 10.0], [110.0, 90.0], [10.0, 90.0]],
            vec![[40.0, 35.0], [80.0, 35.0], [80.0, 65.0], [40.0, 65.0]],
        ],
        triangles: None,
        fill: Some(Rgba([0x2c, 0x5d, 0x9e, 0xc0])),
        stroke: Some(Stroke::solid(2.0, Rgba::BLACK)),
    });
    scene.shapes.push(Shape::Line {
        points: vec![[10.0, 120.0], [110.0, 100.0], [140.0, 150.0]],
        stroke: Stroke {
            width: 3.0,
            color: Rgba::rgb(0xd7, 0x19, 0x1c),
            dash: Some([8.0, 4.0]),
        },
    });
    scene.shapes.push(Shape::Text {
        pos: [125.0, 20.0],
        text: "Abu Kamal".into(),
        size: 14.0,
        color: Rgba::rgb(0x22, 0x22, 0x22),
        anchor: Anchor::Left,
        halo: Some(Rgba::WHITE),
        bold: true,
    });
    scene.shapes.push(Shape::Group {
        offset: [115.0, 70.0],
        clip: Some([[115.0, 70.0], [235.0, 150.0]]),
        scene: Box::new(inner),
    });
    scene
}

#[test]
fn golden_synthetic_primitives() {
    let svg = svg::scene_to_svg(&synthetic_scene(), 1.0);
    let pixmap = png::rasterize(&svg, 240, 160).expect("renders");
    let bytes = png::encode(&pixmap, &png::PngMeta::default()).expect("encodes");
    let img = image::load_from_memory(&bytes).expect("decodes").to_rgba8();
    // The hole in the area is white, the clipped group's circle stops at the clip.
    assert_eq!(img.get_pixel(60, 50).0, [255, 255, 255, 255]);
    assert_eq!(img.get_pixel(200, 130).0[..3], [0xee, 0x99, 0x22]);
    assert_eq!(
        img.get_pixel(238, 155).0[..3],
        [255, 255, 255],
        "outside the clip"
    );
    check_golden("synthetic_primitives.png", &bytes);
}

#[test]
fn golden_a4_landscape_with_everything() {
    let markers = markers();
    let annotations = annotations();
    let bytes = with_content(&markers, &annotations, |content| {
        let spec = full_spec(PageSize::A4, Orientation::Landscape, 40.0);
        let page = compose(content, &anbar(), &spec, stamp()).expect("composes");
        assert_eq!((page.width_px, page.height_px), (468, 331));
        render_png(&page, &spec.title).expect("renders")
    });
    check_golden("anbar_a4_landscape_40dpi.png", &bytes);
}

#[test]
fn a_page_drawn_in_parallel_bands_is_the_page_drawn_whole() {
    let markers = markers();
    let annotations = annotations();
    with_content(&markers, &annotations, |content| {
        let spec = full_spec(PageSize::A4, Orientation::Landscape, 150.0);
        let page = compose(content, &anbar(), &spec, stamp()).expect("composes");
        #[allow(clippy::cast_possible_truncation)]
        let svg = svg::scene_to_svg(&page.scene, page.scale as f32);
        let (w, h) = (page.width_px, page.height_px);
        let whole = png::rasterize_in_bands(&svg, w, h, 1).expect("renders");
        let banded = png::rasterize_in_bands(&svg, w, h, 4).expect("renders");
        // A band draws the page shifted by whole rows, so anti-aliased
        // edges may round a shade differently; nothing may differ more.
        let mut differ = 0usize;
        let mut worst = 0u8;
        for (a, b) in whole.pixels().iter().zip(banded.pixels()) {
            if a != b {
                differ += 1;
                for (x, y) in [
                    (a.red(), b.red()),
                    (a.green(), b.green()),
                    (a.blue(), b.blue()),
                    (a.alpha(), b.alpha()),
                ] {
                    worst = worst.max(x.abs_diff(y));
                }
            }
        }
        let inked = whole
            .pixels()
            .iter()
            .filter(|p| p.red() < 200 || p.blue() < 200)
            .count();
        assert!(
            inked > 10_000,
            "the page has a map on it: {inked} inked pixels"
        );
        let total = (w * h) as usize;
        assert!(
            differ * 1000 < total && worst <= 24,
            "{differ} of {total} pixels differ, by up to {worst} of 255"
        );
    });
}

#[test]
fn golden_portrait_pixels() {
    let markers = markers();
    let bytes = with_content(&markers, &[], |content| {
        let mut spec = full_spec(
            PageSize::Custom { w: 420, h: 594 },
            Orientation::Portrait,
            72.0,
        );
        spec.title = "Deir ez-Zor".into();
        let area = MapArea::BBox(place_bbox(&fixture().data, "Deir ez-Zor").expect("in data"));
        let page = compose(content, &area, &spec, stamp()).expect("composes");
        render_png(&page, &spec.title).expect("renders")
    });
    check_golden("deir_ez_zor_portrait_420x594.png", &bytes);
}

#[test]
fn legend_and_sources_follow_what_the_frame_shows() {
    let markers = markers();
    with_content(&markers, &[], |content| {
        let spec = full_spec(PageSize::A4, Orientation::Landscape, 40.0);
        let page = compose(content, &anbar(), &spec, stamp()).expect("composes");
        assert!(
            page.legend.contains(&"Clash".to_owned()),
            "{:?}",
            page.legend
        );
        assert!(
            !page.legend.contains(&"Detention facility".to_owned()),
            "al-Hol is outside Anbar"
        );
        assert!(
            page.legend.iter().any(|l| l == "Iraq–Syria border"),
            "{:?}",
            page.legend
        );
        assert!(
            page.legend
                .iter()
                .any(|l| l.starts_with("Focus: ") && l.contains("Anbar")),
            "{:?}",
            page.legend
        );
        assert!(page.sources.iter().any(|s| s.contains("Iraq reinforces the Syrian border — Example Wire, 2025-01-12")));
        assert!(
            !page.sources.iter().any(|s| s.contains("al-Hol")),
            "{:?}",
            page.sources
        );
        let attribution = page.attribution.clone().expect("attribution shown");
        assert!(
            attribution.starts_with("Data: Natural Earth"),
            "{attribution}"
        );
        assert!(attribution.contains("GeoNames"), "{attribution}");
        let texts = page.scene.texts();
        assert!(
            texts.contains(&"Exported 2025-03-02 09:30 UTC"),
            "{texts:?}"
        );
        assert!(texts.contains(&"UNCLASSIFIED // FOR RESEARCH"));
        assert!(texts.iter().any(|t| t.starts_with("1. Iraq reinforces")));
        // Hiding a layer takes it out of the legend.
        let mut options = fixture().options.clone();
        let li = fixture()
            .data
            .layers
            .iter()
            .position(|l| l.spec.id == "border")
            .expect("border layer");
        options.layers[li].visible = false;
        let hidden = MapContent {
            options: &options,
            ..*content
        };
        let page = compose(&hidden, &anbar(), &spec, stamp()).expect("composes");
        assert!(
            !page.legend.iter().any(|l| l == "Iraq–Syria border"),
            "{:?}",
            page.legend
        );
    });
}

#[test]
fn bare_view_is_the_screen_scene() {
    let fx = fixture();
    let camera = Camera::default().with_size(800.0, 500.0);
    let markers = markers();
    with_content(&markers, &[], |content| {
        let spec = PageSpec::bare_view(800.0, 500.0);
        let page = compose(content, &MapArea::View(camera), &spec, stamp()).expect("composes");
        assert_eq!((page.width_px, page.height_px), (800, 500));
        assert_eq!(page.frame, [0.0, 0.0, 800.0, 500.0]);
        let mut options = fx.options.clone();
        options.furniture = false;
        let screen = build_map(
            &fx.data,
            &fx.index,
            &fx.prepared,
            camera,
            &options,
            &markers,
        );
        let Some(Shape::Group { scene, .. }) = page.scene.shapes.first() else {
            panic!("the map group comes first")
        };
        assert_eq!(
            scene.shapes, screen.shapes,
            "the export draws the screen's scene"
        );
    });
}

/// The drawn centre of the airbase symbol nearest to `near` (logical page px).
fn drawn_triangle_near(page: &Page, near: [f64; 2]) -> Option<[f64; 2]> {
    let Some(Shape::Group { offset, scene, .. }) = page
        .scene
        .shapes
        .iter()
        .find(|s| matches!(s, Shape::Group { .. }))
    else {
        return None;
    };
    scene
        .shapes
        .iter()
        .filter_map(|s| match s {
            Shape::Area {
                rings,
                fill: Some(_),
                ..
            } if rings.len() == 1 && rings[0].len() == 3 => {
                let r = &rings[0];
                let cx = f64::from(r[0][0] + r[1][0] + r[2][0]) / 3.0 + f64::from(offset[0]);
                let cy = f64::from(r[0][1] + r[1][1] + r[2][1]) / 3.0 + f64::from(offset[1]);
                Some([cx, cy])
            }
            _ => None,
        })
        .min_by(|a, b| {
            let d = |p: &[f64; 2]| (p[0] - near[0]).hypot(p[1] - near[1]);
            d(a).total_cmp(&d(b))
        })
}

#[test]
fn world_file_places_ain_al_asad_on_its_marker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("anbar.png");
    let spec = PageSpec {
        title: "World file check".into(),
        ..full_spec(PageSize::A4, Orientation::Landscape, 150.0)
    };
    // Markers away from the base, so its symbol is not covered.
    let markers = markers();
    let (report, page) = with_content(&markers, &[], |content| {
        let report = export_to_file_at(content, &anbar(), &spec, &out, stamp()).expect("exports");
        let page = compose(content, &anbar(), &spec, stamp()).expect("composes");
        (report, page)
    });
    assert_eq!(
        report.sidecars,
        vec![out.with_extension("pgw"), out.with_extension("prj")]
    );
    let prj = std::fs::read_to_string(out.with_extension("prj")).expect("prj");
    assert_eq!(prj, WEB_MERCATOR_PRJ);
    let pgw = std::fs::read_to_string(out.with_extension("pgw")).expect("pgw");
    let world = WorldFile::parse(&pgw).expect("six numbers");
    assert!(world.a > 0.0 && world.e < 0.0 && world.b == 0.0 && world.d == 0.0);

    let m = merc_from_lon_lat(AIN_AL_ASAD.0, AIN_AL_ASAD.1);
    let [px, py] = world.image_from_merc(m);
    // 1. Where the scene draws the symbol, in image pixels.
    let near = [px / page.scale, py / page.scale];
    let drawn = drawn_triangle_near(&page, near).expect("airbase symbol drawn");
    let (dx, dy) = (drawn[0] * page.scale - px, drawn[1] * page.scale - py);
    assert!(
        dx.hypot(dy) <= 1.0,
        "scene: world file is {dx:.2},{dy:.2} px off"
    );

    // 2. Where the image shows it: the centroid of the symbol's white inside
    // (a site is drawn hollow in a neutral outline; a label's halo is
    // translucent, never pure white), over the symbol's own extent.
    let img = image::open(&out).expect("png").to_rgb8();
    let fill = [0xff_i32, 0xff, 0xff];
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (cx, cy) = (px as i64, py as i64);
    #[allow(clippy::cast_possible_truncation)]
    let reach = (9.0 * page.scale).ceil() as i64;
    for y in (cy - reach).max(0)..(cy + reach).min(i64::from(img.height())) {
        for x in (cx - reach).max(0)..(cx + reach).min(i64::from(img.width())) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let p = img.get_pixel(x as u32, y as u32).0;
            if p.iter()
                .zip(fill)
                .all(|(c, f)| (i32::from(*c) - f).abs() <= 1)
            {
                #[allow(clippy::cast_precision_loss)]
                {
                    sx += x as f64 + 0.5;
                    sy += y as f64 + 0.5;
                }
                n += 1.0;
            }
        }
    }
    assert!(
        n > 20.0,
        "found only {n} white pixels of the airbase symbol near {px:.1},{py:.1}"
    );
    let (ix, iy) = (sx / n - px, sy / n - py);
    assert!(
        ix.hypot(iy) <= 1.0,
        "image: symbol centre is {ix:.2},{iy:.2} px from the world-file position"
    );
}

#[test]
fn png_carries_its_dpi() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("small.png");
    let spec = PageSpec {
        size: PageSize::Custom { w: 300, h: 200 },
        dpi: 300.0,
        legend: false,
        sources: false,
        ..PageSpec::default()
    };
    let report = with_content(&[], &[], |content| {
        export_to_file_at(content, &anbar(), &spec, &out, stamp()).expect("exports")
    });
    assert_eq!((report.width_px, report.height_px), (300, 200));
    let bytes = std::fs::read(&out).expect("read");
    assert_eq!(report.bytes, bytes.len() as u64);
    let dpi = png::read_dpi(&bytes).expect("pHYs");
    assert!((dpi - 300.0).abs() < 0.05, "{dpi}");
}

/// Every text in an SVG tree.
fn svg_texts(group: &resvg::usvg::Group, out: &mut Vec<String>) {
    for node in group.children() {
        match node {
            resvg::usvg::Node::Group(g) => svg_texts(g, out),
            resvg::usvg::Node::Text(t) => {
                out.push(t.chunks().iter().map(|c| c.text().to_owned()).collect());
            }
            _ => {}
        }
    }
}

#[test]
fn svg_parses_and_holds_title_legend_and_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("anbar.svg");
    let markers = markers();
    let annotations = annotations();
    let spec = full_spec(PageSize::A4, Orientation::Landscape, 300.0);
    let report = with_content(&markers, &annotations, |content| {
        export_to_file_at(content, &anbar(), &spec, &out, stamp()).expect("exports")
    });
    assert!(report.sidecars.is_empty(), "no world file for SVG");
    let text = std::fs::read_to_string(&out).expect("read");
    assert!(
        text.contains("width=\"297.0mm\" height=\"210.0mm\""),
        "paper size in mm"
    );
    let tree = png::parse_svg(&text).expect("usvg parses the export");
    let mut texts = Vec::new();
    svg_texts(tree.root(), &mut texts);
    for want in [
        "Al-Anbar: border incidents",
        "Legend",
        "Clash",
        "Iraq–Syria border",
        "Sources",
        "1. Iraq reinforces the Syrian border — Example Wire, 2025-01-12",
        "Rawa road",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want:?} missing from {texts:?}"
        );
    }
    assert!(
        texts.iter().any(|t| t.starts_with("Data: Natural Earth")),
        "{texts:?}"
    );
}

#[test]
fn unwritable_folder_names_the_path_and_leaves_nothing() {
    let target = Path::new("/sys/badiya-export-test/map.png");
    let err = with_content(&[], &[], |content| {
        export_to_file_at(content, &anbar(), &PageSpec::default(), target, stamp())
            .expect_err("cannot write there")
    });
    let message = err.to_string();
    assert!(
        message.starts_with("cannot write /sys/badiya-export-test/map.png: "),
        "{message}"
    );

    // A failure after rendering (the target is a folder) removes the temporary
    // file and leaves what was there.
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("map.png");
    std::fs::create_dir(&target).expect("folder in the way");
    std::fs::write(target.join("keep.txt"), "analyst notes").expect("write");
    let spec = PageSpec {
        size: PageSize::Custom { w: 64, h: 48 },
        legend: false,
        sources: false,
        ..PageSpec::default()
    };
    let err = with_content(&[], &[], |content| {
        export_to_file_at(content, &anbar(), &spec, &target, stamp())
            .expect_err("a folder is in the way")
    });
    assert!(
        err.to_string().contains(&target.display().to_string()),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["map.png".to_owned()], "no temporary file left");
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).expect("kept"),
        "analyst notes"
    );
}

#[test]
fn bad_settings_are_refused_with_reasons() {
    assert!(matches!(
        Format::from_path(Path::new("map.jpg")),
        Err(ExportError::Format { .. })
    ));
    let spec = PageSpec {
        dpi: 5.0,
        ..PageSpec::default()
    };
    assert!(
        spec.validate()
            .expect_err("dpi")
            .to_string()
            .contains("DPI 5")
    );
    let spec = PageSpec {
        size: PageSize::A3,
        dpi: 2400.0,
        ..PageSpec::default()
    };
    assert!(
        spec.validate()
            .expect_err("too big")
            .to_string()
            .contains("the limit is")
    );
    assert_eq!(parse_page_size("A4"), Ok(PageSize::A4));
    assert_eq!(
        parse_page_size("1920x1080"),
        Ok(PageSize::Custom { w: 1920, h: 1080 })
    );
    assert!(parse_page_size("big").is_err());
    assert!(parse_page_size("10x10").is_err());
}

#[test]
fn page_sizes_follow_paper_and_dpi() {
    let a4 = PageSpec::default();
    assert_eq!(a4.pixel_size(), (3508, 2480));
    let (w, h) = a4.logical_size();
    assert!(
        (w - 1122.5).abs() < 0.2 && (h - 793.6).abs() < 0.2,
        "{w}×{h}"
    );
    let a3_portrait = PageSpec {
        size: PageSize::A3,
        orientation: Orientation::Portrait,
        dpi: 150.0,
        ..PageSpec::default()
    };
    assert_eq!(a3_portrait.pixel_size(), (1754, 2480));
    let view = PageSpec {
        size: PageSize::CurrentView {
            w: 1200.0,
            h: 800.0,
        },
        dpi: 192.0,
        ..PageSpec::default()
    };
    assert_eq!(view.pixel_size(), (2400, 1600));
}

#[test]
fn cli_export_writes_png_world_file_and_prj() {
    let dir = tempfile::tempdir().expect("tempdir");
    let anno_path = dir.path().join("notes.geojson");
    crate::annotate::save_geojson(&annotations(), &anno_path).expect("annotations saved");
    let args = ExportArgs {
        place: Some("Anbar".into()),
        size: PageSize::Custom { w: 640, h: 452 },
        dpi: 96.0,
        title: Some("CLI export".into()),
        annotations: Some(anno_path),
        output: dir.path().join("cli.png"),
        ..ExportArgs::default()
    };
    let markers = markers();
    let legend = legend();
    let sources = sources();
    let overlay = Overlay {
        markers: &markers,
        legend: &legend,
        sources: &sources,
    };
    let report = run_cli(&args, &fixture().data, &overlay).expect("exports");
    assert_eq!((report.width_px, report.height_px), (640, 452));
    // Al-Qaim (and Baghdad, at the frame's eastern edge) are in view; al-Hol is not.
    assert!((1..=2).contains(&report.sources), "{}", report.sources);
    for p in [
        &args.output,
        &args.output.with_extension("pgw"),
        &args.output.with_extension("prj"),
    ] {
        assert!(p.exists(), "{} missing", p.display());
    }
    let quiet = ExportArgs {
        no_incidents: true,
        ..args.clone()
    };
    assert_eq!(
        run_cli(&quiet, &fixture().data, &overlay)
            .expect("exports")
            .sources,
        0
    );
    let lost = ExportArgs {
        place: Some("Atlantis".into()),
        ..args
    };
    let err = run_cli(&lost, &fixture().data, &overlay).expect_err("unknown place");
    assert!(err.to_string().contains("\"Atlantis\""), "{err}");
}

#[test]
fn a_page_too_small_for_its_legend_is_refused_with_a_reason() {
    let spec = PageSpec {
        size: PageSize::Custom { w: 1000, h: 700 },
        dpi: 300.0,
        ..PageSpec::default()
    };
    let err = spec
        .validate()
        .expect_err("too small at 300 DPI")
        .to_string();
    assert!(
        err.contains("too small") && err.contains("300 DPI"),
        "{err}"
    );
    let map_only = PageSpec {
        legend: false,
        sources: false,
        ..spec.clone()
    };
    assert!(map_only.validate().is_ok());
    let screen = PageSpec { dpi: 96.0, ..spec };
    assert!(screen.validate().is_ok());
}
