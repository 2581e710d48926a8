//! Thin entry point: parse arguments, run, map the result to an exit code.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

use badiya::cli::{Cli, Command, OutputError, write_stdout};

fn main() -> ExitCode {
    let launched = std::time::Instant::now();
    let cli = Cli::parse();
    match run(cli, launched) {
        Ok(code) => code,
        // `badiya extract … | head` closes the pipe early: end quietly, as head expects.
        Err(e) if matches!(e.downcast_ref(), Some(OutputError::Closed)) => ExitCode::SUCCESS,
        Err(e) => {
            warn(&format!("error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// A line on standard error; a closed standard error is not worth a panic.
fn warn(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn run(cli: Cli, launched: std::time::Instant) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::GenStress {
            dir,
            docs,
            seed,
            layers,
        }) => {
            let bytes = badiya::stress::write_stress_corpus(&dir, docs, seed)?;
            write_stdout(&format!(
                "wrote {docs} documents ({:.1} MB) to {}\n",
                bytes as f64 / 1e6,
                dir.display()
            ))?;
            if let Some(layers) = layers {
                let vertices = badiya::stress::write_stress_layers(&layers, seed)?;
                write_stdout(&format!(
                    "wrote a data folder with {} stress layers ({vertices} polygon vertices) to {}\n",
                    badiya::stress::STRESS_LAYERS,
                    layers.display()
                ))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Store { action }) => match action {
            badiya::cli::StoreAction::Init { url } => {
                let url = badiya::team::StoreUrl::parse(&url)?;
                let applied = badiya::team::remote::init(&url)?;
                for line in &applied {
                    write_stdout(&format!("{line}\n"))?;
                }
                write_stdout(&format!(
                    "the team store {} is ready ({} migration(s) applied); give analysts access with `badiya store grant`\n",
                    url.display(),
                    applied.len()
                ))?;
                Ok(ExitCode::SUCCESS)
            }
            badiya::cli::StoreAction::Grant { url, role, access } => {
                write_stdout(&format!("{}\n", badiya::cli::grant(&url, &role, access)?))?;
                Ok(ExitCode::SUCCESS)
            }
        },
        Some(Command::Ingest { paths }) => {
            let Some(store) = cli.store else {
                anyhow::bail!("ingest needs the team store: --store URL (or BADIYA_STORE)");
            };
            let url = badiya::team::StoreUrl::parse(&store)?;
            let files = badiya::team::ingest::collect_files(&paths).map_err(anyhow::Error::msg)?;
            let source = badiya::geodata::DataSource::of(cli.data.as_deref());
            let (gazetteer, warning) = badiya::corpus::gazetteer_for(&source);
            if let Some(w) = warning {
                warn(&format!("warning: {w}"));
            }
            let bar = indicatif::ProgressBar::new(files.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:40}] {pos}/{len} documents ({per_sec}, {eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            let report = badiya::team::ingest::ingest(&url, &files, &gazetteer, |done, _| {
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            for f in &report.failed {
                warn(&format!("skipped: {f}"));
            }
            write_stdout(&format!(
                "{}: {} files, {} added, {} already in the store, {} unreadable; documents in {:.1} s; {} incidents in the team's view ({} rows written) in {:.1} s\n",
                url.display(),
                report.files,
                report.added,
                report.skipped,
                report.failed.len(),
                report.seconds_documents,
                report.incidents,
                report.rows_written,
                report.seconds_incidents
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { dir, json }) => {
            let report = badiya::cli::check(dir.as_deref().or(cli.data.as_deref()));
            if json {
                write_stdout(&(serde_json::to_string_pretty(&report)? + "\n"))?;
            } else {
                write_stdout(&badiya::cli::check_text(&report))?;
            }
            Ok(if report.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Extract {
            files,
            format,
            output,
        }) => {
            let (text, problems) = badiya::cli::extract(&files, format, cli.data.as_deref());
            for p in &problems {
                warn(&format!("error: {p}"));
            }
            match output {
                Some(path) => badiya::workspace::write_atomic(&path, text.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
                None => write_stdout(&(text + "\n"))?,
            }
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Annotations {
            input,
            format,
            output,
        }) => {
            let text = badiya::cli::annotations(&input, format)?;
            match output {
                Some(path) => badiya::workspace::write_atomic(&path, text.as_bytes())
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
                None => write_stdout(&(text + "\n"))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Places { files }) => {
            let (text, problems) = badiya::cli::places(&files, cli.data.as_deref());
            for p in &problems {
                warn(&format!("error: {p}"));
            }
            write_stdout(&text)?;
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Export {
            place,
            bbox,
            size,
            landscape: _,
            portrait,
            dpi,
            title,
            subtitle,
            annotations,
            no_incidents,
            output,
        }) => {
            // The map data and the seed documents' incidents are independent:
            // read one while the other is extracted.
            let source = badiya::geodata::DataSource::of(cli.data.as_deref());
            let (data, corpus) = rayon::join(
                || badiya::geodata::GeoData::load(&source),
                || {
                    (!no_incidents).then(|| {
                        badiya::corpus::Corpus::new(
                            badiya::docs::seed_documents(),
                            badiya::corpus::gazetteer_for(&source).0,
                            Vec::new(),
                        )
                    })
                },
            );
            for e in &data.errors {
                warn(&format!("warning: {e}"));
            }
            if data.layers.iter().all(|l| l.features.is_empty()) {
                anyhow::bail!(
                    "no map data in {}: nothing to export",
                    cli.data.as_deref().map_or_else(
                        || "the embedded data".to_owned(),
                        |d| d.display().to_string()
                    )
                );
            }
            let overlay = corpus
                .as_ref()
                .map(|c| {
                    badiya::overlay::incident_overlay(
                        c,
                        &badiya::incidents::Filter::default(),
                        None,
                    )
                })
                .unwrap_or_default();
            let args = badiya::export::ExportArgs {
                place,
                bbox,
                size,
                orientation: if portrait {
                    badiya::export::Orientation::Portrait
                } else {
                    badiya::export::Orientation::Landscape
                },
                dpi: dpi.unwrap_or_else(|| badiya::cli::default_export_dpi(size)),
                title,
                subtitle,
                annotations,
                no_incidents,
                output,
            };
            let report = badiya::export::run_cli(
                &args,
                &data,
                &badiya::export::Overlay {
                    markers: &overlay.markers,
                    legend: &overlay.legend,
                    sources: &overlay.sources,
                },
            )?;
            write_stdout(&format!("{report}\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let view = match (cli.place, cli.bbox) {
                (Some(name), _) => badiya::app::InitialView::Place(name),
                (None, Some(b)) => badiya::app::InitialView::BBox(b),
                (None, None) => badiya::app::InitialView::Region,
            };
            badiya::app::run(badiya::app::Options {
                data_dir: cli.data,
                view,
                screenshot: cli.screenshot,
                startup_report: cli.startup_report.then_some(launched),
                map_on_gpu: !cli.no_gpu_map,
                workspace: Some(
                    cli.workspace
                        .unwrap_or_else(badiya::workspace::default_path),
                ),
                store: cli.store,
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
