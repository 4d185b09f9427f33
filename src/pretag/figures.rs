//! Numeric figures with regular expressions: MONEY, PERCENT, DATE and QUANTITY.
//!
//! All patterns are compiled into one multi-pattern regex (`regex-automata`, the engine
//! under `regex`), so a text is scanned once; at each position the first pattern in
//! priority order wins. A pattern may keep a tail out of the entity (2030年度 → 2030). Candidates are then checked in code for what regex cannot
//! say: ordinals (第一), model names (5G, C919), Chinese numerals that are not numbers
//! (五一, 十四五), magnitude words inside idioms (千家万户) and the article-like 一个.

use std::sync::LazyLock;

use regex_automata::meta::Regex as MetaRegex;

use super::Candidate;
use super::lexicon::CharSet;
use crate::text::{CharIndex, is_han};

const DIGITS: &str = r"[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9０-９]+)?";
const CN_DIGITS: &str = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?";
const SEPARATOR: &str = r"(?:至|到|—{1,2}|－|-|~|～)";
const MONEY_UNITS: &str = r"(?:美元|欧元|日元|英镑|港元|港币|澳元|韩元|卢布|卢比|加元|新台币|泰铢|法郎|马克|人民币|元)";
const CLASSIFIERS: &str = "(?:个百分点|个工作日|个(?:多|余)?(?:月|小时|星期)|平方公里|平方千米|平方米|立方米|\
千瓦时|万千瓦|千瓦|兆瓦|千米|公里|公顷|公斤|千克|毫升|微克/立方米|毫克|人次|架次|小时|分钟|方面|\
个|家|项|名|位|人|户|所|座|栋|幢|辆|架|艘|台|套|件|条|种|类|批|场|届|期|处|张|份|篇|株|头|只|匹|吨|米|亩|\
斤|克|升|倍|年|天|周|岁|次|列|股|枚|颗|支|间|层|款|门|节|本|册|部|轮|笔|宗|起|例|度|元素)";

/// A number: Arabic or Chinese numerals, 数十 and the like, with 多/余/几 and a magnitude.
fn amount() -> String {
    format!(r"(?:数|几)?(?:{DIGITS}|{CN_DIGITS})(?:多|余|几)?(?:万亿|千亿|百亿|十亿|千万|百万|十万|万|亿)?(?:多|余)?")
}

struct Pattern {
    label: &'static str,
    source: &'static str,
    confidence: f64,
    /// Characters at the end of the match that are not part of the entity.
    trailing_chars: usize,
}

struct Patterns {
    regex: MetaRegex,
    patterns: Vec<Pattern>,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let amount = amount();
    let year = r"(?:[0-9０-９]{4}|[零〇一二三四五六七八九]{4})年";
    let month = r"(?:[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])月";
    let day = r"(?:[0-9０-９]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]";
    let part = r"(?:底|初|末|中旬|上旬|下旬|份)?";
    let date_atom = format!(r"(?:{year}(?:{month}(?:{day})?)?{part}|{month}{day}|{month}{part}|{day})");
    let century = r"(?:[0-9]{1,2}|二十|十[一二三四五六七八九]?)世纪(?:(?:[0-9]{2}|[一二三四五六七八九]十)年代)?";
    let decade = r"[0-9]{2,4}年代";
    // In priority order: where two patterns match at the same place, the first wins.
    let specs: Vec<(String, &'static str, &'static str, f64, usize)> = vec![
        (
            format!(r"{amount}(?:{SEPARATOR}{amount})?{MONEY_UNITS}(?:{SEPARATOR}{amount}{MONEY_UNITS})?"),
            "MONEY",
            "figure-money",
            0.95,
            0,
        ),
        (
            format!(
                r"{amount}[%％](?:{SEPARATOR}{amount}[%％])?|{amount}{SEPARATOR}{amount}[%％]|百分之{CN_DIGITS}(?:{SEPARATOR}百分之{CN_DIGITS})?"
            ),
            "PERCENT",
            "figure-percent",
            0.95,
            0,
        ),
        (format!(r"{century}|{decade}"), "DATE", "figure-date", 0.95, 0),
        (r"[0-9]{4}年度".to_owned(), "DATE", "figure-date", 0.9, 2),
        (
            format!(r"{date_atom}(?:{SEPARATOR}(?:{date_atom}))?"),
            "DATE",
            "figure-date",
            0.9,
            0,
        ),
        (
            format!(r"(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,2}}){SEPARATOR}{month}"),
            "DATE",
            "figure-date",
            0.9,
            0,
        ),
        (
            format!(r"{amount}(?:{SEPARATOR}{amount})?{CLASSIFIERS}"),
            "QUANTITY",
            "figure-quantity",
            0.85,
            0,
        ),
        (
            r"[两三四五六七八九十]大".to_owned(),
            "QUANTITY",
            "figure-quantity",
            0.7,
            0,
        ),
    ];
    let regex = MetaRegex::new_many(&specs.iter().map(|s| s.0.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|e| panic!("figure patterns are invalid: {e}"));
    let patterns = specs
        .into_iter()
        .map(|(_, label, source, confidence, trailing_chars)| Pattern {
            label,
            source,
            confidence,
            trailing_chars,
        })
        .collect();
    Patterns { regex, patterns }
});

/// The characters a figure pattern can start with.
static FIGURE_STARTS: LazyLock<CharSet> = LazyLock::new(|| {
    "0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万亿数几"
        .chars()
        .collect()
});

/// Figure candidates in `text`, which `index` indexes. The regex runs anchored at each
/// run of numerals, so text without numbers costs one pass over its characters.
pub fn figures(text: &str, chars: &[char], index: &CharIndex, out: &mut Vec<Candidate>) {
    let Patterns { regex, patterns } = &*PATTERNS;
    let starts_figure = &*FIGURE_STARTS;
    let mut resume_at = 0;
    let mut previous_starts = false;
    for (char_offset, c) in chars.iter().enumerate() {
        let starts_here = starts_figure.contains(c);
        let run_start = starts_here && !previous_starts;
        previous_starts = starts_here;
        if !run_start {
            continue;
        }
        let Some(start) = index.char_to_byte(char_offset) else {
            continue;
        };
        if start < resume_at {
            continue;
        }
        let input = regex_automata::Input::new(text)
            .range(start..)
            .anchored(regex_automata::Anchored::Yes);
        let Some(m) = regex.find(input) else {
            continue;
        };
        resume_at = m.end();
        let pattern = &patterns[m.pattern().as_usize()];
        let char_start = char_offset;
        let Some(match_end) = index.byte_to_char(m.end()) else {
            continue;
        };
        let char_end = match_end - pattern.trailing_chars;
        let Some(byte_end) = index.char_to_byte(char_end) else {
            continue;
        };
        if char_start >= char_end || !plausible(text, m.start(), byte_end, &text[m.start()..byte_end], pattern.label) {
            continue;
        }
        out.push(Candidate {
            char_start,
            char_end,
            label: pattern.label,
            source: pattern.source,
            confidence: pattern.confidence,
        });
    }
}

fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '零' | '〇' | '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
    )
}

fn is_cn_magnitude(c: char) -> bool {
    matches!(c, '十' | '百' | '千' | '万' | '亿')
}

fn plausible(text: &str, byte_start: usize, byte_end: usize, matched: &str, label: &str) -> bool {
    let before = text[..byte_start].chars().next_back();
    let after = text[byte_end..].chars().next();
    if before.is_some_and(|c| c == '第' || c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        return false;
    }
    if after.is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if label == "DATE" && matched.ends_with('号') && !matched.contains('月') {
        return false;
    }
    if label == "DATE" && !matched.contains(['年', '月', '世', '代']) && !matched.chars().all(|c| c.is_ascii_digit())
    {
        // A bare day (12日) only as part of a date the text writes out, e.g. 12日上午.
        return matched.chars().next().is_some_and(|c| c.is_ascii_digit()) && matched.ends_with('日');
    }
    let is_cn_numeral = |c: char| is_cn_digit(c) || is_cn_magnitude(c);
    // The first run of Chinese numerals in the match.
    let cn_start = matched.find(is_cn_numeral).unwrap_or(matched.len());
    let cn_end = matched[cn_start..]
        .find(|c: char| !is_cn_numeral(c))
        .map_or(matched.len(), |n| cn_start + n);
    let cn_number = &matched[cn_start..cn_end];
    let starts_arabic = matched
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if !cn_number.is_empty() && !starts_arabic && !matched.starts_with("百分之") {
        // 五一, 十四五: two digits in a row are a name, not a number (years are DATE's own pattern).
        let adjacent_digits = cn_number
            .chars()
            .zip(cn_number.chars().skip(1))
            .any(|(a, b)| is_cn_digit(a) && is_cn_digit(b));
        if adjacent_digits && label != "DATE" {
            return false;
        }
        let rest = &matched[cn_end..];
        let vague = rest.starts_with(['多', '余', '几']);
        // 千家万户, 百强: a bare magnitude counts only before money or a 多/余/几.
        if cn_number.chars().all(is_cn_magnitude) && label == "QUANTITY" && !vague && !matched.starts_with('数') {
            return false;
        }
        if cn_number == "零" || cn_number == "〇" {
            return false;
        }
        // 一个, 一种, 一方面: 一 alone is an article before these.
        if cn_number == "一" && label == "QUANTITY" {
            let article_like = [
                "个", "种", "批", "项", "次", "家", "位", "名", "条", "座", "处", "方面", "场", "份", "部", "件", "起",
                "支", "层", "股", "门", "节", "本", "间", "度", "期", "届", "人", "所", "台", "套", "类", "张", "篇",
                "例", "款", "笔", "轮", "头", "只",
            ];
            if article_like.contains(&rest) {
                return false;
            }
        }
    }
    if label == "QUANTITY" {
        // A four-digit number before 年 is a year (DATE), not a duration.
        let n_digits = matched.bytes().take_while(u8::is_ascii_digit).count();
        if n_digits == 4 && matched[n_digits..].starts_with('年') {
            return false;
        }
        if matched.ends_with('大') && after.is_some_and(|c| "学量概约型多小力".contains(c) || !is_han(c)) {
            return false;
        }
    }
    true
}
