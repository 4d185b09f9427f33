//! The learner on hand-made lines: it learns a pattern, decodes well-formed spans, and
//! its bytes are deterministic and round-trip.

use super::*;
use crate::model::Token;

/// Lines of `text` with one-char words and no evidence, with their gold spans.
fn line_hashes(text: &str, rules: &[LineSpan<'_>]) -> Vec<u64> {
    let chars: Vec<char> = text.chars().collect();
    let pieces: Vec<String> = chars.iter().map(|c| c.to_string()).collect();
    let words: Vec<Token<'_>> = pieces
        .iter()
        .enumerate()
        .map(|(i, w)| Token {
            word: w,
            char_start: i,
            char_end: i + 1,
            pos: "x",
        })
        .collect();
    let mut out = Vec::new();
    Extractor::default().extract(
        &Line {
            chars: &chars,
            words: &words,
            rules,
            gazetteer: &[],
        },
        &mut out,
    );
    out
}

const NAMES: [&str; 8] = ["青木", "蓝海", "星河", "云杉", "白鹭", "金桥", "红枫", "松涛"];

/// `{name}公司在{city}开会`: ORG is the name and 公司, LOC the city.
fn corpus() -> Corpus {
    let mut corpus = Corpus::new(vec!["LOC".to_owned(), "ORG".to_owned()]);
    for (i, name) in NAMES.iter().enumerate() {
        let city = ["北京", "上海", "广州"][i % 3];
        let text = format!("{name}公司在{city}开会");
        corpus.add(&line_hashes(&text, &[]), &[(0, 4, "ORG"), (5, 7, "LOC")]);
    }
    corpus
}

fn trained() -> Model {
    let mut corpus = corpus();
    let all: Vec<usize> = (0..corpus.len()).collect();
    let options = TrainOptions {
        epochs: 5,
        seed: 7,
        min_count: 1,
    };
    train(&mut corpus, &all, &[], options, &mut |_| {}).model
}

#[test]
fn a_model_learns_the_pattern_and_generalizes_to_a_new_name() {
    let model = trained();
    let mut scratch = Scratch::default();
    let predicted = model.predict(&line_hashes("紫檀公司在上海开会", &[]), &mut scratch);
    let spans: Vec<(usize, usize, &str)> = predicted
        .iter()
        .map(|p| (p.char_start, p.char_end, model.labels()[p.label].as_str()))
        .collect();
    assert_eq!(spans, vec![(0, 4, "ORG"), (5, 7, "LOC")]);
    for p in &predicted {
        assert!((0.0..=1.0).contains(&p.confidence), "{p:?}");
        assert!(p.margin >= 0.0);
    }
}

#[test]
fn training_is_deterministic_and_bytes_round_trip() {
    let (a, b) = (trained(), trained());
    let bytes = a.to_bytes();
    assert_eq!(bytes, b.to_bytes(), "same data and seed, same bytes");
    let back = Model::from_bytes(&bytes).expect("reads its own bytes");
    assert_eq!(back.to_bytes(), bytes);
    let mut scratch = Scratch::default();
    let hashes = line_hashes("白鹭公司在广州开会", &[]);
    assert_eq!(a.predict(&hashes, &mut scratch), back.predict(&hashes, &mut scratch));
    // A truncated model is refused, never half read.
    assert_eq!(Model::from_bytes(&bytes[..bytes.len() - 3]), Err(ModelError::Corrupt));
}

#[test]
fn held_out_lines_pick_the_best_pass_and_report_outcomes() {
    let mut corpus = corpus();
    let options = TrainOptions {
        epochs: 4,
        seed: 3,
        min_count: 1,
    };
    let mut seen = Vec::new();
    let outcome = train(&mut corpus, &[0, 1, 2, 3, 4, 5], &[6, 7], options, &mut |r| {
        seen.push(r)
    });
    assert_eq!(seen.len(), 4);
    assert!(seen.iter().all(|r| r.dev_f1.is_some()));
    let best = outcome.best.expect("a held-out score");
    assert_eq!(best.counts.0, 4, "two gold spans in each of two lines");
    assert_eq!(best.outcomes.len(), best.counts.1);
    let best_f1 = seen.iter().filter_map(|r| r.dev_f1).fold(0.0, f64::max);
    assert_eq!(best.f1(), best_f1);
}

#[test]
fn rule_evidence_is_a_feature_the_model_weighs() {
    // Trained where the rules' spans are right, the model follows them on a new line.
    let mut corpus = Corpus::new(vec!["PER".to_owned()]);
    for name in ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"] {
        let text = format!("我见到{name}了");
        corpus.add(&line_hashes(&text, &[(3, 5, "PER")]), &[(3, 5, "PER")]);
    }
    let all: Vec<usize> = (0..corpus.len()).collect();
    let model = train(&mut corpus, &all, &[], TrainOptions::default(), &mut |_| {}).model;
    let mut scratch = Scratch::default();
    let with_evidence = model.predict(&line_hashes("昨天赵磊来了", &[(2, 4, "PER")]), &mut scratch);
    assert_eq!(
        with_evidence
            .iter()
            .map(|p| (p.char_start, p.char_end))
            .collect::<Vec<_>>(),
        vec![(2, 4)]
    );
}

#[test]
fn calibration_fits_margins_to_outcomes() {
    // Small margins are wrong, large ones right: confidence must rise with the margin.
    let outcomes: Vec<(f32, bool)> = (0..100).map(|i| (i as f32 / 10.0, i >= 50)).collect();
    let calibration = calibrate(&outcomes).expect("a fit");
    let p = |margin| model::confidence(calibration, margin);
    assert!(p(1.0) < 0.3, "{}", p(1.0));
    assert!(p(9.0) > 0.7, "{}", p(9.0));
    assert_eq!(calibrate(&[]), None);
}
