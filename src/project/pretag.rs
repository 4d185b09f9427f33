//! Pre-tagging a project: build the tagger from the project's user dictionary,
//! gazetteer and model, and store each document's suggestions in its own transaction.

use crate::Result;
use crate::model::{ANNOTATOR_PRETAG, DocumentId, NewEntity, Status};
use crate::pretag::{Gazetteer, Pretagger};
use crate::store::{Store, SuggestionChange};

/// The project's tagger: its user dictionary, its gazetteer, and its model when the model
/// won its gate ([`super::train::project_tagger`]).
pub fn tagger_for(store: &Store) -> Result<Pretagger> {
    Ok(super::train::project_tagger(store)?.0)
}

/// The project's rules: its user dictionary and its gazetteer, no model.
pub fn rules_tagger_for(store: &Store) -> Result<Pretagger> {
    let (accepted, rejected) = store.gazetteer_strings()?;
    Ok(Pretagger::with_user_dict(&store.user_dict()?).with_gazetteer(Gazetteer::new(accepted, rejected)))
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
        let tagged = tagger.tag_all(&text);
        let suggestions: Vec<NewEntity> = tagged
            .entities
            .into_iter()
            .map(|s| NewEntity {
                char_start: s.char_start,
                char_end: s.char_end,
                label: s.label.to_owned(),
                status: Status::Suggested,
                source: s.source.to_owned(),
                confidence: Some(s.confidence),
                annotator: ANNOTATOR_PRETAG.to_owned(),
            })
            .collect();
        let change = store.replace_suggestions(*id, &suggestions, &tagged.relations)?;
        total.add(change);
        on_progress(i + 1, ids.len());
    }
    Ok((ids.len(), total))
}
