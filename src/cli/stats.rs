use std::process::ExitCode;

use biaozhu::model::Status;
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file.
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(&args.db)?;
    let stats = store.stats()?;
    if args.json {
        let value = serde_json::json!({
            "documents": stats.n_documents,
            "characters": stats.n_chars,
            "documents_by_status": stats.documents_by_status,
            "entities": stats.entities,
            "relations": stats.relations,
        });
        outln!("{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("documents   {}", stats.n_documents)?;
    for (status, n) in &stats.documents_by_status {
        outln!("  {status:<12}{n}")?;
    }
    outln!("characters  {}", stats.n_chars)?;
    let statuses = Status::ALL.map(Status::as_str);
    let table = |title: &str,
                 rows: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>|
     -> std::io::Result<()> {
        outln!()?;
        outln!(
            "{title:<12}{:>10}{:>10}{:>10}{:>10}",
            statuses[0],
            statuses[1],
            statuses[2],
            "total"
        )?;
        let mut totals = [0usize; 3];
        for (name, by_status) in rows {
            let counts = statuses.map(|s| by_status.get(s).copied().unwrap_or(0));
            for (total, n) in totals.iter_mut().zip(counts) {
                *total += n;
            }
            outln!(
                "{}{:>10}{:>10}{:>10}{:>10}",
                super::pad(name, 12),
                counts[0],
                counts[1],
                counts[2],
                counts.iter().sum::<usize>()
            )?;
        }
        outln!(
            "{:<12}{:>10}{:>10}{:>10}{:>10}",
            "total",
            totals[0],
            totals[1],
            totals[2],
            totals.iter().sum::<usize>()
        )
    };
    table("entities", &stats.entities)?;
    table("relations", &stats.relations)?;
    Ok(ExitCode::SUCCESS)
}
