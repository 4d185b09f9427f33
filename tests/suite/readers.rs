//! The readers of the formats Chinese NLP data comes in, on small hand-made files: exact
//! texts and spans, or an error naming the file and the line.

use std::path::PathBuf;

use biaozhu::model::NewDocument;
use biaozhu::project::import::{ReadOptions, read_file};

fn write(dir: &tempfile::TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write fixture");
    path
}

/// Reads `content` as a file called `name`: its documents and warnings.
fn read(name: &str, content: &str, options: &ReadOptions) -> (Vec<NewDocument>, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, name, content);
    let (documents, _, warnings) = read_file(&path, options).unwrap_or_else(|e| panic!("{name}: {e}"));
    (documents, warnings)
}

/// The error of reading `content` as `name`; it must name the file.
fn error(name: &str, content: &str, options: &ReadOptions) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, name, content);
    let message = read_file(&path, options).expect_err("refused").to_string();
    assert!(message.contains(name), "{message}");
    message
}

fn spans(document: &NewDocument) -> Vec<(usize, usize, &str)> {
    document
        .entities
        .iter()
        .map(|e| (e.char_start, e.char_end, e.label.as_str()))
        .collect()
}

fn texts(documents: &[NewDocument]) -> Vec<&str> {
    documents.iter().map(|d| d.text.as_str()).collect()
}

fn plain() -> ReadOptions {
    ReadOptions::new("import")
}

fn with_tag_names(names: &[&str]) -> ReadOptions {
    ReadOptions {
        tag_names: Some(names.iter().map(|n| n.to_string()).collect()),
        ..plain()
    }
}

#[test]
fn bmes_in_the_shape_of_the_resume_set_reads_block_by_block() {
    // As ResumeNER's train.char.bmes: `char TAG`, a blank line between sentences.
    let content =
        "高 B-NAME\n勇 E-NAME\n： O\n男 O\n， O\n中 B-CONT\n国 M-CONT\n国 M-CONT\n籍 E-CONT\n。 O\n\n京 S-LOC\n人 O\n";
    let (documents, warnings) = read("train.char.bmes", content, &plain());
    assert!(warnings.is_empty());
    assert_eq!(texts(&documents), ["高勇：男，中国国籍。", "京人"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "NAME"), (5, 9, "CONT")]);
    assert_eq!(spans(&documents[1]), [(0, 1, "LOC")]);
    assert_eq!(documents[1].name, "train.char.bmes:12");
}

#[test]
fn bilou_with_tabs_keeps_a_space_character_and_takes_the_last_of_many_columns() {
    let content = "张\tB-PER\n三\tL-PER\n \tO\n京\tU-LOC\n";
    let (documents, _) = read("a.bilou", content, &plain());
    assert_eq!(texts(&documents), ["张三 京"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "PER"), (3, 4, "LOC")]);

    let columns = "-DOCSTART- -X- O O\n\n中 B nr B-ORG\n行 E nr I-ORG\n-DOCSTART- 12\n\n在 S p O\n";
    let (documents, _) = read("b.conll", columns, &plain());
    assert_eq!(texts(&documents), ["中行", "在"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "ORG")]);
    assert!(documents[1].entities.is_empty());
}

#[test]
fn an_inner_tag_without_its_first_starts_an_entity_where_the_tags_put_it() {
    let (documents, _) = read("c.bmes", "甲 O\n乙 M-PER\n丙 E-PER\n丁 E-LOC\n", &plain());
    assert_eq!(spans(&documents[0]), [(1, 3, "PER"), (3, 4, "LOC")]);
}

#[test]
fn integer_tags_are_named_only_by_the_tag_names() {
    let content = "李 1\n明 2\n说 0\n";
    let (documents, _) = read("int.conll", content, &with_tag_names(&["O", "B-PER", "I-PER"]));
    assert_eq!(texts(&documents), ["李明说"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "PER")]);

    let message = error("int.conll", content, &plain());
    assert!(message.starts_with("line 1: tag 1 is a number"), "{message}");
    assert!(message.contains("--tag-names"), "{message}");
    let message = error("int.conll", "李 1\n明 3\n", &with_tag_names(&["O", "B-PER", "I-PER"]));
    assert!(
        message.starts_with("line 2: tag 3 is past the 3 tag names"),
        "{message}"
    );
    let message = error("bad.bio", "甲 O\n乙 B-PER\n丙 X-PER\n", &plain());
    assert!(message.starts_with("line 3: unknown tag prefix"), "{message}");

    let hf = "{\"tokens\": [\"李\", \"明\", \"说\"], \"ner_tags\": [1, 2, 0]}\n";
    let (documents, _) = read("hf.jsonl", hf, &with_tag_names(&["O", "B-PER", "I-PER"]));
    assert_eq!(spans(&documents[0]), [(0, 2, "PER")]);
    let message = error("hf.jsonl", hf, &plain());
    assert!(
        message.starts_with("line 1: ner_tags[0]: tag 1 is a number"),
        "{message}"
    );
    assert!(message.contains("--tag-names"), "{message}");
}

#[test]
fn txt_files_read_as_character_tagging_when_asked() {
    let options = ReadOptions {
        txt_as: Some("conll".into()),
        ..plain()
    };
    let (documents, _) = read("tags.txt", "李 B-PER\n明 I-PER\n", &options);
    assert_eq!(spans(&documents[0]), [(0, 2, "PER")]);
    let (documents, _) = read("tags.txt", "李 B-PER\n", &plain());
    assert_eq!(texts(&documents), ["李 B-PER\n"], "plain text without the option");
}

#[test]
fn hf_rows_that_are_pieces_of_one_document_join_into_it() {
    let content = concat!(
        r#"{"id": "12-0", "document_id": 12, "char_offset": 0, "tokens": ["华", "为", "在", "深", "圳", "。"], "ner_tags": ["B-ORG", "I-ORG", "O", "B-LOC", "I-LOC", "O"]}"#,
        "\n",
        r#"{"id": "12-1", "document_id": 12, "char_offset": 6, "tokens": ["李", "明", "说"], "ner_tags": ["B-PER", "I-PER", "O"]}"#,
        "\n",
        r#"{"id": "13-0", "document_id": 13, "char_offset": 0, "tokens": ["好"], "ner_tags": ["O"]}"#,
        "\n",
    );
    let (documents, warnings) = read("pieces.jsonl", content, &plain());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(texts(&documents), ["华为在深圳。李明说", "好"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "ORG"), (3, 5, "LOC"), (6, 8, "PER")]);
}

#[test]
fn cluener_lines_keep_their_labels_and_refuse_a_mention_that_is_not_the_text() {
    let good = "{\"text\": \"浙商银行企业信贷部叶老桂博士\", \"label\": {\"name\": {\"叶老桂\": [[9, 11]]}, \"company\": {\"浙商银行\": [[0, 3]]}}}\n";
    let (documents, _) = read("train.json", good, &plain());
    assert_eq!(texts(&documents), ["浙商银行企业信贷部叶老桂博士"]);
    assert_eq!(spans(&documents[0]), [(0, 4, "company"), (9, 12, "name")]);
    assert!(documents[0].labelled);
    let (documents, _) = read("train.jsonl", good, &plain());
    assert_eq!(documents[0].entities.len(), 2, "the same through .jsonl");

    let shifted = "{\"text\": \"浙商银行企业信贷部叶老桂博士\", \"label\": {\"name\": {\"叶老桂\": [[8, 10]]}}}\n";
    let message = error("train.json", &format!("{good}{shifted}"), &plain());
    assert!(message.starts_with("line 2: name \"叶老桂\" at [8, 10]"), "{message}");
    assert!(message.contains("marks \"部叶老\""), "{message}");
    let past = "{\"text\": \"浙商\", \"label\": {\"company\": {\"浙商银行\": [[0, 3]]}}}\n";
    let message = error("train.json", past, &plain());
    assert!(message.starts_with("line 1: company \"浙商银行\""), "{message}");
}

#[test]
fn a_json_line_that_fits_no_reader_is_an_error_and_an_array_is_label_studio() {
    let message = error("x.jsonl", "{\"text\": \"甲\"}\n{\"sentence\": \"乙\"}\n", &plain());
    assert!(
        message.starts_with("line 2: missing string field `text`: the line fits no reader"),
        "{message}"
    );
    assert!(message.contains("\"sentence\""), "{message}");
    let both = "{\"text\": \"李明\", \"label\": {\"name\": {\"李明\": [[0, 1]]}}, \"entities\": [[0, 2, \"PER\"]]}\n";
    let message = error("x.json", both, &plain());
    assert!(
        message.starts_with("line 1: annotations of two formats, CLUENER `label` and doccano `entities`"),
        "{message}"
    );
    let label_studio = r#"[{"data": {"text": "李明"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 2, "labels": ["PER"]}}]}]}]"#;
    let (documents, _) = read("ls.json", label_studio, &plain());
    assert_eq!(spans(&documents[0]), [(0, 2, "PER")]);
}

fn spo(subject: &str, subject_type: &str, predicate: &str, object: &str, object_type: &str) -> String {
    format!(
        r#"{{"predicate": "{predicate}", "subject": "{subject}", "subject_type": "{subject_type}", "object": {{"@value": "{object}"}}, "object_type": {{"@value": "{object_type}"}}}}"#
    )
}

#[test]
fn duie_strings_become_entities_and_spo_relations_with_ambiguity_reported() {
    let text = "《邪少兵王》是冰火未央写的网络小说，冰火未央另著《天下》";
    let line = format!(
        r#"{{"text": "{text}", "spo_list": [{}, {}]}}"#,
        spo("邪少兵王", "图书作品", "作者", "冰火未央", "人物"),
        spo("天下", "图书作品", "作者", "冰火未央", "人物"),
    );
    let (documents, warnings) = read("duie.json", &line, &plain());
    let document = &documents[0];
    assert_eq!(document.text, text);
    // 冰火未央 occurs twice: the occurrence nearest its partners (邪少兵王 at 1, 天下 at 25) wins.
    assert_eq!(
        spans(document),
        [(1, 5, "图书作品"), (7, 11, "人物"), (25, 27, "图书作品")]
    );
    let relations: Vec<(usize, usize, &str)> = document
        .relations
        .iter()
        .map(|r| (r.head, r.tail, r.kind.as_str()))
        .collect();
    assert_eq!(relations, [(0, 1, "作者"), (2, 1, "作者")]);
    assert_eq!(
        warnings,
        ["line 1: 「冰火未央」 occurs 2 times; took [7, 11), nearest the strings it relates to"]
    );

    let slots = r#"{"text": "王雪纯是87版《红楼梦》中晴雯的配音者", "spo_list": [{"predicate": "配音", "subject": "王雪纯", "subject_type": "娱乐人物", "object": {"@value": "晴雯", "inWork": "红楼梦"}, "object_type": {"@value": "人物", "inWork": "影视作品"}}]}"#;
    let (documents, warnings) = read("slots.json", slots, &plain());
    assert!(warnings.is_empty());
    assert_eq!(
        spans(&documents[0]),
        [(0, 3, "娱乐人物"), (8, 11, "影视作品"), (13, 15, "人物")]
    );
    let kinds: Vec<(usize, usize, &str)> = documents[0]
        .relations
        .iter()
        .map(|r| (r.head, r.tail, r.kind.as_str()))
        .collect();
    assert_eq!(kinds, [(0, 2, "配音"), (0, 1, "配音_inWork")]);

    let plain_strings = r#"{"text": "李明任职于华为", "spo_list": [{"predicate": "任职", "subject": "李明", "subject_type": "人物", "object": "华为", "object_type": {"@value": "企业"}}]}"#;
    let (documents, _) = read("plain.json", plain_strings, &plain());
    assert_eq!(spans(&documents[0]), [(0, 2, "人物"), (5, 7, "企业")]);
    let missing = format!(
        "{line}\n{}\n",
        format_args!(
            r#"{{"text": "{text}", "spo_list": [{}]}}"#,
            spo("邪少兵王", "图书作品", "作者", "唐家三少", "人物")
        )
    );
    let message = error("duie.json", &missing, &plain());
    assert!(
        message.starts_with("line 2: the object 「唐家三少」 is not in the text"),
        "{message}"
    );
    let two_types = format!(
        r#"{{"text": "{text}", "spo_list": [{}, {}]}}"#,
        spo("邪少兵王", "图书作品", "作者", "冰火未央", "人物"),
        spo("冰火未央", "作家", "代表作品", "天下", "图书作品"),
    );
    let (documents, _) = read("duie.json", &two_types, &plain());
    assert_eq!(
        spans(&documents[0]),
        [
            (1, 5, "图书作品"),
            (7, 11, "人物"),
            (7, 11, "作家"),
            (25, 27, "图书作品")
        ],
        "both types, on one place"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "duie.json", &two_types);
    let mut store = biaozhu::store::Store::open_in_memory().expect("store");
    let report = biaozhu::project::import::import_paths(&mut store, &[path], &plain(), &mut |_| {});
    let message = report.errors[0].to_string();
    assert!(
        message.starts_with("line 1: overlap:") && message.contains("人物") && message.contains("作家"),
        "{message}"
    );
}

#[test]
fn csv_fields_may_hold_line_breaks_and_other_columns_become_metadata() {
    let content =
        "id,text,entities,source\n7,\"李明\n在长沙\",\"[[0, 2, \"\"PER\"\"], [4, 6, \"\"LOC\"\"]]\",news\n8,好,,web\n";
    let (documents, _) = read("data.csv", content, &plain());
    assert_eq!(texts(&documents), ["李明\n在长沙", "好"]);
    assert_eq!(spans(&documents[0]), [(0, 2, "PER"), (4, 6, "LOC")]);
    assert_eq!(documents[0].metadata["id"], "7");
    assert_eq!(documents[0].metadata["source"], "news");
    assert_eq!(documents[1].name, "data.csv:4");
    assert!(documents[1].labelled && documents[1].entities.is_empty());

    let (documents, _) = read("data.tsv", "sentence\tlabel\n李明来了\tpos\n", &plain());
    assert_eq!(texts(&documents), ["李明来了"]);
    assert_eq!(documents[0].metadata["label"], "pos");
    assert!(!documents[0].labelled, "no entities column, no annotations");

    let message = error("data.csv", "id,body\n1,李明\n", &plain());
    assert!(message.starts_with("line 1: no text column"), "{message}");
    assert!(message.contains("[\"id\", \"body\"]"), "{message}");
    let bad = "text,entities\n\"甲\n乙\",[]\n丙,\"[[0, 5, \"\"PER\"\"]]\"\n";
    let message = error("data.csv", bad, &plain());
    assert!(
        message.starts_with("line 4: entity 1 end 5 is past text length 1"),
        "{message}"
    );
}

#[test]
fn the_cli_takes_tag_names_as_a_file_or_a_list_and_reads_txt_as_tagging() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir, "label_list.json", r#"["O", "B-PER", "I-PER"]"#);
    write(
        &dir,
        "hf.jsonl",
        "{\"tokens\": [\"李\", \"明\"], \"ner_tags\": [1, 2]}\n",
    );
    write(&dir, "tags.txt", "王 B-PER\n五 I-PER\n");
    let run = |args: &[&str]| super::util::biaozhu(dir.path(), args, "");
    let refused = run(&["import", "--db", "p.sqlite", "hf.jsonl"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(super::util::stderr(&refused).contains("--tag-names"));
    for names in ["label_list.json", "O,B-PER,I-PER"] {
        let output = run(&["import", "--db", "p.sqlite", "--tag-names", names, "hf.jsonl"]);
        assert!(output.status.success(), "{}", super::util::stderr(&output));
    }
    let output = run(&["import", "--db", "p.sqlite", "--txt-as", "conll", "tags.txt"]);
    assert!(output.status.success(), "{}", super::util::stderr(&output));
    let store = biaozhu::store::Store::open(dir.path().join("p.sqlite")).expect("project");
    let texts: Vec<String> = store
        .layers(biaozhu::model::StatusFilter::Accepted, None)
        .expect("layers")
        .into_iter()
        .map(|layer| format!("{} {}", layer.text, layer.entities.len()))
        .collect();
    assert_eq!(
        texts,
        ["李明 1", "王五 1"],
        "the second import of hf.jsonl changes nothing"
    );
}
