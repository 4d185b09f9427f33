use std::process::ExitCode;

use biaozhu::pretag::{TrainPhase, TrainSettings};
use biaozhu::project::train::{TrainRequest, train_project};
use biaozhu::store::{Store, TrainingLayers};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Learn from this annotator's layer only.
    #[arg(long, conflicts_with = "all")]
    annotator: Option<String>,
    /// Learn from every annotator's layer, gold where a document has one (the default).
    #[arg(long)]
    all: bool,
    /// Labelled files to learn from as well (any format `import` reads).
    #[arg(long = "from", value_name = "FILE", num_args = 1..)]
    from: Vec<std::path::PathBuf>,
    /// The seed of the held-back split and of the training order: same data and seed, same model.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut store = Store::open_existing(&args.db)?;
    let request = TrainRequest {
        layers: match args.annotator {
            Some(name) => TrainingLayers::Annotator(name),
            None => TrainingLayers::All,
        },
        files: args.from,
        settings: TrainSettings {
            seed: args.seed,
            ..TrainSettings::default()
        },
    };
    let mut progress = super::Progress::new("training");
    let outcome = train_project(&mut store, &request, &mut |phase, done, total| {
        let what = match phase {
            TrainPhase::Reading => "reading documents",
            TrainPhase::Training => "training passes",
        };
        progress.update_named(what, done, total);
    })?;
    progress.finish();
    let r = &outcome.report;
    outln!(
        "trained model {} on {} documents ({} sentences, {} chars; labels {}) in {:.1}s: {} passes, {} features",
        outcome.model_id,
        r.n_documents,
        r.n_sentences,
        r.n_chars,
        r.labels.join(", "),
        r.train_seconds,
        r.epochs,
        r.n_features
    )?;
    if let (Some(m), Some(rules)) = (r.dev_f1_model, r.dev_f1_rules) {
        outln!(
            "held-back {} documents: model F1 {m:.3}, rules F1 {rules:.3}",
            r.n_dev_documents
        )?;
    }
    outln!("tagger: {}", r.verdict())?;
    if r.n_entities_skipped > 0 {
        outln!(
            "{} accepted entities cross a line break and were not learned",
            r.n_entities_skipped
        )?;
    }
    if outcome.n_unreviewed > 0 {
        outln!(
            "{} documents with accepted entities were left out: suggestions in them wait for review (mark them done to include them)",
            outcome.n_unreviewed
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
