//! The default schema: the labels and relation types of the annotation guidelines.

use serde::{Deserialize, Serialize};

use crate::model::{Label, RelationType};

/// A project's labels and relation types, as `biaozhu schema` imports and exports them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub labels: Vec<Label>,
    pub relation_types: Vec<RelationType>,
}

impl Schema {
    /// The default schema of the annotation guidelines.
    pub fn default_schema() -> Schema {
        Schema {
            labels: default_labels(),
            relation_types: default_relation_types(),
        }
    }
}

/// The default entity labels, in palette order (hotkeys 1–8).
pub fn default_labels() -> Vec<Label> {
    let rows: [(&str, &str, &str, &str); 8] = [
        (
            "PER",
            "人物",
            "#f4a7a7",
            "A person's name, without title or honorific; byline, photo-credit and transliterated names too. Not pronouns, 某某 or titles.",
        ),
        (
            "ORG",
            "机构",
            "#9ec9f5",
            "Companies, government bodies and departments, party committees, academies, universities, institutes, labs, associations, committees, media, banks. The full name is one span. Not events or generic nouns (企业, 政府).",
        ),
        (
            "LOC",
            "地点",
            "#a8e0a0",
            "Countries, provinces, cities, counties, districts, regions, named rivers, lakes, mountains, development zones and parks. A one-character abbreviation used as a place (在粤投资) is LOC. Not 海外, 全国, 国内, 我国.",
        ),
        (
            "TITLE",
            "职务",
            "#f7d08a",
            "Job titles and honorary or academic positions attached to a person, with their modifiers (副市长, 首席科学家). Not professions in general or 记者 as a generic noun.",
        ),
        (
            "MONEY",
            "金额",
            "#d7b6f2",
            "An amount with a currency unit. Qualifiers outside the number (约, 超, 近) stay outside. Ranges are one span (5至8元).",
        ),
        (
            "PERCENT",
            "百分比",
            "#f5b3dc",
            "A percentage or a range of percentages (12.5%, 5%至10%, 百分之三十).",
        ),
        (
            "DATE",
            "日期",
            "#b3e5e8",
            "Dates, years, months, decades and centuries written with numbers (2023年, 5月20日, 20世纪80年代). Not vague times (目前, 近年来).",
        ),
        (
            "QUANTITY",
            "数量",
            "#d9d9a3",
            "Other numbers with a unit or classifier: counts, multiples, lengths, weights, durations (12个, 300多家, 3倍, 三大). Not ordinals (第一) or model names (5G).",
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (name, display_name, color, description))| Label {
            name: (*name).to_owned(),
            display_name: (*display_name).to_owned(),
            color: (*color).to_owned(),
            hotkey: Some((i + 1).to_string()),
            description: (*description).to_owned(),
        })
        .collect()
}

/// The default relation types with their head and tail labels.
pub fn default_relation_types() -> Vec<RelationType> {
    type Row<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a str, &'a str);
    let rows: [Row; 4] = [
        (
            "任职",
            &["PER"],
            &["ORG"],
            "q",
            "The person holds a position in that organization.",
        ),
        (
            "职务",
            &["PER"],
            &["TITLE"],
            "w",
            "The title belongs to that person; one relation per title.",
        ),
        (
            "位于",
            &["ORG", "LOC"],
            &["LOC"],
            "e",
            "The organization or place is located in that place, as the text states.",
        ),
        (
            "投资",
            &["ORG"],
            &["MONEY"],
            "r",
            "The organization invests that amount.",
        ),
    ];
    let owned = |labels: &[&str]| labels.iter().map(|l| (*l).to_owned()).collect();
    rows.iter()
        .map(|(name, head, tail, hotkey, description)| RelationType {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            head_labels: owned(head),
            tail_labels: owned(tail),
            hotkey: Some((*hotkey).to_owned()),
        })
        .collect()
}

/// The colour given to a label that arrives without one (an import with unknown labels).
pub fn fallback_color(label: &str) -> String {
    const PALETTE: [&str; 8] = [
        "#c9c9c9", "#f0c987", "#a7d3c9", "#c7b7e0", "#e8b4a0", "#b5c7a0", "#a0b8e8", "#e0a7c0",
    ];
    let sum: usize = label.chars().map(|c| c as usize).sum();
    PALETTE[sum % PALETTE.len()].to_owned()
}

/// Pastels a new label may get, light enough for dark text on them, spread around the hue
/// circle in two lightnesses.
const CANDIDATE_COLORS: [&str; 24] = [
    "#ff9e9e", "#ffb877", "#ffd75e", "#e8ef7a", "#b8f07a", "#7fe39a", "#6fe3cf", "#7fd6ff", "#8fb0ff", "#b39cff",
    "#e09cff", "#ff9ce0", "#d98080", "#d9a066", "#c9b55a", "#a8b86a", "#79b874", "#5fb8a3", "#64a8c8", "#7487c8",
    "#9a83c8", "#c080b8", "#c8c8c8", "#8f8f8f",
];

/// The candidate colour farthest, in OKLab, from every colour in `used` (hex `#rrggbb`;
/// others are ignored): what a new label gets, so that it never looks like an old one.
pub fn distinct_color(used: &[&str]) -> String {
    let used: Vec<[f32; 3]> = used.iter().filter_map(|hex| parse_hex(hex)).map(oklab).collect();
    let distance_to_used = |candidate: &str| -> f32 {
        let lab = parse_hex(candidate).map(oklab).unwrap_or_default();
        used.iter().map(|u| delta_e(lab, *u)).fold(f32::INFINITY, f32::min)
    };
    // The first candidate wins ties, so the choice is deterministic.
    let mut best = (CANDIDATE_COLORS[0], f32::NEG_INFINITY);
    for candidate in CANDIDATE_COLORS {
        let distance = distance_to_used(candidate);
        if distance > best.1 {
            best = (candidate, distance);
        }
    }
    best.0.to_owned()
}

/// The perceptual difference of two OKLab colours, scaled as CIE ΔE (about 1 is just
/// noticeable).
pub fn delta_e(a: [f32; 3], b: [f32; 3]) -> f32 {
    let d = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
    100.0 * (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
}

/// `#rrggbb` as red, green and blue.
pub fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let digits = hex.trim().strip_prefix('#')?;
    if digits.len() != 6 {
        return None;
    }
    let value = u32::from_str_radix(digits, 16).ok()?;
    Some([(value >> 16) as u8, (value >> 8) as u8, value as u8])
}

/// An sRGB colour in OKLab (Björn Ottosson's matrices).
pub fn oklab([r, g, b]: [u8; 3]) -> [f32; 3] {
    let linear = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (linear(r), linear(g), linear(b));
    let l = (0.412_221_46 * r + 0.536_332_55 * g + 0.051_445_995 * b).cbrt();
    let m = (0.211_903_5 * r + 0.680_699_5 * g + 0.107_396_96 * b).cbrt();
    let s = (0.088_302_46 * r + 0.281_718_85 * g + 0.629_978_7 * b).cbrt();
    [
        0.210_454_26 * l + 0.793_617_8 * m - 0.004_072_047 * s,
        1.977_998_5 * l - 2.428_592_2 * m + 0.450_593_7 * s,
        0.025_904_037 * l + 0.782_771_77 * m - 0.808_675_77 * s,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_guidelines() {
        let labels: Vec<String> = default_labels().into_iter().map(|l| l.name).collect();
        assert_eq!(
            labels,
            ["PER", "ORG", "LOC", "TITLE", "MONEY", "PERCENT", "DATE", "QUANTITY"]
        );
        let types = default_relation_types();
        let employ = types.iter().find(|t| t.name == "任职").expect("任职 is a default type");
        assert!(employ.allows("PER", "ORG"));
        assert!(!employ.allows("ORG", "PER"));
        let located = types.iter().find(|t| t.name == "位于").expect("位于 is a default type");
        assert!(located.allows("LOC", "LOC") && located.allows("ORG", "LOC"));
    }

    #[test]
    fn a_new_label_gets_a_colour_unlike_every_default_one() {
        let defaults = default_labels();
        let mut used: Vec<String> = defaults.iter().map(|l| l.color.clone()).collect();
        // Several new labels in a row: each is far from all before it, defaults included.
        for _ in 0..4 {
            let refs: Vec<&str> = used.iter().map(String::as_str).collect();
            let color = distinct_color(&refs);
            let lab = oklab(parse_hex(&color).expect("a hex colour"));
            for old in &used {
                let distance = delta_e(lab, oklab(parse_hex(old).expect("hex")));
                assert!(distance >= 8.0, "{color} is only {distance:.1} from {old}");
            }
            used.push(color);
        }
        // TITLE's orange, the colour the issue's new label nearly had, is far from the pick.
        let refs: Vec<&str> = defaults.iter().map(|l| l.color.as_str()).collect();
        let pick = oklab(parse_hex(&distinct_color(&refs)).expect("hex"));
        assert!(delta_e(pick, oklab(parse_hex("#f7d08a").expect("hex"))) >= 10.0);
    }

    #[test]
    fn oklab_matches_known_values() {
        let white = oklab([255, 255, 255]);
        assert!((white[0] - 1.0).abs() < 1e-3 && white[1].abs() < 1e-3 && white[2].abs() < 1e-3);
        let black = oklab([0, 0, 0]);
        assert!(black[0].abs() < 1e-6);
        // sRGB red is L 0.628, a 0.225, b 0.126.
        let red = oklab([255, 0, 0]);
        assert!((red[0] - 0.628).abs() < 2e-3 && (red[1] - 0.225).abs() < 2e-3 && (red[2] - 0.126).abs() < 2e-3);
        assert_eq!(distinct_color(&[]), CANDIDATE_COLORS[0]);
    }
}
