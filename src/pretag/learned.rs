//! The learned layer of the pre-tagger: what a model is trained on (each line with the
//! rules' and the gazetteer's spans as evidence), how it is trained and scored against the
//! rules, and how its spans join the rules' at tagging time.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Candidate, Gazetteer, LABELS, Pretagger, resolve, rules};
use crate::eval::Scores;
use crate::model::{TrainReport, TrainingDocument};
use crate::learn::{self, Corpus, Extractor, Line, LineSpan, Model, Scratch, SplitMix, TrainOptions};

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
fn hashes_of(sentence: &rules::Sentence<'_>, rules: &[Candidate], gazetteer: &Gazetteer, out: &mut Vec<u64>, extractor: &mut Extractor) {
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
    pub(super) fn combine(&self, learned: &Learned, sentence: &rules::Sentence<'_>, candidates: Vec<Candidate>) -> Vec<Candidate> {
        let rules = resolve(candidates);
        let predicted = BUFFERS.with(|buffers| {
            let (extractor, scratch, hashes) = &mut *buffers.borrow_mut();
            hashes_of(sentence, &rules, &self.gazetteer, hashes, extractor);
            learned.model.predict(hashes, scratch)
        });
        let mut out: Vec<Candidate> = rules.into_iter().filter(|c| !learned.labels.contains(&c.label)).collect();
        let taken = |out: &[Candidate], start: usize, end: usize| {
            out.iter().any(|c| c.char_start < end && start < c.char_end)
        };
        for p in predicted {
            if !taken(&out, p.char_start, p.char_end) {
                out.push(Candidate::new(p.char_start, p.char_end, learned.labels[p.label], SOURCE_MODEL, p.confidence));
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
            if e.0 >= line_end + 1 {
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
    // Split by key: shuffle the distinct keys, the first share is held out.
    let mut keys: Vec<u64> = documents.iter().map(|d| d.key).collect::<BTreeSet<_>>().into_iter().collect();
    SplitMix(settings.seed).shuffle(&mut keys);
    let n_dev_keys = if keys.len() >= 2 {
        ((keys.len() as f64 * settings.dev_fraction).ceil() as usize).clamp(1, keys.len() - 1)
    } else {
        0
    };
    let fold_of_key: HashMap<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let position = |d: &TrainingDocument| fold_of_key[&d.key];
    let is_dev = |d: &TrainingDocument| position(d) < n_dev_keys;
    let fold = |d: &TrainingDocument| position(d) % N_FOLDS;
    let accepted = |keep: &dyn Fn(&TrainingDocument) -> bool| -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for d in documents.iter().filter(|d| keep(d)) {
            for (start, end, label) in &d.entities {
                if let Some(piece) = crate::text::char_slice(&d.text, *start, *end) {
                    pairs.push((piece.to_owned(), label.clone()));
                }
            }
        }
        pairs
    };
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
    let mut extractor = Extractor::default();
    let mut hashes = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        for line in lines_of(doc, &mut report.n_entities_skipped) {
            let sentence = rules::Sentence::new(line.text, base.segmenter.tokens(line.text));
            let mut candidates = Vec::new();
            base.rule_candidates(&sentence, &mut candidates);
            let rules = resolve(candidates);
            hashes_of(&sentence, &rules, &fold_gazetteers[fold(doc)], &mut hashes, &mut extractor);
            let index = corpus.add(&hashes, &line.gold);
            report.n_sentences += 1;
            report.n_chars += sentence.chars.len();
            if is_dev(doc) { dev_lines.push(index) } else { train_lines.push(index) }
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
        report.dev_f1_rules = Some(rules_f1(base, train_gazetteer, documents, &is_dev, &labels));
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

/// Exact-span micro F1 of the rules with `gazetteer` on the held-out documents, over `labels`.
fn rules_f1(
    base: &Pretagger,
    gazetteer: Gazetteer,
    documents: &[TrainingDocument],
    is_dev: &dyn Fn(&TrainingDocument) -> bool,
    labels: &[String],
) -> f64 {
    let tagger = base.rules_only().with_gazetteer(gazetteer);
    let mut scores = Scores::default();
    for doc in documents.iter().filter(|d| is_dev(d)) {
        let predicted: Vec<(usize, usize, String)> = tagger
            .tag(&doc.text)
            .into_iter()
            .filter(|s| labels.iter().any(|l| l == s.label))
            .map(|s| (s.char_start, s.char_end, s.label.to_owned()))
            .collect();
        let gold: Vec<(usize, usize, String)> = doc
            .entities
            .iter()
            .filter(|e| !doc.text.chars().skip(e.0).take(e.1 - e.0).any(|c| c == '\n'))
            .cloned()
            .collect();
        scores.add(&gold, &predicted);
    }
    scores.micro().exact().f1
}
