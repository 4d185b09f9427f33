//! Relation suggestions between the entity suggestions of one line: titles and
//! organizations before a name (任职, 职务), bylines, investments (投资) and places before
//! what they contain (位于).

use super::Candidate;
use super::rules::Sentence;
use crate::model::IndexedRelation;

/// What may stand between the parts of `ORG TITLE、ORG TITLE兼TITLE NAME`.
fn chain_gap(gap: &str) -> bool {
    let gap = gap.trim();
    matches!(gap, "" | "、" | "兼" | "兼任" | "及" | "和" | "暨")
}

/// What may stand between a name and the posts that follow it.
const AFTER_NAME: [&str; 12] = [
    "", "，", ",", "现任", "当选", "担任", "出任", "任", "系", "为", "是", "兼任",
];

/// Words that make an organization the subject of an amount.
const INVEST_WORDS: [&str; 7] = ["投资", "出资", "斥资", "注资", "增资", "投入", "入股"];

/// Relations among `entities` (sorted, non-overlapping) of the sentence `s`.
pub fn relations(s: &Sentence<'_>, entities: &[Candidate]) -> Vec<IndexedRelation> {
    let gap = |a: usize, b: usize| s.slice(entities[a].char_end, entities[b].char_start);
    let mut out = Vec::new();
    for (p, person) in entities.iter().enumerate() {
        if person.label != "PER" {
            continue;
        }
        // Walk back over other names of a byline (李明 张华) to the titles before them.
        let mut k = p;
        while k > 0
            && entities[k - 1].label == "PER"
            && gap(k - 1, k).chars().all(char::is_whitespace)
            && !gap(k - 1, k).is_empty()
        {
            k -= 1;
        }
        let mut seen_title = false;
        let mut chain = Vec::new();
        let mut i = k;
        while i > 0 {
            let previous = &entities[i - 1];
            if !matches!(previous.label, "TITLE" | "ORG") {
                break;
            }
            // 担任湖南省人民医院院长的孙卫国: 的 may stand right before the name.
            let link = gap(i - 1, i);
            if !(chain_gap(link) || (i == k && link == "的")) {
                break;
            }
            // A name's titles are right before it; an organization before its titles.
            if previous.label == "TITLE" {
                seen_title = true;
            } else if !seen_title {
                break;
            }
            chain.push(i - 1);
            i -= 1;
        }
        // After the name: 张华教授, 黄海，湖南省农业科学院研究员, 李卫东现任湖南大学党委副书记.
        if chain.is_empty() {
            let mut j = p + 1;
            let mut after = Vec::new();
            let mut title_seen = false;
            while j < entities.len() && matches!(entities[j].label, "TITLE" | "ORG") {
                let link = gap(j - 1, j);
                let joins = if j == p + 1 {
                    AFTER_NAME.contains(&link.trim())
                } else {
                    chain_gap(link)
                };
                if !joins {
                    break;
                }
                title_seen |= entities[j].label == "TITLE";
                after.push(j);
                j += 1;
            }
            if title_seen {
                // Organizations count only before a title of theirs.
                let last_title = after.iter().rposition(|k| entities[*k].label == "TITLE").unwrap_or(0);
                chain.extend(after.into_iter().take(last_title + 1));
            }
        }
        for index in chain {
            let (kind, confidence) = if entities[index].label == "TITLE" {
                ("职务", 0.8)
            } else {
                ("任职", 0.7)
            };
            out.push(IndexedRelation::suggested(p, index, kind, "title-chain", confidence));
        }
    }
    for (o, organization) in entities.iter().enumerate() {
        if organization.label != "ORG" {
            continue;
        }
        for (m, money) in entities.iter().enumerate().skip(o + 1) {
            if money.char_start - organization.char_end > 30 {
                break;
            }
            if money.label == "ORG" {
                break;
            }
            if money.label != "MONEY" {
                continue;
            }
            let between = gap(o, m);
            let clause_ends = between.contains(['。', '；', '！', '？', '，']);
            if !clause_ends && INVEST_WORDS.iter().any(|w| between.contains(w)) && !between.contains("总投资") {
                out.push(IndexedRelation::suggested(o, m, "投资", "invest", 0.7));
            }
            break;
        }
    }
    for (l, place) in entities.iter().enumerate() {
        if place.label != "LOC" {
            continue;
        }
        if let Some(next) = entities.get(l + 1)
            && matches!(next.label, "ORG" | "LOC")
        {
            let between = gap(l, l + 1);
            // 苏州的苏州工业园区, 位于长沙的…公司, 株洲市中车株机公司
            if matches!(between, "" | "的") {
                out.push(IndexedRelation::suggested(l + 1, l, "位于", "place-before", 0.6));
            }
        }
        if l > 0 && matches!(entities[l - 1].label, "ORG" | "LOC") {
            let between = gap(l - 1, l);
            // …公司位于长沙, …园区坐落于苏州
            if matches!(between.trim(), "位于" | "坐落于" | "落户" | "落户于" | "地处") {
                out.push(IndexedRelation::suggested(l - 1, l, "位于", "located-in", 0.75));
            }
        }
    }
    out.sort_by(|a, b| (a.head, a.tail, &a.kind).cmp(&(b.head, b.tail, &b.kind)));
    out.dedup_by(|a, b| (a.head, a.tail, &a.kind) == (b.head, b.tail, &b.kind));
    out
}
