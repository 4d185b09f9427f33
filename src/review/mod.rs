//! Corpus review: agreement between annotators and the diff that adjudication works from.
//! Pure functions over model types; `project::review` and the app feed them.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::eval::{Counts, RelationScores, Scores, SpanRelation};
use crate::model::{AnnotatedDocument, CharSpan, Entity, EntityId};

/// Agreement of two annotators over the documents both annotated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// Exact and overlap counts per label, with A as reference (F1 is symmetric).
    pub spans: Scores,
    /// Token-level Cohen's κ overall, over jieba tokens.
    pub kappa: f64,
    /// Token-level κ per label: the label against everything else.
    pub kappa_per_label: BTreeMap<String, f64>,
    pub relations: RelationScores,
    /// On spans both marked exactly: `(label of A, label of B)` → count.
    pub confusion: BTreeMap<(String, String), usize>,
    pub n_documents: usize,
    pub n_tokens: usize,
}

impl Agreement {
    pub fn exact_f1(&self) -> f64 {
        self.spans.micro().exact().f1
    }

    pub fn overlap_f1(&self) -> f64 {
        self.spans.micro().overlap().f1
    }

    pub fn relation_f1(&self) -> f64 {
        self.relations.micro().exact().f1
    }

    pub fn per_label(&self) -> &BTreeMap<String, Counts> {
        &self.spans.per_label
    }
}

/// The label of each token: the label of the entity covering the token's first
/// character, or `None`.
fn token_labels<'e>(tokens: &[CharSpan], entities: &'e [Entity]) -> Vec<Option<&'e str>> {
    let n_chars = entities.iter().map(|e| e.char_end).max().unwrap_or(0);
    // The first entity in list order wins a character, as a search from the front would.
    let mut label_at: Vec<Option<&str>> = vec![None; n_chars];
    for e in entities.iter().rev() {
        label_at[e.char_start.min(e.char_end)..e.char_end].fill(Some(e.label.as_str()));
    }
    tokens
        .iter()
        .map(|t| label_at.get(t.char_start).copied().flatten())
        .collect()
}

/// Each span's first entity in list order, as a search from the front finds it.
fn first_at_each_span(entities: &[Entity]) -> HashMap<CharSpan, &Entity> {
    let mut at = HashMap::with_capacity(entities.len());
    for e in entities {
        at.entry(e.span()).or_insert(e);
    }
    at
}

/// Cohen's κ of two label sequences: (p_o − p_e) / (1 − p_e), 1 when both agree on a
/// single category everywhere.
pub fn cohen_kappa<T: Ord + Clone>(a: &[T], b: &[T]) -> f64 {
    let mut pairs: BTreeMap<(T, T), usize> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *pairs.entry((x.clone(), y.clone())).or_default() += 1;
    }
    kappa_of_pairs(&pairs)
}

/// Cohen's κ from the counts of `(A's category, B's category)` pairs.
fn kappa_of_pairs<T: Ord + Clone>(pairs: &BTreeMap<(T, T), usize>) -> f64 {
    let n: usize = pairs.values().sum();
    if n == 0 {
        return 1.0;
    }
    let agreed: usize = pairs.iter().filter(|((x, y), _)| x == y).map(|(_, c)| c).sum();
    let observed = agreed as f64 / n as f64;
    let mut count_a: BTreeMap<&T, usize> = BTreeMap::new();
    let mut count_b: BTreeMap<&T, usize> = BTreeMap::new();
    for ((x, y), c) in pairs {
        *count_a.entry(x).or_default() += c;
        *count_b.entry(y).or_default() += c;
    }
    let expected: f64 = count_a
        .iter()
        .map(|(k, na)| *na as f64 * count_b.get(k).copied().unwrap_or(0) as f64)
        .sum::<f64>()
        / (n as f64 * n as f64);
    if (1.0 - expected).abs() < 1e-12 {
        return if (observed - 1.0).abs() < 1e-12 { 1.0 } else { 0.0 };
    }
    (observed - expected) / (1.0 - expected)
}

/// Agreement over documents given as `(tokens, A's layer, B's layer)`.
pub fn agreement(documents: &[(Vec<CharSpan>, AnnotatedDocument, AnnotatedDocument)]) -> Agreement {
    let mut builder = AgreementBuilder::default();
    for (tokens, a, b) in documents {
        builder.add(tokens, a, b);
    }
    builder.finish()
}

/// [`agreement`] a document at a time, so that a project of any size is compared in the
/// memory of one document: token labels are kept as counts of label pairs.
#[derive(Debug, Default)]
pub struct AgreementBuilder {
    result: Agreement,
    token_pairs: BTreeMap<(Option<String>, Option<String>), usize>,
}

impl AgreementBuilder {
    pub fn add(&mut self, tokens: &[CharSpan], a: &AnnotatedDocument, b: &AnnotatedDocument) {
        let result = &mut self.result;
        result.n_documents += 1;
        let spans = |d: &AnnotatedDocument| -> Vec<(usize, usize, String)> {
            d.entities
                .iter()
                .map(|e| (e.char_start, e.char_end, e.label.clone()))
                .collect()
        };
        result.spans.add(&spans(a), &spans(b));
        let b_at = first_at_each_span(&b.entities);
        for ea in &a.entities {
            if let Some(eb) = b_at.get(&ea.span()) {
                *result
                    .confusion
                    .entry((ea.label.clone(), eb.label.clone()))
                    .or_default() += 1;
            }
        }
        let relations = |d: &AnnotatedDocument| -> Vec<SpanRelation> {
            let by_id: HashMap<EntityId, &Entity> = d.entities.iter().map(|e| (e.id, e)).collect();
            d.relations
                .iter()
                .filter_map(|r| {
                    let head = by_id.get(&r.head)?;
                    let tail = by_id.get(&r.tail)?;
                    Some((
                        (head.char_start, head.char_end),
                        (tail.char_start, tail.char_end),
                        r.kind.clone(),
                    ))
                })
                .collect()
        };
        result.relations.add(&relations(a), &relations(b));
        let labels_a = token_labels(tokens, &a.entities);
        let labels_b = token_labels(tokens, &b.entities);
        for (x, y) in labels_a.into_iter().zip(labels_b) {
            *self
                .token_pairs
                .entry((x.map(str::to_owned), y.map(str::to_owned)))
                .or_default() += 1;
        }
    }

    pub fn finish(self) -> Agreement {
        let mut result = self.result;
        let pairs = self.token_pairs;
        result.n_tokens = pairs.values().sum();
        result.kappa = kappa_of_pairs(&pairs);
        let labels: std::collections::BTreeSet<&String> =
            pairs.keys().flat_map(|(x, y)| x.iter().chain(y.iter())).collect();
        for label in labels {
            let mut binary: BTreeMap<(bool, bool), usize> = BTreeMap::new();
            for ((x, y), c) in &pairs {
                *binary
                    .entry((x.as_ref() == Some(label), y.as_ref() == Some(label)))
                    .or_default() += c;
            }
            result.kappa_per_label.insert(label.clone(), kappa_of_pairs(&binary));
        }
        result
    }
}

/// How two annotators' spans compare at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiffKind {
    Agreed,
    LabelDiffers,
    OnlyA,
    OnlyB,
}

/// One place of the diff: a span with A's and B's labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffItem {
    pub span: CharSpan,
    pub kind: DiffKind,
    pub label_a: Option<String>,
    pub label_b: Option<String>,
}

/// The merged diff of two layers in text order: spans both marked (agreeing or not on the
/// label), and spans only one marked. Overlapping but different spans are two items.
pub fn diff(a: &[Entity], b: &[Entity]) -> Vec<DiffItem> {
    let mut items = Vec::new();
    let b_at = first_at_each_span(b);
    for ea in a {
        match b_at.get(&ea.span()) {
            Some(eb) => items.push(DiffItem {
                span: ea.span(),
                kind: if ea.label == eb.label {
                    DiffKind::Agreed
                } else {
                    DiffKind::LabelDiffers
                },
                label_a: Some(ea.label.clone()),
                label_b: Some(eb.label.clone()),
            }),
            None => items.push(DiffItem {
                span: ea.span(),
                kind: DiffKind::OnlyA,
                label_a: Some(ea.label.clone()),
                label_b: None,
            }),
        }
    }
    let a_spans: HashSet<CharSpan> = a.iter().map(Entity::span).collect();
    for eb in b.iter().filter(|eb| !a_spans.contains(&eb.span())) {
        items.push(DiffItem {
            span: eb.span(),
            kind: DiffKind::OnlyB,
            label_a: None,
            label_b: Some(eb.label.clone()),
        });
    }
    items.sort_by_key(|i| (i.span.char_start, i.span.char_end, i.kind));
    items
}

#[cfg(test)]
mod tests;
