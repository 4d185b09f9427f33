//! Every dataset format against golden files, and back: import(export(project)) == project
//! for what each format can carry.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use biaozhu::formats::{ExportOptions, Format, TagScheme};
use biaozhu::model::{IndexedRelation, NewDocument, StatusFilter};
use biaozhu::model::{NewEntity, Status};
use biaozhu::project::export::export_to_path;
use biaozhu::project::import::{ReadOptions, import_paths};
use biaozhu::store::Store;

use super::util::repo_root;

/// The hand-written project: a character above U+FFFF, a full-width space, entities at the
/// very start and the very end, adjacent entities, relations, and a suggestion and a
/// rejection that an export of accepted annotations leaves out.
const TEXT_A: &str = "华为技术有限公司投资3.5亿元在长沙建设研发基地。\n湖南日报全媒体记者\u{3000}李明";
const TEXT_B: &str = "𠮷祥集团董事长王建国表示，𠮷字读jí。";

fn entity(char_start: usize, char_end: usize, label: &str, status: Status) -> NewEntity {
    NewEntity {
        char_start,
        char_end,
        label: label.into(),
        status,
        source: "manual".into(),
        confidence: None,
        annotator: "alice".into(),
    }
}

pub fn golden_project(path: &Path) -> Store {
    let mut store = Store::open(path).expect("store");
    let a = NewDocument {
        name: "a.txt".into(),
        text: TEXT_A.into(),
        encoding: "utf-8".into(),
        entities: vec![
            entity(0, 8, "ORG", Status::Accepted),
            entity(10, 15, "MONEY", Status::Accepted),
            entity(16, 18, "LOC", Status::Accepted),
            entity(26, 30, "ORG", Status::Accepted),
            entity(30, 35, "TITLE", Status::Accepted),
            entity(36, 38, "PER", Status::Accepted),
            entity(20, 24, "ORG", Status::Suggested),
            entity(18, 20, "LOC", Status::Rejected),
        ],
        relations: vec![
            IndexedRelation::imported(0, 1, "投资"),
            IndexedRelation::imported(5, 3, "任职"),
            IndexedRelation::imported(5, 4, "职务"),
        ],
        relation_annotator: "alice".into(),
        ..NewDocument::default()
    };
    let b = NewDocument {
        name: "b.txt".into(),
        text: TEXT_B.into(),
        encoding: "utf-8".into(),
        entities: vec![
            entity(0, 4, "ORG", Status::Accepted),
            entity(4, 7, "TITLE", Status::Accepted),
            entity(7, 10, "PER", Status::Accepted),
        ],
        relations: vec![
            IndexedRelation::imported(2, 0, "任职"),
            IndexedRelation::imported(2, 1, "职务"),
        ],
        relation_annotator: "alice".into(),
        ..NewDocument::default()
    };
    store.import_documents(&[a, b], &mut |_| {}).expect("import");
    store
}

/// The accepted layer as comparable data: per document text, entity spans, relations.
type Snapshot = Vec<(
    String,
    BTreeSet<(usize, usize, String)>,
    BTreeSet<((usize, usize), (usize, usize), String)>,
)>;

fn snapshot(store: &Store) -> Snapshot {
    store
        .layers(StatusFilter::Accepted, None)
        .expect("layers")
        .into_iter()
        .map(|layer| {
            let spans = layer
                .entities
                .iter()
                .map(|e| (e.char_start, e.char_end, e.label.clone()))
                .collect();
            let span_of = |id| {
                let e = layer.entities.iter().find(|e| e.id == id).expect("end");
                (e.char_start, e.char_end)
            };
            let relations = layer
                .relations
                .iter()
                .map(|r| (span_of(r.head), span_of(r.tail), r.kind.clone()))
                .collect();
            (layer.text, spans, relations)
        })
        .collect()
}

fn golden_dir() -> PathBuf {
    repo_root().join("tests/fixtures/golden")
}

/// Compares `produced` (a file or folder) with its golden twin; `BIAOZHU_BLESS=1` rewrites the goldens.
fn check_golden(produced: &Path, golden: &Path) {
    if produced.is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(produced)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        for name in names {
            check_golden(&produced.join(&name), &golden.join(&name));
        }
        return;
    }
    let bytes = std::fs::read(produced).expect("produced");
    if std::env::var_os("BIAOZHU_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(golden, &bytes).expect("bless");
        return;
    }
    let expected = std::fs::read(golden).unwrap_or_else(|_| panic!("missing golden file {}", golden.display()));
    assert!(
        bytes == expected,
        "{} differs from {}:\n{}",
        produced.display(),
        golden.display(),
        String::from_utf8_lossy(&bytes)
    );
}

fn output_name(format: Format) -> &'static str {
    format.default_output()
}

#[test]
fn every_format_matches_its_golden_file_and_is_deterministic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = golden_project(&dir.path().join("p.sqlite"));
    for format in Format::ALL {
        let out = dir.path().join("out").join(output_name(format));
        export_to_path(&store, format, &ExportOptions::default(), &out, &mut |_, _| {}).expect("export");
        check_golden(&out, &golden_dir().join(output_name(format)));
        let again = dir.path().join("again").join(output_name(format));
        export_to_path(&store, format, &ExportOptions::default(), &again, &mut |_, _| {}).expect("export");
        check_golden(&again, &golden_dir().join(output_name(format)));
    }
    let bioes = dir.path().join("bioes.conll");
    let options = ExportOptions {
        scheme: TagScheme::Bioes,
        ..ExportOptions::default()
    };
    export_to_path(&store, Format::Conll, &options, &bioes, &mut |_, _| {}).expect("export");
    check_golden(&bioes, &golden_dir().join("dataset.bioes.conll"));
}

#[test]
fn import_of_an_export_gives_the_project_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = golden_project(&dir.path().join("p.sqlite"));
    let original = snapshot(&store);
    for format in Format::ALL {
        let out = dir.path().join(output_name(format));
        // HF rows of at most 12 characters: every document comes back joined from its pieces.
        let options = ExportOptions {
            max_chars: if format == Format::Hf {
                12
            } else {
                ExportOptions::default().max_chars
            },
            ..ExportOptions::default()
        };
        export_to_path(&store, format, &options, &out, &mut |_, _| {}).expect("export");
        let mut back = Store::open_in_memory().expect("store");
        let report = import_paths(
            &mut back,
            std::slice::from_ref(&out),
            &ReadOptions::new("import"),
            &mut |_| {},
        );
        assert!(report.errors.is_empty(), "{}: {:?}", format.name(), report.errors);
        let mut restored = snapshot(&back);
        if format == Format::Duie {
            // DuIE carries relations and the entities they link, not the others.
            let mut linked = original.clone();
            for (_, spans, relations) in &mut linked {
                spans.retain(|(start, end, _)| {
                    relations
                        .iter()
                        .any(|(head, tail, _)| *head == (*start, *end) || *tail == (*start, *end))
                });
            }
            assert_eq!(restored, linked, "duie round trip (relations and their ends)");
        } else if format.has_relations() {
            assert_eq!(restored, original, "{} round trip", format.name());
        } else {
            // CoNLL, the HF layout, CLUENER and CSV carry entities, not relations.
            for (i, (_, _, relations)) in restored.iter_mut().enumerate() {
                assert!(relations.is_empty());
                relations.clone_from(&original[i].2);
            }
            assert_eq!(
                restored,
                original,
                "{} round trip (no relations in this format)",
                format.name()
            );
        }
    }
}

#[test]
fn rejected_and_suggested_annotations_follow_the_status_option() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = golden_project(&dir.path().join("p.sqlite"));
    let all = ExportOptions {
        statuses: StatusFilter::AcceptedAndSuggested,
        ..ExportOptions::default()
    };
    let documents = biaozhu::project::export::prepare(&store, &all).expect("prepare");
    assert_eq!(
        documents[0].entities.len(),
        7,
        "the suggestion too, never the rejection"
    );
    assert!(documents[0].entities.iter().all(|e| e.status != Status::Rejected));
    let renamed = ExportOptions {
        rename: vec![("ORG".into(), "ORGANIZATION".into())],
        labels: Some(vec!["ORGANIZATION".into(), "PER".into()]),
        ..ExportOptions::default()
    };
    let documents = biaozhu::project::export::prepare(&store, &renamed).expect("prepare");
    let labels: BTreeSet<&str> = documents
        .iter()
        .flat_map(|d| d.entities.iter().map(|e| e.label.as_str()))
        .collect();
    assert_eq!(labels, BTreeSet::from(["ORGANIZATION", "PER"]));
    assert_eq!(documents[0].relations.len(), 1, "relations to a dropped entity go too");
    let by_annotator = ExportOptions {
        annotator: Some("nobody".into()),
        ..ExportOptions::default()
    };
    let documents = biaozhu::project::export::prepare(&store, &by_annotator).expect("prepare");
    assert!(documents.iter().all(|d| d.entities.is_empty()));
}

#[test]
fn malformed_files_of_every_format_name_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &str, &str); 5] = [
        (
            "bad.conll",
            "-DOCSTART- 1\n\n甲 B-PER\n乙 I-PER 多余\n",
            "line 4: unknown tag \"多余\"",
        ),
        ("bad.bio", "甲 X-PER\n", "unknown tag prefix"),
        (
            "bad.json",
            "[{\"data\": {\"text\": \"甲乙\"}, \"annotations\": [{\"result\": [{\"type\": \"labels\", \"value\": {\"start\": 0, \"end\": 5, \"labels\": [\"PER\"]}}]}]}]",
            "task 1: span [0, 5) is empty or past text length 2",
        ),
        (
            "bad.jsonl",
            "{\"text\": \"甲乙\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": \"PER\"}]}\n",
            "line 1: span",
        ),
        (
            "bad.ann",
            "T1\tPER 0 2\t甲丙\n",
            "line 1: T1: the line quotes \"甲丙\" but the text has \"甲乙\"",
        ),
    ];
    std::fs::write(dir.path().join("bad.txt"), "甲乙").expect("write");
    let mut store = Store::open_in_memory().expect("store");
    for (name, content, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        let report = import_paths(
            &mut store,
            std::slice::from_ref(&path),
            &ReadOptions::new("x"),
            &mut |_| {},
        );
        assert_eq!(report.errors.len(), 1, "{name}");
        let message = report.errors[0].to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(message.contains(name), "{name}: {message}");
    }
    assert!(store.documents().expect("list").is_empty());
}
