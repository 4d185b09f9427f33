//! Long work on a named thread with its own connection to the project (a file or a
//! server): importing, pre-tagging, exporting and training. The UI polls it each frame and
//! shows its progress. And the watcher, which wakes the app when someone else writes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::gui::i18n::{self, tr, trf};
use crate::project::import::{ReadOptions, import_paths};
use crate::project::pretag::{pretag_documents, tagger_for};
use crate::project::train::{TrainOutcome, TrainRequest, train_and_resuggest};
use crate::store::{Listener, Store};

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
            let mut message = trf(
                "exported {documents} documents, {entities} entities, {relations} relations as {format} to {path}",
                &[
                    ("documents", &summary.n_documents.to_string()),
                    ("entities", &summary.n_entities.to_string()),
                    ("relations", &summary.n_relations.to_string()),
                    ("format", format.name()),
                    ("path", &outputs.join(", ")),
                ],
            );
            if summary.mixed.n_documents > 0 {
                message.push_str(&trf(
                    "; {n} documents hold more than one annotator's layer ({annotators}), written together",
                    &[
                        ("n", &summary.mixed.n_documents.to_string()),
                        ("annotators", &summary.mixed.annotators.join(", ")),
                    ],
                ));
            }
            Ok(message)
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

/// Whether `error` is a lost connection to the server, which the store makes again for
/// the next request.
pub fn is_disconnected(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<crate::Error>()
        .is_some_and(crate::Error::is_disconnected)
}

/// Runs `work` again, a few times with a growing pause, while it fails for another writer;
/// and once more when the connection to the server was lost (an idle connection learns that
/// only from the request that fails: usually its BEGIN, before anything was written; an
/// edit of rows the app holds that did reach the server meets its own stale check).
pub fn retry_busy<T>(mut work: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<T> {
    let mut tries = 0;
    let mut reconnected = false;
    loop {
        match work() {
            Err(e) if is_busy(&e) && tries < 3 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(5 * tries));
            }
            Err(e) if is_disconnected(&e) && !reconnected => reconnected = true,
            result => return result,
        }
    }
}

/// A thread that wakes the app, which otherwise draws nothing while idle, when someone
/// else wrote to the project at `db`. On a file it looks about once a second at SQLite's
/// `data_version` on a connection of its own. On a server it listens for the project's
/// notifications, leaving out those of the app's own connection (`own_backend`, kept up
/// to date with [`Watcher::set_own_backend`]), and wakes
/// the app at once; when the connection drops it connects again, backing off from 0.5 s
/// to 5 s, and catches up through the change counter. Stops when dropped.
pub struct Watcher {
    shared: Arc<WatcherFlags>,
}

#[derive(Default)]
struct WatcherFlags {
    changed: AtomicBool,
    reconnected: AtomicBool,
    stop: AtomicBool,
    /// The server process of the app's own connection, whose notifications are its own
    /// commits; 0 for none. It changes when that connection is made again.
    own_backend: AtomicU32,
}

/// How long the listening thread waits for a notification before it looks whether to stop.
const LISTEN_SLICE: Duration = Duration::from_millis(250);
/// The first pause before connecting again to a server, doubled up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

impl Watcher {
    /// Watches the project at `db`; on a server, `since` is the change counter the app's
    /// state reflects and `own_backend` the app's connection.
    pub fn start(db: PathBuf, since: Option<i64>, own_backend: Option<u32>, ctx: egui::Context) -> Option<Watcher> {
        let shared = Arc::new(WatcherFlags::default());
        shared.own_backend.store(own_backend.unwrap_or(0), Ordering::Relaxed);
        let thread_shared = Arc::clone(&shared);
        let server = crate::store::server_url(&db).ok()?.map(str::to_owned);
        std::thread::Builder::new()
            .name("watching the project".to_owned())
            .spawn(move || match server {
                Some(url) => listen(&url, since, &thread_shared, &ctx),
                None => poll_file(&db, &thread_shared, &ctx),
            })
            .ok()?;
        Some(Watcher { shared })
    }

    /// Whether someone else wrote since the last call.
    pub fn take_changed(&self) -> bool {
        self.shared.changed.swap(false, Ordering::Relaxed)
    }

    /// The server process of the app's own connection now (it changes when the store
    /// connects again after a drop).
    pub fn set_own_backend(&self, own_backend: Option<u32>) {
        self.shared
            .own_backend
            .store(own_backend.unwrap_or(0), Ordering::Relaxed);
    }

    /// Whether the connection to the server dropped and was made again since the last call.
    pub fn take_reconnected(&self) -> bool {
        self.shared.reconnected.swap(false, Ordering::Relaxed)
    }
}

impl WatcherFlags {
    fn mark_changed(&self, ctx: &egui::Context) {
        self.changed.store(true, Ordering::Relaxed);
        ctx.request_repaint();
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// A file: `data_version` on the watcher's own connection moves for every commit of
/// another connection, the app's included; the app then compares its own.
fn poll_file(db: &std::path::Path, shared: &WatcherFlags, ctx: &egui::Context) {
    let Ok(store) = Store::open_existing(db) else { return };
    let mut seen = store.data_version().ok();
    while !shared.stopped() {
        std::thread::sleep(Duration::from_secs(1));
        let now = store.data_version().ok();
        if now != seen {
            seen = now;
            shared.mark_changed(ctx);
        }
    }
}

/// A server: every notification of another backend wakes the app at once. `since` is the
/// change counter the app's state reflects: what was committed before the listener came
/// up, or while it was away, shows as a moved counter.
fn listen(url: &str, since: Option<i64>, shared: &WatcherFlags, ctx: &egui::Context) {
    let mut seen = since;
    let mut listener: Option<Listener> = None;
    let mut backoff = FIRST_BACKOFF;
    let mut first = true;
    while !shared.stopped() {
        let Some(connected) = &mut listener else {
            // Dropped (or not made yet): wait, try again, and catch up on what was missed.
            if !first {
                if !sleep_unless_stopped(backoff, shared) {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            if let Ok(mut again) = Listener::connect(url)
                && let Ok(counter) = again.change_counter()
            {
                if seen != Some(counter) {
                    seen = Some(counter);
                    shared.changed.store(true, Ordering::Relaxed);
                }
                if !first {
                    shared.reconnected.store(true, Ordering::Relaxed);
                }
                ctx.request_repaint();
                listener = Some(again);
                backoff = FIRST_BACKOFF;
            }
            first = false;
            continue;
        };
        match connected.wait(LISTEN_SLICE) {
            Ok(changes) if changes.is_empty() => {}
            Ok(changes) => {
                let own = shared.own_backend.load(Ordering::Relaxed);
                if changes.iter().any(|(sender, _)| *sender != own) {
                    shared.mark_changed(ctx);
                }
                // Where a reconnection catches up from; the app's own commits move it too.
                if let Ok(counter) = connected.change_counter() {
                    seen = Some(counter);
                }
            }
            Err(_) => listener = None,
        }
    }
}

/// Sleeps `pause` in short slices; false when the watcher was stopped meanwhile.
fn sleep_unless_stopped(pause: Duration, shared: &WatcherFlags) -> bool {
    let deadline = std::time::Instant::now() + pause;
    while !shared.stopped() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(LISTEN_SLICE));
    }
    false
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}
