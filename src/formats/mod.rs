//! Dataset formats, one module per format, each with a reader and a writer.
//!
//! Pure: readers take text and return [`NewDocument`]s, writers take [`AnnotatedDocument`]s
//! (the project's layer after the export options: statuses, annotator, labels, renames)
//! and return bytes. Output is deterministic: documents by id, entities by offset, stable
//! ids, no timestamps. `project::export` and `project::import` do the files.

pub mod brat;
pub mod cluener;
pub mod conll;
pub mod doccano;
pub mod duie;
pub mod hf;
pub mod json;
pub mod jsonl;
pub mod label_studio;
pub mod spacy;
pub mod table;
pub mod tagging;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::{AnnotatedDocument, Entity, EntityId, Label, RelationType, StatusFilter};
use crate::schema::Schema;
use crate::{Error, Result};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// doccano JSONL with relations.
    Doccano,
    /// brat standoff: a `.txt` and an `.ann` per document, an `annotation.conf` and a `visual.conf`
    /// (ASCII type names mapped back to the project's), in a folder.
    Brat,
    /// Character-level CoNLL: one `char TAG` a line, a blank line between sentences.
    Conll,
    /// spaCy/Prodigy JSONL: jieba tokens, spans with token indexes, relations.
    Spacy,
    /// Label Studio JSON: a list of tasks with `labels` and `relation` results.
    LabelStudio,
    /// A Hugging Face dataset folder: a JSONL file per split (characters as `tokens`, `ner_tags`
    /// as strings, documents cut into rows at sentence ends), `label_list.json` and a `README.md`
    /// dataset card that makes `datasets.load_dataset` read the tags as a `ClassLabel`.
    Hf,
    /// CLUENER JSON lines: `{"text", "label": {LABEL: {MENTION: [[start, inclusive end]]}}}`.
    Cluener,
    /// DuIE JSON lines: `{"text", "spo_list": [{"predicate", "subject", "object": {"@value"}, …}]}`.
    Duie,
    /// CSV with a header: `id,name,text,entities`, entities as JSON `[[start, end, label]]`.
    Csv,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Doccano,
        Format::Brat,
        Format::Conll,
        Format::Spacy,
        Format::LabelStudio,
        Format::Hf,
        Format::Cluener,
        Format::Duie,
        Format::Csv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Doccano => "doccano",
            Format::Brat => "brat",
            Format::Conll => "conll",
            Format::Spacy => "spacy",
            Format::LabelStudio => "label-studio",
            Format::Hf => "hf",
            Format::Cluener => "cluener",
            Format::Duie => "duie",
            Format::Csv => "csv",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The name an export of this format gets unless told otherwise: a file, or for brat
    /// and HF a folder.
    pub fn default_output(self) -> &'static str {
        match self {
            Format::Doccano => "doccano.jsonl",
            Format::Brat => "brat",
            Format::Conll => "dataset.conll",
            Format::Spacy => "spacy.jsonl",
            Format::LabelStudio => "label-studio.json",
            Format::Hf => "hf",
            Format::Cluener => "cluener.json",
            Format::Duie => "duie.json",
            Format::Csv => "dataset.csv",
        }
    }

    /// Whether the output is a folder rather than a file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Format::Brat | Format::Hf)
    }

    /// Whether the format carries relations. DuIE carries only relations and their ends.
    pub fn has_relations(self) -> bool {
        !matches!(self, Format::Conll | Format::Hf | Format::Cluener | Format::Csv)
    }
}

/// Tags for the token-level formats. BIOES, BMES and BILOU are one scheme with three
/// spellings: BMES writes inner characters `M` and single ones `S`, BILOU last ones `L`
/// and single ones `U`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TagScheme {
    #[default]
    Bio,
    Bioes,
    Bmes,
    Bilou,
}

impl TagScheme {
    pub const ALL: [TagScheme; 4] = [TagScheme::Bio, TagScheme::Bioes, TagScheme::Bmes, TagScheme::Bilou];

    pub fn name(self) -> &'static str {
        match self {
            TagScheme::Bio => "bio",
            TagScheme::Bioes => "bioes",
            TagScheme::Bmes => "bmes",
            TagScheme::Bilou => "bilou",
        }
    }

    pub fn parse(name: &str) -> Option<TagScheme> {
        TagScheme::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The prefixes of a scheme's tags: first, inner, last and single character.
    pub fn prefixes(self) -> [&'static str; 4] {
        match self {
            TagScheme::Bio => ["B", "I", "I", "B"],
            TagScheme::Bioes => ["B", "I", "E", "S"],
            TagScheme::Bmes => ["B", "M", "E", "S"],
            TagScheme::Bilou => ["B", "I", "L", "U"],
        }
    }
}

/// The column separator of CoNLL exports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColumnSeparator {
    #[default]
    Space,
    /// doccano's CoNLL importer splits columns on tabs.
    Tab,
}

impl ColumnSeparator {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnSeparator::Space => " ",
            ColumnSeparator::Tab => "\t",
        }
    }
}

/// The default longest HF row, in characters: 512 tokens less `[CLS]` and `[SEP]`.
pub const DEFAULT_MAX_CHARS: usize = 510;

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    pub statuses: StatusFilter,
    /// Only this annotator's annotations.
    pub annotator: Option<String>,
    /// Only these labels (after renaming); all when `None`.
    pub labels: Option<Vec<String>>,
    /// Label renames, `(old, new)`.
    pub rename: Vec<(String, String)>,
    pub scheme: TagScheme,
    /// Parts and their shares, e.g. train 0.8, dev 0.1, test 0.1; one file when empty.
    pub split: Vec<(String, f64)>,
    pub seed: u64,
    /// The longest HF row, in characters; documents are cut at sentence ends to fit.
    pub max_chars: usize,
    /// Between the columns of a CoNLL line.
    pub conll_separator: ColumnSeparator,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            statuses: StatusFilter::Accepted,
            annotator: None,
            labels: None,
            rename: Vec::new(),
            scheme: TagScheme::Bio,
            split: Vec::new(),
            seed: 0,
            max_chars: DEFAULT_MAX_CHARS,
            conll_separator: ColumnSeparator::Space,
        }
    }
}

/// Parses `train=0.8,dev=0.1,test=0.1`.
pub fn parse_split(spec: &str) -> Result<Vec<(String, f64)>> {
    let mut parts = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let parsed = part
            .split_once('=')
            .and_then(|(name, share)| Some((name.trim().to_owned(), share.trim().parse::<f64>().ok()?)));
        match parsed {
            Some((name, share)) if !name.is_empty() && share >= 0.0 => parts.push((name, share)),
            _ => {
                return Err(Error::Invalid(format!(
                    "--split takes name=share pairs like train=0.8,dev=0.1, not {part:?}"
                )));
            }
        }
    }
    let total: f64 = parts.iter().map(|p| p.1).sum();
    if parts.is_empty() || (total - 1.0).abs() > 1e-6 {
        return Err(Error::Invalid(format!(
            "the --split shares must add up to 1, not {total}"
        )));
    }
    Ok(parts)
}

/// Parses `OLD=NEW` label renames.
pub fn parse_rename(spec: &str) -> Result<(String, String)> {
    spec.split_once('=')
        .map(|(old, new)| (old.trim().to_owned(), new.trim().to_owned()))
        .filter(|(old, new)| !old.is_empty() && !new.is_empty())
        .ok_or_else(|| Error::Invalid(format!("--map takes OLD=NEW, not {spec:?}")))
}

/// The layers as the options shape them: labels renamed, then filtered, and the relations
/// whose both ends are still there.
pub fn prepare(layers: Vec<AnnotatedDocument>, options: &ExportOptions) -> Vec<AnnotatedDocument> {
    layers
        .into_iter()
        .map(|mut document| {
            for entity in &mut document.entities {
                if let Some((_, new)) = options.rename.iter().find(|(old, _)| *old == entity.label) {
                    entity.label = new.clone();
                }
            }
            if let Some(labels) = &options.labels {
                document.entities.retain(|e| labels.contains(&e.label));
            }
            let kept: std::collections::HashSet<EntityId> = document.entities.iter().map(|e| e.id).collect();
            document
                .relations
                .retain(|r| kept.contains(&r.head) && kept.contains(&r.tail));
            document
        })
        .collect()
}

/// The documents of an export that hold more than one annotator's layer, and whose layers
/// those are. Formats that allow overlaps write such layers together, duplicates included, so
/// the user is told rather than handed a mixed dataset unawares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MixedLayers {
    pub n_documents: usize,
    /// Sorted, each once.
    pub annotators: Vec<String>,
}

pub fn mixed_layers(documents: &[AnnotatedDocument]) -> MixedLayers {
    let mut n_documents = 0;
    let mut annotators = std::collections::BTreeSet::new();
    for document in documents {
        let layers: std::collections::BTreeSet<&str> = document
            .entities
            .iter()
            .map(|e| e.annotator.as_str())
            .chain(document.relations.iter().map(|r| r.annotator.as_str()))
            .collect();
        if layers.len() > 1 {
            n_documents += 1;
            annotators.extend(layers);
        }
    }
    MixedLayers {
        n_documents,
        annotators: annotators.into_iter().map(str::to_owned).collect(),
    }
}

/// The schema as the options shape it: labels renamed (two renamed to one become one), then
/// filtered, with the labels the documents carry that the schema lacks; relation types with
/// their argument labels renamed and filtered. A relation type whose allowed heads or tails
/// are all filtered out is left out: no exported relation can have it, and an empty list
/// would mean "any label".
pub fn export_schema(schema: &Schema, documents: &[AnnotatedDocument], options: &ExportOptions) -> Schema {
    let renamed = |name: &str| -> String {
        options
            .rename
            .iter()
            .find(|(old, _)| old == name)
            .map_or_else(|| name.to_owned(), |(_, new)| new.clone())
    };
    let kept = |name: &str| {
        options
            .labels
            .as_ref()
            .is_none_or(|labels| labels.iter().any(|l| l == name))
    };
    let mut labels: Vec<Label> = Vec::new();
    for label in &schema.labels {
        let name = renamed(&label.name);
        if kept(&name) && !labels.iter().any(|l| l.name == name) {
            labels.push(Label { name, ..label.clone() });
        }
    }
    for entity in documents.iter().flat_map(|d| &d.entities) {
        if !labels.iter().any(|l| l.name == entity.label) {
            labels.push(Label {
                name: entity.label.clone(),
                display_name: entity.label.clone(),
                color: String::new(),
                hotkey: None,
                description: String::new(),
            });
        }
    }
    let relation_types = schema
        .relation_types
        .iter()
        .filter_map(|kind| {
            let shaped = |allowed: &[String]| -> Option<Vec<String>> {
                let mut names: Vec<String> = Vec::new();
                for name in allowed.iter().map(|l| renamed(l)).filter(|l| kept(l)) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                (allowed.is_empty() || !names.is_empty()).then_some(names)
            };
            Some(RelationType {
                head_labels: shaped(&kind.head_labels)?,
                tail_labels: shaped(&kind.tail_labels)?,
                ..kind.clone()
            })
        })
        .collect();
    Schema { labels, relation_types }
}

/// Whether `colour` is `#rrggbb`, as schema colours are.
pub(crate) fn is_colour(colour: &str) -> bool {
    colour.len() == 7 && colour.starts_with('#') && colour.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}

/// Characters after which a sentence ends.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Closing quotes and brackets, which stay with the sentence they close.
fn closes_sentence(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')')
}

/// For every cut `b` in `0..=n_chars`, whether cutting before character `b` would split an entity.
pub(crate) fn cuts_inside_entities(document: &AnnotatedDocument, n_chars: usize) -> Vec<bool> {
    let mut inside = vec![false; n_chars + 1];
    for e in &document.entities {
        let interior = (e.char_start + 1).min(n_chars + 1)..e.char_end.min(n_chars + 1);
        if let Some(cuts) = inside.get_mut(interior) {
            cuts.fill(true);
        }
    }
    inside
}

/// Where sentences end, as ascending cuts in `1..chars.len()`: after 。！？；!?; with the
/// closing quotes or brackets right after it, and after a line break (a break after a mark
/// goes after the line break that follows it); never inside an entity. The CoNLL writer
/// writes a blank line at each, and the HF writer cuts its rows there.
pub(crate) fn sentence_ends(chars: &[char], inside_entity: &[bool]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut after_mark = false;
    for (i, &c) in chars.iter().enumerate() {
        after_mark = ends_sentence(c) || (after_mark && closes_sentence(c));
        let held = chars.get(i + 1).is_some_and(|&n| closes_sentence(n) || n == '\n');
        let cut = i + 1;
        if after_mark && !held && cut < chars.len() && !inside_entity.get(cut).copied().unwrap_or(true) {
            ends.push(cut);
        }
    }
    ends
}

/// Assigns documents to parts: shuffled by a hash of the seed and the document id, then
/// cut by the shares. The same project and seed always give the same split.
pub fn split_documents<'d>(
    documents: &'d [AnnotatedDocument],
    split: &[(String, f64)],
    seed: u64,
) -> Vec<(String, Vec<&'d AnnotatedDocument>)> {
    if split.is_empty() {
        return vec![(String::new(), documents.iter().collect())];
    }
    let mut order: Vec<&AnnotatedDocument> = documents.iter().collect();
    order.sort_by_key(|d| (mix(seed ^ d.id.0 as u64), d.id));
    let n = order.len();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut cumulative = 0.0;
    for (i, (name, share)) in split.iter().enumerate() {
        cumulative += share;
        let end = if i + 1 == split.len() {
            n
        } else {
            ((cumulative * n as f64).round() as usize).min(n)
        };
        let mut part: Vec<&AnnotatedDocument> = order[start..end.max(start)].to_vec();
        part.sort_by_key(|d| d.id);
        parts.push((name.clone(), part));
        start = end.max(start);
    }
    parts
}

/// SplitMix64: a fixed, well-spread hash, the same on every platform and build.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Where a part goes: `out` itself without a split; `name.train.jsonl` or `out/train/` with one.
pub fn part_path(out: &Path, format: Format, part: &str) -> PathBuf {
    if part.is_empty() {
        return out.to_path_buf();
    }
    if format.writes_folder() {
        return out.join(part);
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match out.extension() {
        Some(ext) => format!("{stem}.{part}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{part}"),
    };
    out.with_file_name(name)
}

/// One chunk of a part in a single-file format, as bytes: the documents' lines, or for
/// Label Studio the chunk's tasks as list elements (the caller writes
/// [`label_studio::LIST_OPEN`], [`label_studio::BETWEEN_CHUNKS`] and
/// [`label_studio::LIST_CLOSE`] around them). Brat writes files: see [`brat::files`].
pub fn write_chunk(format: Format, documents: &[&AnnotatedDocument], options: &ExportOptions) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        Format::Doccano => documents
            .iter()
            .try_for_each(|d| doccano::write_document(d, &mut out))?,
        Format::Conll => conll::write(documents, options.scheme, options.conll_separator, &mut out)?,
        Format::Spacy => spacy::write(documents, &mut out)?,
        Format::LabelStudio => label_studio::write_tasks(documents, &mut out)?,
        Format::Hf => hf::write(documents, options.scheme, options.max_chars, &mut out)?,
        Format::Cluener => cluener::write(documents, &mut out)?,
        Format::Duie => duie::write(documents, &mut out)?,
        Format::Csv => table::write(documents, &mut out)?,
        Format::Brat => {}
    }
    Ok(out)
}

/// What a single-file format writes once, before its first chunk: the CSV header row.
pub fn file_header(format: Format) -> &'static [u8] {
    match format {
        Format::Csv => table::HEADER,
        _ => b"",
    }
}

/// The HF label list file beside the data: every tag of the exported schema's labels
/// ([`export_schema`]: after renames and filters, with the data's own labels), `O` first.
pub fn hf_label_list(export_schema: &Schema, scheme: TagScheme) -> Result<Vec<u8>> {
    let labels = hf::label_list(export_schema, scheme);
    let mut out = serde_json::to_vec_pretty(&labels)?;
    out.push(b'\n');
    Ok(out)
}

/// Writes one line to `out`, turning an I/O failure into the core's error.
pub(crate) fn write_line(out: &mut dyn Write, line: &str) -> Result<()> {
    out.write_all(line.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| Error::io("output", e))
}

/// Per-character tags of a document's entities, `O` outside them. Character tags cannot
/// hold two entities on one character, so overlapping entities (two annotators' layers
/// exported together) or a span past the text are refused, never rewritten.
pub(crate) fn char_tags(document: &AnnotatedDocument, n_chars: usize, scheme: TagScheme) -> Result<Vec<String>> {
    let mut tags = vec!["O".to_owned(); n_chars];
    let mut owner: Vec<Option<&Entity>> = vec![None; n_chars];
    let describe = |e: &Entity| format!("{} [{}, {}) of {}", e.label, e.char_start, e.char_end, e.annotator);
    for e in &document.entities {
        let (start, end) = (e.char_start, e.char_end);
        if start >= end || end > n_chars {
            return Err(Error::Invalid(format!(
                "document {} ({}): {} is outside its {n_chars} characters",
                document.id,
                document.name,
                describe(e)
            )));
        }
        if let Some(other) = owner[start..end].iter().flatten().next() {
            return Err(Error::Invalid(format!(
                "document {} ({}): {} and {} overlap, and character tags cannot hold both; \
                 export one annotator's layer (--annotator)",
                document.id,
                document.name,
                describe(other),
                describe(e)
            )));
        }
        owner[start..end].fill(Some(e));
        let [first, inner, last, single] = scheme.prefixes();
        for (i, tag) in tags.iter_mut().enumerate().take(end).skip(start) {
            let prefix = match i {
                _ if end - start == 1 => single,
                _ if i == start => first,
                _ if i + 1 == end => last,
                _ => inner,
            };
            *tag = format!("{prefix}-{}", e.label);
        }
    }
    Ok(tags)
}

/// An entity of character tags: `(char_start, char_end, label)`.
pub(crate) type TagSpan = (usize, usize, String);

/// Entities from per-character tags in BIO, BIOES, BMES or BILOU, as
/// `(char_start, char_end, label)`; an error is the index of the bad tag and why. `M` is
/// inner like `I`, `L` last like `E`, `U` single like `S`. An inner or last tag without its
/// `B-` starts an entity, as most readers do; otherwise every entity is exactly where the
/// tags put it.
pub(crate) fn spans_from_tags(tags: &[&str]) -> std::result::Result<Vec<TagSpan>, (usize, String)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, label) = match tag.split_once('-') {
            Some((prefix, label)) if !label.is_empty() => (prefix, label),
            _ if *tag == "O" => ("O", ""),
            _ => return Err((i, format!("unknown tag {tag:?}"))),
        };
        let continues = matches!(prefix, "I" | "M" | "E" | "L") && open.as_ref().is_some_and(|(_, l)| l == label);
        if !continues {
            if let Some((start, label)) = open.take() {
                spans.push((start, i, label));
            }
            match prefix {
                "B" | "I" | "M" | "E" | "L" | "S" | "U" => open = Some((i, label.to_owned())),
                "O" => {}
                other => return Err((i, format!("unknown tag prefix {other:?} in {tag:?}"))),
            }
        }
        if matches!(prefix, "E" | "L" | "S" | "U")
            && let Some((start, label)) = open.take()
        {
            spans.push((start, i + 1, label));
        }
    }
    if let Some((start, label)) = open {
        spans.push((start, tags.len(), label));
    }
    Ok(spans)
}

/// A document with `(char_start, char_end, label)` entities, accepted, for the writers' tests.
#[cfg(test)]
pub(crate) fn test_document(text: &str, spans: &[(usize, usize, &str)]) -> AnnotatedDocument {
    AnnotatedDocument {
        id: crate::model::DocumentId(7),
        name: "t.txt".into(),
        text: text.into(),
        entities: spans
            .iter()
            .enumerate()
            .map(|(i, &(char_start, char_end, label))| Entity {
                id: EntityId(i as i64 + 1),
                document_id: crate::model::DocumentId(7),
                char_start,
                char_end,
                label: label.into(),
                status: crate::model::Status::Accepted,
                source: "manual".into(),
                confidence: None,
                annotator: "ann".into(),
                created_at_ms: 0,
                updated_at_ms: 0,
            })
            .collect(),
        relations: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_schema_is_the_schema_after_renames_and_filters() {
        let options = ExportOptions {
            rename: vec![("PER".into(), "PERSON".into()), ("TITLE".into(), "PERSON".into())],
            labels: Some(vec!["PERSON".into(), "ORG".into(), "LOC".into()]),
            ..ExportOptions::default()
        };
        let schema = export_schema(&Schema::default_schema(), &[], &options);
        let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["PERSON", "ORG", "LOC"], "two renamed to one are one");
        let kinds: Vec<(&str, &[String], &[String])> = schema
            .relation_types
            .iter()
            .map(|k| (k.name.as_str(), k.head_labels.as_slice(), k.tail_labels.as_slice()))
            .collect();
        let person = ["PERSON".to_owned()];
        assert!(kinds.contains(&("任职", person.as_slice(), ["ORG".to_owned()].as_slice())));
        assert!(
            kinds.iter().all(|(name, _, _)| *name != "投资"),
            "投资's MONEY tails are filtered out: no such relation can be exported"
        );
        let tags = hf::label_list(&schema, TagScheme::Bio);
        assert_eq!(tags, ["O", "B-PERSON", "I-PERSON", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]);
        let with_data = export_schema(
            &Schema::default_schema(),
            &[test_document("甲乙", &[(0, 2, "NEW")])],
            &ExportOptions::default(),
        );
        assert_eq!(with_data.labels.last().map(|l| l.name.as_str()), Some("NEW"));
    }

    #[test]
    fn sentences_end_after_their_mark_and_closing_quote_never_inside_an_entity() {
        let text = "他说：“好。”然后走了。\n\n第二段！完";
        let chars: Vec<char> = text.chars().collect();
        let plain = test_document(text, &[]);
        let ends = sentence_ends(&chars, &cuts_inside_entities(&plain, chars.len()));
        assert_eq!(ends, [7, 14, 18], "after ”, after the second line break, after ！");
        let across = test_document(text, &[(17, 19, "ORG")]);
        let ends = sentence_ends(&chars, &cuts_inside_entities(&across, chars.len()));
        assert_eq!(ends, [7, 14]);
    }

    #[test]
    fn splits_are_deterministic_and_cover_every_document() {
        let documents: Vec<AnnotatedDocument> = (1..=20)
            .map(|i| AnnotatedDocument {
                id: crate::model::DocumentId(i),
                name: format!("d{i}"),
                text: "文".into(),
                entities: Vec::new(),
                relations: Vec::new(),
            })
            .collect();
        let split = parse_split("train=0.8,dev=0.1,test=0.1").expect("split");
        let a = split_documents(&documents, &split, 7);
        let b = split_documents(&documents, &split, 7);
        let sizes: Vec<usize> = a.iter().map(|(_, docs)| docs.len()).collect();
        assert_eq!(sizes, [16, 2, 2]);
        let ids = |parts: &[(String, Vec<&AnnotatedDocument>)]| -> Vec<Vec<i64>> {
            parts
                .iter()
                .map(|(_, docs)| docs.iter().map(|d| d.id.0).collect())
                .collect()
        };
        assert_eq!(ids(&a), ids(&b), "same seed, same split");
        assert_ne!(
            ids(&a),
            ids(&split_documents(&documents, &split, 8)),
            "another seed shuffles"
        );
        assert!(parse_split("train=0.8,dev=0.1").is_err(), "shares must add up to 1");
        assert_eq!(
            part_path(Path::new("out/data.jsonl"), Format::Doccano, "train"),
            Path::new("out/data.train.jsonl")
        );
        assert_eq!(
            part_path(Path::new("out/brat"), Format::Brat, "dev"),
            Path::new("out/brat/dev")
        );
    }

    #[test]
    fn tags_round_trip_in_both_schemes() {
        let tags = ["B-PER", "I-PER", "O", "S-LOC", "B-ORG", "I-ORG", "E-ORG", "I-DATE"];
        let spans = spans_from_tags(&tags).expect("valid");
        assert_eq!(
            spans,
            [
                (0, 2, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 7, "ORG".into()),
                (7, 8, "DATE".into())
            ]
        );
        assert_eq!(spans_from_tags(&["O", "X-PER"]).map_err(|(i, _)| i), Err(1));
        assert!(spans_from_tags(&["PER"]).is_err());
    }

    #[test]
    fn bmes_and_bilou_read_as_their_tags_say_and_every_scheme_round_trips() {
        let bmes = ["B-ORG", "M-ORG", "M-ORG", "E-ORG", "S-LOC", "O", "M-PER", "E-PER"];
        let expected = [(0, 4, "ORG".into()), (4, 5, "LOC".into()), (6, 8, "PER".into())];
        assert_eq!(spans_from_tags(&bmes).expect("bmes"), expected);
        let bilou = ["B-ORG", "I-ORG", "I-ORG", "L-ORG", "U-LOC", "O", "I-PER", "L-PER"];
        assert_eq!(spans_from_tags(&bilou).expect("bilou"), expected);
        let document = AnnotatedDocument {
            id: crate::model::DocumentId(1),
            name: "a".into(),
            text: "中国银行在京成立".into(),
            entities: [(0, 4, "ORG"), (4, 5, "LOC"), (6, 8, "PER")]
                .into_iter()
                .enumerate()
                .map(|(i, (start, end, label))| Entity {
                    id: EntityId(i as i64 + 1),
                    document_id: crate::model::DocumentId(1),
                    char_start: start,
                    char_end: end,
                    label: label.into(),
                    status: crate::model::Status::Accepted,
                    source: "manual".into(),
                    confidence: None,
                    annotator: "a".into(),
                    created_at_ms: 0,
                    updated_at_ms: 0,
                })
                .collect(),
            relations: Vec::new(),
        };
        for scheme in TagScheme::ALL {
            let tags = char_tags(&document, 8, scheme).expect("tags");
            let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            assert_eq!(spans_from_tags(&refs).expect("back"), expected, "{}", scheme.name());
            assert_eq!(TagScheme::parse(scheme.name()), Some(scheme));
        }
        assert_eq!(char_tags(&document, 8, TagScheme::Bmes).expect("tags")[1], "M-ORG");
        assert_eq!(char_tags(&document, 8, TagScheme::Bilou).expect("tags")[4], "U-LOC");
    }

    #[test]
    fn character_tags_refuse_overlaps_and_spans_past_the_text_instead_of_rewriting_them() {
        let entity = |id: i64, start: usize, end: usize, annotator: &str| Entity {
            id: EntityId(id),
            document_id: crate::model::DocumentId(1),
            char_start: start,
            char_end: end,
            label: "ORG".into(),
            status: crate::model::Status::Accepted,
            source: "manual".into(),
            confidence: None,
            annotator: annotator.into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        };
        let document = |entities| AnnotatedDocument {
            id: crate::model::DocumentId(1),
            name: "a.txt".into(),
            text: "浪潮云洲工业互联网有限公司".into(),
            entities,
            relations: Vec::new(),
        };
        let two_layers = document(vec![entity(1, 0, 13, "ann"), entity(2, 2, 13, "bob")]);
        for format in [Format::Conll, Format::Hf] {
            let err = write_chunk(format, &[&two_layers], &ExportOptions::default()).expect_err("overlap");
            assert!(err.to_string().contains("overlap"), "{err}");
            assert!(err.to_string().contains("--annotator"), "{err}");
        }
        let past_the_end = document(vec![entity(1, 10, 20, "ann")]);
        assert!(write_chunk(Format::Conll, &[&past_the_end], &ExportOptions::default()).is_err());
        let one_layer = document(vec![entity(1, 0, 13, "ann")]);
        let bytes = write_chunk(Format::Conll, &[&one_layer], &ExportOptions::default()).expect("one layer");
        assert!(String::from_utf8(bytes).expect("utf-8").contains("浪 B-ORG"));
    }
}
