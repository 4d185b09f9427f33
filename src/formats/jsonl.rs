//! JSONL files, one document a line: doccano (`text` or `data`, `label`/`entities`,
//! `relations`), spaCy/Prodigy (`spans`) and Hugging Face style (`ner_tags`), told apart by
//! their fields line by line.

use std::path::Path;

use serde_json::Value;

use super::{doccano, hf, spacy};
use crate::model::NewDocument;
use crate::text::normalize_newlines;
use crate::{Error, Result};

/// Reads every non-blank line of a decoded JSONL file. Documents are named `FILE:LINE`;
/// lines with an empty text are skipped with a warning.
pub fn read(content: &str, path: &Path, annotator: &str) -> Result<(Vec<NewDocument>, Vec<String>)> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut warnings = Vec::new();
    let mut documents = Vec::new();
    for (i, line) in content.split('\n').enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line)
            .map_err(|e| Error::input(path, Some(line_no), format!("malformed JSON: {e}")))?;
        let Value::Object(object) = value else {
            return Err(Error::input(path, Some(line_no), "expected a JSON object"));
        };
        let mut document = if object.contains_key("ner_tags") || object.contains_key("spans") {
            let value = Value::Object(object);
            if value.get("ner_tags").is_some() {
                hf::read_line(&value, path, line_no, annotator)?
            } else {
                spacy::read_line(&value, path, line_no, annotator)?
            }
        } else {
            let Some(raw_text) = object
                .get("text")
                .or_else(|| object.get("data"))
                .and_then(Value::as_str)
            else {
                return Err(Error::input(path, Some(line_no), "missing string field `text`"));
            };
            if raw_text.trim().is_empty() {
                warnings.push(format!("line {line_no}: empty text, skipped"));
                continue;
            }
            let (text, char_map) = normalize_newlines(raw_text);
            doccano::read_object(object.clone(), text, char_map.as_deref(), path, line_no, annotator)?
        };
        document.name = format!("{file_name}:{line_no}");
        documents.push(document);
    }
    Ok((documents, warnings))
}
