//! The real binary in a real X window (Xvfb): `--screenshot` must save a PNG
//! of the map as the analyst would see it.

use std::process::Command;

/// The badiya binary in a virtual X server, stopped after two minutes;
/// its arguments are to follow.
fn badiya_in_xvfb() -> Command {
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1600x1000x24"])
        .arg("timeout")
        .arg("120")
        .arg(env!("CARGO_BIN_EXE_badiya"))
        .env_remove("WAYLAND_DISPLAY");
    command
}

/// `badiya --screenshot OUT` in a virtual X server with this workspace; the PNG.
fn screenshot(workspace: &std::path::Path, out: &std::path::Path) -> image::RgbaImage {
    let status = badiya_in_xvfb()
        .arg("--screenshot")
        .arg(out)
        .env("BADIYA_WORKSPACE", workspace)
        .status()
        .expect("xvfb-run is installed (Debian package xvfb; .ci/run installs it)");
    assert!(status.success(), "badiya --screenshot exited with {status}");
    image::open(out).expect("a readable PNG").to_rgba8()
}

#[test]
fn screenshot_of_the_real_window_shows_the_map() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("window.png");
    let image = screenshot(&dir.path().join("workspace.json"), &out);
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

#[test]
fn the_window_draws_the_same_map_from_gpu_buffers_as_through_egui() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("workspace.json");
    let on_gpu = screenshot(&workspace, &dir.path().join("gpu.png"));
    let status = badiya_in_xvfb()
        .args(["--no-gpu-map", "--screenshot"])
        .arg(dir.path().join("egui.png"))
        .env("BADIYA_WORKSPACE", &workspace)
        .status()
        .expect("xvfb-run is installed");
    assert!(status.success(), "badiya --no-gpu-map exited with {status}");
    let by_egui = image::open(dir.path().join("egui.png"))
        .expect("a readable PNG")
        .to_rgba8();
    assert_eq!(on_gpu.dimensions(), by_egui.dimensions());
    let differing = on_gpu
        .pixels()
        .zip(by_egui.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > 3))
        .count();
    assert!(differing < 40, "{differing} pixels differ");
}

/// Inodes of the sockets `pid` holds open.
fn socket_inodes(pid: u32) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .filter_map(|l| {
            l.to_string_lossy()
                .strip_prefix("socket:[")
                .and_then(|r| r.strip_suffix(']'))
                .map(str::to_owned)
        })
        .collect()
}

/// Inodes of the IP sockets in the system's tables.
fn ip_socket_inodes() -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for table in ["tcp", "tcp6", "udp", "udp6", "raw", "raw6"] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/net/{table}")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            if let Some(inode) = line.split_whitespace().nth(9) {
                out.insert(inode.to_owned());
            }
        }
    }
    out
}

#[test]
fn the_app_opens_no_network_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("window.png");
    let mut child = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1600x1000x24"])
        .arg(env!("CARGO_BIN_EXE_badiya"))
        .arg("--screenshot")
        .arg(&out)
        .env_remove("WAYLAND_DISPLAY")
        .env("BADIYA_WORKSPACE", dir.path().join("workspace.gpkg"))
        .spawn()
        .expect("xvfb-run is installed");
    let started = std::time::Instant::now();
    let mut seen = 0usize;
    let mut ip = Vec::new();
    while child.try_wait().expect("wait").is_none() && started.elapsed().as_secs() < 120 {
        // The badiya process under xvfb-run.
        let Ok(procs) = std::fs::read_dir("/proc") else {
            break;
        };
        for p in procs.filter_map(|e| e.ok()) {
            let Ok(pid) = p.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            if exe != std::path::Path::new(env!("CARGO_BIN_EXE_badiya")) {
                continue;
            }
            let sockets = socket_inodes(pid);
            seen = seen.max(sockets.len());
            let tables = ip_socket_inodes();
            ip.extend(sockets.into_iter().filter(|s| tables.contains(s)));
        }
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen >= 1,
        "never saw the display connection: the check saw nothing"
    );
    assert!(ip.is_empty(), "badiya opened IP sockets: {ip:?}");
}

#[test]
fn a_workspace_of_many_long_notes_and_a_huge_font_still_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 1,000 pins with 2 KB notes, one with a font size of 1e30: this once
    // overflowed a GPU buffer at every start.
    let items: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            serde_json::json!({
                "id": i + 1,
                "kind": {"type": "pin", "at": [38.0 + f64::from(i % 60) * 0.1, 32.0 + f64::from(i / 60) * 0.2], "note": "n ".repeat(1000)},
                "style": {"color": "#d62728", "stroke_width": 2.5, "font_size": if i == 7 { 1e30 } else { 14.0 }, "fill": false},
                "text": format!("pin {i}")
            })
        })
        .collect();
    let ws = serde_json::json!({"badiya_workspace": 1, "data": {"annotations": {"items": items, "next_id": 1001}}});
    std::fs::write(dir.path().join("workspace.json"), ws.to_string()).expect("write");
    let out = dir.path().join("window.png");
    let image = screenshot(&dir.path().join("workspace.json"), &out);
    // The pins are drawn: many pixels of their red.
    let red = image
        .pixels()
        .filter(|p| p.0[0] > 190 && p.0[1] < 70 && p.0[2] < 70)
        .count();
    assert!(red > 2_000, "{red} red pixels");
}

#[test]
fn the_startup_report_times_the_first_complete_frame_and_leaves_the_workspace_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("workspace.gpkg");
    let output = badiya_in_xvfb()
        .arg("--startup-report")
        .env("BADIYA_WORKSPACE", &workspace)
        .output()
        .expect("xvfb-run is installed (Debian package xvfb; .ci/run installs it)");
    assert!(
        output.status.success(),
        "badiya --startup-report exited with {}",
        output.status
    );
    let text = String::from_utf8_lossy(&output.stdout);
    // Three steps, in the order they happen, each in whole milliseconds.
    let mut last = 0u64;
    for step in [
        "window and GPU device made: ",
        "data, gazetteer and documents loaded: ",
        "first complete frame shown: ",
    ] {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix(step))
            .unwrap_or_else(|| panic!("no “{step}” in {text:?}"));
        let ms: u64 = line
            .strip_suffix(" ms")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("“{line}” is not a time in ms"));
        assert!(
            ms >= last,
            "{step}{ms} ms comes before the step ahead of it ({last} ms)"
        );
        last = ms;
    }
    assert!(last > 0, "{text}");
    // A timing run only reads: no workspace is created.
    assert!(
        !workspace.exists(),
        "the start-up report wrote {}",
        workspace.display()
    );
}
