//! The real app driven headless through AccessKit with egui_kittest:
//! what an analyst sees and clicks.

use badiya::app::{BadiyaApp, Options};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness() -> Harness<'static, BadiyaApp> {
    harness_with(Options::default())
}

/// A harness whose renderer has the map's GPU pipeline, as the window's
/// renderer has: the map's meshes are drawn from GPU buffers.
fn gpu_builder() -> egui_kittest::HarnessBuilder<BadiyaApp> {
    let render_state = egui_kittest::wgpu::create_render_state(
        egui_kittest::wgpu::default_wgpu_setup(),
        eframe::egui_wgpu::RendererOptions::PREDICTABLE,
    );
    badiya::map_gpu::install(&render_state, 1, false);
    Harness::builder().renderer(egui_kittest::wgpu::WgpuTestRenderer::from_render_state(
        render_state,
    ))
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
    snapshot(&mut harness, "default_view");
}

fn harness_with(options: Options) -> Harness<'static, BadiyaApp> {
    let app = BadiyaApp::new(Options {
        map_on_gpu: true,
        ..options
    });
    let mut harness = gpu_builder()
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
    doc.display_excerpt(source.start, source.end).to_owned()
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
    // Reports of one place share a spot: they are listed to pick from.
    if let Some(first) = harness
        .state()
        .pick_list()
        .and_then(|ids| ids.first())
        .cloned()
    {
        pick_from_list(&mut harness, &first);
    }
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
    // Every incident in the region is drawn; talks held far away (a meeting
    // in Doha) lie outside the default view.
    let in_region = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .filter(|i| (34.0..=49.0).contains(&i.lon) && (29.0..=38.5).contains(&i.lat))
        .count();
    assert!(
        statements > 0 && before == in_region,
        "{before} drawn, {in_region} in the region"
    );
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
        workspace: Some(dir.path().join("workspace.gpkg")),
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

#[test]
fn undo_goes_on_after_a_restart_in_the_order_the_changes_were_made() {
    use badiya::annotate::{Annotation, AnnotationKind, Change};
    use badiya::app::Command;
    use badiya::incidents::{Edit, EventType};
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.gpkg")),
        ..Options::default()
    };
    // A pin, then a correction, then the pin moved; then the window closes.
    let (id, before) = {
        let mut h = harness_with(options.clone());
        let first = h.state().corpus().incidents()[0].clone();
        h.state_mut().send(Command::Annotate {
            change: Change::Add(
                Annotation::new(AnnotationKind::Pin {
                    at: [41.0, 34.4],
                    note: String::new(),
                })
                .with_text("Ford"),
            ),
            merge: false,
        });
        h.run_steps(2);
        let type_now = if first.event_type == EventType::Handover {
            EventType::Clash
        } else {
            EventType::Handover
        };
        h.state_mut().send(Command::Edit(Edit::SetType {
            id: first.id.clone(),
            event_type: type_now,
        }));
        h.run_steps(2);
        let pin = h.state().annotations().items()[0].id;
        h.state_mut().send(Command::Annotate {
            change: Change::MoveMerc {
                id: pin,
                dx_m: 50_000.0,
                dy_m: 0.0,
            },
            merge: false,
        });
        h.run_steps(3);
        (first.id, first.event_type)
    };
    let mut h = harness_with(options.clone());
    let pin_at = |h: &Harness<'static, BadiyaApp>| match &h.state().annotations().items()[0].kind {
        AnnotationKind::Pin { at, .. } => at[0],
        _ => f64::NAN,
    };
    assert!(pin_at(&h) > 41.3, "the move was kept");
    assert!(
        h.state().can_undo(),
        "the history came back with the workspace"
    );
    h.state_mut().send(Command::Undo);
    h.run_steps(2);
    assert!((pin_at(&h) - 41.0).abs() < 1e-6, "first Undo: the move");
    assert_ne!(
        h.state().corpus().incident(&id).map(|i| i.event_type),
        Some(before)
    );
    h.state_mut().send(Command::Undo);
    h.run_steps(2);
    assert_eq!(
        h.state().corpus().incident(&id).map(|i| i.event_type),
        Some(before),
        "second Undo: the correction"
    );
    assert_eq!(h.state().annotations().len(), 1);
    h.state_mut().send(Command::Undo);
    h.run_steps(3);
    assert!(h.state().annotations().is_empty(), "third Undo: the pin");
    drop(h);
    // And Redo goes on after another restart.
    let mut h = harness_with(options);
    assert!(h.state().annotations().is_empty());
    assert!(h.state().can_redo());
    h.state_mut().send(Command::Redo);
    h.run_steps(2);
    assert_eq!(h.state().annotations().len(), 1, "Redo brings the pin back");
}

/// Moves the pointer to `pos` and presses (or releases) the primary button there.
fn primary(harness: &mut Harness<'static, BadiyaApp>, pos: egui::Pos2, pressed: bool) {
    harness.hover_at(pos);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
}

fn drag(harness: &mut Harness<'static, BadiyaApp>, from: egui::Pos2, to: egui::Pos2) {
    primary(harness, from, true);
    for k in 1..=8 {
        let t = k as f32 / 8.0;
        harness.hover_at(from + (to - from) * t);
        harness.step();
    }
    primary(harness, to, false);
    harness.run_steps(1);
}

#[test]
fn draw_an_arrow_undo_redo_and_it_stays_put_when_panning() {
    let mut harness = harness();
    harness.get_by_label("Arrow").click();
    harness.run_steps(2);
    assert_eq!(harness.state().tool(), badiya::app::Tool::Arrow);
    // From Abu Kamal towards Ain al-Asad.
    let from = harness.state().screen_pos_of(40.92, 34.45).expect("on map");
    let to = harness.state().screen_pos_of(42.44, 33.79).expect("on map");
    drag(&mut harness, from, to);
    assert_eq!(
        harness.state().annotations().len(),
        1,
        "the arrow was not added"
    );
    let arrow = harness.state().annotations().items()[0].clone();
    let badiya::annotate::AnnotationKind::Arrow { from: a, to: b } = arrow.kind else {
        panic!("not an arrow: {:?}", arrow.kind);
    };
    assert!(
        (a[0] - 40.92).abs() < 0.05 && (a[1] - 34.45).abs() < 0.05,
        "{a:?}"
    );
    assert!(
        (b[0] - 42.44).abs() < 0.05 && (b[1] - 33.79).abs() < 0.05,
        "{b:?}"
    );

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(
        harness.state().annotations().len(),
        0,
        "undo did not remove the arrow"
    );
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert_eq!(
        harness.state().annotations().len(),
        1,
        "redo did not bring it back"
    );

    // Pan with the select tool: the arrow keeps its geographic position and
    // moves on screen with the map.
    harness.get_by_label("Select").click();
    harness.run_steps(2);
    let before = harness.state().screen_pos_of(a[0], a[1]).expect("on map");
    let start = harness.state().screen_pos_of(44.0, 31.0).expect("on map");
    drag(&mut harness, start, start + egui::vec2(-120.0, 60.0));
    let after = harness.state().screen_pos_of(a[0], a[1]).expect("on map");
    assert!(
        (after - before - egui::vec2(-120.0, 60.0)).length() < 3.0,
        "{before:?} → {after:?}"
    );
    let kept = harness.state().annotations().items()[0].clone();
    assert_eq!(
        kept.kind,
        badiya::annotate::AnnotationKind::Arrow { from: a, to: b }
    );
}

#[test]
fn annotations_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.gpkg")),
        ..Options::default()
    };
    {
        let mut harness = harness_with(options.clone());
        harness.get_by_label("Rectangle").click();
        harness.run_steps(2);
        let a = harness.state().screen_pos_of(41.0, 34.0).expect("on map");
        let b = harness.state().screen_pos_of(42.0, 33.0).expect("on map");
        drag(&mut harness, a, b);
        assert_eq!(harness.state().annotations().len(), 1);
        harness.run_steps(3);
    }
    let harness = harness_with(options);
    assert_eq!(
        harness.state().annotations().len(),
        1,
        "the rectangle was lost"
    );
}

#[test]
fn annotated_view_with_export_dialog_snapshot() {
    let mut harness = harness();
    harness.get_by_label("Arrow").click();
    harness.run_steps(2);
    let from = harness.state().screen_pos_of(40.2, 35.3).expect("on map");
    let to = harness.state().screen_pos_of(40.9, 34.5).expect("on map");
    drag(&mut harness, from, to);
    harness.get_by_label("Pin").click();
    harness.run_steps(2);
    let at = harness.state().screen_pos_of(42.44, 33.79).expect("on map");
    click_at(&mut harness, at);
    assert_eq!(harness.state().annotations().len(), 2);
    harness
        .state_mut()
        .send(badiya::app::Command::ShowExport(true));
    harness.run_steps(3);
    harness.get_by_label("Export map");
    snapshot(&mut harness, "annotated_view_export_dialog");
}

/// Steps the UI until the background export has finished (at most a minute).
fn wait_for_export(harness: &mut Harness<'static, BadiyaApp>) {
    let start = std::time::Instant::now();
    while harness.state().export_running() {
        assert!(start.elapsed().as_secs() < 60, "the export did not finish");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(2);
}

#[test]
fn exporting_from_the_window_writes_a_georeferenced_png_without_blocking() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("brief.png");
    let mut harness = harness();
    {
        let dialog = harness.state_mut().export_dialog_mut();
        dialog.size = badiya::app::SizeChoice::Custom;
        dialog.custom = [1200, 800];
        dialog.spec.dpi = 150.0;
        dialog.path = out.display().to_string();
    }
    harness
        .state_mut()
        .send(badiya::app::Command::ShowExport(true));
    harness.run_steps(4);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    assert!(
        harness.state().export_running() || out.exists(),
        "the export did not start"
    );
    // The window keeps running frames while the export works in the background.
    wait_for_export(&mut harness);
    assert!(
        out.exists(),
        "no PNG written; errors: {:?}",
        harness.state().errors()
    );
    let image = image::open(&out).expect("png").to_rgba8();
    assert_eq!((image.width(), image.height()), (1200, 800));
    assert!(dir.path().join("brief.pgw").exists() && dir.path().join("brief.prj").exists());
}

#[test]
fn exporting_into_a_missing_folder_says_so_and_keeps_the_annotations() {
    let mut harness = harness();
    harness.get_by_label("Pin").click();
    harness.run_steps(2);
    let at = harness.state().screen_pos_of(42.44, 33.79).expect("on map");
    click_at(&mut harness, at);
    assert_eq!(harness.state().annotations().len(), 1);
    harness.state_mut().export_dialog_mut().path =
        "/proc/badiya-no-such-folder/brief.png".to_owned();
    harness.state_mut().send(badiya::app::Command::StartExport);
    harness.step();
    assert!(harness.state().export_running() || !harness.state().errors().is_empty());
    wait_for_export(&mut harness);
    let errors = harness.state().errors().to_vec();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("/proc/badiya-no-such-folder/brief.png")),
        "{errors:?}"
    );
    assert_eq!(harness.state().annotations().len(), 1);
}

#[test]
fn incident_inspector_and_document_viewer_snapshot() {
    let mut harness = harness();
    let incident = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .find(|i| i.sources.len() > 1)
        .or_else(|| harness.state().corpus().incidents().first())
        .expect("incidents")
        .clone();
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(incident.id.clone()),
    )));
    harness
        .state_mut()
        .send(badiya::app::Command::OpenDocument {
            doc: incident.sources[0].doc.clone(),
            at: Some(incident.sources[0].start),
        });
    harness.run_steps(5);
    harness.get_by_label_contains("Document —");
    assert_eq!(
        harness.get_all_by_label("Open in document").count(),
        incident.sources.len()
    );
    snapshot(&mut harness, "incident_and_document");
}

#[test]
fn dragging_across_the_timeline_sets_the_date_range_and_hides_markers() {
    let mut harness = harness();
    let before = harness.state_mut().drawn_incident_count();
    let label = harness.get_by_label("Timeline").rect();
    let y = label.bottom() + 90.0;
    drag(
        &mut harness,
        egui::pos2(label.left() + 120.0, y),
        egui::pos2(label.left() + 320.0, y),
    );
    let filter = harness.state().filter().clone();
    let (from, to) = (
        filter.date_from.expect("a start date"),
        filter.date_to.expect("an end date"),
    );
    assert!(from < to, "{from} .. {to}");
    assert!(!filter.include_undated);
    let after = harness.state_mut().drawn_incident_count();
    assert!(
        after < before,
        "{after} markers after the brush, {before} before"
    );
    // Every marker still drawn is dated inside the range.
    for i in harness.state().visible_incidents() {
        let d = i.date.expect("dated");
        assert!(
            d.last_day() >= from && d.first_day() <= to,
            "{d} outside {from}..{to}"
        );
    }
}

/// A click as a real mouse sends it: press and release within one frame.
fn quick_click(harness: &mut Harness<'static, BadiyaApp>, pos: egui::Pos2) {
    harness.event(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(3);
}

#[test]
fn clicking_a_place_in_the_document_viewer_flies_the_map_there() {
    // Seed 000 uses a decorative bullet the built-in font lacks; the window
    // falls back to system fonts, the headless harness draws a box.
    let app = BadiyaApp::new(Options::default());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    harness.run_steps(3);
    let doc = harness.state().corpus().docs[0].id.clone();
    harness
        .state_mut()
        .send(badiya::app::Command::OpenDocument {
            doc: doc.clone(),
            at: None,
        });
    harness.run_steps(4);
    let text = harness
        .get_by_role(egui::accesskit::Role::MultilineTextInput)
        .rect();
    let before = harness.state().camera();
    // The document's title line names "Iraq-Syria": click on the first letters
    // of "Iraq" on each of the first text rows until one lands on it.
    let offset = badiya::scene::font::text_width("Prospects for Ir", 15.0);
    let mut moved = false;
    for row in 0..6 {
        let at = egui::pos2(text.left() + offset, text.top() + 9.0 + 19.0 * row as f32);
        quick_click(&mut harness, at);
        if harness.state().camera() != before {
            moved = true;
            break;
        }
    }
    assert!(moved, "clicking the place name did not move the map");
    let camera = harness.state().camera();
    assert!(
        camera.zoom > before.zoom,
        "the map did not zoom in on the place"
    );
    let (lon, lat) = badiya::camera::lon_lat_from_merc(badiya::camera::Merc {
        x: camera.center_x,
        y: camera.center_y,
    });
    // Iraq's gazetteer point lies inside Iraq.
    assert!(
        (38.8..48.6).contains(&lon) && (29.0..37.4).contains(&lat),
        "{lon},{lat}"
    );
}

/// An added article: an incident whose place was chosen among several of the
/// same name shows why in the inspector; a place the gazetteer lacks is said
/// so, and one click on the map places it for every document.
#[test]
fn the_inspector_says_why_and_a_missing_place_is_placed_with_one_click() {
    let mut harness = harness();
    let text = "Published: 3 March 2026\n\nGunmen attacked an army checkpoint in Sinjar on Sunday, killing two soldiers.\n\nClashes erupted in Khana Sor on Monday between two armed groups.\n";
    harness.state_mut().send(badiya::app::Command::AddBytes {
        name: "sinjar_report.txt".into(),
        bytes: text.as_bytes().to_vec(),
    });
    harness.run_steps(3);
    let find = |h: &Harness<'static, BadiyaApp>, word: &str| {
        h.state()
            .corpus()
            .incidents()
            .iter()
            .find(|i| {
                i.sources
                    .iter()
                    .any(|s| s.doc == "sinjar_report.txt" && s.quote.contains(word))
            })
            .cloned()
            .expect("incident extracted")
    };
    let attack = find(&harness, "checkpoint");
    assert!(
        attack.why.iter().any(|w| w.starts_with("candidates:")),
        "{:?}",
        attack.why
    );
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(attack.id.clone()),
    )));
    harness.run_steps(4);
    harness.get_by_label_contains("Why: what extraction decided");
    harness.get_by_label_contains("candidates: “Sinjar” is Sinjar");
    snapshot(&mut harness, "incident_why");

    let clash = find(&harness, "Khana Sor");
    assert_eq!(clash.place.not_found.as_deref(), Some("Khana Sor"));
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(clash.id.clone()),
    )));
    harness.run_steps(4);
    harness
        .get_by_label("Place “Khana Sor” on the map…")
        .click();
    harness.run_steps(2);
    let at = harness
        .state()
        .screen_pos_of(41.57, 36.47)
        .expect("Khana Sor is in view");
    click_at(&mut harness, at);
    let placed = find(&harness, "Khana Sor");
    assert_eq!(
        placed.place.gazetteer_id.as_deref(),
        Some("analyst:khana-sor")
    );
    assert_eq!(placed.place.not_found, None);
    assert!((placed.lon - 41.57).abs() < 0.05 && (placed.lat - 36.47).abs() < 0.05);
}

#[test]
fn a_second_window_on_the_same_workspace_is_read_only_and_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.gpkg")),
        ..Options::default()
    };
    let mut first = harness_with(options.clone());
    let id = first.state().corpus().incidents()[0].id.clone();
    first.state_mut().send(badiya::app::Command::Edit(
        badiya::incidents::Edit::Delete { id: id.clone() },
    ));
    first.run_steps(3);
    let mut second = harness_with(options.clone());
    second.get_by_label_contains("read-only, another badiya window has it open");
    // The second window's change stays in memory; the first window's is on disk.
    let other = second.state().corpus().incidents()[0].id.clone();
    second.state_mut().send(badiya::app::Command::Edit(
        badiya::incidents::Edit::SetType {
            id: other,
            event_type: badiya::incidents::EventType::Handover,
        },
    ));
    second.run_steps(3);
    drop(second);
    drop(first);
    let reopened = harness_with(options);
    assert!(
        reopened.state().corpus().incident(&id).is_none(),
        "the first window's delete was lost"
    );
    assert!(
        reopened
            .state()
            .corpus()
            .incidents()
            .iter()
            .all(|i| i.event_type != badiya::incidents::EventType::Handover
                || i.origin != badiya::incidents::Origin::Edited),
        "the read-only window wrote its change"
    );
}

#[test]
fn a_damaged_workspace_is_kept_aside_and_the_message_names_both_files() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("workspace.gpkg");
    std::fs::write(&path, "half a file").expect("write");
    let options = Options {
        workspace: Some(path.clone()),
        ..Options::default()
    };
    let harness = harness_with(options);
    let errors = harness.state().errors().join(" ");
    assert!(
        errors.contains("workspace.gpkg") && errors.contains(".damaged-"),
        "{errors}"
    );
    harness.get_by_label_contains(".damaged-");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).expect("kept"),
        "half a file"
    );
}

#[test]
fn three_failed_starts_open_in_safe_mode() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("workspace.gpkg");
    // Two start-ups that never drew a frame.
    badiya::app::store::begin_start(&path);
    badiya::app::store::begin_start(&path);
    let options = Options {
        workspace: Some(path),
        ..Options::default()
    };
    let mut harness = harness_with(options);
    harness.get_by_label_contains("Safe mode");
    assert!(
        harness.state().corpus().incidents().is_empty(),
        "safe mode extracted"
    );
    harness.get_by_label("Leave safe mode").click();
    harness.run_steps(3);
    assert!(!harness.state().corpus().incidents().is_empty());
}

#[test]
fn a_saved_view_out_of_bounds_is_brought_back_to_the_region() {
    let dir = tempfile::tempdir().expect("dir");
    let json = dir.path().join("workspace.json");
    // A workspace of the earlier JSON format whose view is zoomed to 1e9, off the planet.
    std::fs::write(
        &json,
        r#"{"badiya_workspace":1,"data":{"camera":{"center_x":9.0e12,"center_y":-4.0e12,"zoom":1.0e9,"width_px":800.0,"height_px":600.0}}}"#,
    )
    .expect("write");
    let harness = harness_with(Options {
        workspace: Some(json),
        ..Options::default()
    });
    let camera = harness.state().camera();
    assert!(
        camera.zoom <= badiya::camera::MAX_ZOOM,
        "zoom {}",
        camera.zoom
    );
    // The whole region is on screen again: Ramadi and Deir ez-Zor both project into the map.
    assert!(
        harness.state().screen_pos_of(43.3, 33.42).is_some(),
        "{camera:?}"
    );
    assert!(
        harness.state().screen_pos_of(40.14, 35.33).is_some(),
        "{camera:?}"
    );
    assert!(dir.path().join("workspace.gpkg").exists(), "not imported");
}

#[test]
fn panning_writes_nothing_and_an_edit_is_on_disk_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("workspace.gpkg");
    let mut harness = harness_with(Options {
        workspace: Some(path.clone()),
        ..Options::default()
    });
    harness.run_steps(5);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let wal = dir.path().join("workspace.gpkg-wal");
    let stamp = |p: &std::path::Path| {
        std::fs::metadata(p)
            .map(|m| (m.len(), m.modified().ok()))
            .ok()
    };
    let before = (stamp(&path), stamp(&wal));
    let start = harness.state().screen_pos_of(42.0, 33.0).expect("on map");
    drag(&mut harness, start, start + egui::vec2(150.0, -80.0));
    harness.run_steps(5);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        (stamp(&path), stamp(&wal)),
        before,
        "a pan wrote to the workspace"
    );

    let id = harness.state().corpus().incidents()[0].id.clone();
    harness.state_mut().send(badiya::app::Command::Edit(
        badiya::incidents::Edit::Delete { id: id.clone() },
    ));
    harness.run_steps(2);
    // Read by another connection while the window is still open.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("opens");
        let edits: i64 = conn
            .query_row("SELECT count(*) FROM edits", [], |r| r.get(0))
            .expect("edits table");
        if edits == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the edit never reached the disk"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_large_added_document_is_extracted_while_the_window_is_already_up() {
    let dir = tempfile::tempdir().expect("dir");
    let json = dir.path().join("workspace.json");
    let paragraph = "Gunmen attacked an army checkpoint near Al-Qaim on Tuesday, killing two soldiers, officials said.\n\n";
    let ws = badiya::app::SavedWorkspace {
        added_docs: vec![badiya::app::SavedDoc {
            id: "big.txt".into(),
            raw: paragraph.repeat(400_000 / paragraph.len()),
            kind: badiya::docs::DocKind::Text,
        }],
        ..Default::default()
    };
    badiya::workspace::save(&json, &ws).expect("legacy workspace");
    let mut harness = harness_with(Options {
        workspace: Some(json),
        ..Options::default()
    });
    // An edit made while extraction runs waits for it and is then applied.
    let seed_incident = {
        let corpus = badiya::corpus::Corpus::seeds();
        corpus.incidents()[0].id.clone()
    };
    harness.state_mut().send(badiya::app::Command::Edit(
        badiya::incidents::Edit::Delete {
            id: seed_incident.clone(),
        },
    ));
    let started = std::time::Instant::now();
    while !harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .any(|i| i.sources.iter().any(|s| s.doc == "big.txt"))
    {
        assert!(
            started.elapsed().as_secs() < 60,
            "the document was never extracted"
        );
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(2);
    assert!(
        harness.state().corpus().incident(&seed_incident).is_none(),
        "the edit made during extraction was lost"
    );
    assert!(harness.state().corpus().doc("big.txt").is_some());
}

/// Compares with the stored snapshot. The software rasteriser is not quite
/// deterministic: a handful of anti-aliased pixels may differ between runs,
/// while any real change of the view moves thousands.
fn snapshot(harness: &mut egui_kittest::Harness<'_, badiya::app::BadiyaApp>, name: &str) {
    harness.snapshot_options(
        name,
        &egui_kittest::SnapshotOptions::new().max_failed_pixels(16),
    );
}

/// The visible incidents in the table's default order (date, undated last).
fn table_order(app: &BadiyaApp) -> Vec<badiya::incidents::Incident> {
    let mut rows: Vec<badiya::incidents::Incident> =
        app.visible_incidents().into_iter().cloned().collect();
    rows.sort_by(|a, b| {
        let by_date = match (a.date, b.date) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_date.then_with(|| a.id.cmp(&b.id))
    });
    rows
}

#[test]
fn a_click_anywhere_on_a_table_row_selects_it_and_a_map_selection_scrolls_the_table() {
    let mut harness = harness();
    let rows = table_order(harness.state());
    // The texts of a row's date, place and actors cells, as the table shows them.
    let cells = |r: &badiya::incidents::Incident| {
        [
            r.date.map_or_else(|| "—".to_owned(), |d| d.to_string()),
            r.place.canonical.clone(),
            r.actors.join(", "),
        ]
    };
    let all: Vec<String> = rows.iter().flat_map(cells).collect();
    // A cell text no other cell of the table shows: clicking it hits one row.
    let own_text = |r: &badiya::incidents::Incident| {
        cells(r)
            .into_iter()
            .find(|t| !t.is_empty() && all.iter().filter(|a| *a == t).count() == 1)
    };
    let (first, text) = rows
        .iter()
        .take(6)
        .find_map(|r| own_text(r).map(|t| (r.clone(), t)))
        .expect("a row near the top with a cell of its own");
    let table_top = harness.get_by_label("Precision").rect().bottom();
    harness
        .query_all_by_label(&text)
        .find(|n| n.rect().top() >= table_top)
        .expect("the cell is drawn in the table")
        .click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selection(),
        Some(&badiya::app::Selection::Incident(first.id.clone())),
        "clicking the text {text:?} of a row selects its incident"
    );

    // A row far down the table, out of view, comes into view when its
    // incident is selected elsewhere (the map, the search).
    let in_table = |harness: &Harness<'static, BadiyaApp>, text: &str| {
        harness
            .query_all_by_label(text)
            .any(|n| n.rect().top() >= table_top)
    };
    let (last, text) = rows
        .iter()
        .rev()
        .take(6)
        .find_map(|r| own_text(r).map(|t| (r.clone(), t)))
        .expect("a row near the end with a cell of its own");
    assert!(
        !in_table(&harness, &text),
        "the last rows start out of view"
    );
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(last.id.clone()),
    )));
    harness.run_steps(4);
    assert!(
        in_table(&harness, &text),
        "the table scrolled to the row of {text:?}"
    );
}

#[test]
fn clicking_a_cluster_zooms_to_what_it_holds_and_one_spot_lists_them() {
    let mut harness = harness();
    harness.run_steps(2);
    let spot = |app: &BadiyaApp, id: &str| {
        let i = app.corpus().incident(id).expect("incident");
        ((i.lon * 1e6).round() as i64, (i.lat * 1e6).round() as i64)
    };
    let one_spot =
        |app: &BadiyaApp, ids: &[String]| ids.iter().all(|id| spot(app, id) == spot(app, &ids[0]));
    let mut listed = None;
    for _ in 0..5 {
        let clusters = harness.state_mut().clusters();
        if let Some((pos, ids)) = clusters
            .iter()
            .find(|(_, ids)| one_spot(harness.state(), ids))
        {
            listed = Some((*pos, ids.clone()));
            break;
        }
        let (pos, ids) = clusters
            .first()
            .cloned()
            .expect("the default view shows clusters");
        let before = harness.state().camera().zoom;
        click_at(&mut harness, pos);
        harness.run_steps(3);
        let camera = harness.state().camera();
        assert!(camera.zoom > before, "a click on a cluster zooms in");
        for id in &ids {
            let i = harness.state().corpus().incident(id).expect("incident");
            let [x, y] = camera.screen_from_geo(i.lon, i.lat);
            assert!(
                (0.0..=camera.width_px).contains(&x) && (0.0..=camera.height_px).contains(&y),
                "{} is in view after zooming to the cluster",
                i.place.canonical
            );
        }
    }
    let (pos, ids) = listed.expect("a cluster of incidents at one spot");
    click_at(&mut harness, pos);
    harness.run_steps(3);
    assert_eq!(
        harness.state().pick_list(),
        Some(ids.as_slice()),
        "one spot: a list to pick from"
    );
    let pick = harness
        .state()
        .corpus()
        .incident(&ids[1])
        .expect("incident")
        .clone();
    pick_from_list(&mut harness, &pick.id);
    harness.run_steps(3);
    assert_eq!(
        harness.state().selection(),
        Some(&badiya::app::Selection::Incident(pick.id.clone()))
    );
    assert!(
        harness.state().pick_list().is_none(),
        "the list closes once one is picked"
    );
}

#[test]
fn the_about_window_draws_the_attribution_tables_as_tables() {
    let mut harness = harness();
    harness
        .state_mut()
        .send(badiya::app::Command::ShowAbout(true));
    harness.run_steps(3);
    // The table's header cells are labels of their own, without pipes.
    harness.get_by_label("licence");
    harness.get_by_label("file");
    assert!(
        harness.query_by_label_contains("|").is_none(),
        "no Markdown table syntax is shown"
    );
    assert!(
        harness.query_by_label_contains("`").is_none(),
        "no code marks are shown"
    );
}

#[test]
fn the_map_keeps_its_width_whatever_the_inspector_shows() {
    let mut harness = harness();
    let width = harness.state().camera().width_px;
    let ids: Vec<String> = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    for id in ids {
        harness.state_mut().send(badiya::app::Command::Select(Some(
            badiya::app::Selection::Incident(id.clone()),
        )));
        harness.run_steps(3);
        let now = harness.state().camera().width_px;
        assert!(
            (now - width).abs() < 1.0,
            "the map went from {width} to {now} px wide when {id} was selected"
        );
    }
}

#[test]
fn places_and_incidents_show_positions_in_the_one_chosen_form() {
    let mut harness = harness();
    let (layer, feature) = {
        let data = harness.state().data();
        let layer = data
            .layers
            .iter()
            .position(|l| l.spec.id == "places")
            .expect("places layer");
        let feature = data.layers[layer]
            .features
            .iter()
            .position(|f| f.name.as_deref() == Some("Rutba"))
            .expect("Rutba");
        (layer, feature)
    };
    let incident = harness.state().corpus().incidents()[0].clone();
    // MGRS rather than DMS: the test fonts have no prime marks.
    let position_of = |harness: &Harness<'static, BadiyaApp>, lon: f64, lat: f64, mgrs: bool| {
        let text = if mgrs {
            badiya::coords::mgrs(lon, lat).expect("an MGRS square")
        } else {
            badiya::coords::decimal(lon, lat)
        };
        harness.query_by_label(&text).is_some()
    };
    let place = harness.state().data().layers[layer].features[feature]
        .geometry
        .clone();
    let geo::Geometry::Point(p) = place else {
        panic!("a place is a point")
    };
    for mgrs in [false, true] {
        if mgrs {
            harness.get_by_value("positions in decimal").click();
            harness.run_steps(2);
            harness.get_by_label("MGRS").click();
            harness.run_steps(2);
        }
        harness.state_mut().send(badiya::app::Command::Select(Some(
            badiya::app::Selection::Feature(badiya::spatial::FeatureRef { layer, feature }),
        )));
        harness.run_steps(3);
        assert!(
            position_of(&harness, p.x(), p.y(), mgrs),
            "the place's position (MGRS: {mgrs})"
        );
        harness.state_mut().send(badiya::app::Command::Select(Some(
            badiya::app::Selection::Incident(incident.id.clone()),
        )));
        harness.run_steps(3);
        assert!(
            position_of(&harness, incident.lon, incident.lat, mgrs),
            "the incident's position (MGRS: {mgrs})"
        );
    }
}

#[test]
fn the_status_bar_shows_the_pointer_in_the_chosen_form_and_the_choice_survives_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.gpkg")),
        ..Options::default()
    };
    let centre = egui::pos2(700.0, 450.0);
    let pointer_at = |harness: &mut Harness<'static, BadiyaApp>| {
        harness.hover_at(centre);
        harness.run_steps(2);
        harness
            .state()
            .cursor()
            .expect("the pointer is over the map")
    };
    {
        let mut harness = harness_with(options.clone());
        let (lon, lat) = pointer_at(&mut harness);
        assert!(
            harness
                .query_by_label(&badiya::coords::decimal(lon, lat))
                .is_some()
        );
        // One form: no MGRS square beside the decimal degrees.
        let square = badiya::coords::mgrs(lon, lat).expect("an MGRS square");
        assert!(harness.query_by_label_contains(&square).is_none());
        harness.get_by_value("positions in decimal").click();
        harness.run_steps(2);
        harness.get_by_label("MGRS").click();
        harness.run_steps(2);
        let (lon, lat) = pointer_at(&mut harness);
        let square = badiya::coords::mgrs(lon, lat).expect("an MGRS square");
        assert!(
            harness.query_by_label(&format!("MGRS {square}")).is_some(),
            "the status bar shows MGRS"
        );
        assert!(
            harness
                .query_by_label(&badiya::coords::decimal(lon, lat))
                .is_none()
        );
        harness.run_steps(4);
    }
    let mut harness = harness_with(options);
    assert!(
        harness.query_by_value("positions in MGRS").is_some(),
        "the choice is kept with the workspace"
    );
    let (lon, lat) = pointer_at(&mut harness);
    let square = badiya::coords::mgrs(lon, lat).expect("an MGRS square");
    assert!(harness.query_by_label(&format!("MGRS {square}")).is_some());
}

/// The Layers tab whole, with its swatches and the site symbols below them,
/// in both themes: what the legend explains of the map.
#[test]
fn legend_snapshots_in_both_themes() {
    let mut harness = gpu_builder()
        .with_size(egui::vec2(1400.0, 1700.0))
        .build_ui_state(
            |ui, app: &mut BadiyaApp| app.ui(ui),
            BadiyaApp::new(Options {
                map_on_gpu: true,
                ..Options::default()
            }),
        );
    harness.run_steps(3);
    assert!(harness.query_by_label("Site symbols").is_some());
    assert!(harness.query_by_label("Border crossing").is_some());
    assert!(harness.query_by_label("Incident types").is_some());
    snapshot(&mut harness, "legend_light");
    harness
        .state_mut()
        .send(badiya::app::Command::SetDark(true));
    harness.run_steps(4);
    snapshot(&mut harness, "legend_dark");
}

#[test]
fn dark_theme_snapshot() {
    let mut harness = harness();
    harness
        .state_mut()
        .send(badiya::app::Command::SetDark(true));
    harness.run_steps(4);
    snapshot(&mut harness, "dark_view");
}

#[test]
fn moving_a_pin_takes_the_place_it_is_dropped_on_or_a_custom_point() {
    let mut harness = harness();
    let incident = harness.state().corpus().incidents()[0].clone();
    let (rutba_lon, rutba_lat) = (40.28444, 33.03333);
    let camera = badiya::camera::Camera {
        zoom: 11.0,
        ..harness.state().camera()
    }
    .with_center_lon_lat(rutba_lon, rutba_lat);
    harness
        .state_mut()
        .send(badiya::app::Command::SetCamera(camera));
    harness.run_steps(2);
    let drop = |harness: &mut Harness<'static, BadiyaApp>, lon: f64, lat: f64| {
        harness
            .state_mut()
            .send(badiya::app::Command::StartMovePin(Some(
                incident.id.clone(),
            )));
        harness.run_steps(2);
        let pos = harness.state().screen_pos_of(lon, lat).expect("on screen");
        click_at(harness, pos);
        harness
            .state()
            .corpus()
            .incident(&incident.id)
            .expect("incident")
            .clone()
    };
    // A kilometre from Rutba's centre: the pin stands for Rutba.
    let moved = drop(&mut harness, rutba_lon + 0.01, rutba_lat);
    assert_eq!(moved.place.canonical, "Rutba", "{:?}", moved.place);
    assert_eq!(moved.geo_precision, 1);
    assert!(
        (moved.lon - (rutba_lon + 0.01)).abs() < 0.001,
        "the pin stays where it was dropped"
    );
    // Far from any town: a custom point.
    let desert = drop(&mut harness, rutba_lon + 0.12, rutba_lat - 0.09);
    assert!(desert.place.gazetteer_id.is_none(), "{:?}", desert.place);
    assert!(
        desert.place.canonical.starts_with("custom point"),
        "{:?}",
        desert.place
    );
    assert_eq!(desert.geo_precision, 1);
}

#[test]
fn an_incident_correction_undoes_in_the_one_history_even_after_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let options = Options {
        workspace: Some(dir.path().join("workspace.gpkg")),
        ..Options::default()
    };
    let (id, was) = {
        let mut harness = harness_with(options.clone());
        let first = harness.state().corpus().incidents()[0].clone();
        // A correction, then an annotation: Undo takes back the annotation
        // first, then the correction; Redo brings the correction back.
        harness.state_mut().send(badiya::app::Command::Edit(
            badiya::incidents::Edit::SetType {
                id: first.id.clone(),
                event_type: badiya::incidents::EventType::Meeting,
            },
        ));
        harness.run_steps(2);
        harness.state_mut().send(badiya::app::Command::Annotate {
            change: badiya::annotate::Change::Add(
                badiya::annotate::Annotation::new(badiya::annotate::AnnotationKind::Text {
                    at: [41.0, 34.4],
                })
                .with_text("note"),
            ),
            merge: false,
        });
        harness.run_steps(2);
        assert_eq!(harness.state().annotations().items().len(), 1);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        harness.run_steps(2);
        assert!(
            harness.state().annotations().items().is_empty(),
            "the annotation goes first"
        );
        let kind = |h: &Harness<'static, BadiyaApp>| {
            h.state().corpus().incident(&first.id).map(|i| i.event_type)
        };
        assert_eq!(kind(&harness), Some(badiya::incidents::EventType::Meeting));
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        harness.run_steps(2);
        assert_eq!(
            kind(&harness),
            Some(first.event_type),
            "then the correction"
        );
        harness.key_press_modifiers(
            egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
            egui::Key::Z,
        );
        harness.run_steps(3);
        assert_eq!(
            kind(&harness),
            Some(badiya::incidents::EventType::Meeting),
            "redo"
        );
        (first.id.clone(), first.event_type)
    };
    // After a restart the correction is still a step of the history.
    let mut harness = harness_with(options.clone());
    let kind =
        |h: &Harness<'static, BadiyaApp>| h.state().corpus().incident(&id).map(|i| i.event_type);
    assert_eq!(kind(&harness), Some(badiya::incidents::EventType::Meeting));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(kind(&harness), Some(was), "undone after the restart");
    drop(harness);
    let harness = harness_with(options);
    assert_eq!(
        harness.state().corpus().incident(&id).map(|i| i.event_type),
        Some(was),
        "and the undo itself is saved"
    );
}

#[test]
fn an_incidents_place_is_set_by_typing_its_name_and_picking_from_the_gazetteer() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1500.0))
        .build_ui_state(
            |ui, app: &mut BadiyaApp| app.ui(ui),
            BadiyaApp::new(Options::default()),
        );
    harness.run_steps(3);
    let first = harness
        .state()
        .corpus()
        .incidents()
        .iter()
        .find(|i| i.place.name != "Haditha")
        .expect("an incident elsewhere")
        .clone();
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(first.id.clone()),
    )));
    harness.run_steps(3);
    harness.get_by_label("Correct this incident").click();
    harness.run_steps(3);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Place")
        .click();
    harness.run_steps(2);
    harness.event(egui::Event::Text("hadit".to_owned()));
    harness.run_steps(3);
    harness.get_by_label_contains("Haditha (").click();
    harness.run_steps(3);
    let gaz = &harness.state().corpus().gazetteer;
    let now = harness
        .state()
        .corpus()
        .incident(&first.id)
        .expect("incident")
        .clone();
    assert_eq!(now.place.name, "Haditha");
    let entry = gaz
        .by_id(
            now.place
                .gazetteer_id
                .as_deref()
                .expect("a gazetteer place"),
        )
        .expect("entry");
    assert_eq!(
        (now.lon, now.lat),
        (entry.lon, entry.lat),
        "the pin moved there"
    );
    assert_eq!(now.geo_precision, entry.geo_precision);
    assert_eq!(now.origin, badiya::incidents::Origin::Edited);
    // One undo step, like every correction.
    harness.state_mut().send(badiya::app::Command::Undo);
    harness.run_steps(2);
    let back = harness
        .state()
        .corpus()
        .incident(&first.id)
        .expect("incident");
    assert_eq!(back.place.name, first.place.name);
    assert_eq!((back.lon, back.lat), (first.lon, first.lat));
}

#[test]
fn an_analyst_marks_an_incident_verified_and_edits_its_actors_and_note() {
    // A tall window, so that the whole correction form is in view.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1500.0))
        .build_ui_state(
            |ui, app: &mut BadiyaApp| app.ui(ui),
            BadiyaApp::new(Options::default()),
        );
    harness.run_steps(3);
    let first = harness.state().corpus().incidents()[0].clone();
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(first.id.clone()),
    )));
    harness.run_steps(3);
    harness.get_by_label("Correct this incident").click();
    harness.run_steps(3);
    harness.get_by_label("verified").click();
    harness.run_steps(3);
    for (label, role, text) in [
        (
            "Actors",
            egui::accesskit::Role::TextInput,
            "Iraqi army, Islamic State",
        ),
        (
            "Note",
            egui::accesskit::Role::MultilineTextInput,
            "checked against the ministry statement",
        ),
    ] {
        harness.get_by_role_and_label(role, label).click();
        harness.run_steps(2);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.event(egui::Event::Text(text.to_owned()));
        harness.run_steps(2);
        harness
            .get_by_label(&format!("Set {}", label.to_lowercase()))
            .click();
        harness.run_steps(3);
    }
    let now = harness
        .state()
        .corpus()
        .incident(&first.id)
        .expect("incident")
        .clone();
    assert_eq!(now.review, badiya::incidents::Review::Verified);
    assert_eq!(
        now.actors,
        vec!["Iraqi army".to_string(), "Islamic State".to_string()]
    );
    assert_eq!(now.note, "checked against the ministry statement");
    let csv = badiya::incidents::to_csv(&[now]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",review,analyst_note"),
        "{csv}"
    );
    assert!(
        csv.contains(",verified,checked against the ministry statement"),
        "{csv}"
    );
    // The table says so too.
    assert!(harness.query_by_label("edited, verified").is_some());
}

/// Clicks the entry of the cluster's pick list for incident `id`.
fn pick_from_list(harness: &mut Harness<'static, BadiyaApp>, id: &str) {
    let i = harness
        .state()
        .corpus()
        .incident(id)
        .expect("incident")
        .clone();
    let date = match (&i.date, &i.date_text) {
        (Some(d), _) => d.to_string(),
        (None, Some(t)) => t.clone(),
        (None, None) => "undated".to_owned(),
    };
    harness
        .get_by_label(&format!(
            "{} — {} ({date})",
            i.event_type.label(),
            i.place.canonical
        ))
        .click();
    harness.run_steps(3);
}

#[test]
fn a_fast_drag_on_the_timeline_selects_every_month_it_crossed() {
    let mut harness = harness();
    let label = harness.get_by_label("Timeline").rect();
    let y = label.bottom() + 90.0;
    let (from, to) = (
        egui::pos2(label.left() + 120.0, y),
        egui::pos2(label.left() + 320.0, y),
    );
    // Press, one big move, release: a flick of the mouse.
    harness.hover_at(from);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.step();
    harness.hover_at(to);
    harness.step();
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(3);
    let filter = harness.state().filter().clone();
    let (a, b) = (
        filter.date_from.expect("a start date"),
        filter.date_to.expect("an end date"),
    );
    assert!(
        (b - a).num_days() > 62,
        "a fast drag selected only {a} .. {b}"
    );
}

#[test]
fn the_document_viewer_opens_beside_the_point_the_map_flew_to() {
    let mut harness = harness();
    let incident = harness.state().corpus().incidents()[0].clone();
    harness.state_mut().send(badiya::app::Command::Select(Some(
        badiya::app::Selection::Incident(incident.id.clone()),
    )));
    harness.state_mut().send(badiya::app::Command::FlyTo {
        lon: incident.lon,
        lat: incident.lat,
        zoom: 7.0,
    });
    harness.run_steps(3);
    harness
        .state_mut()
        .send(badiya::app::Command::OpenDocument {
            doc: incident.sources[0].doc.clone(),
            at: Some(incident.sources[0].start),
        });
    harness.run_steps(5);
    let point = harness
        .state()
        .screen_pos_of(incident.lon, incident.lat)
        .expect("on screen");
    // The window's node spans the whole window.
    let window = harness.get_by_label_contains("Document —").rect();
    assert!(
        !window.expand(8.0).contains(point),
        "the viewer ({window:?}) covers the point at {point:?}"
    );
}

#[test]
fn the_status_bar_shows_no_position_while_the_pointer_is_over_the_inspector() {
    let mut harness = harness();
    let inspector = harness.get_by_label("Inspector").rect();
    harness.hover_at(inspector.center() + egui::vec2(0.0, 120.0));
    harness.run_steps(3);
    assert!(
        harness.query_by_label("pointer off the map").is_some(),
        "a position is shown for a pointer over the inspector"
    );
    // Over the map it is shown.
    let map = harness
        .state()
        .screen_pos_of(41.0, 34.0)
        .expect("on screen");
    harness.hover_at(map);
    harness.run_steps(3);
    assert!(harness.query_by_label("pointer off the map").is_none());
}

#[test]
fn a_drag_moves_the_drawn_map_with_the_pointer_and_draws_it_anew_when_released() {
    let mut harness = harness();
    let clusters = harness.state_mut().clusters();
    let (at, ids) = clusters.first().cloned().expect("the seeds make a cluster");
    let moved = egui::vec2(40.0, 25.0);
    let find = |h: &mut Harness<'static, BadiyaApp>| {
        h.state_mut()
            .clusters()
            .into_iter()
            .find(|(_, i)| *i == ids)
            .map(|(p, _)| p)
    };
    // Press on empty map and drag in small steps, holding the button.
    let from = harness
        .state()
        .screen_pos_of(39.0, 31.0)
        .expect("on the map");
    primary(&mut harness, from, true);
    let before = harness.state().scenes_built();
    for k in 1..=10 {
        harness.hover_at(from + moved * (k as f32 / 10.0));
        harness.step();
    }
    // The map was drawn once for the drag (with room around the view), not
    // once a step, and what it shows moved with the pointer.
    let built = harness.state().scenes_built() - before;
    assert!(built <= 2, "{built} scenes drawn for a drag of 10 steps");
    // (The map follows the pointer once it has moved far enough to be a drag.)
    let shift = harness
        .state()
        .screen_pos_of(39.0, 31.0)
        .expect("on the map")
        - from;
    assert!(shift.x > 30.0 && shift.y > 18.0, "{shift:?}");
    let mid = find(&mut harness).expect("the cluster is still drawn");
    assert!(
        (mid - (at + shift)).length() < 1.5,
        "{mid:?} vs {:?}",
        at + shift
    );
    let during = harness.state().scenes_built();
    primary(&mut harness, from + moved, false);
    harness.run_steps(1);
    // Released: drawn anew for the view, in the same place.
    assert!(harness.state().scenes_built() > during, "not drawn anew");
    let after = find(&mut harness).expect("the cluster is drawn after the drag");
    assert!(
        (after - (at + shift)).length() < 1.5,
        "{after:?} vs {:?}",
        at + shift
    );
}

/// Pixels of two renders of the same size whose colours differ by more than
/// a few levels in some channel.
fn differing_pixels(a: &image::RgbaImage, b: &image::RgbaImage) -> usize {
    assert_eq!(a.dimensions(), b.dimensions());
    a.pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > 3))
        .count()
}

#[test]
fn the_map_drawn_from_gpu_buffers_looks_as_egui_draws_it_when_still_and_mid_drag() {
    let gpu = |h: &mut Harness<'static, BadiyaApp>| h.render().expect("rendered");
    let mut on_gpu = harness();
    let app = BadiyaApp::new(Options::default());
    let mut by_egui = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    by_egui.run_steps(3);
    let (a, b) = (gpu(&mut on_gpu), gpu(&mut by_egui));
    let still = differing_pixels(&a, &b);
    assert!(still < 40, "{still} pixels differ on the still map");
    // Mid-drag, the GPU's copy of the map moves by the pointer's offset.
    for h in [&mut on_gpu, &mut by_egui] {
        let from = h.state().screen_pos_of(39.0, 31.0).expect("on the map");
        primary(h, from, true);
        for k in 1..=6 {
            h.hover_at(from + egui::vec2(9.0, 5.0) * k as f32);
            h.step();
        }
    }
    let (a, b) = (gpu(&mut on_gpu), gpu(&mut by_egui));
    let moving = differing_pixels(&a, &b);
    assert!(moving < 40, "{moving} pixels differ mid-drag");
}

#[test]
fn adding_many_documents_shows_progress_and_cancel_leaves_the_corpus_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    badiya::stress::write_stress_corpus(dir.path(), 3000, 7).expect("corpus");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path())
        .expect("listed")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let mut harness = harness();
    let docs_before = harness.state().corpus().docs.len();
    let incidents_before = harness.state().corpus().incidents().len();
    harness
        .state_mut()
        .send(badiya::app::Command::AddFiles(paths));
    harness.run_steps(2);
    assert!(harness.state().is_extracting(), "read on a worker thread");
    // The status bar says how far it is and offers a way out.
    harness.get_by_label_contains("of 3000 documents");
    harness.get_by_label("Cancel").click();
    let started = std::time::Instant::now();
    while harness.state().is_extracting() {
        assert!(started.elapsed().as_secs() < 60, "cancel never took");
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run_steps(2);
    assert_eq!(harness.state().corpus().docs.len(), docs_before);
    assert_eq!(harness.state().corpus().incidents().len(), incidents_before);
    assert!(
        harness
            .state()
            .messages()
            .iter()
            .any(|m| m.contains("adding cancelled: none of the 3000 documents")),
        "{:?}",
        harness.state().messages()
    );
}
