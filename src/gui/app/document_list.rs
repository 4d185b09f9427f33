//! The document list as far as it has been read: how many documents pass the filter, and
//! the lines around the visible ones. The list is virtual: drawing asks for the rows it
//! shows ([`ViewCommand::ShowDocuments`]) when they are not read yet, and `apply` reads
//! them as one page from the store. An edit re-reads only its document's line.
//!
//! In id order over every document a page is one query by position. Most uncertain first,
//! or with a scope other than all (a team server's "mine" and "to review"), the list is a
//! snapshot of ids taken when the order or scope is chosen (and after imports, pre-tagging,
//! training and claims), and a page is the lines of a slice of it: edits never move a line.
//!
//! [`ViewCommand::ShowDocuments`]: crate::gui::command::ViewCommand::ShowDocuments

use std::ops::Range;

use super::App;
use crate::gui::command::{DocumentOrder, DocumentScope};
use crate::model::{DocStatus, DocumentId, ListScope};
use crate::store::DocumentSummary;

/// Lines read beyond each end of the visible ones, so that scrolling reads a page only
/// now and then.
const MARGIN: usize = 32;

/// The lines of the document list that have been read.
#[derive(Debug, Default)]
pub(in crate::gui) struct DocumentList {
    /// The filter the count and the lines were read with (trimmed).
    pub filter: String,
    /// How many documents pass the filter.
    pub count: usize,
    pub order: DocumentOrder,
    pub scope: DocumentScope,
    /// The snapshot, unless the list is in id order over every document: the documents in
    /// the scope that pass the filter, in the list's order, with (most uncertain first) the
    /// least confidence among their suggestions when the snapshot was taken.
    ranked: Vec<(DocumentId, Option<f64>)>,
    /// The positions that were read, and their lines: `page[i]` is at `read.start + i`.
    read: Range<usize>,
    page: Vec<DocumentSummary>,
}

impl DocumentList {
    /// Whether the list is a snapshot of ids rather than pages read by position.
    pub fn is_snapshot(&self) -> bool {
        self.order == DocumentOrder::Uncertainty || self.scope != DocumentScope::All
    }

    /// The line at `position`, if it has been read.
    pub fn line(&self, position: usize) -> Option<&DocumentSummary> {
        position.checked_sub(self.read.start).and_then(|i| self.page.get(i))
    }

    /// Whether the lines at `rows` have been read with `filter`.
    pub fn covers(&self, filter: &str, rows: &Range<usize>) -> bool {
        let end = rows.end.min(self.count);
        filter == self.filter && (rows.start >= end || (self.read.start <= rows.start && end <= self.read.end))
    }

    /// The least confidence among the suggestions of the line at `position` when the
    /// uncertain order was taken.
    pub fn least_confidence(&self, position: usize) -> Option<f64> {
        match self.order {
            DocumentOrder::Id => None,
            DocumentOrder::Uncertainty => self.ranked.get(position).and_then(|r| r.1),
        }
    }

    /// The documents of the lines read, in order.
    pub fn ids(&self) -> Vec<DocumentId> {
        self.page.iter().map(|line| line.id).collect()
    }

    /// Puts a line read again in place, if it is among those read.
    pub fn replace_line(&mut self, line: DocumentSummary) {
        if let Some(old) = self.page.iter_mut().find(|old| old.id == line.id) {
            *old = line;
        }
    }
}

impl App {
    /// The store's scope for the list's: "mine" is the current annotator's.
    fn list_scope(&self) -> anyhow::Result<ListScope> {
        Ok(match self.list.scope {
            DocumentScope::All => ListScope::All,
            DocumentScope::Mine => ListScope::Mine(self.annotator()?),
            DocumentScope::ToReview => ListScope::ToReview,
        })
    }

    /// Counts the documents that pass `filter`, taking the snapshot unless the list is in id
    /// order over every document.
    fn count_documents(&mut self, filter: &str) -> anyhow::Result<()> {
        let scope = self.list_scope()?;
        self.list.ranked = match (self.list.order, &scope) {
            (DocumentOrder::Id, ListScope::All) => {
                self.list.ranked = Vec::new();
                self.list.count = self.store.document_count(filter)?;
                return Ok(());
            }
            (DocumentOrder::Id, _) => self
                .store
                .document_ids_in(&scope, filter)?
                .into_iter()
                .map(|id| (id, None))
                .collect(),
            (DocumentOrder::Uncertainty, ListScope::All) => self.store.documents_by_uncertainty(filter)?,
            (DocumentOrder::Uncertainty, _) => {
                let within: std::collections::HashSet<DocumentId> =
                    self.store.document_ids_in(&scope, filter)?.into_iter().collect();
                let mut ranked = self.store.documents_by_uncertainty(filter)?;
                ranked.retain(|(id, _)| within.contains(id));
                ranked
            }
        };
        self.list.count = self.list.ranked.len();
        Ok(())
    }

    /// Reads the count of documents and the lines shown again: on opening, and after
    /// imports, pre-tagging and training (a new uncertain order too).
    pub(super) fn refresh_documents(&mut self) -> anyhow::Result<()> {
        let filter = self.list.filter.clone();
        self.count_documents(&filter)?;
        let rows = if self.list.read.is_empty() {
            0..2 * MARGIN
        } else {
            self.list.read.clone()
        };
        self.read_lines(rows)
    }

    /// The list in another order, read from the top.
    pub(super) fn order_documents(&mut self, order: DocumentOrder) -> anyhow::Result<()> {
        self.list.order = order;
        self.list.read = 0..0;
        self.list.page.clear();
        self.refresh_documents()
    }

    /// The list over another scope, read from the top; the scope stays as it was when
    /// that fails ("mine" before an annotator name is entered).
    pub(super) fn scope_documents(&mut self, scope: DocumentScope) -> anyhow::Result<()> {
        let before = std::mem::replace(&mut self.list.scope, scope);
        if let Err(e) = self.list_scope() {
            self.list.scope = before;
            return Err(e);
        }
        self.list.read = 0..0;
        self.list.page.clear();
        self.refresh_documents()
    }

    /// Reads the lines read so far again, in one query by their ids: after edits that reach
    /// beyond the open document, which never add or remove documents, so the count stands.
    pub(super) fn refresh_lines(&mut self) -> anyhow::Result<()> {
        let (Some(first), Some(last)) = (self.list.page.first(), self.list.page.last()) else {
            return Ok(());
        };
        if self.list.is_snapshot() {
            let lines = self.store.document_summaries(&self.list.ids())?;
            if lines.len() != self.list.page.len() {
                return self.refresh_documents();
            }
            self.list.page = lines;
            return Ok(());
        }
        let progress = self.store.document_progress(&self.list.filter, first.id, last.id)?;
        let same = progress.len() == self.list.page.len()
            && progress
                .iter()
                .zip(&self.list.page)
                .all(|((id, ..), line)| *id == line.id);
        if !same {
            // Documents came or went meanwhile (an import in the background): read afresh.
            return self.refresh_documents();
        }
        for ((_, status, [n_suggested, n_accepted, n_rejected, n_suggested_relations]), line) in
            progress.into_iter().zip(&mut self.list.page)
        {
            line.status = status;
            line.n_suggested = n_suggested;
            line.n_accepted = n_accepted;
            line.n_rejected = n_rejected;
            line.n_suggested_relations = n_suggested_relations;
        }
        Ok(())
    }

    /// Reads one document's line again, after an edit of that document.
    pub(super) fn refresh_document_line(&mut self, id: DocumentId) -> anyhow::Result<()> {
        if self.list.page.iter().any(|line| line.id == id) {
            let line = self.store.document_summary(id)?;
            self.list.replace_line(line);
        }
        Ok(())
    }

    /// Reads the lines at `rows` (and a margin), with the filter as typed.
    pub(super) fn show_documents(&mut self, rows: Range<usize>) -> anyhow::Result<()> {
        let filter = self.drafts.document_filter.trim().to_owned();
        if filter != self.list.filter {
            self.count_documents(&filter)?;
            self.list.filter = filter;
            self.list.read = 0..0;
            self.list.page.clear();
        }
        if !self.list.covers(&self.list.filter, &rows) {
            self.read_lines(rows.start.saturating_sub(MARGIN)..rows.end + MARGIN)?;
        }
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
        Ok(())
    }

    fn read_lines(&mut self, rows: Range<usize>) -> anyhow::Result<()> {
        let end = rows.end.min(self.list.count);
        let start = rows.start.min(end);
        self.list.page = if self.list.is_snapshot() {
            let ids: Vec<DocumentId> = self.list.ranked[start..end].iter().map(|r| r.0).collect();
            self.store.document_summaries(&ids)?
        } else {
            self.store.document_page(&self.list.filter, start, end - start)?
        };
        self.list.read = start..end;
        Ok(())
    }

    /// The document to open after `current` is marked done: on a team server the
    /// annotator's next claim (their unfinished one, else a new slot); elsewhere, or when
    /// nothing is assigned to them, the next one not done in the list's order, from the
    /// top again after the last.
    pub(super) fn next_to_do(&mut self, current: DocumentId) -> anyhow::Result<Option<DocumentId>> {
        if self.store.is_server() {
            let annotator = self.annotator()?;
            let mut claimed = self.store.claim_next(&annotator)?;
            if claimed == Some(current) {
                // The document just marked done was no claim of theirs: its slot is
                // theirs now, finished, and the next claim is another document.
                self.store.finish_claim(current, &annotator, true)?;
                claimed = self.store.claim_next(&annotator)?;
            }
            if self.list.scope != DocumentScope::All {
                // The claim may add a line to "mine" (and finishing one to "to review").
                self.refresh_documents()?;
            }
            let mine = ListScope::Mine(annotator);
            if claimed.is_some() || !self.store.document_ids_in(&mine, "")?.is_empty() {
                return Ok(claimed);
            }
        }
        self.next_in_list(current)
    }

    fn next_in_list(&self, current: DocumentId) -> anyhow::Result<Option<DocumentId>> {
        if !self.list.is_snapshot() {
            return Ok(match self.store.next_document_to_do(Some(current))? {
                Some(next) => Some(next),
                None => self.store.next_document_to_do(None)?,
            });
        }
        let ids: Vec<DocumentId> = self.list.ranked.iter().map(|r| r.0).collect();
        let after = ids.iter().position(|id| *id == current).map_or(0, |i| i + 1);
        let (tail, head) = ids.split_at(after.min(ids.len()));
        for chunk in head.chunks(MARGIN).chain(tail.chunks(MARGIN)) {
            let lines = self.store.document_summaries(chunk)?;
            if let Some(line) = lines.iter().find(|l| l.id != current && l.status != DocStatus::Done) {
                return Ok(Some(line.id));
            }
        }
        Ok(None)
    }
}
