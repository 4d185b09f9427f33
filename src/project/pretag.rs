//! Pre-tagging a project: build the tagger from the project's user dictionary,
//! gazetteer and model; tag on every core and store the suggestions in batches.

use crate::Result;
use crate::model::{ANNOTATOR_PRETAG, DocumentId, NewEntity, Status};
use crate::pretag::{Gazetteer, Pretagger};
use crate::store::{DocumentSuggestions, Store, SuggestionChange};

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

/// A batch ends at this many documents or characters, whichever comes first: about a
/// second of tagging on two cores, one transaction and one sync.
const BATCH_DOCUMENTS: usize = 500;
const BATCH_CHARS: usize = 400_000;

/// Pre-tags `documents` (all of them for `None`) and stores the suggestions. Documents are
/// tagged in parallel, a worker per core, and written in batches, one transaction each:
/// a crash loses at most the batch in flight, and other writers (the app) get their turn
/// between batches. Reports progress as `(done, total)`.
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
    let n_workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let mut total = SuggestionChange::default();
    let mut done = 0;
    let mut next = 0;
    // The next batch's texts are read and sent off before this batch is written, so that
    // tagging (on the workers) and writing (here, on the one connection) overlap.
    let read_batch = |store: &Store, next: &mut usize| -> Result<Vec<(DocumentId, String)>> {
        let mut texts = Vec::new();
        let mut n_chars = 0;
        while *next < ids.len() && texts.len() < BATCH_DOCUMENTS && (texts.is_empty() || n_chars < BATCH_CHARS) {
            let text = store.document_text(ids[*next])?;
            n_chars += text.len() / 3;
            texts.push((ids[*next], text));
            *next += 1;
        }
        Ok(texts)
    };
    std::thread::scope(|scope| -> Result<()> {
        let (texts_tx, texts_rx) = std::sync::mpsc::sync_channel::<Vec<(DocumentId, String)>>(1);
        let (tagged_tx, tagged_rx) = std::sync::mpsc::sync_channel::<Vec<DocumentSuggestions>>(1);
        scope.spawn(move || {
            for texts in texts_rx {
                if tagged_tx.send(tag_in_parallel(tagger, &texts, n_workers)).is_err() {
                    break;
                }
            }
        });
        let mut in_flight = 0;
        loop {
            if next < ids.len() && in_flight < 2 {
                let texts = read_batch(store, &mut next)?;
                if texts_tx.send(texts).is_err() {
                    break;
                }
                in_flight += 1;
                continue;
            }
            if in_flight == 0 {
                break;
            }
            let Ok(batch) = tagged_rx.recv() else { break };
            in_flight -= 1;
            total.add(store.replace_suggestions_batch(&batch)?);
            done += batch.len();
            on_progress(done, ids.len());
        }
        Ok(())
    })?;
    if done < ids.len() {
        return Err(crate::Error::Invalid(
            "pre-tagging stopped: the tagging thread ended early".to_owned(),
        ));
    }
    Ok((ids.len(), total))
}

/// The suggestions of each text, in order, from up to `n_workers` threads.
fn tag_in_parallel(tagger: &Pretagger, texts: &[(DocumentId, String)], n_workers: usize) -> Vec<DocumentSuggestions> {
    let suggest = |(id, text): &(DocumentId, String)| {
        let tagged = tagger.tag_all(text);
        DocumentSuggestions {
            document_id: *id,
            suggestions: tagged
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
                .collect(),
            relations: tagged.relations,
        }
    };
    if n_workers <= 1 || texts.len() <= 1 {
        return texts.iter().map(suggest).collect();
    }
    // Contiguous shares of about equal length in characters, so the workers finish together.
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut shares: Vec<&[(DocumentId, String)]> = Vec::with_capacity(n_workers);
    let (mut start, mut size) = (0, 0);
    for (i, (_, text)) in texts.iter().enumerate() {
        size += text.len();
        if size * n_workers >= total * (shares.len() + 1) && shares.len() + 1 < n_workers {
            shares.push(&texts[start..=i]);
            start = i + 1;
        }
    }
    shares.push(&texts[start..]);
    std::thread::scope(|scope| {
        let workers: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(move || share.iter().map(suggest).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
