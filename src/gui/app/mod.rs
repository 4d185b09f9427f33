//! The app: its state and the eframe frame. A frame polls the background task, reads the
//! keys, draws the panels and windows (which only push commands), then applies the commands.

mod annotate;
mod apply;
mod dialogs;
mod document_list;
mod learning;
mod project;
mod relations;
mod review;
mod windows;

use std::time::Instant;

use egui::{RichText, Ui};

use super::command::{Command, ReviewCommand};
use super::doc_view::{DocView, ViewInput};
use super::i18n::{self, Lang, tr};
use super::panels::Drafts;
use super::tasks::Task;
use super::windows::Windows;
use super::windows::review::Review;
use crate::model::{Document, DocumentId, Entity, EntityId, Label, Relation, RelationId, RelationType};
use crate::store::Store;

use crate::text::Segmenter;
pub(in crate::gui) use document_list::DocumentList;

/// The open document: its text, its entities and its view.
pub(in crate::gui) struct Open {
    pub document: Document,
    /// Every entity, rejected ones too, in text order.
    pub entities: Vec<Entity>,
    /// Every relation, rejected ones too.
    pub relations: Vec<Relation>,
    pub view: DocView,
}

impl Open {
    /// The text of one of the document's entities.
    pub fn text_of(&self, id: EntityId) -> String {
        self.entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| self.view.slice(e.span()).to_owned())
            .unwrap_or_default()
    }
}

/// Making a relation from the keyboard: first the tail, then the type.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::gui) enum RelationMode {
    PickTail {
        head: EntityId,
        candidates: Vec<EntityId>,
        index: usize,
    },
    PickType {
        head: EntityId,
        tail: EntityId,
        types: Vec<String>,
        retype: Option<RelationId>,
    },
}

/// Whose annotations the workspace shows: while reviewing only the gold layer; otherwise
/// the active annotator's own, and what belongs to no layer of another annotator
/// (suggestions, imports).
/// On a server, an annotator who has their own copy of the suggestions
/// ([`Store::take_suggestions`]) sees those and not the pre-tagger's, and nobody sees
/// another's copy.
pub(in crate::gui) struct LayerFilter {
    reviewing: bool,
    active: Option<String>,
    owners: Vec<String>,
    own_suggestions: bool,
}

impl LayerFilter {
    pub fn add_owner(&mut self, annotator: &str) {
        if !self.owners.iter().any(|o| o == annotator) {
            self.owners.push(annotator.to_owned());
        }
    }

    pub fn shows(&self, annotator: &str) -> bool {
        if self.reviewing {
            return annotator == crate::model::ANNOTATOR_GOLD;
        }
        if self.own_suggestions && annotator == crate::model::ANNOTATOR_PRETAG {
            return false;
        }
        match &self.active {
            Some(active) => annotator == active || !self.owners.iter().any(|o| o == annotator),
            None => true,
        }
    }
}

/// The desktop app. Public so that tests drive the real thing.
pub struct App {
    pub(in crate::gui) store: Store,
    pub(in crate::gui) segmenter: Segmenter,
    pub(in crate::gui) annotator: Option<String>,
    pub(in crate::gui) labels: Vec<Label>,
    pub(in crate::gui) relation_types: Vec<RelationType>,
    /// The document list's count and the lines read of it.
    pub(in crate::gui) list: DocumentList,
    pub(in crate::gui) open: Option<Open>,
    pub(in crate::gui) selected: Option<EntityId>,
    pub(in crate::gui) selected_relation: Option<RelationId>,
    pub(in crate::gui) relation_mode: Option<RelationMode>,
    /// The span whose relations the side panel lists while one of them is selected (its head
    /// or its tail); with no relation selected the list follows the selected span.
    pub(in crate::gui) relation_anchor: Option<EntityId>,
    /// The side panel lists every relation of the document, not only the selected span's.
    pub(in crate::gui) all_relations: bool,
    /// Ctrl+Enter was pressed on this document with suggestions left: the next Ctrl+Enter
    /// (or Enter) marks it done, any other action takes the question back.
    pub(in crate::gui) confirm_done: Option<DocumentId>,
    /// Annotators whose accepted layers are in the project (refreshed on reload).
    pub(in crate::gui) layer_owners: Vec<String>,
    /// Whether the active annotator has their own copy of the open document's suggestions
    /// (on a server), which they see instead of the pre-tagger's.
    pub(in crate::gui) own_suggestions: bool,
    pub(in crate::gui) review: Option<Review>,
    pub(in crate::gui) current_label: String,
    pub(in crate::gui) message: String,
    pub(in crate::gui) error: Option<String>,
    pub(in crate::gui) task: Option<Task>,
    /// The project's `data_version` on the app's connection when last looked at, and the
    /// thread that says when to look again.
    data_version: Option<i64>,
    watcher: Option<super::tasks::Watcher>,
    /// When the tagger trains by itself, and whether a run waits.
    pub(in crate::gui) retrain: learning::Retrain,
    /// Which tagger the project uses and why, read on opening and after training.
    pub(in crate::gui) tagger_verdict: String,
    pub(in crate::gui) windows: Windows,
    pub(in crate::gui) drafts: Drafts,
    /// The UI's language: the project's choice, else English (the window follows the
    /// system's locale, [`App::follow_system_language`]).
    pub(in crate::gui) lang: Lang,
    /// The project file, as the menu bar shows it.
    pub(in crate::gui) project_path: String,
    pub(in crate::gui) commands: Vec<Command>,
    /// The context, for background tasks to request repaints with.
    ctx: Option<egui::Context>,
    startup: Option<(Instant, Option<String>)>,
    /// Seconds from process start to the first frame, once measured.
    pub first_frame_seconds: Option<f64>,
}

impl App {
    /// An app on `store`. Without `annotator`, the name saved in the project is used (on a
    /// team server, this login's, else its project user's name), or the app asks for one
    /// before the first edit.
    pub fn new(mut store: Store, annotator: Option<String>) -> anyhow::Result<App> {
        // An edit waits this long for another program's write, then is tried again
        // (`tasks::retry_busy`): the window never freezes behind a long import.
        store.set_busy_timeout(std::time::Duration::from_millis(1500))?;
        let annotator = match annotator {
            Some(name) => Some(name),
            None => match store.personal_meta(crate::store::ANNOTATOR_META_KEY)? {
                Some(name) => Some(name),
                None => store.me()?.map(|user| user.name),
            },
        };
        // The list counts what this annotator sees (on a server; a file counts all layers).
        store.set_viewer(annotator.as_deref());
        let segmenter = Segmenter::with_user_dict(&store.user_dict()?);
        let labels = store.labels()?;
        let relation_types = store.relation_types()?;
        let project_path = store.path().display().to_string();
        let retrain = learning::Retrain::read(&store)?;
        let tagger_verdict = learning::read_verdict(&store)?;
        let lang = store
            .personal_meta(i18n::LANG_META_KEY)?
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        i18n::set_current(lang);
        let mut app = App {
            store,
            segmenter,
            annotator,
            current_label: labels.first().map(|l| l.name.clone()).unwrap_or_default(),
            labels,
            relation_types,
            list: DocumentList::default(),
            open: None,
            selected: None,
            selected_relation: None,
            relation_mode: None,
            relation_anchor: None,
            all_relations: false,
            confirm_done: None,
            layer_owners: Vec::new(),
            own_suggestions: false,
            review: None,
            message: String::new(),
            error: None,
            task: None,
            data_version: None,
            watcher: None,
            retrain,
            tagger_verdict,
            windows: Windows::default(),
            drafts: Drafts::default(),
            lang,
            project_path,
            commands: Vec::new(),
            ctx: None,
            startup: None,
            first_frame_seconds: None,
        };
        app.refresh_documents()?;
        let first = match app.store.next_document_to_do(None)? {
            Some(id) => Some(id),
            None => app.store.first_document()?,
        };
        if let Some(id) = first {
            app.open_document(id)?;
        }
        Ok(app)
    }

    /// Opens a view at start: `stats`, `search`, or `review` (the first two annotators).
    pub fn open_view(&mut self, view: &str) -> anyhow::Result<()> {
        match view {
            "stats" => self.try_apply(super::ViewCommand::OpenStatistics.into())?,
            "search" => self.try_apply(super::ViewCommand::OpenSearch.into())?,
            "review" => {
                let people = self.people();
                let [a, b, ..] = people.as_slice() else {
                    anyhow::bail!("review needs two annotators' layers");
                };
                self.try_apply(
                    ReviewCommand::StartReview {
                        a: a.clone(),
                        b: b.clone(),
                    }
                    .into(),
                )?;
            }
            other => anyhow::bail!("no view {other:?} (stats, search, review)"),
        }
        Ok(())
    }

    /// Takes the system's language when the project (on a server, this login) has not
    /// chosen one.
    pub fn follow_system_language(&mut self) -> anyhow::Result<()> {
        if self.store.personal_meta(i18n::LANG_META_KEY)?.is_none() {
            self.lang = Lang::system();
            i18n::set_current(self.lang);
        }
        Ok(())
    }

    /// The UI's language.
    pub fn language(&self) -> Lang {
        self.lang
    }

    /// Remembers when the process started, to report the time to the first frame.
    pub fn set_startup(&mut self, started: Instant, note: Option<String>) {
        self.startup = Some((started, note));
    }

    /// The annotator whose name edits carry, once known.
    pub fn annotator_name(&self) -> Option<&str> {
        self.annotator.as_deref()
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

    /// The open document's entities as the app holds them, rejected ones too, in the layer
    /// it shows.
    pub fn open_entities(&self) -> &[Entity] {
        self.open.as_ref().map_or(&[], |o| o.entities.as_slice())
    }

    pub fn selected_relation(&self) -> Option<RelationId> {
        self.selected_relation
    }

    /// The relation types offered while choosing one, if the app is choosing.
    pub fn offered_relation_types(&self) -> Option<&[String]> {
        match &self.relation_mode {
            Some(RelationMode::PickType { types, .. }) => Some(types),
            _ => None,
        }
    }

    /// The tail candidate under consideration, while picking one.
    pub fn tail_candidate(&self) -> Option<EntityId> {
        match &self.relation_mode {
            Some(RelationMode::PickTail { candidates, index, .. }) => candidates.get(*index).copied(),
            _ => None,
        }
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

    /// Which tagger the project uses and why.
    pub fn tagger_verdict(&self) -> &str {
        &self.tagger_verdict
    }

    /// After how many documents marked done the tagger trains by itself (0: never).
    pub fn retrain_every(&self) -> usize {
        self.retrain.every
    }

    /// What is typed in the path window, while it is open.
    pub fn typed_path(&self) -> Option<&str> {
        self.windows.path.as_ref().map(|w| w.typed.as_str())
    }

    /// The documents of the list's lines read so far, in the list's order.
    pub fn listed_documents(&self) -> Vec<DocumentId> {
        self.list.ids()
    }

    /// The annotators with a layer of their own, gold aside: the people a review compares.
    pub(in crate::gui) fn people(&self) -> Vec<String> {
        self.layer_owners
            .iter()
            .filter(|a| *a != crate::model::ANNOTATOR_GOLD)
            .cloned()
            .collect()
    }

    pub(in crate::gui) fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.open.as_ref()?.entities.iter().find(|e| e.id == id)
    }

    fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.open.as_ref()?.relations.iter().find(|r| r.id == id)
    }

    fn annotator(&self) -> anyhow::Result<String> {
        self.annotator
            .clone()
            .ok_or_else(|| anyhow::anyhow!("enter your annotator name first (bottom left)"))
    }

    pub(in crate::gui) fn layer_filter(&self) -> LayerFilter {
        LayerFilter {
            reviewing: self.review.is_some(),
            active: self.annotator.clone(),
            owners: self.layer_owners.clone(),
            own_suggestions: self.own_suggestions,
        }
    }

    /// The document in the middle, or a hint when there is none.
    fn document_ui(&mut self, ui: &mut Ui) {
        let selected = self.selected;
        let current_label = self.current_label.clone();
        let mut out = Vec::new();
        match &mut self.open {
            Some(open) => {
                ui.horizontal(|ui| {
                    ui.heading(open.document.name.rsplit('/').next().unwrap_or(&open.document.name));
                    ui.label(RichText::new(i18n::document_status_name(open.document.status)).weak());
                });
                let input = ViewInput {
                    entities: &open.entities,
                    relations: &open.relations,
                    labels: &self.labels,
                    selected,
                    selected_relation: self.selected_relation,
                    picking_tail: matches!(self.relation_mode, Some(RelationMode::PickTail { .. })),
                    tail_candidate: match &self.relation_mode {
                        Some(RelationMode::PickTail { candidates, index, .. }) => candidates.get(*index).copied(),
                        _ => None,
                    },
                    current_label: &current_label,
                };
                open.view.ui(ui, &input, &mut out);
                if let Some(id) = open.view.take_context_entity() {
                    super::panels::context_menu::remember(ui.ctx(), id);
                }
            }
            None => {
                let no_documents = self.list.count == 0;
                ui.vertical_centered(|ui| {
                    ui.add_space(ui.available_height() / 3.0);
                    if no_documents {
                        ui.heading(tr("No documents yet: File → Import files…"));
                    }
                    ui.label(tr(
                        "Open a document on the left — then click a suggestion: Enter accepts, Delete rejects, ? shows all keys",
                    ));
                });
            }
        }
        self.commands.extend(out);
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }
}

impl App {
    /// One frame of the whole app: draws, then applies the commands the frame made.
    pub fn frame(&mut self, ui: &mut Ui) {
        i18n::set_current(self.lang);
        let ctx = ui.ctx().clone();
        if self.ctx.is_none()
            && let Err(e) = self.apply_saved_theme(&ctx)
        {
            self.error = Some(e.to_string());
        }
        self.ctx.get_or_insert_with(|| ctx.clone());
        self.poll_task(&ctx);
        self.poll_other_writers(&ctx);
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
        egui::CentralPanel::default().show(ui, |ui| self.document_ui(ui));
        self.context_menu_ui(&ctx);
        self.relation_type_ui(&ctx);
        self.schema_ui(&ctx);
        self.export_ui(&ctx);
        self.review_ui(&ctx);
        self.stats_ui(&ctx);
        self.search_ui(&ctx);
        self.help_ui(&ctx);
        self.find_ui(&ctx);
        self.goto_ui(&ctx);
        self.path_window_ui(&ctx);
        self.server_window_ui(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.apply(command);
        }
        // Stamped once the first frame is built, so it includes laying out the document.
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
    }
}

#[cfg(test)]
mod tests;
