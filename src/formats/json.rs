//! `.json` and `.jsonl` files, told apart by their content: a JSON array (first
//! non-blank character `[`) is a Label Studio export; an object (`{`) starts JSON lines,
//! which [`super::jsonl`] reads line by line (CLUENER's `.json` files are JSON lines).

use std::path::Path;

use super::{jsonl, label_studio};
use crate::model::NewDocument;
use crate::{Error, Result};

/// Reads a decoded `.json` or `.jsonl` file. `tag_names` name HF's integer `ner_tags`.
pub fn read(
    content: &str,
    path: &Path,
    annotator: &str,
    tag_names: Option<&[String]>,
) -> Result<(Vec<NewDocument>, Vec<String>)> {
    match content.trim_start().chars().next() {
        None => Ok((Vec::new(), vec!["empty file, skipped".to_owned()])),
        Some('[') => label_studio::read(content, path, annotator),
        Some('{') => jsonl::read(content, path, annotator, tag_names),
        Some(other) => {
            let line = content.lines().position(|l| !l.trim().is_empty()).map_or(1, |i| i + 1);
            Err(Error::input(
                path,
                Some(line),
                format!("expected a JSON array (Label Studio) or JSON lines of objects, found {other:?}"),
            ))
        }
    }
}
