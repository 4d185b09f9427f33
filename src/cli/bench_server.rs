//! `biaozhu bench-server`: simulated annotators editing one project on a team server at
//! once, each on a connection of their own. Reports edits per second, latency, the stale
//! edits the server refused, and proves that no committed edit was lost or duplicated:
//! each annotator's layer on the server must equal the layer the annotator's own record
//! of its commits gives, the edit log must hold exactly one row per commit, and `check`
//! must find nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use biaozhu::Error;
use biaozhu::model::{DocumentId, Entity, EntityId, NewDocument, NewEntity, Status, StatusFilter};
use biaozhu::store::Store;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An empty server project: `postgres://user@host:port/dbname`. The sample corpus is
    /// imported into it, one document a paragraph, and pre-tagged.
    #[arg(long, value_name = "URL")]
    db: PathBuf,
    /// How many annotators edit at once, each a thread with its own connection.
    #[arg(long, default_value_t = 20)]
    annotators: usize,
    /// How long they edit.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The corpus folder whose paragraphs become the documents.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
}

/// What one annotator did.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    stale: usize,
    refused: usize,
    busy: usize,
    /// The annotator's layer as its own commits left it.
    layer: BTreeMap<EntityId, Entity>,
}

/// SplitMix64: a seeded, reproducible sequence per annotator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let url = args.db.to_str().context("the server address is not UTF-8")?.to_owned();
    anyhow::ensure!(
        biaozhu::store::server_url(&args.db)?.is_some(),
        "bench-server needs a postgres:// address, not {url}"
    );
    let mut store = Store::open(&url)?;
    anyhow::ensure!(
        store.documents()?.is_empty(),
        "{} is not empty; give bench-server a new database",
        store.path().display()
    );
    let documents = paragraphs(&args.corpus)?;
    store.import_documents(&documents, &mut |_| {})?;
    let tagger = biaozhu::project::pretag::tagger_for(&store)?;
    let (n_documents, change) = biaozhu::project::pretag::pretag_documents(&mut store, &tagger, None, &mut |_, _| {})?;
    outln!(
        "{n_documents} documents, {} suggestions; {} annotators for {} s",
        change.n_added,
        args.annotators,
        args.seconds
    )?;
    let ids: Vec<DocumentId> = store.documents()?.iter().map(|d| d.id).collect();
    let barrier = Arc::new(Barrier::new(args.annotators));
    let deadline = Duration::from_secs(args.seconds);
    let threads: Vec<_> = (0..args.annotators)
        .map(|i| {
            let (url, ids, barrier) = (url.clone(), ids.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || annotate(&url, &format!("a{i:02}"), i as u64, &ids, &barrier, deadline))
        })
        .collect();
    let mut tallies = Vec::new();
    for thread in threads {
        tallies.push(
            thread
                .join()
                .map_err(|_| anyhow::anyhow!("an annotator thread panicked"))??,
        );
    }
    let elapsed = deadline.as_secs_f64();

    let mut latencies: Vec<u64> = tallies.iter().flat_map(|t| t.latencies_us.iter().copied()).collect();
    latencies.sort_unstable();
    let percentile =
        |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)));
    let n_edits = latencies.len();
    let sum = |f: fn(&Tally) -> usize| tallies.iter().map(f).sum::<usize>();
    outln!(
        "{n_edits} edits committed: {:.0} edits/s; latency p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        n_edits as f64 / elapsed,
        percentile(0.5).copied().unwrap_or(0) as f64 / 1000.0,
        percentile(0.95).copied().unwrap_or(0) as f64 / 1000.0,
        latencies.last().copied().unwrap_or(0) as f64 / 1000.0
    )?;
    outln!(
        "refused: {} stale (another annotator had moved the row on), {} that would break an invariant; {} busy retries",
        sum(|t| t.stale),
        sum(|t| t.refused),
        sum(|t| t.busy)
    )?;

    // No edit lost or duplicated.
    let store = Store::open(&url)?;
    let mut on_server: HashMap<String, BTreeMap<EntityId, Entity>> = HashMap::new();
    for id in &ids {
        for entity in store.entities(*id, StatusFilter::All)? {
            on_server
                .entry(entity.annotator.clone())
                .or_default()
                .insert(entity.id, entity);
        }
    }
    let log_rows = store.edit_log_counts()?;
    let mut problems = Vec::new();
    for (i, tally) in tallies.iter().enumerate() {
        let annotator = format!("a{i:02}");
        let server_layer = on_server.remove(&annotator).unwrap_or_default();
        if server_layer != tally.layer {
            problems.push(format!(
                "{annotator}: the server holds {} entities, the annotator's commits {}",
                server_layer.len(),
                tally.layer.len()
            ));
        }
        let logged = log_rows.get(&annotator).copied().unwrap_or(0);
        if logged != tally.latencies_us.len() {
            problems.push(format!(
                "{annotator}: {logged} edit log rows for {} commits",
                tally.latencies_us.len()
            ));
        }
    }
    let violations = store.check()?;
    outln!(
        "replayed: every annotator's layer equals their commits, one log row per commit: {}; check: {} violations",
        if problems.is_empty() { "yes" } else { "NO" },
        violations.len()
    )?;
    for problem in &problems {
        eprintln!("{problem}");
    }
    Ok(if problems.is_empty() && violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The corpus's paragraphs, one document each.
fn paragraphs(corpus: &std::path::Path) -> anyhow::Result<Vec<NewDocument>> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .with_context(|| format!("reading {}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
        for (n, paragraph) in text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| p.chars().count() >= 20)
            .enumerate()
        {
            out.push(NewDocument {
                name: format!("{}#{n}", file.display()),
                text: paragraph.to_owned(),
                encoding: "utf-8".into(),
                ..NewDocument::default()
            });
        }
    }
    anyhow::ensure!(!out.is_empty(), "no paragraphs in {}", corpus.display());
    Ok(out)
}

/// One annotator's loop: pick a document, read it, and accept a suggestion (which others
/// may be accepting too), reject one, add a span of their own, move or delete one of theirs,
/// each as one edit based on what they read.
fn annotate(
    url: &str,
    annotator: &str,
    seed: u64,
    ids: &[DocumentId],
    barrier: &Barrier,
    run_for: Duration,
) -> anyhow::Result<Tally> {
    let mut store = Store::open(url)?;
    let mut rng = Rng(seed * 7919 + 1);
    let mut tally = Tally::default();
    barrier.wait();
    let started = Instant::now();
    while started.elapsed() < run_for {
        let doc = ids[rng.below(ids.len())];
        let text_chars = store.document(doc)?.text.chars().count();
        let entities = store.entities(doc, StatusFilter::All)?;
        let suggestions: Vec<&Entity> = entities.iter().filter(|e| e.status == Status::Suggested).collect();
        let mine: Vec<&Entity> = entities
            .iter()
            .filter(|e| e.annotator == annotator && e.status.is_live())
            .collect();
        let roll = rng.below(100);
        let began = Instant::now();
        let mut edit = store.edit("bench", annotator)?;
        let result: biaozhu::Result<Outcome> = (|| {
            if roll < 40 && !suggestions.is_empty() {
                let seen = suggestions[rng.below(suggestions.len())];
                edit.expect_entity(seen)?;
                let status = if roll < 32 { Status::Accepted } else { Status::Rejected };
                Ok(Outcome::Changed(edit.update_entity(seen.id, |e| e.status = status)?))
            } else if roll < 70 || mine.is_empty() {
                let start = rng.below(text_chars.saturating_sub(4));
                let new = NewEntity {
                    char_start: start,
                    char_end: start + 1 + rng.below(3),
                    label: ["PER", "ORG", "LOC"][rng.below(3)].into(),
                    status: Status::Accepted,
                    source: "manual".into(),
                    confidence: None,
                    annotator: annotator.into(),
                };
                Ok(Outcome::Changed(edit.add_entity(doc, &new)?))
            } else if roll < 85 {
                let seen = mine[rng.below(mine.len())];
                edit.expect_entity(seen)?;
                let end = seen.char_end + 1;
                if end > text_chars {
                    return Ok(Outcome::Nothing);
                }
                Ok(Outcome::Changed(edit.update_entity(seen.id, |e| e.char_end = end)?))
            } else {
                let seen = mine[rng.below(mine.len())];
                edit.expect_entity(seen)?;
                edit.delete_entity(seen.id)?;
                Ok(Outcome::Deleted(seen.id))
            }
        })();
        let committed = result.and_then(|outcome| edit.commit().map(|()| outcome));
        match committed {
            Ok(Outcome::Nothing) => {}
            Ok(outcome) => {
                tally.latencies_us.push(began.elapsed().as_micros() as u64);
                match outcome {
                    Outcome::Changed(entity) if entity.annotator == annotator => {
                        tally.layer.insert(entity.id, entity);
                    }
                    Outcome::Deleted(id) => {
                        tally.layer.remove(&id);
                    }
                    _ => {}
                }
            }
            Err(Error::Stale { .. }) => tally.stale += 1,
            Err(e) if e.is_busy() => tally.busy += 1,
            Err(Error::Invalid(_)) => tally.refused += 1,
            Err(e) => return Err(e).with_context(|| format!("{annotator}'s edit")),
        }
    }
    Ok(tally)
}

/// What one committed edit did to the annotator's layer.
enum Outcome {
    Changed(Entity),
    Deleted(EntityId),
    Nothing,
}
