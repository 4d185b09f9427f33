//! Character-level CoNLL: every character of a document on its own line, `char TAG`.
//!
//! The alignment rule: line *i* of a document is code point *i* of its text, so no
//! character is ever dropped. White space and line breaks cannot stand in a column, so
//! they are written escaped (`\u3000`, `\u0020`, `\u000A`, and `\u005C` for a backslash).
//! A blank line ends a sentence (after 。！？；… or a line break) and `-DOCSTART- -X- O O`
//! opens a document. The reader accepts files without `-DOCSTART-` too: then every blank-line
//! block is a document.
//!
//! The reader takes the character-tagging files of Chinese NER sets (`.bio`, `.bioes`,
//! `.bmes` as the Resume and Weibo sets of Zhang & Yang 2018, `.bilou`): tags in BIO,
//! BIOES, BMES or BILOU ([`super::spans_from_tags`]); columns split by tabs when the line
//! has one (so a column may be a space), else by runs of white space; with more than two
//! columns (`char SEG POS TAG`) the tag is the last one, as CoNLL readers take it. A tag
//! that is a number is an entry of the tag names ([`super::tagging`]). `-DOCSTART-` with
//! anything after it (`-DOCSTART- -X- O O`, `-DOCSTART- 12`) opens a document.

use std::io::Write;
use std::path::Path;

use super::{
    ColumnSeparator, TagScheme, char_tags, cuts_inside_entities, sentence_ends, spans_from_tags, tagging, write_line,
};
use crate::model::{AnnotatedDocument, NewDocument, NewEntity};
use crate::{Error, Result};

/// The token column for a character.
pub fn escape(c: char) -> String {
    if c.is_whitespace() || c == '\\' || c.is_control() {
        format!("\\u{:04X}", c as u32)
    } else {
        c.to_string()
    }
}

/// The character a token column stands for.
pub fn unescape(token: &str) -> Option<char> {
    if let Some(hex) = token.strip_prefix("\\u") {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    let mut chars = token.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The line that opens a document, as CoNLL-2003 writes it.
pub const DOCSTART: [&str; 4] = ["-DOCSTART-", "-X-", "O", "O"];

/// Writes `char TAG` lines (or `char<TAB>TAG`), a blank line at each sentence end, and
/// `-DOCSTART- -X- O O` before each document.
pub fn write(
    documents: &[&AnnotatedDocument],
    scheme: TagScheme,
    separator: ColumnSeparator,
    out: &mut dyn Write,
) -> Result<()> {
    let separator = separator.as_str();
    for document in documents {
        write_line(out, &DOCSTART.join(separator))?;
        write_line(out, "")?;
        let chars: Vec<char> = document.text.chars().collect();
        let tags = char_tags(document, chars.len(), scheme)?;
        let ends = sentence_ends(&chars, &cuts_inside_entities(document, chars.len()));
        let mut ends = ends.iter().peekable();
        let mut line = String::new();
        for (i, (c, tag)) in chars.iter().zip(&tags).enumerate() {
            line.clear();
            line.push_str(&escape(*c));
            line.push_str(separator);
            line.push_str(tag);
            write_line(out, &line)?;
            if ends.next_if_eq(&&(i + 1)).is_some() {
                write_line(out, "")?;
            }
        }
        write_line(out, "")?;
    }
    Ok(())
}

/// Reads a CoNLL file: documents between `-DOCSTART-` lines, or one a blank-line block.
/// `tag_names` name the tags given as numbers.
pub fn read(content: &str, path: &Path, annotator: &str, tag_names: Option<&[String]>) -> Result<Vec<NewDocument>> {
    let has_docstart = content.lines().any(|l| l.starts_with("-DOCSTART-"));
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut documents = Vec::new();
    let mut chars = String::new();
    let mut tags: Vec<&str> = Vec::new();
    let mut tag_lines: Vec<usize> = Vec::new();
    let mut first_line = 1;
    let mut finish = |chars: &mut String, tags: &mut Vec<&str>, tag_lines: &mut Vec<usize>, first_line: usize| {
        if chars.is_empty() {
            return Ok(());
        }
        let spans = spans_from_tags(tags).map_err(|(i, e)| Error::input(path, tag_lines.get(i).copied(), e))?;
        documents.push(NewDocument {
            name: format!("{file}:{first_line}"),
            source_path: Some(path.to_string_lossy().into_owned()),
            text: std::mem::take(chars),
            encoding: "utf-8".to_owned(),
            entities: spans
                .into_iter()
                .map(|(char_start, char_end, label)| NewEntity::imported(char_start, char_end, label, annotator))
                .collect(),
            relation_annotator: annotator.to_owned(),
            labelled: true,
            ..NewDocument::default()
        });
        tags.clear();
        tag_lines.clear();
        Ok::<(), Error>(())
    };
    for (i, line) in content.lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with("-DOCSTART-") {
            finish(&mut chars, &mut tags, &mut tag_lines, first_line)?;
            first_line = line_no + 1;
            continue;
        }
        if line.trim().is_empty() {
            if !has_docstart {
                finish(&mut chars, &mut tags, &mut tag_lines, first_line)?;
                first_line = line_no + 1;
            }
            continue;
        }
        let columns: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        let (Some(token), Some(raw_tag), true) = (columns.first(), columns.last(), columns.len() >= 2) else {
            return Err(Error::input(
                path,
                Some(line_no),
                format!("expected `char TAG`, found {line:?}"),
            ));
        };
        let c = unescape(token).ok_or_else(|| {
            Error::input(
                path,
                Some(line_no),
                format!("{token:?} is not one character or a \\uXXXX escape"),
            )
        })?;
        let tag = tagging::resolve(raw_tag.trim(), tag_names).map_err(|e| Error::input(path, Some(line_no), e))?;
        chars.push(c);
        tags.push(tag);
        tag_lines.push(line_no);
    }
    finish(&mut chars, &mut tags, &mut tag_lines, first_line)?;
    Ok(documents)
}
