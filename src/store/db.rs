//! The one file that names a database driver: a project is an SQLite file (rusqlite) or a
//! PostgreSQL database (the sync `postgres` crate), and every statement in `store` is
//! written once, in SQLite's spelling with `?N` placeholders, and run on either.
//!
//! Invariants:
//! - On PostgreSQL, `?N` and `+?N` outside quoted text become `$N`; nothing else of a
//!   statement is rewritten. What the dialects spell differently is chosen by
//!   [`Db::is_pg`] at the call site.
//! - Values convert to the column type PostgreSQL infers for each parameter, and back from
//!   the column type it reports, so one `i64` binds an `INTEGER` or a `BIGINT` column.
//! - A [`Tx`] that is dropped without [`Tx::commit`] rolls back.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{IsNull, Type as PgType};

use crate::{Error, Result};

/// An open database connection.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Pg(Box<Pg>),
}

/// A PostgreSQL connection and its prepared statements, by their SQLite spelling. A
/// dropped connection is made again before the next transaction (never inside one, whose
/// work the server has discarded: that one fails).
pub(crate) struct Pg {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    url: String,
    in_transaction: Cell<bool>,
    backend_pid: Cell<u32>,
}

/// The most statements kept prepared on the server before the cache starts over.
const PG_STATEMENT_CACHE: usize = 512;

impl Pg {
    pub(crate) fn connect(url: &str) -> Result<Pg> {
        let mut client = super::migrations_pg::connect(url)?;
        let pid = backend_pid(&mut client)?;
        Ok(Pg {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            url: url.to_owned(),
            in_transaction: Cell::new(false),
            backend_pid: Cell::new(pid),
        })
    }

    pub(crate) fn backend_pid(&self) -> u32 {
        self.backend_pid.get()
    }

    /// Connects again when the connection dropped (the server restarted, the network
    /// went away) and no transaction was open.
    fn reconnect_if_closed(&self) -> Result<()> {
        if self.in_transaction.get() || !self.client.borrow().is_closed() {
            return Ok(());
        }
        self.reconnect()
    }

    fn reconnect(&self) -> Result<()> {
        let mut client = super::migrations_pg::connect(&self.url)?;
        self.backend_pid.set(backend_pid(&mut client)?);
        *self.client.borrow_mut() = client;
        self.statements.borrow_mut().clear();
        Ok(())
    }

    /// Runs `sql` through `run`. Outside a transaction, a connection found dropped by the
    /// request itself (the server restarted while this one was idle) is made again and the
    /// request sent once more: a read, a single-statement write that did not arrive, or a
    /// BEGIN. Never inside a transaction, whose work the server has discarded.
    fn run<T>(
        &self,
        sql: &str,
        mut run: impl FnMut(&mut postgres::Client, &postgres::Statement) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        let attempt = |run: &mut dyn FnMut(
            &mut postgres::Client,
            &postgres::Statement,
        ) -> std::result::Result<T, postgres::Error>|
         -> Result<T> {
            let stmt = self.statement(sql)?;
            Ok(run(&mut self.client(), &stmt)?)
        };
        match attempt(&mut run) {
            Err(e) if e.is_disconnected() && !self.in_transaction.get() => {
                self.reconnect()?;
                attempt(&mut run)
            }
            result => result,
        }
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        self.reconnect_if_closed()?;
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.borrow_mut().prepare(&pg_placeholders(sql))?;
        let mut cache = self.statements.borrow_mut();
        if cache.len() >= PG_STATEMENT_CACHE {
            cache.clear();
        }
        cache.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }
}

fn backend_pid(client: &mut postgres::Client) -> Result<u32> {
    let pid: i32 = client.query_one("SELECT pg_backend_pid()", &[])?.get(0);
    Ok(pid as u32)
}

/// `sql` with SQLite's `?N` (and `+?N`) placeholders as PostgreSQL's `$N`, outside quoted
/// literals and identifiers.
pub(crate) fn pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '+' if chars.peek() == Some(&'?') => {}
            '?' => {
                out.push('$');
                if !chars.peek().is_some_and(char::is_ascii_digit) {
                    // A bare `?` is not written in this crate; keep the statement invalid
                    // rather than guess its number.
                    out.push('?');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// A value bound to a statement parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    I64(i64),
    F64(f64),
    Bool(bool),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be bound to a parameter.
pub(crate) trait ToValue {
    fn value(&self) -> Value<'_>;
}

macro_rules! to_value_int {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn value(&self) -> Value<'_> {
                Value::I64(*self as i64)
            }
        }
    )*};
}
to_value_int!(i64, i32, u32, usize, u8);

impl ToValue for f64 {
    fn value(&self) -> Value<'_> {
        Value::F64(*self)
    }
}
impl ToValue for bool {
    fn value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}
impl ToValue for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl ToValue for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl ToValue for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl ToValue for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

/// Parameters for a statement: `params![a, b]`, like rusqlite's.
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue] };
}
pub(crate) use params;

pub(crate) type Params<'p> = &'p [&'p dyn ToValue];

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::I64(v) => ValueRef::Integer(v),
            Value::F64(v) => ValueRef::Real(v),
            Value::Bool(v) => ValueRef::Integer(v.into()),
            Value::Text(v) => ValueRef::Text(v.as_bytes()),
            Value::Blob(v) => ValueRef::Blob(v),
        }))
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl postgres::types::ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &PgType,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("cannot bind {self:?} to a {ty} parameter").into() };
        match *self {
            Value::Null => Ok(IsNull::Yes),
            Value::I64(v) => match *ty {
                PgType::INT8 => v.to_sql(ty, out),
                PgType::INT4 => i32::try_from(v)?.to_sql(ty, out),
                PgType::INT2 => i16::try_from(v)?.to_sql(ty, out),
                PgType::FLOAT8 => (v as f64).to_sql(ty, out),
                PgType::BOOL => (v != 0).to_sql(ty, out),
                PgType::TEXT | PgType::VARCHAR => v.to_string().to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::F64(v) => match *ty {
                PgType::FLOAT8 => v.to_sql(ty, out),
                PgType::FLOAT4 => (v as f32).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::Bool(v) => match *ty {
                PgType::BOOL => v.to_sql(ty, out),
                PgType::INT8 => i64::from(v).to_sql(ty, out),
                PgType::INT4 => i32::from(v).to_sql(ty, out),
                _ => Err(mismatch()),
            },
            Value::Text(v) => match *ty {
                PgType::TEXT | PgType::VARCHAR | PgType::NAME | PgType::BPCHAR | PgType::UNKNOWN => {
                    v.to_sql(&PgType::TEXT, out)
                }
                _ => Err(mismatch()),
            },
            Value::Blob(v) => match *ty {
                PgType::BYTEA => v.to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &PgType) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// A column value read from a row.
pub(crate) trait FromValue: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self>;
    fn from_pg(row: &postgres::Row, index: usize) -> Result<Self>;
}

fn pg_null(row: &postgres::Row, index: usize) -> Error {
    Error::Invalid(format!("column {} is NULL", row.columns()[index].name()))
}

/// A scalar decoded from whichever PostgreSQL type the column has.
trait PgScalar: Sized {
    fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>>;
}

fn pg_i64(row: &postgres::Row, index: usize) -> Result<Option<i64>> {
    Ok(match *row.columns()[index].type_() {
        PgType::INT8 => row.try_get::<_, Option<i64>>(index)?,
        PgType::INT4 => row.try_get::<_, Option<i32>>(index)?.map(i64::from),
        PgType::INT2 => row.try_get::<_, Option<i16>>(index)?.map(i64::from),
        PgType::BOOL => row.try_get::<_, Option<bool>>(index)?.map(i64::from),
        _ => row.try_get::<_, Option<i64>>(index)?,
    })
}

macro_rules! pg_int {
    ($($t:ty),*) => {$(
        impl PgScalar for $t {
            fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>> {
                pg_i64(row, index)?
                    .map(|v| <$t>::try_from(v).map_err(|_| Error::Invalid(format!("{v} is out of range"))))
                    .transpose()
            }
        }
    )*};
}
pg_int!(i64, i32, u32, usize);

impl PgScalar for f64 {
    fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>> {
        Ok(match *row.columns()[index].type_() {
            PgType::FLOAT4 => row.try_get::<_, Option<f32>>(index)?.map(f64::from),
            PgType::INT8 | PgType::INT4 | PgType::INT2 => pg_i64(row, index)?.map(|v| v as f64),
            _ => row.try_get::<_, Option<f64>>(index)?,
        })
    }
}
impl PgScalar for bool {
    fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>> {
        Ok(match *row.columns()[index].type_() {
            PgType::BOOL => row.try_get::<_, Option<bool>>(index)?,
            _ => pg_i64(row, index)?.map(|v| v != 0),
        })
    }
}
impl PgScalar for String {
    fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>> {
        Ok(row.try_get::<_, Option<String>>(index)?)
    }
}
impl PgScalar for Vec<u8> {
    fn pg(row: &postgres::Row, index: usize) -> Result<Option<Self>> {
        Ok(row.try_get::<_, Option<Vec<u8>>>(index)?)
    }
}

macro_rules! from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self> {
                row.get(index)
            }
            fn from_pg(row: &postgres::Row, index: usize) -> Result<Self> {
                <$t as PgScalar>::pg(row, index)?.ok_or_else(|| pg_null(row, index))
            }
        }
        impl FromValue for Option<$t> {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self> {
                row.get(index)
            }
            fn from_pg(row: &postgres::Row, index: usize) -> Result<Self> {
                <$t as PgScalar>::pg(row, index)
            }
        }
    )*};
}
from_value!(i64, i32, u32, f64, bool, String, Vec<u8>);

impl FromValue for usize {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self> {
        let v: i64 = row.get(index)?;
        usize::try_from(v).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(index, v))
    }
    fn from_pg(row: &postgres::Row, index: usize) -> Result<Self> {
        <usize as PgScalar>::pg(row, index)?.ok_or_else(|| pg_null(row, index))
    }
}

/// A column value of whatever type, for copying rows between backends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnyValue {
    Null,
    I64(i64),
    F64(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl FromValue for AnyValue {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Self> {
        use rusqlite::types::ValueRef;
        Ok(match row.get_ref(index)? {
            ValueRef::Null => AnyValue::Null,
            ValueRef::Integer(v) => AnyValue::I64(v),
            ValueRef::Real(v) => AnyValue::F64(v),
            ValueRef::Text(v) => AnyValue::Text(String::from_utf8_lossy(v).into_owned()),
            ValueRef::Blob(v) => AnyValue::Blob(v.to_vec()),
        })
    }

    fn from_pg(row: &postgres::Row, index: usize) -> Result<Self> {
        let value = match *row.columns()[index].type_() {
            PgType::INT8 | PgType::INT4 | PgType::INT2 | PgType::BOOL => pg_i64(row, index)?.map(AnyValue::I64),
            PgType::FLOAT8 | PgType::FLOAT4 => f64::pg(row, index)?.map(AnyValue::F64),
            PgType::BYTEA => row.try_get::<_, Option<Vec<u8>>>(index)?.map(AnyValue::Blob),
            _ => row.try_get::<_, Option<String>>(index)?.map(AnyValue::Text),
        };
        Ok(value.unwrap_or(AnyValue::Null))
    }
}

impl ToValue for AnyValue {
    fn value(&self) -> Value<'_> {
        match self {
            AnyValue::Null => Value::Null,
            AnyValue::I64(v) => Value::I64(*v),
            AnyValue::F64(v) => Value::F64(*v),
            AnyValue::Text(v) => Value::Text(v),
            AnyValue::Blob(v) => Value::Blob(v),
        }
    }
}

/// Whether `e` is a unique constraint the statement ran into.
pub(crate) fn is_unique_violation(e: &Error) -> bool {
    match e {
        Error::Pg(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
        Error::Sql(rusqlite::Error::SqliteFailure(e, _)) => e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE,
        _ => false,
    }
}

/// One result row.
pub(crate) enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `index`, as `T`.
    pub(crate) fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => Ok(T::from_sqlite(row, index)?),
            Row::Pg(row) => T::from_pg(row, index),
        }
    }
}

/// `Option` of a query that must find one row or none.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::Sql(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

fn no_rows() -> Error {
    Error::Sql(rusqlite::Error::QueryReturnedNoRows)
}

fn sqlite_values<'p>(params: Params<'p>) -> Vec<Value<'p>> {
    params.iter().map(|p| p.value()).collect()
}

fn pg_values<'p>(params: Params<'p>) -> Vec<Value<'p>> {
    params.iter().map(|p| p.value()).collect()
}

fn pg_refs<'v>(values: &'v [Value<'v>]) -> Vec<&'v (dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

/// A prepared statement.
pub(crate) enum Stmt<'c> {
    SqliteCached(rusqlite::CachedStatement<'c>),
    Sqlite(rusqlite::Statement<'c>),
    /// Prepared on first use and kept by the connection, by its SQLite spelling.
    Pg(&'c Pg, String),
}

impl Stmt<'_> {
    pub(crate) fn execute(&mut self, params: Params<'_>) -> Result<usize> {
        match self {
            Stmt::SqliteCached(stmt) => Ok(stmt.execute(rusqlite::params_from_iter(sqlite_values(params)))?),
            Stmt::Sqlite(stmt) => Ok(stmt.execute(rusqlite::params_from_iter(sqlite_values(params)))?),
            Stmt::Pg(pg, sql) => {
                let values = pg_values(params);
                let refs = pg_refs(&values);
                Ok(pg.run(sql, |client, stmt| client.execute(stmt, &refs))? as usize)
            }
        }
    }

    /// Calls `f` with each row in turn, without holding them all.
    pub(crate) fn for_each(&mut self, params: Params<'_>, mut f: impl FnMut(&Row) -> Result<()>) -> Result<()> {
        fn sqlite(
            stmt: &mut rusqlite::Statement<'_>,
            params: Params<'_>,
            f: &mut dyn FnMut(&Row) -> Result<()>,
        ) -> Result<()> {
            let mut rows = stmt.query(rusqlite::params_from_iter(sqlite_values(params)))?;
            while let Some(row) = rows.next()? {
                f(&Row::Sqlite(row))?;
            }
            Ok(())
        }
        match self {
            Stmt::SqliteCached(stmt) => sqlite(stmt, params, &mut f),
            Stmt::Sqlite(stmt) => sqlite(stmt, params, &mut f),
            Stmt::Pg(pg, sql) => {
                let values = pg_values(params);
                let refs = pg_refs(&values);
                let rows = pg.run(sql, |client, stmt| client.query(stmt, &refs))?;
                for row in &rows {
                    f(&Row::Pg(row))?;
                }
                Ok(())
            }
        }
    }

    /// Every row, mapped by `f`; an iterator of results, as rusqlite's `query_map`.
    pub(crate) fn query_map<T>(
        &mut self,
        params: Params<'_>,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.for_each(params, |row| {
            out.push(Ok(f(row)?));
            Ok(())
        })?;
        Ok(out.into_iter())
    }

    /// The first row, mapped by `f`; no row is an error that [`OptionalExtension::optional`] turns into `None`.
    pub(crate) fn query_row<T>(&mut self, params: Params<'_>, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut found = None;
        match self {
            Stmt::Pg(pg, sql) => {
                let values = pg_values(params);
                let refs = pg_refs(&values);
                let row = pg.run(sql, |client, stmt| client.query_opt(stmt, &refs))?;
                if let (Some(row), Some(f)) = (row, f.take()) {
                    found = Some(f(&Row::Pg(&row))?);
                }
            }
            _ => {
                self.for_each(params, |row| {
                    if let Some(f) = f.take() {
                        found = Some(f(row)?);
                    }
                    Ok(())
                })?;
            }
        }
        found.ok_or_else(no_rows)
    }
}

impl Db {
    pub(crate) fn is_pg(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(conn) => Ok(Stmt::SqliteCached(conn.prepare_cached(sql)?)),
            Db::Pg(pg) => Ok(Stmt::Pg(pg, sql.to_owned())),
        }
    }

    /// A statement run once: on SQLite not kept in the cache, on PostgreSQL prepared all the same.
    pub(crate) fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        match self {
            Db::Sqlite(conn) => Ok(Stmt::Sqlite(conn.prepare(sql)?)),
            Db::Pg(pg) => Ok(Stmt::Pg(pg, sql.to_owned())),
        }
    }

    pub(crate) fn execute(&self, sql: &str, params: Params<'_>) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub(crate) fn query_row<T>(&self, sql: &str, params: Params<'_>, f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Statements without parameters, separated by semicolons.
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Pg(pg) => {
                pg.reconnect_if_closed()?;
                Ok(pg.client().batch_execute(sql)?)
            }
        }
    }

    fn set_in_transaction(&self, open: bool) {
        if let Db::Pg(pg) = self {
            pg.in_transaction.set(open);
        }
    }

    /// Begins a write transaction. On SQLite it is IMMEDIATE: it takes the write lock at
    /// once, so a second writer waits its turn (the busy timeout) instead of failing when
    /// it first writes. On PostgreSQL it is READ COMMITTED; writers lock the rows they
    /// change.
    pub(crate) fn write_transaction(&self) -> Result<Tx<'_>> {
        match self {
            Db::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            // A BEGIN is always safe to send again on a new connection.
            Db::Pg(pg) => match self.execute_batch("BEGIN") {
                Err(e) if e.is_disconnected() => {
                    pg.reconnect()?;
                    self.execute_batch("BEGIN")?;
                }
                begun => begun?,
            },
        }
        self.set_in_transaction(true);
        Ok(Tx {
            db: self,
            open: Cell::new(true),
            bulk: false,
        })
    }

    /// A write transaction for work on many documents (import, merge, pre-tagging). On
    /// PostgreSQL such writers queue behind one another (an advisory lock), as SQLite's
    /// one writer does, while edits of other documents go on; rows notify nothing, and the
    /// commit notifies `all` once.
    pub(crate) fn bulk_transaction(&self) -> Result<Tx<'_>> {
        let mut tx = self.write_transaction()?;
        if self.is_pg() {
            self.execute_batch(
                "SELECT pg_advisory_xact_lock(hashtext('biaozhu:bulk')); SET LOCAL biaozhu.bulk = 'on'",
            )?;
            tx.bulk = true;
        }
        Ok(tx)
    }

    /// Locks document `id` until the transaction ends, so that the invariants checked on
    /// it before commit still hold at commit: two clients editing one document queue. A
    /// file has one writer at a time already.
    pub(crate) fn lock_document(&self, id: i64) -> Result<()> {
        if self.is_pg() {
            self.query_row("SELECT id FROM documents WHERE id = ?1 FOR UPDATE", params![id], |_| {
                Ok(())
            })
            .optional()?;
        }
        Ok(())
    }

    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Pg(_) => None,
        }
    }
}

/// A write transaction; it derefs to the connection, as rusqlite's does.
pub(crate) struct Tx<'c> {
    db: &'c Db,
    open: Cell<bool>,
    bulk: bool,
}

impl Tx<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        if self.bulk {
            self.db
                .execute_batch("SELECT nextval('biaozhu_changes'), pg_notify('biaozhu', 'all')")?;
        }
        self.open.set(false);
        // Still in the transaction while it commits: a dropped connection must fail the
        // COMMIT, not be made again for it (a COMMIT on a new connection commits nothing).
        let committed = self.db.execute_batch("COMMIT");
        self.db.set_in_transaction(false);
        if committed.is_err() {
            // A file stays in the transaction when its COMMIT fails (busy); a server has ended
            // it already, and answers this with a warning only.
            let _ = self.db.execute_batch("ROLLBACK");
        }
        committed
    }

    pub(crate) fn rollback(self) -> Result<()> {
        self.open.set(false);
        let rolled_back = self.db.execute_batch("ROLLBACK");
        self.db.set_in_transaction(false);
        rolled_back
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open.get() {
            // Nothing to report: a failed rollback leaves the connection to end the
            // transaction when it closes, which also discards it.
            let _ = self.db.execute_batch("ROLLBACK");
            self.db.set_in_transaction(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pg_placeholders;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(pg_placeholders("a = ?1 AND b = +?2"), "a = $1 AND b = $2");
        assert_eq!(pg_placeholders("x IN (?10, ?11)"), "x IN ($10, $11)");
        assert_eq!(pg_placeholders("s = '?1' AND t = ?1"), "s = '?1' AND t = $1");
        assert_eq!(pg_placeholders("\"a?1\" = ?3"), "\"a?1\" = $3");
        assert_eq!(pg_placeholders("n = n + 1"), "n = n + 1");
        assert_eq!(pg_placeholders("v = 'it''s' || ?2"), "v = 'it''s' || $2");
    }
}
