//! The linear-chain model: BIOES tags over a label set, feature weights, transitions,
//! constrained Viterbi decoding with max-marginal margins, and a byte format.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::features::{FEATURE_VERSION, N_TEMPLATES};

/// The feature hashes are already well mixed: the table uses them as they are.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub type FeatureMap = HashMap<u64, u32, BuildHasherDefault<PassThrough>>;

/// Tag 0 is O; label `l` has B, I, E, S at `1 + 4l ..= 4 + 4l`.
pub const O: u16 = 0;

pub fn n_tags(n_labels: usize) -> usize {
    1 + 4 * n_labels
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    O,
    B,
    I,
    E,
    S,
}

fn part(tag: u16) -> (Part, usize) {
    if tag == O {
        return (Part::O, 0);
    }
    let t = usize::from(tag - 1);
    let part = [Part::B, Part::I, Part::E, Part::S][t % 4];
    (part, t / 4)
}

pub fn tag(part_index: u16, label: usize) -> u16 {
    1 + 4 * label as u16 + part_index
}

/// Whether `next` may follow `prev` (`None`: the line's start).
pub fn allowed(prev: Option<u16>, next: u16) -> bool {
    let (next_part, next_label) = part(next);
    let opens = matches!(next_part, Part::O | Part::B | Part::S);
    match prev.map(part) {
        None | Some((Part::O | Part::E | Part::S, _)) => opens,
        Some((Part::B | Part::I, label)) => matches!(next_part, Part::I | Part::E) && label == next_label,
    }
}

fn may_end(tag: u16) -> bool {
    matches!(part(tag).0, Part::O | Part::E | Part::S)
}

/// The tags of non-overlapping spans over `n_chars`; spans of labels outside `labels` are left out.
pub fn tags_of(n_chars: usize, spans: &[(usize, usize, &str)], labels: &[String]) -> Vec<u16> {
    let mut tags = vec![O; n_chars];
    for &(start, end, label) in spans {
        let Some(l) = labels.iter().position(|x| x == label) else {
            continue;
        };
        if start >= end || end > n_chars || tags[start..end].iter().any(|t| *t != O) {
            continue;
        }
        if end - start == 1 {
            tags[start] = tag(3, l);
        } else {
            tags[start] = tag(0, l);
            tags[start + 1..end - 1].fill(tag(1, l));
            tags[end - 1] = tag(2, l);
        }
    }
    tags
}

/// The spans `(char_start, char_end, label index)` a well-formed tag sequence spells.
pub fn spans_of(tags: &[u16]) -> Vec<(usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        match part(t) {
            (Part::S, l) => spans.push((i, i + 1, l)),
            (Part::B, l) => open = Some((i, l)),
            (Part::E, l) => {
                if let Some((start, open_label)) = open.take()
                    && open_label == l
                {
                    spans.push((start, i + 1, l));
                }
            }
            (Part::I, _) => {}
            (Part::O, _) => open = None,
        }
    }
    spans
}

/// A trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    labels: Vec<String>,
    features: FeatureMap,
    /// `(features.len() + 1) × n_tags`, row by feature id; the last row is zeros, the row of
    /// features the model does not know.
    weights: Vec<f32>,
    /// `(n_tags + 1) × n_tags`: from tag (the last row: the line's start) to tag.
    transitions: Vec<f32>,
    /// Confidence is `1 / (1 + exp(-(margin - offset) / scale))`, `(scale, offset)`.
    calibration: (f32, f32),
    /// The features again as an open-addressing table of `(hash, id)`, a quarter full, so
    /// that most lookups are one probe and a line's lookups can all be in flight at once.
    slots: Vec<(u64, u32)>,
}

/// Hash 0 marks an empty slot; a feature that hashes to 0 is stored as 1.
fn slot_key(hash: u64) -> u64 {
    hash.max(1)
}

/// A span the model predicts, with its confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Predicted {
    pub char_start: usize,
    pub char_end: usize,
    /// An index into [`Model::labels`].
    pub label: usize,
    /// The smallest max-marginal margin over the span's chars and its two neighbours.
    pub margin: f32,
    pub confidence: f64,
}

/// Errors reading a model's bytes.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    #[error("not a biaozhu model")]
    NotAModel,
    #[error("model format {found}, this build reads {expected}")]
    Version { found: u32, expected: u32 },
    #[error("the model's features are version {found}, this build extracts version {expected}: train again")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("the model is truncated or corrupt")]
    Corrupt,
}

const MAGIC: &[u8; 4] = b"BZLM";
const FORMAT: u32 = 1;

/// Reusable decoding buffers.
#[derive(Default)]
pub struct Scratch {
    emissions: Vec<f32>,
    forward: Vec<f32>,
    backward: Vec<f32>,
    back_pointer: Vec<u16>,
    tags: Vec<u16>,
    constraints: Vec<f32>,
}

impl Scratch {
    /// The tags the last decode chose.
    pub fn tags(&self) -> &[u16] {
        &self.tags
    }
}

impl Model {
    /// A model of `weights` (`features.len() × n_tags`, by feature id).
    pub(super) fn new(
        labels: Vec<String>,
        features: FeatureMap,
        mut weights: Vec<f32>,
        transitions: Vec<f32>,
        calibration: (f32, f32),
    ) -> Model {
        let n_tags = n_tags(labels.len());
        weights.resize((features.len() + 1) * n_tags, 0.0);
        let capacity = (4 * features.len()).next_power_of_two().max(16);
        let mut slots = vec![(0u64, 0u32); capacity];
        let mut by_hash: Vec<(u64, u32)> = features.iter().map(|(h, id)| (*h, *id)).collect();
        by_hash.sort_unstable();
        for (hash, id) in by_hash {
            let key = slot_key(hash);
            let mut i = key as usize & (capacity - 1);
            while slots[i].0 != 0 {
                i = (i + 1) & (capacity - 1);
            }
            slots[i] = (key, id);
        }
        Model {
            labels,
            features,
            weights,
            transitions,
            calibration,
            slots,
        }
    }

    /// The id of a feature, or the zero row's.
    #[inline]
    fn probe(&self, key: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return id;
            }
            if k == 0 {
                return self.features.len() as u32;
            }
            i = (i + 1) & mask;
        }
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn n_features(&self) -> usize {
        self.features.len()
    }

    fn n_tags(&self) -> usize {
        n_tags(self.labels.len())
    }

    /// Scores of every tag at every char, from the line's feature hashes.
    fn emissions(&self, hashes: &[u64], out: &mut Vec<f32>) {
        let n_tags = self.n_tags();
        let n_chars = hashes.len() / N_TEMPLATES;
        out.clear();
        out.resize(n_chars * n_tags, 0.0);
        let mask = self.slots.len() - 1;
        let unknown = self.features.len() as u32;
        for (row, char_hashes) in out.chunks_exact_mut(n_tags).zip(hashes.chunks_exact(N_TEMPLATES)) {
            // First every first probe, with no branch between them, so that their cache
            // misses overlap; then the rare longer probes; then the rows.
            let mut ids = [unknown; N_TEMPLATES];
            let mut collided = 0u32;
            for (j, hash) in char_hashes.iter().enumerate() {
                let key = slot_key(*hash);
                let (k, id) = self.slots[key as usize & mask];
                ids[j] = if k == key { id } else { unknown };
                collided |= u32::from(k != key && k != 0) << j;
            }
            while collided != 0 {
                let j = collided.trailing_zeros() as usize;
                collided &= collided - 1;
                ids[j] = self.probe(slot_key(char_hashes[j]));
            }
            for id in ids {
                let w = &self.weights[id as usize * n_tags..(id as usize + 1) * n_tags];
                row.iter_mut().zip(w).for_each(|(r, w)| *r += w);
            }
        }
    }

    /// The best tags for a line given its feature hashes ([`super::Extractor`]).
    pub fn predict(&self, hashes: &[u64], scratch: &mut Scratch) -> Vec<Predicted> {
        let mut emissions = std::mem::take(&mut scratch.emissions);
        self.emissions(hashes, &mut emissions);
        let n_tags = self.n_tags();
        viterbi(&emissions, &self.transitions, n_tags, scratch);
        let spans = spans_of(&scratch.tags);
        // Margins only matter for the confidence of spans: a line without any skips them.
        let margins = if spans.is_empty() {
            Vec::new()
        } else {
            margins(&emissions, &self.transitions, n_tags, scratch)
        };
        scratch.emissions = emissions;
        spans
            .into_iter()
            .map(|(start, end, label)| {
                let margin = span_margin(&margins, start, end);
                Predicted {
                    char_start: start,
                    char_end: end,
                    label,
                    margin,
                    confidence: self.confidence(margin),
                }
            })
            .collect()
    }

    /// Sets how margins map to confidences, `(scale, offset)`: see [`super::calibrate`].
    pub fn set_calibration(&mut self, calibration: (f32, f32)) {
        self.calibration = calibration;
    }

    pub fn confidence(&self, margin: f32) -> f64 {
        confidence(self.calibration, margin)
    }

    /// The compact, deterministic byte form: features sorted by hash, each with its non-zero weights.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n_tags = self.n_tags();
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&self.calibration.0.to_le_bytes());
        out.extend_from_slice(&self.calibration.1.to_le_bytes());
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for label in &self.labels {
            out.extend_from_slice(&(label.len() as u32).to_le_bytes());
            out.extend_from_slice(label.as_bytes());
        }
        for w in &self.transitions {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let mut rows: Vec<(u64, u32)> = self.features.iter().map(|(h, id)| (*h, *id)).collect();
        rows.sort_unstable();
        out.extend_from_slice(&(rows.len() as u64).to_le_bytes());
        for (hash, id) in rows {
            let row = &self.weights[id as usize * n_tags..(id as usize + 1) * n_tags];
            out.extend_from_slice(&hash.to_le_bytes());
            let nonzero: Vec<(usize, f32)> = row.iter().copied().enumerate().filter(|(_, w)| *w != 0.0).collect();
            out.push(nonzero.len() as u8);
            for (t, w) in nonzero {
                out.push(t as u8);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let format = r.u32()?;
        if format != FORMAT {
            return Err(ModelError::Version {
                found: format,
                expected: FORMAT,
            });
        }
        let feature_version = r.u32()?;
        if feature_version != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: feature_version,
                expected: FEATURE_VERSION,
            });
        }
        let calibration = (r.f32()?, r.f32()?);
        let n_labels = r.u32()? as usize;
        if n_labels > 60 {
            return Err(ModelError::Corrupt);
        }
        let mut labels = Vec::with_capacity(n_labels);
        for _ in 0..n_labels {
            let len = r.u32()? as usize;
            let label = std::str::from_utf8(r.take(len)?).map_err(|_| ModelError::Corrupt)?;
            labels.push(label.to_owned());
        }
        let n_tags = n_tags(n_labels);
        let transitions = (0..(n_tags + 1) * n_tags)
            .map(|_| r.f32())
            .collect::<Result<Vec<_>, _>>()?;
        let n_rows = usize::try_from(r.u64()?).map_err(|_| ModelError::Corrupt)?;
        if n_rows > bytes.len() / 9 {
            return Err(ModelError::Corrupt);
        }
        let mut features = FeatureMap::with_capacity_and_hasher(n_rows, Default::default());
        let mut weights = vec![0.0f32; n_rows * n_tags];
        let mut previous = None;
        for id in 0..n_rows {
            let hash = r.u64()?;
            let n_nonzero = usize::from(r.take(1)?[0]);
            for _ in 0..n_nonzero {
                let t = usize::from(r.take(1)?[0]);
                if t >= n_tags {
                    return Err(ModelError::Corrupt);
                }
                weights[id * n_tags + t] = r.f32()?;
            }
            // Sorted and distinct, as `to_bytes` writes them.
            if previous.is_some_and(|p| p >= hash) {
                return Err(ModelError::Corrupt);
            }
            previous = Some(hash);
            features.insert(hash, id as u32);
        }
        if r.at != bytes.len() {
            return Err(ModelError::Corrupt);
        }
        Ok(Model::new(labels, features, weights, transitions, calibration))
    }
}

/// The smallest margin over a span's chars and the char on either side of it.
pub(super) fn span_margin(margins: &[f32], char_start: usize, char_end: usize) -> f32 {
    let lo = char_start.saturating_sub(1);
    let hi = (char_end + 1).min(margins.len());
    margins[lo..hi].iter().copied().fold(f32::INFINITY, f32::min)
}

/// A logistic of the margin: `1 / (1 + exp(-(margin - offset) / scale))`.
pub fn confidence((scale, offset): (f32, f32), margin: f32) -> f64 {
    let scale = f64::from(scale.max(1e-6));
    1.0 / (1.0 + (-(f64::from(margin) - f64::from(offset)) / scale).exp())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Corrupt)?;
        let slice = self.bytes.get(self.at..end).ok_or(ModelError::Corrupt)?;
        self.at = end;
        Ok(slice)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().map_err(|_| ModelError::Corrupt)?,
        ))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().map_err(|_| ModelError::Corrupt)?,
        ))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().map_err(|_| ModelError::Corrupt)?,
        ))
    }
}

/// The BIOES constraints as scores to add: 0 where a transition is allowed, minus infinity
/// where not; `(n_tags + 1) × n_tags` (the last row: the start), then one entry a tag for
/// the line's end.
fn constraints(n_tags: usize) -> Vec<f32> {
    let score = |ok: bool| if ok { 0.0 } else { f32::NEG_INFINITY };
    let mut out = Vec::with_capacity((n_tags + 2) * n_tags);
    for prev in 0..=n_tags {
        let prev = (prev < n_tags).then_some(prev as u16);
        out.extend((0..n_tags).map(|t| score(allowed(prev, t as u16))));
    }
    out.extend((0..n_tags).map(|t| score(may_end(t as u16))));
    out
}

impl Scratch {
    /// The constraints for `n_tags`, taken out of the scratch: give them back with `restore`.
    fn take_constraints(&mut self, n_tags: usize) -> Vec<f32> {
        if self.constraints.len() != (n_tags + 2) * n_tags {
            self.constraints = constraints(n_tags);
        }
        std::mem::take(&mut self.constraints)
    }
}

/// Constrained Viterbi: fills `scratch.tags` with the best sequence and `scratch.forward`
/// with the best prefix scores. Disallowed transitions are never taken.
pub(super) fn viterbi(emissions: &[f32], transitions: &[f32], n_tags: usize, scratch: &mut Scratch) {
    let allowed = scratch.take_constraints(n_tags);
    viterbi_with(emissions, transitions, n_tags, &allowed, scratch);
    scratch.constraints = allowed;
}

fn viterbi_with(emissions: &[f32], transitions: &[f32], n_tags: usize, allowed: &[f32], scratch: &mut Scratch) {
    let n_chars = emissions.len() / n_tags;
    let forward = &mut scratch.forward;
    let back = &mut scratch.back_pointer;
    forward.clear();
    forward.resize(n_chars * n_tags, f32::NEG_INFINITY);
    back.clear();
    back.resize(n_chars * n_tags, 0);
    scratch.tags.clear();
    if n_chars == 0 {
        return;
    }
    let start = n_tags * n_tags;
    for t in 0..n_tags {
        forward[t] = emissions[t] + transitions[start + t] + allowed[start + t];
    }
    for i in 1..n_chars {
        let (done, rest) = forward.split_at_mut(i * n_tags);
        let prev = &done[(i - 1) * n_tags..];
        let here = &mut rest[..n_tags];
        for t in 0..n_tags {
            let mut best = f32::NEG_INFINITY;
            let mut best_prev = 0u16;
            for (p, score) in prev.iter().enumerate() {
                let s = score + transitions[p * n_tags + t] + allowed[p * n_tags + t];
                if s > best {
                    best = s;
                    best_prev = p as u16;
                }
            }
            here[t] = best + emissions[i * n_tags + t];
            back[i * n_tags + t] = best_prev;
        }
    }
    let end = &allowed[(n_tags + 1) * n_tags..];
    let last = &forward[(n_chars - 1) * n_tags..];
    let mut best = 0u16;
    let mut best_score = f32::NEG_INFINITY;
    for (t, s) in last.iter().enumerate() {
        if s + end[t] > best_score {
            best_score = s + end[t];
            best = t as u16;
        }
    }
    scratch.tags.resize(n_chars, O);
    scratch.tags[n_chars - 1] = best;
    for i in (1..n_chars).rev() {
        best = back[i * n_tags + usize::from(best)];
        scratch.tags[i - 1] = best;
    }
}

/// Per char, the best path's score minus the best score of a path through another tag
/// there (max-marginals), from `scratch.forward` and a backward pass.
pub(super) fn margins(emissions: &[f32], transitions: &[f32], n_tags: usize, scratch: &mut Scratch) -> Vec<f32> {
    let allowed = scratch.take_constraints(n_tags);
    let margins = margins_with(emissions, transitions, n_tags, &allowed, scratch);
    scratch.constraints = allowed;
    margins
}

fn margins_with(
    emissions: &[f32],
    transitions: &[f32],
    n_tags: usize,
    allowed: &[f32],
    scratch: &mut Scratch,
) -> Vec<f32> {
    let n_chars = emissions.len() / n_tags;
    let backward = &mut scratch.backward;
    backward.clear();
    backward.resize(n_chars * n_tags, f32::NEG_INFINITY);
    if n_chars == 0 {
        return Vec::new();
    }
    let end = &allowed[(n_tags + 1) * n_tags..];
    backward[(n_chars - 1) * n_tags..].copy_from_slice(end);
    for i in (0..n_chars - 1).rev() {
        let (here, after) = backward.split_at_mut((i + 1) * n_tags);
        let here = &mut here[i * n_tags..];
        let after = &after[..n_tags];
        let next_emissions = &emissions[(i + 1) * n_tags..(i + 2) * n_tags];
        for (t, slot) in here.iter_mut().enumerate() {
            let row = t * n_tags;
            let mut best = f32::NEG_INFINITY;
            for n in 0..n_tags {
                best = best.max(transitions[row + n] + allowed[row + n] + next_emissions[n] + after[n]);
            }
            *slot = best;
        }
    }
    (0..n_chars)
        .map(|i| {
            let chosen = usize::from(scratch.tags[i]);
            let through = |t: usize| scratch.forward[i * n_tags + t] + backward[i * n_tags + t];
            let best = through(chosen);
            let runner_up = (0..n_tags)
                .filter(|t| *t != chosen)
                .map(through)
                .fold(f32::NEG_INFINITY, f32::max);
            if runner_up == f32::NEG_INFINITY {
                f32::MAX
            } else {
                (best - runner_up).max(0.0)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_spans_round_trip() {
        let labels = vec!["LOC".to_owned(), "PER".to_owned()];
        let tags = tags_of(6, &[(0, 2, "PER"), (3, 4, "LOC"), (4, 6, "X")], &labels);
        assert_eq!(spans_of(&tags), vec![(0, 2, 1), (3, 4, 0)]);
    }

    #[test]
    fn transitions_respect_bioes() {
        let b_per = tag(0, 1);
        let i_per = tag(1, 1);
        let e_loc = tag(2, 0);
        assert!(allowed(None, b_per));
        assert!(!allowed(None, i_per));
        assert!(allowed(Some(b_per), i_per));
        assert!(!allowed(Some(b_per), e_loc));
        assert!(!allowed(Some(b_per), O));
    }

    #[test]
    fn bad_bytes_are_refused_not_panicked_on() {
        assert_eq!(Model::from_bytes(b"nope"), Err(ModelError::NotAModel));
        assert_eq!(Model::from_bytes(b"BZLM\x01\0\0"), Err(ModelError::Corrupt));
        assert!(matches!(
            Model::from_bytes(b"BZLM\x09\0\0\0"),
            Err(ModelError::Version { found: 9, .. })
        ));
    }
}
