//! The real binary in a real X window (Xvfb): `--screenshot` must save a PNG
//! of the map as the analyst would see it.

use std::process::Command;

#[test]
fn screenshot_of_the_real_window_shows_the_map() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("window.png");
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x1000x24"])
        .arg("timeout")
        .arg("120")
        .arg(env!("CARGO_BIN_EXE_badiya"))
        .arg("--screenshot")
        .arg(&out)
        .env_remove("WAYLAND_DISPLAY")
        .env("BADIYA_WORKSPACE", dir.path().join("workspace.json"))
        .status()
        .expect("xvfb-run is installed (Debian package xvfb; .ci/run installs it)");
    assert!(status.success(), "badiya --screenshot exited with {status}");
    let image = image::open(&out).expect("a readable PNG").to_rgba8();
    assert!(
        image.width() >= 800 && image.height() >= 500,
        "{}x{}",
        image.width(),
        image.height()
    );
    // Not blank: many distinct colours, and the border's strong red is there.
    let mut colours = std::collections::HashSet::new();
    let mut reddish = 0usize;
    for p in image.pixels() {
        colours.insert(p.0);
        let [r, g, b, _] = p.0;
        if r > 170 && g < 80 && b < 80 {
            reddish += 1;
        }
    }
    assert!(
        colours.len() > 200,
        "only {} colours: blank window?",
        colours.len()
    );
    assert!(
        reddish > 200,
        "the border line is missing ({reddish} red pixels)"
    );
}
