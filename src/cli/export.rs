use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use biaozhu::formats::{ExportOptions, Format, export_to_path};
use biaozhu::store::{StatusFilter, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file.
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// The dataset format.
    #[arg(long, default_value = "doccano", value_parser = ["doccano"])]
    format: String,
    /// The output file.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Export suggestions too, not only accepted annotations. Rejected ones never are.
    #[arg(long)]
    include_suggestions: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = Store::open_existing(&args.db)?;
    let format = Format::parse(&args.format)
        .ok_or_else(|| biaozhu::Error::Invalid(format!("unknown format {:?}", args.format)))?;
    let options = ExportOptions {
        statuses: if args.include_suggestions {
            StatusFilter::AcceptedAndSuggested
        } else {
            StatusFilter::Accepted
        },
    };
    let summary = export_to_path(&store, format, options, &args.out)
        .with_context(|| format!("exporting {} to {}", args.db.display(), args.out.display()))?;
    eprintln!(
        "exported {} documents, {} entities, {} relations as {} to {} in {:.2}s",
        summary.n_documents,
        summary.n_entities,
        summary.n_relations,
        format.name(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
