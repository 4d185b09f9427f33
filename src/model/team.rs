//! The people of a team project and what each may do.

/// A user's part in a team project, each allowed what the one before is, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Writes their own layer, and accepts or rejects the pre-tagger's suggestions.
    Annotator,
    /// Also writes every layer, `gold` included: imports, pre-tags, merges, adjudicates,
    /// edits the schema, trains.
    Curator,
    /// Also adds users and assigns documents.
    Manager,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Annotator, Role::Curator, Role::Manager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Annotator => "annotator",
            Role::Curator => "curator",
            Role::Manager => "manager",
        }
    }

    /// The name with its article: "an annotator", "a curator".
    pub fn with_article(self) -> &'static str {
        match self {
            Role::Annotator => "an annotator",
            Role::Curator => "a curator",
            Role::Manager => "a manager",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// A user of a team project: a server login with a project role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The annotator name their annotations carry.
    pub name: String,
    /// The PostgreSQL login.
    pub login: String,
    pub role: Role,
}

/// Which documents the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ListScope {
    #[default]
    All,
    /// The documents assigned to this annotator.
    Mine(String),
    /// The documents every assigned annotator has finished, two or more of them: ready for
    /// a curator to compare and adjudicate.
    ToReview,
}
