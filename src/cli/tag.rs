use std::io::{BufRead as _, BufWriter, Write as _};
use std::process::ExitCode;

use anyhow::Context as _;
use serde_json::Value;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tag with this project's tagger: its dictionary, gazetteer and trained model (if the
    /// model beat the rules). Without it, the built-in rules.
    #[arg(long, value_name = "PROJECT")]
    db: Option<std::path::PathBuf>,
}

/// Reads JSONL on stdin, writes each object with `entities: [[char_start, char_end, LABEL]]`
/// (sorted) and `relations: [[head_index, tail_index, TYPE]]` (indexes into `entities`) added. Malformed lines go to stderr with their number; the rest still flow.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tagger = super::tagger_of(args.db.as_deref())?;
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut n_bad = 0;
    for (i, line) in stdin.lines().enumerate() {
        let line_no = i + 1;
        let line = line.with_context(|| format!("reading stdin line {line_no}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut object = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                eprintln!("line {line_no}: expected a JSON object");
                n_bad += 1;
                continue;
            }
            Err(e) => {
                eprintln!("line {line_no}: malformed JSON: {e}");
                n_bad += 1;
                continue;
            }
        };
        let Some(text) = object.get("text").and_then(Value::as_str) else {
            eprintln!("line {line_no}: missing string field `text`");
            n_bad += 1;
            continue;
        };
        let tagged = tagger.tag_all(text);
        let entities: Vec<Value> = tagged
            .entities
            .iter()
            .map(|s| serde_json::json!([s.char_start, s.char_end, s.label]))
            .collect();
        let relations: Vec<Value> = tagged
            .relations
            .iter()
            .map(|r| serde_json::json!([r.head, r.tail, r.kind]))
            .collect();
        object.insert("entities".to_owned(), Value::Array(entities));
        object.insert("relations".to_owned(), Value::Array(relations));
        serde_json::to_writer(&mut out, &object).context("writing stdout")?;
        out.write_all(b"\n").context("writing stdout")?;
    }
    out.flush().context("writing stdout")?;
    if n_bad > 0 {
        eprintln!("{n_bad} malformed lines were skipped");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
