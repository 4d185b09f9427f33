//! Span logic for annotating: snapping to words, moving boundaries, choosing the next span.
//! Pure functions over char offsets, used by the app and tested without it.

use crate::model::{CharSpan, Entity, EntityId, Status};

/// The char offsets where jieba words start or end, sorted, from `0` to the text's length.
pub fn word_boundaries(tokens: &[crate::model::Token<'_>], n_chars: usize) -> Vec<usize> {
    let mut boundaries: Vec<usize> = tokens.iter().flat_map(|t| [t.char_start, t.char_end]).collect();
    boundaries.push(0);
    boundaries.push(n_chars);
    boundaries.sort_unstable();
    boundaries.dedup();
    boundaries
}

/// The span a drag from char `a` to char `b` (either order, both inclusive) selects,
/// widened to whole words: from the start of the word holding the first char to the
/// end of the word holding the last.
pub fn snap_to_words(boundaries: &[usize], a: usize, b: usize) -> CharSpan {
    let (first, last) = (a.min(b), a.max(b));
    let start = match boundaries.binary_search(&first) {
        Ok(_) => first,
        Err(i) => boundaries.get(i.wrapping_sub(1)).copied().unwrap_or(first),
    };
    let end = match boundaries.binary_search(&(last + 1)) {
        Ok(_) => last + 1,
        Err(i) => boundaries.get(i).copied().unwrap_or(last + 1),
    };
    CharSpan::new(start, end)
}

/// The exact characters of a drag from `a` to `b`, both inclusive.
pub fn exact_span(a: usize, b: usize) -> CharSpan {
    CharSpan::new(a.min(b), a.max(b) + 1)
}

/// `span` with its start moved by `delta_start` and its end by `delta_end`, if it stays
/// non-empty and inside `[0, n_chars)`.
pub fn moved(span: CharSpan, delta_start: isize, delta_end: isize, n_chars: usize) -> Option<CharSpan> {
    let start = span.char_start.checked_add_signed(delta_start)?;
    let end = span.char_end.checked_add_signed(delta_end)?;
    (start < end && end <= n_chars).then_some(CharSpan::new(start, end))
}

/// Entities other than `except` that overlap `span`, rejected ones left out.
pub fn overlapping(entities: &[Entity], span: CharSpan, except: Option<EntityId>) -> Vec<&Entity> {
    entities
        .iter()
        .filter(|e| Some(e.id) != except && e.status.is_live() && e.span().overlaps(span))
        .collect()
}

/// The entity to move to from `current` with Tab (`forward`) or Shift+Tab, in text order,
/// wrapping around. Suggestions come first: while any is left, only suggestions are
/// visited; then every entity that is not rejected.
pub fn next_entity(entities: &[Entity], current: Option<&Entity>, forward: bool) -> Option<EntityId> {
    let has_suggestions = entities.iter().any(|e| e.status == Status::Suggested);
    let mut candidates: Vec<&Entity> = entities
        .iter()
        .filter(|e| {
            if has_suggestions {
                e.status == Status::Suggested
            } else {
                e.status.is_live()
            }
        })
        .collect();
    candidates.sort_by_key(|e| (e.char_start, e.char_end, e.id));
    let key = |e: &Entity| (e.char_start, e.char_end, e.id);
    let found = match current {
        None => {
            if forward {
                candidates.first()
            } else {
                candidates.last()
            }
        }
        Some(current) if forward => candidates.iter().find(|e| key(e) > key(current)).or(candidates.first()),
        Some(current) => candidates
            .iter()
            .rev()
            .find(|e| key(e) < key(current))
            .or(candidates.last()),
    };
    found.map(|e| e.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocumentId;

    fn entity(id: i64, char_start: usize, char_end: usize, status: Status) -> Entity {
        Entity {
            id: EntityId(id),
            document_id: DocumentId(1),
            char_start,
            char_end,
            label: "ORG".into(),
            status,
            source: "test".into(),
            confidence: None,
            annotator: "a".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        }
    }

    #[test]
    fn drags_snap_to_whole_words() {
        // 省/发展改革委/副主任/王建国: boundaries 0 1 6 9 12
        let boundaries = [0, 1, 6, 9, 12];
        assert_eq!(snap_to_words(&boundaries, 2, 4), CharSpan::new(1, 6), "inside one word");
        assert_eq!(
            snap_to_words(&boundaries, 10, 3),
            CharSpan::new(1, 12),
            "backwards over three words"
        );
        assert_eq!(
            snap_to_words(&boundaries, 9, 11),
            CharSpan::new(9, 12),
            "exactly one word"
        );
        assert_eq!(exact_span(10, 3), CharSpan::new(3, 11));
    }

    #[test]
    fn boundaries_move_by_one_character_within_the_text() {
        let span = CharSpan::new(2, 4);
        assert_eq!(moved(span, -1, 0, 10), Some(CharSpan::new(1, 4)));
        assert_eq!(moved(span, 0, 1, 10), Some(CharSpan::new(2, 5)));
        assert_eq!(moved(span, 2, 0, 10), None, "empty");
        assert_eq!(moved(CharSpan::new(0, 1), -1, 0, 10), None, "before the start");
        assert_eq!(moved(CharSpan::new(8, 10), 0, 1, 10), None, "past the end");
    }

    #[test]
    fn tab_visits_suggestions_first_then_everything() {
        let mut entities = vec![
            entity(1, 0, 2, Status::Accepted),
            entity(2, 3, 5, Status::Suggested),
            entity(3, 6, 8, Status::Rejected),
            entity(4, 9, 10, Status::Suggested),
        ];
        assert_eq!(next_entity(&entities, None, true), Some(EntityId(2)));
        assert_eq!(next_entity(&entities, Some(&entities[1]), true), Some(EntityId(4)));
        assert_eq!(
            next_entity(&entities, Some(&entities[3]), true),
            Some(EntityId(2)),
            "wraps"
        );
        assert_eq!(
            next_entity(&entities, Some(&entities[1]), false),
            Some(EntityId(4)),
            "wraps back"
        );
        assert_eq!(next_entity(&entities, Some(&entities[0]), true), Some(EntityId(2)));
        entities[1].status = Status::Accepted;
        entities[3].status = Status::Accepted;
        assert_eq!(
            next_entity(&entities, Some(&entities[0]), true),
            Some(EntityId(2)),
            "all but rejected"
        );
        assert_eq!(
            next_entity(&entities, Some(&entities[1]), true),
            Some(EntityId(4)),
            "skips the rejected"
        );
        assert_eq!(next_entity(&[], None, true), None);
    }

    #[test]
    fn overlaps_leave_out_rejected_and_the_entity_itself() {
        let entities = vec![entity(1, 0, 3, Status::Accepted), entity(2, 2, 5, Status::Rejected)];
        let found = overlapping(&entities, CharSpan::new(2, 4), None);
        assert_eq!(found.len(), 1);
        assert!(overlapping(&entities, CharSpan::new(2, 4), Some(EntityId(1))).is_empty());
    }
}
