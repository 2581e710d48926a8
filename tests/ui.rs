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
        harness.get_by_label(name);
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
