//! spaCy/Prodigy JSONL: `{"text","tokens":[{"text","start","end","id","ws"}],"spans":[{"start","end",
//! "token_start","token_end","label"}],"relations":[{"head","child","head_span","child_span","label"}],
//! "answer":"accept","meta":{...}}`. Offsets are code points; `token_end` is inclusive, as Prodigy
//! writes it. Tokens are jieba's words, cut again at every entity boundary so spans align.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::write_line;
use crate::model::{AnnotatedDocument, Entity, IndexedRelation, NewDocument, NewEntity};
use crate::text::{Segmenter, normalize_newlines};
use crate::{Error, Result};

/// jieba's word boundaries plus every entity boundary, as token char ranges.
fn tokens(segmenter: &Segmenter, text: &str, entities: &[Entity]) -> Vec<(usize, usize)> {
    let n_chars = text.chars().count();
    let mut cuts = crate::spans::word_boundaries(&segmenter.tokens(text), n_chars);
    cuts.extend(entities.iter().flat_map(|e| [e.char_start, e.char_end]));
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

pub fn write(documents: &[&AnnotatedDocument], out: &mut dyn Write) -> Result<()> {
    let segmenter = Segmenter::default();
    for document in documents {
        let token_spans = tokens(&segmenter, &document.text, &document.entities);
        let chars: Vec<char> = document.text.chars().collect();
        let token_at = |char_offset: usize| token_spans.partition_point(|(_, end)| *end <= char_offset);
        let token_values: Vec<Value> = token_spans
            .iter()
            .enumerate()
            .map(|(id, (start, end))| {
                let text: String = chars[*start..*end].iter().collect();
                json!({"text": text, "start": start, "end": end, "id": id, "ws": false})
            })
            .collect();
        let span = |e: &Entity| {
            json!({
                "start": e.char_start, "end": e.char_end,
                "token_start": token_at(e.char_start), "token_end": token_at(e.char_end - 1),
                "label": e.label,
            })
        };
        let spans: Vec<Value> = document.entities.iter().map(span).collect();
        let relations: Vec<Value> = document
            .relations
            .iter()
            .filter_map(|r| {
                let head = document.entities.iter().find(|e| e.id == r.head)?;
                let child = document.entities.iter().find(|e| e.id == r.tail)?;
                Some(json!({
                    "head": token_at(head.char_end - 1), "child": token_at(child.char_end - 1),
                    "head_span": span(head), "child_span": span(child), "label": r.kind,
                }))
            })
            .collect();
        let line = json!({
            "text": document.text, "tokens": token_values, "spans": spans, "relations": relations,
            "answer": "accept", "meta": {"id": document.id.0, "name": document.name},
        });
        write_line(out, &serde_json::to_string(&line)?)?;
    }
    Ok(())
}

/// Reads one spaCy/Prodigy line: its text, spans and relations. Offsets count the text as
/// given and are mapped through the folding of CRLF and CR to LF.
pub fn read_line(value: &Value, path: &Path, line: usize, annotator: &str) -> Result<NewDocument> {
    let fail = |message: String| Error::input(path, Some(line), message);
    let raw_text = value
        .get("text")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("missing string field `text`".into()))?;
    let n_chars = raw_text.chars().count();
    let (text, char_map) = normalize_newlines(raw_text);
    let folded = |offset: usize| {
        char_map
            .as_ref()
            .map_or(offset, |map| map.get(offset).copied().unwrap_or(offset))
    };
    let mut raw_spans: Vec<(usize, usize, String)> = Vec::new();
    let mut entities = Vec::new();
    let offsets = |span: &Value| -> Result<(usize, usize, String)> {
        let get = |key: &str| {
            span.get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        match (get("start"), get("end"), span.get("label").and_then(Value::as_str)) {
            (Some(start), Some(end), Some(label)) if start < end && end <= n_chars => {
                Ok((start, end, label.to_owned()))
            }
            _ => Err(fail(format!("span {span} needs start < end <= {n_chars} and a label"))),
        }
    };
    for span in value.get("spans").and_then(Value::as_array).into_iter().flatten() {
        let (start, end, label) = offsets(span)?;
        let (char_start, char_end) = (folded(start), folded(end));
        if char_start >= char_end {
            return Err(fail(format!("span {span} holds only a line break")));
        }
        entities.push(NewEntity::imported(char_start, char_end, label.clone(), annotator));
        raw_spans.push((start, end, label));
    }
    let mut relations = Vec::new();
    for relation in value.get("relations").and_then(Value::as_array).into_iter().flatten() {
        let find = |key: &str| -> Result<usize> {
            let (start, end, label) = offsets(relation.get(key).unwrap_or(&Value::Null))?;
            raw_spans
                .iter()
                .position(|span| *span == (start, end, label.clone()))
                .ok_or_else(|| {
                    fail(format!(
                        "relation {key} [{start}, {end}) {label} is not among the spans"
                    ))
                })
        };
        let kind = relation
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("relation without a label".into()))?;
        relations.push(IndexedRelation::imported(find("head_span")?, find("child_span")?, kind));
    }
    Ok(NewDocument {
        text,
        entities,
        relations,
        relation_annotator: annotator.to_owned(),
        labelled: value.get("spans").is_some_and(Value::is_array),
        ..NewDocument::default()
    })
}
