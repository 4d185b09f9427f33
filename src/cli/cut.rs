use std::io::{BufRead as _, BufWriter, Write as _};
use std::process::ExitCode;

use anyhow::Context as _;
use biaozhu::text::Segmenter;

#[derive(Debug, clap::Args)]
pub struct Args {}

/// Prints each stdin line cut into `word/pos` tokens, to check what jieba (and a user
/// dictionary, once stored) makes of a sentence.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let segmenter = Segmenter::default();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.context("reading stdin")?;
        let tokens: Vec<String> = segmenter
            .tokens(&line)
            .iter()
            .map(|t| format!("{}/{}", t.word, t.pos))
            .collect();
        writeln!(out, "{}", tokens.join(" ")).context("writing stdout")?;
    }
    out.flush().context("writing stdout")?;
    Ok(ExitCode::SUCCESS)
}
