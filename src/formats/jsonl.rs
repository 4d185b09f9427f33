//! JSON lines, one document a line, told apart by their fields line by line: CLUENER
//! (`label` an object of objects), DuIE (`spo_list`), Hugging Face style (`ner_tags`),
//! spaCy/Prodigy (`spans`), else doccano (`text` or `data`, `label`/`entities`,
//! `relations`). A line that fits none, or carries the annotations of two, is an error
//! naming it, never an empty or half-read document.
//!
//! HF rows that are pieces of one document (`document_id` and `char_offset`, as the HF
//! export writes sentences) join into that document when each row's `char_offset` is the
//! length of the text joined so far; any other row is a document of its own.

use std::path::Path;

use serde_json::Value;

use super::{cluener, doccano, duie, hf, spacy};
use crate::model::NewDocument;
use crate::text::{char_len, normalize_newlines};
use crate::{Error, Result};

/// Where the previous HF row's document stands, for joining pieces.
struct Piece {
    document_id: Value,
    n_chars: usize,
}

/// Reads every non-blank line of a decoded JSON-lines file. Documents are named
/// `FILE:LINE`; lines with an empty text are skipped with a warning. `tag_names` name HF's
/// integer `ner_tags`.
pub fn read(
    content: &str,
    path: &Path,
    annotator: &str,
    tag_names: Option<&[String]>,
) -> Result<(Vec<NewDocument>, Vec<String>)> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut warnings = Vec::new();
    let mut documents: Vec<NewDocument> = Vec::new();
    let mut last_piece: Option<Piece> = None;
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
        let kinds: Vec<&str> = [
            ("CLUENER `label`", matches!(object.get("label"), Some(Value::Object(_)))),
            ("DuIE `spo_list`", object.contains_key("spo_list")),
            ("HF `ner_tags`", object.contains_key("ner_tags")),
            ("spaCy `spans`", object.contains_key("spans")),
            ("doccano `entities`", object.contains_key("entities")),
        ]
        .into_iter()
        .filter_map(|(kind, present)| present.then_some(kind))
        .collect();
        if let [first, second, ..] = kinds.as_slice() {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("annotations of two formats, {first} and {second}: which to take is not clear"),
            ));
        }
        let piece = last_piece.take();
        if object.contains_key("ner_tags") {
            let value = Value::Object(object);
            let document = hf::read_line(&value, path, line_no, annotator, tag_names)?;
            let offset = value.get("char_offset").and_then(Value::as_u64).map(|n| n as usize);
            let document_id = value.get("document_id").filter(|id| !id.is_null());
            let continues = match (&piece, document_id, offset) {
                (Some(previous), Some(id), Some(offset)) if previous.document_id == *id => {
                    if offset != previous.n_chars {
                        warnings.push(format!(
                            "line {line_no}: document_id {id} at char_offset {offset} does not continue the \
                             {} characters joined so far: read as a document of its own",
                            previous.n_chars
                        ));
                    }
                    offset == previous.n_chars
                }
                _ => false,
            };
            let this_piece = document_id.map(|id| Piece {
                document_id: id.clone(),
                n_chars: char_len(&document.text) + if continues { offset.unwrap_or(0) } else { 0 },
            });
            last_piece = this_piece;
            match documents.last_mut() {
                Some(joined) if continues => join(joined, document),
                _ => {
                    let mut document = document;
                    document.name = format!("{file_name}:{line_no}");
                    documents.push(document);
                }
            }
            continue;
        }
        let text = object
            .get("text")
            .or_else(|| object.get("data"))
            .and_then(Value::as_str);
        if text.is_some_and(|t| t.trim().is_empty()) {
            warnings.push(format!("line {line_no}: empty text, skipped"));
            continue;
        }
        let cluener_label = matches!(object.get("label"), Some(Value::Object(_)));
        let mut document = if cluener_label {
            cluener::read_line(object, path, line_no, annotator)?
        } else if object.contains_key("spo_list") {
            let (document, ambiguous) = duie::read_line(object, path, line_no, annotator)?;
            warnings.extend(ambiguous);
            document
        } else if object.contains_key("spans") {
            spacy::read_line(&Value::Object(object), path, line_no, annotator)?
        } else {
            let Some(raw_text) = text else {
                let fields: Vec<&str> = object.keys().map(String::as_str).collect();
                return Err(Error::input(
                    path,
                    Some(line_no),
                    format!(
                        "missing string field `text`: the line fits no reader (doccano, CLUENER, DuIE and \
                         spaCy need `text`, HF `ner_tags`); its fields are {fields:?}"
                    ),
                ));
            };
            let (text, char_map) = normalize_newlines(raw_text);
            doccano::read_object(object.clone(), text, char_map.as_deref(), path, line_no, annotator)?
        };
        document.name = format!("{file_name}:{line_no}");
        documents.push(document);
    }
    Ok((documents, warnings))
}

/// Appends a piece's text and entities to the document joined so far.
fn join(joined: &mut NewDocument, piece: NewDocument) {
    let shift = char_len(&joined.text);
    joined.text.push_str(&piece.text);
    joined.entities.extend(piece.entities.into_iter().map(|mut e| {
        e.char_start += shift;
        e.char_end += shift;
        e
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hf_pieces_of_one_document_join_and_others_stay_apart() {
        let content = concat!(
            r#"{"id": "12-0", "document_id": 12, "char_offset": 0, "tokens": ["李", "明", "。"], "ner_tags": ["B-PER", "I-PER", "O"]}"#,
            "\n",
            r#"{"id": "12-1", "document_id": 12, "char_offset": 3, "tokens": ["在", "长", "沙"], "ner_tags": ["O", "B-LOC", "I-LOC"]}"#,
            "\n",
            r#"{"id": "13-0", "document_id": 13, "char_offset": 0, "tokens": ["甲"], "ner_tags": ["O"]}"#,
            "\n",
            r#"{"id": "13-1", "document_id": 13, "char_offset": 5, "tokens": ["乙"], "ner_tags": ["S-PER"]}"#,
        );
        let (documents, warnings) = read(content, Path::new("hf.jsonl"), "a", None).expect("read");
        let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["李明。在长沙", "甲", "乙"]);
        let spans: Vec<(usize, usize, &str)> = documents[0]
            .entities
            .iter()
            .map(|e| (e.char_start, e.char_end, e.label.as_str()))
            .collect();
        assert_eq!(spans, [(0, 2, "PER"), (4, 6, "LOC")]);
        assert_eq!(documents[0].name, "hf.jsonl:1");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("line 4: document_id 13 at char_offset 5"),
            "{warnings:?}"
        );
    }
}
