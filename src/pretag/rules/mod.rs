//! Token rules for PER, ORG, LOC and TITLE: jieba POS tags as one signal, lexicons and
//! patterns as the others. Every rule pushes candidates; `super::resolve` picks among them.

mod orgs;
mod people;
mod places;

use orgs::{known_organizations, org_suffix_ending_at, organization_title_compounds, organizations, zones};
use people::{name_at, people_after_titles_and_bylines, titles, transliterated_names};
use places::{abbreviation_prefix, place_abbreviations, places};

use super::Candidate;
use super::lexicon::{LEXICONS, Lexicons};
use crate::model::Token;
use crate::text::{CharIndex, is_han};

/// A text cut into tokens, with the lookups the rules share.
pub struct Sentence<'t> {
    pub text: &'t str,
    pub index: CharIndex,
    pub chars: Vec<char>,
    pub tokens: Vec<Token<'t>>,
    /// `boundary[i]`: a token starts or ends at char `i`.
    pub boundary: Vec<bool>,
    /// `token_at[i]`: the token that holds char `i`.
    pub token_at: Vec<u32>,
    /// Per token, how many leading place abbreviations the abbreviation rule splits off.
    abbreviation_prefix: Vec<Option<usize>>,
    /// Rare characters that some rules start from, so that the rules skip texts without them.
    marks: Marks,
}

#[derive(Default, Clone, Copy)]
struct Marks {
    /// A middle dot between the parts of a foreign name: ·, • or ・.
    middle_dot: bool,
    /// 音, as in （音译）.
    yin: bool,
    /// 摄, as in a photo credit.
    she: bool,
}

/// Buffers a thread reuses from one line to the next, so tagging a corpus line by line
/// does not allocate them again for every line.
#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    byte_of_char: Vec<usize>,
    boundary: Vec<bool>,
    token_at: Vec<u32>,
    abbreviation_prefix: Vec<Option<usize>>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl<'t> Sentence<'t> {
    pub fn new(text: &'t str, tokens: Vec<Token<'t>>) -> Self {
        let scratch = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let (mut chars, mut byte_of_char) = (scratch.chars, scratch.byte_of_char);
        chars.clear();
        byte_of_char.clear();
        chars.reserve(text.len());
        byte_of_char.reserve(text.len() + 1);
        let mut marks = Marks::default();
        for (byte, c) in text.char_indices() {
            chars.push(c);
            byte_of_char.push(byte);
            match c {
                '·' | '•' | '・' => marks.middle_dot = true,
                '音' => marks.yin = true,
                '摄' => marks.she = true,
                _ => {}
            }
        }
        byte_of_char.push(text.len());
        let mut boundary = scratch.boundary;
        boundary.clear();
        boundary.resize(chars.len() + 1, false);
        let mut token_at = scratch.token_at;
        token_at.clear();
        token_at.resize(chars.len(), 0);
        for (i, token) in tokens.iter().enumerate() {
            boundary[token.char_start] = true;
            boundary[token.char_end] = true;
            token_at[token.char_start..token.char_end].fill(i as u32);
        }
        let mut sentence = Sentence {
            text,
            index: CharIndex::from_byte_offsets(byte_of_char),
            chars,
            tokens,
            boundary,
            token_at,
            abbreviation_prefix: Vec::new(),
            marks,
        };
        let lex = &*LEXICONS;
        let mut prefixes = scratch.abbreviation_prefix;
        prefixes.clear();
        prefixes.extend(sentence.tokens.iter().map(|t| {
            let first = sentence.chars[t.char_start];
            if lex.place_abbreviations.contains(&first) {
                abbreviation_prefix(&sentence, lex, t)
            } else {
                None
            }
        }));
        sentence.abbreviation_prefix = prefixes;
        sentence
    }

    /// `text[char_start..char_end]` in code points.
    pub fn slice(&self, char_start: usize, char_end: usize) -> &'t str {
        let text: &'t str = self.text;
        match self.index.byte_range(char_start..char_end) {
            Some(bytes) => &text[bytes],
            None => "",
        }
    }

    fn aligned(&self, char_start: usize, char_end: usize) -> bool {
        self.boundary[char_start] && self.boundary[char_end]
    }
}

impl Drop for Sentence<'_> {
    /// Hands the buffers back for the next line.
    fn drop(&mut self) {
        let scratch = Scratch {
            chars: std::mem::take(&mut self.chars),
            byte_of_char: std::mem::take(&mut self.index).into_byte_offsets(),
            boundary: std::mem::take(&mut self.boundary),
            token_at: std::mem::take(&mut self.token_at),
            abbreviation_prefix: std::mem::take(&mut self.abbreviation_prefix),
        };
        SCRATCH.with(|s| *s.borrow_mut() = scratch);
    }
}

/// Every token-level candidate of a sentence.
pub fn candidates(sentence: &Sentence<'_>, out: &mut Vec<Candidate>) {
    let lex = &*LEXICONS;
    let hits = lexicon_hits(sentence);
    pos_signal(sentence, lex, out);
    places(sentence, &hits, out);
    place_abbreviations(sentence, lex, out);
    known_organizations(sentence, &hits, out);
    let titles = titles(sentence, lex, &hits);
    people_after_titles_and_bylines(sentence, lex, &titles, out);
    out.extend(titles.iter().cloned());
    transliterated_names(sentence, lex, out);
    organizations(sentence, lex, out);
    organization_title_compounds(sentence, lex, out);
    zones(sentence, lex, out);
}

/// Endings that jieba glues onto names: 邓小平理论 → 邓小平.
const NAME_TAILS: &[&str] = &[
    "理论", "思想", "同志", "主义", "先生", "女士", "教授", "老师", "总统", "主席", "总理",
];

/// Whether `word` reads as a Chinese personal name: a surname and one or two more
/// characters (two or three after a double surname), all Han.
pub fn looks_like_chinese_name(word: &str, lex: &Lexicons) -> bool {
    let n_chars = word.chars().count();
    if !word.chars().all(is_han) {
        return false;
    }
    match lex.surname_len(word) {
        Some(2) => (3..=4).contains(&n_chars),
        Some(_) => (2..=3).contains(&n_chars),
        None => false,
    }
}

/// Last characters that make a two-character word a place: 市, 县, 江, 湖, 岛 …
const PLACE_ENDINGS: &[char] = &['市', '县', '州', '镇', '乡', '村', '江', '河', '湖', '岛', '山', '区'];

/// Party and government bodies named by their level alone: 市委, 县政府. They are ORG.
const REGION_BODIES: &[&str] = &[
    "省委",
    "市委",
    "县委",
    "区委",
    "州委",
    "纪委",
    "党委",
    "乡党委",
    "镇党委",
    "村党支部",
    "村委会",
    "居委会",
    "省政府",
    "市政府",
    "县政府",
    "区政府",
    "乡政府",
    "镇政府",
    "省人大",
    "市人大",
    "县人大",
    "省政协",
    "市政协",
    "县政协",
    "团县委",
    "团市委",
    "团省委",
    "市教委",
    "省教育厅",
    "市公安局",
    "县公安局",
    "市委宣传部",
    "省委宣传部",
    "市委组织部",
    "省委组织部",
];

/// Words around a name that say it is a person: a title before, a speech verb after.
fn person_context(s: &Sentence<'_>, lex: &Lexicons, char_start: usize, char_end: usize) -> bool {
    const AFTER: &[&str] = &[
        "说",
        "表示",
        "指出",
        "认为",
        "介绍",
        "告诉",
        "强调",
        "称",
        "等",
        "同志",
        "先生",
        "女士",
        "教授",
        "主任",
        "书记",
        "说道",
        "坦言",
        "透露",
        "回忆",
        "笑着说",
        "一行",
        "夫妇",
        "老师",
    ];
    let before = (char_start > 0).then(|| &s.tokens[s.token_at[char_start - 1] as usize]);
    let after = s
        .tokens
        .get(s.token_at.get(char_end).map_or(usize::MAX, |i| *i as usize));
    before.is_some_and(|t| lex.titles.contains_key(t.word) || t.word == "、" && char_start >= 3)
        || after.is_some_and(|t| AFTER.contains(&t.word) || lex.titles.contains_key(t.word))
}

fn pos_signal(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    for (i, token) in s.tokens.iter().enumerate() {
        if s.abbreviation_prefix[i].is_some() {
            continue;
        }
        let word = token.word;
        let n_chars = token.char_end - token.char_start;
        let pos = token.pos;
        if pos == "nr" && n_chars == 1 {
            // 江/nr 宏伟/a: jieba tags the surname alone; the given name follows.
            if let Some(end) = name_at(s, lex, token.char_start)
                && end > token.char_end
                && !lex.not_names.contains(s.slice(token.char_start, end))
            {
                out.push(Candidate::new(token.char_start, end, "PER", "surname-given", 0.5));
            }
        } else if pos.starts_with("nr") {
            let mut end = token.char_end;
            for tail in NAME_TAILS {
                if let Some(head) = word.strip_suffix(tail) {
                    end = token.char_start + head.chars().count();
                    break;
                }
            }
            let name = s.slice(token.char_start, end);
            if lex.places.contains_key(name) || lex.not_names.contains(name) {
                continue;
            }
            // 薛埠镇, 梁沟村: jieba reads a village or town as a name.
            if name.chars().count() >= 3 && name.ends_with(['镇', '村', '县', '乡', '庄', '屯', '寨']) {
                out.push(Candidate::new(token.char_start, end, "LOC", "jieba-nr-place", 0.55));
                continue;
            }
            // 赵华说, 吕老去: a speech verb or particle glued to a two-character name.
            if name.chars().count() == 3
                && name.ends_with(['说', '是', '去', '及', '在', '的', '等', '也', '就', '都', '又'])
            {
                end -= 1;
            }
            let name = s.slice(token.char_start, end);
            // 王某, 陈小姐; 高端化: a surname character before a suffix of abstract nouns.
            if name.ends_with(['某', '化', '性', '率', '型', '式', '界'])
                || name.ends_with("小姐")
                || name.ends_with("先生")
            {
                continue;
            }
            let chinese = looks_like_chinese_name(name, lex);
            let n_name = name.chars().count();
            let foreign = (pos == "nrt" && n_name >= 2 || n_name >= 3)
                && name.chars().all(|c| lex.transliteration_chars.contains(&c) || c == '·');
            if !(chinese || foreign) {
                continue;
            }
            // 李铁/nr 辰/ng: jieba cut a three-character name after two.
            let index = s.token_at[token.char_start] as usize;
            let next = s.tokens.get(index + 1);
            if chinese
                && end == token.char_end
                && name.chars().count() == 2
                && let Some(next) = next.filter(|n| {
                    n.char_end - n.char_start == 1
                        && matches!(n.pos, "ng" | "nr" | "nrfg" | "j" | "x" | "g")
                        && is_han(s.chars[n.char_start])
                })
            {
                end = next.char_end;
            }
            let ambiguous = chinese
                && name
                    .chars()
                    .next()
                    .and_then(|c| lex.single_surnames.get(&c))
                    .copied()
                    .unwrap_or(false);
            let confidence = if ambiguous { 0.55 } else { 0.65 };
            if ambiguous && end - token.char_start == 2 && !person_context(s, lex, token.char_start, end) {
                continue;
            }
            out.push(Candidate::new(token.char_start, end, "PER", "jieba-nr", confidence));
        } else if pos == "ns" && n_chars >= 2 && !lex.generic_places.contains(word) && !lex.titles.contains_key(word) {
            // 东北地区 → 东北: the region, not the generic noun after it.
            let end = match word.strip_suffix("地区") {
                Some(head) if head.chars().count() >= 2 => token.char_end - 2,
                _ => token.char_end,
            };
            let head = s.slice(token.char_start, end);
            // jieba's dictionary tags many common nouns ns (海洋, 大桥, 治安); trust a
            // two-character one only when it ends like a place or reads like a transliteration.
            let n_head = head.chars().count();
            let place_like = lex.places.contains_key(head)
                || n_head >= 3
                || (n_head == 2 && head.ends_with(PLACE_ENDINGS))
                || head.chars().all(|c| lex.transliteration_chars.contains(&c));
            if place_like {
                out.push(Candidate::new(token.char_start, end, "LOC", "jieba-ns", 0.55));
            }
        } else if n_chars >= 2
            && matches!(
                s.chars[token.char_end - 1],
                '委' | '会' | '府' | '大' | '协' | '厅' | '局' | '部'
            )
            && REGION_BODIES.contains(&word)
        {
            out.push(Candidate::new(
                token.char_start,
                token.char_end,
                "ORG",
                "region-body",
                0.6,
            ));
        } else if pos == "nt" && n_chars >= 2 && !lex.generic_organizations.contains(word) {
            out.push(Candidate::new(token.char_start, token.char_end, "ORG", "jieba-nt", 0.6));
        }
    }
}

/// What a lexicon entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Place,
    Organization,
    Title,
}

/// A lexicon entry found in the text.
struct Hit {
    char_start: usize,
    char_end: usize,
    entry: Entry,
    word: &'static str,
}

/// Lexicon entries in the text. Places and organizations must cover whole tokens, so
/// they are looked up as runs of consecutive tokens; titles must end on a token
/// boundary (副市长 holds 市长), so they are looked up as tails ending there.
fn lexicon_hits(s: &Sentence<'_>) -> Vec<Hit> {
    let lex = &*LEXICONS;
    let mut hits = Vec::new();
    for (i, first) in s.tokens.iter().enumerate() {
        let start = first.char_start;
        let may_start_name = s
            .chars
            .get(start + 1)
            .is_some_and(|second| lex.name_starts.may_contain(s.chars[start], *second));
        let run: &[Token<'_>] = if may_start_name { &s.tokens[i..] } else { &[] };
        for last in run {
            if last.char_end - first.char_start > lex.max_name_chars {
                break;
            }
            let Some((word, found)) = lex.names.get_key_value(s.slice(first.char_start, last.char_end)) else {
                break;
            };
            if found.place.is_some() {
                hits.push(Hit {
                    char_start: first.char_start,
                    char_end: last.char_end,
                    entry: Entry::Place,
                    word,
                });
            }
            if found.organization {
                hits.push(Hit {
                    char_start: first.char_start,
                    char_end: last.char_end,
                    entry: Entry::Organization,
                    word,
                });
            }
            if !found.is_prefix {
                break;
            }
        }
        let end = first.char_end;
        if !lex.title_final_chars.contains(&s.chars[end - 1]) {
            continue;
        }
        // The segmenter knows every title (and 副/常务副/总 + title) as a word, so a core
        // title lies within its token: 副市长 holds 市长.
        let token_chars = end - first.char_start;
        for n in 1..=lex.max_title_chars.min(token_chars) {
            if let Some((word, _)) = lex.titles.get_key_value(s.slice(end - n, end)) {
                hits.push(Hit {
                    char_start: end - n,
                    char_end: end,
                    entry: Entry::Title,
                    word,
                });
            }
        }
    }
    hits
}
