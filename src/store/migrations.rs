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

/// Version 4: what the document list reads without scanning every entity. Each document
/// has a row of entity counts per status in `document_counts`, kept by triggers in the
/// transaction of every write to `entities` (edits, undo, import, merge, pre-tagging), so no
/// write path has to remember them; the migration backfills them. `documents_listed` is a
/// narrow index in id order with the names, which the list pages through and filters on;
/// `documents_by_status` finds the next document to do; `entities_by_annotator` lets the
/// set of annotators be read with one index seek per annotator.
const V4: &str = r#"
CREATE TABLE document_counts (
    document_id INTEGER PRIMARY KEY,
    n_suggested INTEGER NOT NULL DEFAULT 0,
    n_accepted INTEGER NOT NULL DEFAULT 0,
    n_rejected INTEGER NOT NULL DEFAULT 0
);
INSERT INTO document_counts(document_id, n_suggested, n_accepted, n_rejected)
    SELECT d.id, coalesce(c.n_suggested, 0), coalesce(c.n_accepted, 0), coalesce(c.n_rejected, 0)
    FROM documents d LEFT JOIN (
        SELECT document_id,
               sum(status = 'suggested') AS n_suggested,
               sum(status = 'accepted') AS n_accepted,
               sum(status = 'rejected') AS n_rejected
        FROM entities GROUP BY document_id
    ) c ON c.document_id = d.id;
CREATE TRIGGER document_counts_on_document_insert AFTER INSERT ON documents BEGIN
    INSERT OR IGNORE INTO document_counts(document_id) VALUES (new.id);
END;
CREATE TRIGGER document_counts_on_document_delete AFTER DELETE ON documents BEGIN
    DELETE FROM document_counts WHERE document_id = old.id;
END;
CREATE TRIGGER document_counts_on_entity_insert AFTER INSERT ON entities BEGIN
    UPDATE document_counts SET
        n_suggested = n_suggested + (new.status = 'suggested'),
        n_accepted = n_accepted + (new.status = 'accepted'),
        n_rejected = n_rejected + (new.status = 'rejected')
    WHERE document_id = new.document_id;
END;
CREATE TRIGGER document_counts_on_entity_delete AFTER DELETE ON entities BEGIN
    UPDATE document_counts SET
        n_suggested = n_suggested - (old.status = 'suggested'),
        n_accepted = n_accepted - (old.status = 'accepted'),
        n_rejected = n_rejected - (old.status = 'rejected')
    WHERE document_id = old.document_id;
END;
CREATE TRIGGER document_counts_on_entity_update AFTER UPDATE OF status, document_id ON entities
WHEN old.status IS NOT new.status OR old.document_id IS NOT new.document_id BEGIN
    UPDATE document_counts SET
        n_suggested = n_suggested - (old.status = 'suggested'),
        n_accepted = n_accepted - (old.status = 'accepted'),
        n_rejected = n_rejected - (old.status = 'rejected')
    WHERE document_id = old.document_id;
    UPDATE document_counts SET
        n_suggested = n_suggested + (new.status = 'suggested'),
        n_accepted = n_accepted + (new.status = 'accepted'),
        n_rejected = n_rejected + (new.status = 'rejected')
    WHERE document_id = new.document_id;
END;
CREATE INDEX documents_listed ON documents(id, name);
CREATE INDEX documents_by_status ON documents(status);
CREATE INDEX entities_by_annotator ON entities(status, annotator);
"#;

/// Version 5: an entity may be `superseded`, set aside in its document only. SQLite cannot
/// alter a CHECK constraint, so the table's stored definition is widened in place, the
/// documented way for loosening a constraint (`migrate` bumps `schema_version` after every
/// migration, which makes connections read the new definition). Undo and redo walk one
/// annotator's entries, by the new index.
const V5: &str = r#"
CREATE INDEX edit_log_by_annotator ON edit_log(annotator, undone, id);
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql,
    'CHECK (status IN (''suggested'', ''accepted'', ''rejected''))',
    'CHECK (status IN (''suggested'', ''accepted'', ''rejected'', ''superseded''))')
WHERE type = 'table' AND name = 'entities';
PRAGMA writable_schema = OFF;
"#;

/// Version 6: learned models, and the layers that came in complete.
///
/// `models` keeps one row a training run, for the learning curve; only the newest keeps
/// its bytes. `labelled_layers` marks a document's layer as fully annotated when it was
/// imported from a labelled record, so that a sentence with no entities still teaches
/// the model what is not an entity.
const V6: &str = r#"
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    created_at_ms INTEGER NOT NULL,
    feature_version INTEGER NOT NULL,
    n_documents INTEGER NOT NULL,
    n_sentences INTEGER NOT NULL,
    labels TEXT NOT NULL,
    dev_f1_model REAL,
    dev_f1_rules REAL,
    report TEXT NOT NULL,
    bytes BLOB
);
CREATE TABLE labelled_layers (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator)
) WITHOUT ROWID;
"#;

/// The migrations in order: entry `i` upgrades version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6];

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
