//! Live updates from a team server: a connection of its own that listens on the project's
//! channel, where every commit that changes a document notifies its id.
//!
//! Invariant: a notification names the backend that sent it, so a client can leave out its
//! own commits, as SQLite's `data_version` does.

use std::time::Duration;

use super::migrations_pg::{CHANNEL, change_counter_of};
use crate::model::DocumentId;
use crate::{Error, Result};

/// What another connection changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Document(DocumentId),
    /// The schema, or many documents at once (an import, a pre-tag).
    All,
}

/// A listening connection to a project server.
pub struct Listener {
    client: postgres::Client,
}

impl Listener {
    pub fn connect(url: &str) -> Result<Listener> {
        let mut client = super::migrations_pg::connect(url)?;
        client.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(Listener { client })
    }

    /// The notifications that arrive within `timeout` (returning at the first batch), each
    /// with the id of the server process that committed it. An error means the connection
    /// dropped: connect again.
    pub fn wait(&mut self, timeout: Duration) -> Result<Vec<(u32, Change)>> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let mut out = Vec::new();
        {
            let mut notifications = self.client.notifications();
            let first = notifications.timeout_iter(timeout).next()?;
            if let Some(first) = first {
                out.push(first);
                // What arrived together is taken together.
                while let Some(next) = notifications.iter().next()? {
                    out.push(next);
                }
            }
        }
        if self.client.is_closed() {
            return Err(Error::Invalid("the connection to the server closed".to_owned()));
        }
        Ok(out
            .into_iter()
            .map(|n| {
                let change = n
                    .payload()
                    .parse()
                    .map_or(Change::All, |id| Change::Document(DocumentId(id)));
                (n.process_id() as u32, change)
            })
            .collect())
    }

    /// The project's change counter ([`super::Store::data_version`] on a server), for
    /// catching up after a reconnection.
    pub fn change_counter(&mut self) -> Result<i64> {
        change_counter_of(&mut self.client)
    }
}
