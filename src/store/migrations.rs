//! Schema migrations. Each entry upgrades a project file by one version; a new file runs
//! them all. The version lives in `PRAGMA user_version`. Never edit a shipped entry:
//! add a new one.

/// Version 1: meta, schema, documents, entities, relations and the edit log.
const V1: &str = r#"
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    hotkey TEXT,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE relation_types (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    head_labels TEXT NOT NULL DEFAULT '[]',
    tail_labels TEXT NOT NULL DEFAULT '[]',
    hotkey TEXT,
    position INTEGER NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source_path TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done')),
    metadata TEXT NOT NULL DEFAULT '{}',
    encoding TEXT NOT NULL DEFAULT 'utf-8',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    source TEXT NOT NULL,
    annotator TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    CHECK (0 <= char_start AND char_start < char_end)
);
CREATE INDEX entities_by_document ON entities(document_id, char_start);
CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    head_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    tail_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL REFERENCES relation_types(name) ON UPDATE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted', 'rejected')),
    source TEXT NOT NULL,
    annotator TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE INDEX relations_by_document ON relations(document_id);
CREATE INDEX relations_by_head ON relations(head_id);
CREATE INDEX relations_by_tail ON relations(tail_id);
CREATE TABLE edit_log (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    annotator TEXT NOT NULL,
    document_id INTEGER,
    ops TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
);
"#;

/// Version 2: pre-tagger confidence on entities, and the project's jieba user dictionary.
const V2: &str = r#"
ALTER TABLE entities ADD COLUMN confidence REAL;
CREATE TABLE user_dict (
    word TEXT PRIMARY KEY,
    freq INTEGER,
    pos TEXT
);
CREATE INDEX entities_by_label ON entities(label, status);
"#;

/// Version 3: the edit log may hold label and relation-type changes, which older builds
/// cannot read back, so they must refuse the file. The index serves undo and redo.
const V3: &str = r#"
CREATE INDEX edit_log_by_undone ON edit_log(undone, id);
"#;

/// Version 5: an entity may be `superseded`, set aside in its document only. SQLite cannot
/// alter a CHECK constraint, so the table's stored definition is widened in place, the
/// documented way for loosening a constraint (`migrate` bumps `schema_version` after every
/// migration, which makes connections read the new definition).
const V5: &str = r#"
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (status IN (''suggested'', ''accepted'', ''rejected''))',
    'CHECK (status IN (''suggested'', ''accepted'', ''rejected'', ''superseded''))')
WHERE type = 'table' AND name = 'entities';
PRAGMA writable_schema = OFF;
"#;

/// The migrations in order: entry `i` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V5];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
