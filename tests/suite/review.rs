//! Several annotators, one project: merge, agreement, the gold layer in export.

use biaozhu::model::{CharSpan, NewEntity, NewRelation, Status};
use biaozhu::model::{NewDocument, StatusFilter};
use biaozhu::store::Store;

use super::util::{biaozhu, stderr, stdout};

const TEXT: &str = "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。";

/// A project annotated by `annotator`: 王建国 as PER with 任职 → 省发展改革委, and a
/// second document only this annotator has.
fn annotated(path: &std::path::Path, annotator: &str, org_label: &str, own_text: &str) {
    let mut store = Store::open(path).expect("store");
    let documents = [TEXT, own_text].map(|text| NewDocument {
        name: format!("{annotator}.txt"),
        text: text.into(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    });
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let doc = store.documents().expect("list")[0].id;
    let new = |s, e, label: &str| NewEntity::accepted(CharSpan::new(s, e), label, "manual", annotator);
    let mut edit = store.edit("annotate", annotator).expect("edit");
    let org = edit.add_entity(doc, &new(0, 6, org_label)).expect("org");
    let person = edit.add_entity(doc, &new(9, 12, "PER")).expect("per");
    edit.add_entity(doc, &new(15, 20, "LOC")).expect("loc");
    if org_label == "ORG" {
        edit.add_relation(&NewRelation {
            head: person.id,
            tail: org.id,
            kind: "任职".into(),
            status: Status::Accepted,
            source: "manual".into(),
            annotator: annotator.into(),
        })
        .expect("relation");
    }
    edit.commit().expect("commit");
}

#[test]
fn merging_keeps_every_annotation_once_and_agreement_reads_the_layers() {
    let dir = tempfile::tempdir().expect("tempdir");
    annotated(&dir.path().join("alice.sqlite"), "alice", "ORG", "只有爱丽丝的文档。");
    annotated(&dir.path().join("bob.sqlite"), "bob", "LOC", "只有鲍勃的文档。");
    // Checkpointed, so the file itself holds everything; merge must leave it byte for byte.
    Store::open(dir.path().join("alice.sqlite")).expect("alice");
    let alice_before = std::fs::read(dir.path().join("alice.sqlite")).expect("alice");
    let merge = biaozhu(
        dir.path(),
        &["merge", "--db", "team.sqlite", "alice.sqlite", "bob.sqlite"],
        "",
    );
    assert!(merge.status.success(), "{}", stderr(&merge));
    assert_eq!(
        std::fs::read(dir.path().join("alice.sqlite")).expect("alice"),
        alice_before,
        "merge reads a copy: the teammate's file is never migrated or changed"
    );
    assert_eq!(
        stdout(&merge),
        "alice.sqlite: 2 documents, 3 entities, 1 relation added\nbob.sqlite: 1 document, 3 entities, 0 relations added\n"
    );
    let team = Store::open(dir.path().join("team.sqlite")).expect("team");
    assert_eq!(
        team.documents().expect("list").len(),
        3,
        "the shared text is one document"
    );
    assert_eq!(team.annotators().expect("annotators"), ["alice", "bob"]);
    let shared = team.documents().expect("list")[0].id;
    let entities = team.entities(shared, StatusFilter::All).expect("entities");
    assert_eq!(entities.iter().filter(|e| e.annotator == "alice").count(), 3);
    assert_eq!(entities.iter().filter(|e| e.annotator == "bob").count(), 3);
    assert_eq!(team.relations(shared, StatusFilter::All).expect("relations").len(), 1);
    drop(team);

    let again = biaozhu(
        dir.path(),
        &["merge", "--db", "team.sqlite", "alice.sqlite", "bob.sqlite"],
        "",
    );
    assert_eq!(
        stdout(&again),
        "alice.sqlite: 0 documents, 0 entities, 0 relations added\nbob.sqlite: 0 documents, 0 entities, 0 relations added\n",
        "a second merge is a no-op"
    );

    let agree = biaozhu(dir.path(), &["agree", "--db", "team.sqlite", "--json"], "");
    assert!(agree.status.success(), "{}", stderr(&agree));
    let reports: serde_json::Value = serde_json::from_str(&stdout(&agree)).expect("json");
    let report = &reports[0];
    assert_eq!(
        (report["a"].as_str(), report["b"].as_str()),
        (Some("alice"), Some("bob"))
    );
    // Two of three spans agree exactly with their label: F1 = 2/3.
    assert!(
        (report["exact_f1"].as_f64().expect("f1") - 2.0 / 3.0).abs() < 1e-9,
        "{report}"
    );
    assert_eq!(
        report["relation_f1"].as_f64(),
        Some(0.0),
        "only alice linked the person"
    );
    assert_eq!(
        report["confusion"][0],
        serde_json::json!({"a": "LOC", "b": "LOC", "count": 1})
    );

    // Export can take one annotator's layer, and later the gold one.
    let export = biaozhu(
        dir.path(),
        &[
            "export",
            "--db",
            "team.sqlite",
            "--annotator",
            "bob",
            "--format",
            "doccano",
            "--out",
            "bob.jsonl",
        ],
        "",
    );
    assert!(export.status.success(), "{}", stderr(&export));
    assert!(!stderr(&export).contains("note:"), "{}", stderr(&export));
    let bob = std::fs::read_to_string(dir.path().join("bob.jsonl")).expect("bob");
    assert_eq!(bob.matches("\"label\":\"LOC\"").count(), 2);
    assert!(!bob.contains("\"label\":\"ORG\""));

    // Without --annotator both layers are written together, and the export says so.
    let export = biaozhu(
        dir.path(),
        &[
            "export",
            "--db",
            "team.sqlite",
            "--format",
            "doccano",
            "--out",
            "both.jsonl",
        ],
        "",
    );
    assert!(export.status.success(), "{}", stderr(&export));
    assert!(
        stderr(&export).contains("note: 1 documents hold the layers of more than one annotator (alice, bob)"),
        "{}",
        stderr(&export)
    );
    let both = std::fs::read_to_string(dir.path().join("both.jsonl")).expect("both");
    assert_eq!(
        both.matches("\"label\":\"LOC\"").count(),
        bob.matches("\"label\":\"LOC\"").count() + 1,
        "{both}"
    );
}
