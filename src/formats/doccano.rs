//! doccano JSONL: `{"id","text","entities":[{"id","label","start_offset","end_offset"}],
//! "relations":[{"id","from_id","to_id","type"}]}`, code-point offsets.
//!
//! The reader also takes doccano's sequence-labelling form, `"label": [[start, end, "LABEL"]]`,
//! `"entities": [[start, end, "LABEL"]]`, and `"relations": [[head_index, tail_index, "TYPE"]]`
//! as `biaozhu tag` writes them.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{AnnotatedDocument, IndexedRelation, NewDocument, NewEntity};
use crate::text::char_len;
use crate::{Error, Result};

#[derive(Serialize)]
struct Line<'a> {
    id: i64,
    text: &'a str,
    entities: Vec<LineEntity<'a>>,
    relations: Vec<LineRelation<'a>>,
}

#[derive(Serialize)]
struct LineEntity<'a> {
    id: i64,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct LineRelation<'a> {
    id: i64,
    from_id: i64,
    to_id: i64,
    #[serde(rename = "type")]
    kind: &'a str,
}

/// Writes one document as one line.
pub fn write_document(document: &AnnotatedDocument, out: &mut dyn Write) -> Result<()> {
    let line = Line {
        id: document.id.0,
        text: &document.text,
        entities: document
            .entities
            .iter()
            .map(|e| LineEntity {
                id: e.id.0,
                label: &e.label,
                start_offset: e.char_start,
                end_offset: e.char_end,
            })
            .collect(),
        relations: document
            .relations
            .iter()
            .map(|r| LineRelation {
                id: r.id.0,
                from_id: r.head.0,
                to_id: r.tail.0,
                kind: &r.kind,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &line)?;
    out.write_all(b"\n").map_err(|e| Error::io("output", e))?;
    Ok(())
}

/// Reads one parsed JSONL object into a document. `text` must already be normalized
/// (LF line breaks) and `char_map` maps offsets in the original text to offsets in it,
/// when normalization changed anything.
pub(crate) fn read_object(
    object: Map<String, Value>,
    text: String,
    char_map: Option<&[usize]>,
    path: &Path,
    line: usize,
    annotator: &str,
) -> Result<NewDocument> {
    let fail = |message: String| Error::input(path, Some(line), message);
    let n_chars = char_len(&text);
    let mut metadata = Map::new();
    let mut spans: Option<&Vec<Value>> = None;
    let mut relations: Option<&Vec<Value>> = None;
    for (key, value) in &object {
        match (key.as_str(), value) {
            ("text" | "data", Value::String(_)) => {}
            ("entities", Value::Array(items)) => spans = Some(items),
            ("label", Value::Array(items)) if items.iter().all(|v| v.is_array()) && spans.is_none() => {
                spans = Some(items)
            }
            ("relations", Value::Array(items)) => relations = Some(items),
            ("entities" | "relations", _) => return Err(fail(format!("`{key}` must be an array"))),
            _ => {
                metadata.insert(key.clone(), value.clone());
            }
        }
    }

    let labelled = spans.is_some();
    let mut entities = Vec::new();
    let mut index_of_id: HashMap<i64, usize> = HashMap::new();
    for (i, item) in spans.into_iter().flatten().enumerate() {
        let (start, end, label, id) = match item {
            Value::Array(triple) if triple.len() == 3 => (&triple[0], &triple[1], &triple[2], None),
            Value::Object(fields) => (
                fields.get("start_offset").unwrap_or(&Value::Null),
                fields.get("end_offset").unwrap_or(&Value::Null),
                fields.get("label").unwrap_or(&Value::Null),
                fields.get("id").and_then(Value::as_i64),
            ),
            _ => {
                return Err(fail(format!(
                    "entity {} must be [start, end, label] or {{start_offset, end_offset, label}}, found {item}",
                    i + 1
                )));
            }
        };
        let offset = |v: &Value, what: &str| -> Result<usize> {
            let raw = v
                .as_u64()
                .ok_or_else(|| fail(format!("entity {} {what} {v} is not a non-negative integer", i + 1)))?
                as usize;
            match char_map {
                Some(map) => map.get(raw).copied().ok_or_else(|| {
                    fail(format!(
                        "entity {} {what} {raw} is past text length {}",
                        i + 1,
                        map.len() - 1
                    ))
                }),
                None => Ok(raw),
            }
        };
        let char_start = offset(start, "start")?;
        let char_end = offset(end, "end")?;
        let label = label
            .as_str()
            .filter(|l| !l.trim().is_empty())
            .ok_or_else(|| fail(format!("entity {} label {label} is not a non-empty string", i + 1)))?;
        if char_end > n_chars {
            return Err(fail(format!(
                "entity {} end {char_end} is past text length {n_chars}",
                i + 1
            )));
        }
        if char_start >= char_end {
            return Err(fail(format!(
                "entity {} is empty or reversed: start {char_start}, end {char_end}",
                i + 1
            )));
        }
        if let Some(id) = id
            && index_of_id.insert(id, i).is_some()
        {
            return Err(fail(format!(
                "entity {} repeats the id {id} of an earlier entity",
                i + 1
            )));
        }
        entities.push(NewEntity::imported(char_start, char_end, label.to_owned(), annotator));
    }

    let mut links = Vec::new();
    for (i, item) in relations.into_iter().flatten().enumerate() {
        // `[head_index, tail_index, "TYPE"]` (as `biaozhu tag` writes), or doccano's object.
        if let Value::Array(triple) = item {
            let index = |v: &Value, what: &str| -> Result<usize> {
                v.as_u64()
                    .map(|n| n as usize)
                    .filter(|n| *n < entities.len())
                    .ok_or_else(|| {
                        fail(format!(
                            "relation {} {what} {v} is not an index into this line's entities",
                            i + 1
                        ))
                    })
            };
            let kind = triple.get(2).and_then(Value::as_str).filter(|t| !t.trim().is_empty());
            match (triple.first(), triple.get(1), kind, triple.len()) {
                (Some(head), Some(tail), Some(kind), 3) => {
                    links.push(IndexedRelation::imported(
                        index(head, "head")?,
                        index(tail, "tail")?,
                        kind,
                    ));
                    continue;
                }
                _ => {
                    return Err(fail(format!(
                        "relation {} must be [head, tail, type], found {item}",
                        i + 1
                    )));
                }
            }
        }
        let end = |key: &str| -> Result<usize> {
            let id = item
                .get(key)
                .and_then(Value::as_i64)
                .ok_or_else(|| fail(format!("relation {} needs an integer `{key}`, found {item}", i + 1)))?;
            index_of_id
                .get(&id)
                .copied()
                .ok_or_else(|| fail(format!("relation {} `{key}` {id} names no entity of this line", i + 1)))
        };
        let kind = item
            .get("type")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| fail(format!("relation {} needs a non-empty string `type`", i + 1)))?;
        links.push(IndexedRelation::imported(end("from_id")?, end("to_id")?, kind));
    }

    Ok(NewDocument {
        text,
        metadata,
        entities,
        relations: links,
        relation_annotator: annotator.to_owned(),
        labelled,
        ..NewDocument::default()
    })
}
