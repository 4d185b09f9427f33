//! Places: lexicon places on token boundaries and one-character abbreviations (中美, 访华).

use super::*;

/// Lexicon places whose both ends fall on token boundaries (so 中山 in 孙中山 does not count).
pub(super) fn places(s: &Sentence<'_>, hits: &[Hit], out: &mut Vec<Candidate>) {
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
pub(super) fn abbreviation_prefix(s: &Sentence<'_>, lex: &Lexicons, token: &Token<'_>) -> Option<usize> {
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
pub(super) fn place_abbreviations(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
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
