//! The pre-tagger on real sentences: each pattern family, its hits and its near-misses.
//! Expectations are written as markup, `<LABEL>text</LABEL>`, over the whole sentence.

use super::*;

/// Renders suggestions over `text` as `<LABEL>…</LABEL>` markup.
fn markup(text: &str, suggestions: &[Suggestion]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for s in suggestions {
        out.extend(&chars[at..s.char_start]);
        out.push_str(&format!("<{}>", s.label));
        out.extend(&chars[s.char_start..s.char_end]);
        out.push_str(&format!("</{}>", s.label));
        at = s.char_end;
    }
    out.extend(&chars[at..]);
    out
}

/// The markup without tags is the text; the tagger's markup must equal the expectation.
fn check(tagger: &Pretagger, expected: &str) {
    let text = regex::Regex::new("</?[A-Z]+>")
        .expect("tag pattern")
        .replace_all(expected, "");
    let suggestions = tagger.tag(&text);
    for pair in suggestions.windows(2) {
        assert!(pair[0].char_end <= pair[1].char_start, "overlap in {text}: {pair:?}");
    }
    assert_eq!(markup(&text, &suggestions), expected);
}

fn check_all(expected: &[&str]) {
    let tagger = Pretagger::default();
    for sentence in expected {
        check(&tagger, sentence);
    }
}

#[test]
fn titles_before_names() {
    check_all(&[
        "<ORG>省发展改革委</ORG><TITLE>副主任</TITLE><PER>王建国</PER>表示，项目进展顺利。",
        "<TITLE>董事长</TITLE><PER>李明</PER>在会上介绍了公司的发展规划。",
        "<ORG>国务院</ORG><TITLE>总理</TITLE><PER>李强</PER>在<LOC>北京</LOC>表示，增长目标为<PERCENT>5%</PERCENT>。",
    ]);
}

#[test]
fn bylines_and_photo_credits() {
    check_all(&[
        "<ORG>湖南日报</ORG><TITLE>全媒体记者</TITLE> <PER>李明</PER> <PER>张华</PER>",
        "图为工人在车间作业。（<PER>李明</PER> 摄）",
    ]);
}

#[test]
fn organizations_take_the_longest_name() {
    check_all(&[
        "<ORG>华为技术有限公司</ORG>投资<MONEY>3.5亿元</MONEY>建设研发基地。",
        "<ORG>清华大学深圳研究院</ORG>与<LOC>长沙经开区</LOC>签约。",
    ]);
}

#[test]
fn zones_and_transliterated_names() {
    check_all(&[
        "<LOC>苏州工业园区</LOC>的企业负责人对记者说，今年订单增长明显。",
        // 渌口 and 岳阳 are missing from jieba's dictionary; the segmenter learns them from the lexicon.
        "承接园区有<LOC>长沙经开区</LOC>、<LOC>株洲渌口经开区</LOC>、<LOC>新邵经开区</LOC>等。",
        "<LOC>岳阳</LOC>拟以<LOC>南湖</LOC>为基地。",
        "公司<TITLE>副总经理</TITLE><PER>马克</PER>（音译）认为，市场前景广阔。",
    ]);
}

#[test]
fn money_percent_date_quantity() {
    check_all(&[
        "全年完成投资超<MONEY>100亿元</MONEY>，单价在<MONEY>5至8元</MONEY>之间。",
        "基金规模为<MONEY>10亿元—30亿元</MONEY>，已吸引<MONEY>300多亿元</MONEY>社会资本。",
        "增速为<PERCENT>12.5%</PERCENT>，预计明年增长<PERCENT>5%至10%</PERCENT>。",
        "<DATE>2023年5月20日</DATE>，<DATE>20世纪80年代</DATE>建成的老厂房迎来新生。",
        "全省新签约项目<QUANTITY>12个</QUANTITY>，落户企业<QUANTITY>300多家</QUANTITY>，<QUANTITY>三大</QUANTITY>产业协同发展。",
        "<DATE>2030</DATE>年度论坛上发布了<PERCENT>百分之三十</PERCENT>的增长目标。",
    ]);
}

#[test]
fn near_misses_stay_untagged() {
    check_all(&[
        // 企业 is a generic noun, 对记者说 is not a title, 第一 is an ordinal, 5G and 4S are names.
        "第一次参加博览会的企业对记者说，带来了5G和4S店的新方案。",
        "这是一方面的原因，统一部署、一体化推进，千家万户受益。",
        "十四五规划提出，五一期间游客增长。",
    ]);
}

#[test]
fn place_abbreviations() {
    check_all(&["<LOC>中</LOC><LOC>美</LOC>两国举行会谈，访<LOC>华</LOC>期间双方签署协议。"]);
}

#[test]
fn the_gazetteer_suggests_accepted_strings_and_never_rejected_ones() {
    let gazetteer = Gazetteer::new(
        vec![("云洲智算".to_owned(), "ORG".to_owned())],
        vec![("湖南日报".to_owned(), "ORG".to_owned())],
    );
    let tagger = Pretagger::default().with_gazetteer(gazetteer);
    check(
        &tagger,
        "<ORG>云洲智算</ORG>与湖南日报合作，<ORG>云洲智算</ORG>落户<LOC>长沙</LOC>。",
    );
}

#[test]
fn offsets_count_code_points_and_lines() {
    let tagger = Pretagger::default();
    let text = "𠮷第一行。\n\n投资3.5亿元。";
    let found = tagger.tag(text);
    assert_eq!(found.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    let piece: String = chars[found[0].char_start..found[0].char_end].iter().collect();
    assert_eq!((piece.as_str(), found[0].label), ("3.5亿元", "MONEY"));
}

#[test]
fn resolution_prefers_longer_then_more_confident() {
    let chosen = resolve(vec![
        Candidate::new(0, 2, "LOC", "a", 0.9),
        Candidate::new(0, 5, "ORG", "b", 0.6),
        Candidate::new(4, 7, "PER", "c", 0.9),
        Candidate::new(5, 7, "PER", "d", 0.5),
        Candidate::new(5, 7, "LOC", "e", 0.8),
    ]);
    let picked: Vec<(usize, usize, &str)> = chosen.iter().map(|c| (c.char_start, c.char_end, c.label)).collect();
    assert_eq!(picked, [(0, 5, "ORG"), (5, 7, "LOC")]);
}

#[test]
fn jieba_pos_baseline_maps_tags() {
    let found: Vec<(usize, usize, &str)> = jieba_pos_baseline(&Segmenter::default(), "国务院总理李强在北京表示")
        .into_iter()
        .map(|s| (s.char_start, s.char_end, s.label))
        .collect();
    assert!(
        found.contains(&(5, 7, "PER")) && found.contains(&(8, 10, "LOC")),
        "{found:?}"
    );
}

/// The relations the tagger finds in `text`, as `head —TYPE→ tail` strings.
fn relation_strings(text: &str) -> Vec<String> {
    let tagged = Pretagger::default().tag_all(text);
    let chars: Vec<char> = text.chars().collect();
    let piece = |s: &Suggestion| chars[s.char_start..s.char_end].iter().collect::<String>();
    tagged
        .relations
        .iter()
        .map(|r| {
            format!(
                "{} —{}→ {}",
                piece(&tagged.entities[r.head]),
                r.kind,
                piece(&tagged.entities[r.tail])
            )
        })
        .collect()
}

#[test]
fn relations_from_titles_organizations_and_bylines() {
    assert_eq!(
        relation_strings("省发展改革委副主任王建国表示，项目进展顺利。"),
        ["王建国 —任职→ 省发展改革委", "王建国 —职务→ 副主任"]
    );
    assert_eq!(
        relation_strings("董事长李明在会上介绍了公司的发展规划。"),
        ["李明 —职务→ 董事长"]
    );
    assert_eq!(
        relation_strings("湖南日报全媒体记者 李明 张华"),
        [
            "李明 —任职→ 湖南日报",
            "李明 —职务→ 全媒体记者",
            "张华 —任职→ 湖南日报",
            "张华 —职务→ 全媒体记者"
        ]
    );
}

#[test]
fn two_people_with_two_organizations_do_not_cross_link() {
    assert_eq!(
        relation_strings("省发展改革委主任王建国、省工业和信息化厅厅长李明出席会议。"),
        [
            "王建国 —任职→ 省发展改革委",
            "王建国 —职务→ 主任",
            "李明 —任职→ 省工业和信息化厅",
            "李明 —职务→ 厅长"
        ]
    );
}

#[test]
fn investments_and_places() {
    assert_eq!(
        relation_strings("华为技术有限公司投资3.5亿元建设研发基地。"),
        ["华为技术有限公司 —投资→ 3.5亿元"]
    );
    assert_eq!(
        relation_strings("苏州的苏州工业园区吸引了大批企业。"),
        ["苏州工业园区 —位于→ 苏州"]
    );
}

#[test]
fn near_misses_give_no_relations() {
    // A person visiting an organization; a project's total investment with no investor.
    assert!(relation_strings("王建国参观了华为技术有限公司。").is_empty());
    assert!(relation_strings("该项目总投资3.5亿元，明年建成。").is_empty());
    assert!(relation_strings("华为技术有限公司表示，明年营收将超1000亿元。").is_empty());
}

/// The fixture of invented company names the rules miss, as training documents.
fn learn_fixture() -> Vec<crate::model::TrainingDocument> {
    include_str!("../../tests/fixtures/learn.jsonl")
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let value: serde_json::Value = serde_json::from_str(line).expect("fixture line");
            let entities = value["entities"]
                .as_array()
                .expect("entities")
                .iter()
                .map(|e| {
                    let n = |k: usize| e[k].as_u64().expect("offset") as usize;
                    (n(0), n(1), e[2].as_str().expect("label").to_owned())
                })
                .collect();
            crate::model::TrainingDocument {
                key: i as u64,
                text: value["text"].as_str().expect("text").to_owned(),
                entities,
            }
        })
        .collect()
}

fn trained_tagger(rejected: &[(String, String)]) -> (Pretagger, crate::model::TrainReport) {
    let base = Pretagger::default();
    let trained = learned::train(
        &base,
        &learn_fixture(),
        rejected,
        TrainSettings::default(),
        &mut |_, _, _| {},
    );
    let learned = Learned::new(std::sync::Arc::new(trained.model));
    let gazetteer = Gazetteer::new(Vec::new(), rejected.to_vec());
    (
        base.with_gazetteer(gazetteer).with_learned(Some(learned)),
        trained.report,
    )
}

#[test]
fn a_model_learns_what_the_rules_miss_and_wins_its_gate() {
    let (tagger, report) = trained_tagger(&[]);
    assert_eq!(report.n_documents, 400);
    assert_eq!(report.labels, ["ORG"]);
    assert_eq!(report.n_dev_documents, 40, "10% held back");
    assert_eq!(report.n_dev_entities, 40);
    assert!(report.model_wins(), "{report:?}");
    assert!(report.verdict().starts_with("rules + model"), "{}", report.verdict());
    // A name it never saw, in a frame it did.
    check(&Pretagger::default(), "紫檀数智发布了新一代芯片。");
    check(&tagger, "<ORG>紫檀数智</ORG>发布了新一代芯片。");
    let suggestion = &tagger.tag("紫檀数智发布了新一代芯片。")[0];
    assert_eq!(suggestion.source, SOURCE_MODEL);
    assert!((0.0..=1.0).contains(&suggestion.confidence));
}

#[test]
fn a_model_of_some_labels_leaves_the_rules_theirs() {
    // Trained on ORG alone, the model must not swallow the rules' titles, persons,
    // places and figures; what it says of 国务院 is its own business.
    let (tagger, _) = trained_tagger(&[]);
    let text = "国务院总理李强在北京表示，记者从青木科创获悉，营收增长3.5%。";
    let found: Vec<(String, &str)> = tagger
        .tag(text)
        .iter()
        .map(|s| {
            (
                text.chars()
                    .skip(s.char_start)
                    .take(s.char_end - s.char_start)
                    .collect(),
                s.label,
            )
        })
        .collect();
    for expected in [
        ("总理", "TITLE"),
        ("李强", "PER"),
        ("北京", "LOC"),
        ("青木科创", "ORG"),
        ("3.5%", "PERCENT"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} in {found:?}"
        );
    }
}

#[test]
fn what_annotators_rejected_the_model_does_not_offer_again() {
    let (tagger, _) = trained_tagger(&[("紫檀数智".to_owned(), "ORG".to_owned())]);
    check(&tagger, "紫檀数智发布了新一代芯片。");
    check(&tagger, "<ORG>红杉物联</ORG>发布了新一代芯片。");
}

#[test]
fn a_string_accepted_under_two_labels_is_not_forced() {
    let gazetteer = Gazetteer::new(
        vec![
            ("长江".to_owned(), "LOC".to_owned()),
            ("长江".to_owned(), "ORG".to_owned()),
            ("青木科创".to_owned(), "ORG".to_owned()),
        ],
        Vec::new(),
    );
    let tagger = Pretagger::default().with_gazetteer(gazetteer);
    let tags = tagger.tag("青木科创在长江边");
    assert!(
        tags.iter()
            .any(|s| (s.char_start, s.char_end, s.label) == (0, 4, "ORG")),
        "{tags:?}"
    );
    assert!(
        !tags.iter().any(|s| s.source == SOURCE_GAZETTEER && s.char_start == 5),
        "ambiguous 长江 is not a gazetteer suggestion: {tags:?}"
    );
}

#[test]
fn the_gate_wants_a_lead_that_survives_resampling() {
    let better = vec![(2, 2, 2); 20];
    let worse = vec![(2, 2, 1); 20];
    assert_eq!(learned::win_rate(&better, &worse, 1, 200), 1.0);
    assert_eq!(learned::win_rate(&worse, &better, 1, 200), 0.0);
    // One line better, nineteen the same: a lead too thin to trust.
    let mut thin = worse.clone();
    thin[0] = (2, 2, 2);
    let rate = learned::win_rate(&thin, &worse, 1, 500);
    assert!(rate < crate::model::TrainReport::SURE, "{rate}");
    let report = crate::model::TrainReport {
        dev_f1_model: Some(0.8),
        dev_f1_rules: Some(0.7),
        dev_win_rate: Some(rate),
        n_dev_documents: 20,
        n_dev_entities: 40,
        ..Default::default()
    };
    assert!(!report.model_wins());
    let sure = crate::model::TrainReport {
        dev_win_rate: Some(1.0),
        ..report.clone()
    };
    assert!(sure.model_wins());
    // A sure lead on a handful of entities is still no lead to trust.
    let few = crate::model::TrainReport {
        n_dev_entities: 4,
        ..sure.clone()
    };
    assert!(!few.model_wins());
    assert!(few.verdict().contains("too few to trust"), "{}", few.verdict());
    assert!(
        report.verdict().starts_with("rules: the model's lead"),
        "{}",
        report.verdict()
    );
}
