//! A tagger that learns from accepted annotations: a linear-chain model over BIOES tags,
//! trained as an averaged structured perceptron.
//!
//! - [`features`]: a fixed set of hashed features a character: characters and bigrams in
//!   a ±2 window, character classes, jieba's word position, word and POS, and the spans of
//!   the rule tagger and the gazetteer as evidence.
//! - [`model`]: tags, constrained Viterbi, max-marginal margins, the byte format.
//! - [`train`]: the perceptron, with averaging and a pass count picked on held-out lines.
//!
//! Pure and deterministic: the same lines, options and seed give the same model bytes.
//! What to train on and how the model joins the rules is `pretag`'s business.

mod features;
mod model;
mod train;

pub use features::{Extractor, FEATURE_VERSION, Line, LineSpan, N_TEMPLATES};
pub use model::{Model, ModelError, Predicted, Scratch};
pub use train::{Corpus, DevResult, EpochReport, Outcome, TrainOptions, f1, train};

pub(crate) use train::SplitMix;

/// The `(scale, offset)` of [`Model::confidence`] that best fit `outcomes` (a predicted
/// span's margin, and whether it was right) by Brier score, from a fixed grid. `None`
/// without outcomes.
pub fn calibrate(outcomes: &[(f32, bool)]) -> Option<(f32, f32)> {
    if outcomes.is_empty() {
        return None;
    }
    let brier = |calibration: (f32, f32)| -> f64 {
        outcomes
            .iter()
            .map(|(margin, right)| {
                let p = model::confidence(calibration, *margin);
                let y = if *right { 1.0 } else { 0.0 };
                (p - y) * (p - y)
            })
            .sum()
    };
    let scales = (0..40).map(|k| 0.1 * 1.25f32.powi(k));
    scales
        .flat_map(|scale| (-8..=24).map(move |k| (scale, k as f32 * scale / 4.0)))
        .map(|calibration| (brier(calibration), calibration))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, calibration)| calibration)
}

#[cfg(test)]
mod tests;
