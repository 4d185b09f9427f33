//! Token rules for PER, ORG, LOC and TITLE: jieba POS tags as one signal, lexicons and
//! patterns as the others. Every rule pushes candidates; `super::resolve` picks among them.

use super::Candidate;
use super::lexicon::{LEXICONS, Lexicons};
use crate::model::Token;
use crate::text::CharIndex;

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

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
        || ('\u{3400}'..='\u{4dbf}').contains(&c)
        || ('\u{20000}'..='\u{2ffff}').contains(&c)
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

/// Lexicon places whose both ends fall on token boundaries (so 中山 in 孙中山 does not count).
fn places(s: &Sentence<'_>, hits: &[Hit], out: &mut Vec<Candidate>) {
    for hit in hits.iter().filter(|h| h.entry == Entry::Place) {
        if s.aligned(hit.char_start, hit.char_end) {
            out.push(Candidate::new(
                hit.char_start,
                hit.char_end,
                "LOC",
                "lexicon-place",
                0.7,
            ));
        }
    }
}

/// Words after a country abbreviation that make it a place: 中美关系, 俄总统, 中方.
const AFTER_ABBREVIATION: &[&str] = &[
    "关系",
    "总统",
    "政府",
    "两国",
    "双方",
    "合作",
    "外长",
    "总理",
    "首脑",
    "首相",
    "方",
    "军",
    "国内",
    "外交",
    "贸易",
    "边境",
    "联合声明",
    "峰会",
    "会谈",
    "经贸",
    "友好",
    "议会",
    "央行",
    "高层",
];

/// How many leading characters of `token` are place abbreviations that the abbreviation
/// rule splits off: the whole token (中美, 印巴) or a prefix before a political word (中美关系).
fn abbreviation_prefix(s: &Sentence<'_>, lex: &Lexicons, token: &Token<'_>) -> Option<usize> {
    let chars = &s.chars[token.char_start..token.char_end];
    let n_leading = chars.iter().take_while(|c| lex.place_abbreviations.contains(c)).count();
    if n_leading == 0
        || chars.len() > 6
        || lex.not_abbreviation_pairs.contains(token.word)
        || lex.places.contains_key(token.word)
    {
        return None;
    }
    let whole = n_leading == chars.len()
        && (2..=4).contains(&chars.len())
        && matches!(token.pos, "ns" | "j" | "nz" | "nt" | "t");
    let before_word =
        n_leading < chars.len() && AFTER_ABBREVIATION.contains(&s.slice(token.char_start + n_leading, token.char_end));
    (whole || before_word).then_some(n_leading)
}

/// One-character place abbreviations: 中美, 京津 (tokens made of them), 在京, 俄/j (tagged
/// alone), 中美关系, 俄总统 (before a political word), 访华, 对华 (after a verb of visiting).
fn place_abbreviations(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    let mut push = |at: usize| out.push(Candidate::new(at, at + 1, "LOC", "place-abbreviation", 0.6));
    for (i, token) in s.tokens.iter().enumerate() {
        let chars = &s.chars[token.char_start..token.char_end];
        let is_abbreviation = |c: &char| lex.place_abbreviations.contains(c);
        if chars.len() == 1 && is_abbreviation(&chars[0]) {
            let neighbour_abbreviation = |k: Option<&Token<'_>>| {
                k.is_some_and(|t| {
                    t.char_end - t.char_start == 1
                        && lex.place_abbreviations.contains(&s.chars[t.char_start])
                        && matches!(t.pos, "ns" | "j")
                })
            };
            let previous = i.checked_sub(1).and_then(|k| s.tokens.get(k));
            let next = s.tokens.get(i + 1);
            let after_visit = previous.is_some_and(|p| {
                matches!(
                    p.word,
                    "在" | "对"
                        | "访"
                        | "来"
                        | "离"
                        | "赴"
                        | "驻"
                        | "帮助"
                        | "抵"
                        | "返"
                        | "同"
                        | "与"
                        | "和"
                        | "向"
                        | "从"
                )
            });
            let before_word = next.is_some_and(|n| AFTER_ABBREVIATION.contains(&n.word));
            // 云 (计算), 新, 青: abbreviations that are common characters need a context.
            let common_character = matches!(
                chars[0],
                '云' | '新' | '贵' | '青' | '宁' | '黑' | '吉' | '台' | '甘' | '秦' | '菲' | '加' | '以' | '巴'
            );
            let tagged_place = token.pos == "ns" && !common_character;
            if matches!(token.pos, "ns" | "j") && (after_visit || before_word || tagged_place)
                || (neighbour_abbreviation(previous) || neighbour_abbreviation(next))
            {
                push(token.char_start);
            }
            continue;
        }
        if let Some(n_leading) = s.abbreviation_prefix[i] {
            (token.char_start..token.char_start + n_leading).for_each(&mut push);
        } else if chars.len() == 2
            && matches!(
                chars[0],
                '访' | '来' | '驻' | '赴' | '抵' | '离' | '返' | '旅' | '援' | '对' | '在'
            )
            && is_abbreviation(&chars[1])
        {
            push(token.char_start + 1);
        }
    }
}

/// Well-known organizations from the lexicon, on token boundaries.
fn known_organizations(s: &Sentence<'_>, hits: &[Hit], out: &mut Vec<Candidate>) {
    for hit in hits.iter().filter(|h| h.entry == Entry::Organization) {
        if s.aligned(hit.char_start, hit.char_end) {
            out.push(Candidate::new(hit.char_start, hit.char_end, "ORG", "lexicon-org", 0.75));
        }
    }
}

/// Titles: a core title ending on a token boundary, with the modifiers before it
/// (常务副市长), starting on a token boundary. Generic ones (记者, 代表) only next to a
/// name or right after an organization-like word.
fn titles(s: &Sentence<'_>, lex: &Lexicons, hits: &[Hit]) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for hit in hits.iter().filter(|h| h.entry == Entry::Title) {
        let (mut start, end) = (hit.char_start, hit.char_end);
        if !s.boundary[end] {
            continue;
        }
        let core = hit.word;
        for _ in 0..2 {
            let extended = (1..=lex.max_title_prefix_chars.min(start))
                .rev()
                .find(|n| lex.title_prefix_set.contains(s.slice(start - n, start)))
                .map(|n| start - n);
            match extended {
                Some(new_start) => start = new_start,
                None => break,
            }
        }
        if !s.boundary[start] {
            continue;
        }
        let generic = lex.titles.get(core).copied().unwrap_or(false);
        let next_is_name = name_at(s, lex, end).is_some();
        let after_org_word = start > 0 && org_suffix_ending_at(s, lex, start).is_some();
        let attached = next_is_name || after_org_word;
        if generic && !attached {
            continue;
        }
        let confidence = if attached { 0.85 } else { 0.7 };
        found.push(Candidate::new(start, end, "TITLE", "title", confidence));
    }
    found
}

/// A personal name starting at `at`: a jieba token that looks like a name, or a surname
/// token followed by a one- or two-character token. Returns its end.
fn name_at(s: &Sentence<'_>, lex: &Lexicons, at: usize) -> Option<usize> {
    if at >= s.chars.len() || !s.boundary[at] {
        return None;
    }
    let first = &s.tokens[s.token_at[at] as usize];
    let name_pos = matches!(
        first.pos,
        "nr" | "nrfg" | "nrt" | "ng" | "n" | "nz" | "j" | "x" | "l" | "a" | "ns"
    );
    if looks_like_chinese_name(first.word, lex)
        && first.char_start == at
        && name_pos
        && !lex.not_names.contains(first.word)
    {
        return Some(first.char_end);
    }
    let surname_len = lex.surname_len(first.word)?;
    if first.char_end - first.char_start != surname_len {
        return None;
    }
    let next = s.tokens.get(s.token_at[at] as usize + 1)?;
    let given_len = next.char_end - next.char_start;
    let given_ok = (1..=2).contains(&given_len)
        && next.word.chars().all(is_han)
        && !matches!(
            next.pos,
            "p" | "c" | "u" | "uj" | "ul" | "uz" | "ug" | "d" | "r" | "v" | "vn" | "t" | "f" | "m" | "q" | "y" | "zg"
        );
    given_ok.then_some(next.char_end)
}

/// The organization suffix that ends at char `end` on a token boundary, if any.
fn org_suffix_ending_at(s: &Sentence<'_>, lex: &Lexicons, end: usize) -> Option<usize> {
    if !s.boundary[end] || end == 0 {
        return None;
    }
    let token = &s.tokens[s.token_at[end - 1] as usize];
    let word = s.slice(token.char_start, end);
    lex.longest_org_suffix(word)
        .filter(|suffix| suffix.len() < word.len())
        .map(|suffix| end - suffix.chars().count())
}

const BYLINE_WORDS: &[&str] = &[
    "记者",
    "全媒体记者",
    "通讯员",
    "摄影记者",
    "见习记者",
    "特约记者",
    "融媒体记者",
    "实习生",
];

/// Names after titles (主任王建国), in bylines (记者 李明 张华) and before photo credits (李明 摄).
fn people_after_titles_and_bylines(s: &Sentence<'_>, lex: &Lexicons, titles: &[Candidate], out: &mut Vec<Candidate>) {
    for title in titles {
        if let Some(end) = name_at(s, lex, title.char_end) {
            out.push(Candidate::new(title.char_end, end, "PER", "title-name", 0.8));
        }
    }
    // Bylines: a byline word, then names separated by spaces.
    for (i, token) in s.tokens.iter().enumerate() {
        let byline_word = token.char_end - token.char_start >= 2
            && matches!(s.chars[token.char_end - 1], '者' | '员' | '生')
            && BYLINE_WORDS.iter().any(|w| token.word.ends_with(w));
        if !byline_word {
            continue;
        }
        let mut at = token.char_end;
        let mut j = i + 1;
        loop {
            while s.chars.get(at).is_some_and(|c| *c == ' ' || *c == '\u{3000}') {
                at += 1;
            }
            let run_end = (at..s.chars.len())
                .find(|k| !is_han(s.chars[*k]))
                .unwrap_or(s.chars.len());
            let run = s.slice(at, run_end);
            let separated = s
                .chars
                .get(run_end)
                .is_none_or(|c| c.is_whitespace() || "，、）)".contains(*c));
            if run_end > at && looks_like_chinese_name(run, lex) && separated {
                out.push(Candidate::new(at, run_end, "PER", "byline", 0.85));
                at = run_end;
                j += 1;
                if j > i + 8 {
                    break;
                }
            } else {
                break;
            }
        }
    }
    // Photo credits: 李明 摄, （李明摄）.
    if !s.marks.she {
        return;
    }
    for (k, c) in s.chars.iter().enumerate() {
        if *c != '摄' || s.chars.get(k + 1).is_some_and(|n| is_han(*n)) {
            continue;
        }
        let mut end = k;
        while end > 0 && s.chars[end - 1] == ' ' {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && is_han(s.chars[start - 1]) && end - start < 4 {
            start -= 1;
        }
        let before_ok = start == 0 || !is_han(s.chars[start - 1]);
        if before_ok && looks_like_chinese_name(s.slice(start, end), lex) {
            out.push(Candidate::new(start, end, "PER", "photo-credit", 0.85));
        }
    }
}

/// 约翰（音译）, and foreign names written with a middle dot (卡洛斯·阿马特).
fn transliterated_names(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    let marks_end = if s.marks.yin {
        s.chars.len().saturating_sub(2)
    } else {
        0
    };
    for k in 1..marks_end {
        let marked = s.chars[k] == '音'
            && s.chars[k + 1] == '译'
            && matches!(s.chars[k - 1], '（' | '(')
            && matches!(s.chars[k + 2], '）' | ')');
        if !marked {
            continue;
        }
        let end = k - 1;
        let mut start = end;
        while start > 0
            && end - start < 8
            && (lex.transliteration_chars.contains(&s.chars[start - 1]) || s.chars[start - 1] == '·')
        {
            start -= 1;
        }
        if end - start >= 2 {
            out.push(Candidate::new(start, end, "PER", "transliteration", 0.85));
        }
    }
    // 鲍里斯·贝克尔, 卡莱维·海米莱: parts of transliteration characters around middle dots.
    let foreign = |c: char| lex.transliteration_chars.contains(&c);
    if !s.marks.middle_dot {
        return;
    }
    for (k, c) in s.chars.iter().enumerate() {
        if !matches!(c, '·' | '•' | '・') || k == 0 || s.chars[k - 1] == '·' {
            continue;
        }
        let mut start = k;
        while start > 0 && k - start < 6 && is_han(s.chars[start - 1]) && (foreign(s.chars[start - 1]) || k - start < 1)
        {
            start -= 1;
        }
        let mut end = k + 1;
        loop {
            let part_start = end;
            while end < s.chars.len() && end - part_start < 6 && is_han(s.chars[end]) && foreign(s.chars[end]) {
                end += 1;
            }
            if end - part_start < 2 {
                end = part_start.saturating_sub(1);
                break;
            }
            if s.chars.get(end).is_some_and(|c| matches!(c, '·' | '•' | '・')) {
                end += 1;
            } else {
                break;
            }
        }
        // The last part may run into the next word (贝克尔率领): end on a token boundary.
        while end > k + 1 && !s.boundary[end] {
            end -= 1;
        }
        if k - start >= 2 && end >= k + 3 {
            out.push(Candidate::new(start, end, "PER", "transliteration", 0.8));
        }
    }
}

/// POS tags a word inside an organization name may carry.
fn name_part(token: &Token<'_>, lex: &Lexicons) -> bool {
    if lex.places.contains_key(token.word) || lex.generic_places.contains(token.word) {
        return !matches!(token.word, "我国" | "世界" | "全球");
    }
    matches!(
        token.pos,
        "n" | "nz" | "nt" | "ns" | "nr" | "nrt" | "nrfg" | "j" | "vn" | "eng" | "an" | "ng" | "b" | "x" | "l" | "nw"
    ) && token.word.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric())
}

/// Words that give an organization name its identity: a place, a proper name, an abbreviation.
fn anchor(token: &Token<'_>, lex: &Lexicons) -> bool {
    lex.places.contains_key(token.word)
        || matches!(token.pos, "ns" | "nz" | "nt" | "nr" | "nrt" | "nrfg" | "eng" | "x")
        || matches!(
            token.word,
            "省" | "市" | "县" | "区" | "国家" | "中央" | "中共" | "全国" | "团" | "镇" | "乡" | "村"
        )
}

/// Generic words an organization name does not start with.
const ORG_LEADING_NOISE: &[&str] = &[
    "全省",
    "全市",
    "全县",
    "全区",
    "各",
    "该",
    "本",
    "我",
    "其",
    "这",
    "那",
    "各级",
    "有关",
    "相关",
    "讯",
    "电",
    "日电",
    "本报讯",
    "又讯",
    "经",
    "所谓",
];

/// Organizations: a token that ends with an organization suffix, extended to the left
/// over name-like words (region prefix + core + suffix), longest match. The name must
/// start with an anchor: a place, a proper name or abbreviation, or a region word (省, 国家).
fn organizations(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    for (i, token) in s.tokens.iter().enumerate() {
        // `longest_org_suffix` tests this too, but decoding the word's last character costs
        // more than this lookup, and most tokens stop here.
        if !lex.org_final_chars.contains(&s.chars[token.char_end - 1]) {
            continue;
        }
        let Some(suffix) = lex.longest_org_suffix(token.word) else {
            continue;
        };
        let suffix_chars = suffix.chars().count();
        let own_prefix = s.slice(token.char_start, token.char_end - suffix_chars);
        let nounish = matches!(token.pos, "n" | "nt" | "nz" | "ns" | "j" | "nr" | "nrt");
        if !own_prefix.is_empty()
            && (!nounish || own_prefix.chars().all(|c| "两三四五六七八九十百千万各该本".contains(c)))
        {
            continue;
        }
        // One-character suffixes (局, 部, 处, 所) are common word endings: 格局, 西北部, 交界处.
        if suffix_chars == 1 && !own_prefix.is_empty() && token.pos != "nt" && !lex.places.contains_key(own_prefix) {
            continue;
        }
        let own_anchor = !own_prefix.is_empty()
            && !lex.generic_organizations.contains(token.word)
            && (matches!(token.pos, "nt" | "nz" | "j")
                || lex.places.contains_key(own_prefix)
                || lex.organizations.contains(own_prefix));
        // The name's tokens are j..=i.
        let mut j = i;
        while j > 0 {
            let previous = &s.tokens[j - 1];
            let crosses_and = matches!(previous.word, "和" | "与")
                && j >= 2
                && name_part(&s.tokens[j - 2], lex)
                && j < i
                && lex.longest_org_suffix(s.tokens[j - 2].word).is_none()
                // 发展和改革委员会 joins; 云洲智算与湘江实验室 is two names.
                && !s.tokens[j..=i].iter().any(|t| anchor(t, lex));
            let stops = lex.titles.contains_key(previous.word)
                || (previous.pos.starts_with("nr") && looks_like_chinese_name(previous.word, lex))
                || ORG_LEADING_NOISE.contains(&previous.word);
            if stops || !(name_part(previous, lex) || crosses_and) || token.char_end - previous.char_start > 20 {
                break;
            }
            j -= 1;
        }
        // Trim to the first anchor: 战胜匈牙利队 → 匈牙利队, 本报讯美国西北部 → none.
        let first_anchor = (j..i).find(|k| anchor(&s.tokens[*k], lex));
        let start = match first_anchor {
            Some(k) => s.tokens[k].char_start,
            None if own_anchor => token.char_start,
            None => continue,
        };
        if start == token.char_start && own_prefix.is_empty() {
            continue;
        }
        // 美国政府, 印度当局: a place and a generic noun, not a name (人民政府 is one).
        let generic_suffix = matches!(suffix, "政府" | "当局") && token.word == suffix;
        if generic_suffix
            && i > 0
            && s.tokens[i - 1].char_start == start
            && lex.places.contains_key(s.tokens[i - 1].word)
        {
            continue;
        }
        let confidence = if start < token.char_start { 0.75 } else { 0.65 };
        out.push(Candidate::new(start, token.char_end, "ORG", "org-suffix", confidence));
    }
}

/// 市委书记, 澳门日报社长: one jieba word that is an organization and a title.
fn organization_title_compounds(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    for token in &s.tokens {
        let word = token.word;
        let n_chars = token.char_end - token.char_start;
        if !lex.title_final_chars.contains(&s.chars[token.char_end - 1]) {
            continue;
        }
        // Longest title first, so the split is the same on every run.
        for title_chars in (1..n_chars).rev() {
            let title = s.slice(token.char_end - title_chars, token.char_end);
            if !lex.titles.contains_key(title) {
                continue;
            }
            let Some(head) = word.strip_suffix(title) else {
                continue;
            };
            let mut head = head;
            while let Some(shorter) = lex.title_prefixes.iter().find_map(|p| head.strip_suffix(p)) {
                head = shorter;
            }
            let n_head = head.chars().count();
            if n_head >= 2 && lex.longest_org_suffix(head).is_some() {
                let split = token.char_start + n_head;
                out.push(Candidate::new(token.char_start, split, "ORG", "org-title", 0.7));
                out.push(Candidate::new(split, token.char_end, "TITLE", "org-title", 0.8));
                break;
            }
        }
    }
}

/// Named zones and parks: a place or name, then a zone suffix (长沙经开区, 苏州工业园区).
fn zones(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
    for (i, token) in s.tokens.iter().enumerate() {
        let end = token.char_end;
        if !s.chars[end - 1..end].iter().all(|c| lex.zone_final_chars.contains(c)) {
            continue;
        }
        // The suffix may span several tokens: 工业/园区.
        for n in (1..=lex.max_zone_suffix_chars.min(end)).rev() {
            if !lex.zone_suffix_set.contains(s.slice(end - n, end))
                || !s.boundary[end - n] && s.token_at[end - n] as usize != i
            {
                continue;
            }
            let mut k = s.token_at[end - n] as usize;
            if s.tokens[k].char_start < end - n {
                // The token holds a name before the suffix: 天河高新区.
                out.push(Candidate::new(s.tokens[k].char_start, end, "LOC", "zone", 0.8));
                break;
            }
            let mut start = None;
            let mut has_place = false;
            while k > 0 && end - s.tokens[k - 1].char_start <= 12 {
                let previous = &s.tokens[k - 1];
                if !(name_part(previous, lex)) {
                    break;
                }
                has_place |= lex.places.contains_key(previous.word) || matches!(previous.pos, "ns" | "nz" | "nt" | "j");
                k -= 1;
                start = Some(previous.char_start);
            }
            if let (Some(start), true) = (start, has_place) {
                out.push(Candidate::new(start, end, "LOC", "zone", 0.8));
            }
            break;
        }
    }
}
