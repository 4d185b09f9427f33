//! `biaozhu bench-edit`: the time of an edit as the app makes it, on a copy of a project.

use std::path::PathBuf;
use std::process::ExitCode;

use biaozhu::gui::bench_edit::{EDIT_KINDS, measure_edits, synthetic_project};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file. It is copied first and the edits are made on the copy.
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
    /// How many edits: rounds of add span, move boundary, relabel, accept, undo and delete,
    /// each round on another document.
    #[arg(long, default_value_t = 600)]
    edits: usize,
    /// Create the project at --db first, with DOCS synthetic documents and ENTITIES
    /// non-overlapping entities spread over them (half suggestions, half accepted).
    #[arg(long, value_name = "DOCS,ENTITIES", value_parser = parse_synthetic, hide = true)]
    synthetic: Option<(usize, usize)>,
}

fn parse_synthetic(value: &str) -> Result<(usize, usize), String> {
    let parse = |s: &str| s.trim().replace('_', "").parse::<usize>().map_err(|e| e.to_string());
    match value.split_once(',') {
        Some((docs, entities)) => Ok((parse(docs)?, parse(entities)?)),
        None => Err("expected DOCS,ENTITIES".into()),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some((n_documents, n_entities)) = args.synthetic {
        let started = std::time::Instant::now();
        let mut progress = super::Progress::new("synthetic documents");
        synthetic_project(&args.db, n_documents, n_entities, &mut |done, total| {
            progress.update(done, total);
        })?;
        progress.finish();
        outln!(
            "created {} with {n_documents} documents and {n_entities} entities in {:.1} s",
            args.db.display(),
            started.elapsed().as_secs_f64()
        )?;
        if args.edits == 0 {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let report = measure_edits(&args.db, args.edits)?;
    outln!(
        "{} edits on {} of {} documents of a copy of {}, through the app's commands",
        report.n_edits,
        report.n_documents_edited,
        report.n_documents,
        args.db.display()
    )?;
    for (name, n, p50, p95) in &report.kinds {
        outln!("  {name:<14} {n:>6}  p50 {p50:.2} ms  p95 {p95:.2} ms")?;
    }
    debug_assert_eq!(report.kinds.len(), EDIT_KINDS.len());
    outln!("edit p50 {:.2} ms p95 {:.2} ms", report.p50_ms, report.p95_ms)?;
    Ok(ExitCode::SUCCESS)
}
