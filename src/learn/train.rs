//! Training: an averaged structured perceptron over the feature ids of every line.

use super::features::N_TEMPLATES;
use super::model::{FeatureMap, Model, Scratch, margins, n_tags, span_margin, spans_of, tags_of, viterbi};

/// Lines turned into feature ids and gold tags, ready to train on.
#[derive(Debug, Default)]
pub struct Corpus {
    labels: Vec<String>,
    features: FeatureMap,
    counts: Vec<u32>,
    lines: Vec<Sample>,
    /// Features seen fewer times than this are gone already.
    pruned_below: u32,
}

#[derive(Debug)]
struct Sample {
    /// `N_TEMPLATES` ids a char.
    ids: Vec<u32>,
    gold: Vec<u16>,
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// The order lines are visited in each pass.
    pub seed: u64,
    /// Features seen fewer times than this are dropped.
    pub min_count: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 8,
            seed: 1,
            min_count: 1,
        }
    }
}

/// A deterministic generator (splitmix64) for shuffling.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

impl Corpus {
    /// A corpus over `labels`; gold spans of other labels are read as O.
    pub fn new(labels: Vec<String>) -> Self {
        Corpus {
            labels,
            ..Corpus::default()
        }
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn n_chars(&self) -> usize {
        self.lines.iter().map(|l| l.gold.len()).sum()
    }

    /// Adds a line: its feature hashes (`N_TEMPLATES` a char) and gold spans. Returns its index.
    pub fn add(&mut self, hashes: &[u64], gold: &[(usize, usize, &str)]) -> usize {
        let n_chars = hashes.len() / N_TEMPLATES;
        let ids = hashes
            .iter()
            .map(|h| {
                let next = self.features.len() as u32;
                let id = *self.features.entry(*h).or_insert(next);
                if id == next {
                    self.counts.push(0);
                }
                self.counts[id as usize] += 1;
                id
            })
            .collect();
        self.lines.push(Sample {
            ids,
            gold: tags_of(n_chars, gold, &self.labels),
        });
        self.lines.len() - 1
    }

    /// Drops the features seen fewer than `min_count` times, renumbering the rest.
    fn prune(&mut self, min_count: u32) {
        if min_count <= self.pruned_below {
            return;
        }
        self.pruned_below = min_count;
        let mut new_id = vec![u32::MAX; self.counts.len()];
        let mut next = 0u32;
        for (id, count) in self.counts.iter().enumerate() {
            if *count >= min_count {
                new_id[id] = next;
                next += 1;
            }
        }
        self.features.retain(|_, id| new_id[*id as usize] != u32::MAX);
        self.features.values_mut().for_each(|id| *id = new_id[*id as usize]);
        self.counts = self.counts.iter().copied().filter(|c| *c >= min_count).collect();
        for line in &mut self.lines {
            for id in &mut line.ids {
                if let Some(new) = new_id.get(*id as usize) {
                    *id = *new;
                }
            }
        }
    }
}

pub fn f1((n_gold, n_pred, n_correct): (usize, usize, usize)) -> f64 {
    if n_gold + n_pred == 0 {
        return 0.0;
    }
    2.0 * n_correct as f64 / (n_gold + n_pred) as f64
}

fn emissions(weights: &[f32], n_tags: usize, ids: &[u32], out: &mut Vec<f32>) {
    let n_chars = ids.len() / N_TEMPLATES;
    out.clear();
    out.resize(n_chars * n_tags, 0.0);
    for (row, char_ids) in out.chunks_exact_mut(n_tags).zip(ids.chunks_exact(N_TEMPLATES)) {
        for &id in char_ids {
            if id == u32::MAX {
                continue;
            }
            let w = &weights[id as usize * n_tags..(id as usize + 1) * n_tags];
            row.iter_mut().zip(w).for_each(|(r, w)| *r += w);
        }
    }
}

/// How a model did on held-out lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DevResult {
    /// The pass it was measured after.
    pub epoch: usize,
    /// `(n_gold, n_pred, n_correct)` exact spans.
    pub counts: (usize, usize, usize),
    /// Each predicted span's margin and whether it was right: what calibration fits.
    pub outcomes: Vec<(f32, bool)>,
    /// The counts of each held-out line, in the order given.
    pub per_line: Vec<(usize, usize, usize)>,
}

impl DevResult {
    pub fn f1(&self) -> f64 {
        f1(self.counts)
    }
}

/// What [`train`] returns.
#[derive(Debug)]
pub struct Outcome {
    /// The averaged model after the last pass.
    pub model: Model,
    /// The best pass on the held-out lines, if there were any.
    pub best: Option<DevResult>,
}

/// Scores weights on held-out lines.
fn score(corpus: &Corpus, dev: &[usize], weights: &[f32], transitions: &[f32], epoch: usize) -> DevResult {
    let n_tags = n_tags(corpus.labels.len());
    let mut scratch = Scratch::default();
    let mut buffer = Vec::new();
    let mut result = DevResult {
        epoch,
        ..DevResult::default()
    };
    for &i in dev {
        let line = &corpus.lines[i];
        emissions(weights, n_tags, &line.ids, &mut buffer);
        viterbi(&buffer, transitions, n_tags, &mut scratch);
        let margins = margins(&buffer, transitions, n_tags, &mut scratch);
        let gold = spans_of(&line.gold);
        let pred = spans_of(scratch.tags());
        let mut n_correct = 0;
        for p in &pred {
            let right = gold.contains(p);
            n_correct += usize::from(right);
            result.outcomes.push((span_margin(&margins, p.0, p.1), right));
        }
        result.counts.0 += gold.len();
        result.counts.1 += pred.len();
        result.counts.2 += n_correct;
        result.per_line.push((gold.len(), pred.len(), n_correct));
    }
    result
}

/// Progress of training, for a bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    /// Exact-span F1 of the averaged model on the held-out lines after this pass, if any.
    pub dev_f1: Option<f64>,
}

/// Trains on `train` (indexes into the corpus) for `options.epochs` passes; after each
/// pass the averaged weights are scored on `dev` when it is non-empty, and the best pass
/// is kept. Pruning renumbers the corpus's features once; later calls keep them.
pub fn train(
    corpus: &mut Corpus,
    train: &[usize],
    dev: &[usize],
    options: TrainOptions,
    on_epoch: &mut dyn FnMut(EpochReport),
) -> Outcome {
    corpus.prune(options.min_count);
    let n_tags = n_tags(corpus.labels.len());
    let n_params = corpus.features.len() * n_tags;
    let n_transitions = (n_tags + 1) * n_tags;
    // Perceptron updates are whole numbers: f32 holds them exactly up to 2^24.
    let mut w = vec![0f32; n_params];
    let mut w_sum = vec![0f64; n_params];
    let mut t = vec![0f32; n_transitions];
    let mut t_sum = vec![0f64; n_transitions];
    let mut avg_w = vec![0f32; n_params];
    let mut avg_t = vec![0f32; n_transitions];
    let mut step: f64 = 1.0;
    let mut order = train.to_vec();
    let mut rng = SplitMix(options.seed);
    let mut scratch = Scratch::default();
    let mut buffer = Vec::new();
    let mut best: Option<DevResult> = None;
    for epoch in 1..=options.epochs.max(1) {
        rng.shuffle(&mut order);
        for &i in &order {
            let line = &corpus.lines[i];
            emissions(&w, n_tags, &line.ids, &mut buffer);
            viterbi(&buffer, &t, n_tags, &mut scratch);
            let pred = scratch.tags();
            if pred != line.gold.as_slice() {
                let start = n_tags * n_tags;
                let mut prev_gold = None;
                let mut prev_pred = None;
                for (c, (&g, &p)) in line.gold.iter().zip(pred).enumerate() {
                    let (g, p) = (usize::from(g), usize::from(p));
                    if g != p {
                        for &id in &line.ids[c * N_TEMPLATES..(c + 1) * N_TEMPLATES] {
                            if id == u32::MAX {
                                continue;
                            }
                            let row = id as usize * n_tags;
                            w[row + g] += 1.0;
                            w_sum[row + g] += step;
                            w[row + p] -= 1.0;
                            w_sum[row + p] -= step;
                        }
                    }
                    let pair = |prev: Option<usize>, tag: usize| prev.map_or(start, |prev| prev * n_tags) + tag;
                    let (gold_pair, pred_pair) = (pair(prev_gold, g), pair(prev_pred, p));
                    if gold_pair != pred_pair {
                        t[gold_pair] += 1.0;
                        t_sum[gold_pair] += step;
                        t[pred_pair] -= 1.0;
                        t_sum[pred_pair] -= step;
                    }
                    prev_gold = Some(g);
                    prev_pred = Some(p);
                }
            }
            step += 1.0;
        }
        average(&w, &w_sum, step, &mut avg_w);
        average(&t, &t_sum, step, &mut avg_t);
        let result = (!dev.is_empty()).then(|| score(corpus, dev, &avg_w, &avg_t, epoch));
        on_epoch(EpochReport {
            epoch,
            dev_f1: result.as_ref().map(DevResult::f1),
        });
        // Ties go to the later pass: on a small, easy held-out set every pass may score the
        // same, and one pass of averaged weights is too timid to suggest anything.
        if let Some(result) = result
            && best.as_ref().is_none_or(|b| result.f1() >= b.f1())
        {
            best = Some(result);
        }
    }
    drop((w, w_sum));
    Outcome {
        model: compact(corpus, &avg_w, avg_t),
        best,
    }
}

/// `w - w_sum / step`, the average of the weights over every step.
fn average(w: &[f32], w_sum: &[f64], step: f64, out: &mut [f32]) {
    for ((out, w), sum) in out.iter_mut().zip(w).zip(w_sum) {
        *out = (f64::from(*w) - sum / step) as f32;
    }
}

/// The model of averaged weights, without the features whose weights are all zero.
fn compact(corpus: &Corpus, avg_w: &[f32], transitions: Vec<f32>) -> Model {
    let n_tags = n_tags(corpus.labels.len());
    let mut by_id: Vec<(u32, u64)> = corpus.features.iter().map(|(h, id)| (*id, *h)).collect();
    by_id.sort_unstable();
    let mut features = FeatureMap::default();
    let mut weights = Vec::new();
    for (id, hash) in by_id {
        let row = &avg_w[id as usize * n_tags..(id as usize + 1) * n_tags];
        if row.iter().all(|x| *x == 0.0) {
            continue;
        }
        features.insert(hash, features.len() as u32);
        weights.extend_from_slice(row);
    }
    Model::new(corpus.labels.clone(), features, weights, transitions, (1.0, 0.0))
}
