//! The annotator and source names the code itself writes. SQL binds them as parameters;
//! nothing retypes them as literals.

/// The annotator recorded on pre-tagger suggestions.
pub const ANNOTATOR_PRETAG: &str = "pretag";
/// The annotator recorded on imported annotations unless the caller names one.
pub const ANNOTATOR_IMPORT: &str = "import";
/// The annotator of the adjudicated layer.
pub const ANNOTATOR_GOLD: &str = "gold";
/// The annotator logged on schema edits when nobody is named.
pub const ANNOTATOR_SCHEMA: &str = "schema";

/// The `source` of an annotation an annotator made by hand.
pub const SOURCE_MANUAL: &str = "manual";
/// The `source` of an annotation that came in with an imported file.
pub const SOURCE_IMPORT: &str = "import";
/// The `source` of a span drawn over suggestions, which it supersedes.
pub const SOURCE_CORRECTED: &str = "corrected";
/// The `source` of entities made by "label every occurrence".
pub const SOURCE_PROPAGATED: &str = "propagated";
/// The `source` of entities made by "label all hits" of the corpus search.
pub const SOURCE_SEARCH: &str = "search";
/// The `source` of gold entities decided in review.
pub const SOURCE_ADJUDICATION: &str = "adjudication";
