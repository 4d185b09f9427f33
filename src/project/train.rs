//! Training a project's model: gather what annotators accepted (and labelled files),
//! train, store the model; build the project's tagger from rules, gazetteer and model.

use std::path::PathBuf;
use std::time::Instant;

use crate::model::{TrainReport, TrainingDocument};
use crate::pretag::{Gazetteer, Learned, Pretagger, TrainPhase, TrainSettings};
use crate::store::{Store, TrainingLayers};
use crate::{Error, Result};

/// What to train on and how.
#[derive(Debug, Clone)]
pub struct TrainRequest {
    pub layers: TrainingLayers,
    /// Labelled files to learn from besides the project's annotations.
    pub files: Vec<PathBuf>,
    pub settings: TrainSettings,
}

impl Default for TrainRequest {
    fn default() -> Self {
        TrainRequest {
            layers: TrainingLayers::All,
            files: Vec::new(),
            settings: TrainSettings::default(),
        }
    }
}

/// What a project's training run did.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    pub model_id: i64,
    pub report: TrainReport,
    /// Documents with accepted entities left out: suggestions in them wait for review.
    pub n_unreviewed: usize,
}

/// Trains a model on the project's complete layers (and `request.files`), scores it and the
/// rules on held-back documents, and stores it as the project's newest model. The project's
/// tagger uses it from then on if it beat the rules ([`project_tagger`]).
pub fn train_project(
    store: &mut Store,
    request: &TrainRequest,
    on_progress: &mut dyn FnMut(TrainPhase, usize, usize),
) -> Result<TrainOutcome> {
    let started = Instant::now();
    let set = store.training_set(&request.layers)?;
    let mut documents = set.documents;
    documents.extend(documents_from_files(&request.files)?);
    let known: std::collections::BTreeSet<String> = store.labels()?.into_iter().map(|l| l.name).collect();
    if let Some(label) = documents
        .iter()
        .flat_map(|d| d.entities.iter().map(|e| &e.2))
        .find(|label| !known.contains(*label))
    {
        return Err(Error::Invalid(format!(
            "label {label} of the training data is not in the project's schema: add it, or import the file first"
        )));
    }
    if documents.iter().all(|d| d.entities.is_empty()) {
        return Err(Error::Invalid(format!(
            "nothing to train on: no complete document has an accepted entity{}",
            if set.n_unreviewed > 0 {
                format!(
                    " ({} documents with accepted entities still have suggestions to review; mark them done)",
                    set.n_unreviewed
                )
            } else {
                String::new()
            }
        )));
    }
    let base = Pretagger::with_user_dict(&store.user_dict()?);
    let (_, rejected) = store.gazetteer_strings()?;
    let trained = crate::pretag::learned::train(&base, &documents, &rejected, request.settings, on_progress);
    let mut report = trained.report;
    report.annotators = set.annotators;
    report.train_seconds = started.elapsed().as_secs_f64();
    let model_id = store.save_model(&report, crate::learn::FEATURE_VERSION, &trained.model.to_bytes())?;
    Ok(TrainOutcome {
        model_id,
        report,
        n_unreviewed: set.n_unreviewed,
    })
}

/// Labelled files as training documents, keyed by their position. A file whose entities
/// overlap in one record is refused, naming it: a learner cannot take both.
pub fn documents_from_files(paths: &[PathBuf]) -> Result<Vec<TrainingDocument>> {
    let mut out = Vec::new();
    for path in paths {
        let (documents, _, _) =
            super::import::read_file(path, &super::import::ReadOptions::new(crate::model::ANNOTATOR_IMPORT))?;
        for (index, document) in documents.into_iter().enumerate() {
            let mut spans: Vec<(usize, usize)> = document.entities.iter().map(|e| (e.char_start, e.char_end)).collect();
            spans.sort_unstable();
            if let Some(pair) = spans.windows(2).find(|pair| pair[1].0 < pair[0].1) {
                return Err(Error::input(
                    path,
                    None,
                    format!(
                        "record {} ({}) has overlapping entities [{}, {}) and [{}, {}): a tagger cannot learn both",
                        index + 1,
                        document.name,
                        pair[0].0,
                        pair[0].1,
                        pair[1].0,
                        pair[1].1
                    ),
                ));
            }
            let key = out.len() as u64;
            out.push(TrainingDocument {
                key: u64::MAX - key,
                entities: document
                    .entities
                    .into_iter()
                    .map(|e| (e.char_start, e.char_end, e.label))
                    .collect(),
                text: document.text,
            });
        }
    }
    Ok(out)
}

/// `base` with a gazetteer of what `documents` accepted, and `learned` if given.
pub fn tagger_with(base: &Pretagger, documents: &[TrainingDocument], learned: Option<Learned>) -> Pretagger {
    let accepted = crate::pretag::learned::accepted_pairs(documents.iter());
    base.clone()
        .with_gazetteer(Gazetteer::new(accepted, Vec::new()))
        .with_learned(learned)
}

/// Which tagger the project uses and why, from the newest model's record alone: what
/// [`project_tagger`] would say, without building the tagger or reading the model.
pub fn verdict(store: &crate::store::Store) -> Result<String> {
    Ok(match store.model_history()?.into_iter().rev().find(|m| m.has_bytes) {
        None => "rules: the project has no trained model".to_owned(),
        Some(m) if m.feature_version != crate::learn::FEATURE_VERSION => format!(
            "rules: the stored model has features of version {}, this build reads {}: train again",
            m.feature_version,
            crate::learn::FEATURE_VERSION
        ),
        Some(m) => m.report.verdict(),
    })
}

/// The project's tagger and why: rules and gazetteer, plus the newest model when it beat
/// the rules on its held-out documents and this build reads its features.
pub fn project_tagger(store: &crate::store::Store) -> Result<(Pretagger, String)> {
    let rules = super::pretag::rules_tagger_for(store)?;
    let Some((record, bytes)) = store.latest_model()? else {
        return Ok((rules, "rules: the project has no trained model".to_owned()));
    };
    if !record.report.model_wins() {
        return Ok((rules, record.report.verdict()));
    }
    match crate::learn::Model::from_bytes(&bytes) {
        Err(crate::learn::ModelError::FeatureVersion { .. }) => Ok((rules, verdict(store)?)),
        Ok(model) => {
            let learned = Learned::new(std::sync::Arc::new(model));
            Ok((rules.with_learned(Some(learned)), record.report.verdict()))
        }
        Err(e) => Ok((rules, format!("rules: the stored model cannot be used ({e})"))),
    }
}

/// Documents nobody has worked on: new, with no accepted or rejected entity.
pub fn untouched_documents(store: &Store) -> Result<Vec<crate::model::DocumentId>> {
    Ok(store
        .documents()?
        .into_iter()
        .filter(|d| d.status == crate::model::DocStatus::New && d.n_accepted == 0 && d.n_rejected == 0)
        .map(|d| d.id)
        .collect())
}

/// Trains ([`train_project`]) and, when the new model is the project's tagger, pre-tags
/// the untouched documents with it, so their suggestions come from the model. Progress
/// goes to `on_progress` in thousandths of the whole: reading 40%, training 40%,
/// pre-tagging 20%. Returns the outcome and how many documents were pre-tagged again.
pub fn train_and_resuggest(
    store: &mut Store,
    request: &TrainRequest,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<(TrainOutcome, usize)> {
    let share = |done: usize, total: usize, of: usize| done * of / total.max(1);
    let outcome = train_project(store, request, &mut |phase, done, total| match phase {
        TrainPhase::Reading => on_progress(share(done, total, 400), 1000),
        TrainPhase::Training => on_progress(400 + share(done, total, 400), 1000),
    })?;
    if !outcome.report.model_wins() {
        return Ok((outcome, 0));
    }
    let (tagger, _) = project_tagger(store)?;
    let untouched = untouched_documents(store)?;
    let (n, _) = super::pretag::pretag_documents(store, &tagger, Some(&untouched), &mut |done, total| {
        on_progress(800 + share(done, total, 200), 1000)
    })?;
    Ok((outcome, n))
}
