//! A Hugging Face dataset: JSONL rows `{"id","document_id","char_offset","tokens":[one string per
//! character],"ner_tags":["B-PER",...]}`, `label_list.json` with every tag, `O` first, and a
//! `README.md` dataset card whose features make `ner_tags` a `ClassLabel`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::{TagScheme, char_tags, cuts_inside_entities, sentence_ends, spans_from_tags, tagging, write_line};
use crate::model::{AnnotatedDocument, NewDocument, NewEntity};
use crate::schema::Schema;
use crate::text::char_slice;
use crate::{Error, Result};

/// Rows of at most `max_chars` characters, `{"id": "<document>-<k>", "document_id",
/// "char_offset", "tokens", "ner_tags"}`: see [`pieces`]. The rows of a document join back to it.
pub fn write(documents: &[&AnnotatedDocument], scheme: TagScheme, max_chars: usize, out: &mut dyn Write) -> Result<()> {
    for document in documents {
        let chars: Vec<char> = document.text.chars().collect();
        let tags = char_tags(document, chars.len(), scheme)?;
        for (k, (char_start, char_end)) in pieces(document, &chars, max_chars)?.into_iter().enumerate() {
            let tokens: Vec<String> = chars[char_start..char_end].iter().map(|c| c.to_string()).collect();
            let line = json!({
                "id": format!("{}-{k}", document.id.0),
                "document_id": document.id.0,
                "char_offset": char_start,
                "tokens": tokens,
                "ner_tags": &tags[char_start..char_end],
            });
            write_line(out, &serde_json::to_string(&line)?)?;
        }
    }
    Ok(())
}

/// Characters after which a sentence longer than a row is cut before any other.
fn is_comma(c: char) -> bool {
    matches!(c, '，' | ',' | '、' | '：' | ':')
}

/// A document cut into contiguous `[char_start, char_end)` pieces of at most `max_chars` that
/// cover it exactly (an empty document is one empty piece): as many whole sentences as fit
/// ([`sentence_ends`]); a longer sentence is cut after its last comma that fits, else before
/// its last character that fits; never inside an entity. An entity longer than `max_chars`
/// is an error naming it.
pub fn pieces(document: &AnnotatedDocument, chars: &[char], max_chars: usize) -> Result<Vec<(usize, usize)>> {
    let n = chars.len();
    let inside = cuts_inside_entities(document, n);
    let ends = sentence_ends(chars, &inside);
    let mut pieces = Vec::new();
    let mut start = 0;
    while n - start > max_chars {
        let limit = start + max_chars;
        let sentence_end = ends[..ends.partition_point(|&cut| cut <= limit)]
            .last()
            .copied()
            .filter(|&cut| cut > start);
        let comma = || {
            (start + 1..=limit)
                .rev()
                .find(|&cut| !inside[cut] && chars.get(cut - 1).copied().is_some_and(is_comma))
        };
        let any = || (start + 1..=limit).rev().find(|&cut| !inside[cut]);
        let Some(cut) = sentence_end.or_else(comma).or_else(any) else {
            let entity = document
                .entities
                .iter()
                .find(|e| e.char_start <= start && e.char_end > limit);
            let what = entity.map_or_else(String::new, |e| {
                format!(
                    "{} [{}, {}) {:?} ",
                    e.label,
                    e.char_start,
                    e.char_end,
                    char_slice(&document.text, e.char_start, e.char_end).unwrap_or_default()
                )
            });
            return Err(Error::Invalid(format!(
                "document {} ({}): the entity {what}is longer than --max-chars {max_chars}, \
                 and a row cannot cut it",
                document.id, document.name
            )));
        };
        pieces.push((start, cut));
        start = cut;
    }
    pieces.push((start, n));
    Ok(pieces)
}

/// The HF split of a part: `train` without a split, `validation` for `dev` and `val`.
pub fn split_name(part: &str) -> Result<String> {
    let name = match part {
        "" => "train",
        "dev" | "val" => "validation",
        other => other,
    };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Invalid(format!(
            "{part:?} cannot name a Hugging Face split: use letters, digits and `_`"
        )));
    }
    Ok(name.to_owned())
}

/// The dataset card: YAML front matter that tells `datasets.load_dataset(folder)` the
/// features (`ner_tags` a sequence of `ClassLabel` with `tags` as names) and one data file
/// per split.
pub fn dataset_card(splits: &[String], tags: &[String]) -> String {
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let mut out = String::from("---\nconfigs:\n- config_name: default\n  data_files:\n");
    for split in splits {
        let _ = writeln!(out, "  - split: {split}\n    path: {split}.jsonl");
    }
    out.push_str(
        "dataset_info:\n  features:\n  - name: id\n    dtype: string\n  - name: document_id\n    dtype: int64\n  \
         - name: char_offset\n    dtype: int64\n  - name: tokens\n    sequence: string\n  - name: ner_tags\n    \
         sequence:\n      class_label:\n        names:\n",
    );
    for (i, tag) in tags.iter().enumerate() {
        let _ = writeln!(out, "          '{i}': {}", quoted(tag));
    }
    out.push_str(
        "---\n\n# Dataset\n\nExported by biaozhu: one row per piece of a document, cut at sentence ends. \
         `tokens` are the characters (code points) of the piece, `char_offset` is where it starts in \
         the document `document_id`, and the rows of a document in order join back to its text. \
         `label_list.json` lists the tags.\n",
    );
    out
}

/// Every tag of the exported schema's labels, `O` first.
pub fn label_list(export_schema: &Schema, scheme: TagScheme) -> Vec<String> {
    let mut prefixes: Vec<&str> = Vec::new();
    for prefix in scheme.prefixes() {
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
        }
    }
    std::iter::once("O".to_owned())
        .chain(
            export_schema
                .labels
                .iter()
                .flat_map(|l| prefixes.iter().map(move |p| format!("{p}-{}", l.name))),
        )
        .collect()
}

/// Reads one line; tokens may be longer than a character, offsets are counted in characters.
/// `ner_tags` are strings, or numbers that `tag_names` name (`label_list.json`).
pub fn read_line(
    value: &Value,
    path: &Path,
    line: usize,
    annotator: &str,
    tag_names: Option<&[String]>,
) -> Result<NewDocument> {
    let fail = |message: String| Error::input(path, Some(line), message);
    let array = |key: &str| -> Result<&Vec<Value>> {
        value
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| fail(format!("missing array `{key}`")))
    };
    let tokens: Vec<&str> = array("tokens")?
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| fail(format!("`tokens` holds a non-string {v}")))
        })
        .collect::<Result<_>>()?;
    let tags: Vec<&str> = array("ner_tags")?
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Value::String(tag) => Ok(tag.as_str()),
            Value::Number(n) => n
                .as_u64()
                .ok_or_else(|| format!("{n} is not a tag index"))
                .and_then(|index| tagging::by_index(index, tag_names))
                .map_err(|e| fail(format!("ner_tags[{i}]: {e}"))),
            other => Err(fail(format!("ner_tags[{i}] is {other}, neither a tag nor a tag index"))),
        })
        .collect::<Result<_>>()?;
    if tokens.len() != tags.len() {
        return Err(fail(format!("{} tokens but {} ner_tags", tokens.len(), tags.len())));
    }
    let mut starts = Vec::with_capacity(tokens.len() + 1);
    let mut offset = 0;
    for token in &tokens {
        starts.push(offset);
        offset += token.chars().count();
    }
    starts.push(offset);
    let spans = spans_from_tags(&tags).map_err(|(i, e)| fail(format!("ner_tags[{i}]: {e}")))?;
    Ok(NewDocument {
        text: tokens.concat(),
        entities: spans
            .into_iter()
            .map(|(start, end, label)| NewEntity::imported(starts[start], starts[end], label, annotator))
            .collect(),
        relation_annotator: annotator.to_owned(),
        labelled: true,
        ..NewDocument::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::test_document;

    fn rows(document: &AnnotatedDocument, max_chars: usize) -> Vec<Value> {
        let mut out = Vec::new();
        write(&[document], TagScheme::Bio, max_chars, &mut out).expect("write");
        String::from_utf8(out)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect()
    }

    fn joined(rows: &[Value]) -> String {
        rows.iter()
            .flat_map(|r| r["tokens"].as_array().expect("tokens").iter())
            .map(|t| t.as_str().expect("str"))
            .collect()
    }

    #[test]
    fn rows_are_whole_sentences_that_join_back_to_the_document() {
        let text = "第一句话。第二句话！\n第三句，很长很长很长很长。";
        let document = test_document(text, &[(0, 2, "ORG"), (11, 13, "LOC")]);
        let rows = rows(&document, 12);
        let pieces: Vec<(u64, usize)> = rows
            .iter()
            .map(|r| {
                (
                    r["char_offset"].as_u64().expect("offset"),
                    r["tokens"].as_array().expect("tokens").len(),
                )
            })
            .collect();
        assert_eq!(pieces, [(0, 11), (11, 4), (15, 9)], "two sentences, then a comma cut");
        assert_eq!(joined(&rows), text);
        assert_eq!(rows[1]["id"], "7-1");
        assert_eq!(rows[1]["document_id"], 7);
        assert_eq!(rows[1]["ner_tags"][0], "B-LOC");
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_long_sentence_is_cut_beside_its_entities_and_a_longer_entity_is_an_error() {
        let text = "甲乙丙丁戊己庚辛壬癸";
        let document = test_document(text, &[(2, 5, "PER")]);
        let cuts: Vec<usize> = pieces(&document, &text.chars().collect::<Vec<_>>(), 4)
            .expect("pieces")
            .into_iter()
            .map(|(_, end)| end)
            .collect();
        assert_eq!(cuts, [2, 6, 10], "never inside [2, 5)");
        let too_long = test_document(text, &[(1, 8, "ORG")]);
        let err = pieces(&too_long, &text.chars().collect::<Vec<_>>(), 4).expect_err("too long");
        assert!(err.to_string().contains("ORG [1, 8)"), "{err}");
        assert!(err.to_string().contains("t.txt"), "{err}");
        let empty = test_document("", &[]);
        assert_eq!(rows(&empty, 4).len(), 1, "an empty document is one empty row");
    }

    #[test]
    fn splits_get_hugging_face_names_and_the_card_declares_class_labels() {
        assert_eq!(split_name("").expect("train"), "train");
        assert_eq!(split_name("dev").expect("dev"), "validation");
        assert_eq!(split_name("test").expect("test"), "test");
        assert!(split_name("my split").is_err());
        let card = dataset_card(&["train".into(), "validation".into()], &["O".into(), "B-PER".into()]);
        assert!(card.starts_with("---\nconfigs:\n"));
        assert!(card.contains("  - split: validation\n    path: validation.jsonl\n"));
        assert!(card.contains("      class_label:\n        names:\n          '0': 'O'\n          '1': 'B-PER'\n"));
    }
}
