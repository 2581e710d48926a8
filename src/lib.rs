//! badiya: a native desktop map for analysts who follow security along the
//! Iraq–Syria border. Data flows one way: files → model → index → scene →
//! (screen | export). Nothing below `app` imports egui.
#![forbid(unsafe_code)]

pub mod analysis;
pub mod annotate;
pub mod camera;
pub mod cli;
pub mod coords;
pub mod corpus;
pub mod docs;
pub mod export;
pub mod extract;
pub mod geodata;
pub mod incidents;
pub mod input;
pub mod overlay;
pub mod pattern;
pub mod scene;
pub mod search;
pub mod spatial;
pub mod stress;
pub mod team;
pub mod timelapse;
pub mod to_kml;
pub mod workspace;

pub mod app;
pub mod map_gpu;
pub mod render_egui;
