use super::*;
use crate::model::{DocumentId, EntityId, Relation, RelationId, Status};

fn entity(id: i64, char_start: usize, char_end: usize, label: &str) -> Entity {
    Entity {
        id: EntityId(id),
        document_id: DocumentId(1),
        char_start,
        char_end,
        label: label.into(),
        status: Status::Accepted,
        source: "manual".into(),
        confidence: None,
        annotator: "x".into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

fn relation(head: i64, tail: i64, kind: &str) -> Relation {
    Relation {
        id: RelationId(head * 100 + tail),
        document_id: DocumentId(1),
        head: EntityId(head),
        tail: EntityId(tail),
        kind: kind.into(),
        status: Status::Accepted,
        source: "manual".into(),
        annotator: "x".into(),
        created_at_ms: 0,
        updated_at_ms: 0,
    }
}

fn layer(entities: Vec<Entity>, relations: Vec<Relation>) -> AnnotatedDocument {
    AnnotatedDocument {
        id: DocumentId(1),
        name: "d".into(),
        text: String::new(),
        entities,
        relations,
    }
}

fn one_char_tokens(n: usize) -> Vec<CharSpan> {
    (0..n).map(|i| CharSpan::new(i, i + 1)).collect()
}

#[test]
fn agreement_by_hand() {
    // Six one-character tokens.
    // A: PER [0,2), LOC [3,4)            tokens: PER PER O LOC O O
    // B: PER [0,2), ORG [3,4), LOC [5,6) tokens: PER PER O ORG O LOC
    let a = layer(
        vec![entity(1, 0, 2, "PER"), entity(2, 3, 4, "LOC")],
        vec![relation(1, 2, "任职")],
    );
    let b = layer(
        vec![
            entity(11, 0, 2, "PER"),
            entity(12, 3, 4, "ORG"),
            entity(13, 5, 6, "LOC"),
        ],
        vec![relation(11, 12, "任职")],
    );
    let result = agreement(&[(one_char_tokens(6), a.clone(), b.clone())]);
    // Exact spans: one of A's two and one of B's three match with their label:
    // P = 1/3, R = 1/2, F1 = 2·(1/3)·(1/2) / (1/3 + 1/2) = 0.4.
    assert!((result.exact_f1() - 0.4).abs() < 1e-12, "{}", result.exact_f1());
    // κ: p_o = 4/6; A counts PER 2, O 3, LOC 1; B counts PER 2, O 2, ORG 1, LOC 1;
    // p_e = (2·2 + 3·2 + 1·1) / 36 = 11/36; κ = (24/36 − 11/36) / (1 − 11/36) = 13/25 = 0.52.
    assert!((result.kappa - 0.52).abs() < 1e-12, "{}", result.kappa);
    // PER alone: both mark tokens 0 and 1 and nothing else as PER, so κ_PER = 1.
    assert!((result.kappa_per_label["PER"] - 1.0).abs() < 1e-12);
    // The relation runs between the same spans with the same type: F1 = 1.
    assert!((result.relation_f1() - 1.0).abs() < 1e-12);
    assert_eq!(result.confusion[&("PER".to_owned(), "PER".to_owned())], 1);
    assert_eq!(result.confusion[&("LOC".to_owned(), "ORG".to_owned())], 1);
    assert_eq!(result.n_tokens, 6);

    let items = diff(&a.entities, &b.entities);
    let kinds: Vec<(usize, DiffKind)> = items.iter().map(|i| (i.span.char_start, i.kind)).collect();
    assert_eq!(
        kinds,
        [(0, DiffKind::Agreed), (3, DiffKind::LabelDiffers), (5, DiffKind::OnlyB)]
    );
    assert_eq!(items[1].label_a.as_deref(), Some("LOC"));
    assert_eq!(items[1].label_b.as_deref(), Some("ORG"));
}

#[test]
fn kappa_of_chance_agreement_is_zero() {
    // A says yes, no, yes, no; B says yes, yes, no, no: p_o = 1/2, p_e = 1/2, κ = 0.
    let a = [true, false, true, false];
    let b = [true, true, false, false];
    assert!(cohen_kappa(&a, &b).abs() < 1e-12);
}

#[test]
fn an_annotator_agrees_perfectly_with_itself() {
    // A small linear congruential generator makes many random layers without a crate.
    let mut seed: u64 = 42;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let labels = ["PER", "ORG", "LOC", "TITLE"];
    for _ in 0..50 {
        let n_chars = 5 + next(60) as usize;
        let mut entities = Vec::new();
        let mut at = 0;
        while at < n_chars {
            let start = at + next(4) as usize;
            let end = start + 1 + next(4) as usize;
            if end > n_chars {
                break;
            }
            entities.push(entity(entities.len() as i64 + 1, start, end, labels[next(4) as usize]));
            at = end;
        }
        let relations = if entities.len() >= 2 {
            vec![relation(1, 2, "任职")]
        } else {
            Vec::new()
        };
        let layer = layer(entities, relations);
        let tokens = one_char_tokens(n_chars);
        let result = agreement(&[(tokens, layer.clone(), layer.clone())]);
        assert!((result.kappa - 1.0).abs() < 1e-12);
        if !layer.entities.is_empty() {
            assert!((result.exact_f1() - 1.0).abs() < 1e-12);
            assert!((result.overlap_f1() - 1.0).abs() < 1e-12);
        }
        if !layer.relations.is_empty() {
            assert!((result.relation_f1() - 1.0).abs() < 1e-12);
        }
        assert!(
            diff(&layer.entities, &layer.entities)
                .iter()
                .all(|i| i.kind == DiffKind::Agreed)
        );
        assert!(result.confusion.iter().all(|((a, b), _)| a == b));
    }
}
