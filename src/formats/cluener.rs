//! CLUENER2020 JSON lines: `{"text": "浙商银行企业信贷部…", "label": {"company": {"浙商银行": [[0, 3]]}}}`.
//! Ends are inclusive, as CLUENER writes them; every mention string must be the text it
//! marks, so a shifted offset is an error, never an entity elsewhere. Labels are kept as
//! written (`company`, `name`, …). Files are usually named `.json`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::write_line;
use crate::model::{AnnotatedDocument, NewDocument, NewEntity};
use crate::text::{char_slice, normalize_newlines};
use crate::{Error, Result};

/// Reads one line whose `label` is an object: its entities, and its other fields but `text`
/// as metadata.
pub fn read_line(mut object: Map<String, Value>, path: &Path, line: usize, annotator: &str) -> Result<NewDocument> {
    let fail = |message: String| Error::input(path, Some(line), message);
    let Some(Value::String(raw_text)) = object.remove("text") else {
        return Err(fail("missing string field `text`".into()));
    };
    let Some(Value::Object(labels)) = object.remove("label") else {
        return Err(fail("`label` must be an object of labels".into()));
    };
    let (text, char_map) = normalize_newlines(&raw_text);
    let to_text = |offset: usize| char_map.as_ref().map_or(offset, |map| map[offset]);
    let mut entities = Vec::new();
    for (label, mentions) in &labels {
        let Value::Object(mentions) = mentions else {
            return Err(fail(format!(
                "label {label:?} must map mention strings to [[start, end]], found {mentions}"
            )));
        };
        if label.trim().is_empty() {
            return Err(fail("a label is empty".into()));
        }
        for (mention, spans) in mentions {
            let spans = spans
                .as_array()
                .ok_or_else(|| fail(format!("{label} {mention:?} must hold [[start, end]], found {spans}")))?;
            for span in spans {
                let bounds = span
                    .as_array()
                    .map(|pair| pair.iter().map(Value::as_u64).collect::<Vec<_>>());
                let Some([Some(start), Some(end)]) = bounds.as_deref() else {
                    return Err(fail(format!("{label} {mention:?}: {span} is not [start, end]")));
                };
                let (start, end) = (*start as usize, *end as usize);
                let found = end
                    .checked_add(1)
                    .filter(|_| start <= end)
                    .and_then(|end| char_slice(&raw_text, start, end));
                if found != Some(mention.as_str()) {
                    return Err(fail(format!(
                        "{label} {mention:?} at [{start}, {end}] (inclusive end) marks {}",
                        found.map_or_else(
                            || "nothing: the span is reversed or past the text".to_owned(),
                            |f| format!("{f:?}")
                        )
                    )));
                }
                entities.push(NewEntity::imported(to_text(start), to_text(end + 1), label, annotator));
            }
        }
    }
    entities.sort_by(|a, b| (a.char_start, a.char_end, &a.label).cmp(&(b.char_start, b.char_end, &b.label)));
    Ok(NewDocument {
        text,
        metadata: object,
        entities,
        relation_annotator: annotator.to_owned(),
        labelled: true,
        ..NewDocument::default()
    })
}

/// Writes one line a document: `id`, `text`, and `label` with labels and then mention
/// strings in sorted order, each mention's spans in text order, ends inclusive.
pub fn write(documents: &[&AnnotatedDocument], out: &mut dyn Write) -> Result<()> {
    for document in documents {
        let mut labels: BTreeMap<&str, BTreeMap<&str, Vec<[usize; 2]>>> = BTreeMap::new();
        for e in &document.entities {
            let mention = char_slice(&document.text, e.char_start, e.char_end).ok_or_else(|| {
                Error::Invalid(format!(
                    "document {} ({}): {} [{}, {}) is outside its text",
                    document.id, document.name, e.label, e.char_start, e.char_end
                ))
            })?;
            labels
                .entry(&e.label)
                .or_default()
                .entry(mention)
                .or_default()
                .push([e.char_start, e.char_end - 1]);
        }
        for spans in labels.values_mut().flat_map(BTreeMap::values_mut) {
            spans.sort_unstable();
        }
        let line = json!({"id": document.id.0, "text": document.text, "label": labels});
        write_line(out, &serde_json::to_string(&line)?)?;
    }
    Ok(())
}
