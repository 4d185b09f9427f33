//! Importing files into a project: `.txt` and `.md` (one document each), `.jsonl` (one
//! document a line: doccano, spaCy/Prodigy or Hugging Face style, told apart by their
//! fields), Label Studio `.json`, brat `.ann` (with the `.txt` beside it), character-level
//! CoNLL (`.conll`, `.bio`, `.bioes`), and folders of them.
//!
//! Bytes are decoded (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030/GBK) and
//! line breaks normalized to LF before any offset exists. Each file is one transaction:
//! a bad file is reported with its path and line and leaves the project as it was.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::formats::doccano;
use crate::store::{ImportSummary, NewDocument, Store};
use crate::{Error, Result};

/// File endings that import reads.
pub const EXTENSIONS: [&str; 8] = ["txt", "md", "jsonl", "json", "ann", "conll", "bio", "bioes"];

/// The annotator recorded on imported annotations unless the caller names one.
pub const DEFAULT_IMPORT_ANNOTATOR: &str = "import";

/// How far an import has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress<'a> {
    pub path: &'a Path,
    /// 0-based index of the file among `n_files`.
    pub file_index: usize,
    pub n_files: usize,
    pub n_documents_done: usize,
    pub n_documents_in_file: usize,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub path: PathBuf,
    /// `utf-8`, `utf-16le`, `utf-16be` or `gb18030`.
    pub encoding: &'static str,
    pub summary: ImportSummary,
    pub warnings: Vec<String>,
}

/// What happened to every file. Files that failed are in `errors` and left no trace.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub errors: Vec<Error>,
}

impl ImportReport {
    pub fn total(&self) -> ImportSummary {
        let mut total = ImportSummary::default();
        for file in &self.files {
            let s = &file.summary;
            total.n_documents_added += s.n_documents_added;
            total.n_documents_unchanged += s.n_documents_unchanged;
            total.n_entities_added += s.n_entities_added;
            total.n_relations_added += s.n_relations_added;
            total.labels_added.extend(s.labels_added.iter().cloned());
            total
                .relation_types_added
                .extend(s.relation_types_added.iter().cloned());
        }
        total
    }
}

/// Imports files and folders (recursively), each file in its own transaction. An error in
/// one file does not stop the others.
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    annotator: &str,
    on_progress: &mut dyn FnMut(ImportProgress<'_>),
) -> ImportReport {
    let mut report = ImportReport::default();
    let files = match collect_files(paths) {
        Ok(files) => files,
        Err(e) => {
            report.errors.push(e);
            return report;
        }
    };
    let n_files = files.len();
    for (file_index, path) in files.iter().enumerate() {
        match import_file(store, path, annotator, &mut |n_documents_done, n_documents_in_file| {
            on_progress(ImportProgress {
                path,
                file_index,
                n_files,
                n_documents_done,
                n_documents_in_file,
            })
        }) {
            Ok(file_report) => report.files.push(file_report),
            Err(e) => report.errors.push(e),
        }
    }
    report
}

/// Imports one file in one transaction.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    annotator: &str,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<FileReport> {
    let (documents, encoding, warnings) = read_file(path, annotator)?;
    let n_documents = documents.len();
    let summary = store.import_documents(&documents, &mut |done| on_progress(done, n_documents))?;
    Ok(FileReport {
        path: path.to_path_buf(),
        encoding,
        summary,
        warnings,
    })
}

/// The files to import under `paths`, in a stable order: each named file, and the
/// `.txt`, `.md` and `.jsonl` files found in each named folder, sorted.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            files.extend(found);
        } else if has_known_extension(path) {
            files.push(path.clone());
        } else {
            return Err(Error::input(
                path,
                None,
                "unsupported file type (expected .txt, .md, .jsonl, .json, .ann, .conll, .bio or .bioes)",
            ));
        }
    }
    Ok(files)
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        // A brat `.txt` comes in through its `.ann`.
        let brat_text = path.extension().is_some_and(|e| e == "txt") && path.with_extension("ann").is_file();
        if file_type.is_dir() {
            walk(&path, found)?;
        } else if has_known_extension(&path) && !brat_text {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads and parses one file without touching a project.
pub fn read_file(path: &Path, annotator: &str) -> Result<(Vec<NewDocument>, &'static str, Vec<String>)> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if extension == "ann" {
        return Ok((vec![crate::formats::brat::read(path, annotator)?], "utf-8", Vec::new()));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (text, encoding) = decode(&bytes, path)?;
    let source_path = path.to_string_lossy().into_owned();
    let is_jsonl = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
    let mut warnings = Vec::new();
    let mut documents = Vec::new();
    if matches!(extension.as_str(), "conll" | "bio" | "bioes") {
        return Ok((crate::formats::conll::read(&text, path, annotator)?, encoding, warnings));
    }
    if extension == "json" {
        return Ok((
            crate::formats::label_studio::read(&text, path, annotator)?,
            encoding,
            warnings,
        ));
    }
    if is_jsonl {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, line) in text.split('\n').enumerate() {
            let line_no = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line)
                .map_err(|e| Error::input(path, Some(line_no), format!("malformed JSON: {e}")))?;
            let Value::Object(object) = value else {
                return Err(Error::input(path, Some(line_no), "expected a JSON object"));
            };
            if object.contains_key("ner_tags") || object.contains_key("spans") {
                let value = Value::Object(object);
                let mut document = if value.get("ner_tags").is_some() {
                    crate::formats::hf::read_line(&value, path, line_no, annotator)?
                } else {
                    crate::formats::spacy::read_line(&value, path, line_no, annotator)?
                };
                document.name = format!("{file_name}:{line_no}");
                document.source_path = Some(source_path.clone());
                document.encoding = encoding.to_owned();
                documents.push(document);
                continue;
            }
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
            let mut document =
                doccano::read_object(object.clone(), text, char_map.as_deref(), path, line_no, annotator)?;
            document.name = format!("{file_name}:{line_no}");
            document.source_path = Some(source_path.clone());
            document.encoding = encoding.to_owned();
            documents.push(document);
        }
    } else if text.trim().is_empty() {
        warnings.push("empty file, skipped".to_owned());
    } else {
        documents.push(NewDocument {
            name: source_path.clone(),
            source_path: Some(source_path),
            text,
            encoding: encoding.to_owned(),
            ..NewDocument::default()
        });
    }
    Ok((documents, encoding, warnings))
}

/// Decodes a file's bytes and normalizes its line breaks to LF. Returns the text and the
/// encoding it was read as.
pub fn decode(bytes: &[u8], path: &Path) -> Result<(String, &'static str)> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (utf8(rest, path)?, "utf-8")
    } else if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(Error::input(path, None, format!("invalid {} text", encoding.name())));
        }
        let name = if encoding == encoding_rs::UTF_16BE {
            "utf-16be"
        } else {
            "utf-16le"
        };
        (text.into_owned(), name)
    } else if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, nul)),
            format!("binary file (NUL byte at byte {nul})"),
        ));
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "utf-8")
    } else if let Some(text) = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        (text.into_owned(), "gb18030")
    } else {
        let valid_up_to = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
        return Err(Error::input(
            path,
            Some(line_of_byte(bytes, valid_up_to)),
            format!("undecodable text at byte {valid_up_to}: neither UTF-8 nor GB18030"),
        ));
    };
    Ok((normalize_newlines(&text).0, encoding))
}

fn utf8(bytes: &[u8], path: &Path) -> Result<String> {
    std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
        Error::input(
            path,
            Some(line_of_byte(bytes, e.valid_up_to())),
            format!(
                "invalid UTF-8 after a UTF-8 byte-order mark, at byte {}",
                e.valid_up_to() + 3
            ),
        )
    })
}

fn line_of_byte(bytes: &[u8], byte: usize) -> usize {
    bytes[..byte.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Replaces CRLF and lone CR with LF. When anything changed, also returns the map from
/// each code-point offset of the input (and its end) to the offset in the output.
pub fn normalize_newlines(text: &str) -> (String, Option<Vec<usize>>) {
    if !text.contains('\r') {
        return (text.to_owned(), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut chars = text.chars().peekable();
    let mut n_out = 0;
    while let Some(c) = chars.next() {
        map.push(n_out);
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                // The LF of a CRLF lands on the same output character as its CR.
                chars.next();
                map.push(n_out);
            }
            out.push('\n');
        } else {
            out.push(c);
        }
        n_out += 1;
    }
    map.push(n_out);
    (out, Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_cr_become_lf_with_an_offset_map() {
        let (text, map) = normalize_newlines("甲\r\n乙\r丙");
        assert_eq!(text, "甲\n乙\n丙");
        assert_eq!(map, Some(vec![0, 1, 1, 2, 3, 4, 5]));
        assert_eq!(normalize_newlines("无换行").1, None);
    }

    #[test]
    fn decoding_reports_the_encoding() {
        let path = Path::new("t.txt");
        let (gbk, _, _) = encoding_rs::GBK.encode("长沙经开区");
        assert_eq!(decode(&gbk, path).expect("gbk"), ("长沙经开区".to_owned(), "gb18030"));
        assert_eq!(
            decode("𠮷\r\n".as_bytes(), path).expect("utf8"),
            ("𠮷\n".to_owned(), "utf-8")
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("湖南".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&utf16, path).expect("utf16"), ("湖南".to_owned(), "utf-16le"));
    }

    #[test]
    fn binary_and_undecodable_files_name_the_line() {
        let path = Path::new("data/x.txt");
        let err = decode(b"line one\nline\0two", path).expect_err("binary");
        assert_eq!(
            err.to_string(),
            "line 2: binary file (NUL byte at byte 13) in data/x.txt"
        );
        let err = decode(b"ok\nok\n\xff\xff\xff", path).expect_err("undecodable");
        assert_eq!(
            err.to_string(),
            "line 3: undecodable text at byte 6: neither UTF-8 nor GB18030 in data/x.txt"
        );
    }
}
