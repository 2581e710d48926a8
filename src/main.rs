//! Thin entry point: parse arguments, run, map the result to an exit code.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

use badiya::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Check { dir, json }) => {
            let report = badiya::cli::check(dir.as_deref().or(cli.data.as_deref()));
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                badiya::cli::print_check(&report);
            }
            Ok(if report.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
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
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
