//! brat standoff: `doc-N.txt` with the text and `doc-N.ann` with `T1<TAB>TYPE START END<TAB>text`
//! and `R1<TAB>TYPE Arg1:T1 Arg2:T2` lines, plus an `annotation.conf` from the schema and a
//! `visual.conf`. Offsets are code points, end exclusive, as brat reads them.
//!
//! brat stores a type name only in `[a-zA-Z0-9_-]` (its config parser turns anything else into
//! `_`), so names outside it are written as ASCII names ([`ascii_name`]: pinyin for Chinese,
//! `任职` → `Ren_Zhi`), and `visual.conf` maps them back: its first line is [`NAME_MAP_MARKER`]
//! and its `[labels]` section has `ASCII_NAME | 原名` for every renamed type.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use pinyin::ToPinyin;

use super::is_colour;

use crate::model::{AnnotatedDocument, IndexedRelation, NewDocument, NewEntity};
use crate::schema::Schema;
use crate::text::char_slice;
use crate::{Error, Result};

/// The first line of a `visual.conf` whose `[labels]` map brat type names to the project's.
pub const NAME_MAP_MARKER: &str = "# biaozhu: brat type names mapped to the project's names";

/// The file stem of a document in the folder.
pub fn file_stem(document: &AnnotatedDocument) -> String {
    format!("doc-{:06}", document.id.0)
}

/// Whether brat stores `name` as it is.
pub fn is_brat_safe(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A brat-safe name for `name`: unchanged if brat stores it as it is; else each Chinese
/// character as its capitalised pinyin syllable, each run of ASCII letters and digits as it
/// is, any other character as `U` and its hex code point, joined by `_` (`任职` → `Ren_Zhi`,
/// `职务A` → `Zhi_Wu_A`). Deterministic, but not reversible on its own: `visual.conf` maps back.
pub fn ascii_name(name: &str) -> String {
    if is_brat_safe(name) {
        return name.to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            parts.push(std::mem::take(&mut run));
        }
        if c.is_whitespace() {
            continue;
        }
        let syllable: String = c
            .to_pinyin()
            .map(|p| p.plain().chars().filter(char::is_ascii_alphanumeric).collect())
            .unwrap_or_default();
        let mut letters = syllable.chars();
        match letters.next() {
            Some(first) => parts.push(first.to_ascii_uppercase().to_string() + letters.as_str()),
            None => parts.push(format!("U{:04X}", c as u32)),
        }
    }
    if !run.is_empty() {
        parts.push(run);
    }
    if parts.is_empty() {
        return "_".to_owned();
    }
    parts.join("_")
}

/// The brat names of a schema's labels and relation types: [`ascii_name`], with `_2`, `_3`, …
/// after a name already taken, in schema order (labels, then relation types), names brat
/// stores as they are taken first.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    labels: HashMap<String, String>,
    relation_types: HashMap<String, String>,
    /// `(brat name, project name)` of every renamed type, labels first, in schema order.
    renamed: Vec<(String, String)>,
}

impl TypeNames {
    pub fn new(schema: &Schema) -> TypeNames {
        let label_names = schema.labels.iter().map(|l| l.name.as_str());
        let kind_names = schema.relation_types.iter().map(|k| k.name.as_str());
        let mut taken: HashSet<String> = label_names
            .clone()
            .chain(kind_names.clone())
            .filter(|n| is_brat_safe(n))
            .map(str::to_owned)
            .collect();
        let mut names = TypeNames::default();
        let mut assign = |name: &str, map_of: fn(&mut TypeNames) -> &mut HashMap<String, String>| {
            if map_of(&mut names).contains_key(name) {
                return;
            }
            if is_brat_safe(name) {
                map_of(&mut names).insert(name.to_owned(), name.to_owned());
                return;
            }
            let base = ascii_name(name);
            let mut candidate = base.clone();
            let mut k = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}_{k}");
                k += 1;
            }
            taken.insert(candidate.clone());
            map_of(&mut names).insert(name.to_owned(), candidate.clone());
            names.renamed.push((candidate, name.to_owned()));
        };
        for name in label_names {
            assign(name, |n| &mut n.labels);
        }
        for name in kind_names {
            assign(name, |n| &mut n.relation_types);
        }
        names
    }

    /// The brat name of a label; one outside the schema gets its [`ascii_name`].
    pub fn label(&self, name: &str) -> String {
        self.labels.get(name).cloned().unwrap_or_else(|| ascii_name(name))
    }

    /// The brat name of a relation type; one outside the schema gets its [`ascii_name`].
    pub fn relation_type(&self, name: &str) -> String {
        self.relation_types
            .get(name)
            .cloned()
            .unwrap_or_else(|| ascii_name(name))
    }
}

/// The folder's configuration files, as `(name, content)`: `annotation.conf` and `visual.conf`.
pub fn config_files(schema: &Schema, names: &TypeNames) -> Vec<(String, String)> {
    vec![
        ("annotation.conf".to_owned(), annotation_conf(schema, names)),
        ("visual.conf".to_owned(), visual_conf(schema, names)),
    ]
}

/// The documents' files, as `(name, content)`: each document's `.txt` and `.ann`.
pub fn files(documents: &[&AnnotatedDocument], names: &TypeNames) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for document in documents {
        let stem = file_stem(document);
        files.push((format!("{stem}.txt"), document.text.clone()));
        files.push((format!("{stem}.ann"), ann(document, names)));
    }
    files
}

/// The `.ann` of one document.
pub fn ann(document: &AnnotatedDocument, names: &TypeNames) -> String {
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
            names.label(&entity.label),
            entity.char_start,
            entity.char_end
        );
    }
    for (i, relation) in document.relations.iter().enumerate() {
        let (Some(head), Some(tail)) = (t_of.get(&relation.head), t_of.get(&relation.tail)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "R{}\t{} Arg1:T{head} Arg2:T{tail}",
            i + 1,
            names.relation_type(&relation.kind)
        );
    }
    out
}

/// brat's configuration: the entity labels and the relation types with their arguments.
pub fn annotation_conf(schema: &Schema, names: &TypeNames) -> String {
    let mut out = String::from("[entities]\n");
    for label in &schema.labels {
        let _ = writeln!(out, "{}", names.label(&label.name));
    }
    out.push_str("\n[relations]\n");
    for kind in &schema.relation_types {
        let or_any = |labels: &[String]| {
            if labels.is_empty() {
                "<ENTITY>".to_owned()
            } else {
                labels.iter().map(|l| names.label(l)).collect::<Vec<_>>().join("|")
            }
        };
        let _ = writeln!(
            out,
            "{}\tArg1:{}, Arg2:{}",
            names.relation_type(&kind.name),
            or_any(&kind.head_labels),
            or_any(&kind.tail_labels)
        );
    }
    out.push_str("\n[events]\n\n[attributes]\n");
    out
}

/// brat's display configuration: [`NAME_MAP_MARKER`], then `[labels]` with `ASCII_NAME | 原名`
/// for every renamed type, and `[drawing]` with the labels' colours.
pub fn visual_conf(schema: &Schema, names: &TypeNames) -> String {
    let mut out = format!("{NAME_MAP_MARKER}\n[labels]\n");
    for (brat_name, name) in &names.renamed {
        let _ = writeln!(out, "{brat_name} | {name}");
    }
    out.push_str("\n[drawing]\n");
    for label in schema.labels.iter().filter(|l| is_colour(&l.color)) {
        let _ = writeln!(out, "{}\tbgColor:{}", names.label(&label.name), label.color);
    }
    out
}

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
/// first line is [`NAME_MAP_MARKER`].
pub fn renamed_types(visual_conf: &str) -> HashMap<String, String> {
    let mut names = HashMap::new();
    let mut lines = visual_conf.lines();
    if lines.next().map(str::trim_end) != Some(NAME_MAP_MARKER) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Label, RelationType};

    fn label(name: &str) -> Label {
        Label {
            name: name.into(),
            display_name: name.into(),
            color: "#aabbcc".into(),
            hotkey: None,
            description: String::new(),
        }
    }

    #[test]
    fn type_names_are_ascii_deterministic_and_distinct() {
        assert_eq!(ascii_name("任职"), "Ren_Zhi");
        assert_eq!(ascii_name("PER"), "PER");
        assert_eq!(ascii_name("职务A"), "Zhi_Wu_A");
        assert_eq!(ascii_name("a b"), "a_b");
        assert!(is_brat_safe(&ascii_name("😀")));
        let schema = Schema {
            labels: vec![label("人物"), label("Ren_Wu"), label("PER")],
            relation_types: vec![RelationType {
                name: "任务".into(),
                description: String::new(),
                head_labels: vec!["人物".into()],
                tail_labels: Vec::new(),
                hotkey: None,
            }],
        };
        let names = TypeNames::new(&schema);
        assert_eq!(
            names.label("人物"),
            "Ren_Wu_2",
            "Ren_Wu is taken by a label of that name"
        );
        assert_eq!(names.label("Ren_Wu"), "Ren_Wu");
        assert_eq!(names.relation_type("任务"), "Ren_Wu_3");
        let conf = annotation_conf(&schema, &names);
        assert!(conf.contains("Ren_Wu_3\tArg1:Ren_Wu_2, Arg2:<ENTITY>\n"), "{conf}");
        let visual = visual_conf(&schema, &names);
        assert!(visual.starts_with(&format!(
            "{NAME_MAP_MARKER}\n[labels]\nRen_Wu_2 | 人物\nRen_Wu_3 | 任务\n"
        )));
        assert!(visual.contains("PER\tbgColor:#aabbcc"));
    }
}
