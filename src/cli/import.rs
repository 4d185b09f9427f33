use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use biaozhu::formats::tagging::parse_tag_names;
use biaozhu::model::ANNOTATOR_IMPORT;
use biaozhu::project::import::{ImportProgress, ReadOptions, import_paths};
use biaozhu::store::{OnConflict, Store};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project: a file, or a team server (`postgres://user@host:port/dbname`).
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// The annotator recorded on annotations that the files bring in.
    #[arg(long, default_value = ANNOTATOR_IMPORT)]
    annotator: String,
    /// Names for tags given as numbers (HF `ner_tags`, CoNLL tag columns), by index: a JSON
    /// list file such as HF's `label_list.json`, or a list `O,B-PER,I-PER`.
    #[arg(long, value_name = "FILE|LIST")]
    tag_names: Option<String>,
    /// Read `.txt` files as character tagging (`conll`: `char TAG` lines) instead of plain text.
    #[arg(long, value_name = "KIND", value_parser = ["conll", "text"])]
    txt_as: Option<String>,
    /// Read every file in this encoding (gb18030, gbk, big5, shift_jis, euc-kr, utf-16le, …)
    /// instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// What to do with a record whose annotations conflict with those already stored for
    /// the same text: refuse the file (`refuse`), or keep what is there and warn (`skip`).
    #[arg(long, value_name = "POLICY", default_value = "refuse", value_parser = ["refuse", "skip"])]
    on_conflict: String,
    /// Files (.txt, .md, .jsonl, .json, .ann, .conll, .bio, .bioes, .bmes, .bilou, .csv, .tsv)
    /// and folders, read recursively.
    #[arg(required = true, value_name = "FILE|DIR")]
    paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store = Store::open(&args.db).with_context(|| format!("opening project {}", args.db.display()))?;
    let tag_names = match &args.tag_names {
        Some(spec) if std::path::Path::new(spec).is_file() => {
            let content = std::fs::read_to_string(spec).with_context(|| format!("reading --tag-names {spec}"))?;
            Some(parse_tag_names(&content, spec)?)
        }
        Some(spec) => Some(parse_tag_names(spec, "--tag-names")?),
        None => None,
    };
    let options = ReadOptions {
        tag_names,
        txt_as: args.txt_as.clone(),
        encoding: args.encoding.clone(),
        on_conflict: match args.on_conflict.as_str() {
            "skip" => OnConflict::Skip,
            _ => OnConflict::Refuse,
        },
        ..ReadOptions::new(&args.annotator)
    };
    let mut progress = super::Progress::new("importing");
    let report = import_paths(&mut store, &args.paths, &options, &mut |p: ImportProgress<'_>| {
        let what = format!("[{}/{}] {}", p.file_index + 1, p.n_files, p.path.display());
        progress.update_named(&what, p.n_documents_done, p.n_documents_in_file)
    });
    progress.finish();
    for file in &report.files {
        let s = &file.summary;
        eprintln!(
            "{}: {}, {} new, {} unchanged, {} extended, {} entities, {} relations",
            file.path.display(),
            file.encoding,
            s.n_documents_added,
            s.n_documents_unchanged,
            s.n_documents_extended,
            s.n_entities_added,
            s.n_relations_added
        );
        for warning in &file.warnings {
            eprintln!("warning: {warning} in {}", file.path.display());
        }
        for label in &s.labels_added {
            eprintln!("warning: label {label} was not in the schema and has been added");
        }
        for kind in &s.relation_types_added {
            eprintln!("warning: relation type {kind} was not in the schema and has been added");
        }
    }
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    let total = report.total();
    outln!(
        "imported {} ({} unchanged), {} extended, {}, {} from {} into {} in {:.2}s",
        biaozhu::count(total.n_documents_added, "document", "documents"),
        total.n_documents_unchanged,
        total.n_documents_extended,
        biaozhu::count(total.n_entities_added, "entity", "entities"),
        biaozhu::count(total.n_relations_added, "relation", "relations"),
        biaozhu::count(report.files.len(), "file", "files"),
        args.db.display(),
        started.elapsed().as_secs_f64()
    )?;
    if report.errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        match report.errors.len() {
            1 => eprintln!("1 file failed and was not imported"),
            n => eprintln!("{n} files failed and were not imported"),
        }
        Ok(ExitCode::from(1))
    }
}
