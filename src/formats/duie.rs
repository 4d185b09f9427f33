//! DuIE 2.0 JSON lines: `{"text", "spo_list": [{"predicate": "作者", "subject": "邪少兵王",
//! "subject_type": "图书作品", "object": {"@value": "冰火未央"}, "object_type": {"@value": "人物"}}]}`.
//! `object` and `object_type` may also be plain strings.
//!
//! DuIE names strings, not places. Each distinct string of a line is one entity, labelled
//! by its `*_type`; each spo is a relation typed by its predicate from subject to object.
//! An object's extra slots (`inWork`, `onDate`, `period`, `inArea`, …) are relations
//! `PREDICATE_SLOT` (e.g. `获奖_onDate`) from the subject to the slot's string, labelled
//! by `object_type`'s slot. A string found once is there; a string found several times is
//! placed at the occurrence nearest its partners (ties: the first, and an occurrence that
//! overlaps a string placed already is taken last), and that choice is reported as a
//! warning with the line and the offsets. A string not in the text is an error naming the
//! line; one string with two types is two entities on one place, which import refuses as an
//! overlap at the line (or skips with `--on-conflict skip`). The writer writes every relation as its own
//! spo with `@value` objects; it does not fold `_slot` relations back into slots.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::write_line;
use crate::model::{AnnotatedDocument, IndexedRelation, NewDocument, NewEntity};
use crate::text::{CharIndex, char_slice, normalize_newlines};
use crate::{Error, Result};

/// A string of the line and its type.
struct Mention {
    string: String,
    label: String,
    /// Every place it occurs, as char ranges, left to right.
    occurrences: Vec<(usize, usize)>,
}

/// Reads one line with a `spo_list`: the document and a warning for each string it had to
/// choose a place for.
pub fn read_line(
    mut object: Map<String, Value>,
    path: &Path,
    line: usize,
    annotator: &str,
) -> Result<(NewDocument, Vec<String>)> {
    let fail = |message: String| Error::input(path, Some(line), message);
    let Some(Value::String(raw_text)) = object.remove("text") else {
        return Err(fail("missing string field `text`".into()));
    };
    let Some(Value::Array(spo_list)) = object.remove("spo_list") else {
        return Err(fail("`spo_list` must be an array".into()));
    };
    let (text, _) = normalize_newlines(&raw_text);
    let mut mentions: Vec<Mention> = Vec::new();
    let mut links: Vec<(usize, usize, String)> = Vec::new();
    let index = CharIndex::new(&text);
    let mut mention_of = |string: &str, label: &str, role: &str| -> Result<usize> {
        let (string, _) = normalize_newlines(string);
        if string.is_empty() || label.trim().is_empty() {
            return Err(fail(format!("the {role} or its type is empty")));
        }
        if let Some(i) = mentions.iter().position(|m| m.string == string && m.label == label) {
            return Ok(i);
        }
        let occurrences: Vec<(usize, usize)> = text
            .match_indices(string.as_str())
            .filter_map(|(byte, found)| index.char_range(byte..byte + found.len()))
            .map(|range| (range.start, range.end))
            .collect();
        if occurrences.is_empty() {
            return Err(fail(format!("the {role} 「{string}」 is not in the text")));
        }
        mentions.push(Mention {
            string,
            label: label.to_owned(),
            occurrences,
        });
        Ok(mentions.len() - 1)
    };
    for (i, spo) in spo_list.iter().enumerate() {
        let field = |key: &str| spo.get(key).unwrap_or(&Value::Null);
        let string = |value: &Value, what: &str| -> Result<String> {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("spo {}: `{what}` must be a string, found {value}", i + 1)))
        };
        let predicate = string(field("predicate"), "predicate")?;
        if predicate.trim().is_empty() {
            return Err(fail(format!("spo {}: the predicate is empty", i + 1)));
        }
        let head = mention_of(
            &string(field("subject"), "subject")?,
            &string(field("subject_type"), "subject_type")?,
            "subject",
        )?;
        // `(slot, string, type)`: the `@value` first, then the extra slots.
        let objects: Vec<(Option<&str>, String, String)> = match (field("object"), field("object_type")) {
            (Value::String(object), Value::String(kind)) => vec![(None, object.clone(), kind.clone())],
            (Value::String(object), Value::Object(types)) => vec![(
                None,
                object.clone(),
                string(types.get("@value").unwrap_or(&Value::Null), "object_type.@value")?,
            )],
            (Value::Object(slots), types) => {
                let type_of = |slot: &str| -> Result<String> {
                    match types {
                        Value::Object(types) => {
                            string(types.get(slot).unwrap_or(&Value::Null), &format!("object_type.{slot}"))
                        }
                        Value::String(kind) if slot == "@value" => Ok(kind.clone()),
                        other => Err(fail(format!(
                            "spo {}: `object_type` has no type for the slot {slot}, found {other}",
                            i + 1
                        ))),
                    }
                };
                let value = slots.get("@value").unwrap_or(&Value::Null);
                let mut objects = vec![(None, string(value, "object.@value")?, type_of("@value")?)];
                for (slot, value) in slots.iter().filter(|(slot, _)| *slot != "@value") {
                    objects.push((
                        Some(slot.as_str()),
                        string(value, &format!("object.{slot}"))?,
                        type_of(slot)?,
                    ));
                }
                objects
            }
            (object, kind) => {
                return Err(fail(format!(
                    "spo {}: `object` and `object_type` must be strings or {{\"@value\": …}}, found {object} and {kind}",
                    i + 1
                )));
            }
        };
        for (slot, object, kind) in objects {
            let tail = mention_of(&object, &kind, "object")?;
            let relation = match slot {
                Some(slot) => format!("{predicate}_{slot}"),
                None => predicate.clone(),
            };
            links.push((head, tail, relation));
        }
    }

    let mut places = place(&mentions, &links);
    // A string typed twice is two entities on one place: they overlap, and import refuses
    // the line (or skips it with --on-conflict skip), naming both types.
    for m in 0..mentions.len() {
        if let Some(first) = (0..m).find(|&k| mentions[k].string == mentions[m].string) {
            places[m] = places[first];
        }
    }
    let mut warnings = Vec::new();
    for (i, (m, &(start, end))) in mentions.iter().zip(&places).enumerate() {
        let first_of_its_string = mentions[..i].iter().all(|other| other.string != m.string);
        if m.occurrences.len() > 1 && first_of_its_string {
            warnings.push(format!(
                "line {line}: 「{}」 occurs {} times; took [{start}, {end}), nearest the strings it relates to",
                m.string,
                m.occurrences.len()
            ));
        }
    }
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&m| places[m]);
    let mut position_of = vec![0; mentions.len()];
    for (position, &m) in order.iter().enumerate() {
        position_of[m] = position;
    }
    let entities = order
        .iter()
        .map(|&m| NewEntity::imported(places[m].0, places[m].1, mentions[m].label.clone(), annotator))
        .collect();
    let relations = links
        .into_iter()
        .map(|(head, tail, kind)| IndexedRelation::imported(position_of[head], position_of[tail], kind))
        .collect();
    Ok((
        NewDocument {
            text,
            metadata: object,
            entities,
            relations,
            relation_annotator: annotator.to_owned(),
            labelled: true,
            ..NewDocument::default()
        },
        warnings,
    ))
}

/// The place of every mention: its only occurrence, or for one found several times (taken
/// in order of first mention) the occurrence nearest its partners — placed ones where they
/// are, the others at their nearest occurrence — preferring those that overlap no placed
/// mention, then the first.
fn place(mentions: &[Mention], links: &[(usize, usize, String)]) -> Vec<(usize, usize)> {
    // Characters between two spans, 0 when they touch or overlap.
    let gap = |a: (usize, usize), b: (usize, usize)| b.0.saturating_sub(a.1).max(a.0.saturating_sub(b.1));
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut placed: Vec<Option<(usize, usize)>> = mentions
        .iter()
        .map(|m| match m.occurrences.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
        .collect();
    let mut partners: HashMap<usize, Vec<usize>> = HashMap::new();
    for (head, tail, _) in links {
        if head != tail {
            partners.entry(*head).or_default().push(*tail);
            partners.entry(*tail).or_default().push(*head);
        }
    }
    for m in 0..mentions.len() {
        if placed[m].is_some() {
            continue;
        }
        let cost = |occurrence: (usize, usize)| -> (bool, usize, usize) {
            let clashes = placed
                .iter()
                .enumerate()
                .any(|(other, place)| other != m && place.is_some_and(|p| overlaps(p, occurrence)));
            let distance = partners.get(&m).into_iter().flatten().map(|&p| match placed[p] {
                Some(place) => gap(occurrence, place),
                None => mentions[p]
                    .occurrences
                    .iter()
                    .map(|&o| gap(occurrence, o))
                    .min()
                    .unwrap_or(0),
            });
            (clashes, distance.sum(), occurrence.0)
        };
        placed[m] = mentions[m].occurrences.iter().copied().min_by_key(|&o| cost(o));
    }
    placed
        .into_iter()
        .zip(mentions)
        .map(|(place, m)| place.or_else(|| m.occurrences.first().copied()).unwrap_or((0, 0)))
        .collect()
}

/// Writes one line a document: `id`, `text` and one spo a relation, ordered by the places
/// of head and tail and then the type.
pub fn write(documents: &[&AnnotatedDocument], out: &mut dyn Write) -> Result<()> {
    for document in documents {
        let entity = |id| document.entities.iter().find(|e| e.id == id);
        let mut spos = Vec::new();
        for r in &document.relations {
            let (Some(head), Some(tail)) = (entity(r.head), entity(r.tail)) else {
                continue;
            };
            let string = |e: &crate::model::Entity| {
                char_slice(&document.text, e.char_start, e.char_end).ok_or_else(|| {
                    Error::Invalid(format!(
                        "document {} ({}): {} [{}, {}) is outside its text",
                        document.id, document.name, e.label, e.char_start, e.char_end
                    ))
                })
            };
            let key = (
                head.char_start,
                head.char_end,
                tail.char_start,
                tail.char_end,
                r.kind.clone(),
            );
            let spo = json!({
                "predicate": r.kind,
                "subject": string(head)?,
                "subject_type": head.label,
                "object": {"@value": string(tail)?},
                "object_type": {"@value": tail.label},
            });
            spos.push((key, spo));
        }
        spos.sort_by(|a, b| a.0.cmp(&b.0));
        let spo_list: Vec<Value> = spos.into_iter().map(|(_, spo)| spo).collect();
        let line = json!({"id": document.id.0, "text": document.text, "spo_list": spo_list});
        write_line(out, &serde_json::to_string(&line)?)?;
    }
    Ok(())
}
