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
        Store::copy_file(source, &snapshot.0)?;
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
            "{}: {} documents, {} entities, {} relations added",
            source.display(),
            summary.n_documents_added,
            summary.n_entities_added,
            summary.n_relations_added
        )?;
        for label in summary.labels_added {
            eprintln!("warning: label {label} was not in the schema and has been added");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// The project file.
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
        outln!(
            "  {:<10}{:>6}{:>6}{:>10}{:>10}{:>8}",
            "label",
            "A",
            "B",
            "exact-F1",
            "ovl-F1",
            "κ"
        )?;
        for (label, c) in agreement.per_label() {
            outln!(
                "  {}{:>6}{:>6}{:>10.3}{:>10.3}{:>8.3}",
                super::pad(label, 10),
                c.n_gold,
                c.n_pred,
                c.exact().f1,
                c.overlap().f1,
                agreement.kappa_per_label.get(label).copied().unwrap_or(f64::NAN)
            )?;
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
