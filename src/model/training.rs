//! What training a project's model reads and reports: the types the store, the
//! pre-tagger and the app share.

/// One document's text with the entities an annotator accepted in it: a training example.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingDocument {
    /// Documents with the same key go to the same side of the held-out split.
    pub key: u64,
    pub text: String,
    /// `[char_start, char_end)` in the whole text, and the label.
    pub entities: Vec<(usize, usize, String)>,
}

/// What a training run measured.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TrainReport {
    pub n_documents: usize,
    pub n_sentences: usize,
    pub n_chars: usize,
    pub labels: Vec<String>,
    /// Accepted entities that cross a line break, which the model cannot learn.
    pub n_entities_skipped: usize,
    pub n_dev_documents: usize,
    /// Gold entities in the held-out documents: a score on fewer than
    /// [`TrainReport::MIN_HELD_OUT_ENTITIES`] is not trusted.
    pub n_dev_entities: usize,
    /// Exact-span micro F1 on the held-out documents over the model's labels.
    pub dev_f1_model: Option<f64>,
    pub dev_f1_rules: Option<f64>,
    /// The share of bootstrap resamples of the held-out lines in which the model beat the rules.
    pub dev_win_rate: Option<f64>,
    /// Passes the final model was trained for.
    pub epochs: usize,
    pub n_features: usize,
    pub seed: u64,
    /// Wall time of the whole run, reading included.
    pub train_seconds: f64,
    /// Whose annotations it learned from (empty: files only).
    pub annotators: Vec<String>,
}

impl TrainReport {
    /// Whether the model's spans are used: only when it beat the rules on held-out documents.
    pub fn model_wins(&self) -> bool {
        matches!((self.dev_f1_model, self.dev_f1_rules), (Some(m), Some(r)) if m > r)
            && self.dev_win_rate.is_some_and(|w| w >= Self::SURE)
            && self.n_dev_entities >= Self::MIN_HELD_OUT_ENTITIES
    }

    /// The fewest held-out gold entities whose score the gate believes: below it, a handful
    /// of easy sentences could crown a model that floods real text with guesses.
    pub const MIN_HELD_OUT_ENTITIES: usize = 30;

    /// How often, over bootstrap resamples of the held-out lines, the model must beat the
    /// rules before the project uses it.
    pub const SURE: f64 = 0.95;

    /// Why the project's tagger is what it is, in one line.
    pub fn verdict(&self) -> String {
        let n = self.n_dev_documents;
        match (self.dev_f1_model, self.dev_f1_rules, self.dev_win_rate) {
            (Some(m), Some(r), _) if self.n_dev_entities < Self::MIN_HELD_OUT_ENTITIES => format!(
                "rules: {n} held-out documents hold {} entities, too few to trust a score ({m:.3} vs {r:.3} F1; {} needed)",
                self.n_dev_entities,
                Self::MIN_HELD_OUT_ENTITIES
            ),
            (Some(m), Some(r), Some(w)) if m > r && w >= Self::SURE => format!(
                "rules + model: the model beat the rules on {n} held-out documents ({m:.3} vs {r:.3} F1, in {:.0}% of resamples)",
                100.0 * w
            ),
            (Some(m), Some(r), Some(w)) if m > r => format!(
                "rules: the model's lead on {n} held-out documents ({m:.3} vs {r:.3} F1) held in only {:.0}% of resamples",
                100.0 * w
            ),
            (Some(m), Some(r), _) => {
                format!("rules: the model did not beat them on {n} held-out documents ({m:.3} vs {r:.3} F1)")
            }
            _ => "rules: too few training documents to hold any back for a score".to_owned(),
        }
    }
}

/// A stored model's record, without its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRecord {
    pub id: i64,
    pub created_at_ms: i64,
    pub feature_version: u32,
    pub report: TrainReport,
    /// Whether the bytes are still stored: only the newest model keeps them.
    pub has_bytes: bool,
}
