//! What the model sees of one line: a fixed number of hashed features a character.

use crate::model::Token;

/// Bumped whenever a template changes: a stored model of another version is not used.
pub const FEATURE_VERSION: u32 = 2;

/// Features a character; every template yields exactly one.
pub const N_TEMPLATES: usize = 19;

/// A labelled span of a line, `[char_start, char_end)` in code points.
pub type LineSpan<'a> = (usize, usize, &'a str);

/// One line as the model reads it: its characters, jieba's words, and the spans two other
/// taggers propose, as evidence. `words` tile `chars`; each span list is non-overlapping.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub chars: &'a [char],
    pub words: &'a [Token<'a>],
    /// The rule tagger's spans.
    pub rules: &'a [LineSpan<'a>],
    /// The project gazetteer's matches.
    pub gazetteer: &'a [LineSpan<'a>],
}

/// Positions of a character in a word or span: begin, middle, end, single.
const B: u64 = 1;
const M: u64 = 2;
const E: u64 = 3;
const S: u64 = 4;

fn position(i: usize, start: usize, end: usize) -> u64 {
    match (i == start, i + 1 == end) {
        (true, true) => S,
        (true, false) => B,
        (false, true) => E,
        (false, false) => M,
    }
}

/// A fixed mix (FxHash's), so that hashes and models are the same on every platform and run.
#[inline]
fn mix(hash: u64, value: u64) -> u64 {
    (hash.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95)
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn feature(template: u64, values: &[u64]) -> u64 {
    let h = values.iter().fold(mix(0, template + 1), |h, v| mix(h, *v));
    // A final avalanche, so that the low bits the hash table uses are well spread.
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Coarse classes of characters: Han, digit (ASCII, full width or Chinese), Latin, punctuation, other.
fn class(c: char) -> u64 {
    match c {
        '0'..='9'
        | '０'..='９'
        | '〇'
        | '零'
        | '一'
        | '二'
        | '三'
        | '四'
        | '五'
        | '六'
        | '七'
        | '八'
        | '九'
        | '十'
        | '百'
        | '千'
        | '万'
        | '亿' => 1,
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 2,
        c if crate::text::is_han(c) => 3,
        c if c.is_ascii_punctuation()
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c) =>
        {
            4
        }
        _ => 5,
    }
}

/// Per character, the code of the span that holds it (label and position), or 0.
fn span_codes(n_chars: usize, spans: &[LineSpan<'_>], out: &mut Vec<u64>) {
    out.clear();
    out.resize(n_chars, 0);
    for &(start, end, label) in spans {
        let label = hash_str(label);
        for (i, code) in out.iter_mut().enumerate().take(end.min(n_chars)).skip(start) {
            *code = mix(label, position(i, start, end));
        }
    }
}

/// Buffers reused from line to line.
#[derive(Default)]
pub struct Extractor {
    rules: Vec<u64>,
    gazetteer: Vec<u64>,
    word_of_char: Vec<u32>,
}

/// Padding outside the line.
const BEFORE: u64 = 0x11_0000;
const AFTER: u64 = 0x11_0001;

impl Extractor {
    /// Appends `N_TEMPLATES` feature hashes for every char of `line` to `out`.
    pub fn extract(&mut self, line: &Line<'_>, out: &mut Vec<u64>) {
        let chars = line.chars;
        let n = chars.len();
        span_codes(n, line.rules, &mut self.rules);
        span_codes(n, line.gazetteer, &mut self.gazetteer);
        self.word_of_char.clear();
        self.word_of_char.resize(n, u32::MAX);
        for (w, word) in line.words.iter().enumerate() {
            let end = word.char_end.min(n);
            self.word_of_char[word.char_start.min(end)..end].fill(w as u32);
        }
        let c = |i: isize| -> u64 {
            if i < 0 {
                BEFORE
            } else {
                chars.get(i as usize).map_or(AFTER, |c| u64::from(*c))
            }
        };
        let class_at = |i: isize| -> u64 {
            if i < 0 || i as usize >= n {
                0
            } else {
                class(chars[i as usize])
            }
        };
        let rule = |codes: &[u64], i: isize| -> u64 { if i < 0 || i as usize >= n { 1 } else { codes[i as usize] } };
        out.reserve(n * N_TEMPLATES);
        for i in 0..n {
            let k = i as isize;
            let (word_position, pos, word, pos_before, pos_after) = match line.words.get(self.word_of_char[i] as usize)
            {
                Some(token) => {
                    let w = self.word_of_char[i] as usize;
                    let word_of = |j: Option<usize>| j.and_then(|j| line.words.get(j)).map_or(0, |t| hash_str(t.pos));
                    (
                        position(i, token.char_start, token.char_end),
                        hash_str(token.pos),
                        hash_str(token.word),
                        word_of(w.checked_sub(1)),
                        word_of(Some(w + 1)),
                    )
                }
                None => (0, 0, 0, 0, 0),
            };
            let features: [u64; N_TEMPLATES] = [
                feature(0, &[]),
                feature(1, &[c(k - 2)]),
                feature(2, &[c(k - 1)]),
                feature(3, &[c(k)]),
                feature(4, &[c(k + 1)]),
                feature(5, &[c(k + 2)]),
                feature(6, &[c(k - 2), c(k - 1)]),
                feature(7, &[c(k - 1), c(k)]),
                feature(8, &[c(k), c(k + 1)]),
                feature(9, &[c(k + 1), c(k + 2)]),
                feature(10, &[c(k - 1), c(k + 1)]),
                feature(11, &[class_at(k - 1), class_at(k), class_at(k + 1)]),
                feature(12, &[word_position, pos]),
                feature(13, &[word_position, word]),
                feature(14, &[pos_before, word_position, pos_after]),
                feature(15, &[rule(&self.rules, k)]),
                feature(16, &[rule(&self.rules, k - 1), rule(&self.rules, k + 1)]),
                feature(17, &[rule(&self.gazetteer, k)]),
                feature(18, &[rule(&self.rules, k), c(k)]),
            ];
            out.extend_from_slice(&features);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: u64 = 15_510_022_208_902_740_412;

    #[test]
    fn every_char_gets_the_same_number_of_features_and_they_are_stable() {
        let chars: Vec<char> = "王明在北京".chars().collect();
        let words = [
            Token {
                word: "王明",
                char_start: 0,
                char_end: 2,
                pos: "nr",
            },
            Token {
                word: "在",
                char_start: 2,
                char_end: 3,
                pos: "p",
            },
            Token {
                word: "北京",
                char_start: 3,
                char_end: 5,
                pos: "ns",
            },
        ];
        let rules = [(0, 2, "PER")];
        let line = Line {
            chars: &chars,
            words: &words,
            rules: &rules,
            gazetteer: &[],
        };
        let mut out = Vec::new();
        Extractor::default().extract(&line, &mut out);
        assert_eq!(out.len(), 5 * N_TEMPLATES);
        let mut again = Vec::new();
        Extractor::default().extract(&line, &mut again);
        assert_eq!(out, again);
        // The bias is shared; the unigram of 王 differs from that of 明.
        assert_eq!(out[0], out[N_TEMPLATES]);
        assert_ne!(out[3], out[N_TEMPLATES + 3]);
        assert_ne!(feature(1, &[1]), feature(2, &[1]), "templates do not collide");
        // Pinned: a change of hashing changes every model, so it must bump FEATURE_VERSION.
        assert_eq!(feature(3, &[u64::from('王')]), PINNED);
    }
}
