//! Frame times of the document view on a long generated document, for `biaozhu bench-gui`.

use std::time::{Duration, Instant};

use egui::{Pos2, RawInput, Rect, vec2};

use super::doc_view::{DocView, ViewInput};
use super::fonts::install_fonts;
use crate::model::{Entity, EntityId, Label, NewDocument, NewEntity, Status, StatusFilter};
use crate::schema::default_labels;
use crate::store::Store;
use crate::text::Segmenter;

/// Percentiles of per-frame times, in milliseconds.
#[derive(Debug, Clone, Copy)]
pub struct FrameReport {
    pub n_chars: usize,
    pub n_entities: usize,
    pub first_frame_ms: f64,
    pub ui_p50_ms: f64,
    pub ui_p95_ms: f64,
    pub tessellate_p50_ms: f64,
    pub tessellate_p95_ms: f64,
    pub total_p95_ms: f64,
    /// Paragraphs painted in the last frame: only the visible ones.
    pub paragraphs_painted: usize,
    pub n_paragraphs: usize,
    pub vertices_last_frame: usize,
}

/// A news-like document of about `n_chars` characters with `n_entities` spans, half of
/// them suggestions, in paragraphs of `sentences_per_paragraph` sentences (`None`: one
/// paragraph).
pub fn generated_document(
    n_chars: usize,
    n_entities: usize,
    sentences_per_paragraph: Option<usize>,
) -> (String, Vec<NewEntity>) {
    let mut text = String::new();
    let mut entities = Vec::new();
    let mut offset = 0;
    let mut i = 0;
    while offset < n_chars {
        // Every sentence differs, so no two paragraphs share a cached layout.
        let sentence = format!(
            "省发展改革委副主任王建国表示，长沙经开区今年新签约项目{:03}个，总投资{}.{}亿元，同比增长12.5%。",
            i % 1000,
            i % 97 + 1,
            i % 10
        );
        let chars: Vec<char> = sentence.chars().collect();
        let find = |needle: &str| -> (usize, usize) {
            let needle: Vec<char> = needle.chars().collect();
            let at = chars
                .windows(needle.len())
                .position(|w| w == needle.as_slice())
                .unwrap_or(0);
            (at, at + needle.len())
        };
        let spans = [
            (find("省发展改革委"), "ORG"),
            (find("副主任"), "TITLE"),
            (find("王建国"), "PER"),
            (find("长沙经开区"), "LOC"),
            ((find("项目").1, find("项目").1 + 4), "QUANTITY"),
        ];
        for ((start, end), label) in spans {
            if entities.len() < n_entities {
                entities.push(NewEntity {
                    char_start: offset + start,
                    char_end: offset + end,
                    label: label.to_owned(),
                    status: if entities.len() % 2 == 0 {
                        Status::Accepted
                    } else {
                        Status::Suggested
                    },
                    source: "bench".into(),
                    confidence: None,
                    annotator: "bench".into(),
                });
            }
        }
        text.push_str(&sentence);
        offset += chars.len();
        i += 1;
        if sentences_per_paragraph.is_some_and(|n| i % n == 0) {
            text.push('\n');
            offset += 1;
        }
    }
    (text, entities)
}

/// Opens the document view on a generated document and scrolls through it for
/// `n_frames` frames, timing the ui pass (layout of visible paragraphs, hit testing,
/// shapes) and tessellation of each frame.
pub fn measure(n_chars: usize, n_entities: usize, n_frames: usize) -> anyhow::Result<FrameReport> {
    let mut store = Store::open_in_memory()?;
    let (text, entities) = generated_document(n_chars, n_entities, Some(4));
    store.import_documents(
        &[NewDocument {
            name: "generated".into(),
            text,
            encoding: "utf-8".into(),
            entities,
            ..NewDocument::default()
        }],
        &mut |_| {},
    )?;
    let id = store.documents()?[0].id;
    let document = store.document(id)?;
    let entities: Vec<Entity> = store.entities(id, StatusFilter::All)?;
    let labels: Vec<Label> = default_labels();
    let mut view = DocView::new(&document, &Segmenter::default());

    let ctx = egui::Context::default();
    install_fonts(&ctx, false);
    let screen = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
    let selected = entities.get(entities.len() / 2).map(|e| e.id);
    let mut ui_times = Vec::with_capacity(n_frames);
    let mut tessellate_times = Vec::with_capacity(n_frames);
    let mut first_frame = Duration::ZERO;
    let mut vertices = 0;
    for frame in 0..=n_frames {
        let input = scroll_input(screen, Pos2::new(500.0, 400.0));
        let started = Instant::now();
        let mut commands = Vec::new();
        let output = ctx.run_ui(input, |ui| {
            let input = ViewInput {
                entities: &entities,
                relations: &[],
                labels: &labels,
                selected: selected.filter(|_: &EntityId| frame == 0),
                selected_relation: None,
                picking_tail: false,
                tail_candidate: None,
                current_label: "PER",
            };
            view.ui(ui, &input, &mut commands);
        });
        let ui_time = started.elapsed();
        let started = Instant::now();
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let tessellate_time = started.elapsed();
        // No renderer here: the font atlas updates are dropped on purpose.
        let mut textures = output.textures_delta;
        textures.clear();
        vertices = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        if frame == 0 {
            first_frame = ui_time + tessellate_time;
        } else {
            ui_times.push(ui_time);
            tessellate_times.push(tessellate_time);
        }
    }
    let totals: Vec<Duration> = ui_times.iter().zip(&tessellate_times).map(|(a, b)| *a + *b).collect();
    Ok(FrameReport {
        n_chars: document.text.chars().count(),
        n_entities: entities.len(),
        first_frame_ms: ms(first_frame),
        ui_p50_ms: percentile(&ui_times, 0.50),
        ui_p95_ms: percentile(&ui_times, 0.95),
        tessellate_p50_ms: percentile(&tessellate_times, 0.50),
        tessellate_p95_ms: percentile(&tessellate_times, 0.95),
        total_p95_ms: percentile(&totals, 0.95),
        paragraphs_painted: view.last_frame.n_paragraphs_painted,
        n_paragraphs: document.text.split('\n').count(),
        vertices_last_frame: vertices,
    })
}

/// One frame's input: the pointer at `at` and the wheel scrolling down 600 points.
pub(super) fn scroll_input(screen: Rect, at: Pos2) -> RawInput {
    let mut input = RawInput {
        screen_rect: Some(screen),
        ..Default::default()
    };
    input.events.push(egui::Event::PointerMoved(at));
    input.events.push(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, -600.0),
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    input
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(super) fn percentile(times: &[Duration], p: f64) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
        .map_or(0.0, |d| ms(*d))
}
