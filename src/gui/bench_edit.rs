//! The cost of an edit as the app makes it, for `biaozhu bench-edit`: mixed edits through
//! [`App::apply`] on documents spread over a copy of a project, and the synthetic projects
//! to measure them on.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::app::App;
use super::command::{AnnotateCommand, Command};
use crate::model::{CharSpan, DocumentId, EntityId, NewDocument, NewEntity, Status};
use crate::store::Store;

/// The annotator the edits are made as, and the one of the synthetic accepted entities.
pub const BENCH_ANNOTATOR: &str = "bench";

/// The kinds of edit, in the order of a round on one document. A round leaves the document
/// as it found it: the span it adds is moved, relabelled and deleted, and the accepted
/// suggestion is undone.
pub const EDIT_KINDS: [&str; 6] = ["add span", "move boundary", "relabel", "accept", "undo", "delete"];

/// Times of the edits, in milliseconds.
#[derive(Debug, Clone)]
pub struct EditReport {
    pub n_documents: usize,
    pub n_edits: usize,
    /// Documents the rounds were made on.
    pub n_documents_edited: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// Per kind of edit: its name, how many, p50 and p95.
    pub kinds: Vec<(&'static str, usize, f64, f64)>,
}

/// Runs `n_edits` edits on a temporary copy of the project at `db`, which stays as it was.
pub fn measure_edits(db: &Path, n_edits: usize) -> anyhow::Result<EditReport> {
    let dir = TempDir::new()?;
    let copy = dir.0.join("copy.sqlite");
    Store::copy_file(db, &copy)?;
    let store = Store::open(&copy)?;
    run_edits(store, n_edits)
}

/// A folder under the system's temporary one, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("biaozhu-bench-edit-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a round needs in a document: a suggestion to accept and two free characters.
struct Round {
    suggestion: EntityId,
    gap: CharSpan,
}

fn plan_round(app: &App) -> Option<Round> {
    let open = app.open.as_ref()?;
    let suggestion = open.entities.iter().find(|e| e.status == Status::Suggested)?.id;
    let n_chars = open.view.n_chars();
    let mut taken = vec![false; n_chars];
    for entity in &open.entities {
        for slot in taken.iter_mut().take(entity.char_end).skip(entity.char_start) {
            *slot = true;
        }
    }
    let start = (0..n_chars.saturating_sub(1)).find(|&i| !taken[i] && !taken[i + 1])?;
    Some(Round {
        suggestion,
        gap: CharSpan::new(start, start + 2),
    })
}

fn run_edits(store: Store, n_edits: usize) -> anyhow::Result<EditReport> {
    let n_documents = store.document_count("")?;
    anyhow::ensure!(n_documents > 0, "the project has no documents");
    let mut app = App::new(store, Some(BENCH_ANNOTATOR.to_owned()))?;
    let labels: Vec<String> = app.labels.iter().map(|l| l.name.clone()).collect();
    let [first_label, second_label, ..] = labels.as_slice() else {
        anyhow::bail!("the project needs two labels");
    };
    let n_rounds = n_edits.div_ceil(EDIT_KINDS.len()).max(1);
    let mut times: Vec<(usize, Duration)> = Vec::with_capacity(n_edits);
    let mut edited: Vec<DocumentId> = Vec::new();
    // Documents spread evenly over the project; one that lacks a suggestion or free room is
    // passed over for the next.
    let mut position = 0;
    let mut tried = 0;
    'rounds: for round in 0..n_rounds {
        let target = round * n_documents / n_rounds;
        position = position.max(target);
        let plan = loop {
            anyhow::ensure!(
                tried < n_documents + n_rounds,
                "no document has a suggestion and two free characters"
            );
            tried += 1;
            let id = app.store.document_page("", position % n_documents, 1)?[0].id;
            app.apply(AnnotateCommand::OpenDocument(id).into());
            check(&app, "open")?;
            match plan_round(&app) {
                Some(plan) => break plan,
                None => position += 1,
            }
        };
        if let Some(id) = app.current_document() {
            edited.push(id);
        }
        let mut added = None;
        for (kind, name) in EDIT_KINDS.iter().enumerate() {
            if times.len() == n_edits {
                break 'rounds;
            }
            let command: Command = match kind {
                0 => AnnotateCommand::AddSpan {
                    char_start: plan.gap.char_start,
                    char_end: plan.gap.char_end,
                    label: first_label.clone(),
                }
                .into(),
                1 => AnnotateCommand::MoveBoundary {
                    start_delta: 0,
                    end_delta: -1,
                }
                .into(),
                2 => AnnotateCommand::Relabel(added.expect("added first"), second_label.clone()).into(),
                3 => AnnotateCommand::Accept(plan.suggestion).into(),
                4 => AnnotateCommand::Undo.into(),
                _ => AnnotateCommand::RejectOrDelete(added.expect("added first")).into(),
            };
            if kind == 1 {
                app.apply(AnnotateCommand::Select(added).into());
            }
            let started = Instant::now();
            app.apply(command);
            times.push((kind, started.elapsed()));
            check(&app, name)?;
            if kind == 0 {
                added = app.selected();
                anyhow::ensure!(added.is_some(), "adding a span selects it");
            }
        }
        position += 1;
    }
    let all: Vec<Duration> = times.iter().map(|(_, t)| *t).collect();
    let kinds = EDIT_KINDS
        .iter()
        .enumerate()
        .map(|(kind, name)| {
            let of_kind: Vec<Duration> = times.iter().filter(|(k, _)| *k == kind).map(|(_, t)| *t).collect();
            (
                *name,
                of_kind.len(),
                percentile(&of_kind, 0.50),
                percentile(&of_kind, 0.95),
            )
        })
        .collect();
    edited.sort();
    edited.dedup();
    Ok(EditReport {
        n_documents,
        n_edits: all.len(),
        n_documents_edited: edited.len(),
        p50_ms: percentile(&all, 0.50),
        p95_ms: percentile(&all, 0.95),
        kinds,
    })
}

fn check(app: &App, what: &str) -> anyhow::Result<()> {
    match app.error() {
        Some(error) => anyhow::bail!("{what} failed: {error}"),
        None => Ok(()),
    }
}

/// Creates a project at `path` (which must not exist) with `n_documents` news-like
/// documents and `n_entities` non-overlapping entities spread evenly over them, alternately
/// pre-tagger suggestions and entities accepted by [`BENCH_ANNOTATOR`].
pub fn synthetic_project(
    path: &Path,
    n_documents: usize,
    n_entities: usize,
    on_progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<()> {
    anyhow::ensure!(!path.exists(), "{} exists already", path.display());
    anyhow::ensure!(n_documents > 0, "a project of no documents");
    let mut store = Store::open(path)?;
    const CHUNK: usize = 2_000;
    let mut done = 0;
    while done < n_documents {
        let chunk: Vec<NewDocument> = (done..(done + CHUNK).min(n_documents))
            .map(|i| {
                let per_document = n_entities / n_documents + usize::from(i < n_entities % n_documents);
                synthetic_document(i, per_document)
            })
            .collect();
        store.import_documents(&chunk, &mut |_| {})?;
        done += chunk.len();
        on_progress(done, n_documents);
    }
    Ok(())
}

/// Document `index`: sentences of five entities each, as many as `n_entities` needs.
pub(super) fn synthetic_document(index: usize, n_entities: usize) -> NewDocument {
    let mut text = format!("第{index}号。");
    let mut entities = Vec::with_capacity(n_entities);
    let mut sentence = 0;
    while sentence == 0 || entities.len() < n_entities {
        let offset = text.chars().count();
        let n = (index + sentence) % 97 + 1;
        // 省发展改革委 ORG, 副主任 TITLE, 王建国 PER, 长沙经开区 LOC, the count QUANTITY.
        text.push_str(&format!(
            "省发展改革委副主任王建国表示，长沙经开区今年新签约项目{n:02}个，同比增长。"
        ));
        for (start, end, label) in [
            (0, 6, "ORG"),
            (6, 9, "TITLE"),
            (9, 12, "PER"),
            (15, 20, "LOC"),
            (27, 30, "QUANTITY"),
        ] {
            if entities.len() == n_entities {
                break;
            }
            let suggested = entities.len() % 2 == 0;
            entities.push(NewEntity {
                char_start: offset + start,
                char_end: offset + end,
                label: label.to_owned(),
                status: if suggested { Status::Suggested } else { Status::Accepted },
                source: if suggested { "rule" } else { "manual" }.to_owned(),
                confidence: suggested.then_some(0.6),
                annotator: if suggested {
                    crate::model::ANNOTATOR_PRETAG
                } else {
                    BENCH_ANNOTATOR
                }
                .to_owned(),
            });
        }
        sentence += 1;
    }
    NewDocument {
        name: format!("synthetic/doc-{index:06}.txt"),
        text,
        encoding: "utf-8".into(),
        entities,
        ..NewDocument::default()
    }
}

fn percentile(times: &[Duration], p: f64) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}
