//! `biaozhu eval --train FILE [--curve 500,2000,all]`: train on the first k sentences of a
//! file, score the tagger on a gold file, one row per k.

use std::time::Instant;

use biaozhu::eval::{LabelledSpan, Scores};
use biaozhu::model::TrainReport;
use biaozhu::pretag::{Learned, Pretagger, TrainSettings};
use biaozhu::project::train::{documents_from_files, tagger_with};

/// One point of the curve.
pub struct Point {
    pub n_sentences: usize,
    pub train_seconds: f64,
    pub report: TrainReport,
    /// The rules with a gazetteer of the training sentences.
    pub rules_f1: f64,
    /// Rules, gazetteer as evidence and the model, whatever the gate says.
    pub model_f1: f64,
    /// What a project with these sentences would use: the model only if it won on held-out data.
    pub tagger_f1: f64,
    pub chars_per_second: f64,
}

fn f1(tagger: &Pretagger, gold: &[(String, Vec<LabelledSpan>)], labels: &[String]) -> (f64, f64) {
    let started = Instant::now();
    let mut scores = Scores::default();
    let mut n_chars = 0;
    for (text, spans) in gold {
        n_chars += text.chars().count();
        let predicted: Vec<LabelledSpan> = tagger
            .tag(text)
            .into_iter()
            .filter(|s| labels.iter().any(|l| l == s.label))
            .map(|s| (s.char_start, s.char_end, s.label.to_owned()))
            .collect();
        let spans: Vec<LabelledSpan> = spans.iter().filter(|s| labels.contains(&s.2)).cloned().collect();
        scores.add(&spans, &predicted);
    }
    (
        scores.micro().exact().f1,
        n_chars as f64 / started.elapsed().as_secs_f64().max(1e-9),
    )
}

/// Trains on the first `k` sentences of `train` for each `k` of `sizes` (`None`: all) and
/// scores on `gold` over `labels`.
pub fn curve(
    train: &[std::path::PathBuf],
    sizes: &[Option<usize>],
    gold: &[(String, Vec<LabelledSpan>)],
    labels: &[String],
    seed: u64,
) -> anyhow::Result<Vec<Point>> {
    let documents = documents_from_files(train)?;
    let base = Pretagger::default();
    let mut points = Vec::new();
    for size in sizes {
        let k = size.unwrap_or(documents.len()).min(documents.len());
        let subset = &documents[..k];
        let started = Instant::now();
        let trained = biaozhu::pretag::learned::train(
            &base,
            subset,
            &[],
            TrainSettings {
                seed,
                ..TrainSettings::default()
            },
            &mut |_, _, _| {},
        );
        let train_seconds = started.elapsed().as_secs_f64();
        let rules = tagger_with(&base, subset, None);
        let learned = Learned::new(std::sync::Arc::new(trained.model));
        let with_model = tagger_with(&base, subset, Some(learned));
        let (rules_f1, _) = f1(&rules, gold, labels);
        let (model_f1, chars_per_second) = f1(&with_model, gold, labels);
        let tagger_f1 = if trained.report.model_wins() {
            model_f1
        } else {
            rules_f1
        };
        eprintln!(
            "{k} sentences: trained in {train_seconds:.1}s, rules {rules_f1:.3}, model {model_f1:.3}, held-out {:?} vs {:?}",
            trained.report.dev_f1_model, trained.report.dev_f1_rules
        );
        points.push(Point {
            n_sentences: trained.report.n_sentences,
            train_seconds,
            report: trained.report,
            rules_f1,
            model_f1,
            tagger_f1,
            chars_per_second,
        });
    }
    Ok(points)
}
