//! Long work on a named thread with its own connection to the project file: importing,
//! pre-tagging, exporting and training. The UI polls it each frame and shows its progress.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::gui::i18n::{self, tr, trf};
use crate::project::import::{ReadOptions, import_paths};
use crate::project::pretag::{pretag_documents, tagger_for};
use crate::project::train::{TrainOutcome, TrainRequest, train_and_resuggest};
use crate::store::Store;

/// What a task does, for what the app reads again when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    Import,
    Pretag,
    Export,
    Train,
}

/// Work running in the background.
pub struct Task {
    pub name: String,
    pub kind: TaskKind,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    handle: JoinHandle<anyhow::Result<String>>,
}

impl Task {
    /// `(done, total)` so far.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The task's closing message, or its error. Call once it is finished.
    pub fn join(self) -> anyhow::Result<String> {
        self.handle.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(trf(
                "the {task} thread stopped unexpectedly",
                &[("task", &self.name)]
            )))
        })
    }

    fn spawn(
        name: &str,
        kind: TaskKind,
        ctx: &egui::Context,
        work: impl FnOnce(&mut dyn FnMut(usize, usize)) -> anyhow::Result<String> + Send + 'static,
    ) -> std::io::Result<Task> {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (thread_done, thread_total, ctx) = (Arc::clone(&done), Arc::clone(&total), ctx.clone());
        // The task speaks the language of the app that started it.
        let lang = i18n::current();
        let handle = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
            i18n::set_current(lang);
            let mut report = |d: usize, t: usize| {
                thread_done.store(d, Ordering::Relaxed);
                thread_total.store(t, Ordering::Relaxed);
                ctx.request_repaint();
            };
            let result = work(&mut report);
            ctx.request_repaint();
            result
        })?;
        Ok(Task {
            name: name.to_owned(),
            kind,
            done,
            total,
            handle,
        })
    }

    /// Pre-tags every document of the project at `db`.
    pub fn pretag(db: PathBuf, ctx: &egui::Context) -> std::io::Result<Task> {
        Task::spawn(tr("pre-tagging"), TaskKind::Pretag, ctx, move |report| {
            let mut store = Store::open_existing(&db)?;
            let tagger = tagger_for(&store)?;
            let (n, change) = pretag_documents(&mut store, &tagger, None, report)?;
            Ok(trf(
                "pre-tagged {n} documents: {added} suggestions added, {removed} removed",
                &[
                    ("n", &n.to_string()),
                    ("added", &change.n_added.to_string()),
                    ("removed", &change.n_removed.to_string()),
                ],
            ))
        })
    }

    /// Trains the tagger of the project at `db` on its complete documents and, if the model
    /// beat the rules, re-suggests the untouched documents with it.
    pub fn train(db: PathBuf, ctx: &egui::Context) -> std::io::Result<Task> {
        Task::spawn(tr("training"), TaskKind::Train, ctx, move |report| {
            let mut store = Store::open_existing(&db)?;
            // Writes begin IMMEDIATE and re-suggesting goes in batches, so the annotator's
            // edits and this task take turns at the write lock.
            let (outcome, n) = train_and_resuggest(&mut store, &TrainRequest::default(), report)?;
            Ok(training_message(&outcome, n))
        })
    }

    /// Exports the project at `db`.
    pub fn export(
        db: PathBuf,
        format: crate::formats::Format,
        options: crate::formats::ExportOptions,
        path: PathBuf,
        ctx: &egui::Context,
    ) -> std::io::Result<Task> {
        Task::spawn(tr("exporting"), TaskKind::Export, ctx, move |report| {
            let store = Store::open_existing(&db)?;
            let summary = crate::project::export::export_to_path(&store, format, &options, &path, report)?;
            let outputs: Vec<String> = summary.outputs.iter().map(|p| p.display().to_string()).collect();
            Ok(trf(
                "exported {documents} documents, {entities} entities, {relations} relations as {format} to {path}",
                &[
                    ("documents", &summary.n_documents.to_string()),
                    ("entities", &summary.n_entities.to_string()),
                    ("relations", &summary.n_relations.to_string()),
                    ("format", format.name()),
                    ("path", &outputs.join(", ")),
                ],
            ))
        })
    }

    /// Imports files and folders into the project at `db`, then pre-tags what came in.
    pub fn import(db: PathBuf, paths: Vec<PathBuf>, annotator: String, ctx: &egui::Context) -> std::io::Result<Task> {
        Task::spawn(tr("importing"), TaskKind::Import, ctx, move |report| {
            let mut store = Store::open_existing(&db)?;
            let before: std::collections::HashSet<_> = store.documents()?.into_iter().map(|d| d.id).collect();
            let result = import_paths(&mut store, &paths, &ReadOptions::new(&annotator), &mut |p| {
                report(
                    p.file_index * 1000 + p.n_documents_done * 1000 / p.n_documents_in_file.max(1),
                    p.n_files * 1000,
                )
            });
            let new: Vec<_> = store
                .documents()?
                .into_iter()
                .map(|d| d.id)
                .filter(|id| !before.contains(id))
                .collect();
            let tagger = tagger_for(&store)?;
            pretag_documents(&mut store, &tagger, Some(&new), report)?;
            let total = result.total();
            let mut message = trf(
                "imported {documents} ({unchanged} unchanged, {extended} extended) and pre-tagged them",
                &[
                    (
                        "documents",
                        &i18n::count(total.n_documents_added, "document", "documents", "{n} 篇文档"),
                    ),
                    ("unchanged", &total.n_documents_unchanged.to_string()),
                    ("extended", &total.n_documents_extended.to_string()),
                ],
            );
            let mut warnings = result.files.iter().flat_map(|f| f.warnings.iter().map(move |w| (f, w)));
            if let Some((file, first)) = warnings.next() {
                let said = trf(
                    "{n} warnings, first: {first} in {file}",
                    &[
                        ("n", &(warnings.count() + 1).to_string()),
                        ("first", &first.to_string()),
                        ("file", &file.path.display().to_string()),
                    ],
                );
                message = format!("{message}; {said}");
            }
            if let Some(error) = result.errors.first() {
                let said = trf(
                    "{files} failed, first: {error}",
                    &[
                        (
                            "files",
                            &i18n::count(result.errors.len(), "file", "files", "{n} 个文件"),
                        ),
                        ("error", &error.to_string()),
                    ],
                );
                message = format!("{message}; {said}");
                return Err(anyhow::anyhow!(message));
            }
            Ok(message)
        })
    }
}

/// What a training run closes with: its size, the verdict with both scores, and what it
/// re-suggested.
pub fn training_message(outcome: &TrainOutcome, n_resuggested: usize) -> String {
    let r = &outcome.report;
    let mut message = trf(
        "trained on {documents} documents ({sentences} sentences) in {seconds}s — {verdict}",
        &[
            ("documents", &r.n_documents.to_string()),
            ("sentences", &r.n_sentences.to_string()),
            ("seconds", &format!("{:.1}", r.train_seconds)),
            ("verdict", &r.verdict()),
        ],
    );
    if r.model_wins() {
        message.push_str(&trf(
            "; re-suggested {n} untouched documents",
            &[("n", &n_resuggested.to_string())],
        ));
    }
    if outcome.n_unreviewed > 0 {
        message.push_str(&trf(
            "; {n} documents with suggestions left to review were left out (mark them done)",
            &[("n", &outcome.n_unreviewed.to_string())],
        ));
    }
    message
}

/// Whether `error` is SQLite's "database is locked": another connection wrote between a
/// transaction's reads and its first write. The transaction rolled back, so doing it again
/// is safe.
pub fn is_busy(error: &anyhow::Error) -> bool {
    error.downcast_ref::<crate::Error>().is_some_and(crate::Error::is_busy)
}

/// Runs `work` again, a few times with a growing pause, while it fails for another writer.
pub fn retry_busy<T>(mut work: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let mut tries = 0;
    loop {
        match work() {
            Err(e) if is_busy(&e) && tries < 3 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(5 * tries));
            }
            result => return result,
        }
    }
}

/// A thread that looks, about once a second, whether anything wrote to the project at `db`
/// (SQLite's `data_version` on a connection of its own) and then wakes the app, which
/// otherwise draws nothing while idle. Stops when dropped.
pub struct Watcher {
    changed: Arc<std::sync::atomic::AtomicBool>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Watcher {
    pub fn start(db: PathBuf, ctx: egui::Context) -> Option<Watcher> {
        let changed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (thread_changed, thread_stop) = (Arc::clone(&changed), Arc::clone(&stop));
        std::thread::Builder::new()
            .name("watching the project".to_owned())
            .spawn(move || {
                let Ok(store) = Store::open_existing(&db) else { return };
                let mut seen = store.data_version().ok();
                while !thread_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    let now = store.data_version().ok();
                    if now != seen {
                        seen = now;
                        thread_changed.store(true, Ordering::Relaxed);
                        ctx.request_repaint();
                    }
                }
            })
            .ok()?;
        Some(Watcher { changed, stop })
    }

    /// Whether something wrote since the last call.
    pub fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
