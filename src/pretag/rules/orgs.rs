//! Organizations: known ones, region + core + suffix names, organization-title compounds and
//! named zones.

use super::*;

/// Well-known organizations from the lexicon, on token boundaries.
pub(super) fn known_organizations(s: &Sentence<'_>, hits: &[Hit], out: &mut Vec<Candidate>) {
    for hit in hits.iter().filter(|h| h.entry == Entry::Organization) {
        if s.aligned(hit.char_start, hit.char_end) {
            out.push(Candidate::new(hit.char_start, hit.char_end, "ORG", "lexicon-org", 0.75));
        }
    }
}

/// The organization suffix that ends at char `end` on a token boundary, if any.
pub(super) fn org_suffix_ending_at(s: &Sentence<'_>, lex: &Lexicons, end: usize) -> Option<usize> {
    if !s.boundary[end] || end == 0 {
        return None;
    }
    let token = &s.tokens[s.token_at[end - 1] as usize];
    let word = s.slice(token.char_start, end);
    lex.longest_org_suffix(word)
        .filter(|suffix| suffix.len() < word.len())
        .map(|suffix| end - suffix.chars().count())
}

/// POS tags a word inside an organization name may carry.
pub(super) fn name_part(token: &Token<'_>, lex: &Lexicons) -> bool {
    if lex.places.contains_key(token.word) || lex.generic_places.contains(token.word) {
        return !matches!(token.word, "我国" | "世界" | "全球");
    }
    matches!(
        token.pos,
        "n" | "nz" | "nt" | "ns" | "nr" | "nrt" | "nrfg" | "j" | "vn" | "eng" | "an" | "ng" | "b" | "x" | "l" | "nw"
    ) && token.word.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric())
}

/// Words that give an organization name its identity: a place, a proper name, an abbreviation.
pub(super) fn anchor(token: &Token<'_>, lex: &Lexicons) -> bool {
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
pub(super) fn organizations(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
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
pub(super) fn organization_title_compounds(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
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
pub(super) fn zones(s: &Sentence<'_>, lex: &Lexicons, out: &mut Vec<Candidate>) {
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
