//! The floating windows. Each file holds one window's state and its drawing; drawing
//! changes only that state's typing and pushes commands for everything else.

pub mod export;
pub mod find;
pub mod goto;
pub mod help;
pub mod path;
pub mod relation_type;
pub mod review;
pub mod schema;
pub mod search;
pub mod server;
pub mod statistics;

/// The state of every window; `None` or `false` for a closed one.
#[derive(Default)]
pub struct Windows {
    pub show_help: bool,
    pub show_schema: bool,
    pub schema: schema::SchemaDraft,
    pub export: Option<export::ExportDraft>,
    pub stats: Option<statistics::StatsSnapshot>,
    pub search: Option<search::Search>,
    pub find: Option<find::Find>,
    pub goto: Option<goto::GoTo>,
    pub path: Option<path::PathWindow>,
    pub server: Option<server::ServerWindow>,
}
