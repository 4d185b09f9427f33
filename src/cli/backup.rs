use std::process::ExitCode;

use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file, or a team server (`postgres://…`), copied in one snapshot.
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Where the copy goes: one self-contained file, replaced whole.
    #[arg(long, value_name = "FILE")]
    out: std::path::PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (n_documents, n_entities) = Store::backup(&args.db, &args.out)?;
    let (from, included) = match biaozhu::store::server_url(&args.db)? {
        // The address as the store shows it, without a password.
        Some(_) => (
            Store::open_existing(&args.db)?.path().display().to_string(),
            "one snapshot of the server",
        ),
        None => (
            args.db.display().to_string(),
            "saved edits in the write-ahead log included",
        ),
    };
    outln!(
        "copied {from} to {} ({n_documents} documents, {n_entities} entities, {included}) in {:.2}s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}
