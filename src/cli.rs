//! The command line: `badiya` opens the window; `check`, `extract` and
//! `export` run headless and never touch the GUI.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::geodata::GeoData;

/// A native desktop map of the Iraq–Syria border region.
#[derive(Debug, Parser)]
#[command(name = "badiya", version, about)]
pub struct Cli {
    /// Load geodata from this folder instead of the embedded default.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Open the window, save a PNG of it once a complete frame is drawn, and exit.
    #[arg(long, value_name = "FILE")]
    pub screenshot: Option<PathBuf>,
    /// Open the window, print how long it took to show its first complete
    /// frame (and the steps before it), and exit.
    #[arg(long, conflicts_with = "screenshot")]
    pub startup_report: bool,
    /// Draw the map through egui's own painter each frame instead of from
    /// buffers kept on the GPU (slower; for a driver that draws the map wrong).
    #[arg(long)]
    pub no_gpu_map: bool,
    /// Open on this place (a country, governorate or site name).
    #[arg(long, value_name = "NAME", conflicts_with = "bbox")]
    pub place: Option<String>,
    /// Open on this box: min lon, min lat, max lon, max lat.
    #[arg(long, value_name = "W,S,E,N", value_parser = parse_bbox, allow_hyphen_values = true)]
    pub bbox: Option<[f64; 4]>,
    /// The workspace file (default: the user's data folder, or $BADIYA_WORKSPACE).
    #[arg(long, value_name = "FILE")]
    pub workspace: Option<PathBuf>,
    /// Work on a team's shared store on PostgreSQL/PostGIS (a libpq-style
    /// URL, e.g. postgresql://alice@db.example/team; the password comes from
    /// PGPASSWORD or ~/.pgpass). Without it the private workspace is used.
    #[arg(long, global = true, value_name = "URL", env = "BADIYA_STORE")]
    pub store: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `badiya store …`: the team store's schema and roles.
#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Create (or bring up to date) the team store's schema, its PostGIS
    /// extension and the roles badiya_reader and badiya_editor.
    Init {
        /// The database, as a role allowed to create extensions and roles.
        url: String,
    },
    /// Let an existing PostgreSQL role read, or read and change, the store.
    Grant {
        url: String,
        /// The analyst's PostgreSQL role.
        role: String,
        #[arg(long = "as", value_enum)]
        access: Access,
    },
}

/// What a role may do in the team store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Access {
    /// Look and export.
    Reader,
    /// Look, export and change.
    Editor,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the reproducible stress corpus (about 5 KB a document, a few
    /// events each) into a folder, for benchmarks and `badiya ingest`.
    GenStress {
        /// The folder (created if missing; existing files of the same names are replaced).
        dir: PathBuf,
        /// How many documents.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// The same seed gives the same documents.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Also write a data folder here for `badiya --data`: the embedded
        /// layers plus 4 stress polygon layers, 1,000,000 vertices in all.
        #[arg(long, value_name = "DIR")]
        layers: Option<PathBuf>,
    },
    /// Set up a team store on PostgreSQL/PostGIS.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Load documents into the team store (--store URL) in bulk: read and
    /// extracted side by side, skipped when the store has the same text, so
    /// a run can be repeated or resumed after an interruption.
    Ingest {
        /// Folders (searched for .txt, .md, .html) and files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Validate a data folder (default: the embedded data) and report per layer.
    Check {
        /// Folder with layers.json; without it the embedded data is checked.
        dir: Option<PathBuf>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Extract incidents from documents and print them (GeoJSON, ACLED-style
    /// CSV, or KML with time stamps for Google Earth's time slider).
    Extract {
        /// Documents: .txt, .md, .html.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Geojson)]
        format: ExtractFormat,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the annotations of a workspace (.gpkg) or of an annotation
    /// GeoJSON file as GeoJSON or KML.
    Annotations {
        /// A workspace file (.gpkg) or annotations as badiya writes them (.geojson).
        input: PathBuf,
        #[arg(long, value_enum, default_value_t = DataFormat::Geojson)]
        format: DataFormat,
        /// Write here instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the places badiya finds in documents, one per line (document,
    /// byte span, the words as written, the gazetteer entry, and why that
    /// entry was chosen when several share the name).
    Places {
        /// Documents: .txt, .md, .html.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Export a map image (PNG with world file, or SVG) without opening a window.
    Export {
        /// Frame this place (a country, governorate or site); without it or
        /// --bbox, the whole region.
        #[arg(long, conflicts_with = "bbox")]
        place: Option<String>,
        /// Frame this box: min lon, min lat, max lon, max lat.
        #[arg(long, value_name = "W,S,E,N", value_parser = parse_bbox, allow_hyphen_values = true)]
        bbox: Option<[f64; 4]>,
        /// a4, a3 or WIDTHxHEIGHT in pixels.
        #[arg(long, default_value = "a4", value_parser = crate::export::parse_page_size)]
        size: crate::export::PageSize,
        #[arg(long, conflicts_with = "portrait")]
        landscape: bool,
        #[arg(long)]
        portrait: bool,
        /// Dots per inch: scales text and symbols, and is written into a PNG
        /// [default: 300 for a4/a3, 96 for a pixel size].
        #[arg(long)]
        dpi: Option<f32>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        subtitle: Option<String>,
        /// Annotations to draw (GeoJSON FeatureCollection as badiya writes it).
        #[arg(long, value_name = "FILE")]
        annotations: Option<PathBuf>,
        /// Leave the incident markers, their legend and the source list out.
        #[arg(long)]
        no_incidents: bool,
        /// Output file: .png (with .pgw and .prj beside it) or .svg.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

/// The DPI of `badiya export` when none is given: print resolution for paper,
/// screen resolution for a pixel size (so a `1000x700` page is laid out like a
/// 1000×700 window, not shrunk to a 3-inch print with tiny map).
pub fn default_export_dpi(size: crate::export::PageSize) -> f32 {
    match size {
        crate::export::PageSize::A4 | crate::export::PageSize::A3 => 300.0,
        crate::export::PageSize::Custom { .. } | crate::export::PageSize::CurrentView { .. } => {
            96.0
        }
    }
}

/// Output formats of `badiya extract`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    Geojson,
    Csv,
    Kml,
}

/// Output formats of `badiya annotations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Geojson,
    Kml,
}

/// Runs `badiya annotations`: reads the annotations of a workspace or of a
/// GeoJSON file and writes them in `format`.
pub fn annotations(input: &std::path::Path, format: DataFormat) -> anyhow::Result<String> {
    let is_workspace = input
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"));
    let items = if is_workspace {
        if !input.is_file() {
            anyhow::bail!("cannot read {}: no such workspace file", input.display());
        }
        let opened = crate::app::store::open_read_only(input);
        if opened.store.is_none() {
            anyhow::bail!("{}", opened.messages.join("; "));
        }
        opened.value.annotations.items().to_vec()
    } else {
        crate::annotate::load_geojson(input)?
    };
    Ok(match format {
        DataFormat::Geojson => serde_json::to_string_pretty(&crate::annotate::to_geojson(&items))?,
        DataFormat::Kml => crate::to_kml::annotations_kml(&items),
    })
}

/// Runs `badiya extract`: every readable file is extracted (same-event reports
/// merged across files); each unreadable one is reported with its name.
/// Returns the text to print and the problems met.
pub fn extract(
    files: &[PathBuf],
    format: ExtractFormat,
    data_dir: Option<&std::path::Path>,
) -> (String, Vec<String>) {
    let source = crate::geodata::DataSource::of(data_dir);
    // The gazetteer is built while the files are read and the patterns compiled.
    let ((gazetteer, warning), loaded) = rayon::join(
        || crate::corpus::gazetteer_for(&source),
        || {
            let loaded = files
                .iter()
                .map(|p| crate::docs::load_document(p))
                .collect::<Vec<_>>();
            crate::extract::warm_up();
            loaded
        },
    );
    let mut problems: Vec<String> = warning.into_iter().collect();
    let mut docs = Vec::new();
    for (path, loaded) in files.iter().zip(loaded) {
        match loaded {
            Ok(doc) => {
                let doc = crate::corpus::distinct_name(&docs, doc, path);
                if docs.iter().any(|d: &crate::docs::Document| d.id == doc.id) {
                    problems.push(format!(
                        "skipped {}: the same text was given twice",
                        path.display()
                    ));
                } else {
                    docs.push(doc);
                }
            }
            Err(e) => problems.push(format!("{e} ({})", path.display())),
        }
    }
    let corpus = crate::corpus::Corpus::new(docs, gazetteer, Vec::new());
    let text = match format {
        ExtractFormat::Geojson => {
            let value = crate::incidents::to_geojson(corpus.incidents());
            serde_json::to_string_pretty(&value)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        }
        ExtractFormat::Csv => crate::incidents::to_csv(corpus.incidents()),
        ExtractFormat::Kml => crate::to_kml::incidents_kml(corpus.incidents()),
    };
    (text, problems)
}

/// Runs `badiya places`: the place mentions of every readable file as
/// tab-separated lines, and the problems met.
pub fn places(files: &[PathBuf], data_dir: Option<&std::path::Path>) -> (String, Vec<String>) {
    let source = crate::geodata::DataSource::of(data_dir);
    let (gazetteer, warning) = crate::corpus::gazetteer_for(&source);
    let mut problems: Vec<String> = warning.into_iter().collect();
    let mut out = String::from("doc\tstart\tend\twritten\tid\tname\tkind\tcountry\treason\n");
    for path in files {
        let doc = match crate::docs::load_document(path) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("{e} ({})", path.display()));
                continue;
            }
        };
        for m in crate::extract::place_mentions(&doc, &gazetteer) {
            let e = &gazetteer.entries()[m.entry];
            let written = doc
                .original_slice(m.start, m.end)
                .replace(['\t', '\n'], " ");
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                doc.id,
                m.start,
                m.end,
                written,
                e.id,
                e.name,
                e.category,
                e.country.as_deref().unwrap_or(""),
                m.reason.as_deref().unwrap_or("")
            ));
        }
    }
    (out, problems)
}

/// Parses `minlon,minlat,maxlon,maxlat`, checking ranges and order.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [a, b, c, d] = parts[..] else {
        return Err(format!(
            "expected 4 numbers minlon,minlat,maxlon,maxlat, got {text:?}"
        ));
    };
    let mut v = [0.0; 4];
    for (slot, part) in v.iter_mut().zip([a, b, c, d]) {
        *slot = part
            .parse()
            .map_err(|_| format!("{part:?} is not a number"))?;
    }
    let [w, s, e, n] = v;
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) {
        return Err(format!(
            "longitude out of range in {text:?} (order is lon,lat)"
        ));
    }
    if !(-90.0..=90.0).contains(&s) || !(-90.0..=90.0).contains(&n) {
        return Err(format!(
            "latitude out of range in {text:?} (order is lon,lat)"
        ));
    }
    if w >= e || s >= n {
        return Err(format!("empty box {text:?}: min must be below max"));
    }
    Ok(v)
}

/// The result of `badiya check`, also printed as JSON.
#[derive(Debug, serde::Serialize)]
pub struct CheckReport {
    pub source: String,
    pub layers: std::collections::BTreeMap<String, usize>,
    pub errors: Vec<String>,
    pub border_length_km: Option<f64>,
}

/// Validates a data set.
pub fn check(dir: Option<&std::path::Path>) -> CheckReport {
    use geo::Length;
    let data = match dir {
        Some(d) => GeoData::from_dir(d),
        None => GeoData::embedded(),
    };
    let border_length_km = data.border().and_then(|f| match &f.geometry {
        geo::Geometry::MultiLineString(ml) => {
            Some((geo::Geodesic.length(ml) / 100.0).round() / 10.0)
        }
        _ => None,
    });
    CheckReport {
        source: data.source.to_string(),
        layers: data.counts().into_iter().collect(),
        errors: data.errors.iter().map(ToString::to_string).collect(),
        border_length_km,
    }
}

/// A check report as text.
pub fn check_text(report: &CheckReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "data: {}", report.source);
    for (name, count) in &report.layers {
        let _ = writeln!(out, "  {name:<14} {count:>5} features");
    }
    if let Some(km) = report.border_length_km {
        let _ = writeln!(out, "Iraq–Syria border: {km:.1} km (geodesic, WGS84)");
    }
    if report.errors.is_empty() {
        out.push_str("no problems found\n");
    } else {
        let _ = writeln!(out, "{} problems:", report.errors.len());
        for e in &report.errors {
            let _ = writeln!(out, "  {e}");
        }
    }
    out
}

/// Why writing the command's output failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader went away (`badiya check | head -1`): not an error for the user.
    #[error("the output pipe was closed")]
    Closed,
    #[error("cannot write the output: {0}")]
    Io(std::io::Error),
}

/// Writes `text` to standard output and flushes it. A closed pipe is told
/// apart from other failures (a full disk), which the caller reports.
pub fn write_stdout(text: &str) -> Result<(), OutputError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                OutputError::Closed
            } else {
                OutputError::Io(e)
            }
        })
}

/// Runs `badiya store grant`: makes `role` a member of badiya_reader or
/// badiya_editor (and of nothing more).
pub fn grant(url: &str, role: &str, access: Access) -> anyhow::Result<String> {
    let url = crate::team::StoreUrl::parse(url)?;
    let mut remote = crate::team::remote::Remote::connect(&url)?;
    let quoted = format!("\"{}\"", role.replace('"', "\"\""));
    let sql = match access {
        Access::Reader => {
            format!("REVOKE badiya_editor FROM {quoted}; GRANT badiya_reader TO {quoted};")
        }
        Access::Editor => format!("GRANT badiya_editor TO {quoted};"),
    };
    remote.client().batch_execute(&sql).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}",
            url.display(),
            e.as_db_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned())
        )
    })?;
    Ok(format!(
        "{role} may now {} the team store {}",
        match access {
            Access::Reader => "read",
            Access::Editor => "read and change",
        },
        url.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_parsing() {
        assert_eq!(parse_bbox("40,33,43,35"), Ok([40.0, 33.0, 43.0, 35.0]));
        assert!(
            parse_bbox("33,140,35,141")
                .unwrap_err()
                .contains("latitude out of range")
        );
        assert!(parse_bbox("43,33,40,35").unwrap_err().contains("empty box"));
        assert!(parse_bbox("1,2,3").is_err());
    }

    #[test]
    fn embedded_check_is_clean() {
        let report = check(None);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(report.layers["governorates"] >= 32, "{:?}", report.layers);
        let km = report.border_length_km.expect("border");
        assert!((km - 599.0).abs() <= 5.0);
    }
}
