//! Pre-tagging: entity suggestions for a text.
//!
//! For now the suggestions are jieba's POS tags mapped to labels (nr→PER, ns→LOC,
//! nt→ORG), the baseline that the rule-based pre-tagger will replace.

use crate::Result;
use crate::model::{CharSpan, DocumentId, NewEntity, Status};
use crate::store::{Store, SuggestionChange};
use crate::text::Segmenter;

/// The annotator recorded on pre-tagger suggestions.
pub const PRETAG_ANNOTATOR: &str = "pretag";

/// A proposed entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub char_start: usize,
    pub char_end: usize,
    pub label: String,
    /// The rule that produced it.
    pub source: &'static str,
    /// In `[0, 1]`.
    pub confidence: f64,
}

impl Suggestion {
    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.char_start, self.char_end)
    }
}

/// The source name of suggestions read off jieba's POS tags.
pub const SOURCE_JIEBA_POS: &str = "jieba-pos";

/// Produces suggestions for texts.
#[derive(Debug, Clone, Default)]
pub struct Pretagger {
    segmenter: Segmenter,
}

impl Pretagger {
    pub fn new(segmenter: Segmenter) -> Self {
        Pretagger { segmenter }
    }

    /// Non-overlapping suggestions sorted by offset.
    pub fn tag(&self, text: &str) -> Vec<Suggestion> {
        jieba_pos_baseline(&self.segmenter, text)
    }
}

/// Pre-tags `documents` (all of them for `None`) and stores the suggestions, one
/// transaction a document. Reports progress as `(done, total)`.
pub fn pretag_documents(
    store: &mut Store,
    tagger: &Pretagger,
    documents: Option<&[DocumentId]>,
    on_progress: &mut dyn FnMut(usize, usize),
) -> Result<(usize, SuggestionChange)> {
    let ids: Vec<DocumentId> = match documents {
        Some(ids) => ids.to_vec(),
        None => store.documents()?.into_iter().map(|d| d.id).collect(),
    };
    let mut total = SuggestionChange::default();
    for (i, id) in ids.iter().enumerate() {
        let text = store.document(*id)?.text;
        let suggestions: Vec<NewEntity> = tagger
            .tag(&text)
            .into_iter()
            .map(|s| NewEntity {
                char_start: s.char_start,
                char_end: s.char_end,
                label: s.label,
                status: Status::Suggested,
                source: s.source.to_owned(),
                confidence: Some(s.confidence),
                annotator: PRETAG_ANNOTATOR.to_owned(),
            })
            .collect();
        let change = store.replace_suggestions(*id, &suggestions)?;
        total.n_added += change.n_added;
        total.n_removed += change.n_removed;
        total.n_kept += change.n_kept;
        on_progress(i + 1, ids.len());
    }
    Ok((ids.len(), total))
}

/// jieba's POS tags mapped to labels: nr (and nrfg, nrt)→PER, ns→LOC, nt→ORG.
pub fn jieba_pos_baseline(segmenter: &Segmenter, text: &str) -> Vec<Suggestion> {
    segmenter
        .tokens(text)
        .into_iter()
        .filter_map(|token| {
            let label = match token.pos.get(..2)? {
                "nr" => "PER",
                "ns" => "LOC",
                "nt" => "ORG",
                _ => return None,
            };
            Some(Suggestion {
                char_start: token.char_start,
                char_end: token.char_end,
                label: label.to_owned(),
                source: SOURCE_JIEBA_POS,
                confidence: 0.5,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_maps_pos_tags() {
        let tagger = Pretagger::default();
        let found: Vec<(usize, usize, String)> = tagger
            .tag("国务院总理李强在北京表示")
            .into_iter()
            .map(|s| (s.char_start, s.char_end, s.label))
            .collect();
        assert!(found.contains(&(5, 7, "PER".to_owned())), "{found:?}");
        assert!(found.contains(&(8, 10, "LOC".to_owned())), "{found:?}");
    }
}
