//! Choosing files where the desktop has no file dialog: badiya's chooser in
//! the window, driven as an analyst would (egui_kittest).

use badiya::app::files::Chooser;
use badiya::app::{BadiyaApp, Options};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(folder: &std::path::Path) -> Harness<'static, BadiyaApp> {
    let mut app = BadiyaApp::new(Options::default());
    app.files.chooser = Some(Chooser::InWindow);
    app.files.last_folder = Some(folder.to_path_buf());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    harness.run_steps(3);
    harness
}

fn menu(harness: &mut Harness<'static, BadiyaApp>, item: &str) {
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label(item).click();
    harness.run_steps(3);
}

#[test]
fn documents_are_added_through_the_in_window_chooser() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("morning report.txt"),
        "RAMADI, Iraq, March 4 (Wire) - Gunmen attacked a checkpoint near Rutba on Tuesday.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("notes.pdf"), b"%PDF-1.4").expect("write");
    let mut harness = harness(dir.path());
    let before = harness.state().corpus().docs.len();
    menu(&mut harness, "Add documents…");
    assert!(harness.state().files.showing(), "the chooser opened");
    // Only the kinds of document badiya reads are listed.
    assert!(harness.query_by_label_contains("notes.pdf").is_none());
    harness.get_by_label_contains("morning report.txt").click();
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(4);
    let app = harness.state();
    assert!(!app.files.showing(), "the chooser closed");
    let docs = &app.corpus().docs;
    assert_eq!(docs.len(), before + 1);
    assert!(docs.iter().any(|d| d.id.contains("morning report")));
}

#[test]
fn a_new_workspace_is_named_in_the_chooser_and_created_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path());
    menu(&mut harness, "New workspace…");
    assert!(harness.state().files.showing());
    // The proposed name is kept; Save creates the GeoPackage in that folder.
    harness.get_by_label("Save").click();
    harness.run_steps(6);
    assert!(!harness.state().files.showing());
    let created = dir.path().join("workspace.gpkg");
    assert!(created.is_file(), "{created:?} was not created");
}

#[test]
fn cancel_closes_the_chooser_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path());
    let before = harness.state().corpus().docs.len();
    menu(&mut harness, "Open workspace…");
    assert!(harness.state().files.showing());
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(!harness.state().files.showing());
    assert_eq!(harness.state().corpus().docs.len(), before);
}

/// Draws frames until the worker thread's extraction is in (at most ~15 s).
fn wait_for_extraction(harness: &mut Harness<'static, BadiyaApp>) {
    let mut frames = 0;
    while harness.state().is_extracting() && frames < 3_000 {
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
        frames += 1;
    }
}

#[test]
fn a_large_document_is_extracted_while_the_window_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(dir.path());
    let paragraph = "ABU KAMAL, Syria, May 2 (Wire) - Fighters attacked a position \
        near Hajin on Friday, a monitor said.\n\n";
    let text = paragraph.repeat(600_000 / paragraph.len());
    harness.state_mut().send(badiya::app::Command::AddBytes {
        name: "long compilation.txt".to_owned(),
        bytes: text.into_bytes(),
    });
    harness.run_steps(2);
    // The frame came back before the extraction ended, and says so.
    assert!(harness.state().is_extracting());
    assert!(harness.query_by_label_contains("extracting").is_some());
    wait_for_extraction(&mut harness);
    let app = harness.state();
    assert!(!app.is_extracting(), "the extraction never arrived");
    assert!(
        app.corpus()
            .incidents()
            .iter()
            .any(|i| i.sources.iter().any(|s| s.doc == "long compilation.txt")),
        "its incidents are on the map"
    );
    // Placing a name reads every document again: on the worker thread too.
    harness
        .state_mut()
        .send(badiya::app::Command::AddAnalystPlace {
            name: "Kharab Shams".to_owned(),
            lon: 40.74,
            lat: 34.43,
        });
    harness.run_steps(2);
    assert!(harness.state().is_extracting());
    wait_for_extraction(&mut harness);
    let app = harness.state();
    assert!(!app.is_extracting());
    assert!(!app.corpus().gazetteer.lookup("Kharab Shams").is_empty());
}

#[test]
fn without_a_desktop_file_picker_the_chooser_opens_in_the_window_and_says_why() {
    if badiya::app::files::system_dialog_available() {
        // This desktop has a picker: the case is a bare machine's.
        eprintln!("skipped: this desktop has a file-picker service");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = BadiyaApp::new(Options::default());
    app.files.chooser = None;
    app.files.last_folder = Some(dir.path().to_path_buf());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut BadiyaApp| app.ui(ui), app);
    harness.run_steps(3);
    menu(&mut harness, "Add documents…");
    assert!(harness.state().files.showing(), "the chooser opened");
    assert!(
        harness
            .query_by_label_contains("no file-picker service")
            .is_some(),
        "the chooser says why it is badiya's own"
    );
}
