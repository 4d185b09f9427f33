//! Import through the library: encodings, line breaks, JSONL and atomicity.

use biaozhu::model::Status;
use biaozhu::model::StatusFilter;
use biaozhu::project::import::{ReadOptions, import_paths, read_file};
use biaozhu::store::Store;

const ARTICLE: &str = "长沙经开区新签约项目12个，总投资3.5亿元。\n省发展改革委副主任王建国表示，𠮷将加快建设。\n";

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

#[test]
fn utf8_bom_gbk_and_crlf_files_give_identical_texts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let without_astral = ARTICLE.replace('𠮷', "");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(without_astral.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&without_astral);
    assert!(!unmappable);
    let files = [
        write(dir.path(), "utf8.txt", without_astral.as_bytes()),
        write(dir.path(), "bom.txt", &bom),
        write(dir.path(), "gbk.txt", &gbk),
        write(dir.path(), "crlf.md", without_astral.replace('\n', "\r\n").as_bytes()),
    ];
    let mut encodings = Vec::new();
    for file in &files {
        let (documents, encoding, warnings) = read_file(file, &ReadOptions::new("ann")).expect("readable");
        assert!(warnings.is_empty());
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].text, without_astral, "{}", file.display());
        encodings.push(encoding);
    }
    assert_eq!(encodings, ["utf-8", "utf-8", "gb18030", "utf-8"]);

    let mut store = Store::open_in_memory().expect("store");
    let report = import_paths(
        &mut store,
        &[dir.path().to_path_buf()],
        &ReadOptions::new("ann"),
        &mut |_| {},
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let total = report.total();
    assert_eq!(
        (total.n_documents_added, total.n_documents_unchanged),
        (1, 3),
        "same text, one document"
    );
}

#[test]
fn folders_are_read_recursively_and_reimport_is_a_no_op() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("a/b")).expect("mkdir");
    write(dir.path(), "a/one.txt", "第一篇。".as_bytes());
    write(dir.path(), "a/b/two.md", "第二篇。".as_bytes());
    write(dir.path(), "a/b/skip.csv", "不导入".as_bytes());
    write(dir.path(), "a/b/.hidden.txt", "不导入".as_bytes());
    let db = dir.path().join("p.sqlite");
    let mut store = Store::open(&db).expect("store");
    let report = import_paths(
        &mut store,
        &[dir.path().join("a")],
        &ReadOptions::new("ann"),
        &mut |_| {},
    );
    assert_eq!(report.total().n_documents_added, 2);
    let names: Vec<String> = store.documents().expect("list").into_iter().map(|d| d.name).collect();
    assert!(
        names[0].ends_with("a/b/two.md") && names[1].ends_with("a/one.txt"),
        "path order: {names:?}"
    );
    drop(store);
    let mut reopened = Store::open(&db).expect("reopen");
    let again = import_paths(
        &mut reopened,
        &[dir.path().join("a")],
        &ReadOptions::new("ann"),
        &mut |_| {},
    );
    assert_eq!(
        (again.total().n_documents_added, again.total().n_documents_unchanged),
        (0, 2)
    );
}

#[test]
fn jsonl_brings_doccano_entities_relations_and_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = [
        r#"{"id": 7, "text": "𠮷华为技术有限公司投资3.5亿元", "entities": [{"id": 1, "start_offset": 1, "end_offset": 9, "label": "ORG"}, {"id": 2, "start_offset": 11, "end_offset": 16, "label": "MONEY"}], "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "投资"}], "source": "demo"}"#,
        "",
        r#"{"text": "李明在长沙", "label": [[0, 2, "PER"], [3, 5, "LOC"]]}"#,
        r#"{"text": "甲\r\n乙丙", "entities": [[3, 5, "LOC"]]}"#,
    ];
    let path = write(dir.path(), "in.jsonl", lines.join("\n").as_bytes());
    let mut store = Store::open_in_memory().expect("store");
    let report = import_paths(&mut store, &[path], &ReadOptions::new("alice"), &mut |_| {});
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let docs = store.documents().expect("list");
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].name, "in.jsonl:1");
    assert_eq!(docs[1].name, "in.jsonl:3");

    let first = store.document(docs[0].id).expect("doc");
    assert_eq!(first.metadata["id"], 7);
    assert_eq!(first.metadata["source"], "demo");
    let entities = store.entities(first.id, StatusFilter::All).expect("entities");
    let texts: Vec<String> = entities
        .iter()
        .map(|e| {
            first
                .text
                .chars()
                .skip(e.char_start)
                .take(e.char_end - e.char_start)
                .collect()
        })
        .collect();
    assert_eq!(texts, ["华为技术有限公司", "3.5亿元"]);
    assert!(
        entities
            .iter()
            .all(|e| e.status == Status::Accepted && e.source == "import" && e.annotator == "alice")
    );
    let relations = store.relations(first.id, StatusFilter::All).expect("relations");
    assert_eq!(relations.len(), 1);
    assert_eq!((relations[0].head, relations[0].tail), (entities[0].id, entities[1].id));

    let crlf = store.document(docs[2].id).expect("doc");
    assert_eq!(crlf.text, "甲\n乙丙");
    let shifted = store.entities(crlf.id, StatusFilter::All).expect("entities");
    assert_eq!(
        (shifted[0].char_start, shifted[0].char_end),
        (2, 4),
        "offsets follow the CRLF fold"
    );
}

#[test]
fn a_malformed_jsonl_file_is_rejected_whole_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (
            "broken.jsonl",
            "{\"text\": \"好\"}\n{\"text\": \"坏\"\n",
            "line 2: malformed JSON",
        ),
        (
            "range.jsonl",
            "{\"text\": \"好\"}\n{\"text\": \"abc\", \"entities\": [[0, 4, \"PER\"]]}\n",
            "line 2: entity 1 end 4 is past text length 3",
        ),
        (
            "notext.jsonl",
            "{\"text\": \"好\"}\n\n{\"body\": \"x\"}\n",
            "line 3: missing string field `text`",
        ),
        (
            "reversed.jsonl",
            "{\"text\": \"abcd\", \"label\": [[3, 1, \"PER\"]]}\n",
            "line 1: entity 1 is empty or reversed",
        ),
        (
            "relation.jsonl",
            "{\"text\": \"ab\", \"entities\": [{\"id\": 1, \"start_offset\": 0, \"end_offset\": 1, \"label\": \"PER\"}], \"relations\": [{\"from_id\": 1, \"to_id\": 9, \"type\": \"任职\"}]}\n",
            "line 1: relation 1 `to_id` 9 names no entity",
        ),
    ];
    let mut store = Store::open_in_memory().expect("store");
    for (name, content, expected) in cases {
        let path = write(dir.path(), name, content.as_bytes());
        let report = import_paths(
            &mut store,
            std::slice::from_ref(&path),
            &ReadOptions::new("ann"),
            &mut |_| {},
        );
        assert_eq!(report.errors.len(), 1, "{name}");
        let message = report.errors[0].to_string();
        assert!(message.starts_with(expected), "{name}: {message}");
        assert!(message.ends_with(&format!("in {}", path.display())), "{message}");
        assert!(report.errors[0].is_user_error());
    }
    assert!(
        store.documents().expect("list").is_empty(),
        "no line of a bad file is kept"
    );
}

#[test]
fn binary_and_unknown_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = write(dir.path(), "x.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let csv = write(dir.path(), "x.xlsx", b"a,b");
    let mut store = Store::open_in_memory().expect("store");
    let report = import_paths(&mut store, &[binary], &ReadOptions::new("ann"), &mut |_| {});
    assert!(
        report.errors[0].to_string().contains("binary file"),
        "{}",
        report.errors[0]
    );
    let report = import_paths(&mut store, &[csv], &ReadOptions::new("ann"), &mut |_| {});
    assert!(
        report.errors[0].to_string().starts_with("unsupported file type"),
        "{}",
        report.errors[0]
    );
}

#[cfg(unix)]
#[test]
fn bad_paths_are_named_before_anything_is_read_and_good_files_still_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).expect("folder");
    std::fs::write(folder.join("good.txt"), "王建国在长沙考察。").expect("good");
    let fifo = folder.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    std::os::unix::fs::symlink(&folder, folder.join("loop")).expect("symlink");
    let output = super::util::biaozhu(dir.path(), &["import", "--db", "p.sqlite", "in", "missing.txt"], "");
    assert_eq!(output.status.code(), Some(1), "{}", super::util::stderr(&output));
    let err = super::util::stderr(&output);
    assert!(err.contains("missing.txt"), "{err}");
    assert!(err.contains("walked already"), "{err}");
    if made.is_ok_and(|s| s.success()) {
        assert!(err.contains("pipe.txt") && err.contains("not a regular file"), "{err}");
    }
    let store = biaozhu::store::Store::open_existing(dir.path().join("p.sqlite")).expect("project");
    let names: Vec<String> = store.documents().expect("list").into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["in/good.txt"]);
}

fn encoded(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{text} in {}", encoding.name());
    bytes.into_owned()
}

#[test]
fn big5_shift_jis_and_gbk_files_import_exactly_and_broken_utf8_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = ARTICLE.replace('𠮷', "");
    let cases = [
        (
            "big5.txt",
            encoding_rs::BIG5,
            "國務院總理李強今天在北京會見了來訪的代表團。\n",
            "big5",
        ),
        (
            "sjis.txt",
            encoding_rs::SHIFT_JIS,
            "東京都知事の小池百合子氏は記者会見で新しい政策を発表した。\n",
            "shift_jis",
        ),
        ("gbk.txt", encoding_rs::GBK, article.as_str(), "gb18030"),
    ];
    let mut store = Store::open_in_memory().expect("store");
    for (name, encoding, text, expected) in cases {
        let path = write(dir.path(), name, &encoded(encoding, text));
        let report = import_paths(&mut store, &[path], &ReadOptions::new("ann"), &mut |_| {});
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
        assert_eq!(report.files[0].encoding, expected);
    }
    let texts: Vec<String> = store
        .documents()
        .expect("list")
        .iter()
        .map(|d| store.document(d.id).expect("doc").text)
        .collect();
    assert_eq!(texts.len(), 3);
    for (_, _, text, _) in cases {
        assert!(texts.contains(&text.to_owned()), "{text} in {texts:?}");
    }

    let mut broken = "李强在长沙。\n王建国".as_bytes().to_vec();
    broken.push(0xE5);
    broken.extend("表示。\n".as_bytes());
    let path = write(dir.path(), "broken.txt", &broken);
    let report = import_paths(
        &mut store,
        std::slice::from_ref(&path),
        &ReadOptions::new("ann"),
        &mut |_| {},
    );
    let message = report.errors[0].to_string();
    assert!(
        message.starts_with("line 2: invalid UTF-8 at byte 28") && message.ends_with(&path.display().to_string()),
        "{message}"
    );
    let forced = |name: &str| ReadOptions {
        encoding: Some(name.to_owned()),
        ..ReadOptions::new("ann")
    };
    let report = import_paths(&mut store, std::slice::from_ref(&path), &forced("gb18030"), &mut |_| {});
    assert!(
        report.errors[0]
            .to_string()
            .starts_with("line 1: invalid gb18030 at byte"),
        "{}",
        report.errors[0]
    );
    let report = import_paths(&mut store, &[path], &forced("latin1"), &mut |_| {});
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files[0].encoding, "windows-1252", "what the user asked for");

    let unknown = ReadOptions {
        encoding: Some("martian".to_owned()),
        ..ReadOptions::new("ann")
    };
    let report = import_paths(&mut store, &[dir.path().join("big5.txt")], &unknown, &mut |_| {});
    assert!(report.files.is_empty());
    assert!(report.errors[0].to_string().starts_with("unknown encoding \"martian\""));
}

#[test]
fn the_cli_reads_a_file_in_the_encoding_it_is_told() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Short Big5 text that GB18030 also decodes: --encoding settles it.
    write(dir.path(), "t.txt", &encoded(encoding_rs::BIG5, "臺北市長"));
    let output = super::util::biaozhu(
        dir.path(),
        &["import", "--db", "p.sqlite", "--encoding", "big5", "t.txt"],
        "",
    );
    assert!(output.status.success(), "{}", super::util::stderr(&output));
    assert!(
        super::util::stderr(&output).contains("t.txt: big5,"),
        "{}",
        super::util::stderr(&output)
    );
    let store = Store::open_existing(dir.path().join("p.sqlite")).expect("project");
    let document = store.documents().expect("list").remove(0);
    assert_eq!(store.document(document.id).expect("doc").text, "臺北市長");
    let output = super::util::biaozhu(
        dir.path(),
        &["import", "--db", "p.sqlite", "--encoding", "nope", "t.txt"],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(super::util::stderr(&output).contains("unknown encoding \"nope\""));
}

fn import_one(
    store: &mut Store,
    path: &std::path::Path,
    options: &ReadOptions,
) -> biaozhu::project::import::ImportReport {
    import_paths(store, &[path.to_path_buf()], options, &mut |_| {})
}

#[test]
fn reimporting_a_text_adds_the_annotations_it_lacks_and_refuses_conflicts_by_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = r#"{"text": "李明在长沙会见王建国", "label": [[0, 2, "PER"]]}"#;
    let corrected = r#"{"text": "李明在长沙会见王建国", "label": [[0, 2, "PER"], [3, 5, "LOC"], [7, 10, "PER"]]}"#;
    let clashing = r#"{"text": "李明在长沙会见王建国", "label": [[1, 3, "PER"]]}"#;
    let mut store = Store::open_in_memory().expect("store");
    let options = ReadOptions::new("alice");
    let path = write(dir.path(), "a.jsonl", first.as_bytes());
    assert_eq!(import_one(&mut store, &path, &options).total().n_documents_added, 1);

    let path = write(
        dir.path(),
        "b.jsonl",
        format!("{{\"text\": \"别的\"}}\n{corrected}\n").as_bytes(),
    );
    let total = import_one(&mut store, &path, &options).total();
    assert_eq!(
        (
            total.n_documents_added,
            total.n_documents_extended,
            total.n_entities_added
        ),
        (1, 1, 2),
        "the two new entities join the stored document"
    );
    let again = import_one(&mut store, &path, &options).total();
    assert_eq!(
        (
            again.n_documents_unchanged,
            again.n_documents_extended,
            again.n_entities_added
        ),
        (2, 0, 0)
    );

    let document = store.documents().expect("list")[0].id;
    let before = store.entities(document, StatusFilter::All).expect("entities");
    assert_eq!(before.len(), 3);
    let path = write(
        dir.path(),
        "c.jsonl",
        format!("{{\"text\": \"第三篇\"}}\n\n{clashing}\n").as_bytes(),
    );
    let report = import_one(&mut store, &path, &options);
    let message = report.errors[0].to_string();
    assert!(
        message.starts_with("line 3: together with the annotations of document")
            && message.contains("overlap")
            && message.contains("the record's entity 1 [1, 3) PER")
            && message.ends_with(&path.display().to_string()),
        "{message}"
    );
    assert_eq!(store.entities(document, StatusFilter::All).expect("entities"), before);
    assert_eq!(store.documents().expect("list").len(), 2, "第三篇 rolled back too");

    let other_layer = import_one(&mut store, &path, &ReadOptions::new("bob"));
    assert!(other_layer.errors.is_empty(), "another annotator's layer may differ");
    assert_eq!(other_layer.total().n_documents_extended, 1);
}

#[test]
fn duplicate_records_in_one_file_merge_or_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = [
        r#"{"text": "李明在长沙", "label": [[0, 2, "PER"]]}"#,
        r#"{"text": "李明在长沙", "label": [[0, 2, "PER"], [3, 5, "LOC"]]}"#,
        r#"{"text": "李明在长沙", "label": [[0, 3, "PER"]]}"#,
        r#"{"text": "李明在长沙", "label": [[0, 2, "PER"]]}"#,
    ];
    let path = write(dir.path(), "dup.jsonl", lines.join("\n").as_bytes());
    let mut store = Store::open_in_memory().expect("store");
    let report = import_one(&mut store, &path, &ReadOptions::new("ann"));
    assert!(
        report.errors[0]
            .to_string()
            .starts_with("line 3: together with the annotations of document 1, it would break the dataset: overlap"),
        "{}",
        report.errors[0]
    );
    assert!(store.documents().expect("list").is_empty());

    let skip = ReadOptions {
        on_conflict: biaozhu::store::OnConflict::Skip,
        ..ReadOptions::new("ann")
    };
    let report = import_one(&mut store, &path, &skip);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let file = &report.files[0];
    assert_eq!(
        (
            file.summary.n_documents_added,
            file.summary.n_documents_extended,
            file.summary.n_documents_unchanged,
            file.summary.n_entities_added
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(file.warnings.len(), 1, "{:?}", file.warnings);
    assert!(
        file.warnings[0].starts_with("line 3: annotations skipped: together with the annotations of document"),
        "{}",
        file.warnings[0]
    );
}

#[test]
fn a_record_that_breaks_an_invariant_alone_is_refused_or_skipped_with_a_warning() {
    // CLUENER train has nested entities (a company inside a book title) on one line.
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = [
        r#"{"text": "李明在长沙", "label": {"name": {"李明": [[0, 1]]}}}"#,
        r#"{"text": "读《华为传》", "label": {"book": {"《华为传》": [[1, 5]]}, "company": {"华为": [[2, 3]]}}}"#,
    ];
    let path = write(dir.path(), "nested.json", lines.join("\n").as_bytes());
    let mut store = Store::open_in_memory().expect("store");
    let report = import_one(&mut store, &path, &ReadOptions::new("ann"));
    let message = report.errors[0].to_string();
    assert!(message.starts_with("line 2: overlap:"), "{message}");
    assert!(store.documents().expect("list").is_empty(), "nothing half-imported");

    let skip = ReadOptions {
        on_conflict: biaozhu::store::OnConflict::Skip,
        ..ReadOptions::new("ann")
    };
    let report = import_one(&mut store, &path, &skip);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files[0].summary.n_documents_added, 1);
    assert_eq!(report.files[0].warnings.len(), 1, "{:?}", report.files[0].warnings);
    assert!(report.files[0].warnings[0].starts_with("line 2: record skipped: overlap:"));
}

fn entity_texts(store: &Store, document: biaozhu::model::DocumentId) -> Vec<(String, String)> {
    let text = store.document(document).expect("doc").text;
    store
        .entities(document, StatusFilter::All)
        .expect("entities")
        .iter()
        .map(|e| {
            let span: String = text
                .chars()
                .skip(e.char_start)
                .take(e.char_end - e.char_start)
                .collect();
            (span, e.label.clone())
        })
        .collect()
}

#[test]
fn a_brat_pair_imports_once_whichever_file_is_named_with_crlf_offsets_mapped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = write(dir.path(), "d.txt", "甲\r\n李强在北京\r\n主持会议".as_bytes());
    let ann = write(
        dir.path(),
        "d.ann",
        "T1\tPER 3 5\t李强\nT2\tORG 6 11\t北京  主\nT3\tX 11 14\nR1\t任职 Arg1:T1 Arg2:T2\n".as_bytes(),
    );
    for paths in [vec![txt.clone(), ann.clone()], vec![txt.clone()], vec![ann.clone()]] {
        let mut store = Store::open_in_memory().expect("store");
        let report = import_paths(&mut store, &paths, &ReadOptions::new("ann"), &mut |_| {});
        assert!(report.errors.is_empty(), "{paths:?}: {:?}", report.errors);
        assert_eq!(report.files.len(), 1, "{paths:?}");
        let documents = store.documents().expect("list");
        assert_eq!(documents.len(), 1);
        assert_eq!(
            store.document(documents[0].id).expect("doc").text,
            "甲\n李强在北京\n主持会议"
        );
        let mut found = entity_texts(&store, documents[0].id);
        found.sort();
        assert_eq!(
            found,
            [
                ("北京\n主".into(), "ORG".into()),
                ("持会议".into(), "X".into()),
                ("李强".into(), "PER".into())
            ],
            "{paths:?}"
        );
    }
}

#[test]
fn brat_ids_quotes_and_visual_conf_names_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "d.txt", "甲\r\n李强在北京".as_bytes());
    let cases = [
        (
            "T1\tPER 3 5\t李强\nT1\tLOC 6 8\t北京\n",
            "line 2: T1: a second T line with this id",
        ),
        (
            "T1\tPER 3 5\nT2\tLOC 6 8\nR1\tX Arg1:T1 Arg2:T2\nR1\tX Arg1:T2 Arg2:T1\n",
            "line 4: R1: a second R line with this id",
        ),
        (
            "T1\tPER 3 5\t强在\n",
            "line 1: T1: the line quotes \"强在\" but the text has \"李强\"",
        ),
    ];
    for (ann, expected) in cases {
        let ann_path = write(dir.path(), "d.ann", ann.as_bytes());
        let err = read_file(&ann_path, &ReadOptions::new("ann")).expect_err(expected);
        assert!(err.to_string().starts_with(expected), "{err}");
    }
    let ann_path = write(
        dir.path(),
        "d.ann",
        "T1\tRen 3 5\t李强\nT2\tDi_Dian 6 8\nR1\tRen_Zhi Arg1:T1 Arg2:T2\n".as_bytes(),
    );
    let conf = "[labels]\nRen | 人\nDi_Dian | 地点\nRen_Zhi | 任职\n";
    write(dir.path(), "visual.conf", conf.as_bytes());
    let (documents, _, _) = read_file(&ann_path, &ReadOptions::new("ann")).expect("unmarked");
    assert_eq!(documents[0].entities[0].label, "Ren", "no marker, no renaming");
    let marked = format!("{}\n{conf}", biaozhu::formats::brat::NAME_MAP_MARKER);
    write(dir.path(), "visual.conf", marked.as_bytes());
    let nested = dir.path().join("sub");
    std::fs::create_dir(&nested).expect("mkdir");
    std::fs::copy(dir.path().join("d.txt"), nested.join("d.txt")).expect("copy");
    let ann_path = write(&nested, "d.ann", &std::fs::read(&ann_path).expect("ann"));
    let (documents, _, _) = read_file(&ann_path, &ReadOptions::new("ann")).expect("marked, one folder up");
    let labels: Vec<&str> = documents[0].entities.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["人", "地点"]);
    assert_eq!(documents[0].relations[0].kind, "任职");
}

#[test]
fn label_studio_annotations_become_layers_and_predictions_suggestions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tasks = serde_json::json!([{
        "id": 41,
        "data": {"text": "甲\r\n李强在北京"},
        "annotations": [
            {"completed_by": {"id": 3, "email": "wang@example.com"}, "result": [
                {"id": "a", "type": "labels", "value": {"start": 3, "end": 5, "text": "李强", "labels": ["PER"]}},
                {"id": "b", "type": "labels", "value": {"start": 6, "end": 8, "labels": ["LOC"]}},
                {"type": "choices", "value": {"choices": ["good"]}}
            ]},
            {"completed_by": 7, "result": [
                {"id": "c", "type": "labels", "value": {"start": 3, "end": 5, "labels": ["PER"]}}
            ]},
            {"was_cancelled": true, "result": []},
            {"result": [
                {"id": "d", "type": "labels", "value": {"start": 3, "end": 4, "labels": ["PER"]}}
            ]}
        ],
        "predictions": [{"score": 0.8, "result": [
            {"id": "p", "type": "labels", "value": {"start": 3, "end": 5, "labels": ["PER"]}},
            {"id": "q", "type": "labels", "value": {"start": 6, "end": 8, "labels": ["ORG"]}},
            {"type": "relation", "from_id": "p", "to_id": "q", "direction": "right", "labels": ["任职"]}
        ]}]
    }]);
    let path = write(dir.path(), "ls.json", tasks.to_string().as_bytes());
    let mut store = Store::open_in_memory().expect("store");
    let report = import_paths(&mut store, &[path], &ReadOptions::new("fallback"), &mut |_| {});
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let file = &report.files[0];
    assert_eq!(
        (file.summary.n_documents_added, file.summary.n_documents_extended),
        (1, 3)
    );
    assert!(
        file.warnings.iter().any(|w| w.contains("annotations[2] was cancelled")),
        "{:?}",
        file.warnings
    );
    assert!(
        file.warnings.iter().any(|w| w.contains("choices")),
        "{:?}",
        file.warnings
    );
    let document = store.documents().expect("list")[0].id;
    assert_eq!(store.document(document).expect("doc").text, "甲\n李强在北京");
    let entities = store.entities(document, StatusFilter::All).expect("entities");
    let mut layers: Vec<(String, usize, usize, String, Status)> = entities
        .iter()
        .map(|e| (e.annotator.clone(), e.char_start, e.char_end, e.label.clone(), e.status))
        .collect();
    layers.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    assert_eq!(
        layers,
        [
            ("fallback".into(), 2, 3, "PER".into(), Status::Accepted),
            ("label-studio-user-7".into(), 2, 4, "PER".into(), Status::Accepted),
            ("pretag".into(), 2, 4, "PER".into(), Status::Suggested),
            ("pretag".into(), 5, 7, "ORG".into(), Status::Suggested),
            ("wang@example.com".into(), 2, 4, "PER".into(), Status::Accepted),
            ("wang@example.com".into(), 5, 7, "LOC".into(), Status::Accepted),
        ]
    );
    let suggestion = entities.iter().find(|e| e.annotator == "pretag").expect("pretag");
    assert_eq!(suggestion.confidence, Some(0.8));
    let relations = store.relations(document, StatusFilter::All).expect("relations");
    assert_eq!(relations.len(), 1);
    assert_eq!(
        (relations[0].status, relations[0].annotator.as_str()),
        (Status::Suggested, "pretag")
    );
}

#[test]
fn label_studio_shapes_it_does_not_know_are_refused_naming_the_task() {
    let dir = tempfile::tempdir().expect("tempdir");
    let task = |annotations: serde_json::Value| {
        serde_json::json!([{"id": 1, "data": {"text": "好"}}, {"id": 9, "data": {"text": "李强"}, "annotations": annotations}])
            .to_string()
    };
    let cases = [
        (
            task(serde_json::json!({"result": []})),
            "task 2 (id 9): `annotations` is an object, not a list",
        ),
        (
            task(serde_json::json!([{"result": "x"}])),
            "task 2 (id 9): annotations[0].result is a string",
        ),
        (
            task(serde_json::json!([{"result": [{"value": {}}]}])),
            "task 2 (id 9): a result without `type` (annotations[0], result 0)",
        ),
        (
            task(serde_json::json!([{"result": [{"type": "polygonlabels", "value": {}}]}])),
            "task 2 (id 9): a result of type \"polygonlabels\", which biaozhu does not read (annotations[0], result 0)",
        ),
        (
            task(serde_json::json!([{"result": [
                {"id": "a", "type": "labels", "value": {"start": 0, "end": 1, "labels": ["PER"]}},
                {"id": "a", "type": "labels", "value": {"start": 1, "end": 2, "labels": ["PER"]}}
            ]}])),
            "task 2 (id 9): a second result with id \"a\" (annotations[0], result 1)",
        ),
    ];
    let mut store = Store::open_in_memory().expect("store");
    for (content, expected) in cases {
        let path = write(dir.path(), "bad.json", content.as_bytes());
        let report = import_one(&mut store, &path, &ReadOptions::new("ann"));
        assert!(
            report.errors[0].to_string().starts_with(expected),
            "{}",
            report.errors[0]
        );
    }
    assert!(store.documents().expect("list").is_empty());
}

#[test]
fn spacy_lines_with_crlf_keep_their_spans_on_the_same_characters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = serde_json::json!({
        "text": "甲\r\n李强在北京",
        "spans": [{"start": 3, "end": 5, "label": "PER"}, {"start": 6, "end": 8, "label": "ORG"}],
        "relations": [{"head_span": {"start": 3, "end": 5, "label": "PER"}, "child_span": {"start": 6, "end": 8, "label": "ORG"}, "label": "任职"}]
    });
    let path = write(dir.path(), "s.jsonl", line.to_string().as_bytes());
    let (documents, _, _) = read_file(&path, &ReadOptions::new("ann")).expect("spacy");
    assert_eq!(documents[0].text, "甲\n李强在北京");
    let spans: Vec<(usize, usize)> = documents[0]
        .entities
        .iter()
        .map(|e| (e.char_start, e.char_end))
        .collect();
    assert_eq!(spans, [(2, 4), (5, 7)]);
    assert_eq!((documents[0].relations[0].head, documents[0].relations[0].tail), (0, 1));
}

#[test]
fn bad_names_and_control_characters_are_refused_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &[u8], &str); 5] = [
        (
            "names.jsonl",
            b"{\"text\": \"ab\"}\n{\"text\": \"ab\", \"label\": [[0, 1, \"P ER \"]]}\n",
            "line 2: the name \"P ER \" has spaces at an end",
        ),
        (
            "tab.jsonl",
            "{\"text\": \"ab\", \"entities\": [{\"id\": 1, \"start_offset\": 0, \"end_offset\": 1, \"label\": \"PER\"}, {\"id\": 2, \"start_offset\": 1, \"end_offset\": 2, \"label\": \"PER\"}], \"relations\": [{\"from_id\": 1, \"to_id\": 2, \"type\": \"关系\\t类型\"}]}\n".as_bytes(),
            "line 1: the name \"关系\\t类型\" holds the control character U+0009",
        ),
        (
            "nul.jsonl",
            b"{\"text\": \"ok\"}\n\n{\"text\": \"a\\u0000b\"}\n",
            "line 3: the text holds the control character U+0000 at character 1",
        ),
        ("feed.txt", b"first\nsecond\x0cpage\n", "line 2: the text holds the control character U+000C at character 12"),
        (
            "dup.jsonl",
            "{\"text\": \"李明在长沙\", \"entities\": [{\"id\": 1, \"start_offset\": 0, \"end_offset\": 2, \"label\": \"PER\"}, {\"id\": 1, \"start_offset\": 3, \"end_offset\": 5, \"label\": \"LOC\"}]}\n".as_bytes(),
            "line 1: entity 2 repeats the id 1 of an earlier entity",
        ),
    ];
    let mut store = Store::open_in_memory().expect("store");
    for (name, content, expected) in cases {
        let path = write(dir.path(), name, content);
        let report = import_one(&mut store, &path, &ReadOptions::new("ann"));
        assert_eq!(report.errors.len(), 1, "{name}");
        let message = report.errors[0].to_string();
        assert!(message.starts_with(expected), "{name}: {message}");
        assert!(message.ends_with(&path.display().to_string()), "{message}");
    }
    assert!(store.documents().expect("list").is_empty());
}

#[test]
fn a_relation_against_its_type_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = "{\"text\": \"李明在长沙\", \"entities\": [{\"id\": 1, \"start_offset\": 0, \"end_offset\": 2, \"label\": \"PER\"}, {\"id\": 2, \"start_offset\": 3, \"end_offset\": 5, \"label\": \"LOC\"}], \"relations\": [{\"from_id\": 1, \"to_id\": 2, \"type\": \"任职\"}]}";
    let path = write(
        dir.path(),
        "r.jsonl",
        format!("{{\"text\": \"好\"}}\n{line}\n").as_bytes(),
    );
    let mut store = Store::open_in_memory().expect("store");
    let report = import_one(&mut store, &path, &ReadOptions::new("ann"));
    let message = report.errors[0].to_string();
    assert!(
        message.starts_with("line 2: bad relation type: relation 1 任职"),
        "{message}"
    );
    assert!(message.contains("goes from PER to ORG"), "{message}");
}

#[test]
fn label_studio_utf16_offsets_are_read_where_the_quoted_text_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let span = |start: usize, end: usize| {
        serde_json::json!([{"data": {"text": "𠮷李强"}, "annotations": [{"result": [
            {"type": "labels", "value": {"start": start, "end": end, "text": "李强", "labels": ["PER"]}}
        ]}]}])
        .to_string()
    };
    for (content, name) in [(span(1, 3), "code-points.json"), (span(2, 4), "utf-16.json")] {
        let path = write(dir.path(), name, content.as_bytes());
        let (documents, _, _) = read_file(&path, &ReadOptions::new("ann")).expect(name);
        let entity = &documents[0].entities[0];
        assert_eq!((entity.char_start, entity.char_end), (1, 3), "{name}");
    }
    let path = write(dir.path(), "neither.json", span(0, 2).as_bytes());
    let err = read_file(&path, &ReadOptions::new("ann")).expect_err("mismatch");
    assert!(
        err.to_string()
            .starts_with("task 1: value.text \"李强\" is not text[0:2]"),
        "{err}"
    );
}
