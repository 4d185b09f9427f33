//! A team project's users, what each may write, and the assignment of documents to
//! annotators: k slots per document, claimed one at a time. Server only; on a file there is
//! one writer, who may write everything.
//!
//! Invariants:
//! - What a user may write is decided in the database (row-level security, `migrations_pg`
//!   V2); the checks here come first, for a message that says why.
//! - A claim is atomic: two annotators asking at once get different slots (`FOR UPDATE SKIP
//!   LOCKED`), an annotator never holds two slots of one document, and a claim not finished
//!   within the timeout goes back to the pool.

use std::time::Duration;

use super::db::{Db, OptionalExtension as _, params};
use super::{Store, now_ms};
use std::collections::{BTreeSet, HashMap};

use super::rows::{EntityRow, RelationRow};
use crate::model::{
    ANNOTATOR_GOLD, ANNOTATOR_PRETAG, DocStatus, DocumentId, Entity, EntityId, ListScope, Role, Status, User,
};
use crate::{Error, Result};

/// How long a claim holds before another annotator may take the slot, unless the project's
/// meta `claim_timeout_s` says otherwise.
pub const DEFAULT_CLAIM_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// `name` quoted as a PostgreSQL identifier.
fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    fn require_server(&self, what: &str) -> Result<()> {
        if self.db.is_pg() {
            Ok(())
        } else {
            Err(Error::Invalid(format!(
                "{what} needs a team server (--db postgres://…); a project file has one writer"
            )))
        }
    }

    /// The project user this connection logs in as, if it is one.
    pub fn me(&self) -> Result<Option<User>> {
        me(&self.db)
    }

    /// Every user of the project, by name.
    pub fn users(&self) -> Result<Vec<User>> {
        self.require_server("users")?;
        self.db
            .prepare("SELECT name, pg_role, role FROM users ORDER BY name")?
            .query_map(params![], user_from_row)?
            .collect()
    }

    /// Refuses, with who is signed in and as what, unless this connection may write
    /// `annotator`'s layer: their own, the pre-tagger's suggestions, or any for curators.
    pub(super) fn require_may_write(&self, annotator: &str) -> Result<()> {
        if !self.db.is_pg() {
            return Ok(());
        }
        let allowed: bool = self
            .db
            .query_row("SELECT biaozhu_may_write(?1)", params![annotator], |row| row.get(0))?;
        if allowed {
            return Ok(());
        }
        let me = self.me()?;
        let (name, role) = me.as_ref().map_or(("?", "?"), |u| (u.name.as_str(), u.role.as_str()));
        Err(Error::Invalid(format!(
            "signed in as {name} ({role}), you may not write {annotator:?}'s layer: an annotator writes their own \
             layer, a curator every layer"
        )))
    }

    /// Refuses unless this connection's user has at least `role` (a login that is no
    /// project user is bound by its table privileges only).
    pub(super) fn require_role(&self, role: Role, what: &str) -> Result<()> {
        require_role(&self.db, role, what)
    }

    /// A transaction for import, merge or pre-tagging, which are for curators.
    pub(super) fn bulk_transaction(&self, what: &str) -> Result<super::db::Tx<'_>> {
        self.require_role(Role::Curator, what)?;
        self.db.bulk_transaction()
    }

    /// Makes `login` (a PostgreSQL role, created with LOGIN when missing) the project user
    /// `name` with `role`, or changes an existing user's role, and grants what the role
    /// needs on the project's tables. For managers and administrators.
    pub fn add_user(&mut self, name: &str, login: &str, role: Role) -> Result<()> {
        self.require_server("users")?;
        self.require_role(Role::Manager, "adding users")?;
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::Invalid(format!("{name:?} is not a user name (no spaces)")));
        }
        let tx = self.db.write_transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM pg_roles WHERE rolname = ?1)",
            params![login],
            |row| row.get(0),
        )?;
        let quoted = identifier(login);
        if !exists {
            tx.execute_batch(&format!("CREATE ROLE {quoted} LOGIN"))?;
        }
        let schema: String = tx.query_row("SELECT current_schema()", params![], |row| row.get(0))?;
        let schema = identifier(&schema);
        let mut grants = vec![
            format!("GRANT USAGE ON SCHEMA {schema} TO {quoted}"),
            format!("GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {quoted}"),
            format!("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"),
        ];
        if role == Role::Annotator {
            grants.push(format!(
                "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {schema} FROM {quoted}"
            ));
            grants.push(format!(
                "GRANT INSERT, UPDATE, DELETE ON entities, relations, edit_log, meta, document_counts TO {quoted}"
            ));
            grants.push(format!("GRANT INSERT ON own_suggestions TO {quoted}"));
            grants.push(format!("GRANT UPDATE (status, updated_at_ms) ON documents TO {quoted}"));
            grants.push(format!(
                "GRANT UPDATE (annotator, claimed_at_ms, done_at_ms) ON assignments TO {quoted}"
            ));
        } else {
            grants.push(format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}"
            ));
        }
        tx.execute_batch(&grants.join(";\n"))?;
        tx.execute(
            "INSERT INTO users(name, pg_role, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET pg_role = excluded.pg_role, role = excluded.role",
            params![name, login, role.as_str()],
        )?;
        tx.commit()
    }

    /// Gives every document `per_document` slots (adding the missing ones; existing slots
    /// and their claims stay). Returns how many slots were added. For managers.
    pub fn assign(&mut self, per_document: usize) -> Result<usize> {
        self.require_server("assigning documents")?;
        self.require_role(Role::Manager, "assigning documents")?;
        let tx = self.db.write_transaction()?;
        let added = tx.execute(
            "INSERT INTO assignments(document_id, slot)
             SELECT d.id, s FROM documents d CROSS JOIN generate_series(0, ?1 - 1) AS s
             ON CONFLICT DO NOTHING",
            params![per_document as i64],
        )?;
        tx.commit()?;
        Ok(added)
    }

    /// The next document for `annotator` to work on: the one they hold unfinished, or a new
    /// slot of a document they have none of, claimed atomically. A claim older than the
    /// timeout and not finished is taken over. On a file (no assignments), the next
    /// document not done.
    pub fn claim_next(&mut self, annotator: &str) -> Result<Option<DocumentId>> {
        if !self.db.is_pg() {
            return self.next_document_to_do(None);
        }
        self.require_may_write(annotator)?;
        let timeout = self
            .meta("claim_timeout_s")?
            .and_then(|s| s.parse::<u64>().ok())
            .map_or(DEFAULT_CLAIM_TIMEOUT, Duration::from_secs);
        for _ in 0..5 {
            let now = now_ms();
            let tx = self.db.write_transaction()?;
            let held: Option<i64> = tx
                .query_row(
                    "UPDATE assignments SET claimed_at_ms = ?2
                     WHERE (document_id, slot) = (SELECT document_id, slot FROM assignments
                                                  WHERE annotator = ?1 AND done_at_ms IS NULL
                                                  ORDER BY claimed_at_ms, document_id LIMIT 1)
                     RETURNING document_id",
                    params![annotator, now],
                    |row| row.get(0),
                )
                .optional()?;
            let claimed = match held {
                Some(id) => Ok(Some(id)),
                None => tx
                    .query_row(
                        "WITH pick AS (
                             SELECT document_id, slot FROM assignments s
                             WHERE (s.annotator IS NULL OR (s.done_at_ms IS NULL AND s.claimed_at_ms < ?3))
                               AND NOT EXISTS (SELECT 1 FROM assignments o
                                               WHERE o.document_id = s.document_id AND o.annotator = ?1)
                             ORDER BY s.document_id, s.slot
                             LIMIT 1 FOR UPDATE SKIP LOCKED)
                         UPDATE assignments a SET annotator = ?1, claimed_at_ms = ?2, done_at_ms = NULL
                         FROM pick WHERE a.document_id = pick.document_id AND a.slot = pick.slot
                         RETURNING a.document_id",
                        params![annotator, now, now - timeout.as_millis() as i64],
                        |row| row.get(0),
                    )
                    .optional(),
            };
            match claimed {
                Ok(id) => {
                    tx.commit()?;
                    return Ok(id.map(DocumentId));
                }
                // The same annotator claimed this document in another window at once.
                Err(e) if super::db::is_unique_violation(&e) => {
                    tx.rollback()?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    /// Marks `annotator`'s slot of `document` finished (or open again for `done = false`).
    pub fn finish_claim(&mut self, document: DocumentId, annotator: &str, done: bool) -> Result<()> {
        if !self.db.is_pg() {
            return Ok(());
        }
        self.require_may_write(annotator)?;
        self.db.execute(
            "UPDATE assignments SET done_at_ms = ?3 WHERE document_id = ?1 AND annotator = ?2",
            params![document.0, annotator, done.then(now_ms)],
        )?;
        Ok(())
    }

    /// The ids of the documents in `scope` whose name contains `filter`, in id order.
    pub fn document_ids_in(&self, scope: &ListScope, filter: &str) -> Result<Vec<DocumentId>> {
        let condition = match scope {
            ListScope::All => "TRUE",
            ListScope::Mine(_) => "id IN (SELECT document_id FROM assignments WHERE annotator = ?2)",
            ListScope::ToReview => {
                "id IN (SELECT document_id FROM assignments GROUP BY document_id
                        HAVING count(*) >= 2 AND count(*) FILTER (WHERE done_at_ms IS NULL) = 0)"
            }
        };
        if *scope != ListScope::All {
            self.require_server("a list of assigned documents")?;
        }
        let name = if self.db.is_pg() {
            "strpos(name, ?1) > 0"
        } else {
            "instr(name, ?1) > 0"
        };
        let mine = match scope {
            ListScope::Mine(annotator) => annotator.as_str(),
            _ => "",
        };
        let sql = format!("SELECT id FROM documents WHERE (?1 = '' OR {name}) AND {condition} ORDER BY id");
        let mut stmt = self.db.prepare(&sql)?;
        let rows = if matches!(scope, ListScope::Mine(_)) {
            stmt.query_map(params![filter, mine], |row| row.get(0).map(DocumentId))?
        } else {
            stmt.query_map(params![filter], |row| row.get(0).map(DocumentId))?
        };
        rows.collect()
    }

    /// On a server, gives `annotator` their own copy of the pre-tagger's live suggestions in
    /// `document` (entities, and the suggested relations between them), in their layer, the
    /// first time they open it: so that each annotator of a shared project judges every
    /// suggestion, as with a file of their own, and one annotator's accept or reject never
    /// takes a suggestion from another. Suggestions that overlap a live span of theirs are
    /// left out. Returns whether the annotator has their own copy (always `false` on a
    /// file, where the pre-tagger's layer is the one annotator's).
    pub fn take_suggestions(&mut self, document: DocumentId, annotator: &str) -> Result<bool> {
        if !self.db.is_pg() || annotator == ANNOTATOR_PRETAG || annotator == ANNOTATOR_GOLD {
            return Ok(false);
        }
        self.require_may_write(annotator)?;
        let tx = self.db.write_transaction()?;
        tx.lock_document(document.0)?;
        let taken: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM own_suggestions WHERE document_id = ?1 AND annotator = ?2)",
            params![document.0, annotator],
            |row| row.get(0),
        )?;
        if taken {
            tx.commit()?;
            return Ok(true);
        }
        let (entities, relations) = super::check::annotations(&tx, document)?;
        let mine: Vec<&Entity> = entities
            .iter()
            .filter(|e| e.annotator == annotator && e.status.is_live())
            .collect();
        let now = now_ms();
        let copies: Vec<(EntityId, EntityRow)> = entities
            .iter()
            .filter(|e| e.annotator == ANNOTATOR_PRETAG && e.status == Status::Suggested)
            .filter(|e| !mine.iter().any(|m| m.span().overlaps(e.span())))
            .map(|e| {
                (
                    e.id,
                    EntityRow {
                        annotator,
                        created_at_ms: now,
                        updated_at_ms: now,
                        ..EntityRow::of(e)
                    },
                )
            })
            .collect();
        let rows_in: Vec<EntityRow> = copies.iter().map(|(_, row)| *row).collect();
        let ids = super::rows::insert_entities(&tx, &rows_in)?;
        let copy_of: HashMap<EntityId, EntityId> = copies.iter().map(|(from, _)| *from).zip(ids).collect();
        for relation in relations
            .iter()
            .filter(|r| r.annotator == ANNOTATOR_PRETAG && r.status == Status::Suggested)
        {
            if let (Some(head), Some(tail)) = (copy_of.get(&relation.head), copy_of.get(&relation.tail)) {
                super::rows::insert_relation(
                    &tx,
                    &RelationRow {
                        head: *head,
                        tail: *tail,
                        annotator,
                        created_at_ms: now,
                        updated_at_ms: now,
                        ..RelationRow::of(relation)
                    },
                )?;
            }
        }
        tx.execute(
            "INSERT INTO own_suggestions(document_id, annotator, taken_at_ms) VALUES (?1, ?2, ?3)",
            params![document.0, annotator, now],
        )?;
        super::check::require_valid(&tx, "taking the suggestions", &BTreeSet::from([document]))?;
        tx.commit()?;
        Ok(true)
    }

    /// Each slot of `document`: who holds it, and whether they finished.
    pub fn assignment_of(&self, document: DocumentId) -> Result<Vec<(Option<String>, DocStatus)>> {
        self.require_server("assignments")?;
        self.db
            .prepare("SELECT annotator, done_at_ms IS NOT NULL FROM assignments WHERE document_id = ?1 ORDER BY slot")?
            .query_map(params![document.0], |row| {
                let done: bool = row.get(1)?;
                let holder: Option<String> = row.get(0)?;
                let status = match (&holder, done) {
                    (_, true) => DocStatus::Done,
                    (Some(_), false) => DocStatus::InProgress,
                    (None, false) => DocStatus::New,
                };
                Ok((holder, status))
            })?
            .collect()
    }
}

/// The project user `db` logs in as, if it is one.
fn me(db: &Db) -> Result<Option<User>> {
    if !db.is_pg() {
        return Ok(None);
    }
    db.query_row(
        "SELECT name, pg_role, role FROM users WHERE pg_role = session_user",
        params![],
        user_from_row,
    )
    .optional()
}

/// Refuses unless the user `db` logs in as has at least `role`; a login that is no project
/// user (the owner, an administrator) is bound by its table privileges only.
pub(super) fn require_role(db: &Db, role: Role, what: &str) -> Result<()> {
    match me(db)? {
        Some(me) if me.role < role => Err(Error::Invalid(format!(
            "{what} is for {} or above; {} is {}",
            role.with_article(),
            me.name,
            me.role.with_article()
        ))),
        _ => Ok(()),
    }
}

fn user_from_row(row: &super::db::Row) -> Result<User> {
    let role: String = row.get(2)?;
    Ok(User {
        name: row.get(0)?,
        login: row.get(1)?,
        role: Role::parse(&role).ok_or_else(|| Error::Invalid(format!("unknown role {role:?}")))?,
    })
}

impl super::Edit<'_> {
    /// Refuses unless the user is a curator or above (or no project user).
    pub(super) fn require_curator(&self, what: &str) -> Result<()> {
        require_role(&self.tx, Role::Curator, what)
    }
}
