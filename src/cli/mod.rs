//! The command line: glue between arguments and the core. One module per subcommand.

mod export;
mod import;
mod pretag;
mod stats;
mod tag;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The default project, beside the sample corpus.
pub const DEFAULT_DB: &str = "annotations/biaozhu.sqlite";

/// 标注 biaozhu: annotate Chinese text with entities and relations.
///
/// With no subcommand, opens the desktop app on the default project.
#[derive(Debug, Parser)]
#[command(name = "biaozhu", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import .txt, .md and .jsonl files, and folders of them, into a project.
    Import(import::Args),
    /// Store pre-tagger suggestions for every document (or one), sparing accepted and rejected entities.
    Pretag(pretag::Args),
    /// Read JSONL with a `text` field on stdin; write it to stdout with `entities` added.
    Tag(tag::Args),
    /// Export a project as a dataset.
    Export(export::Args),
    /// Count documents, characters, entities and relations in a project.
    Stats(stats::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            println!(
                "biaozhu: the desktop app is not built yet. Use the command line meanwhile; `biaozhu --help` lists it."
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import(args)) => import::run(args),
        Some(Command::Pretag(args)) => pretag::run(args),
        Some(Command::Tag(args)) => tag::run(args),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Stats(args)) => stats::run(args),
    }
}

/// 1 for errors the user can fix (bad input, missing file), 2 for internal ones.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    let user_error = error.chain().any(|cause| {
        cause
            .downcast_ref::<biaozhu::Error>()
            .is_some_and(biaozhu::Error::is_user_error)
            || cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    });
    if user_error { 1 } else { 2 }
}
