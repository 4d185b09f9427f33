use std::process::ExitCode;

use biaozhu::model::Status;
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(&args.db)?;
    let stats = store.stats()?;
    let (_, verdict) = biaozhu::project::train::project_tagger(&store)?;
    let history = store.model_history()?;
    if args.json {
        let runs: Vec<serde_json::Value> = history
            .iter()
            .map(|m| serde_json::json!({"id": m.id, "created_at_ms": m.created_at_ms, "report": m.report}))
            .collect();
        let value = serde_json::json!({
            "documents": stats.n_documents,
            "characters": stats.n_chars,
            "documents_by_status": stats.documents_by_status,
            "entities": stats.entities,
            "relations": stats.relations,
            "tagger": verdict,
            "training_runs": runs,
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
        let line = |name: &str, cells: &[String]| -> std::io::Result<()> {
            let cells: String = cells.iter().map(|c| format!("{c:>12}")).collect();
            outln!("{}{cells}", super::pad(name, 12))
        };
        outln!()?;
        let header: Vec<String> = statuses.iter().chain(&["total"]).map(|s| s.to_string()).collect();
        line(title, &header)?;
        let mut totals = [0usize; Status::ALL.len()];
        for (name, by_status) in rows {
            let counts = statuses.map(|s| by_status.get(s).copied().unwrap_or(0));
            for (total, n) in totals.iter_mut().zip(counts) {
                *total += n;
            }
            let cells: Vec<String> = counts
                .iter()
                .chain(&[counts.iter().sum()])
                .map(usize::to_string)
                .collect();
            line(name, &cells)?;
        }
        let cells: Vec<String> = totals
            .iter()
            .chain(&[totals.iter().sum()])
            .map(usize::to_string)
            .collect();
        line("total", &cells)
    };
    table("entities", &stats.entities)?;
    table("relations", &stats.relations)?;
    outln!()?;
    outln!("tagger      {verdict}")?;
    if !history.is_empty() {
        outln!("training runs (held-back F1, model / rules):")?;
        for m in &history {
            let f1 = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{x:.3}"));
            outln!(
                "  {:>4}  {:>7} sentences  {} / {}",
                m.id,
                m.report.n_sentences,
                f1(m.report.dev_f1_model),
                f1(m.report.dev_f1_rules)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
