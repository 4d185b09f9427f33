//! The learned layer of the pre-tagger: what a model is trained on (each line with the
//! rules' and the gazetteer's spans as evidence), how it is trained and scored against the
//! rules, and how its spans join the rules' at tagging time.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Candidate, Gazetteer, LABELS, Pretagger, resolve, rules};
use crate::learn::{self, Corpus, Extractor, Line, LineSpan, Model, Scratch, SplitMix, TrainOptions};
use crate::model::{TrainReport, TrainingDocument};

/// The source name of suggestions from the learned model.
pub const SOURCE_MODEL: &str = "model";

/// Gazetteer folds: a line's gazetteer evidence at training time comes from the strings the
/// other folds accepted, as it would for a text the model has not seen.
const N_FOLDS: usize = 5;

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct TrainSettings {
    pub seed: u64,
    /// The most passes over the data; the held-out documents pick how many are used.
    pub max_epochs: usize,
    /// The share of documents held out to score the model and the rules.
    pub dev_fraction: f64,
    /// Features seen fewer times are dropped.
    pub min_count: u32,
}

impl Default for TrainSettings {
    fn default() -> Self {
        TrainSettings {
            seed: 1,
            max_epochs: 10,
            dev_fraction: 0.1,
            min_count: 2,
        }
    }
}

/// Where training is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainPhase {
    /// Documents read into features.
    Reading,
    /// Passes over the data, held-out and final runs together.
    Training,
}

/// A trained model with its report.
#[derive(Debug, Clone)]
pub struct Trained {
    pub model: Model,
    pub report: TrainReport,
}

/// The learned layer a [`Pretagger`] carries.
#[derive(Debug, Clone)]
pub struct Learned {
    pub(super) model: Arc<Model>,
    /// The model's labels as the `'static` names suggestions carry.
    pub(super) labels: Vec<&'static str>,
}

impl Learned {
    pub fn new(model: Arc<Model>) -> Self {
        let labels = model.labels().iter().map(|l| intern(l)).collect();
        Learned { model, labels }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// A `'static` copy of a label name, made once per distinct name.
fn intern(label: &str) -> &'static str {
    if let Some(known) = LABELS.iter().find(|l| **l == label) {
        return known;
    }
    static NAMES: std::sync::Mutex<BTreeSet<&'static str>> = std::sync::Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(label) {
        return known;
    }
    let leaked: &'static str = Box::leak(label.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

thread_local! {
    static BUFFERS: std::cell::RefCell<(Extractor, Scratch, Vec<u64>)> = std::cell::RefCell::default();
}

fn line_spans(candidates: &[Candidate]) -> Vec<LineSpan<'static>> {
    candidates.iter().map(|c| (c.char_start, c.char_end, c.label)).collect()
}

/// The gazetteer's matches in a line, longest first, without overlaps.
fn gazetteer_spans(gazetteer: &Gazetteer, sentence: &rules::Sentence<'_>) -> Vec<Candidate> {
    let mut found = Vec::new();
    gazetteer.candidates(sentence.text, &sentence.index, &mut found);
    resolve(found)
}

/// The feature hashes of one line, with `rules` and the gazetteer's matches as evidence.
fn hashes_of(
    sentence: &rules::Sentence<'_>,
    rules: &[Candidate],
    gazetteer: &Gazetteer,
    out: &mut Vec<u64>,
    extractor: &mut Extractor,
) {
    let rule_spans = line_spans(rules);
    let gazetteer_spans = line_spans(&gazetteer_spans(gazetteer, sentence));
    out.clear();
    extractor.extract(
        &Line {
            chars: &sentence.chars,
            words: &sentence.tokens,
            rules: &rule_spans,
            gazetteer: &gazetteer_spans,
        },
        out,
    );
}

impl Pretagger {
    /// The model's spans for one line, joined with the rules' spans of labels the model does
    /// not know. Those go first: the model never saw their labels, so it cannot have learned
    /// where they end, and a model trained on a few ORG documents must not swallow the
    /// rules' persons and places. `candidates` are the rules' proposals.
    pub(super) fn combine(
        &self,
        learned: &Learned,
        sentence: &rules::Sentence<'_>,
        candidates: Vec<Candidate>,
    ) -> Vec<Candidate> {
        let rules = resolve(candidates);
        let predicted = BUFFERS.with(|buffers| {
            let (extractor, scratch, hashes) = &mut *buffers.borrow_mut();
            hashes_of(sentence, &rules, &self.gazetteer, hashes, extractor);
            learned.model.predict(hashes, scratch)
        });
        let mut out: Vec<Candidate> = rules
            .into_iter()
            .filter(|c| !learned.labels.contains(&c.label))
            .collect();
        let taken =
            |out: &[Candidate], start: usize, end: usize| out.iter().any(|c| c.char_start < end && start < c.char_end);
        for p in predicted {
            if !taken(&out, p.char_start, p.char_end) {
                out.push(Candidate::new(
                    p.char_start,
                    p.char_end,
                    learned.labels[p.label],
                    SOURCE_MODEL,
                    p.confidence,
                ));
            }
        }
        out.sort_unstable_by_key(|c| (c.char_start, c.char_end));
        out
    }

    /// This tagger without its learned layer: the rules and the gazetteer.
    pub fn rules_only(&self) -> Pretagger {
        Pretagger {
            learned: None,
            ..self.clone()
        }
    }
}

/// The `(text, label)` pairs of the documents' entities: what a gazetteer of them holds.
pub fn accepted_pairs<'d>(documents: impl Iterator<Item = &'d TrainingDocument>) -> Vec<(String, String)> {
    documents
        .flat_map(|d| {
            d.entities.iter().filter_map(|(start, end, label)| {
                crate::text::char_slice(&d.text, *start, *end).map(|piece| (piece.to_owned(), label.clone()))
            })
        })
        .collect()
}

/// One line of a training document, split off as the tagger splits texts.
struct TrainingLine<'d> {
    text: &'d str,
    /// In the line's chars.
    gold: Vec<(usize, usize, &'d str)>,
}

fn lines_of<'d>(doc: &'d TrainingDocument, n_skipped: &mut usize) -> Vec<TrainingLine<'d>> {
    let mut lines = Vec::new();
    let mut entities: Vec<&(usize, usize, String)> = doc.entities.iter().collect();
    entities.sort_by_key(|e| (e.0, e.1));
    let mut next = 0;
    let mut line_start = 0;
    for line in doc.text.split('\n') {
        let n_chars = line.chars().count();
        let line_end = line_start + n_chars;
        let mut gold = Vec::new();
        while let Some(e) = entities.get(next) {
            if e.0 > line_end {
                break;
            }
            next += 1;
            if e.0 >= line_start && e.1 <= line_end {
                gold.push((e.0 - line_start, e.1 - line_start, e.2.as_str()));
            } else {
                *n_skipped += 1;
            }
        }
        if !line.trim().is_empty() {
            lines.push(TrainingLine { text: line, gold });
        }
        line_start = line_end + 1;
    }
    *n_skipped += entities.len() - next;
    lines
}

/// Trains a model on `documents` with `base` (rules, user dictionary, no gazetteer needed)
/// for the evidence. `rejected` are the project's rejected `(text, label)` pairs.
///
/// Holds back `dev_fraction` of the documents (by key, seeded), trains on the rest to pick
/// the number of passes and score the model against the rules with a gazetteer of the
/// rest, fits the confidence calibration there, then trains on everything.
pub fn train(
    base: &Pretagger,
    documents: &[TrainingDocument],
    rejected: &[(String, String)],
    settings: TrainSettings,
    on_progress: &mut dyn FnMut(TrainPhase, usize, usize),
) -> Trained {
    let labels: Vec<String> = documents
        .iter()
        .flat_map(|d| d.entities.iter().map(|e| e.2.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Split by key in key order: the held-out documents are one contiguous block (which
    // block, the seed says), so that sentences of one article imported one a line stay on
    // one side, and the score is that of articles the model has not seen. The gazetteer
    // folds are contiguous blocks too.
    let keys: Vec<u64> = documents
        .iter()
        .map(|d| d.key)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let n_keys = keys.len();
    let n_dev_keys = if n_keys >= 2 {
        ((n_keys as f64 * settings.dev_fraction).ceil() as usize).clamp(1, n_keys - 1)
    } else {
        0
    };
    let n_blocks = n_keys.checked_div(n_dev_keys).unwrap_or(1).max(1);
    let dev_start = (SplitMix(settings.seed).next_u64() % n_blocks as u64) as usize * n_dev_keys;
    let position_of_key: HashMap<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let position = |d: &TrainingDocument| position_of_key[&d.key];
    let is_dev = |d: &TrainingDocument| (dev_start..dev_start + n_dev_keys).contains(&position(d));
    let fold = |d: &TrainingDocument| position(d) * N_FOLDS / n_keys.max(1);
    let accepted = |keep: &dyn Fn(&TrainingDocument) -> bool| accepted_pairs(documents.iter().filter(|d| keep(d)));
    let fold_gazetteers: Vec<Gazetteer> = (0..N_FOLDS)
        .map(|k| Gazetteer::new(accepted(&|d| fold(d) != k), rejected.to_vec()))
        .collect();
    let train_gazetteer = Gazetteer::new(accepted(&|d| !is_dev(d)), rejected.to_vec());

    let mut report = TrainReport {
        n_documents: documents.len(),
        labels: labels.clone(),
        seed: settings.seed,
        ..TrainReport::default()
    };
    let mut corpus = Corpus::new(labels.clone());
    let (mut train_lines, mut dev_lines) = (Vec::new(), Vec::new());
    let mut dev_texts = Vec::new();
    let mut extractor = Extractor::default();
    let mut hashes = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        for line in lines_of(doc, &mut report.n_entities_skipped) {
            let sentence = rules::Sentence::new(line.text, base.segmenter.tokens(line.text));
            let mut candidates = Vec::new();
            base.rule_candidates(&sentence, &mut candidates);
            let rules = resolve(candidates);
            hashes_of(
                &sentence,
                &rules,
                &fold_gazetteers[fold(doc)],
                &mut hashes,
                &mut extractor,
            );
            let index = corpus.add(&hashes, &line.gold);
            report.n_sentences += 1;
            report.n_chars += sentence.chars.len();
            if is_dev(doc) {
                dev_lines.push(index);
                dev_texts.push(line);
            } else {
                train_lines.push(index);
            }
        }
        on_progress(TrainPhase::Reading, i + 1, documents.len());
    }
    drop(fold_gazetteers);
    report.n_dev_documents = documents.iter().filter(|d| is_dev(d)).count();
    let options = TrainOptions {
        epochs: settings.max_epochs,
        seed: settings.seed,
        min_count: settings.min_count,
    };
    let mut epochs_done = 0;
    let mut calibration = None;
    let epochs = if dev_lines.is_empty() {
        settings.max_epochs
    } else {
        let total = 2 * settings.max_epochs;
        let outcome = learn::train(&mut corpus, &train_lines, &dev_lines, options, &mut |_| {
            epochs_done += 1;
            on_progress(TrainPhase::Training, epochs_done, total);
        });
        drop(outcome.model);
        let best = outcome.best.unwrap_or_default();
        report.dev_f1_model = Some(best.f1());
        let rules = rules_counts(base, train_gazetteer, &dev_texts, &labels);
        let total =
            |counts: &[(usize, usize, usize)]| counts.iter().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
        report.dev_f1_rules = Some(learn::f1(total(&rules)));
        report.n_dev_entities = total(&rules).0;
        report.dev_win_rate = Some(win_rate(&best.per_line, &rules, settings.seed, 1000));
        calibration = learn::calibrate(&best.outcomes);
        best.epoch.max(1)
    };
    let total = epochs_done + epochs;
    let all: Vec<usize> = (0..corpus.len()).collect();
    let outcome = learn::train(&mut corpus, &all, &[], TrainOptions { epochs, ..options }, &mut |_| {
        epochs_done += 1;
        on_progress(TrainPhase::Training, epochs_done, total);
    });
    let mut model = outcome.model;
    if let Some(calibration) = calibration {
        model.set_calibration(calibration);
    }
    report.epochs = epochs;
    report.n_features = model.n_features();
    Trained { model, report }
}

/// Exact-span counts `(n_gold, n_pred, n_correct)` of the rules with `gazetteer` on each
/// held-out line, over `labels`.
fn rules_counts(
    base: &Pretagger,
    gazetteer: Gazetteer,
    lines: &[TrainingLine<'_>],
    labels: &[String],
) -> Vec<(usize, usize, usize)> {
    let tagger = base.rules_only().with_gazetteer(gazetteer);
    lines
        .iter()
        .map(|line| {
            let predicted: Vec<(usize, usize, &str)> = tagger
                .tag(line.text)
                .into_iter()
                .filter(|s| labels.iter().any(|l| l == s.label))
                .map(|s| (s.char_start, s.char_end, s.label))
                .collect();
            let gold = line.gold.iter().filter(|g| labels.iter().any(|l| l == g.2));
            let n_gold = gold.clone().count();
            let n_correct = gold.filter(|g| predicted.contains(g)).count();
            (n_gold, predicted.len(), n_correct)
        })
        .collect()
}

/// The share of `n_resamples` bootstrap resamples of the held-out lines in which the model's
/// F1 beats the rules': how sure the gate can be that the model is better, not lucky.
pub(super) fn win_rate(
    model: &[(usize, usize, usize)],
    rules: &[(usize, usize, usize)],
    seed: u64,
    n_resamples: usize,
) -> f64 {
    let n = model.len().min(rules.len());
    if n == 0 {
        return 0.0;
    }
    let mut rng = SplitMix(seed ^ 0x5eed);
    let add = |a: (usize, usize, usize), b: (usize, usize, usize)| (a.0 + b.0, a.1 + b.1, a.2 + b.2);
    let mut wins = 0;
    for _ in 0..n_resamples {
        let (mut m, mut r) = ((0, 0, 0), (0, 0, 0));
        for _ in 0..n {
            let i = (rng.next_u64() % n as u64) as usize;
            m = add(m, model[i]);
            r = add(r, rules[i]);
        }
        wins += usize::from(learn::f1(m) > learn::f1(r));
    }
    wins as f64 / n_resamples as f64
}
