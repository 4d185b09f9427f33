use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use biaozhu::formats::{
    ColumnSeparator, DEFAULT_MAX_CHARS, ExportOptions, Format, TagScheme, parse_rename, parse_split,
};
use biaozhu::model::StatusFilter;
use biaozhu::project::export::{export_to_path, write_label_studio_config};
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: PathBuf,
    /// The dataset format.
    #[arg(long, default_value = "doccano", value_parser = ["doccano", "brat", "conll", "spacy", "label-studio", "hf", "cluener", "duie", "csv"])]
    format: String,
    /// The output: a file, or a folder for brat and hf.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// `accepted` (the dataset) or `all` (suggestions too). Rejected annotations never are.
    #[arg(long, default_value = "accepted", value_parser = ["accepted", "all"])]
    status: String,
    /// Same as `--status all`.
    #[arg(long)]
    include_suggestions: bool,
    /// Only this annotator's annotations.
    #[arg(long, value_name = "NAME")]
    annotator: Option<String>,
    /// Only these labels (after --map), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "LABEL,...")]
    labels: Vec<String>,
    /// Rename a label, `OLD=NEW`; repeatable.
    #[arg(long = "map", value_name = "OLD=NEW")]
    rename: Vec<String>,
    /// Tag scheme of conll and hf exports.
    #[arg(long, default_value = "bio", value_parser = ["bio", "bioes", "bmes", "bilou"])]
    scheme: String,
    /// Split by document, e.g. `train=0.8,dev=0.1,test=0.1`: one file (or folder) per part.
    #[arg(long, value_name = "NAME=SHARE,...")]
    split: Option<String>,
    /// Seed of the split.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The longest hf row in characters: documents are cut at sentence ends (never inside an entity) to fit.
    #[arg(long, default_value_t = DEFAULT_MAX_CHARS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_chars: usize,
    /// The column separator of conll exports (`tab` for doccano's CoNLL import).
    #[arg(long, default_value = "space", value_parser = ["space", "tab"])]
    sep: String,
    /// Also write a Label Studio labeling config (XML) for the exported labels and relation types.
    #[arg(long, value_name = "FILE")]
    ls_config: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let store = Store::open_existing(&args.db)?;
    let format = Format::parse(&args.format)
        .ok_or_else(|| biaozhu::Error::Invalid(format!("unknown format {:?}", args.format)))?;
    let options = ExportOptions {
        statuses: if args.include_suggestions || args.status == "all" {
            StatusFilter::AcceptedAndSuggested
        } else {
            StatusFilter::Accepted
        },
        annotator: args.annotator.clone(),
        labels: (!args.labels.is_empty()).then(|| args.labels.clone()),
        rename: args.rename.iter().map(|r| parse_rename(r)).collect::<Result<_, _>>()?,
        scheme: TagScheme::parse(&args.scheme).ok_or_else(|| {
            biaozhu::Error::Invalid(format!(
                "--scheme takes bio, bioes, bmes or bilou, not {:?}",
                args.scheme
            ))
        })?,
        split: args.split.as_deref().map(parse_split).transpose()?.unwrap_or_default(),
        seed: args.seed,
        max_chars: args.max_chars,
        conll_separator: if args.sep == "tab" {
            ColumnSeparator::Tab
        } else {
            ColumnSeparator::Space
        },
    };
    let mut progress = super::Progress::new("exporting");
    let summary = export_to_path(&store, format, &options, &args.out, &mut |done, total| {
        progress.update(done, total)
    })
    .with_context(|| format!("exporting {} to {}", args.db.display(), args.out.display()))?;
    progress.finish();
    if let Some(config) = &args.ls_config {
        write_label_studio_config(&store, &options, config)
            .with_context(|| format!("writing the Label Studio config {}", config.display()))?;
        eprintln!("wrote the Label Studio labeling config {}", config.display());
    }
    let outputs: Vec<String> = summary.outputs.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "exported {} documents, {} entities, {} relations as {} to {} in {:.2}s",
        summary.n_documents,
        summary.n_entities,
        summary.n_relations,
        format.name(),
        outputs.join(", "),
        started.elapsed().as_secs_f64()
    );
    if summary.mixed.n_documents > 0 {
        eprintln!(
            "note: {} documents hold the layers of more than one annotator ({}), written together; \
             --annotator NAME exports one layer (gold after review)",
            summary.mixed.n_documents,
            summary.mixed.annotators.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
