//! Reviewing two annotators on the open document: moving between their differences and
//! settling each one in the gold layer, replacing an earlier decision there.

use super::App;
use crate::gui::command::{Decision, ReviewCommand};
use crate::gui::i18n::{tr, trf};
use crate::gui::windows::review::Review;
use crate::model::{EntityId, NewEntity, SOURCE_ADJUDICATION, Status, StatusFilter};

impl App {
    /// Runs one review command.
    pub(super) fn apply_review(&mut self, command: ReviewCommand) -> anyhow::Result<()> {
        match command {
            ReviewCommand::StartReview { a, b } => self.start_review(a, b),
            ReviewCommand::CloseReview => {
                self.review = None;
                self.reload()
            }
            ReviewCommand::ReviewMove { forward } => {
                self.review_move(forward);
                Ok(())
            }
            ReviewCommand::Adjudicate(decision) => self.adjudicate(decision),
        }
    }

    pub(super) fn start_review(&mut self, a: String, b: String) -> anyhow::Result<()> {
        anyhow::ensure!(a != b, tr("choose two different annotators"));
        self.review = Some(Review {
            a,
            b,
            items: Vec::new(),
            cursor: 0,
        });
        self.selected = None;
        self.reload()
    }

    pub(super) fn review_move(&mut self, forward: bool) {
        if let Some(review) = &mut self.review
            && !review.items.is_empty()
        {
            let n = review.items.len();
            review.cursor = if forward {
                (review.cursor + 1) % n
            } else {
                (review.cursor + n - 1) % n
            };
        }
    }

    /// Writes the reviewer's decision on the current difference into the gold layer,
    /// replacing an earlier decision there, and moves to the next undecided one.
    pub(super) fn adjudicate(&mut self, decision: Decision) -> anyhow::Result<()> {
        let Some(review) = &self.review else { return Ok(()) };
        let Some(item) = review.items.get(review.cursor).cloned() else {
            return Ok(());
        };
        let Some(document_id) = self.current_document() else {
            return Ok(());
        };
        let (label, status) = match decision {
            Decision::AcceptA => (
                item.label_a
                    .clone()
                    .ok_or_else(|| anyhow::anyhow!(trf("{annotator} has no span here", &[("annotator", &review.a)])))?,
                Status::Accepted,
            ),
            Decision::AcceptB => (
                item.label_b
                    .clone()
                    .ok_or_else(|| anyhow::anyhow!(trf("{annotator} has no span here", &[("annotator", &review.b)])))?,
                Status::Accepted,
            ),
            Decision::Edit => (self.current_label.clone(), Status::Accepted),
            Decision::Reject => (
                item.label_a.clone().or(item.label_b.clone()).unwrap_or_default(),
                Status::Rejected,
            ),
        };
        let earlier: Vec<EntityId> = self
            .store
            .entities(document_id, StatusFilter::All)?
            .into_iter()
            .filter(|e| e.annotator == crate::model::ANNOTATOR_GOLD && e.span().overlaps(item.span))
            .map(|e| e.id)
            .collect();
        let mut edit = self.store.edit("adjudicate", crate::model::ANNOTATOR_GOLD)?;
        for id in earlier {
            edit.delete_entity(id)?;
        }
        edit.add_entity(
            document_id,
            &NewEntity {
                char_start: item.span.char_start,
                char_end: item.span.char_end,
                label,
                status,
                source: SOURCE_ADJUDICATION.to_owned(),
                confidence: None,
                annotator: crate::model::ANNOTATOR_GOLD.to_owned(),
            },
        )?;
        edit.commit()?;
        self.reload()?;
        if let Some(review) = &mut self.review
            && !review.items.is_empty()
        {
            review.cursor = (review.cursor + 1).min(review.items.len() - 1);
        }
        Ok(())
    }
}
