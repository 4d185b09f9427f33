use std::path::PathBuf;
use std::process::ExitCode;

use biaozhu::project::review::compare;
use biaozhu::store::Store;
use biaozhu::text::Segmenter;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The project to merge into (created when missing).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: PathBuf,
    /// Other annotators' project files.
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<PathBuf>,
}

/// A copy of a teammate's project to read from, removed when dropped: the source file is
/// never migrated or otherwise changed, and its app may stay open.
struct Snapshot(PathBuf);

impl Snapshot {
    fn of(source: &std::path::Path, index: usize) -> anyhow::Result<Snapshot> {
        let path = std::env::temp_dir().join(format!("biaozhu-merge-{}-{index}.sqlite", std::process::id()));
        let snapshot = Snapshot(path);
        snapshot.remove();
        if biaozhu::store::server_url(source)?.is_some() {
            // One consistent read of the server, as a file.
            Store::backup(source, &snapshot.0)?;
        } else {
            Store::copy_file(source, &snapshot.0)?;
        }
        Ok(snapshot)
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.0.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        self.remove();
    }
}

pub fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let mut target = Store::open(&args.db)?;
    for (index, source) in args.sources.iter().enumerate() {
        let snapshot = Snapshot::of(source, index)?;
        let source_store = Store::open_existing(&snapshot.0)?;
        let summary = target.merge(&source_store)?;
        drop(source_store);
        drop(snapshot);
        outln!(
            "{}: {}, {}, {} added",
            source.display(),
            biaozhu::count(summary.n_documents_added, "document", "documents"),
            biaozhu::count(summary.n_entities_added, "entity", "entities"),
            biaozhu::count(summary.n_relations_added, "relation", "relations")
        )?;
        for label in summary.labels_added {
            eprintln!("warning: label {label} was not in the schema and has been added");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: PathBuf,
    /// Two annotators to compare (default: every pair).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    annotators: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn agree(args: AgreeArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_existing(&args.db)?;
    let pairs: Vec<(String, String)> = match args.annotators.as_slice() {
        [a, b] => vec![(a.clone(), b.clone())],
        [] => {
            let names: Vec<String> = store
                .annotators()?
                .into_iter()
                .filter(|n| n != biaozhu::model::ANNOTATOR_GOLD)
                .collect();
            let mut pairs = Vec::new();
            for (i, a) in names.iter().enumerate() {
                for b in &names[i + 1..] {
                    pairs.push((a.clone(), b.clone()));
                }
            }
            pairs
        }
        _ => return Err(biaozhu::Error::Invalid("--annotators takes two names: a,b".into()).into()),
    };
    if pairs.is_empty() {
        return Err(biaozhu::Error::Invalid(
            "the project has fewer than two annotators with accepted annotations".into(),
        )
        .into());
    }
    let segmenter = Segmenter::with_user_dict(&store.user_dict()?);
    let mut reports = Vec::new();
    for (a, b) in &pairs {
        let agreement = compare(&store, a, b, &segmenter)?;
        if args.json {
            let per_label: serde_json::Map<String, serde_json::Value> = agreement
                .per_label()
                .iter()
                .map(|(label, c)| {
                    (
                        label.clone(),
                        serde_json::json!({
                            "exact_f1": c.exact().f1, "overlap_f1": c.overlap().f1,
                            "kappa": agreement.kappa_per_label.get(label).copied(),
                            "a": c.n_gold, "b": c.n_pred,
                        }),
                    )
                })
                .collect();
            let confusion: Vec<serde_json::Value> = agreement
                .confusion
                .iter()
                .map(|((la, lb), n)| serde_json::json!({"a": la, "b": lb, "count": n}))
                .collect();
            reports.push(serde_json::json!({
                "a": a, "b": b, "documents": agreement.n_documents, "tokens": agreement.n_tokens,
                "exact_f1": agreement.exact_f1(), "overlap_f1": agreement.overlap_f1(),
                "kappa": agreement.kappa, "relation_f1": agreement.relation_f1(),
                "labels": per_label, "confusion": confusion,
            }));
            continue;
        }
        outln!(
            "{a} vs {b}: {} documents, {} tokens\n  exact-span F1 {:.3}, overlap F1 {:.3}, token κ {:.3}, relation F1 {:.3}",
            agreement.n_documents,
            agreement.n_tokens,
            agreement.exact_f1(),
            agreement.overlap_f1(),
            agreement.kappa,
            agreement.relation_f1()
        )?;
        let rows: Vec<LabelRow> = agreement
            .per_label()
            .iter()
            .map(|(label, c)| LabelRow {
                label,
                n_a: c.n_gold,
                n_b: c.n_pred,
                exact_f1: c.exact().f1,
                overlap_f1: c.overlap().f1,
                kappa: agreement.kappa_per_label.get(label).copied().unwrap_or(f64::NAN),
            })
            .collect();
        for line in label_table(&rows) {
            outln!("{line}")?;
        }
        if !agreement.confusion.is_empty() {
            outln!("  same span, labels (A → B):")?;
            for ((la, lb), n) in &agreement.confusion {
                outln!("    {la} → {lb}: {n}")?;
            }
        }
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&reports)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One label's line of `agree`'s table.
struct LabelRow<'a> {
    label: &'a str,
    n_a: usize,
    n_b: usize,
    exact_f1: f64,
    overlap_f1: f64,
    kappa: f64,
}

/// The per-label table, its header first, with columns as wide as their widest value so
/// that large counts stay apart.
fn label_table(rows: &[LabelRow<'_>]) -> Vec<String> {
    let label_width = rows
        .iter()
        .map(|r| super::display_width(r.label))
        .chain([8])
        .max()
        .unwrap_or(8)
        + 2;
    let count_width = rows
        .iter()
        .flat_map(|r| [r.n_a, r.n_b])
        .map(|n| n.to_string().len())
        .chain([4])
        .max()
        .unwrap_or(4)
        + 2;
    let header = format!(
        "  {}{:>count_width$}{:>count_width$}{:>10}{:>10}{:>8}",
        super::pad("label", label_width),
        "A",
        "B",
        "exact-F1",
        "ovl-F1",
        "κ"
    );
    std::iter::once(header)
        .chain(rows.iter().map(|r| {
            format!(
                "  {}{:>count_width$}{:>count_width$}{:>10.3}{:>10.3}{:>8.3}",
                super::pad(r.label, label_width),
                r.n_a,
                r.n_b,
                r.exact_f1,
                r.overlap_f1,
                r.kappa
            )
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{LabelRow, label_table};

    #[test]
    fn counts_of_a_hundred_thousand_or_more_stay_apart_and_under_their_headers() {
        let row = |label, n_a, n_b| LabelRow {
            label,
            n_a,
            n_b,
            exact_f1: 1.0,
            overlap_f1: 1.0,
            kappa: 1.0,
        };
        let lines = label_table(&[row("LOC", 363_257, 313_130), row("机构名称", 7, 12)]);
        let words: Vec<Vec<&str>> = lines.iter().map(|l| l.split_whitespace().collect()).collect();
        assert_eq!(words[1][..3], ["LOC", "363257", "313130"], "{lines:#?}");
        assert_eq!(words[2][..3], ["机构名称", "7", "12"]);
        let end_of = |line: &str, word: &str| line.find(word).map(|i| i + word.len());
        assert_eq!(end_of(&lines[0], " B"), end_of(&lines[1], "313130"), "{lines:#?}");
        assert_eq!(
            lines[1].len(),
            lines[2].len() - "机构名称".len() + 8,
            "the label column fits CJK: {lines:#?}"
        );
    }
}
