use std::process::ExitCode;
use std::time::Instant;

use biaozhu::model::{DocumentId, NewEntity, Status};
use biaozhu::pretag::Pretagger;
use biaozhu::store::Store;
use biaozhu::text::Segmenter;

/// The annotator recorded on pre-tagger suggestions.
const PRETAG_ANNOTATOR: &str = "pretag";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project file.
    #[arg(long, value_name = "PATH", default_value = super::DEFAULT_DB)]
    db: std::path::PathBuf,
    /// Only this document.
    #[arg(long, value_name = "ID")]
    doc: Option<i64>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut store = Store::open_existing(&args.db)?;
    let tagger = Pretagger::new(Segmenter::with_user_dict(&store.user_dict()?));
    let ids: Vec<DocumentId> = match args.doc {
        Some(id) => {
            store.document(DocumentId(id))?;
            vec![DocumentId(id)]
        }
        None => store.documents()?.into_iter().map(|d| d.id).collect(),
    };
    let (mut n_added, mut n_removed, mut n_kept) = (0, 0, 0);
    for id in &ids {
        let text = store.document(*id)?.text;
        let suggestions: Vec<NewEntity> = tagger
            .tag(&text)
            .into_iter()
            .map(|s| NewEntity {
                char_start: s.char_start,
                char_end: s.char_end,
                label: s.label,
                status: Status::Suggested,
                source: s.source.to_owned(),
                confidence: Some(s.confidence),
                annotator: PRETAG_ANNOTATOR.to_owned(),
            })
            .collect();
        let change = store.replace_suggestions(*id, &suggestions)?;
        n_added += change.n_added;
        n_removed += change.n_removed;
        n_kept += change.n_kept;
    }
    println!(
        "pre-tagged {} documents: {n_added} suggestions added, {n_removed} removed, {n_kept} unchanged, in {:.2}s",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
