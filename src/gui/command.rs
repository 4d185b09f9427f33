//! Everything a user can do, as data, grouped by concern: each nested enum is run by one
//! handler file in `app/`. Panels push commands; `App::apply` runs them.

use std::path::PathBuf;

use super::doc_view::ScrollTarget;
use crate::model::{DocumentId, EntityId, RelationId};

/// One user action, by concern. Each command that changes the project is one store
/// transaction.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum Command {
    /// Entities in the open document, documents, undo and redo.
    Annotate(AnnotateCommand),
    /// Making, choosing and settling relations.
    Relation(RelationCommand),
    /// Schema window: add a label or relation type, rename or remove one.
    Schema(SchemaEdit),
    /// Comparing two annotators and adjudicating into gold.
    Review(ReviewCommand),
    /// The project file: pre-tag, import, export, annotator.
    Project(ProjectCommand),
    /// The corpus search window's actions.
    Search(SearchCommand),
    /// Opening, closing and driving the windows.
    View(ViewCommand),
    /// A file dialog, whose answer becomes the command it asks for.
    Dialog(Dialog),
    /// The in-app path window: the file dialog that needs no desktop portal.
    Path(PathCommand),
}

/// Annotating entities: what `app/annotate.rs` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum AnnotateCommand {
    /// Show a document.
    OpenDocument(DocumentId),
    /// Select an entity, or nothing.
    Select(Option<EntityId>),
    /// Tab / →: the next span, suggestions first.
    SelectNext,
    /// Shift+Tab / ←: the previous span.
    SelectPrevious,
    /// Enter: accept the selected suggestion (and move on).
    AcceptSelected,
    /// Right-click → accept.
    Accept(EntityId),
    /// Delete / Backspace: reject the selected suggestion, or delete the selected span.
    RejectOrDeleteSelected,
    /// Right-click → delete, or for a suggestion "never suggest this string as LABEL": a
    /// rejection, which the pre-tagger then honours across the project.
    RejectOrDelete(EntityId),
    /// Right-click → "reject here": the suggestion is set aside in this document only.
    RejectHere(EntityId),
    /// 1–8 on a selection, or the context menu: give an entity another label (and accept it).
    Relabel(EntityId, String),
    /// 1–8 with nothing selected, or a click on the palette: the label new spans get.
    SetCurrentLabel(String),
    /// A drag over the text: a new accepted span with the current label. Overlapping
    /// suggestions are rejected and overlapping spans replaced, in the same transaction.
    AddSpan {
        char_start: usize,
        char_end: usize,
        label: String,
    },
    /// Shift+← / Shift+→ and Alt+← / Alt+→: move the selected span's start or end.
    MoveBoundary { start_delta: isize, end_delta: isize },
    /// A: accept every entity suggestion in the document.
    AcceptAll,
    /// Right-click → label every occurrence of this entity's text in the corpus.
    LabelEveryOccurrence(EntityId),
    /// Ctrl+Enter: mark the document done and open the next one. With suggestions left it
    /// first asks; the next Ctrl+Enter (or Enter) confirms.
    MarkDoneAndNext,
    /// Esc while asked whether to mark the document done with suggestions left: not now.
    CancelMarkDone,
    /// Ctrl+Z.
    Undo,
    /// Ctrl+Shift+Z.
    Redo,
}

/// Relations: what `app/relations.rs` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum RelationCommand {
    /// R: start a relation from the selected span; Tab then picks the tail.
    StartRelation,
    /// Tab / Shift+Tab while picking a tail.
    CycleTail { forward: bool },
    /// Enter while picking a tail, or a click on a span: choose the tail, then the type.
    ConfirmTail(Option<EntityId>),
    /// A drag from one span to another: a relation between them, type to choose.
    ProposeRelation { head: EntityId, tail: EntityId },
    /// 1–9 or a type's hotkey while choosing: the type of the new (or retyped) relation.
    ChooseRelationType(String),
    /// Esc: leave relation picking.
    CancelRelation,
    /// Select a relation (its ends are highlighted and its arc drawn), or none.
    SelectRelation(Option<RelationId>),
    /// T on a selected relation: choose another type.
    RetypeSelectedRelation,
    /// Enter on a selected suggested relation, or its row's button; on the selected one the
    /// selection then moves to the next suggestion of the list.
    AcceptRelation(RelationId),
    /// Delete on a selected relation: reject a suggestion, delete an accepted one (and, on
    /// the selected one, move on as Enter does).
    RejectOrDeleteRelation(RelationId),
    /// ↓ / ↑: the next or previous relation of the side
    /// panel's list (from a span: its first or last).
    StepListedRelation { forward: bool },
    /// Esc on a relation: back to the span whose relations the list shows.
    BackToSpan,
    /// The side panel's toggle: every relation of the document, or the selected span's.
    ShowAllRelations(bool),
    /// Shift+A: accept every relation suggestion whose two ends are accepted, in one
    /// transaction.
    AcceptReadyRelations,
}

/// Review: what `app/review.rs` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum ReviewCommand {
    /// View → Review: compare two annotators on the open document, adjudicating into gold.
    StartReview { a: String, b: String },
    /// Esc in review: back to annotating.
    CloseReview,
    /// ↓/Tab and ↑/Shift+Tab in review: the next or previous difference.
    ReviewMove { forward: bool },
    /// A, B, E, R in review: settle the current difference in the gold layer.
    Adjudicate(Decision),
}

/// The project: what `app/project.rs` runs.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum ProjectCommand {
    /// File → re-run pre-tag, in the background.
    RerunPretag,
    /// File → train the tagger now (Ctrl+T), in the background: learn from the complete
    /// documents, and re-suggest the untouched ones if the model beat the rules. Queued
    /// when another task runs.
    Train,
    /// File → retrain after every this many documents marked done (0: never), saved in
    /// the project.
    SetRetrainEvery(usize),
    /// File → import files, in the background.
    Import(Vec<PathBuf>),
    /// File → Export…: any format with its options, in the background.
    Export {
        format: crate::formats::Format,
        options: crate::formats::ExportOptions,
        path: PathBuf,
    },
    /// File → open another project file (created when missing).
    OpenProject(PathBuf),
    /// File → Save a copy…: a consistent single-file copy of the project, saved edits in
    /// the write-ahead log included ([`crate::store::Store::backup`]).
    SaveCopy(PathBuf),
    /// The annotator name, asked for once.
    SetAnnotator(String),
}

/// The corpus search window's actions: what `app/windows.rs` runs for it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum SearchCommand {
    /// Run the corpus search with the search window's query and filters.
    Search,
    /// Label every search hit that nothing covers yet, in one transaction.
    SearchLabelAll(String),
    /// Accept every suggestion the search hits touch, in one transaction.
    SearchAcceptSuggestions,
    /// Open the document of a search hit and show it.
    OpenHit(usize),
}

/// The windows: what opens them and what they ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewCommand {
    /// View → Statistics: read the corpus figures once and show them.
    OpenStatistics,
    /// Ctrl+Shift+F or View → Search: the corpus search window.
    OpenSearch,
    /// Ctrl+F: find in the document.
    OpenFind,
    /// The find query was edited: find its matches again.
    FindChanged,
    /// Enter in the find window: select at the next match (wrapping to the first).
    FindNext,
    /// Shift+Enter in the find window: the previous match (wrapping to the last).
    FindPrevious,
    /// PageUp/PageDown, Home/End, Ctrl+Home/Ctrl+End: scroll the document.
    ScrollDocument(ScrollTarget),
    /// Ctrl+G: the go-to window.
    OpenGoTo,
    /// Enter in the go-to window: jump to what its field says.
    GoTo,
    CloseGoTo,
    CloseFind,
    /// File → Export…: the export window with a fresh draft.
    OpenExport,
    /// The export window's Export button: its draft's options, checked, then
    /// [`ProjectCommand::Export`].
    ExportFromWindow,
    /// `?` and Esc: show or hide the shortcut sheet.
    ShowHelp(bool),
    /// The document list shows the lines at positions `first..end` (with the filter as
    /// typed), and some are not read yet: read them.
    ShowDocuments {
        first: usize,
        end: usize,
    },
    /// The document list's order; the uncertain order is a snapshot taken now.
    OrderDocuments(DocumentOrder),
    /// Which documents the list shows (on a team server): a scope other than all is a
    /// snapshot taken now, like the uncertain order.
    ScopeDocuments(DocumentScope),
    /// View → 中文 / English: the UI's language, remembered in the project.
    SetLanguage(crate::gui::i18n::Lang),
    /// View → Dark theme: the dark page (true) or the light one, kept in the project.
    SetDarkTheme(bool),
    /// File → Open server project…: the window for a server's address.
    OpenServerWindow,
    /// Enter or Open in that window: open the project at the typed address, as
    /// [`ProjectCommand::OpenProject`] opens a file; the window stays when that fails.
    OpenServer,
    /// Escape or Cancel in that window.
    CloseServerWindow,
}

/// Which documents the list shows on a team server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocumentScope {
    /// Every document.
    #[default]
    All,
    /// The documents assigned to the current annotator.
    Mine,
    /// The documents every assigned annotator has finished: ready for adjudication.
    ToReview,
}

/// The order of the document list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocumentOrder {
    /// By id, as imported.
    #[default]
    Id,
    /// Most uncertain first: by the least confidence among a document's suggestions, those
    /// without suggestions last. A snapshot: edits do not move lines; choosing the order
    /// again, or a training run, takes a new one.
    Uncertainty,
}

/// The file dialogs, each opened from a menu or a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// File → New or open project…, then [`ProjectCommand::OpenProject`].
    Project,
    /// File → Import files…, then [`ProjectCommand::Import`].
    ImportFiles,
    /// File → Import folder…, then [`ProjectCommand::Import`].
    ImportFolder,
    /// The export window's Browse…: a file or a folder, as the format writes.
    ExportPath,
    /// File → Save a copy…, then [`ProjectCommand::SaveCopy`].
    SaveCopy,
}

/// The path window's actions: what `app/dialogs.rs` runs for it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum PathCommand {
    /// Open the window for this dialog's question, in the project's folder.
    Open(Dialog),
    /// Show this folder's listing.
    Browse(PathBuf),
    /// Enter in its field: go up on `..`, into a typed folder, or choose the typed path.
    Submit,
    /// The answer: the window closes and the path becomes the command the dialog asks for.
    Choose(PathBuf),
    /// Escape or Cancel.
    Cancel,
}

/// How a reviewer settles one difference between annotators A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A: take A's span and label.
    AcceptA,
    /// B: take B's span and label.
    AcceptB,
    /// E: take the span with the label chosen in the palette.
    Edit,
    /// R / Delete: the span is no entity.
    Reject,
}

/// A change to the project's labels and relation types.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaEdit {
    AddLabel {
        name: String,
        display_name: String,
        color: String,
    },
    RenameLabel {
        old: String,
        new: String,
    },
    /// The schema window's colour and hotkey of a label; a hotkey another label has is
    /// refused.
    UpdateLabel {
        name: String,
        color: String,
        hotkey: Option<String>,
    },
    /// Remove a label; with `confirmed`, also its entities and their relations.
    RemoveLabel {
        name: String,
        confirmed: bool,
    },
    AddRelationType {
        name: String,
        head_labels: Vec<String>,
        tail_labels: Vec<String>,
    },
    RenameRelationType {
        old: String,
        new: String,
    },
    /// Remove a relation type; with `confirmed`, also its relations.
    RemoveRelationType {
        name: String,
        confirmed: bool,
    },
}

macro_rules! from_concern {
    ($($concern:ident($kind:ty)),* $(,)?) => {
        $(impl From<$kind> for Command {
            fn from(command: $kind) -> Self {
                Command::$concern(command)
            }
        })*
    };
}

from_concern!(
    Annotate(AnnotateCommand),
    Relation(RelationCommand),
    Schema(SchemaEdit),
    Review(ReviewCommand),
    Project(ProjectCommand),
    Search(SearchCommand),
    View(ViewCommand),
    Dialog(Dialog),
    Path(PathCommand),
);

impl SchemaEdit {
    /// The edit log's name for the change, shown by undo and redo.
    pub fn action(&self) -> String {
        match self {
            SchemaEdit::AddLabel { name, .. } => format!("add label {name}"),
            SchemaEdit::RenameLabel { old, new } => format!("rename label {old} to {new}"),
            SchemaEdit::UpdateLabel { name, .. } => format!("change label {name}"),
            SchemaEdit::RemoveLabel { name, .. } => format!("remove label {name}"),
            SchemaEdit::AddRelationType { name, .. } => format!("add relation type {name}"),
            SchemaEdit::RenameRelationType { old, new } => format!("rename relation type {old} to {new}"),
            SchemaEdit::RemoveRelationType { name, .. } => format!("remove relation type {name}"),
        }
    }
}
