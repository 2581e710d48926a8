//! Random input for every reader of outside data: the layer loader, the
//! document reader (text, markdown, HTML), the extractor and the workspace
//! loader. None may panic; each either reads the input or says what is wrong.
//! `cargo test` runs a fixed budget per target; `BADIYA_FUZZ_CASES=1000000
//! BADIYA_FUZZ_WORKSPACE_CASES=20000 cargo test --release --test fuzz` is the
//! long run (figures in BENCHMARKS.md; the workspace target writes files, so
//! it gets fewer cases).

use std::sync::LazyLock;

use badiya::corpus::gazetteer_for;
use badiya::extract::Gazetteer;
use badiya::geodata::DataSource;
use proptest::prelude::*;

static GAZ: LazyLock<Gazetteer> = LazyLock::new(|| gazetteer_for(&DataSource::Embedded).0);

fn cases(var: &str, default: u32) -> ProptestConfig {
    let n = std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces of GeoJSON, numbers of every kind, and noise, strung together.
fn geojson_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(r#"{"type":"FeatureCollection","features":["#.to_owned()),
        Just(r#"{"type":"Feature","properties":{"name":"x"},"geometry":"#.to_owned()),
        Just(r#"{"type":"Polygon","coordinates":[[["#.to_owned()),
        Just(r#"{"type":"MultiPolygon","coordinates":[]}"#.to_owned()),
        Just(r#"{"type":"LineString","coordinates":["#.to_owned()),
        Just(r#"{"type":"Point","coordinates":["#.to_owned()),
        Just(r#"{"type":"GeometryCollection","geometries":["#.to_owned()),
        any::<f64>().prop_map(|f| format!("{f}")),
        (-200.0f64..200.0).prop_map(|f| format!("{f:.3}")),
        Just("1e400".to_owned()),
        Just("NaN".to_owned()),
        Just(",".to_owned()),
        Just("]".to_owned()),
        Just("}".to_owned()),
        Just("]]]}}".to_owned()),
        Just("\u{feff}".to_owned()),
        "[ -~]{0,6}",
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

/// Words of reporting, place names, markup and noise.
fn document_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Gunmen attacked ".to_owned()),
        Just("a checkpoint near Al-Qaim ".to_owned()),
        Just("the SDF seized Raqqa ".to_owned()),
        Just("on Tuesday, ".to_owned()),
        Just("BAGHDAD, March 3 (Reuters) - ".to_owned()),
        Just("in Deir ez-Zor. ".to_owned()),
        Just("the town ".to_owned()),
        Just("said. ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<div><script>x</script>".to_owned()),
        Just("&amp;&#x41;&#99999999;&".to_owned()),
        Just("| a | b |\n|---|---|\n".to_owned()),
        Just("* ".to_owned()),
        Just("[link](http://x)".to_owned()),
        Just("دير الزور ".to_owned()),
        Just("é’—…".to_owned()),
        "[A-Za-z]{1,9} ",
        "[ -~]{0,8}",
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(cases("BADIYA_FUZZ_CASES", 256))]

    #[test]
    fn the_layer_loader_never_panics(text in geojson_like()) {
        let mut errors = Vec::new();
        let features = badiya::geodata::parse_features("fuzz.geojson", "fuzz", &text, &mut errors);
        // Whatever it keeps is drawable: finite, in range.
        for f in &features {
            prop_assert!(badiya::geodata::validate_geometry(&f.geometry).is_ok());
        }
        for e in &errors {
            prop_assert!(e.to_string().contains("fuzz.geojson"));
        }
    }

    #[test]
    fn the_document_reader_never_panics(text in document_like(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        for name in ["fuzz.txt", "fuzz.md", "fuzz.html"] {
            let _ = badiya::docs::document_from_bytes(name, text.as_bytes());
            if let Err(e) = badiya::docs::document_from_bytes(name, &bytes) {
                prop_assert!(e.to_string().contains("fuzz"), "{}", e);
            }
        }
    }

    #[test]
    fn the_extractor_never_panics_and_quotes_its_input(text in document_like()) {
        for name in ["fuzz.txt", "fuzz.html"] {
            let Ok(doc) = badiya::docs::document_from_bytes(name, text.as_bytes()) else {
                continue;
            };
            for incident in badiya::extract::extract_document(&doc, &GAZ) {
                prop_assert!(incident.lon.is_finite() && incident.lat.is_finite());
                for s in &incident.sources {
                    prop_assert!(s.start <= s.end && s.end <= doc.raw.len());
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(cases("BADIYA_FUZZ_WORKSPACE_CASES", 48))]

    #[test]
    fn the_workspace_loader_never_panics_and_never_loses_the_file(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..24),
        json in geojson_like(),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        // Random bytes as a workspace: set aside, kept byte for byte.
        let path = dir.path().join("random.gpkg");
        std::fs::write(&path, &bytes).expect("write");
        let opened = badiya::app::store::open(&path);
        prop_assert!(opened.store.is_some());
        drop(opened);
        let kept: Vec<Vec<u8>> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .collect();
        prop_assert!(bytes.is_empty() || kept.contains(&bytes));

        // A real workspace with bytes flipped: opens or is set aside, never a panic.
        let real = dir.path().join("real.gpkg");
        {
            let mut opened = badiya::app::store::open(&real);
            let mut ws = badiya::app::SavedWorkspace::default();
            ws.annotations.add(badiya::annotate::Annotation::new(
                badiya::annotate::AnnotationKind::Pin { at: [41.0, 34.4], note: "n".into() },
            ));
            opened.store.as_mut().expect("store").save(&ws, None).expect("saved");
        }
        let mut file = std::fs::read(&real).expect("read");
        if !file.is_empty() {
            for (at, b) in &flips {
                let k = at % file.len();
                file[k] ^= b;
            }
        }
        std::fs::write(&real, &file).expect("write");
        let _ = std::fs::remove_file(dir.path().join("real.gpkg-wal"));
        let opened = badiya::app::store::open(&real);
        prop_assert!(opened.store.is_some());

        // A legacy JSON workspace of any content.
        let legacy = dir.path().join("old.json");
        std::fs::write(&legacy, &json).expect("write");
        let opened = badiya::app::store::open(&legacy);
        prop_assert!(opened.store.is_some());
    }
}
