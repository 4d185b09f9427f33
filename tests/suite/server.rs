//! A team project on a PostgreSQL server, through the real binary and the store. These run
//! when `BIAOZHU_TEST_PG_URL` names a server (`.ci/run` starts a throwaway one); without it
//! each says it is skipped and passes. Every test works in a fresh schema of its own.

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use biaozhu::model::{NewEntity, Status, StatusFilter};
use biaozhu::store::{Change, Listener, Store, test_server};

use super::util::{as_login, biaozhu, login, repo_root, stderr, stdout};

/// A fresh, empty server project's address, or `None` (with a note) without a server.
fn server(test: &str) -> Option<String> {
    match std::env::var("BIAOZHU_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(test_server::fresh_schema(&url).expect("a fresh schema")),
        _ => {
            // Straight to stderr, past the test harness's capture, so that a plain `cargo test` says it.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: server test {test} (set BIAOZHU_TEST_PG_URL to a PostgreSQL server)"
            );
            None
        }
    }
}

fn run(dir: &Path, args: &[&str]) -> String {
    let output = biaozhu(dir, args, "");
    assert!(output.status.success(), "biaozhu {args:?}: {}", stderr(&output));
    stdout(&output)
}

/// Each line of a doccano export with its document id left out: ids differ between
/// projects, the dataset must not.
fn dataset(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("export")
        .lines()
        .map(|line| {
            let mut record: serde_json::Value = serde_json::from_str(line).expect("json");
            record.as_object_mut().expect("object").remove("id");
            record
        })
        .collect()
}

fn a_suggestion(char_start: usize, char_end: usize, label: &str) -> NewEntity {
    NewEntity {
        char_start,
        char_end,
        label: label.into(),
        status: Status::Suggested,
        source: "rule".into(),
        confidence: Some(0.6),
        annotator: "pretag".into(),
    }
}

/// An entity that `annotator` drew and accepted.
fn an_entity_of(annotator: &str, char_start: usize, char_end: usize, label: &str) -> NewEntity {
    NewEntity {
        status: Status::Accepted,
        annotator: annotator.into(),
        source: "manual".into(),
        ..a_suggestion(char_start, char_end, label)
    }
}

#[test]
fn the_same_pipeline_on_a_file_and_on_the_server_gives_the_same_dataset() {
    let Some(url) = server("pipeline") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = repo_root().join("corpus");
    let corpus = corpus.to_str().expect("utf-8 path");
    let file = dir.path().join("p.sqlite");
    let file = file.to_str().expect("utf-8 path");
    for db in [file, url.as_str()] {
        run(dir.path(), &["import", "--db", db, corpus]);
        run(dir.path(), &["pretag", "--db", db]);
        let check = run(dir.path(), &["check", "--db", db]);
        assert!(check.contains("no violations"), "{check}");
    }
    let mut exports = Vec::new();
    for (name, db) in [("file", file), ("server", url.as_str())] {
        let out = dir.path().join(format!("{name}.jsonl"));
        run(
            dir.path(),
            &[
                "export",
                "--db",
                db,
                "--status",
                "all",
                "--format",
                "doccano",
                "--out",
                out.to_str().expect("path"),
            ],
        );
        exports.push(dataset(&out));
    }
    assert!(!exports[0].is_empty());
    let n_entities: usize = exports[0]
        .iter()
        .map(|r| r["entities"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(n_entities > 100, "the sample is pre-tagged: {n_entities} entities");
    assert_eq!(exports[0], exports[1], "the file and the server hold one dataset");

    // A backup of the server is a project file that every command reads, with the same data.
    let backup = dir.path().join("backup.sqlite");
    let backup = backup.to_str().expect("path");
    run(dir.path(), &["backup", "--db", &url, "--out", backup]);
    assert!(run(dir.path(), &["check", "--db", backup]).contains("no violations"));
    let out = dir.path().join("backup.jsonl");
    run(
        dir.path(),
        &[
            "export",
            "--db",
            backup,
            "--status",
            "all",
            "--format",
            "doccano",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    assert_eq!(dataset(&out), exports[1]);
    let stats = run(dir.path(), &["stats", "--db", &url]);
    assert!(stats.contains("documents   1"), "{stats}");
}

#[test]
fn four_imports_at_once_lose_no_document_and_a_file_merged_twice_adds_nothing_the_second_time() {
    let Some(url) = server("parallel imports") else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    // Four files of 30 lines each; every file shares its first 10 texts with the others.
    let mut paths = Vec::new();
    for file in 0..4 {
        let lines: Vec<String> = (0..30)
            .map(|i| {
                let text = if i < 10 {
                    format!("共享的第{i}句话，湖南日报记者李明报道。")
                } else {
                    format!("第{file}个文件的第{i}句话，长沙市政府发布消息。")
                };
                serde_json::json!({ "text": text, "entities": [] }).to_string()
            })
            .collect();
        let path = dir.path().join(format!("part{file}.jsonl"));
        std::fs::write(&path, lines.join("\n") + "\n").expect("write");
        paths.push(path);
    }
    // Into an empty database: the four also race to make the project's tables.
    let started: Vec<_> = paths
        .iter()
        .map(|path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"))
                .args(["import", "--db", &url, path.to_str().expect("path")])
                .current_dir(dir.path())
                .output_async()
        })
        .collect();
    for child in started {
        let output = child.join().expect("import");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let store = Store::open(&url).expect("open");
    assert_eq!(
        store.documents().expect("list").len(),
        10 + 4 * 20,
        "every distinct text, once"
    );
    assert!(store.check().expect("check").is_empty());

    // A file project merged in twice: the second time changes nothing.
    let file = dir.path().join("alice.sqlite");
    {
        let mut alice = Store::open(&file).expect("file");
        run(
            dir.path(),
            &[
                "import",
                "--db",
                file.to_str().expect("path"),
                paths[0].to_str().expect("path"),
            ],
        );
        let doc = alice.documents().expect("list")[0].id;
        let mut edit = alice.edit("add", "alice").expect("edit");
        edit.add_entity(doc, &an_entity_of("alice", 5, 9, "ORG")).expect("add");
        edit.commit().expect("commit");
    }
    let first = run(dir.path(), &["merge", "--db", &url, file.to_str().expect("path")]);
    assert!(first.contains("1 entity"), "{first}");
    let second = run(dir.path(), &["merge", "--db", &url, file.to_str().expect("path")]);
    assert!(
        second.contains("0 documents, 0 entities, 0 relations added"),
        "{second}"
    );
    assert_eq!(store.documents().expect("list").len(), 90);
}

/// `Command::output` on a thread of its own, so that several run at once.
trait OutputAsync {
    fn output_async(&mut self) -> std::thread::JoinHandle<std::process::Output>;
}

impl OutputAsync for std::process::Command {
    fn output_async(&mut self) -> std::thread::JoinHandle<std::process::Output> {
        let child = self
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("biaozhu starts");
        std::thread::spawn(move || child.wait_with_output().expect("biaozhu finishes"))
    }
}

/// Two annotators with one suggestion: the project and the suggestion's row.
fn two_annotators(url: &str) -> (Store, Store, biaozhu::model::Entity) {
    let mut alice = Store::open(url).expect("alice");
    alice
        .import_documents(
            &[biaozhu::model::NewDocument {
                name: "a.txt".into(),
                text: "湖南日报记者李明在长沙报道".into(),
                encoding: "utf-8".into(),
                ..Default::default()
            }],
            &mut |_| {},
        )
        .expect("import");
    let doc = alice.documents().expect("list")[0].id;
    alice
        .replace_suggestions(doc, &[a_suggestion(0, 4, "ORG")], &[])
        .expect("pretag");
    let bob = Store::open(url).expect("bob");
    let suggestion = bob.entities(doc, StatusFilter::All).expect("entities")[0].clone();
    (alice, bob, suggestion)
}

#[test]
fn an_edit_based_on_a_stale_read_is_refused_and_the_other_annotators_work_stays() {
    let Some(url) = server("stale edit") else { return };
    let (mut alice, mut bob, seen) = two_annotators(&url);
    // Both read the suggestion; alice accepts it first.
    let mut edit = alice.edit("accept", "alice").expect("edit");
    edit.expect_entity(&seen).expect("alice's read is current");
    edit.update_entity(seen.id, |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");
    // Bob rejects what he read, which is no longer there.
    let mut edit = bob.edit("reject", "bob").expect("edit");
    let refused = edit.expect_entity(&seen).expect_err("stale");
    assert!(matches!(refused, biaozhu::Error::Stale { .. }), "{refused:?}");
    assert!(refused.to_string().contains("changed by someone else"), "{refused}");
    drop(edit);
    let now = bob.entity(seen.id).expect("entity");
    assert_eq!((now.status, now.annotator.as_str()), (Status::Accepted, "alice"));
    // After reading again, bob's edit goes through.
    let mut edit = bob.edit("reject", "bob").expect("edit");
    edit.expect_entity(&now).expect("current");
    edit.commit().expect("commit");
}

#[test]
fn a_commit_notifies_other_connections_within_a_second() {
    let Some(url) = server("notify") else { return };
    let (mut alice, bob, seen) = two_annotators(&url);
    let mut listener = Listener::connect(&url).expect("listen");
    let started = Instant::now();
    let mut edit = alice.edit("accept", "alice").expect("edit");
    edit.update_entity(seen.id, |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");
    // Other schemas of the test database notify on the same channel: wait for this one.
    let pid = alice.backend_pid().expect("a server connection");
    let expected = (pid, Change::Document(seen.document_id));
    let mut heard = Vec::new();
    while !heard.contains(&expected) && started.elapsed() < Duration::from_secs(5) {
        heard.extend(listener.wait(Duration::from_millis(200)).expect("wait"));
    }
    let latency = started.elapsed();
    assert!(heard.contains(&expected), "{heard:?} from {pid}");
    assert!(latency < Duration::from_secs(1), "heard after {latency:?}");
    assert_ne!(bob.backend_pid(), alice.backend_pid());
    let counter = listener.change_counter().expect("counter");
    assert_eq!(counter, bob.data_version().expect("version"));
}

#[test]
fn the_database_refuses_rows_that_break_the_invariants_from_any_client() {
    let Some(url) = server("constraints") else { return };
    let (alice, _bob, seen) = two_annotators(&url);
    drop(alice);
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("a second client");
    let doc = seen.document_id.0;
    let insert = |client: &mut postgres::Client, start: i64, end: i64, annotator: &str| {
        client.batch_execute(&format!(
            "INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator,
                                  created_at_ms, updated_at_ms)
             VALUES ({doc}, {start}, {end}, 'PER', 'accepted', 'manual', '{annotator}', 0, 0)"
        ))
    };
    let refused = |result: Result<(), postgres::Error>, what: &str| {
        let e = result.expect_err(what);
        e.as_db_error()
            .map_or_else(|| e.to_string(), |db| db.message().to_owned())
    };
    // Overlapping the pre-tagger's own suggestion in its layer.
    let message = refused(insert(&mut client, 2, 6, "pretag"), "an overlap in one layer");
    assert!(message.contains("exclusion constraint"), "{message}");
    // Another layer may overlap; beyond the text may not.
    insert(&mut client, 2, 6, "bob").expect("bob's layer is his own");
    let message = refused(insert(&mut client, 10, 40, "carol"), "beyond the text");
    assert!(message.contains("beyond the text"), "{message}");
    let message = refused(
        client.batch_execute(&format!("UPDATE documents SET text = text || '。' WHERE id = {doc}")),
        "a text that no longer matches its hash",
    );
    assert!(message.contains("check constraint"), "{message}");
    // A relation from a rejected entity.
    client
        .batch_execute(&format!(
            "UPDATE entities SET status = 'rejected' WHERE id = {}",
            seen.id.0
        ))
        .expect("reject");
    let bob_entity: i64 = client
        .query_one("SELECT id FROM entities WHERE annotator = 'bob'", &[])
        .expect("bob's")
        .get(0);
    let message = refused(
        client.batch_execute(&format!(
            "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator,
                                   created_at_ms, updated_at_ms)
             VALUES ({doc}, {}, {bob_entity}, '任职', 'suggested', 'manual', 'bob', 0, 0)",
            seen.id.0
        )),
        "a relation from a rejected entity",
    );
    assert!(message.contains("not live"), "{message}");
    let store = Store::open(&url).expect("open");
    assert!(store.check().expect("check").is_empty(), "what went in is valid");
}

fn db_message(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |db| db.message().to_owned())
}

#[test]
fn each_user_writes_only_what_their_role_allows_in_the_store_and_in_the_database() {
    let Some(url) = server("roles") else { return };
    let (mut admin, _, seen) = two_annotators(&url);
    for (name, role) in [
        ("alice", biaozhu::model::Role::Annotator),
        ("bob", biaozhu::model::Role::Annotator),
        ("carol", biaozhu::model::Role::Curator),
    ] {
        admin.add_user(name, &login(&url, name), role).expect("add user");
    }
    let names: Vec<String> = admin.users().expect("users").into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["alice", "bob", "carol"]);

    let alice_url = as_login(&url, &login(&url, "alice"));
    let mut alice = Store::open(&alice_url).expect("alice logs in");
    assert_eq!(alice.me().expect("me").expect("a user").name, "alice");
    // Her own layer, from the pre-tagger's suggestion: allowed.
    let mut edit = alice.edit("accept", "alice").expect("her layer");
    edit.expect_entity(&seen).expect("current");
    edit.update_entity(seen.id, |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");
    // Bob's layer and gold: refused, saying why.
    for layer in ["bob", "gold"] {
        let refused = alice.edit("add", layer).map(|_| ()).expect_err("not hers");
        assert!(
            refused.to_string().contains("signed in as alice (annotator)"),
            "{refused}"
        );
    }
    let refused = alice
        .import_documents(
            &[biaozhu::model::NewDocument {
                text: "新的一篇".into(),
                ..Default::default()
            }],
            &mut |_| {},
        )
        .expect_err("import is for curators");
    assert!(
        refused.to_string().contains("importing is for a curator or above"),
        "{refused}"
    );
    // Around the store, the database refuses it too.
    let mut raw = postgres::Client::connect(&alice_url, postgres::NoTls).expect("alice's own client");
    let doc = seen.document_id.0;
    let forged = raw
        .batch_execute(&format!(
            "INSERT INTO entities(document_id, char_start, char_end, label, status, source, annotator,
                                  created_at_ms, updated_at_ms)
             VALUES ({doc}, 6, 8, 'PER', 'accepted', 'manual', 'bob', 0, 0)"
        ))
        .expect_err("bob's layer");
    assert!(db_message(&forged).contains("row-level security"), "{forged:?}");
    let forged = raw
        .batch_execute("DELETE FROM labels")
        .expect_err("the schema is for curators");
    assert!(db_message(&forged).contains("permission denied"), "{forged:?}");

    // A curator writes gold.
    let carol_url = as_login(&url, &login(&url, "carol"));
    let mut carol = Store::open(&carol_url).expect("carol logs in");
    let mut edit = carol.edit("adjudicate", "gold").expect("gold is a curator's");
    edit.add_entity(
        seen.document_id,
        &NewEntity {
            status: Status::Accepted,
            annotator: "gold".into(),
            source: "adjudication".into(),
            ..a_suggestion(0, 4, "ORG")
        },
    )
    .expect("add");
    edit.commit().expect("commit");
    assert!(admin.check().expect("check").is_empty());
}

#[test]
fn annotators_claim_different_slots_at_once_and_an_abandoned_claim_goes_back() {
    let Some(url) = server("claims") else { return };
    let mut admin = Store::open(&url).expect("admin");
    let documents: Vec<biaozhu::model::NewDocument> = (0..3)
        .map(|i| biaozhu::model::NewDocument {
            name: format!("d{i}.txt"),
            text: format!("第{i}篇：湖南日报记者李明报道"),
            encoding: "utf-8".into(),
            ..Default::default()
        })
        .collect();
    admin.import_documents(&documents, &mut |_| {}).expect("import");
    assert_eq!(admin.assign(2).expect("assign"), 6);
    assert_eq!(admin.assign(2).expect("again"), 0, "assigning again adds nothing");

    // Two annotators claim and finish as fast as they can, at once.
    let workers: Vec<_> = ["alice", "bob"]
        .into_iter()
        .map(|annotator| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&url).expect("open");
                let mut got = Vec::new();
                while let Some(id) = store.claim_next(annotator).expect("claim") {
                    store.finish_claim(id, annotator, true).expect("finish");
                    got.push(id);
                }
                got
            })
        })
        .collect();
    let claimed: Vec<Vec<_>> = workers.into_iter().map(|w| w.join().expect("worker")).collect();
    for got in &claimed {
        let mut sorted = got.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), 3, "each annotator gets every document once: {got:?}");
    }
    let carol = admin.claim_next("carol").expect("claim");
    assert_eq!(carol, None, "two slots a document, both taken");
    let to_review = admin
        .document_ids_in(&biaozhu::model::ListScope::ToReview, "")
        .expect("to review");
    assert_eq!(to_review.len(), 3);
    let mine = admin
        .document_ids_in(&biaozhu::model::ListScope::Mine("alice".into()), "")
        .expect("mine");
    assert_eq!(mine.len(), 3);

    // One more document: dan claims it and walks away; after the timeout erin takes over.
    admin
        .import_documents(
            &[biaozhu::model::NewDocument {
                name: "late.txt".into(),
                text: "晚到的一篇".into(),
                ..Default::default()
            }],
            &mut |_| {},
        )
        .expect("import");
    admin.assign(1).expect("assign");
    // Document 4 has slots 0 and 1 now (assign(2) made room for two on the others only).
    let late = admin.documents().expect("list").last().expect("late").id;
    let dan = admin.claim_next("dan").expect("claim");
    assert_eq!(dan, Some(late));
    assert_eq!(
        admin.claim_next("dan").expect("again"),
        Some(late),
        "his own claim first"
    );
    assert_eq!(admin.claim_next("erin").expect("claim"), None, "held by dan");
    admin.set_meta("claim_timeout_s", "0").expect("timeout");
    std::thread::sleep(Duration::from_millis(5));
    assert_eq!(
        admin.claim_next("erin").expect("claim"),
        Some(late),
        "dan's claim lapsed"
    );
}

#[test]
fn a_dropped_connection_is_made_again_between_edits_and_fails_the_edit_it_cut() {
    let Some(url) = server("reconnect") else { return };
    let (mut alice, _bob, seen) = two_annotators(&url);
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("admin");
    let terminate = |admin: &mut postgres::Client, pid: u32| {
        admin
            .execute("SELECT pg_terminate_backend($1)", &[&(pid as i32)])
            .expect("terminate");
        std::thread::sleep(Duration::from_millis(50));
    };
    // Dropped while idle: the next read and the next edit go through on a new connection.
    let old_pid = alice.backend_pid().expect("pid");
    terminate(&mut admin, old_pid);
    assert_eq!(alice.documents().expect("a read after the drop").len(), 1);
    assert_ne!(alice.backend_pid(), Some(old_pid), "a new connection");
    terminate(&mut admin, alice.backend_pid().expect("pid"));
    let mut edit = alice.edit("accept", "alice").expect("an edit after the drop");
    edit.update_entity(seen.id, |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");

    // Dropped inside an edit: the edit fails, nothing of it is stored, and the next works.
    let pid = alice.backend_pid().expect("pid");
    let mut edit = alice.edit("add", "alice").expect("edit");
    edit.add_entity(seen.document_id, &an_entity_of("alice", 6, 8, "PER"))
        .expect("add");
    terminate(&mut admin, pid);
    let cut = edit.commit().expect_err("the connection went away before the commit");
    assert!(cut.is_disconnected(), "{cut:?}");
    let entities = alice.entities(seen.document_id, StatusFilter::All).expect("entities");
    assert_eq!(entities.len(), 1, "the cut edit left nothing: {entities:?}");
    let mut edit = alice.edit("add", "alice").expect("edit");
    edit.add_entity(seen.document_id, &an_entity_of("alice", 6, 8, "PER"))
        .expect("add");
    edit.commit().expect("commit on a new connection");
    assert!(alice.check().expect("check").is_empty());
}

#[test]
fn each_annotator_takes_their_own_copy_of_the_suggestions_once() {
    let Some(url) = server("own suggestions") else { return };
    let mut admin = Store::open(&url).expect("admin");
    admin
        .import_documents(
            &[biaozhu::model::NewDocument {
                name: "a.txt".into(),
                text: "国务院总理李强在北京表示".into(),
                encoding: "utf-8".into(),
                ..Default::default()
            }],
            &mut |_| {},
        )
        .expect("import");
    let doc = admin.documents().expect("list")[0].id;
    let tagger = biaozhu::project::pretag::tagger_for(&admin).expect("tagger");
    biaozhu::project::pretag::pretag_documents(&mut admin, &tagger, None, &mut |_, _| {}).expect("pretag");
    let pretagged = admin.entities(doc, StatusFilter::All).expect("entities");
    let n_relations = admin.relations(doc, StatusFilter::All).expect("relations").len();
    assert!(pretagged.len() >= 3 && n_relations >= 1, "{pretagged:?}");

    // Bob has drawn a span of his own over the first suggestion before he takes his copy.
    let mut bob = Store::open(&url).expect("bob");
    let mut edit = bob.edit("add", "bob").expect("edit");
    let first = &pretagged[0];
    edit.add_entity(
        doc,
        &an_entity_of("bob", first.char_start, first.char_end, &first.label),
    )
    .expect("add");
    edit.commit().expect("commit");
    let mut alice = Store::open(&url).expect("alice");
    assert!(alice.take_suggestions(doc, "alice").expect("take"));
    assert!(bob.take_suggestions(doc, "bob").expect("take"));
    assert!(alice.take_suggestions(doc, "alice").expect("again"), "still hers");
    let all = admin.entities(doc, StatusFilter::All).expect("entities");
    let layer = |who: &str| all.iter().filter(|e| e.annotator == who).count();
    assert_eq!(
        layer("pretag"),
        pretagged.len(),
        "the pre-tagger's suggestions stay for the next annotator"
    );
    assert_eq!(layer("alice"), pretagged.len(), "taken once");
    assert_eq!(layer("bob"), pretagged.len(), "his own span and copies of the rest");
    let relations = admin.relations(doc, StatusFilter::All).expect("relations");
    assert_eq!(relations.iter().filter(|r| r.annotator == "alice").count(), n_relations);
    // Alice's accept changes her copy only.
    let hers = all
        .iter()
        .find(|e| e.annotator == "alice" && e.span() == first.span())
        .expect("her copy")
        .clone();
    let mut edit = alice.edit("accept", "alice").expect("edit");
    edit.expect_entity(&hers).expect("current");
    edit.update_entity(hers.id, |e| e.status = Status::Accepted)
        .expect("accept");
    edit.commit().expect("commit");
    let now = admin.entities(doc, StatusFilter::All).expect("entities");
    assert_eq!(
        now.iter()
            .filter(|e| e.annotator == "pretag" && e.status == Status::Suggested)
            .count(),
        pretagged.len()
    );
    assert!(admin.check().expect("check").is_empty());
    // A file has one annotator's suggestions: nothing to take.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut file = Store::open(dir.path().join("p.sqlite")).expect("file");
    assert!(!file.take_suggestions(doc, "alice").expect("a file"));
}
