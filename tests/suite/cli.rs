//! The real binary on temp files.

use serde_json::Value;

use super::util::{biaozhu, biaozhu_into_closed_pipe, py_slice, repo_root, stderr, stdout};

#[test]
fn tag_adds_sorted_code_point_entities_and_keeps_other_fields() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = concat!(
        r#"{"id": "a", "text": "𠮷国务院总理李强在北京表示", "extra": [1, 2]}"#,
        "\n\n",
        r#"{"text": "没有实体的一句话"}"#,
        "\n"
    );
    let output = biaozhu(dir.path(), &["tag"], input);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = lines[0].as_object().expect("object");
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["id", "text", "extra", "entities", "relations"],
        "original fields first, in order"
    );
    let text = first["text"].as_str().expect("text");
    let entities = first["entities"].as_array().expect("entities");
    let mut previous_start = 0;
    let mut found = Vec::new();
    for entity in entities {
        let start = entity[0].as_u64().expect("start") as usize;
        let end = entity[1].as_u64().expect("end") as usize;
        assert!(start >= previous_start, "sorted");
        previous_start = start;
        found.push((
            py_slice(text, start, end),
            entity[2].as_str().expect("label").to_owned(),
        ));
    }
    assert!(found.contains(&("李强".to_owned(), "PER".to_owned())), "{found:?}");
    assert!(found.contains(&("北京".to_owned(), "LOC".to_owned())), "{found:?}");
    assert_eq!(lines[1]["entities"], serde_json::json!([]));
}

#[test]
fn tag_reports_malformed_lines_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = "{\"text\": \"李明\"}\n{\"text\": 3}\nnot json\n{\"text\": \"张华\"}\n";
    let output = biaozhu(dir.path(), &["tag"], input);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("line 2: missing string field `text`"), "{err}");
    assert!(err.contains("line 3: malformed JSON"), "{err}");
    assert_eq!(stdout(&output).lines().count(), 2, "good lines still flow");
}

#[test]
fn import_pretag_export_stats_on_the_sample_corpus() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = repo_root().join("corpus");
    let corpus = corpus.to_str().expect("utf-8 path");
    let import = biaozhu(dir.path(), &["import", "--db", "p.sqlite", corpus], "");
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(
        stdout(&import).starts_with("imported 1 document "),
        "{}",
        stdout(&import)
    );
    let again = biaozhu(dir.path(), &["import", "--db", "p.sqlite", corpus], "");
    assert!(
        stdout(&again).starts_with("imported 0 documents (1 unchanged)"),
        "{}",
        stdout(&again)
    );

    let pretag = biaozhu(dir.path(), &["pretag", "--db", "p.sqlite"], "");
    assert!(pretag.status.success(), "{}", stderr(&pretag));
    let rerun = biaozhu(dir.path(), &["pretag", "--db", "p.sqlite"], "");
    assert!(
        stdout(&rerun).contains(": 0 suggestions added, 0 removed"),
        "{}",
        stdout(&rerun)
    );

    let accepted = biaozhu(
        dir.path(),
        &["export", "--db", "p.sqlite", "--out", "accepted.jsonl"],
        "",
    );
    assert!(accepted.status.success(), "{}", stderr(&accepted));
    let line: Value = serde_json::from_str(
        std::fs::read_to_string(dir.path().join("accepted.jsonl"))
            .expect("export")
            .trim(),
    )
    .expect("one json line");
    assert_eq!(
        line["entities"],
        serde_json::json!([]),
        "suggestions are not the dataset"
    );

    let all = biaozhu(
        dir.path(),
        &[
            "export",
            "--db",
            "p.sqlite",
            "--format",
            "doccano",
            "--include-suggestions",
            "--out",
            "out/all.jsonl",
        ],
        "",
    );
    assert!(all.status.success(), "{}", stderr(&all));
    let exported: Value = serde_json::from_str(
        std::fs::read_to_string(dir.path().join("out/all.jsonl"))
            .expect("export")
            .trim(),
    )
    .expect("one json line");
    let text = exported["text"].as_str().expect("text");
    let original = std::fs::read_to_string(repo_root().join("corpus/hunan-daily-2025-03-29.txt")).expect("corpus");
    assert_eq!(text, original.replace("\r\n", "\n").trim_start_matches('\u{feff}'));

    // `tag` cuts the same text independently; both paths must agree on every span.
    let tagged = biaozhu(
        dir.path(),
        &["tag"],
        &format!("{}\n", serde_json::json!({ "text": text })),
    );
    let tagged: Value = serde_json::from_str(stdout(&tagged).trim()).expect("tag output");
    let from_tag: Vec<(String, String)> = tagged["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            let (s, t) = (e[0].as_u64().expect("s") as usize, e[1].as_u64().expect("e") as usize);
            (py_slice(text, s, t), e[2].as_str().expect("label").to_owned())
        })
        .collect();
    let from_export: Vec<(String, String)> = exported["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            let s = e["start_offset"].as_u64().expect("start") as usize;
            let t = e["end_offset"].as_u64().expect("end") as usize;
            (py_slice(text, s, t), e["label"].as_str().expect("label").to_owned())
        })
        .collect();
    assert!(from_export.len() > 20, "the article has many names and places");
    assert_eq!(from_export, from_tag);

    let stats = biaozhu(dir.path(), &["stats", "--db", "p.sqlite", "--json"], "");
    let stats: Value = serde_json::from_str(&stdout(&stats)).expect("stats json");
    assert_eq!(stats["documents"], 1);
    assert_eq!(stats["characters"].as_u64(), Some(text.chars().count() as u64));
}

#[test]
fn export_round_trips_an_imported_doccano_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = r#"{"text":"𠮷华为技术有限公司投资3.5亿元。","entities":[{"id":5,"label":"ORG","start_offset":1,"end_offset":9},{"id":6,"label":"MONEY","start_offset":11,"end_offset":16}],"relations":[{"id":1,"from_id":5,"to_id":6,"type":"投资"}]}"#;
    std::fs::write(dir.path().join("in.jsonl"), format!("{line}\n")).expect("write");
    let import = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "in.jsonl"], "");
    assert!(import.status.success(), "{}", stderr(&import));
    let export = biaozhu(dir.path(), &["export", "--db", "p.sqlite", "--out", "out.jsonl"], "");
    assert!(export.status.success(), "{}", stderr(&export));
    let out = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("out");
    assert_eq!(
        out,
        concat!(
            r#"{"id":1,"text":"𠮷华为技术有限公司投资3.5亿元。","entities":[{"id":1,"label":"ORG","start_offset":1,"end_offset":9},{"id":2,"label":"MONEY","start_offset":11,"end_offset":16}],"relations":[{"id":1,"from_id":1,"to_id":2,"type":"投资"}]}"#,
            "\n"
        )
    );
    let again = biaozhu(dir.path(), &["export", "--db", "p.sqlite", "--out", "again.jsonl"], "");
    assert!(again.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again.jsonl")).expect("again"),
        out,
        "deterministic"
    );
}

#[test]
fn exit_codes_separate_user_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing_db = biaozhu(dir.path(), &["export", "--db", "none.sqlite", "--out", "x.jsonl"], "");
    assert_eq!(missing_db.status.code(), Some(1));
    assert!(
        stderr(&missing_db).contains("no project at none.sqlite"),
        "{}",
        stderr(&missing_db)
    );

    let missing_file = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "nothing.txt"], "");
    assert_eq!(missing_file.status.code(), Some(1));
    assert!(
        stderr(&missing_file).contains("nothing.txt"),
        "{}",
        stderr(&missing_file)
    );

    std::fs::write(dir.path().join("bad.jsonl"), "{\"text\": \"好\"}\n{oops}\n").expect("write");
    let bad = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "bad.jsonl"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("line 2: malformed JSON"), "{}", stderr(&bad));

    let unknown = biaozhu(dir.path(), &["frobnicate"], "");
    assert_eq!(unknown.status.code(), Some(1));
    let help = biaozhu(dir.path(), &["--help"], "");
    assert_eq!(help.status.code(), Some(0));

    std::fs::write(
        dir.path().join("fake.sqlite"),
        "plain text, not a database at all......",
    )
    .expect("write");
    let fake = biaozhu(dir.path(), &["stats", "--db", "fake.sqlite"], "");
    assert_eq!(fake.status.code(), Some(1), "{}", stderr(&fake));
}

#[test]
fn a_user_dictionary_changes_what_pretag_cuts() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "长沙经开区新签约项目").expect("write");
    std::fs::write(dir.path().join("dict.txt"), "# zones\n长沙经开区 1000 ns\n").expect("write");
    assert!(
        biaozhu(dir.path(), &["import", "--db", "p.sqlite", "a.txt"], "")
            .status
            .success()
    );
    let dict = biaozhu(dir.path(), &["dict", "--db", "p.sqlite", "dict.txt"], "");
    assert!(stdout(&dict).starts_with("added 1 words"), "{}", stderr(&dict));
    assert!(
        biaozhu(dir.path(), &["pretag", "--db", "p.sqlite"], "")
            .status
            .success()
    );
    let out = biaozhu(
        dir.path(),
        &[
            "export",
            "--db",
            "p.sqlite",
            "--include-suggestions",
            "--out",
            "o.jsonl",
        ],
        "",
    );
    assert!(out.status.success());
    let line: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o.jsonl")).expect("o")).expect("json");
    let first = &line["entities"][0];
    assert_eq!(
        (first["start_offset"].as_u64(), first["end_offset"].as_u64()),
        (Some(0), Some(5)),
        "{line}"
    );

    std::fs::write(dir.path().join("bad.txt"), "好词\n坏 12 nz 7\n").expect("write");
    let bad = biaozhu(dir.path(), &["dict", "--db", "p.sqlite", "bad.txt"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("line 2:"), "{}", stderr(&bad));
}

#[test]
fn the_default_project_is_created_from_the_corpus_and_pretagged_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("corpus")).expect("corpus dir");
    std::fs::copy(
        repo_root().join("corpus/hunan-daily-2025-03-29.txt"),
        dir.path().join("corpus/article.txt"),
    )
    .expect("copy corpus");
    let project = biaozhu::project::DefaultProject::under(dir.path());
    let (store, first_run) = project.open(&mut |_| {}).expect("first run");
    assert_eq!(first_run.expect("created").total().n_documents_added, 1);
    assert!(project.db.ends_with("annotations/biaozhu.sqlite"));
    let stats = store.stats().expect("stats");
    assert!(
        stats.entities["PER"]["suggested"] > 5,
        "the first run pre-tags: {stats:?}"
    );
    drop(store);
    let (_, second_run) = project.open(&mut |_| {}).expect("second run");
    assert!(second_run.is_none(), "an existing project is opened as it is");
}

#[test]
fn tag_writes_relations_and_schema_round_trips_through_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tagged = biaozhu(dir.path(), &["tag"], "{\"text\": \"省发展改革委副主任王建国表示\"}\n");
    let line: Value = serde_json::from_str(stdout(&tagged).trim()).expect("json");
    assert_eq!(
        line["relations"],
        serde_json::json!([[2, 0, "任职"], [2, 1, "职务"]]),
        "{line}"
    );

    std::fs::write(dir.path().join("a.txt"), "文本").expect("write");
    assert!(
        biaozhu(dir.path(), &["import", "--db", "p.sqlite", "a.txt"], "")
            .status
            .success()
    );
    let export = biaozhu(
        dir.path(),
        &["schema", "--db", "p.sqlite", "--export", "schema.json"],
        "",
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("schema.json")).expect("schema")).expect("json");
    assert_eq!(schema["labels"][0]["name"], "PER");
    assert_eq!(schema["relation_types"][0]["head_labels"], serde_json::json!(["PER"]));
    schema["labels"]
        .as_array_mut()
        .expect("labels")
        .push(serde_json::json!({
            "name": "EVENT", "display_name": "事件", "color": "#cccccc", "hotkey": "9", "description": "meetings"
        }));
    std::fs::write(dir.path().join("more.json"), schema.to_string()).expect("write");
    let import = biaozhu(dir.path(), &["schema", "--db", "p.sqlite", "--import", "more.json"], "");
    assert!(import.status.success(), "{}", stderr(&import));
    let printed: Value =
        serde_json::from_str(&stdout(&biaozhu(dir.path(), &["schema", "--db", "p.sqlite"], ""))).expect("json");
    assert_eq!(printed["labels"].as_array().expect("labels").len(), 9);

    std::fs::write(dir.path().join("bad.json"), "{\n  \"labels\": 3\n}").expect("write");
    let bad = biaozhu(dir.path(), &["schema", "--db", "p.sqlite", "--import", "bad.json"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("line 2"), "{}", stderr(&bad));
}

#[test]
fn bench_prints_both_throughputs_and_their_ratio() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = [
        "国务院总理李强在北京表示，今年经济增长目标为5%左右。",
        "湖南日报全媒体记者 黄利飞 于森",
        "长沙经开区2024年完成投资120亿元，同比增长8.5%。",
    ];
    let jsonl: String = texts
        .iter()
        .map(|t| format!("{}\n", serde_json::json!({ "text": t })))
        .collect();
    std::fs::write(dir.path().join("texts.jsonl"), jsonl).expect("write");
    let output = biaozhu(dir.path(), &["bench", "--input", "texts.jsonl", "--rounds", "1"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("texts.jsonl: 3 texts"), "{out}");
    let n_entities = |row: &str| -> usize {
        let line = out
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_else(|| panic!("no {row} row: {out}"));
        line.split_whitespace()
            .rev()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("a count")
    };
    assert!(n_entities("jieba-rs tag") > 20, "{out}");
    assert!(n_entities("biaozhu pretag") >= 8, "{out}");
    let ratio: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("pretag throughput is "))
        .and_then(|rest| rest.split('%').next())
        .and_then(|n| n.parse().ok())
        .expect("a ratio line");
    assert!(ratio > 0.0 && ratio < 1000.0, "{out}");

    std::fs::write(dir.path().join("bad.jsonl"), "{\"text\": \"好\"}\n{\"title\": 1}\n").expect("write");
    let bad = biaozhu(dir.path(), &["bench", "--input", "bad.jsonl", "--rounds", "1"], "");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("line 2: no `text` string"), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("bad.jsonl"), "{}", stderr(&bad));
}

#[test]
fn a_closed_pipe_ends_a_command_quietly_with_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = repo_root().join("corpus");
    let corpus = corpus.to_str().expect("utf-8 path");
    let imported = biaozhu(dir.path(), &["import", "--db", "p.sqlite", corpus], "");
    assert!(imported.status.success(), "{}", stderr(&imported));
    for args in [
        &["stats", "--db", "p.sqlite"][..],
        &["stats", "--db", "p.sqlite", "--json"],
    ] {
        let (status, errors) = biaozhu_into_closed_pipe(dir.path(), args, String::new());
        assert_eq!(status.code(), Some(0), "{args:?}: {errors}");
        assert!(errors.is_empty(), "{args:?} is quiet: {errors}");
    }
    let many_lines = "{\"text\": \"国务院总理李强在北京表示\"}\n".repeat(20_000);
    let (status, errors) = biaozhu_into_closed_pipe(dir.path(), &["tag"], many_lines);
    assert_eq!(status.code(), Some(0), "tag: {errors}");
    assert!(errors.is_empty(), "tag is quiet: {errors}");
}

/// A sample project imported from `corpus/` and pre-tagged, in `dir`.
fn pretagged_sample(dir: &std::path::Path) {
    let corpus = repo_root().join("corpus");
    let corpus = corpus.to_str().expect("utf-8 path");
    let import = biaozhu(dir, &["import", "--db", "p.sqlite", corpus], "");
    assert!(import.status.success(), "{}", stderr(&import));
    let pretag = biaozhu(dir, &["pretag", "--db", "p.sqlite"], "");
    assert!(pretag.status.success(), "{}", stderr(&pretag));
}

/// Inserts an entity straight into the file, behind the store's back; returns its id.
fn insert_entity(db: &rusqlite::Connection, span: (i64, i64), label: &str, status: &str) -> i64 {
    db.execute(
        "INSERT INTO entities(document_id, char_start, char_end, label, status, source, confidence, annotator,
                              created_at_ms, updated_at_ms)
         VALUES ((SELECT min(id) FROM documents), ?1, ?2, ?3, ?4, 'manual', NULL, 'ann', 0, 0)",
        rusqlite::params![span.0, span.1, label, status],
    )
    .expect("insert entity");
    db.last_insert_rowid()
}

#[test]
fn check_passes_a_fresh_project_and_reports_rows_written_behind_its_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    pretagged_sample(dir.path());
    let clean = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert_eq!(clean.status.code(), Some(0), "{}{}", stdout(&clean), stderr(&clean));
    assert!(stdout(&clean).contains("no violations"), "{}", stdout(&clean));

    let db = rusqlite::Connection::open(dir.path().join("p.sqlite")).expect("open the file");
    let first = insert_entity(&db, (0, 3), "PER", "accepted");
    let second = insert_entity(&db, (1, 4), "ORG", "accepted");
    drop(db);
    let broken = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert_eq!(broken.status.code(), Some(1), "{}{}", stdout(&broken), stderr(&broken));
    let out = stdout(&broken);
    let line = out.lines().find(|l| l.contains("overlap")).expect("an overlap line");
    assert!(line.contains(&format!("entity {first} [0, 3) PER")), "{out}");
    assert!(line.contains(&format!("entity {second} [1, 4) ORG")), "{out}");
    assert!(out.lines().last().expect("summary").contains("1 violation "), "{out}");

    let db = rusqlite::Connection::open(dir.path().join("p.sqlite")).expect("open the file");
    db.execute("DELETE FROM entities WHERE id = ?1", [second])
        .expect("delete");
    let head = insert_entity(&db, (10, 12), "PER", "rejected");
    let tail = insert_entity(&db, (13, 17), "ORG", "accepted");
    db.execute(
        "INSERT INTO relations(document_id, head_id, tail_id, kind, status, source, annotator, created_at_ms,
                               updated_at_ms)
         VALUES ((SELECT min(id) FROM documents), ?1, ?2, '任职', 'accepted', 'manual', 'ann', 0, 0)",
        [head, tail],
    )
    .expect("insert relation");
    drop(db);
    let dangling = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert_eq!(dangling.status.code(), Some(1), "{}", stdout(&dangling));
    let out = stdout(&dangling);
    assert!(!out.contains("overlap"), "{out}");
    assert!(
        out.contains("bad relation end: relation") && out.contains(&format!("its head is entity {head}")),
        "{out}"
    );
}

#[test]
fn import_refuses_an_overlapping_jsonl_line_and_leaves_the_project_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    pretagged_sample(dir.path());
    let before = stdout(&biaozhu(dir.path(), &["stats", "--db", "p.sqlite", "--json"], ""));
    std::fs::write(
        dir.path().join("bad.jsonl"),
        "{\"text\":\"省长王建国在长沙考察\",\"entities\":[[2,5,\"PER\"],[3,5,\"PER\"]]}\n",
    )
    .expect("write");
    let import = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "bad.jsonl"], "");
    assert_eq!(import.status.code(), Some(1), "{}", stderr(&import));
    let err = stderr(&import);
    assert!(err.contains("line 1: overlap") && err.contains("bad.jsonl"), "{err}");
    let after = stdout(&biaozhu(dir.path(), &["stats", "--db", "p.sqlite", "--json"], ""));
    assert_eq!(before, after, "nothing half-imported");
    let check = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

/// The id, label and text of every entity `tag` printed on one line.
fn tagged_spans(line: &Value) -> Vec<(String, String)> {
    let text = line["text"].as_str().expect("text");
    line["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .map(|e| {
            let n = |k: usize| e[k].as_u64().expect("offset") as usize;
            (py_slice(text, n(0), n(1)), e[2].as_str().expect("label").to_owned())
        })
        .collect()
}

#[test]
fn train_learns_from_a_project_and_tag_uses_it_deterministically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = repo_root().join("tests/fixtures/learn.jsonl");
    let fixture = fixture.to_str().expect("utf-8 path");
    let untouched = "{\"text\": \"紫檀数智发布了新一代芯片。\"}\n";
    let mut models = Vec::new();
    for name in ["a.sqlite", "b.sqlite"] {
        let output = biaozhu(dir.path(), &["import", "--db", name, fixture], "");
        assert!(output.status.success(), "{}", stderr(&output));
        let before = biaozhu(dir.path(), &["tag", "--db", name], untouched);
        let before: Value = serde_json::from_str(stdout(&before).trim()).expect("json");
        assert_eq!(tagged_spans(&before), [], "the rules miss invented names");
        let output = biaozhu(dir.path(), &["train", "--db", name, "--seed", "5"], "");
        assert!(output.status.success(), "{}", stderr(&output));
        let out = stdout(&output);
        assert!(out.contains("on 400 documents"), "{out}");
        assert!(out.contains("held-back 40 documents"), "{out}");
        assert!(out.contains("tagger: rules + model"), "{out}");
        let after = biaozhu(dir.path(), &["tag", "--db", name], untouched);
        assert!(stderr(&after).contains("rules + model"), "{}", stderr(&after));
        let after: Value = serde_json::from_str(stdout(&after).trim()).expect("json");
        assert_eq!(tagged_spans(&after), [("紫檀数智".to_owned(), "ORG".to_owned())]);
        let store = biaozhu::store::Store::open_existing(dir.path().join(name)).expect("project");
        models.push(store.latest_model().expect("read").expect("a model").1);
        let stats = biaozhu(dir.path(), &["stats", "--db", name], "");
        assert!(
            stdout(&stats).contains("tagger      rules + model"),
            "{}",
            stdout(&stats)
        );
    }
    assert_eq!(models[0], models[1], "same data and seed, same model bytes");
}

#[test]
fn train_without_annotations_says_why_and_leaves_the_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    import_the_sample(dir.path());
    let output = biaozhu(dir.path(), &["train", "--db", "p.sqlite"], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("nothing to train on"), "{}", stderr(&output));
    let stats = biaozhu(dir.path(), &["stats", "--db", "p.sqlite"], "");
    assert!(
        stdout(&stats).contains("rules: the project has no trained model"),
        "{}",
        stdout(&stats)
    );
}

#[test]
fn eval_curve_trains_on_growing_prefixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = repo_root().join("tests/fixtures/learn.jsonl");
    let fixture = fixture.to_str().expect("utf-8 path");
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(
        &gold,
        concat!(
            r#"{"text": "紫檀数智发布了新一代芯片。", "entities": [[0, 4, "ORG"]]}"#,
            "\n",
            r#"{"text": "据红杉物联介绍，新工厂将于明年投产。", "entities": [[1, 5, "ORG"]]}"#,
            "\n"
        ),
    )
    .expect("gold");
    let gold = gold.to_str().expect("utf-8 path");
    let output = biaozhu(
        dir.path(),
        &[
            "eval", "--gold", gold, "--train", fixture, "--curve", "10,all", "--json",
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let rows: Value = serde_json::from_str(&stdout(&output)).expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["sentences"], 10);
    assert_eq!(rows[1]["sentences"], 400);
    assert_eq!(
        rows[1]["rules_f1"], 0.0,
        "the rules and gazetteer miss names they never saw"
    );
    assert_eq!(rows[1]["model_f1"], 1.0, "{rows:?}");
    assert_eq!(rows[1]["uses_model"], true);
}

#[test]
fn train_from_files_learns_them_and_refuses_overlaps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = repo_root().join("tests/fixtures/learn.jsonl");
    let fixture = fixture.to_str().expect("utf-8 path");
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "{\"text\": \"一段文字。\"}\n").expect("write");
    let output = biaozhu(
        dir.path(),
        &["import", "--db", "p.sqlite", empty.to_str().expect("path")],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = biaozhu(dir.path(), &["train", "--db", "p.sqlite", "--from", fixture], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("on 400 documents"), "{}", stdout(&output));

    let overlapping = dir.path().join("overlap.jsonl");
    std::fs::write(
        &overlapping,
        "{\"text\": \"青木科创发布了新一代芯片。\", \"entities\": [[0, 4, \"ORG\"], [2, 4, \"ORG\"]]}\n",
    )
    .expect("write");
    let before = biaozhu::store::Store::open_existing(dir.path().join("p.sqlite"))
        .expect("project")
        .model_history()
        .expect("history")
        .len();
    let output = biaozhu(
        dir.path(),
        &[
            "train",
            "--db",
            "p.sqlite",
            "--from",
            overlapping.to_str().expect("path"),
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("overlapping entities") && err.contains("overlap.jsonl"),
        "{err}"
    );
    let after = biaozhu::store::Store::open_existing(dir.path().join("p.sqlite"))
        .expect("project")
        .model_history()
        .expect("history")
        .len();
    assert_eq!(before, after, "nothing stored");
}

#[test]
fn export_refuses_to_write_onto_the_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    import_the_sample(dir.path());
    let before = std::fs::read(dir.path().join("p.sqlite")).expect("project");
    for out in ["p.sqlite", "./p.sqlite", "p.sqlite-wal"] {
        let output = biaozhu(
            dir.path(),
            &["export", "--db", "p.sqlite", "--format", "doccano", "--out", out],
            "",
        );
        assert_eq!(output.status.code(), Some(1), "{out}");
        assert!(
            stderr(&output).contains("onto the project itself"),
            "{}",
            stderr(&output)
        );
    }
    assert_eq!(std::fs::read(dir.path().join("p.sqlite")).expect("project"), before);
    let check = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert!(check.status.success(), "{}", stdout(&check));
}

#[test]
fn an_export_replaces_the_previous_file_whole_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    import_the_sample(dir.path());
    std::fs::write(dir.path().join("out.jsonl"), "old\n").expect("old export");
    let output = biaozhu(
        dir.path(),
        &[
            "export",
            "--db",
            "p.sqlite",
            "--format",
            "doccano",
            "--out",
            "out.jsonl",
        ],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("export");
    assert!(written.starts_with('{'), "the new export replaced the old one");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
}

#[test]
fn a_killed_export_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines: String = (0..10_000)
        .map(|i| {
            format!(
                "{{\"text\": \"第{i}篇：王建国在长沙考察，湖南日报记者报道。\", \"entities\": [[3, 6, \"PER\"]]}}\n"
            )
        })
        .collect();
    std::fs::write(dir.path().join("many.jsonl"), lines).expect("input");
    let output = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "many.jsonl"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let export = [
        "export",
        "--db",
        "p.sqlite",
        "--format",
        "doccano",
        "--out",
        "out.jsonl",
    ];
    let output = biaozhu(dir.path(), &export, "");
    assert!(output.status.success(), "{}", stderr(&output));
    let complete = std::fs::read(dir.path().join("out.jsonl")).expect("export");
    for delay_ms in [5, 20, 60, 150] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"))
            .args(export)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("export starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(dir.path().join("out.jsonl")).expect("still there");
        assert!(
            now == complete,
            "killed after {delay_ms} ms, out.jsonl is {} bytes of {}",
            now.len(),
            complete.len()
        );
    }
}

#[test]
fn backup_copies_saved_edits_still_in_the_write_ahead_log() {
    use biaozhu::model::{NewEntity, Status, StatusFilter};
    let dir = tempfile::tempdir().expect("tempdir");
    import_the_sample(dir.path());
    // The app's connection stays open with its edits in p.sqlite-wal, not yet checkpointed.
    let mut app = biaozhu::store::Store::open_existing(dir.path().join("p.sqlite")).expect("open");
    let document = app.documents().expect("list")[0].id;
    for i in 0..40 {
        let mut edit = app.edit("add", "ann").expect("edit");
        edit.add_entity(
            document,
            &NewEntity {
                char_start: 10 * i,
                char_end: 10 * i + 2,
                label: "PER".into(),
                status: Status::Accepted,
                source: "manual".into(),
                confidence: None,
                annotator: "ann".into(),
            },
        )
        .expect("add");
        edit.commit().expect("commit");
    }
    assert!(std::fs::metadata(dir.path().join("p.sqlite-wal")).expect("wal").len() > 0);
    let output = biaozhu(dir.path(), &["backup", "--db", "p.sqlite", "--out", "copy.sqlite"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("40 entities"), "{}", stdout(&output));
    let copy = biaozhu::store::Store::open_existing(dir.path().join("copy.sqlite")).expect("the copy opens");
    let accepted = copy.entities(document, StatusFilter::All).expect("entities");
    assert_eq!(accepted.len(), 40, "every saved edit is in the copy");
    let check = biaozhu(dir.path(), &["check", "--db", "copy.sqlite"], "");
    assert!(check.status.success(), "{}", stdout(&check));
    let onto = biaozhu(dir.path(), &["backup", "--db", "p.sqlite", "--out", "p.sqlite"], "");
    assert_eq!(onto.status.code(), Some(1), "{}", stderr(&onto));
    drop(app);
}

/// `n` distinct one-line documents, `prefix` keeping two files apart.
fn many_documents(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"text\": \"{prefix}第{i}条：国务院总理李强在北京表示，湖南日报记者报道。\"}}\n"))
        .collect()
}

#[test]
fn two_imports_and_a_pretag_at_once_all_land() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.jsonl"), many_documents("甲", 3000)).expect("a");
    std::fs::write(dir.path().join("b.jsonl"), many_documents("乙", 3000)).expect("b");
    std::fs::write(dir.path().join("c.jsonl"), many_documents("丙", 3000)).expect("c");
    let output = biaozhu(dir.path(), &["import", "--db", "p.sqlite", "c.jsonl"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    let start = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"))
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("starts")
    };
    let children = [
        start(&["pretag", "--db", "p.sqlite"]),
        start(&["import", "--db", "p.sqlite", "a.jsonl"]),
        start(&["import", "--db", "p.sqlite", "b.jsonl"]),
    ];
    for child in children {
        let output = child.wait_with_output().expect("finishes");
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let store = biaozhu::store::Store::open_existing(dir.path().join("p.sqlite")).expect("project");
    assert_eq!(store.documents().expect("list").len(), 9000, "nothing lost");
    let check = biaozhu(dir.path(), &["check", "--db", "p.sqlite"], "");
    assert!(check.status.success(), "{}", stdout(&check));
}

/// `p.sqlite` in `dir` with the sample corpus imported.
fn import_the_sample(dir: &std::path::Path) {
    let corpus = repo_root().join("corpus");
    let output = biaozhu(dir, &["import", "--db", "p.sqlite", corpus.to_str().expect("path")], "");
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn exports_honour_map_labels_sep_max_chars_and_write_a_label_studio_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    pretagged_sample(dir.path());
    let export = |extra: &[&str]| {
        let args = [&["export", "--db", "p.sqlite", "--status", "all"], extra].concat();
        biaozhu(dir.path(), &args, "")
    };
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    let brat = export(&["--format", "brat", "--map", "PER=PERSON", "--out", "brat"]);
    assert!(brat.status.success(), "{}", stderr(&brat));
    let conf = read("brat/annotation.conf");
    assert!(conf.contains("\nPERSON\n") && !conf.contains("\nPER\n"), "{conf}");
    assert!(conf.contains("Ren_Zhi\tArg1:PERSON, Arg2:ORG"), "{conf}");
    assert!(read("brat/visual.conf").contains("Ren_Zhi | 任职"));
    let ann = read("brat/doc-000001.ann");
    assert!(ann.contains("\tPERSON ") && !ann.contains("\tPER ") && ann.contains("\tRen_Zhi Arg1:"));

    let labels = ["--labels", "PER,ORG,LOC,TITLE,MONEY"];
    let hf = export(&[&["--format", "hf", "--out", "hf"], labels.as_slice()].concat());
    assert!(hf.status.success(), "{}", stderr(&hf));
    let tags: Vec<String> = serde_json::from_str(&read("hf/label_list.json")).expect("label list");
    assert_eq!(tags.len(), 11, "O and B-, I- of the five labels: {tags:?}");
    assert!(read("hf/README.md").contains("'10': 'I-MONEY'"));
    let rows: Vec<Value> = read("hf/train.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert!(
        rows.len() > 1
            && rows
                .iter()
                .all(|r| r["tokens"].as_array().is_some_and(|t| t.len() <= 510))
    );
    let tiny = export(&["--format", "hf", "--max-chars", "2", "--out", "tiny"]);
    assert_eq!(tiny.status.code(), Some(1));
    assert!(stderr(&tiny).contains("longer than --max-chars 2"), "{}", stderr(&tiny));

    let conll = export(&["--format", "conll", "--sep", "tab", "--out", "tab.conll"]);
    assert!(conll.status.success(), "{}", stderr(&conll));
    assert!(read("tab.conll").starts_with("-DOCSTART-\t-X-\tO\tO\n\n"));

    let ls = export(&[
        "--format",
        "label-studio",
        "--map",
        "PER=PERSON",
        "--out",
        "ls.json",
        "--ls-config",
        "ls.xml",
    ]);
    assert!(ls.status.success(), "{}", stderr(&ls));
    let config = read("ls.xml");
    assert!(
        config.contains("<Label value=\"PERSON\" background=\"#f4a7a7\"/>"),
        "{config}"
    );
    let tasks: Value = serde_json::from_str(&read("ls.json")).expect("tasks");
    assert_eq!(tasks[0]["predictions"][0]["model_version"], "biaozhu");
    assert!(tasks[0].get("annotations").is_none(), "nothing accepted yet");
}
