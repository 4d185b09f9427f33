use std::path::PathBuf;
use std::process::ExitCode;

use biaozhu::store::Store;
use biaozhu::text::parse_user_dict;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: PathBuf,
    /// A jieba user dictionary: one `word [freq] [pos]` a line, `#` comments.
    file: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let content = std::fs::read(&args.file).map_err(|e| biaozhu::Error::io(&args.file, e))?;
    let (content, _) = biaozhu::text::decode(&content, &args.file)?;
    let entries = parse_user_dict(&content, &args.file)?;
    let mut store = Store::open_existing(&args.db)?;
    store.add_user_dict(&entries)?;
    outln!(
        "added {} words to the user dictionary of {}; `biaozhu pretag` uses them",
        entries.len(),
        args.db.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
