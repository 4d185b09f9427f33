use std::path::PathBuf;
use std::process::ExitCode;

use biaozhu::schema::Schema;
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: PathBuf,
    /// Write the project's labels and relation types to this JSON file.
    #[arg(long, value_name = "FILE", conflicts_with = "import")]
    export: Option<PathBuf>,
    /// Add or update labels and relation types from this JSON file (nothing is removed).
    #[arg(long, value_name = "FILE")]
    import: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_existing(&args.db)?;
    if let Some(path) = &args.import {
        let text = std::fs::read_to_string(path).map_err(|e| biaozhu::Error::io(path, e))?;
        let schema: Schema = serde_json::from_str(&text)
            .map_err(|e| biaozhu::Error::input(path, Some(e.line()), format!("not a biaozhu schema: {e}")))?;
        store.import_schema(&schema)?;
        outln!(
            "imported {} labels and {} relation types into {}",
            schema.labels.len(),
            schema.relation_types.len(),
            args.db.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let json = serde_json::to_string_pretty(&store.schema()?)?;
    match &args.export {
        Some(path) => std::fs::write(path, json + "\n").map_err(|e| biaozhu::Error::io(path, e))?,
        None => outln!("{json}")?,
    }
    Ok(ExitCode::SUCCESS)
}
