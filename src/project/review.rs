//! Comparing two annotators of a project: their accepted layers, cut into tokens, handed to
//! the pure agreement of [`crate::review`].

use crate::Result;
use crate::model::StatusFilter;
use crate::review::{Agreement, agreement};
use crate::store::Store;
use crate::text::Segmenter;

/// Reads two annotators' accepted layers and compares them over the documents both
/// annotated, cutting tokens with `segmenter`.
pub fn compare(store: &Store, a: &str, b: &str, segmenter: &Segmenter) -> Result<Agreement> {
    let layers_a = store.layers(StatusFilter::Accepted, Some(a))?;
    let layers_b = store.layers(StatusFilter::Accepted, Some(b))?;
    let mut documents = Vec::new();
    for (la, lb) in layers_a.into_iter().zip(layers_b) {
        if la.entities.is_empty() || lb.entities.is_empty() {
            continue;
        }
        let tokens = segmenter.tokens(&la.text).iter().map(|t| t.span()).collect();
        documents.push((tokens, la, lb));
    }
    Ok(agreement(&documents))
}
