//! The pre-tagged layer: replacing a document's suggestions without touching human work,
//! and the gazetteer the pre-tagger learns from accepted and rejected entities.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::params;

use super::rows::{self, ENTITY_COLUMNS, EntityRow, RelationRow, entity_from_row};
use super::{Store, now_ms};
use crate::Result;
use crate::model::{
    ANNOTATOR_PRETAG, CharSpan, DocumentId, Entity, EntityId, IndexedRelation, NewEntity, RelationType, Status,
};

/// An entity's text and its label.
pub type TextLabel = (String, String);

/// What [`Store::replace_suggestions`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuggestionChange {
    pub n_added: usize,
    pub n_removed: usize,
    pub n_kept: usize,
    pub n_relations_added: usize,
    pub n_relations_removed: usize,
}

impl SuggestionChange {
    /// Adds another document's change to this total.
    pub fn add(&mut self, other: SuggestionChange) {
        self.n_added += other.n_added;
        self.n_removed += other.n_removed;
        self.n_kept += other.n_kept;
        self.n_relations_added += other.n_relations_added;
        self.n_relations_removed += other.n_relations_removed;
    }
}

impl Store {
    /// Makes `suggestions` the document's pre-tagged layer, in one transaction. Accepted
    /// and rejected entities are never touched: a suggestion that overlaps an accepted
    /// entity, or repeats a rejected one (same span and label), is dropped. Existing
    /// suggestions that are offered again keep their id, so running twice changes nothing.
    ///
    /// `relations` link suggestions by index. A relation whose end was dropped links the
    /// accepted entity with the same span and label instead, or is dropped too; one that
    /// repeats a rejected relation, or that its type does not allow, is not offered. The
    /// result keeps the dataset invariants of [`crate::integrity`]: no two suggestions of one
    /// layer overlap, and no suggested relation touches a rejected or missing end.
    pub fn replace_suggestions(
        &mut self,
        document_id: DocumentId,
        suggestions: &[NewEntity],
        relations: &[IndexedRelation],
    ) -> Result<SuggestionChange> {
        let suggested = Status::Suggested.as_str();
        let tx = super::write_transaction(&mut self.conn)?;
        let existing: Vec<Entity> = {
            let mut stmt = tx.prepare_cached(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = ?1 ORDER BY char_start, char_end, id"
            ))?;
            stmt.query_map([document_id.0], entity_from_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        let pinned: HashSet<i64> = tx
            .prepare_cached(
                "SELECT head_id FROM relations WHERE document_id = ?1 AND status != ?2
                 UNION SELECT tail_id FROM relations WHERE document_id = ?1 AND status != ?2",
            )?
            .query_map(params![document_id.0, suggested], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let same =
            |e: &Entity, s: &NewEntity| e.char_start == s.char_start && e.char_end == s.char_end && e.label == s.label;
        let blocked = |s: &NewEntity| {
            existing.iter().any(|e| match e.status {
                Status::Accepted => e.span().overlaps(span_of(s)),
                Status::Rejected | Status::Superseded => same(e, s),
                Status::Suggested => false,
            })
        };
        // A suggestion kept because a human relation pins it stays where it is, so nothing
        // else of its layer may overlap it; nor may two suggestions of one layer.
        let pinned_suggestion = |s: &NewEntity| {
            existing.iter().any(|e| {
                e.status == Status::Suggested
                    && pinned.contains(&e.id.0)
                    && e.annotator == s.annotator
                    && !same(e, s)
                    && e.span().overlaps(span_of(s))
            })
        };
        let mut wanted: Vec<bool> = Vec::with_capacity(suggestions.len());
        for (i, s) in suggestions.iter().enumerate() {
            let crowded = suggestions[..i]
                .iter()
                .zip(&wanted)
                .any(|(t, w)| *w && t.annotator == s.annotator && span_of(t).overlaps(span_of(s)));
            wanted.push(!blocked(s) && !pinned_suggestion(s) && !crowded);
        }
        let mut change = SuggestionChange::default();
        for e in existing.iter().filter(|e| e.status == Status::Suggested) {
            let offered = suggestions.iter().zip(&wanted).any(|(s, w)| *w && same(e, s));
            if !pinned.contains(&e.id.0) && !offered {
                rows::put_entity(&tx, e.id, &None)?;
                change.n_removed += 1;
            }
        }
        let now = now_ms();
        let known_labels: HashSet<String> = tx
            .prepare_cached("SELECT name FROM labels")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The stored entity each suggestion stands for: an accepted twin, a kept suggestion
        // or the row inserted now.
        let mut id_of: Vec<Option<EntityId>> = Vec::with_capacity(suggestions.len());
        for (s, wanted) in suggestions.iter().zip(&wanted) {
            let accepted_twin = existing.iter().find(|e| e.status == Status::Accepted && same(e, s));
            let kept = existing.iter().find(|e| e.status == Status::Suggested && same(e, s));
            let id = if let Some(twin) = accepted_twin {
                Some(twin.id)
            } else if !*wanted {
                None
            } else if let Some(kept) = kept {
                change.n_kept += 1;
                Some(kept.id)
            } else if known_labels.contains(&s.label) {
                let row = EntityRow {
                    status: Status::Suggested,
                    ..EntityRow::new(document_id, s, now)
                };
                change.n_added += 1;
                Some(rows::insert_entity(&tx, &row)?)
            } else {
                None
            };
            id_of.push(id);
        }

        let types: HashMap<String, RelationType> = super::schema::relation_types_placed(&tx)?
            .into_iter()
            .map(|(t, _)| (t.name.clone(), t))
            .collect();
        let mut wanted_relations: Vec<(EntityId, EntityId, &str, &str)> = Vec::new();
        for r in relations {
            let (Some(Some(head)), Some(Some(tail))) = (id_of.get(r.head), id_of.get(r.tail)) else {
                continue;
            };
            let fits = types
                .get(&r.kind)
                .is_some_and(|t| t.allows(&suggestions[r.head].label, &suggestions[r.tail].label));
            let repeated = wanted_relations
                .iter()
                .any(|w| (w.0, w.1, w.2) == (*head, *tail, r.kind.as_str()));
            if head != tail && fits && !repeated {
                wanted_relations.push((*head, *tail, &r.kind, &r.source));
            }
        }
        type StoredRelation = (i64, EntityId, EntityId, String, String);
        let stored: Vec<StoredRelation> = tx
            .prepare_cached("SELECT id, head_id, tail_id, kind, status FROM relations WHERE document_id = ?1")?
            .query_map([document_id.0], |row| {
                Ok((
                    row.get(0)?,
                    EntityId(row.get(1)?),
                    EntityId(row.get(2)?),
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, head, tail, kind, status) in &stored {
            let still_wanted = wanted_relations
                .iter()
                .any(|w| (w.0, w.1, w.2) == (*head, *tail, kind.as_str()));
            if status == suggested && !still_wanted {
                // Deleting a suggested entity above may have taken its relations already.
                change.n_relations_removed += tx.execute("DELETE FROM relations WHERE id = ?1", [id])?;
            }
        }
        for (head, tail, kind, source) in wanted_relations {
            if stored.iter().any(|s| (s.1, s.2, s.3.as_str()) == (head, tail, kind)) {
                continue;
            }
            let row = RelationRow {
                document_id,
                head,
                tail,
                kind,
                status: Status::Suggested,
                source,
                annotator: ANNOTATOR_PRETAG,
                created_at_ms: now,
                updated_at_ms: now,
            };
            rows::insert_relation(&tx, &row)?;
            change.n_relations_added += 1;
        }
        super::check::require_valid(&tx, "pre-tagging", &BTreeSet::from([document_id]))?;
        tx.commit()?;
        Ok(change)
    }

    /// The distinct `(text, label)` pairs of accepted entities, and of rejected ones, for
    /// the project gazetteer. Sorted.
    pub fn gazetteer_strings(&self) -> Result<(Vec<TextLabel>, Vec<TextLabel>)> {
        let pairs = |status: Status| -> Result<Vec<TextLabel>> {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT substr(d.text, e.char_start + 1, e.char_end - e.char_start) AS piece, e.label
                 FROM entities e JOIN documents d ON d.id = e.document_id
                 WHERE e.status = ?1 ORDER BY piece, e.label",
            )?;
            let rows = stmt.query_map([status.as_str()], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok((pairs(Status::Accepted)?, pairs(Status::Rejected)?))
    }
}

fn span_of(s: &NewEntity) -> CharSpan {
    CharSpan::new(s.char_start, s.char_end)
}
