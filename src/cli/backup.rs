use std::process::ExitCode;

use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file.
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Where the copy goes: one self-contained file, replaced whole.
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (n_documents, n_entities) = Store::backup(&args.db, &args.out)?;
    outln!(
        "copied {} to {} ({n_documents} documents, {n_entities} entities, saved edits in the write-ahead log included) in {:.2}s",
        args.db.display(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}
