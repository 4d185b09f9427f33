//! Tags given as numbers: `ner_tags: [0, 3, 4]` in HF files, `中 3` in tag columns. A
//! number stands for a name of the tag list (HF's `label_list.json`, `--tag-names`); without
//! the list, or past its end, it is an error, never a guess.

use serde_json::Value;

use crate::{Error, Result};

/// The tag that `raw` stands for: itself, or when it is a number, that entry of `tag_names`.
pub(crate) fn resolve<'t>(raw: &'t str, tag_names: Option<&'t [String]>) -> std::result::Result<&'t str, String> {
    match raw.parse::<u64>() {
        Ok(index) => by_index(index, tag_names),
        Err(_) => Ok(raw),
    }
}

/// Entry `index` of `tag_names`.
pub(crate) fn by_index(index: u64, tag_names: Option<&[String]>) -> std::result::Result<&str, String> {
    let Some(names) = tag_names else {
        return Err(format!(
            "tag {index} is a number: pass --tag-names (a label_list.json or O,B-PER,I-PER,…) to name it"
        ));
    };
    usize::try_from(index)
        .ok()
        .and_then(|i| names.get(i))
        .map(String::as_str)
        .ok_or_else(|| format!("tag {index} is past the {} tag names given", names.len()))
}

/// Tag names from a JSON list (`["O", "B-PER", …]`, as `label_list.json`), a JSON object
/// from index to name (`{"0": "O", …}`, as a model's `id2label`), or a comma-separated
/// list `O,B-PER,I-PER`. `source` names where they came from, for the error.
pub fn parse_tag_names(spec: &str, source: &str) -> Result<Vec<String>> {
    let bad = |message: String| Error::input(source, None, message);
    let spec = spec.trim();
    let names: Vec<String> = if spec.starts_with('[') || spec.starts_with('{') {
        let value: Value = serde_json::from_str(spec).map_err(|e| bad(format!("malformed tag names: {e}")))?;
        match value {
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(name) => Ok(name),
                    other => Err(bad(format!("tag names must be strings, found {other}"))),
                })
                .collect::<Result<_>>()?,
            Value::Object(map) => {
                let mut indexed = Vec::new();
                for (key, v) in map {
                    let index = key
                        .parse::<usize>()
                        .map_err(|_| bad(format!("key {key:?} is not an index")))?;
                    let Value::String(name) = v else {
                        return Err(bad(format!("tag name {index} is not a string")));
                    };
                    indexed.push((index, name));
                }
                indexed.sort();
                if indexed.iter().enumerate().any(|(i, (index, _))| i != *index) {
                    return Err(bad("the indexes must run 0, 1, 2, … without gaps".into()));
                }
                indexed.into_iter().map(|(_, name)| name).collect()
            }
            _ => return Err(bad("tag names must be a JSON list or object".into())),
        }
    } else {
        spec.split(',').map(|name| name.trim().to_owned()).collect()
    };
    if let Some(empty) = names.iter().position(|n| n.is_empty()) {
        return Err(bad(format!("tag name {empty} is empty")));
    }
    if names.is_empty() {
        return Err(bad("no tag names".into()));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_tags_only_through_the_list() {
        let names: Vec<String> = ["O", "B-PER", "I-PER"].map(String::from).into();
        assert_eq!(resolve("2", Some(&names)), Ok("I-PER"));
        assert_eq!(resolve("B-LOC", None), Ok("B-LOC"));
        assert!(resolve("1", None).expect_err("no names").contains("--tag-names"));
        assert!(resolve("3", Some(&names)).expect_err("past").contains("past the 3"));
    }

    #[test]
    fn tag_names_come_as_a_json_list_an_index_map_or_commas() {
        let expected: Vec<String> = ["O", "B-PER", "I-PER"].map(String::from).into();
        assert_eq!(
            parse_tag_names(r#"["O", "B-PER", "I-PER"]"#, "x").expect("list"),
            expected
        );
        assert_eq!(
            parse_tag_names(r#"{"1": "B-PER", "0": "O", "2": "I-PER"}"#, "x").expect("map"),
            expected
        );
        assert_eq!(parse_tag_names("O, B-PER,I-PER", "x").expect("commas"), expected);
        assert!(parse_tag_names(r#"{"0": "O", "2": "I-PER"}"#, "x").is_err());
        assert!(parse_tag_names("O,,B-PER", "x").is_err());
        assert!(parse_tag_names("[1]", "x").is_err());
    }
}
