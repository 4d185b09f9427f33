//! CSV and TSV tables with a header row, one document a record. The text is the column
//! `text`, else `content`, else `sentence`; an optional `entities` column holds JSON
//! `[[start, end, "LABEL"], …]` in code points, end exclusive; every other column goes
//! into the document's metadata as a string. A quoted field may hold line breaks: they
//! are part of the text (CRLF folded to LF, entity offsets mapped with it). Errors name
//! the line the record starts on. The writer writes `id,name,text,entities`.

use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value};

use super::doccano;
use crate::model::{AnnotatedDocument, NewDocument};
use crate::text::normalize_newlines;
use crate::{Error, Result};

/// The header row the writer puts before the first record.
pub const HEADER: &[u8] = b"id,name,text,entities\n";

const TEXT_COLUMNS: [&str; 3] = ["text", "content", "sentence"];

/// Reads a decoded table; `delimiter` is `b','` for CSV, `b'\t'` for TSV. Records whose
/// text is empty are skipped with a warning.
pub fn read(content: &str, path: &Path, delimiter: u8, annotator: &str) -> Result<(Vec<NewDocument>, Vec<String>)> {
    // The line a record starts on, counted here: csv places a record of a CRLF file at
    // the LF before it, and counts its line short.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(content.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |byte: u64| {
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX);
        while matches!(content.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        line_starts.partition_point(|&start| start <= byte)
    };
    let csv_error = |e: ::csv::Error| {
        let line = e.position().map(|p| line_of(p.byte()));
        Error::input(path, line, format!("malformed table: {e}"))
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .from_reader(content.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let Some(text_column) = TEXT_COLUMNS
        .iter()
        .find_map(|name| headers.iter().position(|h| h == name))
    else {
        return Err(Error::input(
            path,
            Some(1),
            format!("no text column: expected `text`, `content` or `sentence`, found {headers:?}"),
        ));
    };
    let entities_column = headers.iter().position(|h| h == "entities");
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        let raw_text = record.get(text_column).unwrap_or_default();
        if raw_text.trim().is_empty() {
            warnings.push(format!("line {line}: empty text, skipped"));
            continue;
        }
        let mut annotations = Map::new();
        if let Some(column) = entities_column {
            let cell = record.get(column).unwrap_or_default().trim();
            let entities: Value = match cell {
                "" => Value::Array(Vec::new()),
                cell => serde_json::from_str(cell)
                    .map_err(|e| Error::input(path, Some(line), format!("the entities column is not JSON: {e}")))?,
            };
            annotations.insert("entities".to_owned(), entities);
        }
        let (text, char_map) = normalize_newlines(raw_text);
        let mut document = doccano::read_object(annotations, text, char_map.as_deref(), path, line, annotator)?;
        for (column, (name, value)) in headers.iter().zip(record.iter()).enumerate() {
            if column != text_column && Some(column) != entities_column {
                document.metadata.insert(name.clone(), Value::String(value.to_owned()));
            }
        }
        document.name = format!("{file_name}:{line}");
        document.source_path = Some(path.to_string_lossy().into_owned());
        documents.push(document);
    }
    Ok((documents, warnings))
}

/// Writes one record a document (the caller writes [`HEADER`] once before the first).
pub fn write(documents: &[&AnnotatedDocument], out: &mut dyn Write) -> Result<()> {
    let mut writer = ::csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    for document in documents {
        let entities: Vec<Value> = document
            .entities
            .iter()
            .map(|e| {
                Value::from(vec![
                    Value::from(e.char_start),
                    Value::from(e.char_end),
                    Value::from(e.label.as_str()),
                ])
            })
            .collect();
        let record = [
            document.id.0.to_string(),
            document.name.clone(),
            document.text.clone(),
            serde_json::to_string(&entities)?,
        ];
        writer
            .write_record(&record)
            .map_err(|e| Error::Invalid(format!("writing CSV: {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Invalid(format!("writing CSV: {e}")))?;
    out.write_all(&bytes).map_err(|e| Error::io("output", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crlf_inside_a_quoted_field_folds_and_the_offsets_follow_it() {
        let content = "text,entities\r\n\"李明\r\n在长沙\",\"[[0, 2, \"\"PER\"\"], [5, 7, \"\"LOC\"\"]]\"\r\n";
        let (documents, warnings) = read(content, Path::new("a.csv"), b',', "a").expect("read");
        assert!(warnings.is_empty());
        assert_eq!(documents[0].text, "李明\n在长沙");
        let spans: Vec<(usize, usize)> = documents[0]
            .entities
            .iter()
            .map(|e| (e.char_start, e.char_end))
            .collect();
        assert_eq!(spans, [(0, 2), (4, 6)]);
        assert_eq!(documents[0].name, "a.csv:2");
    }
}
