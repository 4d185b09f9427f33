//! jieba segmentation with code-point offsets, paragraphs, sentences and user dictionaries.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use jieba_rs::Jieba;
use serde::{Deserialize, Serialize};

use crate::model::{CharSpan, Token};
use crate::{Error, Result};

/// jieba's default dictionary, loaded once per process on first use.
static DEFAULT_JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(Jieba::new()));

/// Cuts text into POS-tagged words. Cheap to clone.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter {
            jieba: Arc::clone(&DEFAULT_JIEBA),
        }
    }
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

impl Segmenter {
    /// The default dictionary plus a project's user dictionary. With no entries this
    /// shares the process-wide dictionary instead of copying it.
    pub fn with_user_dict(entries: &[UserDictEntry]) -> Self {
        if entries.is_empty() {
            return Segmenter::default();
        }
        let mut jieba = Jieba::clone(&DEFAULT_JIEBA);
        for entry in entries {
            jieba.add_word(&entry.word, entry.freq, entry.pos.as_deref());
        }
        Segmenter { jieba: Arc::new(jieba) }
    }

    /// Words with code-point offsets and POS tags. The words tile the text exactly.
    pub fn tokens<'t>(&'t self, text: &'t str) -> Vec<Token<'t>> {
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|tag| Token {
                word: tag.word,
                char_start: tag.start,
                char_end: tag.end,
                pos: tag.tag,
            })
            .collect()
    }

    /// The underlying jieba instance, for benchmarks that compare against it.
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }
}

/// The lines of `text` that hold something other than white space, as char spans
/// without their line break.
pub fn paragraphs(text: &str) -> Vec<CharSpan> {
    split_spans(text, |c, _| c == '\n')
}

/// Every line of `text`, empty ones too, as char spans without their line break: the
/// paragraphs as the source lays them out.
pub fn paragraphs_with_empty(text: &str) -> Vec<CharSpan> {
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let n_chars = line.chars().count();
        spans.push(CharSpan::new(start, start + n_chars));
        start += n_chars + 1;
    }
    spans
}

/// Sentences, ended by 。！？；… (and their ASCII forms) or a line break. Closing quotes and
/// brackets after the end mark stay with the sentence. Spans exclude line breaks and
/// spans of white space only are left out.
pub fn sentences(text: &str) -> Vec<CharSpan> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |spans: &mut Vec<CharSpan>, s: usize, e: usize| {
        if chars[s..e].iter().any(|c| !c.is_whitespace()) {
            spans.push(CharSpan::new(s, e));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push(&mut spans, start, i);
            start = i + 1;
            i += 1;
            continue;
        }
        if is_sentence_end(c) {
            let mut end = i + 1;
            while end < chars.len() && (is_sentence_end(chars[end]) || is_closing(chars[end])) {
                end += 1;
            }
            push(&mut spans, start, end);
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    push(&mut spans, start, chars.len());
    spans
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '…' | '!' | '?' | ';')
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '》' | '】' | '"' | '\'')
}

fn split_spans(text: &str, is_break: impl Fn(char, usize) -> bool) -> Vec<CharSpan> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut has_content = false;
    let mut n_chars = 0;
    for (i, c) in text.chars().enumerate() {
        n_chars = i + 1;
        if is_break(c, i) {
            if has_content {
                spans.push(CharSpan::new(start, i));
            }
            start = i + 1;
            has_content = false;
        } else if !c.is_whitespace() {
            has_content = true;
        }
    }
    if has_content {
        spans.push(CharSpan::new(start, n_chars));
    }
    spans
}

/// One line of a jieba user dictionary: `word [freq] [pos]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDictEntry {
    pub word: String,
    pub freq: Option<usize>,
    pub pos: Option<String>,
}

/// Parses a user dictionary, one `word [freq] [pos]` a line; blank lines and `#` comments
/// are skipped. `path` names the file in errors.
pub fn parse_user_dict(content: &str, path: &Path) -> Result<Vec<UserDictEntry>> {
    let mut entries = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or_default().to_owned();
        let mut freq = None;
        let mut pos = None;
        for field in fields {
            match field.parse::<usize>() {
                Ok(n) if freq.is_none() && pos.is_none() => freq = Some(n),
                _ if pos.is_none() && !field.chars().all(|c| c.is_ascii_digit()) => pos = Some(field.to_owned()),
                _ => {
                    return Err(Error::input(
                        path,
                        Some(i + 1),
                        format!("expected `word [freq] [pos]`, found {line:?}"),
                    ));
                }
            }
        }
        entries.push(UserDictEntry { word, freq, pos });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::char_slice;

    fn words(segmenter: &Segmenter, text: &str) -> Vec<String> {
        segmenter.tokens(text).iter().map(|t| t.word.to_owned()).collect()
    }

    #[test]
    fn tokens_carry_char_offsets_that_tile_the_text() {
        let text = "𠮷国务院总理李强在北京表示，增长目标为5%。";
        let segmenter = Segmenter::default();
        let tokens = segmenter.tokens(text);
        let mut expected_start = 0;
        for token in &tokens {
            assert_eq!(token.char_start, expected_start);
            assert_eq!(char_slice(text, token.char_start, token.char_end), Some(token.word));
            expected_start = token.char_end;
        }
        assert_eq!(expected_start, text.chars().count());
        let li = tokens.iter().find(|t| t.word == "李强").expect("李强 is one word");
        assert_eq!((li.char_start, li.char_end), (6, 8));
        assert!(li.pos.starts_with("nr"), "{}", li.pos);
        let beijing = tokens.iter().find(|t| t.word == "北京").expect("北京 is one word");
        assert_eq!((beijing.char_start, beijing.pos), (9, "ns"));
    }

    #[test]
    fn user_dictionary_adds_words() {
        let text = "长沙经开区新签约项目";
        let plain = Segmenter::default();
        assert!(!words(&plain, text).contains(&"长沙经开区".to_owned()));
        let entries = parse_user_dict("# zones\n长沙经开区 1000 ns\n", Path::new("dict.txt")).expect("valid");
        assert_eq!(
            entries,
            [UserDictEntry {
                word: "长沙经开区".into(),
                freq: Some(1000),
                pos: Some("ns".into())
            }]
        );
        let custom = Segmenter::with_user_dict(&entries);
        let tokens = custom.tokens(text);
        assert_eq!((tokens[0].word, tokens[0].pos), ("长沙经开区", "ns"));
    }

    #[test]
    fn user_dictionary_errors_name_the_line() {
        let err = parse_user_dict("好词\n坏 12 nz 7\n", Path::new("dict.txt")).expect_err("bad line 2");
        assert_eq!(
            err.to_string(),
            "line 2: expected `word [freq] [pos]`, found \"坏 12 nz 7\" in dict.txt"
        );
        let pos_only = parse_user_dict("湘江新区 ns", Path::new("d")).expect("pos without freq");
        assert_eq!(pos_only[0].freq, None);
        assert_eq!(pos_only[0].pos.as_deref(), Some("ns"));
    }

    #[test]
    fn paragraphs_follow_line_breaks() {
        let text = "第一段。\n\n  \n第二段，𠮷。\n";
        let spans = paragraphs(text);
        let texts: Vec<&str> = spans
            .iter()
            .map(|s| char_slice(text, s.char_start, s.char_end).expect("in range"))
            .collect();
        assert_eq!(texts, ["第一段。", "第二段，𠮷。"]);
    }

    #[test]
    fn every_line_is_a_paragraph_for_display() {
        let spans = paragraphs_with_empty("甲乙\n\n丙\n");
        assert_eq!(
            spans,
            [
                CharSpan::new(0, 2),
                CharSpan::new(3, 3),
                CharSpan::new(4, 5),
                CharSpan::new(6, 6)
            ]
        );
    }

    #[test]
    fn sentences_end_at_marks_and_keep_closing_quotes() {
        let text = "他说：“项目已开工。”总投资3.5亿元！能按期完成吗？当然……\n下一段；结束";
        let texts: Vec<&str> = sentences(text)
            .iter()
            .map(|s| char_slice(text, s.char_start, s.char_end).expect("in range"))
            .collect();
        assert_eq!(
            texts,
            [
                "他说：“项目已开工。”",
                "总投资3.5亿元！",
                "能按期完成吗？",
                "当然……",
                "下一段；",
                "结束"
            ]
        );
    }
}
