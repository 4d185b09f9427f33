//! The core's error type. Messages are lowercase, carry their context, and put the path last.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file's content is bad: undecodable, malformed, offsets out of range.
    #[error("{}{message} in {}", line_prefix(*.line), .path.display())]
    Input {
        path: PathBuf,
        /// 1-based line number, where the problem sits on one line.
        line: Option<usize>,
        message: String,
    },

    /// A document to import whose annotations break an invariant, alone or together with
    /// those the project holds for the same text. `document` is its name (`FILE:LINE` for
    /// line formats), which import turns back into the file and line.
    #[error("{document}: {message}")]
    Conflict { document: String, message: String },

    /// A file or folder could not be read or written.
    #[error("cannot access {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },

    /// The request itself is wrong: an unknown document id, a missing project, a bad option.
    #[error("{0}")]
    Invalid(String),

    /// The project file was written by a newer biaozhu.
    #[error(
        "project {} has schema version {found}, newer than this build of biaozhu knows ({known}); upgrade biaozhu",
        .path.display()
    )]
    NewerSchema { path: PathBuf, found: i64, known: i64 },

    /// SQLite failed. This is never the user's fault, except for a file that is not a project.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),

    /// PostgreSQL failed: the server, the connection or a statement.
    #[error("server error: {}", pg_message(.0))]
    Pg(#[from] postgres::Error),

    /// An edit was based on a row that someone else has changed since it was read; nothing
    /// was written, and the caller should read the row again.
    #[error("{what} was changed by someone else since it was read; nothing was written, reload and try again")]
    Stale { what: String },

    /// JSON (de)serialisation of stored metadata failed.
    #[error("json error: {0}")]
    Json(#[from] serde_json::Error),
}

/// The server's own message with its detail, or the connection error.
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => e.to_string(),
    }
}

fn line_prefix(line: Option<usize>) -> String {
    line.map(|n| format!("line {n}: ")).unwrap_or_default()
}

impl Error {
    /// Whether another connection held the project's write lock for longer than the busy
    /// timeout: the request itself was fine and may be tried again.
    pub fn is_busy(&self) -> bool {
        use postgres::error::SqlState;
        match self {
            Error::Sql(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                )
            }
            Error::Pg(e) => e.code().is_some_and(|code| {
                [
                    SqlState::LOCK_NOT_AVAILABLE,
                    SqlState::T_R_DEADLOCK_DETECTED,
                    SqlState::T_R_SERIALIZATION_FAILURE,
                ]
                .contains(code)
            }),
            _ => false,
        }
    }

    /// Whether the connection to the server was lost (the server restarted or shut down,
    /// the network went away): the request failed, and the store connects again for the
    /// next one, which may be the same request.
    pub fn is_disconnected(&self) -> bool {
        match self {
            // No code: the connection failed or was closed; class 08 (connection exception),
            // 57P (operator intervention: shutdown, crash, restart).
            Error::Pg(e) => {
                e.is_closed()
                    || e.code()
                        .is_none_or(|code| code.code().starts_with("08") || code.code().starts_with("57P"))
            }
            _ => false,
        }
    }

    /// A bad-input error at `line` (1-based) of `path`.
    pub fn input(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Whether the user can fix this by changing their input or request (CLI exit code 1),
    /// rather than an internal failure (exit code 2).
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Input { .. }
            | Error::Conflict { .. }
            | Error::Io { .. }
            | Error::Invalid(_)
            | Error::NewerSchema { .. }
            | Error::Stale { .. } => true,
            // No code: the connection failed; class 28 (authorization), 3D (no such database),
            // 23 (the database's constraints refused the data, e.g. another client's row came
            // first), 42501 (no privilege: the user's role may not do it).
            Error::Pg(e) => e.code().is_none_or(|code| {
                let code = code.code();
                ["28", "3D", "23"].iter().any(|class| code.starts_with(class)) || code == "42501"
            }),
            Error::Sql(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::CannotOpen)
            ),
            Error::Json(_) => false,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
