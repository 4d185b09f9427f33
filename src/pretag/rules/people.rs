//! People and titles: titles with their modifiers, names after titles, in bylines and before
//! photo credits, and transliterated names.

use super::*;

/// Titles: a core title ending on a token boundary, with the modifiers before it
/// (常务副市长), starting on a token boundary. Generic ones (记者, 代表) only next to a
/// name or right after an organization-like word.
pub(super) fn titles(s: &Sentence<'_>, lex: &Lexicons, hits: &[Hit]) -> Vec<Candidate> {
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
pub(super) fn name_at(s: &Sentence<'_>, lex: &Lexicons, at: usize) -> Option<usize> {
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
pub(super) fn people_after_titles_and_bylines(
    s: &Sentence<'_>,
    lex: &Lexicons,
    titles: &[Candidate],
    out: &mut Vec<Candidate>,
) {
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
pub(super) fn transliterated_names(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
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
