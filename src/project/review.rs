//! Comparing two annotators of a project: their accepted layers, cut into tokens, handed to
//! the pure agreement of [`crate::review`] a document at a time.

use crate::Result;
use crate::model::StatusFilter;
use crate::review::{Agreement, AgreementBuilder};
use crate::store::Store;
use crate::text::Segmenter;

/// Reads two annotators' accepted layers and compares them over the documents both
/// annotated, cutting tokens with `segmenter`. Memory is one document's, whatever the
/// project's size.
pub fn compare(store: &Store, a: &str, b: &str, segmenter: &Segmenter) -> Result<Agreement> {
    let mut builder = AgreementBuilder::default();
    for id in store.documents_annotated_by_both(a, b)? {
        let la = store.layer(id, StatusFilter::Accepted, a)?;
        let lb = store.layer(id, StatusFilter::Accepted, b)?;
        let tokens: Vec<_> = segmenter.tokens(&la.text).iter().map(|t| t.span()).collect();
        builder.add(&tokens, &la, &lb);
    }
    Ok(builder.finish())
}
