//! brat standoff: `doc-N.txt` with the text and `doc-N.ann` with `T1<TAB>LABEL START END<TAB>text`
//! and `R1<TAB>TYPE Arg1:T1 Arg2:T2` lines, plus an `annotation.conf` from the schema.
//! Offsets are code points, end exclusive, as brat reads them.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::model::{AnnotatedDocument, IndexedRelation, NewDocument, NewEntity};
use crate::schema::Schema;
use crate::text::char_slice;
use crate::{Error, Result};

/// The file stem of a document in the folder.
pub fn file_stem(document: &AnnotatedDocument) -> String {
    format!("doc-{:06}", document.id.0)
}

/// The folder's files, as `(name, content)`: `annotation.conf`, then each document's
/// `.txt` and `.ann`.
pub fn files(documents: &[&AnnotatedDocument], schema: &Schema) -> Vec<(String, String)> {
    let mut files = vec![("annotation.conf".to_owned(), annotation_conf(schema))];
    for document in documents {
        let stem = file_stem(document);
        files.push((format!("{stem}.txt"), document.text.clone()));
        files.push((format!("{stem}.ann"), ann(document)));
    }
    files
}

/// The `.ann` of one document.
pub fn ann(document: &AnnotatedDocument) -> String {
    let mut out = String::new();
    let mut t_of = HashMap::new();
    for (i, entity) in document.entities.iter().enumerate() {
        t_of.insert(entity.id, i + 1);
        let text = char_slice(&document.text, entity.char_start, entity.char_end).unwrap_or_default();
        // A brat T line is one line: line breaks inside a span are written as spaces.
        let text = text.replace(['\n', '\r'], " ");
        let _ = writeln!(
            out,
            "T{}\t{} {} {}\t{text}",
            i + 1,
            entity.label,
            entity.char_start,
            entity.char_end
        );
    }
    for (i, relation) in document.relations.iter().enumerate() {
        let (Some(head), Some(tail)) = (t_of.get(&relation.head), t_of.get(&relation.tail)) else {
            continue;
        };
        let _ = writeln!(out, "R{}\t{} Arg1:T{head} Arg2:T{tail}", i + 1, relation.kind);
    }
    out
}

/// brat's configuration: the entity labels and the relation types with their arguments.
pub fn annotation_conf(schema: &Schema) -> String {
    let mut out = String::from("[entities]\n");
    for label in &schema.labels {
        let _ = writeln!(out, "{}", label.name);
    }
    out.push_str("\n[relations]\n");
    for kind in &schema.relation_types {
        let or_any = |labels: &[String]| {
            if labels.is_empty() {
                "<ENTITY>".to_owned()
            } else {
                labels.join("|")
            }
        };
        let _ = writeln!(
            out,
            "{}\tArg1:{}, Arg2:{}",
            kind.name,
            or_any(&kind.head_labels),
            or_any(&kind.tail_labels)
        );
    }
    out.push_str("\n[events]\n\n[attributes]\n");
    out
}

/// The first line of a `visual.conf` whose `[labels]` map brat type names back to the
/// project's names (`Ren_Zhi | 任职`). Without it a `visual.conf` renames nothing.
pub const RENAMED_TYPES_MARKER: &str = "# biaozhu: brat type names mapped to the project's names";

/// The decoded `.txt` and `.ann` of one brat document, with the paths that errors name.
#[derive(Debug, Clone, Copy)]
pub struct BratPair<'a> {
    /// The `.txt` as stored, line breaks not folded: brat's offsets count its CRs.
    pub text: &'a str,
    pub txt_path: &'a Path,
    /// The encoding the `.txt` was decoded from.
    pub encoding: &'a str,
    pub ann: &'a str,
    pub ann_path: &'a Path,
    /// The nearest `visual.conf` (in the `.ann`'s folder or above), if any.
    pub visual_conf: Option<&'a str>,
}

/// The type names a `visual.conf` maps back: brat name → project name, empty unless its
/// first line is [`RENAMED_TYPES_MARKER`].
pub fn renamed_types(visual_conf: &str) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let mut lines = visual_conf.lines();
    if lines.next().map(str::trim_end) != Some(RENAMED_TYPES_MARKER) {
        return names;
    }
    let mut in_labels = false;
    for line in lines {
        let line = line.trim();
        if line.starts_with('[') {
            in_labels = line == "[labels]";
            continue;
        }
        if !in_labels || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('|').map(str::trim);
        if let (Some(brat_name), Some(name)) = (fields.next(), fields.next())
            && !brat_name.is_empty()
            && !name.is_empty()
        {
            names.insert(brat_name.to_owned(), name.to_owned());
        }
    }
    names
}

/// Reads an `.ann` and the text it annotates into a document. Offsets and quoted span texts
/// are checked against the text as stored, then mapped through the folding of CRLF and CR
/// to LF.
pub fn read(pair: BratPair<'_>, annotator: &str) -> Result<NewDocument> {
    let BratPair {
        text: raw_text,
        txt_path,
        encoding,
        ann,
        ann_path,
        visual_conf,
    } = pair;
    let renamed = visual_conf.map(renamed_types).unwrap_or_default();
    let project_name = |name: &str| renamed.get(name).cloned().unwrap_or_else(|| name.to_owned());
    let (text, char_map) = crate::text::normalize_newlines(raw_text);
    let folded = |offset: usize| char_map.as_ref().map_or(Some(offset), |map| map.get(offset).copied());
    let n_chars = raw_text.chars().count();
    let mut entities = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut relation_ids: HashSet<String> = HashSet::new();
    let mut relations = Vec::new();
    for (i, line) in ann.lines().enumerate() {
        let fail = |message: String| Error::input(ann_path, Some(i + 1), message);
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with('A') || line.starts_with('M') {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let body = fields
            .next()
            .ok_or_else(|| fail(format!("expected a TAB after {id:?}")))?;
        if id.starts_with('T') {
            let mut words = body.split(' ');
            let label = words.next().unwrap_or_default();
            let offsets: Vec<&str> = words.collect();
            if offsets.len() != 2 || offsets.iter().any(|o| o.contains(';')) || body.contains(';') {
                return Err(fail(format!(
                    "{id}: discontinuous or malformed span {body:?} (biaozhu spans are continuous)"
                )));
            }
            let parse = |s: &str| {
                s.parse::<usize>()
                    .map_err(|_| fail(format!("{id}: offset {s:?} is not a number")))
            };
            let (start, end) = (parse(offsets[0])?, parse(offsets[1])?);
            if start >= end || end > n_chars {
                return Err(fail(format!(
                    "{id}: span [{start}, {end}) is empty or past text length {n_chars}"
                )));
            }
            if let Some(quoted) = fields.next() {
                let actual = char_slice(raw_text, start, end).unwrap_or_default();
                // brat writes a T line on one line: its line breaks become spaces.
                let one_space_each = actual.replace(['\n', '\r'], " ");
                let one_space_a_break = actual.replace("\r\n", " ").replace(['\n', '\r'], " ");
                if quoted != one_space_each && quoted != one_space_a_break {
                    return Err(fail(format!(
                        "{id}: the line quotes {quoted:?} but the text has {one_space_each:?}"
                    )));
                }
            }
            let (Some(char_start), Some(char_end)) = (folded(start), folded(end)) else {
                return Err(fail(format!("{id}: span [{start}, {end}) is past the text")));
            };
            if char_start >= char_end {
                return Err(fail(format!("{id}: span [{start}, {end}) holds only a line break")));
            }
            if index_of.insert(id.to_owned(), entities.len()).is_some() {
                return Err(fail(format!("{id}: a second T line with this id")));
            }
            entities.push(NewEntity::imported(
                char_start,
                char_end,
                project_name(label),
                annotator,
            ));
        } else if id.starts_with('R') {
            let mut words = body.split(' ');
            let kind = project_name(words.next().unwrap_or_default());
            let mut argument = |name: &str| -> Result<usize> {
                let word = words.next().unwrap_or_default();
                let target = word
                    .strip_prefix(name)
                    .and_then(|w| w.strip_prefix(':'))
                    .ok_or_else(|| fail(format!("{id}: expected {name}:T… , found {word:?}")))?;
                index_of
                    .get(target)
                    .copied()
                    .ok_or_else(|| fail(format!("{id}: {target} is not a T line above")))
            };
            let head = argument("Arg1")?;
            let tail = argument("Arg2")?;
            if !relation_ids.insert(id.to_owned()) {
                return Err(fail(format!("{id}: a second R line with this id")));
            }
            relations.push(IndexedRelation::imported(head, tail, kind));
        } else {
            return Err(fail(format!("{id}: only T and R lines are supported")));
        }
    }
    let name = txt_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(NewDocument {
        name,
        source_path: Some(txt_path.to_string_lossy().into_owned()),
        text,
        encoding: encoding.to_owned(),
        entities,
        relations,
        relation_annotator: annotator.to_owned(),
        labelled: true,
        ..NewDocument::default()
    })
}
