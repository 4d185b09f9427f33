//! Learned models and what they train on: the accepted layers that count as training
//! documents, storing a model (one row a run, bytes for the newest), reading it back.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::db::{OptionalExtension as _, Row, params};

use super::{Store, now_ms};
use crate::model::{
    ANNOTATOR_GOLD, ANNOTATOR_PRETAG, DocStatus, DocumentId, ModelRecord, Status, TrainReport, TrainingDocument,
};
use crate::{Error, Result};

/// Accepted entities of one layer: `[char_start, char_end)` and label.
type Spans = Vec<(usize, usize, String)>;

/// Whose layers to train on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingLayers {
    /// Every annotator's; where a document has a gold layer, that one alone.
    All,
    /// One annotator's.
    Annotator(String),
}

/// The training documents and whose they are.
#[derive(Debug, Clone, Default)]
pub struct TrainingSet {
    pub documents: Vec<TrainingDocument>,
    pub annotators: Vec<String>,
    /// Documents with accepted entities left out because suggestions in them wait for review.
    pub n_unreviewed: usize,
}

impl Store {
    /// The layers to learn from. A document's layer counts when it is complete: the document
    /// is marked done, or no suggestion in it waits for review, or the layer was imported
    /// from a labelled record (then even with no entities at all). The key of each training
    /// document is its document id, so that layers of one text stay on one side of a split.
    pub fn training_set(&self, layers: &TrainingLayers) -> Result<TrainingSet> {
        let mut by_layer: BTreeMap<(DocumentId, String), Spans> = BTreeMap::new();
        {
            let mut stmt = self.db.prepare(
                "SELECT document_id, annotator, char_start, char_end, label FROM entities
                 WHERE status = ?1 AND annotator != ?2 ORDER BY document_id, annotator, char_start",
            )?;
            let rows = stmt.query_map(params![Status::Accepted.as_str(), ANNOTATOR_PRETAG], |row| {
                Ok((
                    DocumentId(row.get(0)?),
                    row.get::<String>(1)?,
                    row.get::<i64>(2)? as usize,
                    row.get::<i64>(3)? as usize,
                    row.get::<String>(4)?,
                ))
            })?;
            for row in rows {
                let (document, annotator, start, end, label) = row?;
                by_layer
                    .entry((document, annotator))
                    .or_default()
                    .push((start, end, label));
            }
        }
        let labelled: BTreeSet<(DocumentId, String)> = {
            let mut stmt = self.db.prepare("SELECT document_id, annotator FROM labelled_layers")?;
            let rows = stmt.query_map(params![], |row| Ok((DocumentId(row.get(0)?), row.get(1)?)))?;
            rows.collect::<Result<_>>()?
        };
        for layer in &labelled {
            by_layer.entry(layer.clone()).or_default();
        }
        let (done, unreviewed): (BTreeSet<DocumentId>, BTreeSet<DocumentId>) = {
            let mut stmt = self.db.prepare(
                "SELECT d.id, d.status, coalesce(c.n_suggested, 0) FROM documents d
                 LEFT JOIN document_counts c ON c.document_id = d.id",
            )?;
            let rows = stmt.query_map(params![], |row| {
                Ok((
                    DocumentId(row.get(0)?),
                    super::rows::parse_doc_status(row, 1)?,
                    row.get::<i64>(2)?,
                ))
            })?;
            let (mut done, mut unreviewed) = (BTreeSet::new(), BTreeSet::new());
            for row in rows {
                let (id, status, n_suggested) = row?;
                if status == DocStatus::Done {
                    done.insert(id);
                } else if n_suggested > 0 {
                    unreviewed.insert(id);
                }
            }
            (done, unreviewed)
        };
        let has_gold: BTreeSet<DocumentId> = by_layer
            .keys()
            .filter(|(_, a)| a == ANNOTATOR_GOLD)
            .map(|(d, _)| *d)
            .collect();
        let mut set = TrainingSet::default();
        let mut annotators = BTreeSet::new();
        let mut texts: HashMap<DocumentId, String> = HashMap::new();
        let mut skipped = BTreeSet::new();
        for ((document, annotator), entities) in by_layer {
            let wanted = match layers {
                TrainingLayers::All => !has_gold.contains(&document) || annotator == ANNOTATOR_GOLD,
                TrainingLayers::Annotator(name) => *name == annotator,
            };
            if !wanted {
                continue;
            }
            let complete = done.contains(&document)
                || !unreviewed.contains(&document)
                || labelled.contains(&(document, annotator.clone()));
            if !complete {
                skipped.insert(document);
                continue;
            }
            let text = match texts.get(&document) {
                Some(text) => text.clone(),
                None => {
                    let text = self.document_text(document)?;
                    texts.insert(document, text.clone());
                    text
                }
            };
            annotators.insert(annotator);
            set.documents.push(TrainingDocument {
                key: document.0 as u64,
                text,
                entities,
            });
        }
        set.annotators = annotators.into_iter().collect();
        set.n_unreviewed = skipped.len();
        Ok(set)
    }

    /// The annotators whose layer of `document` came in complete from a labelled import.
    pub fn labelled_layers_of(&self, document: DocumentId) -> Result<Vec<String>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT annotator FROM labelled_layers WHERE document_id = +?1 ORDER BY annotator")?;
        let rows = stmt.query_map(params![document.0], |row| row.get(0))?;
        rows.collect::<Result<_>>()
    }

    /// Stores a trained model as the project's newest, in one transaction; older runs keep
    /// their records (the learning curve) but give up their bytes.
    pub fn save_model(&mut self, report: &TrainReport, feature_version: u32, bytes: &[u8]) -> Result<i64> {
        self.require_role(crate::model::Role::Curator, "saving a model")?;
        let tx = self.db.write_transaction()?;
        tx.execute("UPDATE models SET bytes = NULL WHERE bytes IS NOT NULL", params![])?;
        let id = tx.query_row(
            "INSERT INTO models(created_at_ms, feature_version, n_documents, n_sentences, labels,
                                dev_f1_model, dev_f1_rules, report, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
            params![
                now_ms(),
                feature_version,
                report.n_documents as i64,
                report.n_sentences as i64,
                serde_json::to_string(&report.labels)?,
                report.dev_f1_model,
                report.dev_f1_rules,
                serde_json::to_string(report)?,
                bytes,
            ],
            |row| row.get(0),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Every training run, oldest first.
    pub fn model_history(&self) -> Result<Vec<ModelRecord>> {
        let mut stmt = self
            .db
            .prepare("SELECT id, created_at_ms, feature_version, report, bytes IS NOT NULL FROM models ORDER BY id")?;
        let rows = stmt.query_map(params![], record_from_row)?;
        rows.map(|row| row?).collect()
    }

    /// The newest model's record and bytes, if the project has one.
    pub fn latest_model(&self) -> Result<Option<(ModelRecord, Vec<u8>)>> {
        let row = self
            .db
            .query_row(
                "SELECT id, created_at_ms, feature_version, report, 1, bytes FROM models
                 WHERE bytes IS NOT NULL ORDER BY id DESC LIMIT 1",
                params![],
                |row| Ok((record_from_row(row)?, row.get::<Vec<u8>>(5)?)),
            )
            .optional()?;
        match row {
            Some((record, bytes)) => Ok(Some((record?, bytes))),
            None => Ok(None),
        }
    }
}

fn record_from_row(row: &Row) -> Result<Result<ModelRecord>> {
    let (id, created_at_ms, feature_version, report, has_bytes): (i64, i64, u32, String, bool) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
    Ok(serde_json::from_str::<TrainReport>(&report)
        .map_err(|e| Error::Invalid(format!("model {id} has an unreadable report: {e}")))
        .map(|report| ModelRecord {
            id,
            created_at_ms,
            feature_version,
            report,
            has_bytes,
        }))
}
