//! Frame times of the whole app on generated projects, for `biaozhu bench-gui --case`: a
//! long single-paragraph document, one document with many entities, and a project of many
//! documents. Each frame scrolls the view the case is about.

use std::time::{Duration, Instant};

use egui::{Pos2, Rect};

use super::app::App;
use super::bench::{generated_document, ms, percentile, scroll_input};
use super::bench_edit::synthetic_document;
use super::fonts::install_fonts;
use crate::model::NewDocument;
use crate::store::Store;

/// The size of the window the frames are drawn in, in points.
const SCREEN: Rect = Rect {
    min: Pos2::ZERO,
    max: Pos2::new(1400.0, 900.0),
};

/// What one case measured.
#[derive(Debug, Clone)]
pub struct AppReport {
    pub case: &'static str,
    pub n_documents: usize,
    pub n_chars: usize,
    pub n_entities: usize,
    /// Generating and storing the project (not part of the app's times).
    pub generate_ms: f64,
    /// `App::new` (which opens the first document) and its first frame, tessellated.
    pub open_ms: f64,
    pub frame_p50_ms: f64,
    pub frame_p95_ms: f64,
    /// The process's peak resident set, from `/proc/self/status` (0 where there is none).
    pub peak_rss_mb: f64,
}

/// The cases, by name: what `--case` takes.
pub const CASES: [&str; 3] = ["paragraph", "entities", "documents"];

/// Runs `case` for `n_frames` frames after the first.
pub fn measure_case(case: &str, n_frames: usize) -> anyhow::Result<AppReport> {
    let started = Instant::now();
    let mut store = Store::open_in_memory()?;
    // Where the wheel turns: the document, the entity list on the right, the document list.
    let (case, wheel_at, n_chars, n_entities, n_documents) = match case {
        "paragraph" => {
            // 5 MB of UTF-8: about 1.75 million characters, no line break.
            let (text, entities) = generated_document(1_750_000, 5_000, None);
            let n_chars = text.chars().count();
            let n_entities = entities.len();
            store.import_documents(&[generated("paragraph", text, entities)], &mut |_| {})?;
            ("paragraph", Pos2::new(700.0, 450.0), n_chars, n_entities, 1)
        }
        "entities" => {
            let (text, entities) = generated_document(220_000, 20_000, Some(4));
            let n_chars = text.chars().count();
            let n_entities = entities.len();
            store.import_documents(&[generated("entities", text, entities)], &mut |_| {})?;
            ("entities", Pos2::new(1250.0, 700.0), n_chars, n_entities, 1)
        }
        "documents" => {
            const N_DOCUMENTS: usize = 355_000;
            const CHUNK: usize = 5_000;
            let mut n_chars = 0;
            for first in (0..N_DOCUMENTS).step_by(CHUNK) {
                let chunk: Vec<NewDocument> = (first..(first + CHUNK).min(N_DOCUMENTS))
                    .map(|i| synthetic_document(i, 2))
                    .collect();
                n_chars += chunk.iter().map(|d| d.text.chars().count()).sum::<usize>();
                store.import_documents(&chunk, &mut |_| {})?;
            }
            (
                "documents",
                Pos2::new(100.0, 500.0),
                n_chars,
                2 * N_DOCUMENTS,
                N_DOCUMENTS,
            )
        }
        other => anyhow::bail!("no case {other:?}: one of {}", CASES.join(", ")),
    };
    let generate_ms = ms(started.elapsed());

    let ctx = egui::Context::default();
    install_fonts(&ctx, false);
    let started = Instant::now();
    let mut app = App::new(store, Some("bench".to_owned()))?;
    let mut frame_times = Vec::with_capacity(n_frames);
    let mut open = Duration::ZERO;
    for frame in 0..=n_frames {
        let input = scroll_input(SCREEN, wheel_at);
        let frame_started = Instant::now();
        let output = ctx.run_ui(input, |ui| app.frame(ui));
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        // No renderer here: the font atlas updates are dropped on purpose, as in `bench::measure`.
        let mut textures = output.textures_delta;
        textures.clear();
        if frame == 0 {
            open = started.elapsed();
        } else {
            frame_times.push(frame_started.elapsed());
        }
    }
    Ok(AppReport {
        case,
        n_documents,
        n_chars,
        n_entities,
        generate_ms,
        open_ms: ms(open),
        frame_p50_ms: percentile(&frame_times, 0.50),
        frame_p95_ms: percentile(&frame_times, 0.95),
        peak_rss_mb: peak_rss_mb(),
    })
}

fn generated(name: &str, text: String, entities: Vec<crate::model::NewEntity>) -> NewDocument {
    NewDocument {
        name: name.into(),
        text,
        encoding: "utf-8".into(),
        entities,
        ..NewDocument::default()
    }
}

/// `VmHWM` of `/proc/self/status`, in megabytes.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
