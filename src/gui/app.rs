//! The app: state, panels and the one `apply` that turns commands into transactions.

use std::path::PathBuf;
use std::time::Instant;

use egui::{Color32, Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::command::Command;
use super::doc_view::{DocView, label_color};
use super::tasks::Task;
use crate::formats::{ExportOptions, Format, export_to_path};
use crate::model::{
    CharSpan, DocStatus, Document, DocumentId, Entity, EntityId, Label, NewEntity, SOURCE_MANUAL, Status,
};
use crate::spans::{moved, next_entity, overlapping};
use crate::store::{DocumentSummary, StatusFilter, Store};
use crate::text::{CharIndex, Segmenter};

/// The project meta key that remembers who annotates on this project file.
const ANNOTATOR_KEY: &str = "annotator";
/// The source of entities made by "label every occurrence".
const SOURCE_PROPAGATED: &str = "propagated";

/// The open document: its text, its entities and its view.
struct Open {
    document: Document,
    /// Every entity, rejected ones too, in text order.
    entities: Vec<Entity>,
    view: DocView,
}

/// The desktop app. Public so that tests drive the real thing.
pub struct App {
    store: Store,
    segmenter: Segmenter,
    annotator: Option<String>,
    annotator_draft: String,
    labels: Vec<Label>,
    documents: Vec<DocumentSummary>,
    document_filter: String,
    open: Option<Open>,
    selected: Option<EntityId>,
    current_label: String,
    message: String,
    error: Option<String>,
    show_help: bool,
    find: Option<Find>,
    task: Option<Task>,
    path_draft: String,
    commands: Vec<Command>,
    /// The context, for background tasks to request repaints with.
    ctx: Option<egui::Context>,
    startup: Option<(Instant, Option<String>)>,
    /// Seconds from process start to the first frame, once measured.
    pub first_frame_seconds: Option<f64>,
}

struct Find {
    query: String,
    matches: Vec<CharSpan>,
    current: usize,
}

impl App {
    /// An app on `store`. Without `annotator`, the name saved in the project is used, or
    /// the app asks for one before the first edit.
    pub fn new(store: Store, annotator: Option<String>) -> anyhow::Result<App> {
        let annotator = match annotator {
            Some(name) => Some(name),
            None => store.meta(ANNOTATOR_KEY)?,
        };
        let segmenter = Segmenter::with_user_dict(&store.user_dict()?);
        let labels = store.labels()?;
        let mut app = App {
            store,
            segmenter,
            annotator,
            annotator_draft: String::new(),
            current_label: labels.first().map(|l| l.name.clone()).unwrap_or_default(),
            labels,
            documents: Vec::new(),
            document_filter: String::new(),
            open: None,
            selected: None,
            message: String::new(),
            error: None,
            show_help: false,
            find: None,
            task: None,
            path_draft: String::new(),
            commands: Vec::new(),
            ctx: None,
            startup: None,
            first_frame_seconds: None,
        };
        app.refresh_documents()?;
        if let Some(first) = app
            .documents
            .iter()
            .find(|d| d.status != DocStatus::Done)
            .or(app.documents.first())
        {
            let id = first.id;
            app.open_document(id)?;
        }
        Ok(app)
    }

    /// Remembers when the process started, to report the time to the first frame.
    pub fn set_startup(&mut self, started: Instant, note: Option<String>) {
        self.startup = Some((started, note));
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn selected(&self) -> Option<EntityId> {
        self.selected
    }

    pub fn current_document(&self) -> Option<DocumentId> {
        self.open.as_ref().map(|o| o.document.id)
    }

    pub fn current_label(&self) -> &str {
        &self.current_label
    }

    /// The last error shown in the status bar.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The open document's view, for measuring frames.
    pub fn view_mut(&mut self) -> Option<&mut DocView> {
        self.open.as_mut().map(|o| &mut o.view)
    }

    /// Whether a background task runs.
    pub fn busy(&self) -> bool {
        self.task.is_some()
    }

    /// Runs one command. Errors are shown once in the status bar, never raised.
    pub fn apply(&mut self, command: Command) {
        match self.try_apply(command) {
            Ok(()) => {}
            Err(e) => self.error = Some(format!("{e:#}")),
        }
    }

    fn annotator(&self) -> anyhow::Result<String> {
        self.annotator
            .clone()
            .ok_or_else(|| anyhow::anyhow!("enter your annotator name first (bottom left)"))
    }

    fn try_apply(&mut self, command: Command) -> anyhow::Result<()> {
        self.error = None;
        match command {
            Command::OpenDocument(id) => self.open_document(id)?,
            Command::Select(id) => {
                self.selected = id;
                if let Some(entity) = id.and_then(|id| self.entity(id)) {
                    self.current_label = entity.label.clone();
                }
            }
            Command::SelectNext | Command::SelectPrevious => {
                let forward = command == Command::SelectNext;
                if let Some(open) = &mut self.open {
                    let current = self.selected.and_then(|id| open.entities.iter().find(|e| e.id == id));
                    self.selected = next_entity(&open.entities, current, forward);
                    open.view.scroll_to_selection = true;
                }
            }
            Command::AcceptSelected => {
                if let Some(id) = self.selected {
                    self.accept(id)?;
                }
            }
            Command::Accept(id) => self.accept(id)?,
            Command::RejectOrDeleteSelected => {
                if let Some(id) = self.selected {
                    self.reject_or_delete(id)?;
                }
            }
            Command::RejectOrDelete(id) => self.reject_or_delete(id)?,
            Command::Relabel(id, label) => {
                let annotator = self.annotator()?;
                let mut edit = self.store.edit(&format!("relabel as {label}"), &annotator)?;
                edit.update_entity(id, |e| {
                    e.label = label.clone();
                    e.status = Status::Accepted;
                })?;
                edit.commit()?;
                self.current_label = label;
                self.reload()?;
            }
            Command::SetCurrentLabel(label) => self.current_label = label,
            Command::AddSpan {
                char_start,
                char_end,
                label,
            } => self.add_span(CharSpan::new(char_start, char_end), &label)?,
            Command::MoveBoundary { start_delta, end_delta } => self.move_boundary(start_delta, end_delta)?,
            Command::AcceptAll => {
                let annotator = self.annotator()?;
                let Some(open) = &self.open else { return Ok(()) };
                let suggestions: Vec<EntityId> = open
                    .entities
                    .iter()
                    .filter(|e| e.status == Status::Suggested)
                    .map(|e| e.id)
                    .collect();
                let mut edit = self.store.edit("accept all suggestions", &annotator)?;
                for id in &suggestions {
                    edit.update_entity(*id, |e| e.status = Status::Accepted)?;
                }
                edit.commit()?;
                self.message = format!("accepted {} suggestions", suggestions.len());
                self.reload()?;
            }
            Command::LabelEveryOccurrence(id) => self.label_every_occurrence(id)?,
            Command::MarkDoneAndNext => {
                let annotator = self.annotator()?;
                let Some(current) = self.current_document() else {
                    return Ok(());
                };
                let mut edit = self.store.edit("mark done", &annotator)?;
                edit.set_document_status(current, DocStatus::Done)?;
                edit.commit()?;
                self.refresh_documents()?;
                let next = self
                    .documents
                    .iter()
                    .find(|d| d.id > current && d.status != DocStatus::Done)
                    .or_else(|| self.documents.iter().find(|d| d.status != DocStatus::Done))
                    .map(|d| d.id);
                match next {
                    Some(next) => self.open_document(next)?,
                    None => self.message = "every document is done".to_owned(),
                }
            }
            Command::Undo | Command::Redo => {
                let undo = command == Command::Undo;
                let step = if undo { self.store.undo()? } else { self.store.redo()? };
                match step {
                    Some(action) => {
                        self.message = format!("{} {}", if undo { "undid" } else { "redid" }, action.action);
                        match action.document_id {
                            Some(doc) if Some(doc) != self.current_document() => self.open_document(doc)?,
                            _ => self.reload()?,
                        }
                        if let Some(selected) = self.selected
                            && self.entity(selected).is_none()
                        {
                            self.selected = None;
                        }
                    }
                    None => self.message = format!("nothing to {}", if undo { "undo" } else { "redo" }),
                }
            }
            Command::RerunPretag => self.start_pretag()?,
            Command::Import(paths) => self.start_import(paths)?,
            Command::ExportDoccano(path) => {
                let summary = export_to_path(&self.store, Format::Doccano, ExportOptions::default(), &path)?;
                self.message = format!(
                    "exported {} documents, {} entities, {} relations to {}",
                    summary.n_documents,
                    summary.n_entities,
                    summary.n_relations,
                    path.display()
                );
            }
            Command::OpenProject(path) => {
                let store = Store::open(&path)?;
                let annotator = self.annotator.clone();
                let ctx = self.ctx.take();
                *self = App::new(store, annotator)?;
                self.ctx = ctx;
                self.message = format!("opened {}", path.display());
            }
            Command::SetAnnotator(name) => {
                let name = name.trim().to_owned();
                if name.is_empty() {
                    anyhow::bail!("an annotator name cannot be empty");
                }
                self.store.set_meta(ANNOTATOR_KEY, &name)?;
                self.annotator = Some(name);
            }
        }
        Ok(())
    }

    fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.open.as_ref()?.entities.iter().find(|e| e.id == id)
    }

    fn refresh_documents(&mut self) -> anyhow::Result<()> {
        self.documents = self.store.documents()?;
        Ok(())
    }

    fn open_document(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let document = self.store.document(id)?;
        let entities = self.store.entities(id, StatusFilter::All)?;
        let view = DocView::new(&document, &self.segmenter);
        self.open = Some(Open {
            document,
            entities,
            view,
        });
        self.selected = None;
        self.find = None;
        Ok(())
    }

    /// Reloads the open document's entities and the document list after an edit.
    fn reload(&mut self) -> anyhow::Result<()> {
        if let Some(open) = &mut self.open {
            open.entities = self.store.entities(open.document.id, StatusFilter::All)?;
            open.document.status = self.store.document(open.document.id)?.status;
        }
        self.refresh_documents()
    }

    fn select_next_suggestion(&mut self, after: &Entity) {
        if let Some(open) = &mut self.open {
            let has_suggestions = open.entities.iter().any(|e| e.status == Status::Suggested);
            self.selected = if has_suggestions {
                next_entity(&open.entities, Some(after), true)
            } else {
                Some(after.id)
            };
            open.view.scroll_to_selection = true;
        }
    }

    fn accept(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let mut edit = self.store.edit("accept", &annotator)?;
        let entity = edit.update_entity(id, |e| e.status = Status::Accepted)?;
        edit.commit()?;
        self.mark_in_progress()?;
        self.reload()?;
        self.select_next_suggestion(&entity);
        Ok(())
    }

    fn reject_or_delete(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(entity) = self.entity(id).cloned() else {
            return Ok(());
        };
        let mut edit = self.store.edit(
            if entity.status == Status::Suggested {
                "reject"
            } else {
                "delete"
            },
            &annotator,
        )?;
        if entity.status == Status::Suggested {
            edit.update_entity(id, |e| e.status = Status::Rejected)?;
        } else {
            edit.delete_entity(id)?;
        }
        edit.commit()?;
        self.mark_in_progress()?;
        self.reload()?;
        if let Some(open) = &mut self.open {
            self.selected = next_entity(&open.entities, Some(&entity), true).filter(|next| *next != id);
            open.view.scroll_to_selection = true;
        }
        Ok(())
    }

    fn mark_in_progress(&mut self) -> anyhow::Result<()> {
        let Some(open) = &self.open else { return Ok(()) };
        if open.document.status == DocStatus::New {
            let annotator = self.annotator()?;
            let id = open.document.id;
            let mut edit = self.store.edit("start document", &annotator)?;
            edit.set_document_status(id, DocStatus::InProgress)?;
            edit.commit()?;
        }
        Ok(())
    }

    fn add_span(&mut self, span: CharSpan, label: &str) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let document_id = open.document.id;
        let clashes: Vec<Entity> = overlapping(&open.entities, span, None).into_iter().cloned().collect();
        let mut edit = self.store.edit(&format!("add {label}"), &annotator)?;
        for clash in &clashes {
            if clash.status == Status::Suggested {
                edit.update_entity(clash.id, |e| e.status = Status::Rejected)?;
            } else {
                edit.delete_entity(clash.id)?;
            }
        }
        let entity = edit.add_entity(
            document_id,
            &NewEntity {
                char_start: span.char_start,
                char_end: span.char_end,
                label: label.to_owned(),
                status: Status::Accepted,
                source: SOURCE_MANUAL.to_owned(),
                confidence: None,
                annotator: annotator.clone(),
            },
        )?;
        edit.commit()?;
        self.mark_in_progress()?;
        self.reload()?;
        self.selected = Some(entity.id);
        Ok(())
    }

    fn move_boundary(&mut self, start_delta: isize, end_delta: isize) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let (Some(open), Some(id)) = (&self.open, self.selected) else {
            return Ok(());
        };
        let Some(entity) = open.entities.iter().find(|e| e.id == id) else {
            return Ok(());
        };
        let Some(span) = moved(entity.span(), start_delta, end_delta, open.view.n_chars()) else {
            anyhow::bail!("the span cannot shrink to nothing or leave the text");
        };
        if let Some(clash) = overlapping(&open.entities, span, Some(id)).first() {
            anyhow::bail!(
                "the span would overlap {} {}",
                clash.label,
                open.view.slice(clash.span())
            );
        }
        let mut edit = self.store.edit("move boundary", &annotator)?;
        edit.update_entity(id, |e| {
            e.char_start = span.char_start;
            e.char_end = span.char_end;
        })?;
        edit.commit()?;
        self.reload()
    }

    /// Labels every occurrence of the entity's text in every document, where no other
    /// annotation is in the way, in one transaction. The accepted strings then feed the
    /// gazetteer of later pre-tagging.
    fn label_every_occurrence(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let Some(entity) = open.entities.iter().find(|e| e.id == id).cloned() else {
            return Ok(());
        };
        let needle = open.view.slice(entity.span()).to_owned();
        let mut additions: Vec<(DocumentId, CharSpan, Option<EntityId>)> = Vec::new();
        for summary in &self.documents {
            let document = self.store.document(summary.id)?;
            let entities = self.store.entities(summary.id, StatusFilter::All)?;
            let index = CharIndex::new(&document.text);
            for (byte, _) in document.text.match_indices(&needle) {
                let Some(char_start) = index.byte_to_char(byte) else {
                    continue;
                };
                let span = CharSpan::new(char_start, char_start + needle.chars().count());
                let clashes = overlapping(&entities, span, None);
                match clashes.as_slice() {
                    [] => additions.push((summary.id, span, None)),
                    [only] if only.span() == span && only.status == Status::Suggested => {
                        additions.push((summary.id, span, Some(only.id)));
                    }
                    _ => {}
                }
            }
        }
        let mut edit = self.store.edit(&format!("label every {needle}"), &annotator)?;
        let mut n = 0;
        for (document_id, span, suggestion) in &additions {
            match suggestion {
                Some(id) => {
                    edit.update_entity(*id, |e| {
                        e.label = entity.label.clone();
                        e.status = Status::Accepted;
                    })?;
                }
                None => {
                    edit.add_entity(
                        *document_id,
                        &NewEntity {
                            char_start: span.char_start,
                            char_end: span.char_end,
                            label: entity.label.clone(),
                            status: Status::Accepted,
                            source: SOURCE_PROPAGATED.to_owned(),
                            confidence: None,
                            annotator: annotator.clone(),
                        },
                    )?;
                }
            }
            n += 1;
        }
        edit.commit()?;
        self.message = format!("labelled {n} more occurrences of {needle} as {}", entity.label);
        self.reload()
    }

    fn on_disk(&self) -> Option<PathBuf> {
        let path = self.store.path();
        (path.as_os_str() != ":memory:").then(|| path.to_path_buf())
    }

    fn start_pretag(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "wait for the running task to finish");
        match self.on_disk() {
            Some(db) => self.task = Some(Task::pretag(db, &self.ctx.clone().unwrap_or_default())?),
            None => {
                let tagger = crate::pretag::Pretagger::for_project(&self.store)?;
                let (n, change) = crate::pretag::pretag_documents(&mut self.store, &tagger, None, &mut |_, _| {})?;
                self.message = format!("pre-tagged {n} documents: {} suggestions added", change.n_added);
                self.reload()?;
            }
        }
        Ok(())
    }

    fn start_import(&mut self, paths: Vec<PathBuf>) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "wait for the running task to finish");
        let annotator = crate::import::DEFAULT_IMPORT_ANNOTATOR.to_owned();
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
                let report = crate::import::import_paths(&mut self.store, &paths, &annotator, &mut |_| {});
                if let Some(error) = report.errors.first() {
                    anyhow::bail!("{error}");
                }
                self.reload()?;
            }
        }
        Ok(())
    }

    fn poll_task(&mut self, ctx: &egui::Context) {
        let Some(task) = &self.task else { return };
        if !task.is_finished() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            return;
        }
        if let Some(task) = self.task.take() {
            match task.join() {
                Ok(message) => self.message = message,
                Err(e) => self.error = Some(format!("{e:#}")),
            }
            if let Err(e) = self.reload().and_then(|()| {
                if self.open.is_none()
                    && let Some(first) = self.documents.first()
                {
                    let id = first.id;
                    self.open_document(id)?;
                }
                Ok(())
            }) {
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    // ---- input --------------------------------------------------------------------------

    /// Keyboard shortcuts, unless a text field has the keyboard. Buttons never keep the
    /// focus: Tab and Enter belong to the annotation, not to egui's focus ring.
    fn keyboard(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        ctx.memory_mut(|m| {
            m.move_focus(egui::FocusDirection::None);
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
        let command = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        let command_shift = |key| KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, key);
        let plain = |key| KeyboardShortcut::new(Modifiers::NONE, key);
        let shift = |key| KeyboardShortcut::new(Modifiers::SHIFT, key);
        let alt = |key| KeyboardShortcut::new(Modifiers::ALT, key);
        let mut out = Vec::new();
        ctx.input_mut(|i| {
            // Longest modifier sets first, so Ctrl+Shift+Z is not read as Ctrl+Z.
            if i.consume_shortcut(&command_shift(Key::Z)) {
                out.push(Command::Redo);
            }
            if i.consume_shortcut(&command(Key::Z)) {
                out.push(Command::Undo);
            }
            if i.consume_shortcut(&command(Key::Enter)) {
                out.push(Command::MarkDoneAndNext);
            }
            if i.consume_shortcut(&command(Key::F)) {
                out.push(Command::Select(self.selected));
                self.find.get_or_insert(Find {
                    query: String::new(),
                    matches: Vec::new(),
                    current: 0,
                });
            }
            // Shift and Alt variants first: a plain shortcut also matches them.
            if i.consume_shortcut(&shift(Key::ArrowLeft)) {
                out.push(Command::MoveBoundary {
                    start_delta: -1,
                    end_delta: 0,
                });
            }
            if i.consume_shortcut(&shift(Key::ArrowRight)) {
                out.push(Command::MoveBoundary {
                    start_delta: 1,
                    end_delta: 0,
                });
            }
            if i.consume_shortcut(&alt(Key::ArrowLeft)) {
                out.push(Command::MoveBoundary {
                    start_delta: 0,
                    end_delta: -1,
                });
            }
            if i.consume_shortcut(&alt(Key::ArrowRight)) {
                out.push(Command::MoveBoundary {
                    start_delta: 0,
                    end_delta: 1,
                });
            }
            if i.consume_shortcut(&shift(Key::Tab)) || i.consume_shortcut(&plain(Key::ArrowLeft)) {
                out.push(Command::SelectPrevious);
            }
            if i.consume_shortcut(&plain(Key::Tab)) || i.consume_shortcut(&plain(Key::ArrowRight)) {
                out.push(Command::SelectNext);
            }
            if i.consume_shortcut(&plain(Key::Enter)) {
                out.push(Command::AcceptSelected);
            }
            if i.consume_shortcut(&plain(Key::Delete)) || i.consume_shortcut(&plain(Key::Backspace)) {
                out.push(Command::RejectOrDeleteSelected);
            }
            if i.consume_shortcut(&plain(Key::A)) {
                out.push(Command::AcceptAll);
            }
            if i.consume_shortcut(&shift(Key::Slash)) || i.consume_shortcut(&plain(Key::Questionmark)) {
                self.show_help = !self.show_help;
            }
            if i.consume_shortcut(&plain(Key::Escape)) {
                self.show_help = false;
                out.push(Command::Select(None));
            }
            let number_keys = [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
                Key::Num7,
                Key::Num8,
                Key::Num9,
            ];
            for label in &self.labels {
                let Some(key) = label
                    .hotkey
                    .as_deref()
                    .and_then(|h| h.parse::<usize>().ok())
                    .and_then(|n| number_keys.get(n.wrapping_sub(1)))
                else {
                    continue;
                };
                if i.consume_shortcut(&plain(*key)) {
                    out.push(match self.selected {
                        Some(id) => Command::Relabel(id, label.name.clone()),
                        None => Command::SetCurrentLabel(label.name.clone()),
                    });
                }
            }
        });
        self.commands.extend(out);
    }

    // ---- panels -------------------------------------------------------------------------

    fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New or open project…").clicked() {
                    if let Some(path) = rfd::FileDialog::new()
                        .add_filter("biaozhu project", &["sqlite"])
                        .set_file_name("project.sqlite")
                        .save_file()
                    {
                        self.commands.push(Command::OpenProject(path));
                    }
                    ui.close();
                }
                if ui.button("Import files…").clicked() {
                    if let Some(paths) = rfd::FileDialog::new()
                        .add_filter("text", &["txt", "md", "jsonl"])
                        .pick_files()
                    {
                        self.commands.push(Command::Import(paths));
                    }
                    ui.close();
                }
                if ui.button("Import folder…").clicked() {
                    if let Some(path) = rfd::FileDialog::new().pick_folder() {
                        self.commands.push(Command::Import(vec![path]));
                    }
                    ui.close();
                }
                if ui.button("Export doccano JSONL…").clicked() {
                    if let Some(path) = rfd::FileDialog::new().set_file_name("dataset.jsonl").save_file() {
                        self.commands.push(Command::ExportDoccano(path));
                    }
                    ui.close();
                }
                ui.separator();
                if ui.button("Re-run pre-tag").clicked() {
                    self.commands.push(Command::RerunPretag);
                    ui.close();
                }
                ui.separator();
                let label = ui.label("Or type a path:");
                ui.text_edit_singleline(&mut self.path_draft).labelled_by(label.id);
                ui.horizontal(|ui| {
                    let path = PathBuf::from(self.path_draft.trim());
                    if ui.button("Open project").clicked() {
                        self.commands.push(Command::OpenProject(path.clone()));
                    }
                    if ui.button("Import").clicked() {
                        self.commands.push(Command::Import(vec![path.clone()]));
                    }
                    if ui.button("Export").clicked() {
                        self.commands.push(Command::ExportDoccano(path));
                    }
                });
            });
            ui.menu_button("View", |ui| {
                if let Some(open) = &mut self.open {
                    ui.checkbox(&mut open.view.show_tokens, "Word boundaries");
                }
                ui.checkbox(&mut self.show_help, "Shortcuts (?)");
            });
            ui.separator();
            ui.label(RichText::new(self.store.path().display().to_string()).weak());
        });
    }

    fn documents_ui(&mut self, ui: &mut Ui) {
        ui.heading("文档 Documents");
        let label = ui.label("filter:");
        ui.add(egui::TextEdit::singleline(&mut self.document_filter))
            .labelled_by(label.id);
        ui.separator();
        let current = self.current_document();
        let filter = self.document_filter.trim().to_owned();
        egui::ScrollArea::vertical().id_salt("documents").show(ui, |ui| {
            for summary in self
                .documents
                .iter()
                .filter(|d| filter.is_empty() || d.name.contains(&filter))
            {
                let (mark, color) = match summary.status {
                    DocStatus::New => ("○", Color32::GRAY),
                    DocStatus::InProgress => ("◎", Color32::from_rgb(220, 150, 30)),
                    DocStatus::Done => ("●", Color32::from_rgb(60, 160, 80)),
                };
                let name = summary.name.rsplit('/').next().unwrap_or(&summary.name);
                let text = format!(
                    "{mark} {name}\n   {} chars · {} to check",
                    summary.n_chars, summary.n_suggested
                );
                let is_current = Some(summary.id) == current;
                let text = if is_current {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text).color(color)
                };
                let response = ui.selectable_label(is_current, text);
                if response.clicked() {
                    self.commands.push(Command::OpenDocument(summary.id));
                }
            }
        });
    }

    fn side_ui(&mut self, ui: &mut Ui) {
        ui.heading("标签 Labels");
        for label in &self.labels {
            let color = label_color(&self.labels, &label.name);
            let active = label.name == self.current_label;
            let text = format!(
                "{}  {} {}",
                label.hotkey.as_deref().unwrap_or(" "),
                label.name,
                label.display_name
            );
            let button = egui::Button::new(RichText::new(text).color(Color32::BLACK))
                .fill(if active { color } else { color.gamma_multiply(0.45) })
                .stroke(if active {
                    egui::Stroke::new(2.0, Color32::BLACK)
                } else {
                    egui::Stroke::NONE
                })
                .min_size(egui::vec2(ui.available_width(), 0.0));
            if ui.add(button).on_hover_text(&label.description).clicked() {
                self.commands.push(match self.selected {
                    Some(id) => Command::Relabel(id, label.name.clone()),
                    None => Command::SetCurrentLabel(label.name.clone()),
                });
            }
        }
        ui.separator();
        let Some(open) = &self.open else { return };
        if let Some(entity) = self.selected.and_then(|id| open.entities.iter().find(|e| e.id == id)) {
            ui.heading("选中 Selected");
            ui.label(RichText::new(open.view.slice(entity.span())).size(20.0).strong());
            egui::Grid::new("selected").num_columns(2).show(ui, |ui| {
                ui.label("label");
                ui.label(&entity.label);
                ui.end_row();
                ui.label("status");
                ui.label(entity.status.as_str());
                ui.end_row();
                ui.label("chars");
                ui.label(format!("[{}, {})", entity.char_start, entity.char_end));
                ui.end_row();
                ui.label("source");
                ui.label(&entity.source);
                ui.end_row();
                if let Some(confidence) = entity.confidence {
                    ui.label("confidence");
                    ui.label(format!("{confidence:.2}"));
                    ui.end_row();
                }
                ui.label("annotator");
                ui.label(&entity.annotator);
                ui.end_row();
            });
            ui.horizontal(|ui| {
                if entity.status == Status::Suggested && ui.button("Accept (Enter)").clicked() {
                    self.commands.push(Command::Accept(entity.id));
                }
                let remove = if entity.status == Status::Suggested {
                    "Reject (Del)"
                } else {
                    "Delete (Del)"
                };
                if entity.status != Status::Rejected && ui.button(remove).clicked() {
                    self.commands.push(Command::RejectOrDelete(entity.id));
                }
            });
            ui.separator();
        }
        let visible: Vec<&Entity> = open.entities.iter().filter(|e| e.status != Status::Rejected).collect();
        let n_suggested = visible.iter().filter(|e| e.status == Status::Suggested).count();
        ui.heading(format!("实体 Entities ({}, {n_suggested} to check)", visible.len()));
        egui::ScrollArea::vertical().id_salt("entities").show(ui, |ui| {
            for entity in visible {
                let color = label_color(&self.labels, &entity.label);
                let mark = if entity.status == Status::Suggested { "?" } else { "√" };
                let text = RichText::new(format!("{mark} {} {}", entity.label, open.view.slice(entity.span())))
                    .background_color(color.gamma_multiply(if entity.status == Status::Suggested { 0.3 } else { 0.8 }))
                    .color(Color32::BLACK);
                if ui.selectable_label(Some(entity.id) == self.selected, text).clicked() {
                    self.commands.push(Command::Select(Some(entity.id)));
                }
            }
        });
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            match &self.annotator {
                Some(name) => {
                    ui.label(format!("标注员 annotator: {name}"));
                }
                None => {
                    let label = ui.label(RichText::new("Annotator name:").strong());
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut self.annotator_draft).desired_width(120.0))
                        .labelled_by(label.id);
                    if ui.button("Save").clicked() || response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        self.commands.push(Command::SetAnnotator(self.annotator_draft.clone()));
                    }
                }
            }
            ui.separator();
            ui.label("saved: every edit");
            ui.separator();
            ui.label(format!("new spans: {}", self.current_label));
            if let Some(task) = &self.task {
                ui.separator();
                let (done, total) = task.progress();
                let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(180.0)
                        .text(format!("{} {done}/{total}", task.name)),
                );
            }
            ui.separator();
            match &self.error {
                Some(error) => {
                    ui.label(RichText::new(format!("error: {error}")).color(ui.visuals().error_fg_color));
                }
                None => {
                    ui.label(&self.message);
                }
            }
        });
    }

    fn help_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_help;
        egui::Window::new("Shortcuts")
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.label(RichText::new(*keys).monospace().strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        self.show_help = open;
    }

    fn find_ui(&mut self, ctx: &egui::Context) {
        let Some(find) = &mut self.find else { return };
        let mut keep = true;
        let mut jump = None;
        egui::Window::new("Find")
            .open(&mut keep)
            .resizable(false)
            .show(ctx, |ui| {
                let label = ui.label("find:");
                let response = ui.text_edit_singleline(&mut find.query).labelled_by(label.id);
                response.request_focus();
                if let Some(open) = &self.open {
                    if response.changed() {
                        find.matches = find_all(open.view.text(), &find.query);
                        find.current = 0;
                    }
                    ui.label(format!("{} matches", find.matches.len()));
                    if ui.input(|i| i.key_pressed(Key::Enter)) && !find.matches.is_empty() {
                        find.current = (find.current + 1) % find.matches.len();
                        jump = find.matches.get(find.current).copied();
                    }
                }
            });
        if let Some(open) = &mut self.open {
            open.view.highlights = if keep { find.matches.clone() } else { Vec::new() };
            if let Some(span) = jump
                && let Some(entity) = open
                    .entities
                    .iter()
                    .find(|e| e.span().overlaps(span) && e.status != Status::Rejected)
            {
                self.selected = Some(entity.id);
                open.view.scroll_to_selection = true;
            }
        }
        if !keep {
            self.find = None;
            ctx.memory_mut(|m| m.surrender_focus(egui::Id::NULL));
        }
    }
}

/// The keyboard sheet, one source of truth for the help window.
const SHORTCUTS: &[(&str, &str)] = &[
    ("Tab / →", "next span (suggestions first)"),
    ("Shift+Tab / ←", "previous span"),
    ("Enter", "accept the suggestion"),
    ("Delete / Backspace", "reject a suggestion, delete a span"),
    ("1 – 8", "relabel the selection, or pick the label for new spans"),
    ("Shift+← / Shift+→", "move the start one character"),
    ("Alt+← / Alt+→", "move the end one character"),
    ("A", "accept every suggestion in the document"),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo (survives a restart)"),
    ("Ctrl+F", "find in the document"),
    ("Ctrl+Enter", "mark the document done, open the next"),
    ("drag", "new span, snapped to words; Alt+drag: exact characters"),
    (
        "click / right-click",
        "select / relabel, accept, delete, label everywhere",
    ),
    ("?", "this sheet"),
];

/// Every occurrence of `query` in `text`, as char spans.
fn find_all(text: &str, query: &str) -> Vec<CharSpan> {
    if query.is_empty() {
        return Vec::new();
    }
    let index = CharIndex::new(text);
    let n = query.chars().count();
    text.match_indices(query)
        .filter_map(|(byte, _)| index.byte_to_char(byte))
        .map(|start| CharSpan::new(start, start + n))
        .collect()
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.ctx.get_or_insert_with(|| ctx.clone());
        if let Some((started, note)) = self.startup.take() {
            let seconds = started.elapsed().as_secs_f64();
            self.first_frame_seconds = Some(seconds);
            if std::env::var_os("BIAOZHU_TIMING").is_some() {
                eprintln!("first frame after {seconds:.3}s");
            }
            if let Some(note) = note {
                self.message = note;
            }
        }
        self.poll_task(&ctx);
        self.keyboard(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::Panel::left("documents")
            .default_size(230.0)
            .resizable(true)
            .show(ui, |ui| self.documents_ui(ui));
        egui::Panel::right("side")
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| self.side_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            let selected = self.selected;
            let current_label = self.current_label.clone();
            let mut out = Vec::new();
            match &mut self.open {
                Some(open) => {
                    ui.horizontal(|ui| {
                        ui.heading(open.document.name.rsplit('/').next().unwrap_or(&open.document.name));
                        ui.label(RichText::new(open.document.status.as_str()).weak());
                    });
                    open.view
                        .ui(ui, &open.entities, &self.labels, selected, &current_label, &mut out);
                    if let Some(id) = open.view.take_context_entity() {
                        ui.ctx()
                            .memory_mut(|m| m.data.insert_temp(egui::Id::unique("context-entity"), id));
                    }
                }
                None => {
                    ui.centered_and_justified(|ui| ui.label("No document. File → Import files…"));
                }
            }
            self.commands.extend(out);
        });
        self.context_menu_ui(&ctx);
        self.help_ui(&ctx);
        self.find_ui(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.apply(command);
        }
    }
}

impl App {
    /// The right-click menu of an entity, shown where the pointer was.
    fn context_menu_ui(&mut self, ctx: &egui::Context) {
        let key = egui::Id::unique("context-entity");
        let Some(id) = ctx.memory(|m| m.data.get_temp::<EntityId>(key)) else {
            return;
        };
        let Some(entity) = self.entity(id).cloned() else {
            ctx.memory_mut(|m| m.data.remove::<EntityId>(key));
            return;
        };
        let mut close = false;
        let position = ctx
            .memory(|m| m.data.get_temp::<egui::Pos2>(key.with("pos")))
            .or_else(|| ctx.pointer_latest_pos())
            .unwrap_or_default();
        ctx.memory_mut(|m| m.data.insert_temp(key.with("pos"), position));
        let area = egui::Area::new(key.with("menu"))
            .fixed_pos(position)
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::menu(ui.style()).show(ui, |ui| {
                    ui.label(RichText::new(format!("{} · {}", entity.label, entity.status.as_str())).weak());
                    ui.menu_button("Relabel", |ui| {
                        for label in &self.labels {
                            if ui.button(format!("{} {}", label.name, label.display_name)).clicked() {
                                self.commands.push(Command::Relabel(entity.id, label.name.clone()));
                                close = true;
                            }
                        }
                    });
                    if entity.status == Status::Suggested && ui.button("Accept").clicked() {
                        self.commands.push(Command::Accept(entity.id));
                        close = true;
                    }
                    if ui
                        .button(if entity.status == Status::Suggested {
                            "Reject"
                        } else {
                            "Delete"
                        })
                        .clicked()
                    {
                        self.commands.push(Command::RejectOrDelete(entity.id));
                        close = true;
                    }
                    if ui.button("Label every occurrence in the corpus").clicked() {
                        self.commands.push(Command::LabelEveryOccurrence(entity.id));
                        close = true;
                    }
                });
            });
        let clicked_elsewhere = ctx.input(|i| i.pointer.any_pressed())
            && !ctx.pointer_latest_pos().is_some_and(|p| area.response.rect.contains(p));
        if close || clicked_elsewhere || ctx.input(|i| i.key_pressed(Key::Escape)) {
            ctx.memory_mut(|m| {
                m.data.remove::<EntityId>(key);
                m.data.remove::<egui::Pos2>(key.with("pos"));
            });
        }
    }
}
