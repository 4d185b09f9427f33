use std::process::ExitCode;
use std::time::Instant;

use biaozhu::model::DocumentId;
use biaozhu::project::pretag::{pretag_documents, tagger_for};
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Only this document.
    #[arg(long, value_name = "ID")]
    doc: Option<i64>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store = Store::open_existing(&args.db)?;
    let tagger = tagger_for(&store)?;
    let only: Option<Vec<DocumentId>> = match args.doc {
        Some(id) => {
            store.document(DocumentId(id))?;
            Some(vec![DocumentId(id)])
        }
        None => None,
    };
    let mut progress = super::Progress::new("pre-tagging");
    let (n_documents, change) = pretag_documents(&mut store, &tagger, only.as_deref(), &mut |done, total| {
        progress.update(done, total)
    })?;
    progress.finish();
    outln!(
        "pre-tagged {n_documents} documents: {} suggestions added, {} removed, {} unchanged; {} relation suggestions added, {} removed, in {:.2}s",
        change.n_added,
        change.n_removed,
        change.n_kept,
        change.n_relations_added,
        change.n_relations_removed,
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::SUCCESS)
}
