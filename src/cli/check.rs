//! `biaozhu check`: the project's fsck. Prints one line per violation of the dataset
//! invariants, a summary, and exits 1 when it found any.

use std::collections::HashMap;
use std::process::ExitCode;

use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(&args.db)?;
    let violations = store.check()?;
    let documents = store.documents()?;
    let names: HashMap<_, _> = documents.iter().map(|d| (d.id, d.name.as_str())).collect();
    for violation in &violations {
        match violation.document_id.and_then(|id| names.get(&id)) {
            Some(name) => outln!("{violation} [{name}]")?,
            None => outln!("{violation}")?,
        }
    }
    let n_documents = violations
        .iter()
        .filter_map(|v| v.document_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if violations.is_empty() {
        outln!(
            "{}: {} documents checked, no violations",
            args.db.display(),
            documents.len()
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "{}: {} checked, {} in {}",
            args.db.display(),
            biaozhu::count(documents.len(), "document", "documents"),
            biaozhu::count(violations.len(), "violation", "violations"),
            biaozhu::count(n_documents, "document", "documents")
        )?;
        Ok(ExitCode::from(1))
    }
}
