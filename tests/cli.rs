//! The real binary's headless commands (`check`, `extract`, `export`), run as
//! an analyst runs them: exit codes, files written, and what is in them.
//! Every run gets its own temporary folder and workspace file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// Web Mercator sphere radius (EPSG:3857), metres.
const R: f64 = 6_378_137.0;

/// The binary, run inside `dir` with a workspace file of its own.
fn badiya(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_badiya"));
    cmd.current_dir(dir)
        .env("BADIYA_WORKSPACE", dir.join("workspace.gpkg"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the badiya binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "the binary panicked:\n{stderr}"
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The seed document whose file name starts with `prefix` (e.g. `"000_"`).
fn seed(prefix: &str) -> PathBuf {
    let dir = Path::new(REPO).join("seeds");
    std::fs::read_dir(&dir)
        .expect("seeds/ is readable")
        .map(|e| e.expect("dir entry").path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}*.txt"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a file path")
        .to_string_lossy()
        .into_owned()
}

/// The lon/lat of a place in the shipped gazetteer layer, by feature id.
fn place_lon_lat(id: &str) -> (f64, f64) {
    let text = std::fs::read_to_string(Path::new(REPO).join("geodata/places.geojson"))
        .expect("geodata/places.geojson is readable");
    let places: Value = serde_json::from_str(&text).expect("places.geojson is JSON");
    let feature = places["features"]
        .as_array()
        .expect("places.geojson has features")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no place {id} in places.geojson"));
    let c = &feature["geometry"]["coordinates"];
    let coord = |i: usize| c[i].as_f64().expect("numeric coordinates");
    (coord(0), coord(1))
}

fn in_region(lon: f64, lat: f64) -> bool {
    (34.0..=49.0).contains(&lon) && (29.0..=38.5).contains(&lat)
}

/// Talks about the region may be held outside it (a meeting in Doha is
/// placed in Doha); every other event is inside it.
fn placed_plausibly(event_type: &str, lon: f64, lat: f64) -> bool {
    in_region(lon, lat)
        || (matches!(event_type, "meeting" | "agreement" | "statement")
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
}

/// Splits RFC 4180 CSV into records of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

// ---------------------------------------------------------------- check

#[test]
fn check_json_on_the_embedded_data_is_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(badiya(tmp.path()).args(["check", "--json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("check --json prints JSON");

    let layers = report["layers"].as_object().expect("layers is an object");
    for name in [
        "countries",
        "governorates",
        "rivers",
        "pipelines",
        "places",
        "border",
    ] {
        let n = layers
            .get(name)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("layer {name} missing from {layers:?}"));
        assert!(n > 0, "layer {name} is empty");
    }
    assert_eq!(layers["governorates"], 32);
    assert_eq!(layers["border"], 1);
    assert_eq!(report["errors"], Value::Array(Vec::new()));
    let km = report["border_length_km"]
        .as_f64()
        .expect("a border length");
    assert!((km - 599.0).abs() <= 5.0, "Iraq–Syria border is {km} km");
}

/// Copies the shipped geodata/ folder (flat) into `to`.
fn copy_geodata(to: &Path) {
    std::fs::create_dir_all(to).expect("a data folder");
    for entry in std::fs::read_dir(Path::new(REPO).join("geodata")).expect("geodata/ is readable") {
        let path = entry.expect("dir entry").path();
        if path.is_file() {
            std::fs::copy(&path, to.join(file_name(&path))).expect("geodata copied");
        }
    }
}

#[test]
fn check_names_the_file_the_feature_and_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("mydata");
    copy_geodata(&data);

    // One place with its coordinates out of range (lat 140).
    let places_path = data.join("places.geojson");
    let mut places: Value =
        serde_json::from_str(&std::fs::read_to_string(&places_path).unwrap()).unwrap();
    let total = places["features"].as_array().unwrap().len();
    let bad_index = 7;
    places["features"][bad_index]["geometry"]["coordinates"] = serde_json::json!([35.3, 140.1]);
    std::fs::write(&places_path, serde_json::to_string(&places).unwrap()).unwrap();
    // One file cut off in the middle.
    std::fs::write(
        data.join("rivers.geojson"),
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "#,
    )
    .unwrap();

    let out = run(badiya(tmp.path()).args(["check", "mydata"]));
    assert_eq!(out.status.code(), Some(1), "invalid data must fail");
    let text = stdout(&out);
    let place_line = text
        .lines()
        .find(|l| l.contains("places.geojson"))
        .unwrap_or_else(|| panic!("places.geojson not named:\n{text}"));
    assert!(
        place_line.contains(&format!("feature {bad_index}"))
            && place_line.contains("out of range")
            && place_line.contains("140.1"),
        "{place_line}"
    );
    let river_line = text
        .lines()
        .find(|l| l.contains("rivers.geojson"))
        .unwrap_or_else(|| panic!("rivers.geojson not named:\n{text}"));
    assert!(river_line.contains("not valid GeoJSON"), "{river_line}");
    // The other layers are still loaded and counted.
    let governorates = text
        .lines()
        .find(|l| l.trim_start().starts_with("governorates"))
        .unwrap_or_else(|| panic!("no governorates count:\n{text}"));
    assert!(governorates.contains(" 32 features"), "{governorates}");

    let out = run(badiya(tmp.path()).args(["check", "mydata", "--json"]));
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["layers"]["places"], total as u64 - 1);
    assert_eq!(report["layers"]["rivers"], 0);
    assert_eq!(report["layers"]["governorates"], 32);
    assert_eq!(report["layers"]["border"], 1);
    let errors: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("places.geojson, feature {bad_index}:"))),
        "{errors:?}"
    );
}

// -------------------------------------------------------------- extract

#[test]
fn extract_geojson_quotes_are_the_bytes_of_the_cited_files() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [seed("000_"), seed("001_")];
    let out = run(badiya(tmp.path())
        .arg("extract")
        .args(&files)
        .args(["--format", "geojson"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fc: Value = serde_json::from_str(&stdout(&out)).expect("GeoJSON on stdout");
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert!(features.len() >= 5, "only {} incidents", features.len());

    let bytes: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|p| (file_name(p), std::fs::read(p).unwrap()))
        .collect();
    let mut cited: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked = 0;
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let c = &f["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            placed_plausibly(
                f["properties"]["event_type"].as_str().unwrap_or(""),
                lon,
                lat
            ),
            "[{lon}, {lat}] is outside the region"
        );
        let p = &f["properties"];
        for key in [
            "id",
            "event_type",
            "date",
            "time_precision",
            "place",
            "geo_precision",
            "actors",
            "sources",
        ] {
            assert!(p.get(key).is_some(), "property {key} missing: {p}");
        }
        assert!(p["actors"].is_array());
        let sources = p["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "incident {} cites nothing", p["id"]);
        for s in sources {
            let doc = s["doc"].as_str().unwrap();
            let raw = bytes
                .get(doc)
                .unwrap_or_else(|| panic!("cites {doc}, which was not given"));
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= raw.len(), "{doc} [{start}, {end})");
            let quote = s["quote"].as_str().unwrap();
            // For .txt the quote is the original bytes at the span (trimmed).
            assert_eq!(quote, quote.trim());
            assert_eq!(
                &raw[start..end],
                quote.as_bytes(),
                "{doc} [{start}, {end}) is {:?}",
                String::from_utf8_lossy(&raw[start..end])
            );
            *cited.entry(doc.to_owned()).or_default() += 1;
            checked += 1;
        }
    }
    assert!(checked >= features.len());
    assert_eq!(cited.len(), 2, "both documents are cited: {cited:?}");
}

#[test]
fn extract_reports_each_bad_file_and_still_writes_the_good_one() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good_report.txt");
    std::fs::copy(seed("000_"), &good).unwrap();
    std::fs::write(
        tmp.path().join("scan.bin"),
        [0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3, 0xff],
    )
    .unwrap();
    std::fs::write(tmp.path().join("empty.txt"), "").unwrap();

    let out = run(badiya(tmp.path()).args([
        "extract",
        "good_report.txt",
        "scan.bin",
        "empty.txt",
        "--format",
        "csv",
        "-o",
        "out.csv",
    ]));
    assert_eq!(out.status.code(), Some(1), "bad inputs must fail the run");
    let err = stderr(&out);
    let line_for = |name: &str| {
        err.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named in stderr:\n{err}"))
            .to_owned()
    };
    assert!(line_for("scan.bin").contains("binary"), "{err}");
    assert!(line_for("empty.txt").contains("empty"), "{err}");
    assert!(!err.contains("good_report.txt"), "{err}");

    let csv = std::fs::read_to_string(tmp.path().join("out.csv")).expect("out.csv written");
    let records = parse_csv(&csv);
    let header = &records[0];
    for column in [
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column}: {header:?}"
        );
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows = &records[1..];
    assert!(!rows.is_empty(), "out.csv has no incidents");
    for row in rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(row[col("source")], "good_report.txt");
        let lat: f64 = row[col("latitude")].parse().unwrap();
        let lon: f64 = row[col("longitude")].parse().unwrap();
        assert!(
            placed_plausibly(&row[col("event_type")], lon, lat),
            "{row:?}"
        );
    }

    // The same incidents as extracting the good file on its own.
    let alone = run(badiya(tmp.path()).args(["extract", "good_report.txt"]));
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    let fc: Value = serde_json::from_str(&stdout(&alone)).unwrap();
    let ids: Vec<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap())
        .collect();
    let csv_ids: Vec<&str> = rows
        .iter()
        .map(|r| r[col("event_id_cnty")].as_str())
        .collect();
    assert_eq!(csv_ids, ids);
}

const NEW_ARTICLE: &str = "\
Border clashes flare as Iraq takes over Anbar base

March 14, 2026

Fighters from a pro-government militia clashed with Islamic State militants near Al-Bukamal on March 9, 2026, according to residents of the town.

On March 12, 2026, the US-led coalition handed over Ayn al-Asad Air Base in Al-Anbar province to the Iraqi army.

Separately, Syrian forces deployed reinforcements to Dayr az Zawr on Tuesday.

Read more: [Earlier coverage](https://example.org/news/ramadi-car-bomb-attack) and https://example.org/fallujah-clashes-2025
";

#[test]
fn extract_places_a_new_article_at_the_right_gazetteer_places() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("border_report.txt"), NEW_ARTICLE).unwrap();
    let out = run(badiya(tmp.path()).args(["extract", "border_report.txt"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let features = fc["features"].as_array().unwrap();

    let find = |event_type: &str| {
        features
            .iter()
            .find(|f| f["properties"]["event_type"] == event_type)
            .unwrap_or_else(|| panic!("no {event_type} in {features:#?}"))
    };
    let at = |f: &Value, id: &str| {
        let (lon, lat) = place_lon_lat(id);
        let c = &f["geometry"]["coordinates"];
        assert!(
            (c[0].as_f64().unwrap() - lon).abs() < 1e-4
                && (c[1].as_f64().unwrap() - lat).abs() < 1e-4,
            "{id} is at [{lon}, {lat}], the incident at {c}"
        );
    };

    // "Al-Bukamal" is Abu Kamal.
    let clash = find("clash");
    let p = &clash["properties"];
    assert_eq!(p["gazetteer_id"], "place:abu-kamal");
    assert_eq!(p["place"], "Abu Kamal");
    assert_eq!(p["place_as_written"], "Al-Bukamal");
    assert_eq!(p["date"], "2026-03-09");
    assert_eq!(p["time_precision"], "day");
    assert!(
        p["actors"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Islamic State"))
    );
    at(clash, "place:abu-kamal");

    // "Ayn al-Asad Air Base" is Ain al-Asad, not the governorate also named.
    let handover = find("handover");
    let p = &handover["properties"];
    assert_eq!(p["gazetteer_id"], "place:ain-al-asad-air-base");
    assert_eq!(p["place_as_written"], "Ayn al-Asad Air Base");
    assert_eq!(p["date"], "2026-03-12");
    assert_eq!(p["geo_precision"], 1);
    at(handover, "place:ain-al-asad-air-base");

    // "Dayr az Zawr" is Deir ez-Zor; "on Tuesday" counts back from Saturday 14 March.
    let deployment = find("deployment");
    let p = &deployment["properties"];
    assert_eq!(p["gazetteer_id"], "place:deir-ez-zor");
    assert_eq!(p["place_as_written"], "Dayr az Zawr");
    assert_eq!(p["date"], "2026-03-10");
    at(deployment, "place:deir-ez-zor");

    // Places inside link addresses are not incidents.
    for f in features {
        let id = f["properties"]["gazetteer_id"].as_str().unwrap_or("");
        assert!(
            id != "place:ramadi" && id != "place:fallujah",
            "incident from a link address: {f}"
        );
    }
    assert_eq!(features.len(), 3, "{features:#?}");
}

// --------------------------------------------------------------- export

/// Web Mercator (EPSG:3857) metres of a lon/lat.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let x = R * lon.to_radians();
    let y = R
        * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln();
    (x, y)
}

/// The six numbers of a world file: A, D, B, E, C, F.
fn read_world_file(path: &Path) -> [f64; 6] {
    let text = std::fs::read_to_string(path).expect("world file written");
    let values: Vec<f64> = text
        .lines()
        .map(|l| {
            l.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{l:?} is not a number"))
        })
        .collect();
    values
        .try_into()
        .unwrap_or_else(|v: Vec<f64>| panic!("{} lines, not 6", v.len()))
}

/// The image pixel (column, row) of a lon/lat, through the world file.
fn pixel_of(world: &[f64; 6], lon: f64, lat: f64) -> (i64, i64) {
    let [a, d, b, e, c, f] = *world;
    assert!(d == 0.0 && b == 0.0, "a north-up map has no rotation terms");
    let (x, y) = mercator(lon, lat);
    (((x - c) / a).round() as i64, ((y - f) / e).round() as i64)
}

fn colour_distance(p: [u8; 3], q: [u8; 3]) -> u32 {
    p.iter()
        .zip(q)
        .map(|(&a, b)| u32::from(a.abs_diff(b)))
        .sum()
}

/// Pixels of `image` within `radius` of (`cx`, `cy`) (a square window).
fn window(image: &image::RgbImage, cx: i64, cy: i64, radius: i64) -> Vec<[u8; 3]> {
    let mut out = Vec::new();
    for y in cy - radius..=cy + radius {
        for x in cx - radius..=cx + radius {
            if x >= 0 && y >= 0 && (x as u32) < image.width() && (y as u32) < image.height() {
                out.push(image.get_pixel(x as u32, y as u32).0);
            }
        }
    }
    out
}

const AIN_AL_ASAD: (f64, f64) = (42.4412, 33.7856);

#[test]
fn export_png_of_anbar_is_georeferenced_and_shows_ain_al_asad() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(badiya(tmp.path()).args([
        "export",
        "--place",
        "Anbar",
        "--size",
        "800x600",
        "--dpi",
        "96",
        "--title",
        "Anbar test",
        "-o",
        "map.png",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("map.png"), "{}", stdout(&out));

    let image = image::open(tmp.path().join("map.png"))
        .expect("a readable PNG")
        .to_rgb8();
    assert_eq!((image.width(), image.height()), (800, 600));
    let prj = std::fs::read_to_string(tmp.path().join("map.prj")).expect("map.prj written");
    assert!(
        prj.contains("Mercator") || prj.contains("3857"),
        "map.prj is not Web Mercator: {prj}"
    );
    let world = read_world_file(&tmp.path().join("map.pgw"));
    assert!(world[0] > 0.0 && world[3] < 0.0, "{world:?}");
    assert!(
        (world[0] + world[3]).abs() < 1e-6 * world[0],
        "square pixels: {world:?}"
    );

    let (lon, lat) = AIN_AL_ASAD;
    let (px, py) = pixel_of(&world, lon, lat);
    assert!(
        (0..800).contains(&px) && (0..600).contains(&py),
        "Ain al-Asad falls at pixel {px},{py}, outside the image"
    );
    // The map background there: the commonest colour a little way off.
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    for p in window(&image, px, py, 30) {
        *counts.entry(p).or_default() += 1;
    }
    let background = counts
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map(|(c, _)| c)
        .unwrap();
    let marked = window(&image, px, py, 3)
        .into_iter()
        .filter(|&p| colour_distance(p, background) > 60)
        .count();
    assert!(
        marked >= 5,
        "nothing drawn at Ain al-Asad (pixel {px},{py}; background {background:?})"
    );

    // Without incident markers the air base symbol itself is there.
    let out = run(badiya(tmp.path()).args([
        "export",
        "--place",
        "Anbar",
        "--size",
        "800x600",
        "--dpi",
        "96",
        "--no-incidents",
        "-o",
        "bases.png",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let image = image::open(tmp.path().join("bases.png")).unwrap().to_rgb8();
    let world = read_world_file(&tmp.path().join("bases.pgw"));
    let (px, py) = pixel_of(&world, lon, lat);
    // A site is drawn hollow: a neutral outline around a white inside.
    const SITE_OUTLINE: [u8; 3] = [0x4a, 0x45, 0x40];
    let outline = window(&image, px, py, 6)
        .into_iter()
        .filter(|&p| colour_distance(p, SITE_OUTLINE) < 40)
        .count();
    let inside = window(&image, px, py, 2)
        .into_iter()
        .filter(|&p| p == [255, 255, 255])
        .count();
    assert!(
        outline >= 6 && inside >= 3,
        "no air base symbol at pixel {px},{py} ({outline} outline and {inside} white pixels)"
    );
}

/// The text of every `<text>` in a parsed SVG.
fn svg_texts(group: &resvg::usvg::Group, out: &mut Vec<String>) {
    for node in group.children() {
        match node {
            resvg::usvg::Node::Group(g) => svg_texts(g, out),
            resvg::usvg::Node::Text(t) => {
                out.push(t.chunks().iter().map(|c| c.text()).collect::<String>());
            }
            _ => {}
        }
    }
}

#[test]
fn export_svg_parses_and_lists_title_and_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(badiya(tmp.path()).args([
        "export",
        "--bbox",
        "38,32,43,37",
        "--size",
        "1000x700",
        "-o",
        "map.svg",
        "--title",
        "T",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        !tmp.path().join("map.pgw").exists(),
        "no world file for SVG"
    );
    let svg = std::fs::read_to_string(tmp.path().join("map.svg")).expect("map.svg written");

    // Any SVG reader can parse it, and with the font it names, the texts are kept.
    resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let tree =
        resvg::usvg::Tree::from_str(&svg, &badiya::export::png::svg_options()).expect("valid SVG");
    let mut texts = Vec::new();
    svg_texts(tree.root(), &mut texts);
    let all = texts.join("\n");
    assert!(texts.iter().any(|t| t == "T"), "no title: {texts:?}");
    assert!(
        texts.iter().any(|t| t == "Sources"),
        "no source list: {all}"
    );

    // The source list names the seed documents by their titles from seeds/meta.json.
    let meta: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(REPO).join("seeds/meta.json")).unwrap(),
    )
    .unwrap();
    let title = meta[file_name(&seed("000_"))]["title"].as_str().unwrap();
    let flat = all.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(title), "{title:?} is not listed:\n{all}");
    let publisher = meta[file_name(&seed("002_"))]["publisher"]
        .as_str()
        .unwrap();
    assert!(
        flat.contains(publisher),
        "{publisher:?} is not listed:\n{all}"
    );
    assert!(
        !flat.contains("not shown"),
        "a 1000×700 page has room for the five sources:\n{all}"
    );
}

#[test]
fn export_to_an_unwritable_folder_fails_with_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let target = "/proc/badiya-nope/map.png";
    let out = run(badiya(tmp.path()).args([
        "export", "--place", "Anbar", "--size", "400x300", "-o", target,
    ]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(target), "{err}");
    assert!(err.starts_with("error:"), "{err}");
    assert!(!Path::new(target).exists());

    // A missing annotations file: named, with the reason said once.
    let out = run(badiya(tmp.path()).args([
        "export",
        "--place",
        "Anbar",
        "--size",
        "400x300",
        "--annotations",
        "notes.geojson",
        "-o",
        "map.png",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("notes.geojson"), "{err}");
    assert_eq!(
        err.matches("cannot read").count(),
        1,
        "repeated reason: {err}"
    );
    assert!(!tmp.path().join("map.png").exists());

    // An unknown place is a plain error too.
    let out = run(badiya(tmp.path()).args([
        "export", "--place", "Atlantis", "--size", "400x300", "-o", "map.png",
    ]));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Atlantis"), "{}", stderr(&out));
    assert!(!tmp.path().join("map.png").exists());
}

#[test]
fn a_bad_bbox_is_refused_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(badiya(tmp.path()).args(["--bbox", "1,2,3"]));
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = stderr(&out);
    assert!(err.contains("--bbox") && err.contains("4 numbers"), "{err}");

    // lat,lon given in the wrong order.
    let out = run(badiya(tmp.path()).args([
        "export",
        "--bbox",
        "33,140,35,141",
        "--size",
        "400x300",
        "-o",
        "map.png",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("latitude out of range"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("map.png").exists());
}

/// Runs `badiya ARGS | head -c 1`-style: the reader closes its end at once.
fn with_closed_stdout(args: &[&str], dir: &Path) -> std::process::ExitStatus {
    use std::process::Stdio;
    let mut child = badiya(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
    out.status
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let dir = tempfile::tempdir().expect("dir");
    let status = with_closed_stdout(&["check"], dir.path());
    assert_eq!(status.code(), Some(0), "check | true: {status}");
    let seeds: Vec<String> = std::fs::read_dir(Path::new(REPO).join("seeds"))
        .expect("seeds")
        .filter_map(|e| e.ok())
        .map(|e| e.path().display().to_string())
        .filter(|p| p.ends_with(".txt") || p.ends_with(".md") || p.ends_with(".html"))
        .collect();
    let mut args = vec!["extract"];
    args.extend(seeds.iter().map(String::as_str));
    let status = with_closed_stdout(&args, dir.path());
    assert_eq!(status.code(), Some(0), "extract | true: {status}");
}

#[test]
fn a_full_disk_is_an_error_message_not_a_panic() {
    let dir = tempfile::tempdir().expect("dir");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let out = run(badiya(dir.path()).arg("check").stdout(full));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
}

#[test]
fn pipes_devices_and_folders_are_refused_as_documents_without_hanging() {
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("feed.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = run(badiya(dir.path())
        .arg("extract")
        .arg(&fifo)
        .arg("/dev/zero")
        .arg(dir.path()));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("feed.txt") && err.contains("named pipe"),
        "{err}"
    );
    assert!(err.contains("zero") && err.contains("device"), "{err}");
    assert!(err.contains("folder"), "{err}");
}

/// Rewrites the layer catalog of a copied data folder.
fn edit_catalog(data: &Path, edit: impl FnOnce(&mut Vec<Value>)) {
    let catalog = data.join("layers.json");
    let mut specs: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&catalog).expect("catalog")).expect("json");
    edit(&mut specs);
    std::fs::write(&catalog, serde_json::to_string(&specs).expect("json")).expect("write");
}

#[test]
fn a_catalog_cannot_name_files_outside_its_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    copy_geodata(&data);
    edit_catalog(&data, |specs| {
        specs[0]["file"] = Value::String("/etc/passwd".into());
        specs[1]["file"] = Value::String("../outside.geojson".into());
    });
    std::fs::write(
        dir.path().join("outside.geojson"),
        r#"{"type":"FeatureCollection","features":[]}"#,
    )
    .expect("write");
    let out = run(badiya(dir.path()).arg("check").arg(&data));
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("/etc/passwd") && text.contains("outside the data folder"),
        "{text}"
    );
    assert!(text.contains("../outside.geojson"), "{text}");
}

#[test]
fn export_without_data_fails_and_a_failed_world_file_takes_the_png_with_it() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run(badiya(dir.path())
        .args(["export", "--data", "/nonexistent", "-o"])
        .arg(dir.path().join("blank.png")));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("/nonexistent"), "{}", stderr(&out));
    assert!(!dir.path().join("blank.png").exists());

    // The .pgw cannot be written (a folder has its name): no PNG is left without it.
    std::fs::create_dir(dir.path().join("map.pgw")).expect("dir");
    std::fs::write(dir.path().join("map.pgw").join("x"), "keep").expect("fill it");
    let out = run(badiya(dir.path())
        .args(["export", "--no-incidents", "-o"])
        .arg(dir.path().join("map.png")));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("map.pgw"), "{}", stderr(&out));
    assert!(
        !dir.path().join("map.png").exists(),
        "the PNG stayed without its world file"
    );
}

#[test]
fn a_box_larger_than_the_data_is_cut_to_it_and_one_outside_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let out = run(badiya(dir.path())
        .args([
            "export",
            "--no-incidents",
            "--bbox",
            "-180,-90,180,90",
            "-o",
        ])
        .arg(dir.path().join("world.png")));
    assert!(out.status.success(), "{}", stderr(&out));
    let world = read_world_file(&dir.path().join("world.pgw"));
    // Pixel size: the page spans the data (tens of degrees), not the planet.
    let image = image::open(dir.path().join("world.png"))
        .expect("png")
        .to_rgb8();
    let span_m = world[0] * f64::from(image.width());
    assert!(span_m < 6_000_000.0, "the page spans {span_m} m");
    let out = run(badiya(dir.path())
        .args(["export", "--bbox", "100,10,110,20", "-o"])
        .arg(dir.path().join("asia.png")));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("outside the map's data"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_byte_order_mark_is_read_and_a_duplicate_layer_id_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    copy_geodata(&data);
    let rivers = data.join("rivers.geojson");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(&rivers).expect("rivers"));
    std::fs::write(&rivers, bytes).expect("write");
    edit_catalog(&data, |specs| {
        let again = specs[0].clone();
        specs.push(again);
    });
    let out = run(badiya(dir.path()).args(["check", "--json"]).arg(&data));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json report");
    let errors: Vec<String> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("used twice"), "{errors:?}");
    assert!(
        report["layers"]["rivers"].as_u64().unwrap_or(0) > 10,
        "{report}"
    );
}

#[test]
fn two_documents_of_one_name_from_two_folders_are_both_read() {
    let dir = tempfile::tempdir().expect("dir");
    for (folder, text) in [
        (
            "desk_a",
            "Gunmen attacked a checkpoint near Al-Qaim on Tuesday, killing two soldiers.",
        ),
        (
            "desk_b",
            "Security forces seized a weapons cache near Rutba on Monday.",
        ),
    ] {
        std::fs::create_dir(dir.path().join(folder)).expect("dir");
        std::fs::write(dir.path().join(folder).join("report.txt"), text).expect("write");
    }
    let out = run(badiya(dir.path()).args(["extract", "desk_a/report.txt", "desk_b/report.txt"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let value: Value = serde_json::from_str(&stdout(&out)).expect("geojson");
    let docs: std::collections::BTreeSet<String> = value["features"]
        .as_array()
        .expect("features")
        .iter()
        .flat_map(|f| {
            f["properties"]["sources"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|s| s["doc"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        ["desk_b/report.txt", "report.txt"],
        "both documents cite their own passages"
    );
}

#[test]
fn extract_as_kml_and_annotations_as_kml_for_google_earth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(badiya(dir.path())
        .args(["extract", "--format", "kml"])
        .arg(seed("000_")));
    assert!(out.status.success(), "{}", stderr(&out));
    let kml = stdout(&out);
    let geojson = stdout(&run(badiya(dir.path()).arg("extract").arg(seed("000_"))));
    let features =
        serde_json::from_str::<serde_json::Value>(&geojson).expect("GeoJSON")["features"]
            .as_array()
            .map_or(0, Vec::len);
    assert!(features > 0);
    // One placemark per incident, each dated one carrying a TimeStamp.
    assert_eq!(kml.matches("<Placemark>").count(), features, "{kml}");
    assert!(kml.contains("<TimeStamp><when>"), "{kml}");
    assert!(kml.contains("http://www.opengis.net/kml/2.2"));

    // Annotations: from a GeoJSON file, and a missing workspace is named.
    let anno = dir.path().join("a.geojson");
    std::fs::write(
        &anno,
        r##"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[40.977,34.3975]},"properties":{"kind":"pin","text":"crossing","note":"closed since May","color":"#0057b8"}}]}"##,
    )
    .expect("write");
    let out = run(badiya(dir.path())
        .args(["annotations", "--format", "kml", "-o", "a.kml"])
        .arg(&anno));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("a.kml")).expect("a.kml");
    assert!(text.contains("<coordinates>40.977,34.3975"), "{text}");
    assert!(text.contains("closed since May"), "{text}");
    let out = run(badiya(dir.path()).args(["annotations", "nowhere.gpkg"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nowhere.gpkg"), "{}", stderr(&out));
}
