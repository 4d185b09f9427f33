//! Importing files into a project: `.txt` and `.md` (one document each), `.json` and `.jsonl`
//! (a Label Studio array, or JSON lines of doccano, CLUENER, DuIE, spaCy/Prodigy or Hugging
//! Face style, told apart by their fields: `formats::json`), brat `.ann` (with the `.txt`
//! beside it), character tagging (`.conll`, `.bio`, `.bioes`, `.bmes`, `.bilou`, and `.txt`
//! with `txt_as: conll`), `.csv` and `.tsv` tables, and folders of them.
//!
//! Bytes are decoded (UTF-8 with or without BOM, UTF-16 with BOM, else the CJK encoding
//! detected, or the one `ReadOptions::encoding` names) and line breaks normalized to LF
//! before any offset exists. Each file is one transaction:
//! a bad file is reported with its path and line and leaves the project as it was.

use std::path::{Path, PathBuf};

use crate::formats::{self, brat::BratPair};
use crate::model::{NewDocument, RelationType};
use crate::store::{ImportSummary, OnConflict, Store};
use crate::text::{decode_raw, decode_with, encoding_for_label};
use crate::{Error, Result};

/// File endings that import reads.
pub const EXTENSIONS: [&str; 12] = [
    "txt", "md", "jsonl", "json", "ann", "conll", "bio", "bioes", "bmes", "bilou", "csv", "tsv",
];

/// How files are read: whose annotations they bring, and what the files cannot say themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The annotator recorded on annotations that the files bring in.
    pub annotator: String,
    /// Decode every file as this encoding (an `encoding_rs` label such as `big5`) instead
    /// of detecting it.
    pub encoding: Option<String>,
    /// Tag names for integer tags (`ner_tags` as numbers, tag columns as numbers), by index.
    pub tag_names: Option<Vec<String>>,
    /// Read `.txt` files as character tagging (`conll`) instead of plain text.
    pub txt_as: Option<String>,
    /// What to do with a record whose annotations conflict with those already stored for
    /// its text (in the project or earlier in the file).
    pub on_conflict: OnConflict,
}

impl ReadOptions {
    /// Options that only name the annotator.
    pub fn new(annotator: &str) -> Self {
        ReadOptions {
            annotator: annotator.to_owned(),
            ..ReadOptions::default()
        }
    }
}

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
    /// `utf-8`, `utf-16le`, `utf-16be`, `gb18030`, `big5`, `shift_jis`, `euc-kr`… (lowercase
    /// `encoding_rs` names).
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
            total.n_documents_extended += s.n_documents_extended;
            total.n_documents_unchanged += s.n_documents_unchanged;
            total.n_entities_added += s.n_entities_added;
            total.n_relations_added += s.n_relations_added;
            total.labels_added.extend(s.labels_added.iter().cloned());
            total
                .relation_types_added
                .extend(s.relation_types_added.iter().cloned());
            total.skipped.extend(s.skipped.iter().cloned());
        }
        total
    }
}

/// Imports files and folders (recursively), each file in its own transaction. Every path is
/// walked first ([`walk_paths`]); a bad path or file does not stop the others.
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    options: &ReadOptions,
    on_progress: &mut dyn FnMut(ImportProgress<'_>),
) -> ImportReport {
    if let Some(Err(e)) = options.encoding.as_deref().map(encoding_for_label) {
        return ImportReport {
            errors: vec![e],
            ..ImportReport::default()
        };
    }
    let (files, errors) = walk_paths(paths);
    let mut report = ImportReport {
        errors,
        ..ImportReport::default()
    };
    let n_files = files.len();
    for (file_index, path) in files.iter().enumerate() {
        match import_file(store, path, options, &mut |n_documents_done, n_documents_in_file| {
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
    options: &ReadOptions,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<FileReport> {
    let (mut documents, encoding, mut warnings) = read_file(path, options)?;
    validate(
        &mut documents,
        path,
        &store.relation_types()?,
        options.on_conflict,
        &mut warnings,
    )?;
    let n_documents = documents.len();
    let summary = store
        .import_documents_with(&documents, options.on_conflict, &mut |done| {
            on_progress(done, n_documents)
        })
        .map_err(|e| match e {
            Error::Conflict { document, message } => record_error(path, &document, message),
            e => e,
        })?;
    warnings.extend(summary.skipped.iter().map(|skipped| {
        let message = format!("annotations skipped: {}", skipped.reason);
        match line_of_record(path, &skipped.name) {
            Some(line) => format!("line {line}: {message}"),
            None => format!("document {}: {message}", skipped.name),
        }
    }));
    Ok(FileReport {
        path: path.to_path_buf(),
        encoding,
        summary,
        warnings,
    })
}

/// Refuses a file whose annotations the app would refuse: entities that overlap in one
/// annotator's layer, self-relations, relations whose labels break their type (a type the
/// project lacks is one import adds, unconstrained). Names the line of a `.jsonl` or
/// CoNLL document (`file.jsonl:LINE`), else the document. Under [`OnConflict::Skip`] such a
/// record is left out with a warning at its line instead; bad names and texts are always refused.
fn validate(
    documents: &mut Vec<NewDocument>,
    path: &Path,
    types: &[RelationType],
    on_conflict: OnConflict,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let mut kept = Vec::with_capacity(documents.len());
    for document in std::mem::take(documents) {
        check_names_and_text(&document, path)?;
        let Some(first) = crate::integrity::check_new_document(&document, types)
            .into_iter()
            .next()
        else {
            kept.push(document);
            continue;
        };
        let message = format!("{}: {}", first.kind.as_str(), first.detail);
        match on_conflict {
            OnConflict::Refuse => return Err(record_error(path, &document.name, message)),
            OnConflict::Skip => warnings.push(match line_of_record(path, &document.name) {
                Some(line) => format!("line {line}: record skipped: {message}"),
                None => format!("document {}: record skipped: {message}", document.name),
            }),
        }
    }
    *documents = kept;
    Ok(())
}

/// Refuses a label or relation type name the schema would refuse, and a text holding a
/// control character other than TAB and LF (a NUL, a form feed…), at the record's line or
/// the line of a plain text file.
fn check_names_and_text(document: &NewDocument, path: &Path) -> Result<()> {
    let names = document.entities.iter().map(|e| e.label.as_str());
    for name in names.chain(document.relations.iter().map(|r| r.kind.as_str())) {
        if let Err(reason) = crate::model::check_label_name(name) {
            return Err(record_error(path, &document.name, reason));
        }
    }
    let Some((char_offset, control)) = document
        .text
        .chars()
        .enumerate()
        .find(|(_, c)| u32::from(*c) < 0x20 && !matches!(c, '\t' | '\n'))
    else {
        return Ok(());
    };
    let message = format!(
        "the text holds the control character U+{:04X} at character {char_offset}",
        u32::from(control)
    );
    let line_in_text = document.text.chars().take(char_offset).filter(|c| *c == '\n').count() + 1;
    Err(match line_of_record(path, &document.name) {
        Some(line) => Error::input(path, Some(line), message),
        None if document.source_path.as_deref() == path.to_str() && document.name == path.to_string_lossy() => {
            Error::input(path, Some(line_in_text), message)
        }
        None => Error::input(
            path,
            None,
            format!(
                "{message} (line {line_in_text} of its text) in document {}",
                document.name
            ),
        ),
    })
}

/// The line a document's name `FILE:LINE` gives, for records of line formats (the file
/// name is `path`'s).
fn line_of_record(path: &Path, name: &str) -> Option<usize> {
    let file_name = path.file_name()?.to_str()?;
    name.strip_prefix(file_name)?.strip_prefix(':')?.parse::<usize>().ok()
}

/// An error about one record of `path`: at its line, else naming the document.
fn record_error(path: &Path, name: &str, message: String) -> Error {
    match line_of_record(path, name) {
        Some(line) => Error::input(path, Some(line), message),
        None => Error::input(path, None, format!("{message} in document {name}")),
    }
}

/// The files `paths` name, folders walked (sorted, hidden entries skipped), or the first
/// path that cannot be imported.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let (files, mut errors) = walk_paths(paths);
    match errors.is_empty() {
        true => Ok(files),
        false => Err(errors.remove(0)),
    }
}

/// Every file `paths` name, folders walked, and an error for each path that cannot be
/// imported: missing, unreadable, not a regular file (a FIFO or a device would block or
/// never end), a symlink loop, an unknown file type. Nothing is read yet, so a bad path
/// is reported before anything is written, and the good files still import.
pub fn walk_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut visited = std::collections::HashSet::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => errors.push(Error::io(path, e)),
            Ok(metadata) if metadata.is_dir() => {
                let mut found = Vec::new();
                walk(path, &mut found, &mut errors, &mut visited);
                found.sort();
                files.extend(found);
            }
            Ok(metadata) if !metadata.is_file() => errors.push(not_regular(path)),
            Ok(_) if has_known_extension(path) => files.push(path.clone()),
            Ok(_) => errors.push(Error::input(
                path,
                None,
                "unsupported file type (expected .txt, .md, .jsonl, .json, .ann, .conll, .bio, .bioes, .bmes, \
                 .bilou, .csv or .tsv)",
            )),
        }
    }
    (brat_pairs_once(files), errors)
}

/// The files with a brat `.txt` that has its `.ann` beside it named by the `.ann`, each once:
/// `import d.txt d.ann` reads the pair once.
fn brat_pairs_once(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .map(|path| {
            let ann = path.with_extension("ann");
            match path.extension().is_some_and(|e| e == "txt") && ann.is_file() {
                true => ann,
                false => path,
            }
        })
        .filter(|path| seen.insert(path.clone()))
        .collect()
}

fn not_regular(path: &Path) -> Error {
    Error::input(
        path,
        None,
        "not a regular file (a FIFO, socket or device): nothing imported from it",
    )
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The dataset card and label list of a Hugging Face dataset folder (as `export --format
/// hf` writes it: a `README.md` opening with YAML front matter beside a `label_list.json`),
/// which describe its `.jsonl` files and are not documents themselves.
fn hf_dataset_files(dir: &Path) -> Vec<PathBuf> {
    let (card, label_list) = (dir.join("README.md"), dir.join("label_list.json"));
    let is_card = std::fs::read(&card).is_ok_and(|bytes| bytes.starts_with(b"---\n"));
    match is_card && label_list.is_file() {
        true => vec![card, label_list],
        false => Vec::new(),
    }
}

/// Walks `dir`, following symlinks but never into a folder twice (a loop is an error).
fn walk(
    dir: &Path,
    found: &mut Vec<PathBuf>,
    errors: &mut Vec<Error>,
    visited: &mut std::collections::HashSet<PathBuf>,
) {
    match dir.canonicalize() {
        Ok(real) => {
            if !visited.insert(real) {
                errors.push(Error::input(
                    dir,
                    None,
                    "walked already: a symlink loop, or a second link to this folder",
                ));
                return;
            }
        }
        Err(e) => {
            errors.push(Error::io(dir, e));
            return;
        }
    }
    let dataset_files = hf_dataset_files(dir);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Error::io(dir, e));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(Error::io(dir, e));
                continue;
            }
        };
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || dataset_files.contains(&path) {
            continue;
        }
        let metadata = match std::fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(e) => {
                errors.push(Error::io(&path, e));
                continue;
            }
        };
        // A brat `.txt` comes in through its `.ann`.
        let brat_text = path.extension().is_some_and(|e| e == "txt") && path.with_extension("ann").is_file();
        if metadata.is_dir() {
            walk(&path, found, errors, visited);
        } else if has_known_extension(&path) && !brat_text {
            if metadata.is_file() {
                found.push(path);
            } else {
                errors.push(not_regular(&path));
            }
        }
    }
}

/// Reads and parses one file without touching a project.
pub fn read_file(path: &Path, options: &ReadOptions) -> Result<(Vec<NewDocument>, &'static str, Vec<String>)> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let annotator = options.annotator.as_str();
    let read = |path: &Path| -> Result<(String, &'static str)> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        decode_with(&bytes, path, options.encoding.as_deref())
    };
    if extension == "ann" {
        return read_brat(path, options);
    }
    if extension == "txt" && options.txt_as.is_none() && path.with_extension("ann").is_file() {
        return read_brat(&path.with_extension("ann"), options);
    }
    // A CSV field's offsets count the CRs of its quoted line breaks: the reader folds them.
    let (text, encoding) = match extension.as_str() {
        "csv" | "tsv" => decode_raw(
            &std::fs::read(path).map_err(|e| Error::io(path, e))?,
            path,
            options.encoding.as_deref(),
        )?,
        _ => read(path)?,
    };
    let source_path = path.to_string_lossy().into_owned();
    let tag_names = options.tag_names.as_deref();
    let tagging = match (extension.as_str(), options.txt_as.as_deref()) {
        ("conll" | "bio" | "bioes" | "bmes" | "bilou", _) | ("txt", Some("conll")) => true,
        (_, None | Some("text" | "conll")) => false,
        (_, Some(other)) => {
            return Err(Error::Invalid(format!(
                "--txt-as takes `conll` (character tagging) or `text`, not {other:?}"
            )));
        }
    };
    let (mut documents, warnings) = match extension.as_str() {
        _ if tagging => (formats::conll::read(&text, path, annotator, tag_names)?, Vec::new()),
        "json" | "jsonl" => formats::json::read(&text, path, annotator, tag_names)?,
        "csv" => formats::table::read(&text, path, b',', annotator)?,
        "tsv" => formats::table::read(&text, path, b'\t', annotator)?,
        _ if text.trim().is_empty() => return Ok((Vec::new(), encoding, vec!["empty file, skipped".to_owned()])),
        _ => {
            let document = NewDocument {
                name: source_path.clone(),
                source_path: Some(source_path),
                text,
                encoding: encoding.to_owned(),
                ..NewDocument::default()
            };
            return Ok((vec![document], encoding, Vec::new()));
        }
    };
    for document in &mut documents {
        document.source_path = Some(source_path.clone());
        document.encoding = encoding.to_owned();
    }
    Ok((documents, encoding, warnings))
}

/// Reads a brat `.ann` with the `.txt` beside it, the text as stored (brat counts its CRs),
/// and the nearest `visual.conf`.
fn read_brat(ann_path: &Path, options: &ReadOptions) -> Result<(Vec<NewDocument>, &'static str, Vec<String>)> {
    let read_bytes = |path: &Path| std::fs::read(path).map_err(|e| Error::io(path, e));
    let txt_path = ann_path.with_extension("txt");
    let (text, encoding) = decode_raw(&read_bytes(&txt_path)?, &txt_path, options.encoding.as_deref())?;
    let (ann, _) = decode_with(&read_bytes(ann_path)?, ann_path, options.encoding.as_deref())?;
    let visual_conf = match nearest_visual_conf(ann_path) {
        Some(conf_path) => Some(decode_with(&read_bytes(&conf_path)?, &conf_path, None)?.0),
        None => None,
    };
    let pair = BratPair {
        text: &text,
        txt_path: &txt_path,
        encoding,
        ann: &ann,
        ann_path,
        visual_conf: visual_conf.as_deref(),
    };
    Ok((
        vec![formats::brat::read(pair, &options.annotator)?],
        encoding,
        Vec::new(),
    ))
}

/// The `visual.conf` in the folder of `ann_path` or the nearest folder above it, as brat
/// looks for its configuration.
fn nearest_visual_conf(ann_path: &Path) -> Option<PathBuf> {
    let folder = ann_path.canonicalize().ok()?.parent()?.to_path_buf();
    folder
        .ancestors()
        .map(|dir| dir.join("visual.conf"))
        .find(|conf| conf.is_file())
}
