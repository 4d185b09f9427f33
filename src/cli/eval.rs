use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use biaozhu::eval::{LabelledSpan, RelationScores, Scores, SpanRelation, preset_map};
use biaozhu::pretag::jieba_pos_baseline;
use biaozhu::project::import::read_file;
use biaozhu::text::Segmenter;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold JSONL: `{"text", "entities": [[char_start, char_end, "LABEL"], ...]}` (doccano forms too).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Predictions in the same form, line by line with the gold file. Without it, the tagger runs.
    #[arg(long, value_name = "FILE")]
    pred: Option<PathBuf>,
    /// Rename gold labels: a preset (`cluener`) or `old=NEW,old=NEW`. Unmapped labels of a preset are dropped.
    #[arg(long)]
    map: Option<String>,
    /// Score only these labels (default: the labels of the mapped gold file).
    #[arg(long, value_delimiter = ',')]
    labels: Vec<String>,
    /// Which tagger to run without --pred: the full pre-tagger or the jieba POS baseline.
    #[arg(long, default_value = "pretag", value_parser = ["pretag", "jieba-pos"])]
    tagger: String,
    /// Print up to N missed and N spurious entities, for error analysis.
    #[arg(long, default_value_t = 0)]
    errors: usize,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Score the tagger of this project: rules, gazetteer and, if it won its gate, the model.
    #[arg(long, value_name = "PROJECT", conflicts_with_all = ["pred", "train"])]
    db: Option<PathBuf>,
    /// Train a model on these labelled files (any importable format) and score it.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    train: Vec<PathBuf>,
    /// With --train: a learning curve, training on the first k sentences for each k (`all`: every one).
    #[arg(long, value_delimiter = ',', requires = "train")]
    curve: Vec<String>,
    /// The training seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// A text with its entities and its relations.
type Line = (String, Vec<LabelledSpan>, Vec<SpanRelation>);

fn load(path: &std::path::Path) -> anyhow::Result<Vec<Line>> {
    let (documents, _, _) = read_file(path, &biaozhu::project::import::ReadOptions::new("eval"))?;
    Ok(documents
        .into_iter()
        .map(|d| {
            let relations = d
                .relations
                .iter()
                .filter_map(|r| {
                    let (h, t) = (d.entities.get(r.head)?, d.entities.get(r.tail)?);
                    Some(((h.char_start, h.char_end), (t.char_start, t.char_end), r.kind.clone()))
                })
                .collect();
            let spans = d
                .entities
                .into_iter()
                .map(|e| (e.char_start, e.char_end, e.label))
                .collect();
            (d.text, spans, relations)
        })
        .collect())
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (map, drop_unmapped): (BTreeMap<String, String>, bool) = match args.map.as_deref() {
        None => (BTreeMap::new(), false),
        Some(spec) => match preset_map(spec) {
            Some(pairs) => (
                pairs.into_iter().map(|(a, b)| (a.to_owned(), b.to_owned())).collect(),
                true,
            ),
            None => {
                let mut map = BTreeMap::new();
                for pair in spec.split(',') {
                    let (old, new) = pair.split_once('=').ok_or_else(|| {
                        biaozhu::Error::Invalid(format!(
                            "--map takes a preset (cluener) or old=NEW pairs, not {pair:?}"
                        ))
                    })?;
                    map.insert(old.to_owned(), new.to_owned());
                }
                (map, false)
            }
        },
    };
    let mut gold = load(&args.gold)?;
    for (_, spans, _) in &mut gold {
        *spans = spans
            .drain(..)
            .filter_map(|(s, e, label)| match map.get(&label) {
                Some(new) => Some((s, e, new.clone())),
                None if drop_unmapped => None,
                None => Some((s, e, label)),
            })
            .collect();
    }
    let labels: BTreeSet<String> = if args.labels.is_empty() {
        gold.iter()
            .flat_map(|(_, spans, _)| spans.iter().map(|s| s.2.clone()))
            .collect()
    } else {
        args.labels.iter().cloned().collect()
    };

    if !args.train.is_empty() {
        return curve_table(&args, &gold, &labels);
    }
    let started = Instant::now();
    let predictions: Vec<(Vec<LabelledSpan>, Vec<SpanRelation>)> = match &args.pred {
        Some(path) => {
            let pred = load(path)?;
            if pred.len() != gold.len() || pred.iter().zip(&gold).any(|(p, g)| p.0 != g.0) {
                return Err(biaozhu::Error::Invalid(format!(
                    "{} does not have the texts of {} line by line",
                    path.display(),
                    args.gold.display()
                ))
                .into());
            }
            pred.into_iter()
                .map(|(_, spans, relations)| (spans, relations))
                .collect()
        }
        None => {
            let segmenter = Segmenter::default();
            let tagger = super::tagger_of(args.db.as_deref())?;
            gold.iter()
                .map(|(text, _, _)| {
                    if args.tagger == "jieba-pos" {
                        let spans = jieba_pos_baseline(&segmenter, text)
                            .into_iter()
                            .map(|s| (s.char_start, s.char_end, s.label.to_owned()))
                            .collect();
                        return (spans, Vec::new());
                    }
                    let tagged = tagger.tag_all(text);
                    let relations = tagged
                        .relations
                        .iter()
                        .map(|r| {
                            let (h, t) = (&tagged.entities[r.head], &tagged.entities[r.tail]);
                            ((h.char_start, h.char_end), (t.char_start, t.char_end), r.kind.clone())
                        })
                        .collect();
                    let spans = tagged
                        .entities
                        .iter()
                        .map(|s| (s.char_start, s.char_end, s.label.to_owned()))
                        .collect();
                    (spans, relations)
                })
                .collect()
        }
    };
    let elapsed = started.elapsed();

    let mut scores = Scores::default();
    let mut relation_scores = RelationScores::default();
    let mut missed = Vec::new();
    let mut spurious = Vec::new();
    for ((text, gold_spans, gold_relations), (pred_spans, pred_relations)) in gold.iter().zip(&predictions) {
        relation_scores.add(gold_relations, pred_relations);
        if args.errors > 0 {
            let piece = |s: (usize, usize)| -> String { text.chars().skip(s.0).take(s.1 - s.0).collect() };
            for r in gold_relations.iter().filter(|r| !pred_relations.contains(r)) {
                missed.push(format!("{}\t{} → {}\t{text}", r.2, piece(r.0), piece(r.1)));
            }
            for r in pred_relations.iter().filter(|r| !gold_relations.contains(r)) {
                spurious.push(format!("{}\t{} → {}\t{text}", r.2, piece(r.0), piece(r.1)));
            }
        }
        let gold_spans: Vec<LabelledSpan> = gold_spans.iter().filter(|s| labels.contains(&s.2)).cloned().collect();
        let pred_spans: Vec<LabelledSpan> = pred_spans.iter().filter(|s| labels.contains(&s.2)).cloned().collect();
        scores.add(&gold_spans, &pred_spans);
        if args.errors > 0 {
            let piece = |s: &LabelledSpan| -> String { text.chars().skip(s.0).take(s.1 - s.0).collect() };
            let context = |s: &LabelledSpan| -> String {
                text.chars()
                    .skip(s.0.saturating_sub(8))
                    .take(s.1 - s.0.saturating_sub(8) + 8)
                    .collect()
            };
            for g in gold_spans.iter().filter(|g| !pred_spans.contains(g)) {
                missed.push(format!("{}\t{}\t{}", g.2, piece(g), context(g)));
            }
            for p in pred_spans.iter().filter(|p| !gold_spans.contains(p)) {
                spurious.push(format!("{}\t{}\t{}", p.2, piece(p), context(p)));
            }
        }
    }

    let micro = scores.micro();
    if args.json {
        let row = |c: &biaozhu::eval::Counts| {
            let (exact, overlap) = (c.exact(), c.overlap());
            serde_json::json!({
                "gold": c.n_gold, "pred": c.n_pred,
                "exact": {"precision": exact.precision, "recall": exact.recall, "f1": exact.f1},
                "overlap": {"precision": overlap.precision, "recall": overlap.recall, "f1": overlap.f1},
            })
        };
        let per_label: serde_json::Map<String, serde_json::Value> = scores
            .per_label
            .iter()
            .map(|(label, c)| (label.clone(), row(c)))
            .collect();
        let confusions: Vec<serde_json::Value> = scores
            .top_confusions(10)
            .into_iter()
            .map(|(g, p, n)| serde_json::json!({"gold": g, "pred": p, "count": n}))
            .collect();
        let per_type: serde_json::Map<String, serde_json::Value> = relation_scores
            .per_type
            .iter()
            .map(|(kind, c)| (kind.clone(), row(c)))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "sentences": gold.len(), "micro": row(&micro), "labels": per_label, "confusions": confusions,
                "relations": {"micro": row(&relation_scores.micro()), "types": per_type},
            }))?
        )?;
        return Ok(ExitCode::SUCCESS);
    }

    outln!(
        "{} sentences, {} labels, tagged in {:.2}s",
        gold.len(),
        labels.len(),
        elapsed.as_secs_f64()
    )?;
    outln!(
        "{:<10}{:>7}{:>7}   {:>7}{:>7}{:>7}   {:>9}{:>9}{:>9}",
        "label",
        "gold",
        "pred",
        "P",
        "R",
        "F1",
        "ovl-P",
        "ovl-R",
        "ovl-F1"
    )?;
    let print_row = |name: &str, c: &biaozhu::eval::Counts| -> std::io::Result<()> {
        let (e, o) = (c.exact(), c.overlap());
        outln!(
            "{:<10}{:>7}{:>7}   {:>7.3}{:>7.3}{:>7.3}   {:>9.3}{:>9.3}{:>9.3}",
            name,
            c.n_gold,
            c.n_pred,
            e.precision,
            e.recall,
            e.f1,
            o.precision,
            o.recall,
            o.f1
        )
    };
    for (label, counts) in &scores.per_label {
        print_row(label, counts)?;
    }
    print_row("micro", &micro)?;
    if !relation_scores.per_type.is_empty() {
        outln!()?;
        outln!(
            "{:<10}{:>7}{:>7}   {:>7}{:>7}{:>7}",
            "relation",
            "gold",
            "pred",
            "P",
            "R",
            "F1"
        )?;
        let relation_row = |name: &str, c: &biaozhu::eval::Counts| -> std::io::Result<()> {
            let e = c.exact();
            outln!(
                "{}{:>7}{:>7}   {:>7.3}{:>7.3}{:>7.3}",
                super::pad(name, 10),
                c.n_gold,
                c.n_pred,
                e.precision,
                e.recall,
                e.f1
            )
        };
        for (kind, counts) in &relation_scores.per_type {
            relation_row(kind, counts)?;
        }
        relation_row("micro", &relation_scores.micro())?;
    }
    outln!()?;
    outln!("top confusions (gold → predicted; O = no entity):")?;
    for (g, p, n) in scores.top_confusions(10) {
        outln!("  {g:>9} → {p:<9}{n:>6}")?;
    }
    if args.errors > 0 {
        outln!("\nmissed (label, gold text, context):")?;
        for line in missed.iter().take(args.errors) {
            outln!("  {line}")?;
        }
        outln!("\nspurious (label, predicted text, context):")?;
        for line in spurious.iter().take(args.errors) {
            outln!("  {line}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The learning-curve table of `--train` (`--curve`).
fn curve_table(args: &Args, gold: &[Line], labels: &BTreeSet<String>) -> anyhow::Result<ExitCode> {
    let sizes: Vec<Option<usize>> = if args.curve.is_empty() {
        vec![None]
    } else {
        args.curve
            .iter()
            .map(|k| match k.as_str() {
                "all" => Ok(None),
                k => k.parse().map(Some).map_err(|_| {
                    biaozhu::Error::Invalid(format!("--curve takes sentence counts and `all`, not {k:?}"))
                }),
            })
            .collect::<Result<_, _>>()?
    };
    let gold: Vec<(String, Vec<LabelledSpan>)> = gold.iter().map(|(t, s, _)| (t.clone(), s.clone())).collect();
    let labels: Vec<String> = labels.iter().cloned().collect();
    let points = super::curve::curve(&args.train, &sizes, &gold, &labels, args.seed)?;
    if args.json {
        let rows: Vec<serde_json::Value> = points
            .iter()
            .map(|p| {
                serde_json::json!({
                    "sentences": p.n_sentences, "train_seconds": p.train_seconds,
                    "rules_f1": p.rules_f1, "model_f1": p.model_f1, "tagger_f1": p.tagger_f1,
                    "uses_model": p.report.model_wins(),
                    "held_out_f1_model": p.report.dev_f1_model, "held_out_f1_rules": p.report.dev_f1_rules,
                    "held_out_win_rate": p.report.dev_win_rate,
                    "epochs": p.report.epochs, "features": p.report.n_features,
                    "chars_per_second": p.chars_per_second,
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "exact-span micro F1 on {} gold sentences over {}",
        gold.len(),
        labels.join(", ")
    )?;
    outln!(
        "{:>10}{:>9}{:>9}{:>9}{:>10}{:>16}{:>8}{:>10}{:>12}",
        "sentences",
        "rules",
        "model",
        "tagger",
        "uses",
        "held-out m/r",
        "epochs",
        "train s",
        "chars/s"
    )?;
    for p in &points {
        let held_out = match (p.report.dev_f1_model, p.report.dev_f1_rules) {
            (Some(m), Some(r)) => format!("{m:.3}/{r:.3}"),
            _ => "-".to_owned(),
        };
        outln!(
            "{:>10}{:>9.3}{:>9.3}{:>9.3}{:>10}{:>16}{:>8}{:>10.1}{:>12.0}",
            p.n_sentences,
            p.rules_f1,
            p.model_f1,
            p.tagger_f1,
            if p.report.model_wins() { "model" } else { "rules" },
            held_out,
            p.report.epochs,
            p.train_seconds,
            p.chars_per_second
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
