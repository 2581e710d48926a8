//! The real app driven headless through AccessKit with egui_kittest:
//! what an analyst sees and clicks.

use badiya::app::{BadiyaApp, Options};
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
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    harness.run_steps(2);
}

#[test]
fn every_layer_is_listed() {
    let harness = harness();
    let names: Vec<String> = harness
        .state()
        .data()
        .layers
        .iter()
        .map(|l| l.spec.name.clone())
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    for name in &names {
        harness.get_by_role_and_label(egui::accesskit::Role::CheckBox, name);
    }
}

#[test]
fn unticking_a_layer_hides_it_from_the_map() {
    let mut harness = harness();
    let rivers = harness
        .state()
        .data()
        .layers
        .iter()
        .position(|l| l.spec.id == "rivers")
        .expect("rivers layer");
    let name = harness.state().data().layers[rivers].spec.name.clone();
    let before = harness.state_mut().drawn_feature_count(rivers);
    assert!(before > 0, "rivers are drawn at start");
    harness.get_by_label(&name).click();
    harness.run_steps(2);
    assert_eq!(
        harness.state_mut().drawn_feature_count(rivers),
        0,
        "rivers still drawn"
    );
}

#[test]
fn clicking_inside_anbar_shows_it_in_the_inspector() {
    let mut harness = harness();
    assert!(
        harness.query_by_label_contains("Anbar").is_none()
            || harness.state().selected_name().is_none()
    );
    let pos = harness
        .state()
        .screen_pos_of(41.2, 33.2)
        .expect("map laid out");
    click_at(&mut harness, pos);
    let selected = harness.state().selected_name().unwrap_or_default();
    assert!(selected.contains("Anbar"), "selected {selected:?}");
    // The inspector shows the name and the area.
    harness.get_by_label("Al-Anbar");
    harness.get_by_label_contains("km²");
}

#[test]
fn home_key_fits_the_region_after_zooming() {
    let mut harness = harness();
    let start = harness.state().camera();
    harness.key_press(egui::Key::Plus);
    harness.run_steps(2);
    assert!(harness.state().camera().zoom > start.zoom + 0.9);
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert!((harness.state().camera().zoom - start.zoom).abs() < 1e-6);
}

#[test]
fn default_view_snapshot() {
    let mut harness = harness();
    harness.run_steps(2);
    harness.snapshot("default_view");
}

fn harness_with(options: Options) -> Harness<'static, BadiyaApp> {
    let app = BadiyaApp::new(options);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    harness.run_steps(3);
    harness
}

/// The sentence of an incident's first source as the inspector shows it.
fn shown_sentence(app: &BadiyaApp, id: &str) -> String {
    let incident = app.corpus().incident(id).expect("incident");
    let source = &incident.sources[0];
    let doc = app.corpus().doc(&source.doc).expect("doc");
    let (a, b) = doc.display().display_span(source.start, source.end);
    doc.display().text[a..b].to_owned()
}

#[test]
fn clicking_an_incident_marker_shows_its_sentence_and_opens_the_document() {
    let mut harness = harness();
    // Zoom in on an incident placed at an exact site, so its marker stands alone or with same-place reports.
    let target = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .find(|i| i.geo_precision == 1)
        .expect("an incident at an exact site")
        .clone();
    let camera = harness.state().camera();
    let close = badiya::camera::Camera {
        zoom: 11.0,
        ..camera
    }
    .with_center_lon_lat(target.lon, target.lat);
    harness
        .state_mut()
        .send(badiya::app::Command::SetCamera(close));
    harness.run_steps(2);
    let pos = harness
        .state()
        .screen_pos_of(target.lon, target.lat)
        .expect("on screen");
    click_at(&mut harness, pos);
    let Some(badiya::app::Selection::Incident(id)) = harness.state().selection().cloned() else {
        panic!("no incident selected: {:?}", harness.state().selection());
    };
    let picked = harness
        .state()
        .corpus()
        .incident(&id)
        .expect("selected incident")
        .clone();
    assert!((picked.lon - target.lon).abs() < 1e-6 && (picked.lat - target.lat).abs() < 1e-6);
    let sentence = shown_sentence(harness.state(), &id);
    let start: String = sentence.trim().chars().take(30).collect();
    harness.get_by_label_contains(&start);

    harness
        .get_all_by_label("Open in document")
        .next()
        .expect("button")
        .click();
    harness.run_steps(3);
    let viewer = harness.state().viewer().expect("viewer open").clone();
    assert_eq!(viewer.doc, picked.sources[0].doc);
    harness.get_by_label_contains("Document —");
}

#[test]
fn unticking_a_type_hides_its_markers() {
    let mut harness = harness();
    let before = harness.state_mut().drawn_incident_count();
    let statements = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .filter(|i| i.event_type == badiya::incidents::EventType::Statement)
        .count();
    assert!(statements > 0 && before == harness.state().corpus().incidents().len());
    harness.get_by_label("Incidents").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Statement (").click();
    harness.run_steps(2);
    let after = harness.state_mut().drawn_incident_count();
    assert_eq!(after, before - statements);
}

#[test]
fn adding_a_binary_file_shows_an_error_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("report.pdf.txt");
    std::fs::write(
        &path,
        [0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0xff, 0x00],
    )
    .expect("write");
    let mut harness = harness();
    let docs = harness.state().corpus().docs.len();
    let incidents = harness.state().corpus().incidents().to_vec();
    harness
        .state_mut()
        .send(badiya::app::Command::AddFiles(vec![path]));
    harness.run_steps(3);
    let errors = harness.state().errors().to_vec();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("report.pdf.txt") && errors[0].contains("binary"),
        "{errors:?}"
    );
    harness.get_by_label_contains("report.pdf.txt");
    assert_eq!(harness.state().corpus().docs.len(), docs);
    assert_eq!(harness.state().corpus().incidents(), &incidents[..]);
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    assert!(harness.state().errors().is_empty());
}

#[test]
fn corrections_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.json")),
        ..Options::default()
    };
    let id = {
        let mut harness = harness_with(options.clone());
        let id = harness.state().corpus().incidents()[0].id.clone();
        harness.state_mut().send(badiya::app::Command::Edit(
            badiya::incidents::Edit::SetType {
                id: id.clone(),
                event_type: badiya::incidents::EventType::Handover,
            },
        ));
        harness.run_steps(3);
        id
    };
    let harness = harness_with(options);
    let incident = harness.state().corpus().incident(&id).expect("still there");
    assert_eq!(incident.event_type, badiya::incidents::EventType::Handover);
    assert_eq!(incident.origin, badiya::incidents::Origin::Edited);
}
