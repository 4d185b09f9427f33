//! Scoring predicted entities against gold ones: exact-span and overlap precision, recall
//! and F1 per label and micro-averaged, plus label confusions. Pure functions.

use std::collections::BTreeMap;

/// A labelled span, `[char_start, char_end)` in code points.
pub type LabelledSpan = (usize, usize, String);

/// Counts for one label (or for all: the micro average).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub n_gold: usize,
    pub n_pred: usize,
    /// Predictions whose span and label equal a gold entity's.
    pub n_exact: usize,
    /// Predictions that overlap a gold entity of the same label.
    pub n_pred_overlapping: usize,
    /// Gold entities that a prediction of the same label overlaps.
    pub n_gold_overlapped: usize,
}

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn prf(precision: f64, recall: f64) -> Prf {
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Prf { precision, recall, f1 }
}

impl Counts {
    pub fn exact(&self) -> Prf {
        prf(ratio(self.n_exact, self.n_pred), ratio(self.n_exact, self.n_gold))
    }

    /// Boundary-overlap scores: a prediction counts when it overlaps a gold entity of
    /// its label, and a gold entity when some prediction of its label overlaps it.
    pub fn overlap(&self) -> Prf {
        prf(
            ratio(self.n_pred_overlapping, self.n_pred),
            ratio(self.n_gold_overlapped, self.n_gold),
        )
    }

    fn add(&mut self, other: &Counts) {
        self.n_gold += other.n_gold;
        self.n_pred += other.n_pred;
        self.n_exact += other.n_exact;
        self.n_pred_overlapping += other.n_pred_overlapping;
        self.n_gold_overlapped += other.n_gold_overlapped;
    }
}

/// The result of scoring a whole set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub per_label: BTreeMap<String, Counts>,
    /// `(gold label, predicted label)` → count, for exact-span pairs whose labels differ,
    /// gold entities no prediction touches (`O` predicted) and predictions that touch no
    /// gold entity (`O` gold).
    pub confusions: BTreeMap<(String, String), usize>,
}

/// The label that stands for "no entity" in confusions.
pub const OUTSIDE: &str = "O";

impl Scores {
    pub fn micro(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.per_label.values() {
            total.add(counts);
        }
        total
    }

    /// Confusions, most frequent first; ties in label order.
    pub fn top_confusions(&self, n: usize) -> Vec<(&str, &str, usize)> {
        let mut all: Vec<(&str, &str, usize)> = self
            .confusions
            .iter()
            .map(|((g, p), n)| (g.as_str(), p.as_str(), *n))
            .collect();
        all.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (a.0, a.1).cmp(&(b.0, b.1))));
        all.truncate(n);
        all
    }

    /// Adds one line's or document's gold and predicted entities, in O(n log n) of its
    /// spans: a document of 100,000 entities a side costs a fraction of a second.
    pub fn add(&mut self, gold: &[LabelledSpan], pred: &[LabelledSpan]) {
        let gold_index = SpanIndex::new(gold);
        let pred_index = SpanIndex::new(pred);
        for g in gold {
            let counts = self.per_label.entry(g.2.clone()).or_default();
            counts.n_gold += 1;
            if pred_index.overlaps_label(g.0, g.1, &g.2) {
                counts.n_gold_overlapped += 1;
            }
            if let Some(label) = pred_index.other_label_at(g.0, g.1, &g.2) {
                if !pred_index.contains(g) {
                    *self.confusions.entry((g.2.clone(), label.to_owned())).or_default() += 1;
                }
            } else if !pred_index.overlaps_any(g.0, g.1) {
                *self.confusions.entry((g.2.clone(), OUTSIDE.to_owned())).or_default() += 1;
            }
        }
        for p in pred {
            let counts = self.per_label.entry(p.2.clone()).or_default();
            counts.n_pred += 1;
            if gold_index.contains(p) {
                counts.n_exact += 1;
            }
            if gold_index.overlaps_label(p.0, p.1, &p.2) {
                counts.n_pred_overlapping += 1;
            }
            if !gold_index.overlaps_any(p.0, p.1) {
                *self.confusions.entry((OUTSIDE.to_owned(), p.2.clone())).or_default() += 1;
            }
        }
    }
}

/// Half-open spans sorted by start with the furthest end reached so far: whether any span
/// overlaps `[start, end)` is one binary search.
struct Intervals {
    starts: Vec<usize>,
    reach: Vec<usize>,
}

impl Intervals {
    fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let starts = spans.iter().map(|s| s.0).collect();
        let reach = spans
            .iter()
            .scan(0, |furthest, s| {
                *furthest = s.1.max(*furthest);
                Some(*furthest)
            })
            .collect();
        Intervals { starts, reach }
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        let n_starting_before_end = self.starts.partition_point(|&s| s < end);
        n_starting_before_end > 0 && self.reach[n_starting_before_end - 1] > start
    }
}

/// One side's spans, for the questions [`Scores::add`] asks of them.
struct SpanIndex<'s> {
    all: Intervals,
    by_label: std::collections::HashMap<&'s str, Intervals>,
    /// The labels at each exact span, in the side's order.
    labels_at: std::collections::HashMap<(usize, usize), Vec<&'s str>>,
}

impl<'s> SpanIndex<'s> {
    fn new(spans: &'s [LabelledSpan]) -> Self {
        let mut per_label: std::collections::HashMap<&str, Vec<(usize, usize)>> = std::collections::HashMap::new();
        let mut labels_at: std::collections::HashMap<(usize, usize), Vec<&str>> = std::collections::HashMap::new();
        for (start, end, label) in spans {
            per_label.entry(label).or_default().push((*start, *end));
            labels_at.entry((*start, *end)).or_default().push(label);
        }
        SpanIndex {
            all: Intervals::new(spans.iter().map(|s| (s.0, s.1)).collect()),
            by_label: per_label.into_iter().map(|(l, v)| (l, Intervals::new(v))).collect(),
            labels_at,
        }
    }

    fn contains(&self, span: &LabelledSpan) -> bool {
        self.labels_at
            .get(&(span.0, span.1))
            .is_some_and(|labels| labels.contains(&span.2.as_str()))
    }

    fn overlaps_any(&self, start: usize, end: usize) -> bool {
        self.all.overlaps(start, end)
    }

    fn overlaps_label(&self, start: usize, end: usize, label: &str) -> bool {
        self.by_label.get(label).is_some_and(|i| i.overlaps(start, end))
    }

    /// The first label other than `label` at exactly `[start, end)`.
    fn other_label_at(&self, start: usize, end: usize, label: &str) -> Option<&'s str> {
        self.labels_at.get(&(start, end))?.iter().copied().find(|l| *l != label)
    }
}

/// A relation as evaluation sees it: head span, tail span, type.
pub type SpanRelation = ((usize, usize), (usize, usize), String);

/// Relation counts per type: exact head span, tail span and type must match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelationScores {
    pub per_type: BTreeMap<String, Counts>,
}

impl RelationScores {
    pub fn add(&mut self, gold: &[SpanRelation], pred: &[SpanRelation]) {
        for g in gold {
            let counts = self.per_type.entry(g.2.clone()).or_default();
            counts.n_gold += 1;
        }
        let gold_set: std::collections::HashSet<&SpanRelation> = gold.iter().collect();
        for p in pred {
            let counts = self.per_type.entry(p.2.clone()).or_default();
            counts.n_pred += 1;
            if gold_set.contains(p) {
                counts.n_exact += 1;
            }
        }
    }

    pub fn micro(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.per_type.values() {
            total.add(counts);
        }
        total
    }
}

/// Label maps for public sets whose labels differ from the default schema.
pub fn preset_map(name: &str) -> Option<Vec<(&'static str, &'static str)>> {
    match name {
        "cluener" => Some(vec![
            ("name", "PER"),
            ("address", "LOC"),
            ("company", "ORG"),
            ("government", "ORG"),
            ("organization", "ORG"),
            ("position", "TITLE"),
        ]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(items: &[(usize, usize, &str)]) -> Vec<LabelledSpan> {
        items.iter().map(|(s, e, l)| (*s, *e, (*l).to_owned())).collect()
    }

    #[test]
    fn exact_and_overlap_scores_by_hand() {
        let gold = spans(&[(0, 3, "ORG"), (5, 7, "PER"), (8, 10, "LOC")]);
        // ORG exact; PER with the wrong right edge; LOC labelled ORG; one spurious PER.
        let pred = spans(&[(0, 3, "ORG"), (5, 8, "PER"), (8, 10, "ORG"), (12, 14, "PER")]);
        let mut scores = Scores::default();
        scores.add(&gold, &pred);
        let micro = scores.micro();
        // exact: 1 of 4 predictions, 1 of 3 gold → P 0.25, R 1/3, F1 = 2·0.25·(1/3)/(0.25+1/3) = 2/7.
        assert_eq!((micro.n_pred, micro.n_gold, micro.n_exact), (4, 3, 1));
        assert!((micro.exact().f1 - 2.0 / 7.0).abs() < 1e-12);
        // overlap: predictions ORG(0,3), PER(5,8) overlap gold of their label → P 2/4; gold ORG, PER → R 2/3.
        let overlap = micro.overlap();
        assert!((overlap.precision - 0.5).abs() < 1e-12);
        assert!((overlap.recall - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(scores.per_label["PER"].exact().precision, 0.0);
        assert_eq!(
            scores.top_confusions(5),
            [("LOC", "ORG", 1), ("O", "PER", 1)],
            "LOC read as ORG, and the spurious PER"
        );
    }

    #[test]
    fn relations_need_both_spans_and_the_type() {
        let rel = |h: (usize, usize), t: (usize, usize), kind: &str| (h, t, kind.to_owned());
        let gold = [rel((5, 7), (0, 3), "任职"), rel((5, 7), (3, 5), "职务")];
        // One right, one with the wrong type, one with a tail one character off.
        let pred = [
            rel((5, 7), (0, 3), "任职"),
            rel((5, 7), (3, 5), "任职"),
            rel((5, 7), (3, 4), "职务"),
        ];
        let mut scores = RelationScores::default();
        scores.add(&gold, &pred);
        let micro = scores.micro();
        // P = 1/3, R = 1/2, F1 = 2·(1/3)·(1/2)/(1/3+1/2) = 0.4.
        assert_eq!((micro.n_gold, micro.n_pred, micro.n_exact), (2, 3, 1));
        assert!((micro.exact().f1 - 0.4).abs() < 1e-12);
        assert_eq!(scores.per_type["职务"].exact().recall, 0.0);
    }

    #[test]
    fn a_perfect_prediction_scores_one() {
        let gold = spans(&[(0, 2, "PER"), (3, 5, "LOC")]);
        let mut scores = Scores::default();
        scores.add(&gold, &gold);
        assert_eq!(scores.micro().exact().f1, 1.0);
        assert_eq!(scores.micro().overlap().f1, 1.0);
        assert!(scores.confusions.is_empty());
    }

    /// The definition `Scores::add` must agree with, written as plainly as possible.
    fn brute_force(gold: &[LabelledSpan], pred: &[LabelledSpan]) -> Scores {
        let overlaps = |a: &LabelledSpan, b: &LabelledSpan| a.0 < b.1 && b.0 < a.1;
        let mut scores = Scores::default();
        for g in gold {
            let counts = scores.per_label.entry(g.2.clone()).or_default();
            counts.n_gold += 1;
            counts.n_gold_overlapped += usize::from(pred.iter().any(|p| p.2 == g.2 && overlaps(p, g)));
            if let Some(p) = pred.iter().find(|p| p.0 == g.0 && p.1 == g.1 && p.2 != g.2) {
                if !pred.contains(g) {
                    *scores.confusions.entry((g.2.clone(), p.2.clone())).or_default() += 1;
                }
            } else if !pred.iter().any(|p| overlaps(p, g)) {
                *scores.confusions.entry((g.2.clone(), OUTSIDE.to_owned())).or_default() += 1;
            }
        }
        for p in pred {
            let counts = scores.per_label.entry(p.2.clone()).or_default();
            counts.n_pred += 1;
            counts.n_exact += usize::from(gold.contains(p));
            counts.n_pred_overlapping += usize::from(gold.iter().any(|g| g.2 == p.2 && overlaps(p, g)));
            if !gold.iter().any(|g| overlaps(p, g)) {
                *scores.confusions.entry((OUTSIDE.to_owned(), p.2.clone())).or_default() += 1;
            }
        }
        scores
    }

    #[test]
    fn indexed_scores_equal_the_brute_force_definition_on_overlapping_spans() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        for _ in 0..200 {
            let side = |next: &mut dyn FnMut(u64) -> u64| -> Vec<LabelledSpan> {
                (0..next(12))
                    .map(|_| {
                        let start = next(30) as usize;
                        let len = 1 + next(5) as usize;
                        (start, start + len, ["PER", "ORG", "LOC"][next(3) as usize].to_owned())
                    })
                    .collect()
            };
            let (gold, pred) = (side(&mut next), side(&mut next));
            let mut indexed = Scores::default();
            indexed.add(&gold, &pred);
            assert_eq!(indexed, brute_force(&gold, &pred), "gold {gold:?} pred {pred:?}");
        }
    }
}
