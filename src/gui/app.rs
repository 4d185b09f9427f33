//! The app: state, panels and the one `apply` that turns commands into transactions.

use std::path::PathBuf;
use std::time::Instant;

use egui::{Color32, Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::command::{Command, Decision, SchemaEdit};
use super::doc_view::{DocView, ViewInput, label_color};
use super::tasks::Task;
use crate::formats::{ExportOptions, Format};
use crate::model::StatusFilter;
use crate::model::{
    CharSpan, DocStatus, Document, DocumentId, Entity, EntityId, Label, NewEntity, NewRelation, Relation, RelationId,
    RelationType, SOURCE_MANUAL, Status,
};
use crate::project::export::export_to_path;
use crate::spans::{moved, next_entity, overlapping};
use crate::store::{DocumentSummary, Store};
use crate::text::{CharIndex, Segmenter};

/// The project meta key that remembers who annotates on this project file.
const ANNOTATOR_KEY: &str = "annotator";
/// The source of entities made by "label every occurrence".
const SOURCE_PROPAGATED: &str = "propagated";
/// The source of entities made by "label all hits" in the search window.
const SOURCE_SEARCH: &str = "search";
/// The source of gold entities decided in the review view.
const SOURCE_ADJUDICATION: &str = "adjudication";

/// The open document: its text, its entities and its view.
struct Open {
    document: Document,
    /// Every entity, rejected ones too, in text order.
    entities: Vec<Entity>,
    /// Every relation, rejected ones too.
    relations: Vec<Relation>,
    view: DocView,
}

/// Making a relation from the keyboard: first the tail, then the type.
#[derive(Debug, Clone, PartialEq)]
enum RelationMode {
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

/// Comparing two annotators on the open document and settling each difference in gold.
#[derive(Debug, Clone)]
struct Review {
    a: String,
    b: String,
    items: Vec<crate::review::DiffItem>,
    cursor: usize,
}

/// What the statistics window shows, read once when it opens.
#[derive(Debug, Clone, Default)]
struct StatsSnapshot {
    /// Per document: name, accepted, still suggested, characters, done.
    documents: Vec<(String, usize, usize, usize, bool)>,
    labels: Vec<(String, usize)>,
    relation_types: Vec<(String, usize)>,
    /// Exact-span F1 per label of the first two annotators, if there are two.
    agreement: Option<AgreementSummary>,
    /// Cumulative accepted annotations over time: (hours since the first, count).
    over_time: Vec<[f64; 2]>,
}

/// Two annotators, their exact-span F1 per label, and their token κ.
type AgreementSummary = (String, String, Vec<(String, f64)>, f64);

/// The corpus search (Ctrl+Shift+F).
#[derive(Debug, Clone, Default)]
struct Search {
    query: String,
    regex: bool,
    /// Only hits on an entity with this label.
    label: Option<String>,
    /// Only hits on an entity with this status.
    status: Option<Status>,
    /// Find the places where a string annotated elsewhere is left unannotated.
    unannotated: bool,
    hits: Vec<SearchHit>,
}

/// One search hit with its keyword-in-context line.
#[derive(Debug, Clone, PartialEq)]
struct SearchHit {
    document: DocumentId,
    span: CharSpan,
    left: String,
    hit: String,
    right: String,
    /// Labels (with `?` for suggestions) of the entities the hit touches.
    labels: Vec<String>,
}

/// The export window's choices.
#[derive(Debug, Clone)]
struct ExportDraft {
    format: Format,
    include_suggestions: bool,
    annotator: String,
    labels: Vec<(String, bool)>,
    bioes: bool,
    split: String,
    seed: u64,
    path: String,
}

/// What the schema window is typing.
#[derive(Debug, Clone, Default)]
struct SchemaDraft {
    label_name: String,
    label_display: String,
    type_name: String,
    type_head: String,
    type_tail: String,
    rename_from: String,
    rename_to: String,
    /// A removal that needs a second click: (is a label, name, how many uses).
    confirm: Option<(bool, String, usize)>,
}

/// The desktop app. Public so that tests drive the real thing.
pub struct App {
    store: Store,
    segmenter: Segmenter,
    annotator: Option<String>,
    annotator_draft: String,
    labels: Vec<Label>,
    relation_types: Vec<RelationType>,
    documents: Vec<DocumentSummary>,
    document_filter: String,
    open: Option<Open>,
    selected: Option<EntityId>,
    selected_relation: Option<RelationId>,
    relation_mode: Option<RelationMode>,
    show_schema: bool,
    schema_draft: SchemaDraft,
    export_draft: Option<ExportDraft>,
    /// Annotators whose accepted layers are in the project (refreshed on reload).
    layer_owners: Vec<String>,
    review: Option<Review>,
    stats: Option<StatsSnapshot>,
    search: Option<Search>,
    annotator_switch: bool,
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
        let relation_types = store.relation_types()?;
        let mut app = App {
            store,
            segmenter,
            annotator,
            annotator_draft: String::new(),
            current_label: labels.first().map(|l| l.name.clone()).unwrap_or_default(),
            labels,
            relation_types,
            documents: Vec::new(),
            document_filter: String::new(),
            open: None,
            selected: None,
            selected_relation: None,
            relation_mode: None,
            show_schema: false,
            schema_draft: SchemaDraft::default(),
            export_draft: None,
            layer_owners: Vec::new(),
            review: None,
            stats: None,
            search: None,
            annotator_switch: false,
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

    /// Opens a view at start: `stats`, `search`, or `review` (the first two annotators).
    pub fn open_view(&mut self, view: &str) -> anyhow::Result<()> {
        match view {
            "stats" => self.open_stats()?,
            "search" => {
                self.search.get_or_insert_with(Search::default);
            }
            "review" => {
                let people: Vec<String> = self
                    .layer_owners
                    .iter()
                    .filter(|a| *a != crate::model::ANNOTATOR_GOLD)
                    .cloned()
                    .collect();
                let [a, b, ..] = people.as_slice() else {
                    anyhow::bail!("review needs two annotators' layers");
                };
                self.try_apply(Command::StartReview {
                    a: a.clone(),
                    b: b.clone(),
                })?;
            }
            other => anyhow::bail!("no view {other:?} (stats, search, review)"),
        }
        Ok(())
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
                let mut edit =
                    edit_in_document(&mut self.store, &self.open, &format!("relabel as {label}"), &annotator)?;
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
                let mut edit = edit_in_document(&mut self.store, &self.open, "accept all suggestions", &annotator)?;
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
                let summary = export_to_path(
                    &self.store,
                    Format::Doccano,
                    &ExportOptions::default(),
                    &path,
                    &mut |_, _| {},
                )?;
                self.message = format!(
                    "exported {} documents, {} entities, {} relations to {}",
                    summary.n_documents,
                    summary.n_entities,
                    summary.n_relations,
                    path.display()
                );
            }
            Command::Export { format, options, path } => {
                anyhow::ensure!(self.task.is_none(), "wait for the running task to finish");
                match self.on_disk() {
                    Some(db) => {
                        let ctx = self.ctx.clone().unwrap_or_default();
                        self.task = Some(Task::export(db, format, options, path, &ctx)?);
                    }
                    None => {
                        let summary = export_to_path(&self.store, format, &options, &path, &mut |_, _| {})?;
                        self.message = format!("exported {} documents as {}", summary.n_documents, format.name());
                    }
                }
            }
            Command::OpenProject(path) => {
                let store = Store::open(&path)?;
                let annotator = self.annotator.clone();
                let ctx = self.ctx.take();
                *self = App::new(store, annotator)?;
                self.ctx = ctx;
                self.message = format!("opened {}", path.display());
            }
            Command::StartRelation => {
                let Some(head) = self.selected.and_then(|id| self.entity(id)).cloned() else {
                    anyhow::bail!("select the span the relation starts from, then press R");
                };
                let candidates = self.tail_candidates(&head);
                anyhow::ensure!(
                    !candidates.is_empty(),
                    "no relation type starts from a {} span here",
                    head.label
                );
                self.relation_mode = Some(RelationMode::PickTail {
                    head: head.id,
                    candidates,
                    index: 0,
                });
                self.message = "relation: Tab picks the tail, Enter confirms, Esc cancels".to_owned();
            }
            Command::CycleTail { forward } => {
                if let Some(RelationMode::PickTail { candidates, index, .. }) = &mut self.relation_mode {
                    let n = candidates.len();
                    *index = if forward {
                        (*index + 1) % n
                    } else {
                        (*index + n - 1) % n
                    };
                }
            }
            Command::ConfirmTail(clicked) => {
                let Some(RelationMode::PickTail {
                    head,
                    candidates,
                    index,
                }) = self.relation_mode.clone()
                else {
                    return Ok(());
                };
                let tail = clicked.or_else(|| candidates.get(index).copied());
                match tail.filter(|t| candidates.contains(t)) {
                    Some(tail) => self.choose_type(head, tail, None)?,
                    None => anyhow::bail!("no relation type fits that span"),
                }
            }
            Command::ProposeRelation { head, tail } => self.choose_type(head, tail, None)?,
            Command::ChooseRelationType(kind) => {
                let Some(RelationMode::PickType {
                    head,
                    tail,
                    types,
                    retype,
                }) = self.relation_mode.take()
                else {
                    return Ok(());
                };
                anyhow::ensure!(types.contains(&kind), "{kind} does not fit these spans");
                let annotator = self.annotator()?;
                let unconfirmed: Vec<EntityId> = [head, tail]
                    .into_iter()
                    .filter(|end| self.entity(*end).is_some_and(|e| e.status == Status::Suggested))
                    .collect();
                let mut edit = edit_in_document(&mut self.store, &self.open, &format!("relation {kind}"), &annotator)?;
                let relation = match retype {
                    Some(id) => edit.update_relation(id, |r| {
                        r.kind = kind.clone();
                        r.status = Status::Accepted;
                    })?,
                    None => edit.add_relation(&NewRelation {
                        head,
                        tail,
                        kind: kind.clone(),
                        status: Status::Accepted,
                        source: SOURCE_MANUAL.to_owned(),
                        annotator: annotator.clone(),
                    })?,
                };
                // Linking two spans confirms them: a relation in the dataset needs both ends.
                for end in unconfirmed {
                    edit.update_entity(end, |e| e.status = Status::Accepted)?;
                }
                edit.commit()?;
                self.selected_relation = Some(relation.id);
                self.message = format!("{kind} relation saved");
                self.reload()?;
            }
            Command::CancelRelation => {
                self.relation_mode = None;
                self.message.clear();
            }
            Command::SelectRelation(id) => {
                self.selected_relation = id;
                if let Some(relation) = id.and_then(|id| self.relation(id)) {
                    self.selected = Some(relation.head);
                }
            }
            Command::RetypeSelectedRelation => {
                let Some(relation) = self.selected_relation.and_then(|id| self.relation(id)).cloned() else {
                    return Ok(());
                };
                self.choose_type(relation.head, relation.tail, Some(relation.id))?;
            }
            Command::AcceptRelation(id) => {
                let annotator = self.annotator()?;
                let unconfirmed: Vec<EntityId> = self
                    .relation(id)
                    .map(|r| vec![r.head, r.tail])
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|end| self.entity(*end).is_some_and(|e| e.status != Status::Accepted))
                    .collect();
                let mut edit = edit_in_document(&mut self.store, &self.open, "accept relation", &annotator)?;
                edit.update_relation(id, |r| r.status = Status::Accepted)?;
                // A relation in the dataset needs both its ends in it.
                for end in unconfirmed {
                    edit.update_entity(end, |e| e.status = Status::Accepted)?;
                }
                edit.commit()?;
                self.reload()?;
            }
            Command::RejectOrDeleteRelation(id) => {
                let annotator = self.annotator()?;
                let Some(relation) = self.relation(id).cloned() else {
                    return Ok(());
                };
                let mut edit = edit_in_document(&mut self.store, &self.open, "remove relation", &annotator)?;
                if relation.status == Status::Suggested {
                    edit.update_relation(id, |r| r.status = Status::Rejected)?;
                } else {
                    edit.delete_relation(id)?;
                }
                edit.commit()?;
                self.selected_relation = None;
                self.reload()?;
            }
            Command::EditSchema(edit) => self.edit_schema(edit)?,
            Command::SetAnnotator(name) => {
                let name = name.trim().to_owned();
                if name.is_empty() {
                    anyhow::bail!("an annotator name cannot be empty");
                }
                self.store.set_meta(ANNOTATOR_KEY, &name)?;
                self.annotator = Some(name);
                self.annotator_switch = false;
                self.reload()?;
            }
            Command::StartReview { a, b } => {
                anyhow::ensure!(a != b, "choose two different annotators");
                self.review = Some(Review {
                    a,
                    b,
                    items: Vec::new(),
                    cursor: 0,
                });
                self.selected = None;
                self.reload()?;
            }
            Command::CloseReview => {
                self.review = None;
                self.reload()?;
            }
            Command::ReviewMove { forward } => {
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
            Command::Adjudicate(decision) => self.adjudicate(decision)?,
            Command::Search => self.run_search()?,
            Command::SearchLabelAll(label) => self.label_search_hits(&label)?,
            Command::SearchAcceptSuggestions => self.accept_search_suggestions()?,
            Command::OpenHit(index) => {
                let Some(hit) = self.search.as_ref().and_then(|s| s.hits.get(index)).cloned() else {
                    return Ok(());
                };
                if self.current_document() != Some(hit.document) {
                    self.open_document(hit.document)?;
                }
                if let Some(open) = &mut self.open {
                    open.view.highlights = vec![hit.span];
                    self.selected = open.entities.iter().find(|e| e.span().overlaps(hit.span)).map(|e| e.id);
                    open.view.scroll_to_selection = true;
                }
            }
        }
        Ok(())
    }

    fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.open.as_ref()?.relations.iter().find(|r| r.id == id)
    }

    /// The relation types that may go from `head` to `tail`, by their labels.
    fn fitting_types(&self, head: &Entity, tail: &Entity) -> Vec<String> {
        self.relation_types
            .iter()
            .filter(|t| t.allows(&head.label, &tail.label))
            .map(|t| t.name.clone())
            .collect()
    }

    /// The spans a relation from `head` can go to, nearest first.
    fn tail_candidates(&self, head: &Entity) -> Vec<EntityId> {
        let Some(open) = &self.open else { return Vec::new() };
        let mut candidates: Vec<&Entity> = open
            .entities
            .iter()
            .filter(|e| e.id != head.id && e.status != Status::Rejected && !self.fitting_types(head, e).is_empty())
            .collect();
        candidates.sort_by_key(|e| (e.char_start.abs_diff(head.char_start), e.char_start));
        candidates.into_iter().map(|e| e.id).collect()
    }

    /// Offers the types that fit; with only one, uses it at once.
    fn choose_type(&mut self, head: EntityId, tail: EntityId, retype: Option<RelationId>) -> anyhow::Result<()> {
        let (Some(h), Some(t)) = (self.entity(head).cloned(), self.entity(tail).cloned()) else {
            return Ok(());
        };
        let types = self.fitting_types(&h, &t);
        anyhow::ensure!(
            !types.is_empty(),
            "no relation type goes from {} to {}",
            h.label,
            t.label
        );
        let only = (types.len() == 1 && retype.is_none()).then(|| types[0].clone());
        self.relation_mode = Some(RelationMode::PickType {
            head,
            tail,
            types,
            retype,
        });
        if let Some(kind) = only {
            self.try_apply(Command::ChooseRelationType(kind))?;
        }
        Ok(())
    }

    fn edit_schema(&mut self, edit: SchemaEdit) -> anyhow::Result<()> {
        match edit {
            SchemaEdit::AddLabel {
                name,
                display_name,
                color,
            } => {
                let hotkey = (self.labels.len() < 9).then(|| (self.labels.len() + 1).to_string());
                self.store.add_label(&Label {
                    name: name.trim().to_owned(),
                    display_name: display_name.trim().to_owned(),
                    color,
                    hotkey,
                    description: String::new(),
                })?;
            }
            SchemaEdit::RenameLabel { old, new } => {
                let mut label = self
                    .labels
                    .iter()
                    .find(|l| l.name == old)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("no label {old}"))?;
                label.name = new.trim().to_owned();
                self.store.update_label(&old, &label)?;
            }
            SchemaEdit::RemoveLabel { name, confirmed } => {
                let n = self.store.label_usage(&name)?;
                if n > 0 && !confirmed {
                    self.schema_draft.confirm = Some((true, name, n));
                    return Ok(());
                }
                self.store.remove_label(&name, true)?;
                self.schema_draft.confirm = None;
                self.message = format!("removed label {name} and {n} entities");
            }
            SchemaEdit::AddRelationType {
                name,
                head_labels,
                tail_labels,
            } => {
                self.store.add_relation_type(&RelationType {
                    name: name.trim().to_owned(),
                    description: String::new(),
                    head_labels,
                    tail_labels,
                    hotkey: None,
                })?;
            }
            SchemaEdit::RenameRelationType { old, new } => {
                let mut kind = self
                    .relation_types
                    .iter()
                    .find(|t| t.name == old)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("no relation type {old}"))?;
                kind.name = new.trim().to_owned();
                self.store.update_relation_type(&old, &kind)?;
            }
            SchemaEdit::RemoveRelationType { name, confirmed } => {
                let n = self.store.relation_type_usage(&name)?;
                if n > 0 && !confirmed {
                    self.schema_draft.confirm = Some((false, name, n));
                    return Ok(());
                }
                self.store.remove_relation_type(&name, true)?;
                self.schema_draft.confirm = None;
                self.message = format!("removed relation type {name} and {n} relations");
            }
        }
        self.labels = self.store.labels()?;
        self.relation_types = self.store.relation_types()?;
        if !self.labels.iter().any(|l| l.name == self.current_label) {
            self.current_label = self.labels.first().map(|l| l.name.clone()).unwrap_or_default();
        }
        self.reload()
    }

    fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.open.as_ref()?.entities.iter().find(|e| e.id == id)
    }

    fn refresh_documents(&mut self) -> anyhow::Result<()> {
        self.documents = self.store.documents()?;
        Ok(())
    }

    /// Whether the workspace shows an annotation by `annotator`: while reviewing only the
    /// gold layer; otherwise the active annotator's own, and what belongs to no layer of
    /// another annotator (suggestions, imports).
    fn shows(&self, annotator: &str) -> bool {
        if self.review.is_some() {
            return annotator == crate::model::ANNOTATOR_GOLD;
        }
        match &self.annotator {
            Some(active) => annotator == active || !self.layer_owners.iter().any(|o| o == annotator),
            None => true,
        }
    }

    /// The open document's entities and relations in the shown layer.
    fn layer(&self, id: DocumentId) -> anyhow::Result<(Vec<Entity>, Vec<Relation>)> {
        let entities: Vec<Entity> = self
            .store
            .entities(id, StatusFilter::All)?
            .into_iter()
            .filter(|e| self.shows(&e.annotator))
            .collect();
        let relations = self
            .store
            .relations(id, StatusFilter::All)?
            .into_iter()
            .filter(|r| entities.iter().any(|e| e.id == r.head) && entities.iter().any(|e| e.id == r.tail))
            .collect();
        Ok((entities, relations))
    }

    fn open_document(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let document = self.store.document(id)?;
        self.layer_owners = self.store.annotators()?;
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
        self.find = None;
        Ok(())
    }

    /// Reloads the open document's entities and the document list after an edit.
    fn reload(&mut self) -> anyhow::Result<()> {
        self.layer_owners = self.store.annotators()?;
        if let Some(id) = self.current_document() {
            let (entities, relations) = self.layer(id)?;
            let status = self.store.document(id)?.status;
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
        let mut edit = edit_in_document(&mut self.store, &self.open, "accept", &annotator)?;
        let entity = edit.update_entity(id, |e| e.status = Status::Accepted)?;
        edit.commit()?;
        self.reload()?;
        self.select_next_suggestion(&entity);
        Ok(())
    }

    fn reject_or_delete(&mut self, id: EntityId) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(entity) = self.entity(id).cloned() else {
            return Ok(());
        };
        let mut edit = edit_in_document(
            &mut self.store,
            &self.open,
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
        self.reload()?;
        if let Some(open) = &mut self.open {
            self.selected = next_entity(&open.entities, Some(&entity), true).filter(|next| *next != id);
            open.view.scroll_to_selection = true;
        }
        Ok(())
    }

    fn add_span(&mut self, span: CharSpan, label: &str) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(open) = &self.open else { return Ok(()) };
        let document_id = open.document.id;
        let clashes: Vec<Entity> = overlapping(&open.entities, span, None).into_iter().cloned().collect();
        let mut edit = edit_in_document(&mut self.store, &self.open, &format!("add {label}"), &annotator)?;
        for clash in &clashes {
            if clash.status == Status::Suggested {
                edit.update_entity(clash.id, |e| e.status = Status::Rejected)?;
            } else {
                edit.delete_entity(clash.id)?;
            }
        }
        let entity = edit.add_entity(
            document_id,
            &NewEntity::accepted(span, label, SOURCE_MANUAL, &annotator),
        )?;
        edit.commit()?;
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
        let mut edit = edit_in_document(&mut self.store, &self.open, "move boundary", &annotator)?;
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
                        &NewEntity::accepted(*span, entity.label.clone(), SOURCE_PROPAGATED, &annotator),
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
                let tagger = crate::project::pretag::tagger_for(&self.store)?;
                let (n, change) =
                    crate::project::pretag::pretag_documents(&mut self.store, &tagger, None, &mut |_, _| {})?;
                self.message = format!("pre-tagged {n} documents: {} suggestions added", change.n_added);
                self.reload()?;
            }
        }
        Ok(())
    }

    fn start_import(&mut self, paths: Vec<PathBuf>) -> anyhow::Result<()> {
        anyhow::ensure!(self.task.is_none(), "wait for the running task to finish");
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
                let report = crate::project::import::import_paths(&mut self.store, &paths, &annotator, &mut |_| {});
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
        if self.relation_mode.is_some() {
            self.relation_keyboard(ctx);
            return;
        }
        if self.review.is_some() {
            self.review_keyboard(ctx);
            return;
        }
        let command = |key| KeyboardShortcut::new(Modifiers::COMMAND, key);
        let command_shift = |key| KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, key);
        let plain = |key| KeyboardShortcut::new(Modifiers::NONE, key);
        let shift = |key| KeyboardShortcut::new(Modifiers::SHIFT, key);
        let alt = |key| KeyboardShortcut::new(Modifiers::ALT, key);
        let selected_relation = self.selected_relation;
        let mut out = Vec::new();
        ctx.input_mut(|i| {
            // Longest modifier sets first, so Ctrl+Shift+Z is not read as Ctrl+Z.
            if i.consume_shortcut(&command_shift(Key::Z)) {
                out.push(Command::Redo);
            }
            if i.consume_shortcut(&command_shift(Key::F)) {
                self.search.get_or_insert_with(Search::default);
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
            // A selected relation takes Enter, Delete, T and Esc before the spans do.
            if let Some(relation) = selected_relation {
                if i.consume_shortcut(&plain(Key::Enter)) {
                    out.push(Command::AcceptRelation(relation));
                }
                if i.consume_shortcut(&plain(Key::Delete)) || i.consume_shortcut(&plain(Key::Backspace)) {
                    out.push(Command::RejectOrDeleteRelation(relation));
                }
                if i.consume_shortcut(&plain(Key::T)) {
                    out.push(Command::RetypeSelectedRelation);
                }
                if i.consume_shortcut(&plain(Key::Escape)) {
                    out.push(Command::SelectRelation(None));
                }
            }
            if i.consume_shortcut(&plain(Key::R)) {
                out.push(Command::StartRelation);
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

    /// Keys while making a relation: Tab and Enter pick the tail, 1–9 or a type's hotkey
    /// the type, Esc leaves.
    fn relation_keyboard(&mut self, ctx: &egui::Context) {
        let plain = |key| KeyboardShortcut::new(Modifiers::NONE, key);
        let mut out = Vec::new();
        let mode = self.relation_mode.clone();
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
        ctx.input_mut(|i| {
            match &mode {
                Some(RelationMode::PickTail { .. }) => {
                    if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::SHIFT, Key::Tab))
                        || i.consume_shortcut(&plain(Key::ArrowLeft))
                    {
                        out.push(Command::CycleTail { forward: false });
                    }
                    if i.consume_shortcut(&plain(Key::Tab)) || i.consume_shortcut(&plain(Key::ArrowRight)) {
                        out.push(Command::CycleTail { forward: true });
                    }
                    if i.consume_shortcut(&plain(Key::Enter)) {
                        out.push(Command::ConfirmTail(None));
                    }
                }
                Some(RelationMode::PickType { types, .. }) => {
                    for (n, kind) in types.iter().enumerate() {
                        let hotkey = self
                            .relation_types
                            .iter()
                            .find(|t| &t.name == kind)
                            .and_then(|t| t.hotkey.as_deref())
                            .and_then(|h| Key::from_name(&h.to_uppercase()));
                        let by_number = number_keys.get(n).is_some_and(|key| i.consume_shortcut(&plain(*key)));
                        let by_hotkey = hotkey.is_some_and(|key| i.consume_shortcut(&plain(key)));
                        if by_number || by_hotkey {
                            out.push(Command::ChooseRelationType(kind.clone()));
                        }
                    }
                }
                None => {}
            }
            if i.consume_shortcut(&plain(Key::Escape)) {
                out.push(Command::CancelRelation);
            }
        });
        self.commands.extend(out);
    }

    /// The type chooser of a relation being made.
    fn relation_type_ui(&mut self, ctx: &egui::Context) {
        let Some(RelationMode::PickType { types, head, tail, .. }) = &self.relation_mode else {
            return;
        };
        let Some(open) = &self.open else { return };
        let text = |id: EntityId| {
            open.entities
                .iter()
                .find(|e| e.id == id)
                .map(|e| open.view.slice(e.span()).to_owned())
                .unwrap_or_default()
        };
        let title = format!("{} → {}", text(*head), text(*tail));
        let mut chosen = None;
        let mut cancel = false;
        egui::Window::new("Relation type")
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(RichText::new(title).strong());
                for (n, kind) in types.iter().enumerate() {
                    let description = self
                        .relation_types
                        .iter()
                        .find(|t| &t.name == kind)
                        .map(|t| t.description.clone())
                        .unwrap_or_default();
                    if ui
                        .button(format!("{}  {kind}", n + 1))
                        .on_hover_text(description)
                        .clicked()
                    {
                        chosen = Some(kind.clone());
                    }
                }
                if ui.button("Cancel (Esc)").clicked() {
                    cancel = true;
                }
            });
        if let Some(kind) = chosen {
            self.commands.push(Command::ChooseRelationType(kind));
        }
        if cancel {
            self.commands.push(Command::CancelRelation);
        }
    }

    /// The export window: every format and option.
    fn export_ui(&mut self, ctx: &egui::Context) {
        let Some(draft) = &mut self.export_draft else { return };
        let mut keep = true;
        let mut go = false;
        egui::Window::new("Export")
            .open(&mut keep)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("export").num_columns(2).show(ui, |ui| {
                    ui.label("format");
                    egui::ComboBox::new("format", "format")
                        .selected_text(draft.format.name())
                        .show_ui(ui, |ui| {
                            for format in Format::ALL {
                                ui.selectable_value(&mut draft.format, format, format.name());
                            }
                        });
                    ui.end_row();
                    ui.label("annotations");
                    ui.checkbox(&mut draft.include_suggestions, "suggestions too (never rejected ones)");
                    ui.end_row();
                    let annotator = ui.label("annotator");
                    ui.add(egui::TextEdit::singleline(&mut draft.annotator).hint_text("everyone"))
                        .labelled_by(annotator.id);
                    ui.end_row();
                    ui.label("labels");
                    ui.horizontal_wrapped(|ui| {
                        for (name, on) in &mut draft.labels {
                            ui.checkbox(on, name.as_str());
                        }
                    });
                    ui.end_row();
                    ui.label("tags");
                    ui.checkbox(&mut draft.bioes, "BIOES (conll, hf)");
                    ui.end_row();
                    let split = ui.label("split");
                    ui.add(egui::TextEdit::singleline(&mut draft.split).hint_text("train=0.8,dev=0.1,test=0.1"))
                        .labelled_by(split.id);
                    ui.end_row();
                    let seed = ui.label("seed");
                    ui.add(egui::DragValue::new(&mut draft.seed)).labelled_by(seed.id);
                    ui.end_row();
                    let path = ui.label(if draft.format.writes_folder() { "folder" } else { "file" });
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut draft.path)).labelled_by(path.id);
                        if ui.button("Browse…").clicked() {
                            let dialog = rfd::FileDialog::new();
                            let picked = if draft.format.writes_folder() {
                                dialog.pick_folder()
                            } else {
                                dialog.save_file()
                            };
                            if let Some(picked) = picked {
                                draft.path = picked.display().to_string();
                            }
                        }
                    });
                    ui.end_row();
                });
                go = ui.button("Export").clicked();
            });
        if go {
            let split = if draft.split.trim().is_empty() {
                Ok(Vec::new())
            } else {
                crate::formats::parse_split(&draft.split)
            };
            match split {
                Ok(split) => {
                    let options = ExportOptions {
                        statuses: if draft.include_suggestions {
                            StatusFilter::AcceptedAndSuggested
                        } else {
                            StatusFilter::Accepted
                        },
                        annotator: Some(draft.annotator.trim().to_owned()).filter(|a| !a.is_empty()),
                        labels: Some(
                            draft
                                .labels
                                .iter()
                                .filter(|(_, on)| *on)
                                .map(|(n, _)| n.clone())
                                .collect(),
                        ),
                        rename: Vec::new(),
                        scheme: if draft.bioes {
                            crate::formats::TagScheme::Bioes
                        } else {
                            crate::formats::TagScheme::Bio
                        },
                        split,
                        seed: draft.seed,
                    };
                    self.commands.push(Command::Export {
                        format: draft.format,
                        options,
                        path: PathBuf::from(draft.path.trim()),
                    });
                    keep = false;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        if !keep {
            self.export_draft = None;
        }
    }

    /// The schema window: labels and relation types, added, renamed or removed.
    fn schema_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_schema;
        let mut out = Vec::new();
        egui::Window::new("Schema")
            .open(&mut open)
            .default_width(420.0)
            .show(ctx, |ui| {
                let draft = &mut self.schema_draft;
                ui.heading("Labels");
                for label in &self.labels {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{} {} ({})",
                            label.name,
                            label.display_name,
                            label.hotkey.as_deref().unwrap_or("-")
                        ));
                        if ui.small_button("remove").clicked() {
                            out.push(Command::EditSchema(SchemaEdit::RemoveLabel {
                                name: label.name.clone(),
                                confirmed: false,
                            }));
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let name = ui.label("new label:");
                    ui.add(egui::TextEdit::singleline(&mut draft.label_name).desired_width(90.0))
                        .labelled_by(name.id);
                    let display = ui.label("中文:");
                    ui.add(egui::TextEdit::singleline(&mut draft.label_display).desired_width(70.0))
                        .labelled_by(display.id);
                    if ui.button("add").clicked() {
                        out.push(Command::EditSchema(SchemaEdit::AddLabel {
                            name: draft.label_name.clone(),
                            display_name: draft.label_display.clone(),
                            color: crate::schema::fallback_color(&draft.label_name),
                        }));
                    }
                });
                ui.separator();
                ui.heading("Relation types");
                for kind in &self.relation_types {
                    ui.horizontal(|ui| {
                        ui.label(format!(
                            "{}: {} → {}",
                            kind.name,
                            kind.head_labels.join("/"),
                            kind.tail_labels.join("/")
                        ));
                        if ui.small_button("remove").clicked() {
                            out.push(Command::EditSchema(SchemaEdit::RemoveRelationType {
                                name: kind.name.clone(),
                                confirmed: false,
                            }));
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let name = ui.label("new type:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_name).desired_width(70.0))
                        .labelled_by(name.id);
                    let head = ui.label("head labels:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_head).desired_width(60.0))
                        .labelled_by(head.id);
                    let tail = ui.label("tail labels:");
                    ui.add(egui::TextEdit::singleline(&mut draft.type_tail).desired_width(60.0))
                        .labelled_by(tail.id);
                    if ui.button("add").clicked() {
                        let split = |s: &str| {
                            s.split([',', '/', ' '])
                                .filter(|p| !p.is_empty())
                                .map(str::to_owned)
                                .collect()
                        };
                        out.push(Command::EditSchema(SchemaEdit::AddRelationType {
                            name: draft.type_name.clone(),
                            head_labels: split(&draft.type_head),
                            tail_labels: split(&draft.type_tail),
                        }));
                    }
                });
                ui.separator();
                ui.horizontal(|ui| {
                    let from = ui.label("rename:");
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_from).desired_width(80.0))
                        .labelled_by(from.id);
                    let to = ui.label("to:");
                    ui.add(egui::TextEdit::singleline(&mut draft.rename_to).desired_width(80.0))
                        .labelled_by(to.id);
                    if ui.button("rename").clicked() {
                        let (old, new) = (draft.rename_from.trim().to_owned(), draft.rename_to.clone());
                        out.push(Command::EditSchema(if self.labels.iter().any(|l| l.name == old) {
                            SchemaEdit::RenameLabel { old, new }
                        } else {
                            SchemaEdit::RenameRelationType { old, new }
                        }));
                    }
                });
                if let Some((is_label, name, n)) = draft.confirm.clone() {
                    ui.separator();
                    let what = if is_label {
                        format!("label {name} is used by {n} entities")
                    } else {
                        format!("relation type {name} is used by {n} relations")
                    };
                    ui.label(RichText::new(format!("{what}. Remove it and them?")).color(ui.visuals().warn_fg_color));
                    ui.horizontal(|ui| {
                        if ui.button("Remove").clicked() {
                            out.push(Command::EditSchema(if is_label {
                                SchemaEdit::RemoveLabel {
                                    name: name.clone(),
                                    confirmed: true,
                                }
                            } else {
                                SchemaEdit::RemoveRelationType {
                                    name: name.clone(),
                                    confirmed: true,
                                }
                            }));
                        }
                        if ui.button("Keep").clicked() {
                            draft.confirm = None;
                        }
                    });
                }
            });
        self.show_schema = open;
        self.commands.extend(out);
    }

    // ---- review, statistics, search ---------------------------------------------------

    /// Writes the reviewer's decision on the current difference into the gold layer,
    /// replacing an earlier decision there, and moves to the next undecided one.
    fn adjudicate(&mut self, decision: Decision) -> anyhow::Result<()> {
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
                    .ok_or_else(|| anyhow::anyhow!("{} has no span here", review.a))?,
                Status::Accepted,
            ),
            Decision::AcceptB => (
                item.label_b
                    .clone()
                    .ok_or_else(|| anyhow::anyhow!("{} has no span here", review.b))?,
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

    fn run_search(&mut self) -> anyhow::Result<()> {
        let Some(search) = &self.search else { return Ok(()) };
        let query = search.query.clone();
        let matcher = if search.regex {
            Some(regex::Regex::new(&query).map_err(|e| anyhow::anyhow!("not a regular expression: {e}"))?)
        } else {
            None
        };
        let known: Vec<(String, String)> = if search.unannotated {
            self.store.gazetteer_strings()?.0
        } else {
            Vec::new()
        };
        let mut hits = Vec::new();
        for summary in &self.documents {
            let document = self.store.document(summary.id)?;
            let entities: Vec<Entity> = self
                .store
                .entities(summary.id, StatusFilter::All)?
                .into_iter()
                .filter(|e| e.status != Status::Rejected && self.shows(&e.annotator))
                .collect();
            let index = CharIndex::new(&document.text);
            let mut spans: Vec<CharSpan> = Vec::new();
            let mut push_bytes = |start: usize, end: usize| {
                if let Some(range) = index.char_range(start..end)
                    && range.start < range.end
                {
                    spans.push(CharSpan::new(range.start, range.end));
                }
            };
            if search.unannotated {
                for (text, _) in &known {
                    for (byte, piece) in document.text.match_indices(text.as_str()) {
                        push_bytes(byte, byte + piece.len());
                    }
                }
            } else if let Some(matcher) = &matcher {
                for m in matcher.find_iter(&document.text) {
                    push_bytes(m.start(), m.end());
                }
            } else if !query.is_empty() {
                for (byte, piece) in document.text.match_indices(query.as_str()) {
                    push_bytes(byte, byte + piece.len());
                }
            }
            spans.sort();
            spans.dedup();
            let chars: Vec<char> = document.text.chars().collect();
            for span in spans {
                let touching: Vec<&Entity> = entities.iter().filter(|e| e.span().overlaps(span)).collect();
                if search.unannotated && !touching.is_empty() {
                    continue;
                }
                if let Some(label) = &search.label
                    && !touching.iter().any(|e| &e.label == label)
                {
                    continue;
                }
                if let Some(status) = search.status
                    && !touching.iter().any(|e| e.status == status)
                {
                    continue;
                }
                let context = |from: usize, to: usize| -> String {
                    chars[from..to]
                        .iter()
                        .map(|c| if *c == '\n' { ' ' } else { *c })
                        .collect()
                };
                hits.push(SearchHit {
                    document: summary.id,
                    span,
                    left: context(span.char_start.saturating_sub(14), span.char_start),
                    hit: context(span.char_start, span.char_end),
                    right: context(span.char_end, (span.char_end + 14).min(chars.len())),
                    labels: touching
                        .iter()
                        .map(|e| {
                            if e.status == Status::Suggested {
                                format!("{}?", e.label)
                            } else {
                                e.label.clone()
                            }
                        })
                        .collect(),
                });
            }
        }
        let n = hits.len();
        if let Some(search) = &mut self.search {
            search.hits = hits;
        }
        self.message = format!("{n} hits");
        Ok(())
    }

    fn label_search_hits(&mut self, label: &str) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(search) = &self.search else { return Ok(()) };
        let mut additions = Vec::new();
        for hit in &search.hits {
            let clear = self
                .store
                .entities(hit.document, StatusFilter::All)?
                .iter()
                .filter(|e| e.status != Status::Rejected && self.shows(&e.annotator))
                .all(|e| !e.span().overlaps(hit.span));
            if clear {
                additions.push((hit.document, hit.span));
            }
        }
        let mut edit = self
            .store
            .edit(&format!("label {} hits as {label}", additions.len()), &annotator)?;
        for (document, span) in &additions {
            edit.add_entity(*document, &NewEntity::accepted(*span, label, SOURCE_SEARCH, &annotator))?;
        }
        edit.commit()?;
        self.message = format!("labelled {} hits as {label}", additions.len());
        self.reload()?;
        self.run_search()
    }

    fn accept_search_suggestions(&mut self) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(search) = &self.search else { return Ok(()) };
        let mut ids = Vec::new();
        for hit in &search.hits {
            for entity in self.store.entities(hit.document, StatusFilter::All)? {
                if entity.status == Status::Suggested && entity.span().overlaps(hit.span) && !ids.contains(&entity.id) {
                    ids.push(entity.id);
                }
            }
        }
        let mut edit = self
            .store
            .edit(&format!("accept {} suggestions from search", ids.len()), &annotator)?;
        for id in &ids {
            edit.update_entity(*id, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.message = format!("accepted {} suggestions", ids.len());
        self.reload()?;
        self.run_search()
    }

    fn open_stats(&mut self) -> anyhow::Result<()> {
        let stats = self.store.stats()?;
        let mut snapshot = StatsSnapshot::default();
        for summary in &self.documents {
            snapshot.documents.push((
                summary.name.rsplit('/').next().unwrap_or(&summary.name).to_owned(),
                summary.n_accepted,
                summary.n_suggested,
                summary.n_chars,
                summary.status == DocStatus::Done,
            ));
        }
        for label in &self.labels {
            let n = stats
                .entities
                .get(&label.name)
                .and_then(|s| s.get("accepted"))
                .copied()
                .unwrap_or(0);
            snapshot.labels.push((label.name.clone(), n));
        }
        for kind in &self.relation_types {
            let n = stats
                .relations
                .get(&kind.name)
                .and_then(|s| s.get("accepted"))
                .copied()
                .unwrap_or(0);
            snapshot.relation_types.push((kind.name.clone(), n));
        }
        let people: Vec<String> = self
            .store
            .annotators()?
            .into_iter()
            .filter(|a| a != crate::model::ANNOTATOR_GOLD && a != "import")
            .collect();
        if let [a, b, ..] = people.as_slice() {
            let agreement = crate::project::review::compare(&self.store, a, b, &self.segmenter)?;
            let per_label = agreement
                .per_label()
                .iter()
                .map(|(l, c)| (l.clone(), c.exact().f1))
                .collect();
            snapshot.agreement = Some((a.clone(), b.clone(), per_label, agreement.kappa));
        }
        let times = self.store.accepted_times()?;
        if let Some(first) = times.first() {
            snapshot.over_time = times
                .iter()
                .enumerate()
                .map(|(i, t)| [(t - first) as f64 / 3_600_000.0, (i + 1) as f64])
                .collect();
        }
        self.stats = Some(snapshot);
        Ok(())
    }

    /// Keys while reviewing: move between differences, settle them, leave.
    fn review_keyboard(&mut self, ctx: &egui::Context) {
        let plain = |key| KeyboardShortcut::new(Modifiers::NONE, key);
        let shift = |key| KeyboardShortcut::new(Modifiers::SHIFT, key);
        let mut out = Vec::new();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&shift(Key::Tab)) || i.consume_shortcut(&plain(Key::ArrowUp)) {
                out.push(Command::ReviewMove { forward: false });
            }
            if i.consume_shortcut(&plain(Key::Tab)) || i.consume_shortcut(&plain(Key::ArrowDown)) {
                out.push(Command::ReviewMove { forward: true });
            }
            for (key, decision) in [
                (Key::A, Decision::AcceptA),
                (Key::B, Decision::AcceptB),
                (Key::E, Decision::Edit),
                (Key::R, Decision::Reject),
                (Key::Delete, Decision::Reject),
            ] {
                if i.consume_shortcut(&plain(key)) {
                    out.push(Command::Adjudicate(decision));
                }
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
            for (label, key) in self.labels.iter().zip(number_keys) {
                if i.consume_shortcut(&plain(key)) {
                    out.push(Command::SetCurrentLabel(label.name.clone()));
                }
            }
            if i.consume_shortcut(&plain(Key::Escape)) {
                out.push(Command::CloseReview);
            }
        });
        self.commands.extend(out);
    }

    fn review_ui(&mut self, ctx: &egui::Context) {
        let Some(review) = &self.review else { return };
        let Some(open) = &self.open else { return };
        let gold: Vec<&Entity> = open.entities.iter().collect();
        let mut out = Vec::new();
        egui::Window::new("Review")
            .default_pos([760.0, 120.0])
            .default_width(380.0)
            .show(ctx, |ui| {
                ui.label(RichText::new(format!("A = {}   B = {}   → gold", review.a, review.b)).strong());
                ui.label("↑/↓ move · A take A · B take B · E take with the palette label · R reject · Esc close");
                ui.separator();
                let agreed = review
                    .items
                    .iter()
                    .filter(|i| i.kind == crate::review::DiffKind::Agreed)
                    .count();
                ui.label(format!("{} places, {agreed} agreed", review.items.len()));
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    for (n, item) in review.items.iter().enumerate() {
                        let (mark, color) = match item.kind {
                            crate::review::DiffKind::Agreed => ("=", Color32::from_rgb(60, 140, 60)),
                            crate::review::DiffKind::LabelDiffers => ("≠", Color32::from_rgb(200, 120, 0)),
                            crate::review::DiffKind::OnlyA => ("A", Color32::from_rgb(40, 90, 180)),
                            crate::review::DiffKind::OnlyB => ("B", Color32::from_rgb(150, 60, 150)),
                        };
                        let decided = gold.iter().find(|g| g.span() == item.span).map(|g| {
                            if g.status == Status::Rejected {
                                "rejected".to_owned()
                            } else {
                                format!("gold {}", g.label)
                            }
                        });
                        let row = format!(
                            "{mark} {}  A:{}  B:{}  {}",
                            open.view.slice(item.span),
                            item.label_a.as_deref().unwrap_or("-"),
                            item.label_b.as_deref().unwrap_or("-"),
                            decided.unwrap_or_default()
                        );
                        let response = ui.selectable_label(n == review.cursor, RichText::new(row).color(color));
                        if n == review.cursor {
                            response.scroll_to_me(None);
                        }
                        if response.clicked() {
                            let steps = (n + review.items.len() - review.cursor) % review.items.len();
                            out.extend(std::iter::repeat_n(Command::ReviewMove { forward: true }, steps));
                        }
                    }
                });
                if ui.button("Close review (Esc)").clicked() {
                    out.push(Command::CloseReview);
                }
            });
        if let Some(open) = &mut self.open {
            let highlights: Vec<CharSpan> = review
                .items
                .get(review.cursor)
                .map(|i| vec![i.span])
                .unwrap_or_default();
            if highlights != open.view.highlights {
                open.view.scroll_to_highlight = true;
                open.view.highlights = highlights;
            }
        }
        self.commands.extend(out);
    }

    fn start_review_ui(&mut self, ui: &mut Ui) {
        let people: Vec<String> = self
            .layer_owners
            .iter()
            .filter(|a| *a != crate::model::ANNOTATOR_GOLD)
            .cloned()
            .collect();
        if people.len() < 2 {
            ui.label("Review needs two annotators' layers: merge their project files first.");
            return;
        }
        for (i, a) in people.iter().enumerate() {
            for b in &people[i + 1..] {
                if ui.button(format!("Review {a} vs {b}")).clicked() {
                    self.commands.push(Command::StartReview {
                        a: a.clone(),
                        b: b.clone(),
                    });
                    ui.close();
                }
            }
        }
    }

    fn stats_ui(&mut self, ctx: &egui::Context) {
        use egui_plot::{Bar, BarChart, Line, Plot};
        let Some(stats) = &self.stats else { return };
        let mut keep = true;
        let labels = self.labels.clone();
        egui::Window::new("Statistics")
            .open(&mut keep)
            .default_size([720.0, 840.0])
            .vscroll(true)
            .show(ctx, |ui| {
                let n_done = stats.documents.iter().filter(|d| d.4).count();
                let accepted: usize = stats.documents.iter().map(|d| d.1).sum();
                let left: usize = stats.documents.iter().map(|d| d.2).sum();
                ui.label(
                    RichText::new(format!(
                        "{n_done} of {} documents done · {accepted} accepted · {left} suggestions to check",
                        stats.documents.len()
                    ))
                    .strong(),
                );
                let bar_plot = |ui: &mut Ui, id: &str, title: &str, names: Vec<String>, bars: Vec<BarChart>| {
                    ui.label(RichText::new(title).strong());
                    Plot::new(id)
                        .height(105.0)
                        .allow_zoom(false)
                        .allow_drag(false)
                        .allow_scroll(false)
                        .show_x(false)
                        .x_axis_formatter(move |mark, _| {
                            let i = mark.value.round();
                            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                                names.get(i as usize).cloned().unwrap_or_default()
                            } else {
                                String::new()
                            }
                        })
                        .show(ui, |plot| {
                            for chart in bars {
                                plot.bar_chart(chart);
                            }
                        });
                };
                let names: Vec<String> = stats.documents.iter().map(|d| d.0.chars().take(12).collect()).collect();
                let done_bars = BarChart::new(
                    "accepted",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, d.1 as f64))
                        .collect(),
                )
                .color(Color32::from_rgb(70, 150, 90));
                let left_bars = BarChart::new(
                    "to check",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, d.2 as f64))
                        .collect(),
                )
                .color(Color32::from_rgb(230, 170, 60))
                .stack_on(&[&done_bars]);
                bar_plot(
                    ui,
                    "progress",
                    "Progress per document (accepted, and suggestions left)",
                    names.clone(),
                    vec![done_bars, left_bars],
                );
                let label_names: Vec<String> = stats.labels.iter().map(|l| l.0.clone()).collect();
                let label_bars = BarChart::new(
                    "entities",
                    stats
                        .labels
                        .iter()
                        .enumerate()
                        .map(|(i, (name, n))| {
                            Bar::new(i as f64, *n as f64)
                                .fill(label_color(&labels, name))
                                .name(name)
                        })
                        .collect(),
                );
                bar_plot(
                    ui,
                    "labels",
                    "Accepted entities per label",
                    label_names.clone(),
                    vec![label_bars],
                );
                let type_names: Vec<String> = stats.relation_types.iter().map(|t| t.0.clone()).collect();
                let type_bars = BarChart::new(
                    "relations",
                    stats
                        .relation_types
                        .iter()
                        .enumerate()
                        .map(|(i, (_, n))| Bar::new(i as f64, *n as f64))
                        .collect(),
                )
                .color(Color32::from_rgb(80, 100, 180));
                bar_plot(
                    ui,
                    "relations",
                    "Accepted relations per type",
                    type_names,
                    vec![type_bars],
                );
                let density = BarChart::new(
                    "per 1,000 chars",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, (d.1 + d.2) as f64 * 1000.0 / d.3.max(1) as f64))
                        .collect(),
                )
                .color(Color32::from_rgb(120, 120, 120));
                bar_plot(ui, "density", "Entities per 1,000 characters", names, vec![density]);
                match &stats.agreement {
                    Some((a, b, per_label, kappa)) => {
                        let names: Vec<String> = per_label.iter().map(|p| p.0.clone()).collect();
                        let bars = BarChart::new(
                            "exact F1",
                            per_label
                                .iter()
                                .enumerate()
                                .map(|(i, (name, f1))| Bar::new(i as f64, *f1).fill(label_color(&labels, name)))
                                .collect(),
                        );
                        bar_plot(
                            ui,
                            "agreement",
                            &format!("Agreement per label, {a} vs {b} (exact-span F1; token κ {kappa:.2})"),
                            names,
                            vec![bars],
                        );
                    }
                    None => {
                        ui.label("Agreement: needs two annotators' layers (merge their project files).");
                    }
                }
                ui.label(RichText::new("Accepted annotations over time (hours since the first)").strong());
                Plot::new("over-time")
                    .height(105.0)
                    .allow_zoom(false)
                    .allow_drag(false)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        plot.line(Line::new("accepted", stats.over_time.clone()).color(Color32::from_rgb(70, 150, 90)));
                    });
            });
        if !keep {
            self.stats = None;
        }
    }

    fn search_ui(&mut self, ctx: &egui::Context) {
        let Some(search) = &mut self.search else { return };
        let mut keep = true;
        let mut out = Vec::new();
        let labels = self.labels.clone();
        let current_label = self.current_label.clone();
        egui::Window::new("Search the corpus")
            .open(&mut keep)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("search:");
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut search.query).desired_width(260.0))
                        .labelled_by(label.id);
                    if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        out.push(Command::Search);
                    }
                    ui.checkbox(&mut search.regex, "regex");
                    if ui.button("Search").clicked() {
                        out.push(Command::Search);
                    }
                });
                ui.horizontal(|ui| {
                    egui::ComboBox::new("search-label", "label")
                        .selected_text(search.label.clone().unwrap_or_else(|| "any label".to_owned()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut search.label, None, "any label");
                            for label in &labels {
                                ui.selectable_value(&mut search.label, Some(label.name.clone()), label.name.as_str());
                            }
                        });
                    egui::ComboBox::new("search-status", "status")
                        .selected_text(search.status.map_or("any status", |s| s.as_str()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut search.status, None, "any status");
                            ui.selectable_value(&mut search.status, Some(Status::Suggested), "suggested");
                            ui.selectable_value(&mut search.status, Some(Status::Accepted), "accepted");
                        });
                    ui.checkbox(&mut search.unannotated, "unannotated occurrences of annotated strings");
                });
                ui.horizontal(|ui| {
                    ui.label(format!("{} hits", search.hits.len()));
                    if ui.button(format!("Label all hits as {current_label}")).clicked() {
                        out.push(Command::SearchLabelAll(current_label.clone()));
                    }
                    if ui.button("Accept every suggestion in the hits").clicked() {
                        out.push(Command::SearchAcceptSuggestions);
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for (n, hit) in search.hits.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(&hit.left).weak());
                            if ui.button(RichText::new(&hit.hit).strong()).clicked() {
                                out.push(Command::OpenHit(n));
                            }
                            ui.label(RichText::new(&hit.right).weak());
                            if !hit.labels.is_empty() {
                                ui.label(RichText::new(hit.labels.join(" ")).color(Color32::from_rgb(40, 90, 180)));
                            }
                        });
                    }
                });
            });
        if !keep {
            self.search = None;
        }
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
                if ui.button("Export…").clicked() {
                    self.export_draft = Some(ExportDraft {
                        format: Format::Doccano,
                        include_suggestions: false,
                        annotator: String::new(),
                        labels: self.labels.iter().map(|l| (l.name.clone(), true)).collect(),
                        bioes: false,
                        split: String::new(),
                        seed: 0,
                        path: "dataset.jsonl".to_owned(),
                    });
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
                ui.checkbox(&mut self.show_schema, "Schema: labels and relation types");
                if ui.button("Statistics").clicked() {
                    if let Err(e) = self.open_stats() {
                        self.error = Some(format!("{e:#}"));
                    }
                    ui.close();
                }
                if ui.button("Search the corpus (Ctrl+Shift+F)").clicked() {
                    self.search.get_or_insert_with(Search::default);
                    ui.close();
                }
                ui.separator();
                self.start_review_ui(ui);
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
        let relations: Vec<&Relation> = open.relations.iter().filter(|r| r.status != Status::Rejected).collect();
        ui.heading(format!("关系 Relations ({})", relations.len()));
        egui::ScrollArea::vertical()
            .id_salt("relations")
            .max_height(180.0)
            .show(ui, |ui| {
                for relation in relations {
                    let text_of = |id: EntityId| {
                        open.entities
                            .iter()
                            .find(|e| e.id == id)
                            .map(|e| open.view.slice(e.span()).to_owned())
                            .unwrap_or_default()
                    };
                    let mark = if relation.status == Status::Suggested {
                        "?"
                    } else {
                        "√"
                    };
                    let row = format!(
                        "{mark} {} —{}→ {}",
                        text_of(relation.head),
                        relation.kind,
                        text_of(relation.tail)
                    );
                    if ui
                        .selectable_label(Some(relation.id) == self.selected_relation, row)
                        .clicked()
                    {
                        self.commands.push(Command::SelectRelation(Some(relation.id)));
                    }
                }
            });
        ui.separator();
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
                Some(name) if !self.annotator_switch => {
                    ui.label(format!("标注员 annotator: {name}"));
                    if ui.small_button("switch").clicked() {
                        self.annotator_switch = true;
                        self.annotator_draft = name.clone();
                    }
                }
                _ => {
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

/// Starts an action on the open document; the first one also marks the document in
/// progress, in the same transaction, so that one undo takes back both.
fn edit_in_document<'s>(
    store: &'s mut Store,
    open: &Option<Open>,
    action: &str,
    annotator: &str,
) -> crate::Result<crate::store::Edit<'s>> {
    let mut edit = store.edit(action, annotator)?;
    if let Some(open) = open
        && open.document.status == DocStatus::New
    {
        edit.set_document_status(open.document.id, DocStatus::InProgress)?;
    }
    Ok(edit)
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
    (
        "R",
        "start a relation from the selected span: Tab picks the tail, Enter, then 1-9 the type",
    ),
    (
        "T / Delete (relation)",
        "retype / remove the selected relation; Enter accepts a suggested one",
    ),
    (
        "drag",
        "new span, snapped to words; Alt+drag: exact characters; span to span: a relation",
    ),
    (
        "click / right-click",
        "select / relabel, accept, delete, label everywhere",
    ),
    (
        "Ctrl+Shift+F",
        "search the whole corpus: label all hits, accept their suggestions",
    ),
    (
        "review: ↑/↓ A B E R",
        "move; take A's, B's, the palette label, or reject, into gold",
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
        self.relation_type_ui(&ctx);
        self.schema_ui(&ctx);
        self.export_ui(&ctx);
        self.review_ui(&ctx);
        self.stats_ui(&ctx);
        self.search_ui(&ctx);
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
