//! Hugging Face style JSONL: `{"id","tokens":[one string per character],"ner_tags":["B-PER",...]}`,
//! and `label_list.json` beside it with every tag, `O` first, for a `ClassLabel`.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::{TagScheme, char_tags, spans_from_tags, tagging, write_line};
use crate::model::{AnnotatedDocument, NewDocument, NewEntity};
use crate::schema::Schema;
use crate::{Error, Result};

pub fn write(documents: &[&AnnotatedDocument], scheme: TagScheme, out: &mut dyn Write) -> Result<()> {
    for document in documents {
        let tokens: Vec<String> = document.text.chars().map(String::from).collect();
        let tags = char_tags(document, tokens.len(), scheme)?;
        let line = json!({"id": document.id.0, "tokens": tokens, "ner_tags": tags});
        write_line(out, &serde_json::to_string(&line)?)?;
    }
    Ok(())
}

/// Every tag the schema's labels (and any other exported label) can take, `O` first.
pub fn label_list(documents: &[AnnotatedDocument], scheme: TagScheme, schema: &Schema) -> Vec<String> {
    let mut labels: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    for entity in documents.iter().flat_map(|d| &d.entities) {
        if !labels.contains(&entity.label) {
            labels.push(entity.label.clone());
        }
    }
    let mut prefixes: Vec<&str> = Vec::new();
    for prefix in scheme.prefixes() {
        if !prefixes.contains(&prefix) {
            prefixes.push(prefix);
        }
    }
    std::iter::once("O".to_owned())
        .chain(
            labels
                .iter()
                .flat_map(|l| prefixes.iter().map(move |p| format!("{p}-{l}"))),
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
