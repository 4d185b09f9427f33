//! Opening files: pragmas, migrations and refusals.

use rusqlite::Connection;

use super::*;
use crate::model::StatusFilter;
use crate::store::CURRENT_VERSION;
use crate::text::UserDictEntry;

#[test]
fn files_use_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/p.sqlite");
    let mut store = Store::open(&path).expect("open creates folders");
    let conn = store.connection();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0)).expect("fk");
    assert_eq!(fk, 1);
}

#[test]
fn a_version_1_file_is_migrated_with_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v1.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(crate::store::migrations::MIGRATIONS[0])
            .expect("v1 schema");
        conn.execute_batch(
            "INSERT INTO labels(name, color, position) VALUES ('PER', '#f4a7a7', 0);
             INSERT INTO documents(id, name, content_hash, text, created_at_ms, updated_at_ms)
                 VALUES (1, 'old.txt', 'h', '王建国表示', 0, 0);
             INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (1, 0, 3, 'PER', 'accepted', 'manual', 'ann', 0, 0);
             PRAGMA user_version = 1;",
        )
        .expect("v1 data");
    }
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    let entities = store.entities(DocumentId(1), StatusFilter::All).expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(
        (entities[0].char_start, entities[0].char_end, entities[0].confidence),
        (0, 3, None)
    );
    store
        .add_user_dict(&[UserDictEntry {
            word: "王建国".into(),
            freq: None,
            pos: Some("nr".into()),
        }])
        .expect("v2 table exists");
}

#[test]
fn files_from_a_newer_build_or_other_programs_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let newer = dir.path().join("newer.sqlite");
    Connection::open(&newer)
        .expect("open")
        .execute_batch("PRAGMA user_version = 99;")
        .expect("version");
    let err = Store::open(&newer).expect_err("newer");
    assert!(err.is_user_error());
    assert!(err.to_string().contains("schema version 99"), "{err}");

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t(x);")
        .expect("table");
    assert!(
        Store::open(&other)
            .expect_err("other")
            .to_string()
            .contains("not a biaozhu project")
    );

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough to have a header",
    )
    .expect("write");
    let err = Store::open(&text).expect_err("text");
    assert!(err.is_user_error(), "{err}");
}

#[test]
fn a_version_2_file_gains_the_version_3_log_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v2.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        for sql in &crate::store::migrations::MIGRATIONS[..2] {
            conn.execute_batch(sql).expect("v1 and v2 schema");
        }
        conn.execute_batch(
            "INSERT INTO edit_log(action, annotator, ops, created_at_ms) VALUES ('old', 'ann', '[]', 0);
             PRAGMA user_version = 2;",
        )
        .expect("v2 data");
    }
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    let indexed: bool = store
        .connection()
        .query_row(
            "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'edit_log_by_undone')",
            [],
            |row| row.get(0),
        )
        .expect("index");
    assert!(indexed);
    assert_eq!(store.undo("ann").expect("undo").expect("old").action, "old");
}

#[test]
fn a_version_3_file_lets_entities_be_superseded_and_still_refuses_other_statuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v3.sqlite");
    let text = "省长王建国在长沙考察";
    {
        let conn = Connection::open(&path).expect("open");
        for sql in &crate::store::migrations::MIGRATIONS[..3] {
            conn.execute_batch(sql).expect("v1 to v3 schema");
        }
        conn.execute(
            "INSERT INTO documents(id, name, content_hash, text, created_at_ms, updated_at_ms)
             VALUES (1, 'a.txt', ?1, ?2, 0, 0)",
            rusqlite::params![crate::store::content_hash(text), text],
        )
        .expect("document");
        conn.execute_batch(
            "INSERT INTO labels(name, display_name, color, position) VALUES ('PER', '人物', '#f4a7a7', 0);
             INSERT INTO entities(id, document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms)
             VALUES (1, 1, 2, 5, 'PER', 'suggested', 'rule', 'pretag', 0, 0);
             PRAGMA user_version = 3;",
        )
        .expect("v3 data");
    }
    let (document, entity) = (crate::model::DocumentId(1), crate::model::EntityId(1));
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    let mut edit = store.edit("reject here", "ann").expect("edit");
    edit.update_entity(entity, |e| e.status = Status::Superseded)
        .expect("superseded is a status now");
    edit.commit().expect("commit");
    assert_eq!(store.entity(entity).expect("entity").status, Status::Superseded);
    let live = store
        .entities(document, StatusFilter::AcceptedAndSuggested)
        .expect("live");
    assert!(live.is_empty());
    let bogus = store
        .connection()
        .execute("UPDATE entities SET status = 'maybe' WHERE id = 1", []);
    assert!(bogus.is_err(), "the CHECK constraint still holds for anything else");
    assert!(store.check().expect("check").is_empty(), "{:?}", store.check());
}

#[test]
fn a_version_5_file_gains_models_and_labelled_layers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v5.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        for sql in &crate::store::migrations::MIGRATIONS[..5] {
            conn.execute_batch(sql).expect("v1 to v5 schema");
        }
        conn.execute_batch(
            "INSERT INTO labels(name, color, position) VALUES ('PER', '#f4a7a7', 0);
             INSERT INTO documents(id, name, content_hash, text, status, created_at_ms, updated_at_ms)
                 VALUES (1, 'a.txt', 'h', '王建国表示', 'done', 0, 0);
             INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator, created_at_ms, updated_at_ms)
                 VALUES (1, 0, 3, 'PER', 'accepted', 'manual', 'ann', 0, 0);
             PRAGMA user_version = 5;",
        )
        .expect("v5 data");
    }
    let mut store = Store::open(&path).expect("migrates");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    assert!(store.latest_model().expect("models table").is_none());
    let set = store
        .training_set(&crate::store::TrainingLayers::All)
        .expect("labelled_layers table");
    assert_eq!(set.documents.len(), 1, "the done document trains");
    store
        .save_model(&crate::model::TrainReport::default(), 1, b"m")
        .expect("a model can be stored");
}

#[test]
fn two_writers_queue_instead_of_failing() {
    // Deferred transactions fail at once when two connections both upgrade to write;
    // immediate ones wait their turn for the busy timeout.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("shared.sqlite");
    Store::open(&path).expect("create");
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).expect("open");
                for i in 0..40 {
                    let document = NewDocument {
                        name: format!("{w}-{i}.txt"),
                        source_path: None,
                        ..sample_document(&format!("作者{w}的第{i}篇文章"))
                    };
                    store
                        .import_documents(&[document], &mut |_| {})
                        .expect("import waits, never fails");
                    let name = format!("{w}-{i}.txt");
                    let id = store
                        .documents()
                        .expect("list")
                        .into_iter()
                        .find(|d| d.name == name)
                        .expect("its document")
                        .id;
                    let mut edit = store.edit("add", "ann").expect("edit waits, never fails");
                    edit.add_entity(id, &new_entity(0, 2, "PER", Status::Accepted))
                        .expect("add");
                    edit.commit().expect("commit");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer");
    }
    let store = Store::open(&path).expect("open");
    assert_eq!(store.documents().expect("list").len(), 80);
}

#[test]
fn urls_network_filesystems_and_newer_files_are_refused_before_anything_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = Store::open("mysql://team@db.example/annotations").expect_err("a URL");
    assert!(
        url.to_string().contains("a file path or a postgres:// server address"),
        "{url}"
    );
    assert!(!std::path::Path::new("mysql:").exists(), "no file made of the URL");
    let server = Store::open("postgres://team:secret@127.0.0.1:1/annotations").expect_err("no server there");
    assert!(server.is_user_error(), "{server:?}");
    let message = server.to_string();
    assert!(
        message.contains("cannot reach the project server postgres://team@127.0.0.1:1/annotations"),
        "{message}"
    );
    assert!(!message.contains("secret"), "the password is not repeated: {message}");
    assert!(!std::path::Path::new("postgres:").exists(), "no file made of the URL");

    let mounts =
        "/dev/sda1 / ext4 rw 0 0\nserver:/export /mnt/team nfs4 rw 0 0\n//nas/share /mnt/my\\040nas cifs rw 0 0\n";
    let nfs = Store::network_mount_for_tests(mounts, std::path::Path::new("/mnt/team/projects"));
    assert_eq!(nfs.as_deref(), Some("nfs4"));
    let smb = Store::network_mount_for_tests(mounts, std::path::Path::new("/mnt/my nas"));
    assert_eq!(smb.as_deref(), Some("cifs"));
    assert_eq!(
        Store::network_mount_for_tests(mounts, std::path::Path::new("/home/ann")),
        None
    );

    let path = dir.path().join("future.sqlite");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA user_version = 999;").expect("version");
    }
    let refused = Store::open(&path).expect_err("newer");
    assert!(refused.to_string().contains("newer"), "{refused}");
    let conn = Connection::open(&path).expect("open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(mode, "delete", "the refused file was not switched to WAL");
}
