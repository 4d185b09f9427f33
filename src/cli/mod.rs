//! The command line: glue between arguments and the core. One module per subcommand.
//! Output goes through `outln!`, which returns the write error, so that a
//! closed pipe ends the command quietly instead of panicking like `println!`.

/// `println!` that returns `std::io::Result<()>`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod backup;
mod bench;
#[cfg(feature = "gui")]
mod bench_edit;
mod bench_server;
mod check;
mod curve;
mod cut;
mod dict;
mod eval;
mod export;
mod import;
mod pretag;
mod review;
mod schema;
mod stats;
mod tag;
mod team;
mod train;

use std::io::{IsTerminal as _, Write as _};
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
    /// Open the desktop app on a project file (created when missing).
    Gui(GuiArgs),
    /// Import .txt, .md and .jsonl files, and folders of them, into a project.
    Import(import::Args),
    /// Store pre-tagger suggestions for every document (or one), sparing accepted and rejected entities.
    Pretag(pretag::Args),
    /// Read JSONL with a `text` field on stdin; write it to stdout with `entities` added.
    Tag(tag::Args),
    /// Train the project's tagger on its accepted annotations (and labelled files); it is used
    /// from then on if it beats the rules on held-back documents.
    Train(train::Args),
    /// Export a project as a dataset.
    Export(export::Args),
    /// A consistent single-file copy of a project, safe while the app has it open.
    Backup(backup::Args),
    /// Score the pre-tagger (or a predictions file) against gold JSONL: precision, recall, F1 per label.
    Eval(eval::Args),
    /// Measure pre-tag throughput against raw jieba-rs `tag` on the same texts, on one core.
    Bench(bench::Args),
    /// Measure the document view's frame time on a generated long document (release builds).
    #[cfg(feature = "gui")]
    BenchGui(BenchGuiArgs),
    /// Measure the time of an edit as the app makes it, on a copy of a project (release builds).
    #[cfg(feature = "gui")]
    BenchEdit(bench_edit::Args),
    /// The users of a team project on a server and their roles (annotator, curator, manager).
    User(team::UserArgs),
    /// Give every document of a team project k annotators' slots, for overlap.
    Assign(team::AssignArgs),
    /// Claim the next document for an annotator on a team server (or finish one).
    Claim(team::ClaimArgs),
    /// Load-test a team server: simulated annotators, each on a connection of its own, making
    /// mixed edits at once; reports edits/s, latency and refused stale edits, and proves none was lost.
    BenchServer(bench_server::Args),
    /// Cut stdin lines into jieba words with POS tags (`word/pos`), one line out per line in.
    Cut(cut::Args),
    /// Add a jieba user dictionary file to a project's segmenter.
    Dict(dict::Args),
    /// Print, export (--export FILE) or import (--import FILE) a project's labels and relation types as JSON.
    Schema(schema::Args),
    /// Bring other annotators' project files into one project; running it twice changes nothing.
    Merge(review::MergeArgs),
    /// Agreement between annotators: span F1, overlap F1, token κ, relation F1, per label.
    Agree(review::AgreeArgs),
    /// Count documents, characters, entities and relations in a project.
    Stats(stats::Args),
    /// Check a project file: SQLite integrity, content hashes, the schema, and the dataset
    /// invariants (no overlaps in a layer, relations between live entities their type allows).
    Check(check::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => open_app(None, None),
        Some(Command::Gui(args)) => open_app(Some(args.db), args.view),
        Some(Command::Import(args)) => import::run(args),
        Some(Command::Pretag(args)) => pretag::run(args),
        Some(Command::Tag(args)) => tag::run(args),
        Some(Command::Train(args)) => train::run(args),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Backup(args)) => backup::run(args),
        Some(Command::Stats(args)) => stats::run(args),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Merge(args)) => review::merge(args),
        Some(Command::Agree(args)) => review::agree(args),
        Some(Command::Schema(args)) => schema::run(args),
        Some(Command::Dict(args)) => dict::run(args),
        Some(Command::Cut(args)) => cut::run(args),
        Some(Command::Bench(args)) => bench::run(args),
        Some(Command::BenchServer(args)) => bench_server::run(args),
        Some(Command::User(args)) => team::user(args),
        Some(Command::Assign(args)) => team::assign(args),
        Some(Command::Claim(args)) => team::claim(args),
        #[cfg(feature = "gui")]
        Some(Command::BenchGui(args)) if args.case.is_some() => {
            let case = args.case.as_deref().unwrap_or_default();
            let r = biaozhu::gui::bench_app::measure_case(case, args.frames)?;
            outln!(
                "{}: {} documents, {} chars, {} entities (generated in {:.0} ms)\n\
                 open (App::new and the first frame): {:.1} ms\n\
                 frame p50 {:.2} ms, p95 {:.2} ms; peak RSS {:.0} MB",
                r.case,
                r.n_documents,
                r.n_chars,
                r.n_entities,
                r.generate_ms,
                r.open_ms,
                r.frame_p50_ms,
                r.frame_p95_ms,
                r.peak_rss_mb
            )?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "gui")]
        Some(Command::BenchGui(args)) => {
            let report = biaozhu::gui::bench::measure(args.chars, args.entities, args.frames)?;
            outln!(
                "document view: {} chars, {} spans, {} frames scrolling\n\
                 first frame (lays out every paragraph): {:.1} ms\n\
                 ui pass p50 {:.2} ms, p95 {:.2} ms; tessellation p50 {:.2} ms, p95 {:.2} ms; total p95 {:.2} ms (target < 8 ms)\n\
                 last frame painted {} of {} paragraphs, {} vertices",
                report.n_chars,
                report.n_entities,
                args.frames,
                report.first_frame_ms,
                report.ui_p50_ms,
                report.ui_p95_ms,
                report.tessellate_p50_ms,
                report.tessellate_p95_ms,
                report.total_p95_ms,
                report.paragraphs_painted,
                report.n_paragraphs,
                report.vertices_last_frame
            )?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "gui")]
        Some(Command::BenchEdit(args)) => bench_edit::run(args),
        Some(Command::Eval(args)) => eval::run(args),
    }
}

#[cfg(feature = "gui")]
#[derive(Debug, clap::Args)]
pub struct BenchGuiArgs {
    /// Time the whole app on a generated project instead of the document view alone:
    /// `paragraph` (one 5 MB paragraph), `entities` (20,000 in one document) or
    /// `documents` (355,000 in the list).
    #[arg(long, value_parser = biaozhu::gui::bench_app::CASES)]
    case: Option<String>,
    #[arg(long, default_value_t = 100_000)]
    chars: usize,
    #[arg(long, default_value_t = 5_000)]
    entities: usize,
    #[arg(long, default_value_t = 100)]
    frames: usize,
}

#[derive(Debug, clap::Args)]
pub struct GuiArgs {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Open a view at start: stats, search, or review (the first two annotators).
    #[arg(long, value_parser = ["stats", "search", "review"])]
    view: Option<String>,
}

/// Opens the desktop app on `db`, or on the default project (created from `corpus/` and
/// pre-tagged on first run).
#[cfg(feature = "gui")]
fn open_app(db: Option<std::path::PathBuf>, view: Option<String>) -> anyhow::Result<ExitCode> {
    biaozhu::gui::run(db, view)?;
    Ok(ExitCode::SUCCESS)
}

/// Without the `gui` feature there is no app: prepare the default project and say so.
#[cfg(not(feature = "gui"))]
fn open_app(db: Option<std::path::PathBuf>, _view: Option<String>) -> anyhow::Result<ExitCode> {
    let project = biaozhu::project::DefaultProject::locate();
    let db = db.unwrap_or(project.db.clone());
    let store = if db == project.db {
        let (store, first_run) = project.open(&mut |_| {})?;
        if let Some(report) = first_run {
            outln!(
                "created {} with {} documents from {}",
                db.display(),
                report.total().n_documents_added,
                project.corpus.display()
            )?;
        }
        store
    } else {
        biaozhu::store::Store::open(&db)?
    };
    outln!(
        "biaozhu: project {} has {} documents. This build has no desktop app (built without the `gui` feature); \
         use the command line (`biaozhu --help`).",
        db.display(),
        store.document_count("")?
    )?;
    Ok(ExitCode::SUCCESS)
}

/// 1 for errors the user can fix (bad input, missing file), 2 for internal ones.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if is_broken_pipe(error) {
        return 0;
    }
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

/// Whether the error is stdout's reader going away (`biaozhu tag | head -1`): not a failure,
/// as for ripgrep.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
            || cause
                .downcast_ref::<biaozhu::Error>()
                .is_some_and(|e| matches!(e, biaozhu::Error::Io { source, .. } if source.kind() == BrokenPipe))
    })
}

/// Progress of long work on stderr: a redrawn line on a terminal, a line per 10% otherwise
/// (for jobs of 1,000 items or more).
/// The tagger of the project at `db` (its rules, gazetteer and gated model), saying on stderr
/// which it is and why; without a project, the built-in rules.
pub fn tagger_of(db: Option<&std::path::Path>) -> anyhow::Result<biaozhu::pretag::Pretagger> {
    let Some(path) = db else {
        return Ok(biaozhu::pretag::Pretagger::default());
    };
    let store = biaozhu::store::Store::open_existing(path)?;
    let (tagger, verdict) = biaozhu::project::train::project_tagger(&store)?;
    eprintln!("tagger: {verdict}");
    Ok(tagger)
}

pub struct Progress {
    what: String,
    terminal: bool,
    last_tenth: Option<(String, usize)>,
    drew: bool,
}

impl Progress {
    pub fn new(what: &str) -> Self {
        Progress {
            what: what.to_owned(),
            terminal: std::io::stderr().is_terminal(),
            last_tenth: None,
            drew: false,
        }
    }

    pub fn update(&mut self, done: usize, total: usize) {
        let what = self.what.clone();
        self.update_named(&what, done, total);
    }

    /// Like `update`, for a job whose name changes (one file after another).
    pub fn update_named(&mut self, what: &str, done: usize, total: usize) {
        let percent = done * 100 / total.max(1);
        let line = format!("{what}: {done}/{total} ({percent}%)");
        if self.terminal {
            if done.is_multiple_of(200) || done == total {
                eprint!("\r\x1b[2K{line}");
                let _ = std::io::stderr().flush();
                self.drew = true;
            }
        } else if total >= 1000 {
            let tenth = (what.to_owned(), percent / 10);
            if self.last_tenth.as_ref() != Some(&tenth) {
                self.last_tenth = Some(tenth);
                eprintln!("{line}");
            }
        }
    }

    pub fn finish(&mut self) {
        if self.drew {
            eprintln!();
            self.drew = false;
        }
    }
}

/// Pads to `width` terminal columns, counting a CJK character as two.
pub fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(display_width(text))))
}

/// Terminal columns of `text`: two for a wide (CJK) character.
pub fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
