//! 标注 biaozhu: annotate Chinese text with entities and relations.
//!
//! The crate is the core (no GUI) plus, behind the `gui` feature, the desktop app.
//!
//! - [`model`]: documents, tokens, entities, relations, labels; every offset is a
//!   Unicode code-point offset, half-open `[char_start, char_end)`.
//! - [`spans`]: snapping drags to words, moving boundaries, Tab order (pure functions).
//! - [`schema`]: the default labels and relation types from the annotation guidelines.
//! - [`text`]: char↔byte conversion (the only place that does it), jieba segmentation,
//!   paragraph and sentence splitting, user dictionaries.
//! - [`integrity`]: the dataset invariants (no overlaps in a layer, relations between live
//!   entities their type allows), as pure functions the store enforces and `check` reports.
//! - [`store`]: the SQLite project file. The only module that sees SQL.
//! - [`formats`]: dataset readers and writers (doccano JSONL, brat, …), pure.
//! - `gui` (feature `gui`): the desktop app; the only module that sees egui.
//! - [`learn`]: a linear-chain tagger trained on accepted annotations (pure).
//! - [`pretag`]: suggestions for entities: rules, gazetteer and the learned model.
//! - [`review`]: agreement between annotators (F1, κ), diffs for adjudication.
//! - [`eval`]: precision, recall and F1 of predictions against gold entities.
//! - [`project`]: import, export, pre-tag and review a whole project; the default project.

pub mod error;
pub mod eval;
pub mod formats;
#[cfg(feature = "gui")]
pub mod gui;
pub mod integrity;
pub mod learn;
pub mod model;
pub mod pretag;
pub mod project;
pub mod review;
pub mod schema;
pub mod spans;
pub mod store;
pub mod text;

pub use error::{Error, Result};

/// `n` and its noun, singular for one: "1 match", "3 matches". Every message that counts
/// says it this way, in the app and the CLI.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}
