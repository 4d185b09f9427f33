//! Label Studio JSON: a list of tasks, `{"id","data":{"text"},"annotations":[{"result":[...]}],
//! "predictions":[{"model_version","score","result":[...]}]}`,
//! with `labels` results (`value: {start, end, text, labels}`) and `relation` results
//! (`from_id`, `to_id`, `direction`, `labels`). Offsets are code points.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::is_colour;
use crate::model::{
    ANNOTATOR_PRETAG, AnnotatedDocument, Entity, EntityId, IndexedRelation, NewDocument, NewEntity, Relation, Status,
};
use crate::schema::Schema;
use crate::text::{char_slice, normalize_newlines};
use crate::{Error, Result};

/// What opens the list, goes between two chunks of tasks, and closes it, so that a long
/// export is written a chunk at a time; an empty export is `[]`. The bytes are those of
/// `serde_json::to_writer_pretty` on the whole list.
pub const LIST_OPEN: &[u8] = b"[\n";
pub const BETWEEN_CHUNKS: &[u8] = b",\n";
pub const LIST_CLOSE: &[u8] = b"\n]\n";

/// Some tasks of the list, as its elements: each pretty-printed and indented one level,
/// separated by commas, without the brackets.
pub fn write_tasks(documents: &[&AnnotatedDocument], out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::io("output", e);
    for (i, document) in documents.iter().enumerate() {
        if i > 0 {
            out.write_all(BETWEEN_CHUNKS).map_err(io)?;
        }
        let pretty = serde_json::to_string_pretty(&task(document))?;
        for (k, line) in pretty.lines().enumerate() {
            if k > 0 {
                out.write_all(b"\n").map_err(io)?;
            }
            out.write_all(b"  ").map_err(io)?;
            out.write_all(line.as_bytes()).map_err(io)?;
        }
    }
    Ok(())
}

/// The `from_name` of labels results and the name of the config's `<Labels>`.
pub const FROM_NAME: &str = "label";
/// The `to_name` of labels results and the name of the config's `<Text>`.
pub const TO_NAME: &str = "text";
/// The `model_version` of the predictions.
pub const MODEL_VERSION: &str = "biaozhu";

/// One task: the accepted entities and relations as its annotation; the suggestions as its
/// prediction (with the accepted entities a suggested relation links to, so its ends resolve),
/// each result with its confidence as `score` and the prediction with their mean. A document
/// with suggestions and nothing accepted has no annotation, so Label Studio does not count it
/// as labelled.
pub fn task(document: &AnnotatedDocument) -> Value {
    let accepted: HashSet<EntityId> = document
        .entities
        .iter()
        .filter(|e| e.status == Status::Accepted)
        .map(|e| e.id)
        .collect();
    let is_annotation =
        |r: &Relation| r.status == Status::Accepted && accepted.contains(&r.head) && accepted.contains(&r.tail);
    let predicted_relations: Vec<&Relation> = document.relations.iter().filter(|r| !is_annotation(r)).collect();
    let in_prediction: HashSet<EntityId> = document
        .entities
        .iter()
        .map(|e| e.id)
        .filter(|id| !accepted.contains(id))
        .chain(predicted_relations.iter().flat_map(|r| [r.head, r.tail]))
        .collect();
    let labels_result = |e: &Entity| {
        let mut result = json!({
            "id": format!("e{}", e.id.0), "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
            "value": {
                "start": e.char_start, "end": e.char_end,
                "text": char_slice(&document.text, e.char_start, e.char_end).unwrap_or_default(),
                "labels": [e.label],
            },
        });
        if let Some(confidence) = e.confidence {
            result["score"] = json!(confidence);
        }
        result
    };
    let relation_result = |r: &Relation| {
        json!({
            "from_id": format!("e{}", r.head.0), "to_id": format!("e{}", r.tail.0),
            "type": "relation", "direction": "right", "labels": [r.kind],
        })
    };
    let mut annotation: Vec<Value> = document
        .entities
        .iter()
        .filter(|e| accepted.contains(&e.id))
        .map(labels_result)
        .collect();
    annotation.extend(
        document
            .relations
            .iter()
            .filter(|r| is_annotation(r))
            .map(relation_result),
    );
    let predicted_entities: Vec<&Entity> = document
        .entities
        .iter()
        .filter(|e| in_prediction.contains(&e.id))
        .collect();
    let mut prediction: Vec<Value> = predicted_entities.iter().map(|e| labels_result(e)).collect();
    prediction.extend(predicted_relations.iter().map(|r| relation_result(r)));
    let mut task = json!({"id": document.id.0, "data": {"text": document.text, "name": document.name}});
    let has_suggestions = document.entities.len() > accepted.len() || !predicted_relations.is_empty();
    if !accepted.is_empty() || !has_suggestions {
        task["annotations"] = json!([{"id": document.id.0, "result": annotation}]);
    }
    if has_suggestions {
        let confidences: Vec<f64> = predicted_entities
            .iter()
            .filter(|e| !accepted.contains(&e.id))
            .filter_map(|e| e.confidence)
            .collect();
        let mut predicted = json!({"model_version": MODEL_VERSION, "result": prediction});
        if !confidences.is_empty() {
            predicted["score"] = json!(confidences.iter().sum::<f64>() / confidences.len() as f64);
        }
        task["predictions"] = json!([predicted]);
    }
    task
}

/// A labeling config for the tasks: `<Relations>` with the schema's relation types, `<Labels>`
/// with its labels (and their colours), and the `<Text>` the results point to.
pub fn labeling_config(schema: &Schema) -> String {
    let mut out = String::from("<View>\n");
    if !schema.relation_types.is_empty() {
        out.push_str("  <Relations>\n");
        for kind in &schema.relation_types {
            let _ = writeln!(out, "    <Relation value=\"{}\"/>", xml_escape(&kind.name));
        }
        out.push_str("  </Relations>\n");
    }
    let _ = writeln!(out, "  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">");
    for label in &schema.labels {
        let background = if is_colour(&label.color) {
            format!(" background=\"{}\"", label.color)
        } else {
            String::new()
        };
        let _ = writeln!(out, "    <Label value=\"{}\"{background}/>", xml_escape(&label.name));
    }
    out.push_str("  </Labels>\n");
    let _ = writeln!(out, "  <Text name=\"{TO_NAME}\" value=\"$text\"/>");
    out.push_str("</View>\n");
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Result types that carry no span or relation; they are reported, not imported.
const IGNORED_TYPES: [&str; 8] = [
    "choices", "textarea", "rating", "taxonomy", "number", "datetime", "pairwise", "ranker",
];

/// Reads a Label Studio export: a list of tasks. Each element of a task's `annotations` is
/// one document of the task's text in the layer of its annotator (`completed_by`: a user
/// object's email or username, an id as `label-studio-user-ID`, else `annotator`); each
/// element of `predictions` one of suggestions by [`ANNOTATOR_PRETAG`] with the prediction's
/// `score` as confidence. Import merges the documents of one text. Cancelled annotations are
/// skipped with a warning; a shape it does not know is an error naming the task.
pub fn read(content: &str, path: &Path, annotator: &str) -> Result<(Vec<NewDocument>, Vec<String>)> {
    let tasks: Value = serde_json::from_str(content)
        .map_err(|e| Error::input(path, Some(e.line()), format!("malformed JSON: {e}")))?;
    let Value::Array(tasks) = tasks else {
        return Err(Error::input(path, Some(1), "expected a list of tasks"));
    };
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let task_name = match task.get("id") {
            Some(id) => format!("task {} (id {id})", t + 1),
            None => format!("task {}", t + 1),
        };
        let fail = |message: String| Error::input(path, None, format!("{task_name}: {message}"));
        let raw_text = task
            .pointer("/data/text")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("missing data.text".into()))?;
        let (text, char_map) = normalize_newlines(raw_text);
        let name = task
            .pointer("/data/name")
            .and_then(Value::as_str)
            .map_or_else(|| task_name.clone(), str::to_owned);
        let template = NewDocument {
            name,
            source_path: Some(path.to_string_lossy().into_owned()),
            text,
            encoding: "utf-8".to_owned(),
            ..NewDocument::default()
        };
        let mut layers = 0;
        for (key, suggested) in [("annotations", false), ("predictions", true)] {
            let list = match task.get(key) {
                None | Some(Value::Null) => continue,
                Some(Value::Array(list)) => list,
                Some(other) => return Err(fail(format!("`{key}` is {}, not a list", kind_of(other)))),
            };
            for (a, annotation) in list.iter().enumerate() {
                let what = format!("{key}[{a}]");
                let Value::Object(fields) = annotation else {
                    return Err(fail(format!("{what} is {}, not an object", kind_of(annotation))));
                };
                if fields.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
                    warnings.push(format!("{task_name}: {what} was cancelled, skipped"));
                    continue;
                }
                let layer = Layer {
                    annotator: match suggested {
                        true => ANNOTATOR_PRETAG.to_owned(),
                        false => completed_by(fields.get("completed_by")).unwrap_or_else(|| annotator.to_owned()),
                    },
                    suggested,
                    score: fields.get("score").and_then(Value::as_f64),
                };
                let results = match fields.get("result") {
                    Some(Value::Array(results)) => results,
                    Some(other) => return Err(fail(format!("{what}.result is {}, not a list", kind_of(other)))),
                    None => return Err(fail(format!("{what} has no `result` list"))),
                };
                let document = read_results(results, raw_text, &template, char_map.as_deref(), &layer, &mut warnings)
                    .map_err(|(result, message)| match result {
                    Some(r) => fail(format!("{message} ({what}, result {r})")),
                    None => fail(format!("{message} ({what})")),
                })?;
                documents.push(document);
                layers += 1;
            }
        }
        if layers == 0 {
            documents.push(template);
        }
    }
    Ok((documents, warnings))
}

/// Whose layer one annotation or prediction is.
struct Layer {
    annotator: String,
    suggested: bool,
    score: Option<f64>,
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The annotator an annotation's `completed_by` names, if it names one.
fn completed_by(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Object(user) => ["email", "username"]
            .iter()
            .find_map(|key| user.get(*key).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .map(str::to_owned)
            .or_else(|| {
                let full: Vec<&str> = ["first_name", "last_name"]
                    .iter()
                    .filter_map(|key| user.get(*key).and_then(Value::as_str).filter(|s| !s.is_empty()))
                    .collect();
                (!full.is_empty()).then(|| full.join(" "))
            })
            .or_else(|| {
                user.get("id")
                    .and_then(Value::as_i64)
                    .map(|id| format!("label-studio-user-{id}"))
            }),
        Value::Number(id) => Some(format!("label-studio-user-{id}")),
        Value::String(name) if !name.is_empty() => Some(name.clone()),
        _ => None,
    }
}

/// The code-point offset of UTF-16 offset `utf16` in `text`, if it falls between characters.
fn char_of_utf16(text: &str, utf16: usize) -> Option<usize> {
    let mut units = 0;
    for (chars, c) in text.chars().enumerate() {
        if units == utf16 {
            return Some(chars);
        }
        if units > utf16 {
            return None;
        }
        units += c.len_utf16();
    }
    (units == utf16).then(|| text.chars().count())
}

/// One annotation's results as a document of `template`'s text, offsets of the text as
/// exported mapped through `char_map` (the CRLF fold).
fn read_results(
    results: &[Value],
    raw_text: &str,
    template: &NewDocument,
    char_map: Option<&[usize]>,
    layer: &Layer,
    warnings: &mut Vec<String>,
) -> std::result::Result<NewDocument, (Option<usize>, String)> {
    let at = |r: usize, message: String| (Some(r), message);
    let n_raw_chars = char_map.map_or_else(|| template.text.chars().count(), |map| map.len() - 1);
    let folded = |offset: usize| char_map.map_or(Some(offset), |map| map.get(offset).copied());
    let mut entities = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut ignored: Vec<&str> = Vec::new();
    for (r, result) in results.iter().enumerate() {
        let Some(kind) = result.get("type").and_then(Value::as_str) else {
            return Err(at(r, "a result without `type`".to_owned()));
        };
        match kind {
            "labels" => {}
            "relation" => continue,
            _ if IGNORED_TYPES.contains(&kind) => {
                ignored.push(kind);
                continue;
            }
            _ => return Err(at(r, format!("a result of type {kind:?}, which biaozhu does not read"))),
        }
        let get = |key: &str| {
            result
                .pointer(&format!("/value/{key}"))
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let labels = result.pointer("/value/labels").and_then(Value::as_array);
        let label = match labels.map(Vec::as_slice) {
            Some([label]) => label.as_str(),
            Some(several) if several.len() > 1 => {
                return Err(at(r, format!("one span with {} labels", several.len())));
            }
            _ => None,
        };
        let (Some(start), Some(end), Some(label)) = (get("start"), get("end"), label) else {
            return Err(at(
                r,
                "a labels result needs value.start, value.end and one value.labels".to_owned(),
            ));
        };
        let code_points = (start < end && end <= n_raw_chars)
            .then(|| folded(start).zip(folded(end)))
            .flatten();
        let quoted = result.pointer("/value/text").and_then(Value::as_str);
        let (char_start, char_end) = match quoted {
            None => code_points.ok_or_else(|| {
                at(
                    r,
                    format!("span [{start}, {end}) is empty or past text length {n_raw_chars}"),
                )
            })?,
            Some(quoted) => {
                let folded_quote = normalize_newlines(quoted).0;
                let holds_quote = |(char_start, char_end): (usize, usize)| {
                    char_slice(&template.text, char_start, char_end) == Some(folded_quote.as_str())
                };
                // Label Studio's editor counts UTF-16 units, which differ past U+FFFF (𠮷).
                let utf16 = || {
                    let (raw_start, raw_end) = (char_of_utf16(raw_text, start)?, char_of_utf16(raw_text, end)?);
                    folded(raw_start).zip(folded(raw_end))
                };
                code_points
                    .filter(|span| holds_quote(*span))
                    .or_else(|| utf16().filter(|span| holds_quote(*span)))
                    .ok_or_else(|| at(r, format!("value.text {quoted:?} is not text[{start}:{end}]")))?
            }
        };
        if char_start >= char_end {
            return Err(at(r, format!("span [{start}, {end}) holds only a line break")));
        }
        if let Some(id) = result.get("id").and_then(Value::as_str)
            && index_of.insert(id.to_owned(), entities.len()).is_some()
        {
            return Err(at(r, format!("a second result with id {id:?}")));
        }
        let mut entity = NewEntity::imported(char_start, char_end, label.to_owned(), &layer.annotator);
        if layer.suggested {
            entity.status = Status::Suggested;
            entity.confidence = result.get("score").and_then(Value::as_f64).or(layer.score);
        }
        entities.push(entity);
    }
    let mut relations = Vec::new();
    for (r, result) in results.iter().enumerate() {
        if result.get("type").and_then(Value::as_str) != Some("relation") {
            continue;
        }
        let end = |key: &str| -> std::result::Result<usize, (Option<usize>, String)> {
            let id = result.get(key).and_then(Value::as_str).unwrap_or_default();
            index_of
                .get(id)
                .copied()
                .ok_or_else(|| at(r, format!("relation {key} {id:?} names no labels result")))
        };
        let (from, to) = (end("from_id")?, end("to_id")?);
        let kind = match result.get("labels").and_then(Value::as_array).map(Vec::as_slice) {
            Some([kind]) => kind
                .as_str()
                .ok_or_else(|| at(r, "relation labels that are not text".to_owned()))?,
            None | Some([]) => return Err(at(r, "a relation without a label".to_owned())),
            Some(several) => return Err(at(r, format!("a relation with {} labels", several.len()))),
        };
        let (head, tail) = match result.get("direction").and_then(Value::as_str) {
            Some("left") => (to, from),
            None | Some("right") => (from, to),
            Some(other) => return Err(at(r, format!("a relation with direction {other:?}"))),
        };
        let mut relation = IndexedRelation::imported(head, tail, kind);
        if layer.suggested {
            relation.status = Status::Suggested;
            relation.confidence = layer.score;
        }
        relations.push(relation);
    }
    if !ignored.is_empty() {
        ignored.sort_unstable();
        ignored.dedup();
        warnings.push(format!(
            "{}: results of type {} are not imported",
            template.name,
            ignored.join(", ")
        ));
    }
    Ok(NewDocument {
        entities,
        relations,
        relation_annotator: layer.annotator.clone(),
        labelled: !layer.suggested,
        ..template.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::test_document;

    #[test]
    fn suggestions_are_predictions_with_scores_and_the_config_names_what_results_point_to() {
        let mut document = test_document("王建国任华为董事长", &[(0, 3, "PER"), (4, 6, "ORG")]);
        document.entities[1].status = Status::Suggested;
        document.entities[1].confidence = Some(0.5);
        document.relations.push(Relation {
            id: crate::model::RelationId(1),
            document_id: document.id,
            head: document.entities[0].id,
            tail: document.entities[1].id,
            kind: "任职".into(),
            status: Status::Suggested,
            source: "pretag".into(),
            annotator: "ann".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        });
        let task = task(&document);
        let annotation = task["annotations"][0]["result"].as_array().expect("annotation");
        assert_eq!(annotation.len(), 1, "the accepted PER alone");
        let prediction = &task["predictions"][0];
        assert_eq!(prediction["model_version"], "biaozhu");
        assert_eq!(prediction["score"], 0.5);
        let result = prediction["result"].as_array().expect("prediction");
        assert_eq!(
            result.len(),
            3,
            "ORG, the accepted PER the relation starts at, the relation"
        );
        assert_eq!(result[1]["score"], 0.5);
        assert_eq!(result[1]["from_name"], FROM_NAME);
        let schema = Schema::default_schema();
        let config = labeling_config(&schema);
        assert!(config.contains("<Labels name=\"label\" toName=\"text\">"));
        assert!(config.contains("<Label value=\"PER\" background=\"#f4a7a7\"/>"));
        assert!(config.contains("<Relation value=\"任职\"/>"));
        assert!(config.contains("<Text name=\"text\" value=\"$text\"/>"));
        assert_eq!(xml_escape("a<&\"b"), "a&lt;&amp;&quot;b");
    }
}
