//! The panels around the document: menu bar, document list, side panel, status bar, and
//! the entity context menu. They read the app and push commands; they change only the
//! typing in [`Drafts`].

pub mod context_menu;
pub mod documents;
pub mod menu;
pub mod side;
pub mod status;

/// What the panels' text fields hold while typing.
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    /// The document list's filter.
    pub document_filter: String,
    /// The annotator name being typed.
    pub annotator: String,
    /// Whether the status bar asks for another annotator name.
    pub annotator_switch: bool,
}
