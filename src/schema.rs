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
}
