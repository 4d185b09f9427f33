//! The pre-tagged layer: replacing a document's suggestions without touching human work,
//! and the gazetteer the pre-tagger learns from accepted and rejected entities.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::db::{Db, params};

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

/// One document's new pre-tagged layer, for [`Store::replace_suggestions_batch`].
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentSuggestions {
    pub document_id: DocumentId,
    pub suggestions: Vec<NewEntity>,
    /// Relations between `suggestions`, by index.
    pub relations: Vec<IndexedRelation>,
}

/// What every document of a batch shares: read once a transaction.
struct Shared {
    known_labels: HashSet<String>,
    types: HashMap<String, RelationType>,
    now: i64,
}

/// Spans sorted by start with the running maximum of their ends: whether any overlaps a
/// span is one binary search, however many there are (they may overlap one another: they
/// come from several annotators).
struct SpanIndex {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl SpanIndex {
    fn new(mut spans: Vec<CharSpan>) -> Self {
        spans.sort_unstable_by_key(|s| (s.char_start, s.char_end));
        let starts = spans.iter().map(|s| s.char_start).collect();
        let max_end = spans
            .iter()
            .scan(0, |max, s| {
                *max = (*max).max(s.char_end);
                Some(*max)
            })
            .collect();
        SpanIndex { starts, max_end }
    }

    fn overlaps(&self, span: CharSpan) -> bool {
        // The spans starting before `span` ends; one of them overlaps it if the furthest
        // end among them passes its start.
        let n = self.starts.partition_point(|start| *start < span.char_end);
        n > 0 && self.max_end[n - 1] > span.char_start
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
        let tx = self.bulk_transaction("pre-tagging")?;
        let shared = shared(&tx)?;
        let change = replace_in(&tx, &shared, document_id, suggestions, relations)?;
        super::check::require_valid(&tx, "pre-tagging", &BTreeSet::from([document_id]))?;
        tx.commit()?;
        Ok(change)
    }

    /// [`Store::replace_suggestions`] for many documents in one transaction: one sync for
    /// the batch instead of one a document. All or nothing.
    pub fn replace_suggestions_batch(&mut self, batch: &[DocumentSuggestions]) -> Result<SuggestionChange> {
        let tx = self.bulk_transaction("pre-tagging")?;
        let shared = shared(&tx)?;
        let mut total = SuggestionChange::default();
        for item in batch {
            total.add(replace_in(
                &tx,
                &shared,
                item.document_id,
                &item.suggestions,
                &item.relations,
            )?);
        }
        let touched: BTreeSet<DocumentId> = batch.iter().map(|item| item.document_id).collect();
        super::check::require_valid(&tx, "pre-tagging", &touched)?;
        tx.commit()?;
        Ok(total)
    }

    /// The distinct `(text, label)` pairs of accepted entities, and of rejected ones, for
    /// the project gazetteer. Sorted. Each document's text is read once and sliced here:
    /// `substr` in SQL would copy the whole text for every entity.
    pub fn gazetteer_strings(&self) -> Result<(Vec<TextLabel>, Vec<TextLabel>)> {
        let mut stmt = self.db.prepare(
            "SELECT document_id, char_start, char_end, label, status FROM entities
             WHERE status IN (?1, ?2) ORDER BY document_id",
        )?;
        let rows = stmt.query_map(params![Status::Accepted.as_str(), Status::Rejected.as_str()], |row| {
            Ok((
                row.get::<i64>(0)?,
                row.get::<i64>(1)? as usize,
                row.get::<i64>(2)? as usize,
                row.get::<String>(3)?,
                rows::parse_status(row, 4)?,
            ))
        })?;
        let (mut accepted, mut rejected) = (BTreeSet::new(), BTreeSet::new());
        let mut current: Option<(i64, String, crate::text::CharIndex)> = None;
        for row in rows {
            let (document, start, end, label, status) = row?;
            if current.as_ref().is_none_or(|(id, _, _)| *id != document) {
                let text = self.document_text(DocumentId(document))?;
                let index = crate::text::CharIndex::new(&text);
                current = Some((document, text, index));
            }
            let Some((_, text, index)) = &current else { continue };
            let Some(piece) = index.byte_range(start..end).and_then(|bytes| text.get(bytes)) else {
                continue;
            };
            let set = if status == Status::Accepted {
                &mut accepted
            } else {
                &mut rejected
            };
            set.insert((piece.to_owned(), label));
        }
        Ok((accepted.into_iter().collect(), rejected.into_iter().collect()))
    }
}

fn span_of(s: &NewEntity) -> CharSpan {
    CharSpan::new(s.char_start, s.char_end)
}

fn shared(tx: &Db) -> Result<Shared> {
    Ok(Shared {
        known_labels: tx
            .prepare_cached("SELECT name FROM labels")?
            .query_map(params![], |row| row.get(0))?
            .collect::<Result<_>>()?,
        types: super::schema::relation_types_placed(tx)?
            .into_iter()
            .map(|(t, _)| (t.name.clone(), t))
            .collect(),
        now: now_ms(),
    })
}

type SpanKey<'a> = (usize, usize, &'a str);

fn key_of(e: &Entity) -> SpanKey<'_> {
    (e.char_start, e.char_end, e.label.as_str())
}

fn new_key(s: &NewEntity) -> SpanKey<'_> {
    (s.char_start, s.char_end, s.label.as_str())
}

/// One document's replacement, inside the caller's transaction. Every test is a hash
/// lookup or a binary search: a document with thousands of accepted entities costs
/// O(n log n), not O(n²).
fn replace_in(
    tx: &Db,
    shared: &Shared,
    document_id: DocumentId,
    suggestions: &[NewEntity],
    relations: &[IndexedRelation],
) -> Result<SuggestionChange> {
    let suggested = Status::Suggested.as_str();
    tx.lock_document(document_id.0)?;
    let existing: Vec<Entity> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE document_id = +?1 ORDER BY char_start, char_end, id"
        ))?;
        stmt.query_map(params![document_id.0], entity_from_row)?
            .collect::<Result<_>>()?
    };
    type StoredRelation = (i64, EntityId, EntityId, String, String);
    let all_relations: Vec<StoredRelation> = tx
        .prepare_cached("SELECT id, head_id, tail_id, kind, status FROM relations WHERE document_id = +?1")?
        .query_map(params![document_id.0], |row| {
            Ok((
                row.get(0)?,
                EntityId(row.get(1)?),
                EntityId(row.get(2)?),
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<Result<_>>()?;
    // The ends of human relations pin their entities.
    let pinned: HashSet<i64> = all_relations
        .iter()
        .filter(|r| r.4 != suggested)
        .flat_map(|r| [r.1.0, r.2.0])
        .collect();
    let accepted = SpanIndex::new(
        existing
            .iter()
            .filter(|e| e.status == Status::Accepted)
            .map(Entity::span)
            .collect(),
    );
    let mut accepted_twin: HashMap<SpanKey<'_>, EntityId> = HashMap::new();
    let mut kept_suggestion: HashMap<SpanKey<'_>, EntityId> = HashMap::new();
    let mut refused: HashSet<SpanKey<'_>> = HashSet::new();
    for e in &existing {
        match e.status {
            Status::Accepted => {
                accepted_twin.entry(key_of(e)).or_insert(e.id);
            }
            Status::Rejected | Status::Superseded => {
                refused.insert(key_of(e));
            }
            Status::Suggested => {
                kept_suggestion.entry(key_of(e)).or_insert(e.id);
            }
        }
    }
    // A suggestion kept because a human relation pins it stays where it is, so nothing
    // else of its layer may overlap it; nor may two suggestions of one layer.
    let pinned_suggestions: Vec<&Entity> = existing
        .iter()
        .filter(|e| e.status == Status::Suggested && pinned.contains(&e.id.0))
        .collect();
    let pinned_suggestion = |s: &NewEntity| {
        pinned_suggestions
            .iter()
            .any(|e| e.annotator == s.annotator && key_of(e) != new_key(s) && e.span().overlaps(span_of(s)))
    };
    // The wanted suggestions of each annotator so far, by start: they never overlap, so
    // only the last one starting before a span ends can overlap it.
    let mut taken: HashMap<&str, std::collections::BTreeMap<usize, usize>> = HashMap::new();
    let mut wanted: Vec<bool> = Vec::with_capacity(suggestions.len());
    for s in suggestions {
        let layer = taken.entry(s.annotator.as_str()).or_default();
        let crowded = layer
            .range(..s.char_end)
            .next_back()
            .is_some_and(|(_, end)| *end > s.char_start);
        let blocked = accepted.overlaps(span_of(s)) || refused.contains(&new_key(s));
        let want = s.char_start < s.char_end && !blocked && !pinned_suggestion(s) && !crowded;
        if want {
            layer.insert(s.char_start, s.char_end);
        }
        wanted.push(want);
    }
    let offered: HashSet<SpanKey<'_>> = suggestions
        .iter()
        .zip(&wanted)
        .filter(|(_, w)| **w)
        .map(|(s, _)| new_key(s))
        .collect();
    let mut change = SuggestionChange::default();
    let mut deleted: HashSet<EntityId> = HashSet::new();
    for e in existing.iter().filter(|e| e.status == Status::Suggested) {
        if !pinned.contains(&e.id.0) && !offered.contains(&key_of(e)) {
            rows::put_entity(tx, e.id, &None)?;
            deleted.insert(e.id);
            change.n_removed += 1;
        }
    }
    // The stored entity each suggestion stands for: an accepted twin, a kept suggestion
    // or the row inserted now.
    let mut id_of: Vec<Option<EntityId>> = Vec::with_capacity(suggestions.len());
    let mut new_rows: Vec<(usize, EntityRow)> = Vec::new();
    for (i, (s, wanted)) in suggestions.iter().zip(&wanted).enumerate() {
        let id = if let Some(twin) = accepted_twin.get(&new_key(s)) {
            Some(*twin)
        } else if !*wanted {
            None
        } else if let Some(kept) = kept_suggestion.get(&new_key(s)) {
            change.n_kept += 1;
            Some(*kept)
        } else {
            if shared.known_labels.contains(&s.label) {
                let row = EntityRow {
                    status: Status::Suggested,
                    ..EntityRow::new(document_id, s, shared.now)
                };
                new_rows.push((i, row));
            }
            None
        };
        id_of.push(id);
    }
    let rows_in: Vec<EntityRow> = new_rows.iter().map(|(_, row)| *row).collect();
    for ((i, _), id) in new_rows.iter().zip(rows::insert_entities(tx, &rows_in)?) {
        id_of[*i] = Some(id);
        change.n_added += 1;
    }

    let mut wanted_relations: Vec<(EntityId, EntityId, &str, &str)> = Vec::new();
    let mut seen: HashSet<(EntityId, EntityId, &str)> = HashSet::new();
    for r in relations {
        let (Some(Some(head)), Some(Some(tail))) = (id_of.get(r.head), id_of.get(r.tail)) else {
            continue;
        };
        let fits = shared
            .types
            .get(&r.kind)
            .is_some_and(|t| t.allows(&suggestions[r.head].label, &suggestions[r.tail].label));
        if head != tail && fits && seen.insert((*head, *tail, r.kind.as_str())) {
            wanted_relations.push((*head, *tail, &r.kind, &r.source));
        }
    }
    // Deleting an entity above took its relations with it.
    let stored: Vec<&StoredRelation> = all_relations
        .iter()
        .filter(|r| !deleted.contains(&r.1) && !deleted.contains(&r.2))
        .collect();
    let stored_keys: HashSet<(EntityId, EntityId, &str)> = stored.iter().map(|s| (s.1, s.2, s.3.as_str())).collect();
    for (id, head, tail, kind, status) in &stored {
        if status == suggested && !seen.contains(&(*head, *tail, kind.as_str())) {
            change.n_relations_removed += tx.execute("DELETE FROM relations WHERE id = ?1", params![id])?;
        }
    }
    for (head, tail, kind, source) in wanted_relations {
        if stored_keys.contains(&(head, tail, kind)) {
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
            created_at_ms: shared.now,
            updated_at_ms: shared.now,
        };
        rows::insert_relation(tx, &row)?;
        change.n_relations_added += 1;
    }
    Ok(change)
}
