//! Learning from accepted annotations: training by hand (Ctrl+T) or by itself after every
//! N documents marked done, one run at a time with at most one waiting, and what the app
//! reads again after a run: the tagger's verdict, the learning curve, the document list.

use super::App;
use crate::gui::i18n::{tr, trf};
use crate::gui::tasks::{Task, TaskKind, training_message};
use crate::gui::windows::statistics::LearningCurve;
use crate::project::train::{TrainRequest, train_and_resuggest};
use crate::store::Store;

/// The project's meta key of the retraining setting, and of the count towards it, so that
/// both survive a restart.
const RETRAIN_EVERY_KEY: &str = "gui.retrain_every";
const DONE_SINCE_KEY: &str = "gui.retrain_done_since";

/// Retrain after this many documents marked done, unless the project says otherwise.
pub(in crate::gui) const DEFAULT_RETRAIN_EVERY: usize = 5;

/// When the app trains by itself: after every `every` documents marked done (0: never).
/// Only one task runs at a time; a run asked for meanwhile waits, and at most one waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::gui) struct Retrain {
    pub every: usize,
    /// Documents marked done since the last run started.
    pub done_since: usize,
    /// A run waits for the running task to end.
    pub queued: bool,
}

/// What to do about a run that was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::gui) enum Start {
    /// Nothing yet.
    No,
    /// Start it now.
    Now,
    /// Another task runs: it waits (with any run already waiting, as one).
    Queued,
}

impl Default for Retrain {
    fn default() -> Self {
        Retrain {
            every: DEFAULT_RETRAIN_EVERY,
            done_since: 0,
            queued: false,
        }
    }
}

impl Retrain {
    /// The setting and the count saved in the project.
    pub fn read(store: &Store) -> anyhow::Result<Retrain> {
        let number = |key: &str| -> anyhow::Result<Option<usize>> {
            Ok(store.meta(key)?.and_then(|value| value.trim().parse().ok()))
        };
        Ok(Retrain {
            every: number(RETRAIN_EVERY_KEY)?.unwrap_or(DEFAULT_RETRAIN_EVERY),
            done_since: number(DONE_SINCE_KEY)?.unwrap_or(0),
            queued: false,
        })
    }

    /// A document was marked done; `busy` is whether a task runs.
    pub fn marked_done(&mut self, busy: bool) -> Start {
        if self.every == 0 {
            return Start::No;
        }
        self.done_since += 1;
        if self.done_since < self.every {
            return Start::No;
        }
        self.request(busy)
    }

    /// A run is asked for, by hand or by the count.
    pub fn request(&mut self, busy: bool) -> Start {
        if busy {
            self.queued = true;
            Start::Queued
        } else {
            self.done_since = 0;
            Start::Now
        }
    }

    /// The running task ended: whether the waiting run starts now.
    pub fn task_ended(&mut self) -> bool {
        let start = std::mem::take(&mut self.queued);
        if start {
            self.done_since = 0;
        }
        start
    }
}

/// Which tagger the project uses and why, in one line.
pub(in crate::gui) fn read_verdict(store: &Store) -> anyhow::Result<String> {
    Ok(crate::project::train::verdict(store)?)
}

impl App {
    /// The Train command: now, or once the running task ends.
    pub(super) fn train(&mut self) -> anyhow::Result<()> {
        match self.retrain.request(self.task.is_some()) {
            Start::Now => self.start_training(),
            Start::Queued => {
                self.queued_note();
                Ok(())
            }
            Start::No => Ok(()),
        }
    }

    fn queued_note(&mut self) {
        if let Some(task) = &self.task {
            self.message = trf("training waits for {task} to finish", &[("task", &task.name)]);
        }
    }

    /// Trains in the background, or here for a project in memory.
    fn start_training(&mut self) -> anyhow::Result<()> {
        self.save_done_since()?;
        match self.on_disk() {
            Some(db) => self.task = Some(Task::train(db, &self.ctx.clone().unwrap_or_default())?),
            None => {
                let (outcome, n) = train_and_resuggest(&mut self.store, &TrainRequest::default(), &mut |_, _| {})?;
                self.message = training_message(&outcome, n);
                self.reload()?;
                self.refresh_documents()?;
                self.refresh_learning()?;
            }
        }
        Ok(())
    }

    pub(super) fn set_retrain_every(&mut self, every: usize) -> anyhow::Result<()> {
        self.store.set_meta(RETRAIN_EVERY_KEY, &every.to_string())?;
        self.retrain.every = every;
        self.message = match every {
            0 => tr("the tagger retrains only when asked (Train now)").to_owned(),
            n => trf(
                "the tagger retrains after every {n} documents marked done",
                &[("n", &n.to_string())],
            ),
        };
        Ok(())
    }

    /// Counts a document newly marked done, and trains when the count is reached.
    pub(super) fn count_marked_done(&mut self) -> anyhow::Result<()> {
        let start = self.retrain.marked_done(self.task.is_some());
        match start {
            Start::Now => self.start_training(),
            Start::Queued => {
                self.queued_note();
                self.save_done_since()
            }
            Start::No => self.save_done_since(),
        }
    }

    fn save_done_since(&mut self) -> anyhow::Result<()> {
        Ok(self
            .store
            .set_meta(DONE_SINCE_KEY, &self.retrain.done_since.to_string())?)
    }

    /// After a background task ended and the app read the project again: what a training
    /// run changed, then the run that waited, if one did.
    pub(super) fn after_task(&mut self, kind: TaskKind) -> anyhow::Result<()> {
        if kind == TaskKind::Train {
            self.refresh_learning()?;
        }
        if self.retrain.task_ended() {
            let message = std::mem::take(&mut self.message);
            self.start_training()?;
            if self.task.is_some() {
                self.message = message;
            }
        }
        Ok(())
    }

    /// Reads the tagger's verdict again, and the learning curve if the statistics show.
    pub(super) fn refresh_learning(&mut self) -> anyhow::Result<()> {
        self.tagger_verdict = read_verdict(&self.store)?;
        if let Some(stats) = &mut self.windows.stats {
            stats.curve = LearningCurve::read(&self.store)?;
            stats.verdict.clone_from(&self.tagger_verdict);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Retrain, Start};

    fn every(n: usize) -> Retrain {
        Retrain {
            every: n,
            ..Retrain::default()
        }
    }

    #[test]
    fn a_run_starts_at_every_nth_document_marked_done() {
        let mut retrain = every(3);
        assert_eq!(retrain.marked_done(false), Start::No);
        assert_eq!(retrain.marked_done(false), Start::No);
        assert_eq!(retrain.marked_done(false), Start::Now);
        assert_eq!(retrain.done_since, 0, "the count starts again");
        assert_eq!(retrain.marked_done(false), Start::No);
        assert_eq!(retrain.marked_done(false), Start::No);
        assert_eq!(retrain.marked_done(false), Start::Now);
    }

    #[test]
    fn zero_turns_retraining_off() {
        let mut retrain = every(0);
        for _ in 0..20 {
            assert_eq!(retrain.marked_done(false), Start::No);
        }
        assert_eq!(retrain.request(false), Start::Now, "training by hand still works");
    }

    #[test]
    fn while_a_task_runs_at_most_one_run_waits() {
        let mut retrain = every(2);
        retrain.marked_done(true);
        assert_eq!(retrain.marked_done(true), Start::Queued);
        assert_eq!(retrain.marked_done(true), Start::Queued);
        assert_eq!(
            retrain.request(true),
            Start::Queued,
            "asking by hand joins the waiting run"
        );
        assert!(retrain.queued);
        assert!(retrain.task_ended(), "the waiting run starts when the task ends");
        assert_eq!(retrain.done_since, 0);
        assert!(!retrain.task_ended(), "and only one did wait");
    }

    #[test]
    fn training_by_hand_starts_the_count_again() {
        let mut retrain = every(5);
        for _ in 0..4 {
            retrain.marked_done(false);
        }
        assert_eq!(retrain.request(false), Start::Now);
        assert_eq!(
            retrain.marked_done(false),
            Start::No,
            "the count starts from the run by hand"
        );
        assert_eq!(retrain.done_since, 1);
    }
}
