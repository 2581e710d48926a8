//! The analyst's tools, driven in the real app headless with egui_kittest:
//! search, go to, measure, spatial questions, data export, time-lapse.

use badiya::app::tools_ui::{self, DataFormat, DataWhat};
use badiya::app::{BadiyaApp, Options, Selection, Tool};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness() -> Harness<'static, BadiyaApp> {
    let app = BadiyaApp::new(Options::default());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    harness.run_steps(3);
    harness
}

fn click_at(harness: &mut Harness<'static, BadiyaApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run_steps(2);
}

fn type_text(harness: &mut Harness<'static, BadiyaApp>, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run_steps(2);
}

/// The centre of the view in lon/lat.
fn view_centre(app: &BadiyaApp) -> (f64, f64) {
    let c = app.camera();
    badiya::camera::lon_lat_from_merc(badiya::camera::Merc {
        x: c.center_x,
        y: c.center_y,
    })
}

#[test]
fn ctrl_k_then_a_misspelt_name_flies_to_the_place_and_selects_it() {
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run_steps(2);
    type_text(&mut harness, "dier ezzor");
    // The results list the city first.
    let hits = harness.state().tools.hits().to_vec();
    assert!(
        hits.first()
            .is_some_and(|h| h.title == "Deir ez-Zor" && h.detail.starts_with("city")),
        "{:?}",
        hits.iter()
            .map(|h| (&h.title, &h.detail, h.score))
            .collect::<Vec<_>>()
    );
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.selected_name().as_deref(), Some("Deir ez-Zor"));
    let (lon, lat) = view_centre(app);
    assert!(
        (lon - 40.14).abs() < 0.05 && (lat - 35.336).abs() < 0.05,
        "{lon},{lat}"
    );
    assert!(app.camera().zoom >= 9.0);
}

#[test]
fn searching_for_words_of_a_report_finds_the_incident_and_selects_it() {
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::K);
    harness.run_steps(2);
    type_text(&mut harness, "prison");
    let hits = harness.state().tools.hits().to_vec();
    let k = hits
        .iter()
        .position(|h| h.kind == badiya::search::HitKind::Incident)
        .expect("an incident");
    for _ in 0..k {
        harness.key_press(Key::ArrowDown);
        harness.step();
    }
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(matches!(
        harness.state().selection(),
        Some(Selection::Incident(_))
    ));
}

#[test]
fn go_to_reads_mgrs_and_drops_a_pin_there() {
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::G);
    harness.run_steps(2);
    // The Al-Qaim / Abu Kamal crossing (40.977 E, 34.3975 N), as MGRS.
    let grid = badiya::coords::mgrs(40.977, 34.3975).expect("MGRS");
    type_text(&mut harness, &grid);
    harness.get_by_label_contains("MGRS, zone 37S");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let app = harness.state();
    let (lon, lat) = view_centre(app);
    assert!(
        (lon - 40.977).abs() < 1e-4 && (lat - 34.3975).abs() < 1e-4,
        "{lon},{lat}"
    );
    assert!(app.tools.temp_pin.is_some());
    assert!(!app.tools.goto_open);
}

#[test]
fn measuring_a_triangle_gives_its_legs_and_area_and_keeps_it_as_an_annotation() {
    let mut harness = harness();
    harness.key_press(Key::M);
    harness.run_steps(2);
    assert_eq!(harness.state().tool(), Tool::Measure);
    let pts = [
        egui::pos2(600.0, 300.0),
        egui::pos2(800.0, 320.0),
        egui::pos2(700.0, 480.0),
    ];
    for p in pts {
        click_at(&mut harness, p);
    }
    // Clicking the first point again closes the shape: an area.
    click_at(&mut harness, pts[0]);
    let m = harness.state().tools.measure.clone();
    assert!(m.closed && m.done && m.points.len() == 3, "{m:?}");
    harness.get_by_label_contains("Area ");
    harness.get_by_label_contains("Total ");
    harness.get_by_label("Keep as annotation").click();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.annotations().len(), 1);
    let kept = &app.annotations().items()[0];
    assert!(kept.text.contains("km²"), "{}", kept.text);
    assert_eq!(app.tool(), Tool::Select);
}

#[test]
fn a_spatial_question_becomes_the_filter_and_is_shown_on_the_map() {
    let mut harness = harness();
    harness.state_mut().tools.question_open = true;
    harness.state_mut().tools.question_km = 50.0;
    harness.run_steps(2);
    harness.get_by_label("Ask").click();
    harness.run_steps(2);
    let (question, answer) = harness.state().tools.answer.clone().expect("answered");
    assert_eq!(question.describe(), "within 50 km of the Iraq–Syria border");
    let all = harness.state().corpus().incidents().len();
    assert!(
        !answer.is_empty() && answer.len() < all,
        "{} of {all}",
        answer.len()
    );
    harness.get_by_label("Show only these").click();
    harness.run_steps(2);
    let shown: Vec<String> = harness
        .state()
        .visible_incidents()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(shown.len(), answer.len());
    assert!(answer.iter().all(|(id, _)| shown.contains(id)));
    // The filter list says what is in force.
    harness.state_mut().tools.question_open = false;
    harness.run_steps(1);
    harness.get_by_label("Incidents").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Only within 50 km");
    // Clearing shows everything again.
    harness.state_mut().tools.question_open = true;
    harness.run_steps(2);
    harness.get_by_label("Clear").click();
    harness.run_steps(2);
    assert_eq!(harness.state().visible_incidents().len(), all);
}

#[test]
fn incidents_leave_as_kml_and_a_read_only_folder_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness();
    harness.state_mut().tools.data_open = true;
    harness.run_steps(2);
    harness.get_by_label("KML (Google Earth)").click();
    harness.run_steps(2);
    let path = dir.path().join("incidents.kml");
    harness.state_mut().tools.data_path = path.display().to_string();
    harness.run_steps(1);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    let text = std::fs::read_to_string(&path).expect("written");
    let n = harness.state().visible_incidents().len();
    assert_eq!(text.matches("<Placemark>").count(), n);
    assert!(text.contains("<TimeStamp>"));
    // Annotations cannot be CSV; a missing folder is a clear error.
    let app = harness.state();
    assert!(tools_ui::export_data(app, DataWhat::Annotations, DataFormat::Csv, &path).is_err());
    // A file where the folder should be: the write fails and says where.
    std::fs::write(dir.path().join("plain file"), "x").expect("file");
    let missing = dir.path().join("plain file").join("a.geojson");
    let err = tools_ui::export_data(app, DataWhat::AllIncidents, DataFormat::Geojson, &missing)
        .expect_err("no folder");
    assert!(err.contains("a.geojson"), "{err}");
}

#[test]
fn the_time_lapse_shows_one_window_at_a_time_with_older_markers_fainter() {
    let mut harness = harness();
    let all = harness.state_mut().drawn_incident_count();
    harness.get_by_label("Time-lapse").click();
    harness.run_steps(2);
    assert!(harness.state().tools.lapse.is_some());
    // Pause and step through the frames: each shows only its window's incidents.
    harness.get_by_label("Pause").click();
    harness.run_steps(1);
    let n = harness
        .state()
        .tools
        .lapse
        .as_ref()
        .map(|l| l.lapse.frame_ends().len())
        .expect("lapse");
    assert!(n > 3, "{n} frames");
    let mut most = 0;
    for k in 0..n {
        if let Some(l) = harness.state_mut().tools.lapse.as_mut() {
            l.frame = k;
        }
        harness.step();
        let drawn = harness.state_mut().drawn_incident_count();
        assert!(drawn <= all);
        most = most.max(drawn);
    }
    assert!(most > 0 && most < all, "{most} of {all}");
    harness.get_by_label("Time-lapse").click();
    harness.run_steps(2);
    assert_eq!(harness.state_mut().drawn_incident_count(), all);
}
