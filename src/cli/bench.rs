use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use biaozhu::pretag::Pretagger;
use biaozhu::text::Segmenter;
use serde_json::Value;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL with a `text` field. Without it, MSRA train from `../shared/data/msra/`
    /// beside the project when it is there, else the sample corpus repeated.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Measure this many rounds and keep the fastest of each.
    #[arg(long, default_value_t = 7)]
    rounds: usize,
    /// Also time this project's tagger: rules, gazetteer and its trained model.
    #[arg(long, value_name = "PROJECT")]
    db: Option<PathBuf>,
}

/// Pre-tag throughput against raw jieba-rs `tag` on the same texts, one core, same run.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let corpus = biaozhu::project::DefaultProject::locate().corpus;
    let project_root = corpus.parent().unwrap_or(Path::new(""));
    let msra = project_root.join("../shared/data/msra/train.jsonl");
    let input = args.input.clone().or_else(|| msra.is_file().then_some(msra));
    let (source, texts) = match &input {
        Some(path) => {
            let content = std::fs::read_to_string(path).map_err(|e| biaozhu::Error::io(path, e))?;
            let mut texts = Vec::new();
            for (i, line) in content.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
                let bad = |message: &str| biaozhu::Error::input(path, Some(i + 1), message);
                let value: Value = serde_json::from_str(line).map_err(|e| bad(&format!("malformed JSON: {e}")))?;
                let text = value
                    .get("text")
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad("no `text` string"))?;
                texts.push(text.to_owned());
            }
            (path.display().to_string(), texts)
        }
        None => {
            let mut texts = Vec::new();
            for path in biaozhu::project::import::collect_files(std::slice::from_ref(&corpus))? {
                let (documents, _, _) =
                    biaozhu::project::import::read_file(&path, &biaozhu::project::import::ReadOptions::new("bench"))?;
                texts.extend(documents.into_iter().map(|d| d.text));
            }
            let texts: Vec<String> = texts.iter().cycle().take(texts.len() * 200).cloned().collect();
            (format!("{} repeated 200 times", corpus.display()), texts)
        }
    };
    let n_bytes: usize = texts.iter().map(String::len).sum();
    let n_chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let segmenter = Segmenter::default();
    let tagger = Pretagger::default();
    let project = match &args.db {
        Some(path) => {
            let store = biaozhu::store::Store::open_existing(path)?;
            let (tagger, verdict) = biaozhu::project::train::project_tagger(&store)?;
            Some((tagger, verdict))
        }
        None => None,
    };
    // Warm up all: load the dictionaries, HMM models, lexicons and automata outside the timings.
    for text in texts.iter().take(1000) {
        let _ = segmenter.jieba().tag(text, true);
        let _ = tagger.tag(text);
        if let Some((project, _)) = &project {
            let _ = project.tag(text);
        }
    }

    // Rounds alternate between the two so that both see the same machine; the fastest
    // round of each counts.
    let time = |f: &dyn Fn() -> usize| -> (Duration, usize) {
        let started = Instant::now();
        let n = f();
        (started.elapsed(), n)
    };
    let (mut jieba_time, mut pretag_time, mut project_time) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let (mut n_words, mut n_entities, mut n_project) = (0, 0, 0);
    for _ in 0..args.rounds.max(1) {
        if let Some((project, _)) = &project {
            let (elapsed, n) = time(&|| texts.iter().map(|t| project.tag(t).len()).sum());
            project_time = project_time.min(elapsed);
            n_project = n;
        }
        let (elapsed, n) = time(&|| texts.iter().map(|t| segmenter.jieba().tag(t, true).len()).sum());
        jieba_time = jieba_time.min(elapsed);
        n_words = n;
        let (elapsed, n) = time(&|| texts.iter().map(|t| tagger.tag(t).len()).sum());
        pretag_time = pretag_time.min(elapsed);
        n_entities = n;
    }

    outln!(
        "input: {source}: {} texts, {:.2} MB, {n_chars} chars",
        texts.len(),
        n_bytes as f64 / 1e6
    )?;
    outln!(
        "{:<22}{:>10}{:>10}{:>14}{:>16}",
        "",
        "seconds",
        "MB/s",
        "chars/s",
        "output"
    )?;
    let mut rows = vec![
        ("jieba-rs tag (hmm)", jieba_time, format!("{n_words} words")),
        ("biaozhu pretag", pretag_time, format!("{n_entities} ents")),
    ];
    if project.is_some() {
        rows.push(("project tagger", project_time, format!("{n_project} ents")));
    }
    for (name, time, output) in rows {
        let seconds = time.as_secs_f64();
        outln!(
            "{name:<22}{seconds:>10.3}{:>10.2}{:>14.0}{output:>16}",
            n_bytes as f64 / 1e6 / seconds,
            n_chars as f64 / seconds
        )?;
    }
    outln!(
        "pretag throughput is {:.0}% of raw jieba tag (target: at least 50%)",
        100.0 * jieba_time.as_secs_f64() / pretag_time.as_secs_f64()
    )?;
    if let Some((_, verdict)) = &project {
        outln!(
            "project tagger ({verdict}): {:.0}% of raw jieba tag",
            100.0 * jieba_time.as_secs_f64() / project_time.as_secs_f64()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
