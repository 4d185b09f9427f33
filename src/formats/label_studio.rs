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
use crate::model::{AnnotatedDocument, Entity, EntityId, IndexedRelation, NewDocument, NewEntity, Relation, Status};
use crate::schema::Schema;
use crate::text::char_slice;
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

/// Reads a Label Studio export. Errors name the task (and the file's line where it starts).
pub fn read(content: &str, path: &Path, annotator: &str) -> Result<Vec<NewDocument>> {
    let tasks: Value = serde_json::from_str(content)
        .map_err(|e| Error::input(path, Some(e.line()), format!("malformed JSON: {e}")))?;
    let Value::Array(tasks) = tasks else {
        return Err(Error::input(path, Some(1), "expected a list of tasks"));
    };
    let mut documents = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let fail = |message: String| Error::input(path, None, format!("task {}: {message}", t + 1));
        let text = task
            .pointer("/data/text")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("missing data.text".into()))?;
        let n_chars = text.chars().count();
        let labelled = task.pointer("/annotations/0/result").is_some_and(Value::is_array);
        let results = task
            .pointer("/annotations/0/result")
            .or_else(|| task.pointer("/predictions/0/result"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut entities = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        for result in results
            .iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("labels"))
        {
            let get = |key: &str| {
                result
                    .pointer(&format!("/value/{key}"))
                    .and_then(Value::as_u64)
                    .map(|n| n as usize)
            };
            let label = result.pointer("/value/labels/0").and_then(Value::as_str);
            let (Some(start), Some(end), Some(label)) = (get("start"), get("end"), label) else {
                return Err(fail(format!(
                    "labels result {result} needs value.start, value.end and value.labels"
                )));
            };
            if start >= end || end > n_chars {
                return Err(fail(format!(
                    "span [{start}, {end}) is empty or past text length {n_chars}"
                )));
            }
            if let Some(quoted) = result.pointer("/value/text").and_then(Value::as_str)
                && char_slice(text, start, end) != Some(quoted)
            {
                return Err(fail(format!("value.text {quoted:?} is not text[{start}:{end}]")));
            }
            if let Some(id) = result.get("id").and_then(Value::as_str) {
                index_of.insert(id.to_owned(), entities.len());
            }
            entities.push(NewEntity::imported(start, end, label.to_owned(), annotator));
        }
        let mut relations = Vec::new();
        for result in results
            .iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("relation"))
        {
            let end = |key: &str| -> Result<usize> {
                let id = result.get(key).and_then(Value::as_str).unwrap_or_default();
                index_of
                    .get(id)
                    .copied()
                    .ok_or_else(|| fail(format!("relation {key} {id:?} names no labels result")))
            };
            let (from, to) = (end("from_id")?, end("to_id")?);
            let kind = result
                .pointer("/labels/0")
                .and_then(Value::as_str)
                .unwrap_or("related")
                .to_owned();
            match result.get("direction").and_then(Value::as_str) {
                Some("left") => relations.push(IndexedRelation::imported(to, from, kind)),
                _ => relations.push(IndexedRelation::imported(from, to, kind)),
            }
        }
        let name = task
            .pointer("/data/name")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("task {}", t + 1));
        documents.push(NewDocument {
            name,
            source_path: Some(path.to_string_lossy().into_owned()),
            text: text.to_owned(),
            encoding: "utf-8".to_owned(),
            entities,
            relations,
            relation_annotator: annotator.to_owned(),
            labelled,
            ..NewDocument::default()
        });
    }
    Ok(documents)
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
