//! Long work on a named thread with its own connection to the project file: importing
//! and pre-tagging. The UI polls it each frame and shows its progress.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crate::project::import::import_paths;
use crate::project::pretag::{pretag_documents, tagger_for};
use crate::store::Store;

/// Work running in the background.
pub struct Task {
    pub name: String,
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
        self.handle
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the {} thread stopped unexpectedly", self.name)))
    }

    fn spawn(
        name: &str,
        ctx: &egui::Context,
        work: impl FnOnce(&mut dyn FnMut(usize, usize)) -> anyhow::Result<String> + Send + 'static,
    ) -> std::io::Result<Task> {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (thread_done, thread_total, ctx) = (Arc::clone(&done), Arc::clone(&total), ctx.clone());
        let handle = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
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
            done,
            total,
            handle,
        })
    }

    /// Pre-tags every document of the project at `db`.
    pub fn pretag(db: PathBuf, ctx: &egui::Context) -> std::io::Result<Task> {
        Task::spawn("pre-tagging", ctx, move |report| {
            let mut store = Store::open_existing(&db)?;
            let tagger = tagger_for(&store)?;
            let (n, change) = pretag_documents(&mut store, &tagger, None, report)?;
            Ok(format!(
                "pre-tagged {n} documents: {} suggestions added, {} removed",
                change.n_added, change.n_removed
            ))
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
        Task::spawn("exporting", ctx, move |report| {
            let store = Store::open_existing(&db)?;
            let summary = crate::project::export::export_to_path(&store, format, &options, &path, report)?;
            let outputs: Vec<String> = summary.outputs.iter().map(|p| p.display().to_string()).collect();
            Ok(format!(
                "exported {} documents, {} entities, {} relations as {} to {}",
                summary.n_documents,
                summary.n_entities,
                summary.n_relations,
                format.name(),
                outputs.join(", ")
            ))
        })
    }

    /// Imports files and folders into the project at `db`, then pre-tags what came in.
    pub fn import(db: PathBuf, paths: Vec<PathBuf>, annotator: String, ctx: &egui::Context) -> std::io::Result<Task> {
        Task::spawn("importing", ctx, move |report| {
            let mut store = Store::open_existing(&db)?;
            let before: Vec<_> = store.documents()?.into_iter().map(|d| d.id).collect();
            let result = import_paths(&mut store, &paths, &annotator, &mut |p| {
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
            let mut message = format!(
                "imported {} documents ({} unchanged) and pre-tagged them",
                total.n_documents_added, total.n_documents_unchanged
            );
            if let Some(error) = result.errors.first() {
                message = format!("{message}; {} files failed, first: {error}", result.errors.len());
                return Err(anyhow::anyhow!(message));
            }
            Ok(message)
        })
    }
}
