//! The pre-tagged layer.

use super::*;
use crate::model::StatusFilter;

#[test]
fn replacing_suggestions_spares_human_work_and_is_idempotent() {
    let (mut store, doc) = store_with_document("李明在长沙工作，张华在湘潭。");
    let mut edit = store.edit("annotate", "ann").expect("edit");
    edit.add_entity(doc, &new_entity(0, 2, "PER", Status::Accepted))
        .expect("accepted");
    edit.add_entity(doc, &new_entity(8, 10, "ORG", Status::Rejected))
        .expect("rejected");
    edit.commit().expect("commit");

    let offered = [
        suggestion(0, 2, "PER"),   // overlaps the accepted entity
        suggestion(3, 5, "LOC"),   // new
        suggestion(8, 10, "ORG"),  // rejected before
        suggestion(8, 10, "PER"),  // same span, other label: allowed
        suggestion(11, 13, "LOC"), // new
    ];
    let first = store.replace_suggestions(doc, &offered, &[]).expect("first");
    assert_eq!((first.n_added, first.n_removed, first.n_kept), (3, 0, 0));
    let ids_before: Vec<EntityId> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| e.id)
        .collect();
    let second = store.replace_suggestions(doc, &offered, &[]).expect("second");
    assert_eq!((second.n_added, second.n_removed, second.n_kept), (0, 0, 3));
    let ids_after: Vec<EntityId> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids_before, ids_after, "ids are stable across reruns");

    let third = store.replace_suggestions(doc, &offered[..2], &[]).expect("fewer");
    assert_eq!((third.n_added, third.n_removed, third.n_kept), (0, 2, 1));
    let statuses: Vec<(usize, Status)> = store
        .entities(doc, StatusFilter::All)
        .expect("all")
        .iter()
        .map(|e| (e.char_start, e.status))
        .collect();
    assert_eq!(
        statuses,
        [(0, Status::Accepted), (3, Status::Suggested), (8, Status::Rejected)]
    );
}
