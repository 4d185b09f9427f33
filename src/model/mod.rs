//! The document model: the data types every layer shares. Every offset is a Unicode code-point offset into the document
//! text, half-open: `[char_start, char_end)`, as Python's `text[start:end]`.

use serde::{Deserialize, Serialize};

mod dataset;
mod names;
mod team;
mod training;

pub use dataset::{AnnotatedDocument, IndexedRelation, NewDocument, StatusFilter};
pub use names::{
    ANNOTATOR_GOLD, ANNOTATOR_IMPORT, ANNOTATOR_PRETAG, ANNOTATOR_SCHEMA, MAX_NAME_CHARS, SOURCE_ADJUDICATION,
    SOURCE_CORRECTED, SOURCE_IMPORT, SOURCE_MANUAL, SOURCE_PROPAGATED, SOURCE_SEARCH, check_label_name,
};
pub use team::{ListScope, Role, User};
pub use training::{ModelRecord, TrainReport, TrainingDocument};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A document's row id in the project.
    DocumentId
);
id_type!(
    /// An entity's row id in the project.
    EntityId
);
id_type!(
    /// A relation's row id in the project.
    RelationId
);

/// Where an annotation stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Proposed by the pre-tagger; not part of the dataset until accepted.
    Suggested,
    /// Confirmed or created by an annotator: the dataset.
    Accepted,
    /// Turned down; kept so it is not offered again anywhere in the project and
    /// agreement can count it.
    Rejected,
    /// Set aside in this document only, by a span drawn over it or "reject here". Unlike a
    /// rejection it says nothing about the string elsewhere. Entities only.
    Superseded,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Suggested,
        Status::Accepted,
        Status::Rejected,
        Status::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Superseded => "superseded",
        }
    }

    /// Suggested or accepted: what the invariants, the workspace and the layer count.
    pub fn is_live(self) -> bool {
        matches!(self, Status::Suggested | Status::Accepted)
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// How far a document's annotation has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    New,
    InProgress,
    Done,
}

impl DocStatus {
    pub const ALL: [DocStatus; 3] = [DocStatus::New, DocStatus::InProgress, DocStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::New => "new",
            DocStatus::InProgress => "in_progress",
            DocStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<DocStatus> {
        DocStatus::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// A half-open range of code points, `[char_start, char_end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharSpan {
    pub char_start: usize,
    pub char_end: usize,
}

impl CharSpan {
    pub fn new(char_start: usize, char_end: usize) -> Self {
        CharSpan { char_start, char_end }
    }

    pub fn n_chars(self) -> usize {
        self.char_end.saturating_sub(self.char_start)
    }

    pub fn is_empty(self) -> bool {
        self.char_end <= self.char_start
    }

    /// Whether the two spans share at least one character.
    pub fn overlaps(self, other: CharSpan) -> bool {
        self.char_start < other.char_end && other.char_start < self.char_end
    }

    pub fn contains(self, other: CharSpan) -> bool {
        self.char_start <= other.char_start && other.char_end <= self.char_end
    }
}

/// An imported article or sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    /// A human name: the file's path relative to what was imported, or `file.jsonl:LINE`.
    pub name: String,
    /// The path the document was imported from, when it came from a file.
    pub source_path: Option<String>,
    /// SHA-256 of the text, hex. Re-importing the same text is a no-op.
    pub content_hash: String,
    /// The text, LF line endings, no BOM.
    pub text: String,
    pub status: DocStatus,
    /// Extra fields of an imported JSONL line, kept as they were.
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// The encoding the file was decoded from (`utf-8`, `gb18030`).
    pub encoding: String,
    /// Unix milliseconds.
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A jieba word with its part-of-speech tag, borrowing the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'t> {
    pub word: &'t str,
    pub char_start: usize,
    pub char_end: usize,
    /// jieba's POS tag: `nr` person, `ns` place, `nt` organization, `m` numeral, …
    pub pos: &'t str,
}

impl Token<'_> {
    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.char_start, self.char_end)
    }
}

/// A labelled span of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: EntityId,
    pub document_id: DocumentId,
    pub char_start: usize,
    pub char_end: usize,
    pub label: String,
    pub status: Status,
    /// A pre-tagger rule name, [`SOURCE_MANUAL`] or [`SOURCE_IMPORT`].
    pub source: String,
    /// The pre-tagger's confidence in `[0, 1]`; `None` for human annotations.
    pub confidence: Option<f64>,
    pub annotator: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl Entity {
    pub fn span(&self) -> CharSpan {
        CharSpan::new(self.char_start, self.char_end)
    }
}

/// An entity that is not stored yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEntity {
    pub char_start: usize,
    pub char_end: usize,
    pub label: String,
    pub status: Status,
    pub source: String,
    pub confidence: Option<f64>,
    pub annotator: String,
}

impl NewEntity {
    /// An accepted entity from `source` (`manual`, `import`, …), with no confidence.
    pub fn accepted(span: CharSpan, label: impl Into<String>, source: &str, annotator: &str) -> Self {
        NewEntity {
            char_start: span.char_start,
            char_end: span.char_end,
            label: label.into(),
            status: Status::Accepted,
            source: source.to_owned(),
            confidence: None,
            annotator: annotator.to_owned(),
        }
    }

    /// An accepted entity that came in with an imported file.
    pub fn imported(char_start: usize, char_end: usize, label: impl Into<String>, annotator: &str) -> Self {
        NewEntity::accepted(CharSpan::new(char_start, char_end), label, SOURCE_IMPORT, annotator)
    }
}

/// A typed, directed link from a head entity to a tail entity of the same document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub id: RelationId,
    pub document_id: DocumentId,
    pub head: EntityId,
    pub tail: EntityId,
    /// The relation type's name, e.g. `任职`.
    pub kind: String,
    pub status: Status,
    pub source: String,
    pub annotator: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A relation that is not stored yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRelation {
    pub head: EntityId,
    pub tail: EntityId,
    pub kind: String,
    pub status: Status,
    pub source: String,
    pub annotator: String,
}

/// An entity label of the project schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The name stored on entities and exported, e.g. `ORG`.
    pub name: String,
    /// The name annotators read, e.g. `机构`.
    pub display_name: String,
    /// `#rrggbb`.
    pub color: String,
    /// A single key, `1`–`9` for the defaults.
    pub hotkey: Option<String>,
    pub description: String,
}

/// A relation type of the project schema, with the labels its ends may carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    pub name: String,
    pub description: String,
    /// Labels the head entity may carry; empty means any.
    pub head_labels: Vec<String>,
    /// Labels the tail entity may carry; empty means any.
    pub tail_labels: Vec<String>,
    pub hotkey: Option<String>,
}

impl RelationType {
    /// Whether a relation of this type may go from an entity labelled `head` to one labelled `tail`.
    pub fn allows(&self, head: &str, tail: &str) -> bool {
        let fits = |allowed: &[String], label: &str| allowed.is_empty() || allowed.iter().any(|l| l == label);
        fits(&self.head_labels, head) && fits(&self.tail_labels, tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_half_open() {
        let a = CharSpan::new(0, 3);
        assert!(!a.overlaps(CharSpan::new(3, 5)), "adjacent spans do not overlap");
        assert!(a.overlaps(CharSpan::new(2, 5)));
        assert_eq!(a.n_chars(), 3);
        assert!(a.contains(CharSpan::new(1, 3)));
        assert!(CharSpan::new(4, 4).is_empty());
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        for status in DocStatus::ALL {
            assert_eq!(DocStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("maybe"), None);
    }

    #[test]
    fn relation_type_constraints() {
        let located = RelationType {
            name: "位于".into(),
            description: String::new(),
            head_labels: vec!["ORG".into(), "LOC".into()],
            tail_labels: vec!["LOC".into()],
            hotkey: None,
        };
        assert!(located.allows("ORG", "LOC"));
        assert!(!located.allows("PER", "LOC"));
        assert!(!located.allows("LOC", "ORG"));
    }
}
