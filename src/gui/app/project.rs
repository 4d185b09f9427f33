//! The project as a whole: opening documents and reloading them after edits, the
//! annotator's name, other project files, and the background tasks
//! (pre-tag, import, export; training is in `learning.rs`) with their in-memory fallbacks.

use std::path::PathBuf;

use super::{App, Open};
use crate::formats::{ExportOptions, Format};
use crate::gui::command::ProjectCommand;
use crate::gui::doc_view::DocView;
use crate::gui::i18n::{self, Lang, tr, trf};
use crate::gui::tasks::Task;
use crate::model::{DocumentId, Entity, Relation, StatusFilter};
use crate::project::export::export_to_path;
use crate::store::Store;

impl App {
    /// Runs one project command.
    pub(super) fn apply_project(&mut self, command: ProjectCommand) -> anyhow::Result<()> {
        match command {
            ProjectCommand::RerunPretag => self.start_pretag(),
            ProjectCommand::Train => self.train(),
            ProjectCommand::SetRetrainEvery(every) => self.set_retrain_every(every),
            ProjectCommand::Import(paths) => self.start_import(paths),
            ProjectCommand::Export { format, options, path } => self.export(format, options, path),
            ProjectCommand::OpenProject(path) => self.open_project(path),
            ProjectCommand::SaveCopy(path) => self.save_copy(&path),
            ProjectCommand::SetAnnotator(name) => self.set_annotator(name),
        }
    }

    /// The open document's entities and relations in the shown layer.
    fn layer(&self, id: DocumentId) -> anyhow::Result<(Vec<Entity>, Vec<Relation>)> {
        let mut filter = self.layer_filter();
        let all = self.store.entities(id, StatusFilter::All)?;
        if self.store.is_server() {
            // Another annotator's own suggestions are theirs, accepted or not.
            for e in &all {
                let shared = [crate::model::ANNOTATOR_PRETAG, crate::model::ANNOTATOR_IMPORT];
                if e.status == crate::model::Status::Suggested && !shared.contains(&e.annotator.as_str()) {
                    filter.add_owner(&e.annotator);
                }
            }
        }
        let entities: Vec<Entity> = all.into_iter().filter(|e| filter.shows(&e.annotator)).collect();
        let relations = self
            .store
            .relations(id, StatusFilter::All)?
            .into_iter()
            .filter(|r| entities.iter().any(|e| e.id == r.head) && entities.iter().any(|e| e.id == r.tail))
            .collect();
        Ok((entities, relations))
    }

    /// On a server, the active annotator's own copy of document `id`'s suggestions, taken
    /// the first time they open it (not while reviewing, which shows gold only).
    fn take_own_suggestions(&mut self, id: DocumentId) -> anyhow::Result<()> {
        self.own_suggestions = match (&self.annotator, self.review.is_some()) {
            (Some(annotator), false) if self.store.is_server() => {
                let annotator = annotator.clone();
                self.store.take_suggestions(id, &annotator)?
            }
            _ => false,
        };
        Ok(())
    }

    pub(super) fn open_document(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let document = self.store.document(id)?;
        self.layer_owners = self.store.annotators()?;
        self.take_own_suggestions(id)?;
        let (entities, relations) = self.layer(id)?;
        let view = DocView::new(&document, &self.segmenter);
        self.open = Some(Open {
            document,
            entities,
            relations,
            view,
        });
        self.selected = None;
        self.selected_relation = None;
        self.relation_mode = None;
        self.windows.find = None;
        Ok(())
    }

    /// Reloads the open document's entities and its line of the document list after an
    /// edit of it: the cost of an edit is the open document's, whatever the project's size.
    pub(super) fn reload(&mut self) -> anyhow::Result<()> {
        self.layer_owners = self.store.annotators()?;
        if let Some(id) = self.current_document() {
            // Taken once a document and annotator (opening it, or switching annotator).
            if !self.own_suggestions {
                self.take_own_suggestions(id)?;
            }
            let (entities, relations) = self.layer(id)?;
            let line = self.store.document_summary(id)?;
            let status = line.status;
            if let Some(review) = &mut self.review {
                let all = self.store.entities(id, StatusFilter::Accepted)?;
                let layer =
                    |name: &str| -> Vec<Entity> { all.iter().filter(|e| e.annotator == name).cloned().collect() };
                review.items = crate::review::diff(&layer(&review.a), &layer(&review.b));
                review.cursor = review.cursor.min(review.items.len().saturating_sub(1));
            }
            let Some(open) = &mut self.open else { return Ok(()) };
            open.entities = entities;
            open.relations = relations;
            open.document.status = status;
            if let Some(id) = self.selected_relation
                && !open.relations.iter().any(|r| r.id == id)
            {
                self.selected_relation = None;
            }
            self.list.replace_line(line);
        }
        Ok(())
    }

    /// Reloads after an edit that may reach beyond the open document (undo, schema edits,
    /// bulk labelling): the open document, then every line of the list read.
    pub(super) fn reload_everywhere(&mut self) -> anyhow::Result<()> {
        self.reload()?;
        self.refresh_lines()
    }

    pub(super) fn set_annotator(&mut self, name: String) -> anyhow::Result<()> {
        let name = name.trim().to_owned();
        if name.is_empty() {
            anyhow::bail!("{}", tr("an annotator name cannot be empty"));
        }
        self.store.set_personal_meta(crate::store::ANNOTATOR_META_KEY, &name)?;
        self.store.set_viewer(Some(&name));
        self.annotator = Some(name);
        self.own_suggestions = false;
        self.drafts.annotator_switch = false;
        self.reload()?;
        if self.list.scope == crate::gui::command::DocumentScope::Mine {
            self.refresh_documents()?;
        } else if self.store.is_server() {
            // The lines count the annotator's own layer.
            self.refresh_lines()?;
        }
        Ok(())
    }

    pub(super) fn open_project(&mut self, path: PathBuf) -> anyhow::Result<()> {
        let store = Store::open(&path)?;
        // On a team server the login's own name comes first (its saved one, else its
        // project user's); the name in use only when it has none.
        let annotator = if store.is_server() {
            None
        } else {
            self.annotator.clone()
        };
        let previous = self.annotator.clone();
        let ctx = self.ctx.take();
        let lang = self.lang;
        *self = App::new(store, annotator)?;
        if self.annotator.is_none() {
            self.annotator = previous;
            self.store.set_viewer(self.annotator.as_deref());
        }
        self.ctx = ctx;
        // A project (on a server, a login) that has not chosen a language keeps the one in use.
        if self.store.personal_meta(i18n::LANG_META_KEY)?.is_none() {
            self.lang = lang;
            i18n::set_current(lang);
        }
        // The store's name for it: a server's address without its password.
        self.message = trf("opened {path}", &[("path", &self.store.path().display().to_string())]);
        Ok(())
    }

    /// Opens the project at the address typed in the server window, as a file opens; when
    /// that fails the window stays, to correct the address.
    pub(super) fn open_server(&mut self) -> anyhow::Result<()> {
        let Some(window) = &self.windows.server else {
            return Ok(());
        };
        let address = PathBuf::from(window.address.trim());
        if crate::store::server_url(&address)?.is_none() {
            anyhow::bail!(
                "{}",
                tr("a server address starts with postgres://, as in postgres://user@host:port/db")
            );
        }
        self.open_project(address)
    }

    fn save_copy(&mut self, to: &std::path::Path) -> anyhow::Result<()> {
        let from = self
            .on_disk()
            .ok_or_else(|| anyhow::anyhow!("{}", tr("this project lives in memory: there is no file to copy")))?;
        let (n_documents, n_entities) = Store::backup(&from, to)?;
        self.message = trf(
            "saved a copy to {path} ({documents} documents, {entities} entities)",
            &[
                ("path", &to.display().to_string()),
                ("documents", &n_documents.to_string()),
                ("entities", &n_entities.to_string()),
            ],
        );
        Ok(())
    }

    pub(super) fn export(&mut self, format: Format, options: ExportOptions, path: PathBuf) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "{}", tr("wait for the running task to finish"));
        match self.on_disk() {
            Some(db) => {
                let ctx = self.ctx.clone().unwrap_or_default();
                self.task = Some(Task::export(db, format, options, path, &ctx)?);
            }
            None => {
                let summary = export_to_path(&self.store, format, &options, &path, &mut |_, _| {})?;
                self.message = trf(
                    "exported {n} documents as {format}",
                    &[("n", &summary.n_documents.to_string()), ("format", format.name())],
                );
            }
        }
        Ok(())
    }

    /// The UI's language from now on, remembered in the project (on a server, for this login).
    pub(super) fn set_language(&mut self, lang: Lang) -> anyhow::Result<()> {
        self.store.set_personal_meta(i18n::LANG_META_KEY, lang.code())?;
        self.lang = lang;
        i18n::set_current(lang);
        Ok(())
    }

    /// Where a background task or a backup opens the project again: the file, or the
    /// server's address with its password; `None` in memory.
    pub(super) fn on_disk(&self) -> Option<PathBuf> {
        self.store.location()
    }

    pub(super) fn start_pretag(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "{}", tr("wait for the running task to finish"));
        match self.on_disk() {
            Some(db) => self.task = Some(Task::pretag(db, &self.ctx.clone().unwrap_or_default())?),
            None => {
                let tagger = crate::project::pretag::tagger_for(&self.store)?;
                let (n, change) =
                    crate::project::pretag::pretag_documents(&mut self.store, &tagger, None, &mut |_, _| {})?;
                self.message = trf(
                    "pre-tagged {n} documents: {added} suggestions added",
                    &[("n", &n.to_string()), ("added", &change.n_added.to_string())],
                );
                self.reload()?;
                self.refresh_documents()?;
            }
        }
        Ok(())
    }

    pub(super) fn start_import(&mut self, paths: Vec<PathBuf>) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "{}", tr("wait for the running task to finish"));
        let annotator = crate::model::ANNOTATOR_IMPORT.to_owned();
        match self.on_disk() {
            Some(db) => {
                self.task = Some(Task::import(
                    db,
                    paths,
                    annotator,
                    &self.ctx.clone().unwrap_or_default(),
                )?);
            }
            None => {
                let report = crate::project::import::import_paths(
                    &mut self.store,
                    &paths,
                    &crate::project::import::ReadOptions::new(&annotator),
                    &mut |_| {},
                );
                if let Some(error) = report.errors.first() {
                    anyhow::bail!("{error}");
                }
                self.reload()?;
                self.refresh_documents()?;
            }
        }
        Ok(())
    }

    /// Whether another program (or a background task, or on a server another annotator)
    /// wrote to the project; if so, the open document and the document list are read
    /// again, so that a CLI import or pre-tag, or a colleague's accept, shows up without a
    /// restart. The app's own edits do not count: on a file `data_version` changes only for
    /// other connections; on a server the watcher leaves out this connection's
    /// notifications, and its flag is trusted (every commit moves the change counter).
    pub(super) fn poll_other_writers(&mut self, ctx: &egui::Context) {
        // A watcher thread wakes the app when someone writes, so an idle window draws
        // nothing. A project in memory has no other writers.
        if self.watcher.is_none()
            && let Some(db) = self.on_disk()
        {
            self.data_version = self.store.data_version().ok();
            self.watcher =
                crate::gui::tasks::Watcher::start(db, self.data_version, self.store.backend_pid(), ctx.clone());
        }
        let Some(watcher) = &self.watcher else { return };
        if watcher.take_reconnected() {
            self.message = tr("reconnected to the server").to_owned();
        }
        watcher.set_own_backend(self.store.backend_pid());
        if !watcher.take_changed() {
            return;
        }
        let changed = if self.store.is_server() {
            true
        } else {
            let Ok(version) = self.store.data_version() else { return };
            let changed = self.data_version.is_some_and(|seen| seen != version);
            self.data_version = Some(version);
            changed
        };
        if changed && self.task.is_none() {
            // In id order the list is read again, new documents included; most uncertain
            // first keeps its snapshot (taking one reads every suggestion) and rereads
            // its lines.
            let uncertain = self.list.is_snapshot();
            // After a server restart the first read meets the dropped connection, and the
            // second a new one.
            let refreshed = crate::gui::tasks::retry_busy(|| {
                self.reload()
                    .and_then(|()| {
                        if uncertain {
                            self.refresh_lines()
                        } else {
                            self.refresh_documents()
                        }
                    })
                    .and_then(|()| {
                        if self.open.is_none()
                            && let Some(first) = self.store.first_document()?
                        {
                            self.open_document(first)?;
                        }
                        Ok(())
                    })
            });
            if let Err(e) = refreshed {
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    /// Takes a finished task's result, then reloads (opening a document if none was).
    pub(super) fn poll_task(&mut self, ctx: &egui::Context) {
        let Some(task) = &self.task else { return };
        if !task.is_finished() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        }
        if let Some(task) = self.task.take() {
            let kind = task.kind;
            match task.join() {
                Ok(message) => self.message = message,
                Err(e) => self.error = Some(format!("{e:#}")),
            }
            if let Err(e) = self.reload().and_then(|()| self.refresh_documents()).and_then(|()| {
                if self.open.is_none()
                    && let Some(first) = self.store.first_document()?
                {
                    self.open_document(first)?;
                }
                Ok(())
            }) {
                self.error = Some(format!("{e:#}"));
            }
            if let Err(e) = self.after_task(kind) {
                self.error = Some(format!("{e:#}"));
            }
        }
    }
}
