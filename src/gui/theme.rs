//! Every colour the app paints with, by what it means. Label colours come from the
//! schema; the rest are pastels and inks made for the light page the app sets.

use egui::Color32;

use crate::model::{DocStatus, Label};
use crate::review::DiffKind;

/// A label the schema lacks.
pub const UNKNOWN_LABEL: Color32 = Color32::from_gray(190);
/// Text drawn on a label colour, and the frame of the active label.
pub const ON_LABEL: Color32 = Color32::BLACK;

/// The outline of a relation's end, or of the tail candidate while picking one.
pub const RELATION_END: Color32 = Color32::from_rgb(230, 120, 0);
/// The outline of a find result, search hit or review difference.
pub const HIGHLIGHT: Color32 = Color32::from_rgb(230, 160, 0);
/// jieba word boundaries.
pub const WORD_BOUNDARY: Color32 = Color32::from_gray(150);
pub const ARC_SUGGESTED: Color32 = Color32::from_rgb(120, 120, 200);
pub const ARC_ACCEPTED: Color32 = Color32::from_rgb(40, 60, 160);

/// The labels a search hit touches.
pub const HIT_LABELS: Color32 = Color32::from_rgb(40, 90, 180);

pub const CHART_ACCEPTED: Color32 = Color32::from_rgb(70, 150, 90);
pub const CHART_TO_CHECK: Color32 = Color32::from_rgb(230, 170, 60);
pub const CHART_RELATIONS: Color32 = Color32::from_rgb(80, 100, 180);
pub const CHART_DENSITY: Color32 = Color32::from_rgb(120, 120, 120);
/// The learning curve: the model's held-out F1, and the rules'.
pub const CHART_MODEL: Color32 = Color32::from_rgb(200, 70, 60);
pub const CHART_RULES: Color32 = Color32::from_rgb(80, 100, 180);

/// Suggestions less sure than this are painted fainter, with their confidence on the tag.
pub const LOW_CONFIDENCE: f64 = 0.5;

/// The plate under a relation's type on its arc.
pub fn arc_tag_plate() -> Color32 {
    Color32::from_white_alpha(235)
}

/// A document's mark and colour in the document list.
pub fn document_status(status: DocStatus) -> (&'static str, Color32) {
    match status {
        DocStatus::New => ("○", Color32::GRAY),
        DocStatus::InProgress => ("◎", Color32::from_rgb(220, 150, 30)),
        DocStatus::Done => ("●", Color32::from_rgb(60, 160, 80)),
    }
}

/// A review difference's mark and colour.
pub fn diff_kind(kind: DiffKind) -> (&'static str, Color32) {
    match kind {
        DiffKind::Agreed => ("=", Color32::from_rgb(60, 140, 60)),
        DiffKind::LabelDiffers => ("≠", Color32::from_rgb(200, 120, 0)),
        DiffKind::OnlyA => ("A", Color32::from_rgb(40, 90, 180)),
        DiffKind::OnlyB => ("B", Color32::from_rgb(150, 60, 150)),
    }
}

/// A label's colour, grey for labels the schema lacks.
pub fn label_color(labels: &[Label], name: &str) -> Color32 {
    labels
        .iter()
        .find(|l| l.name == name)
        .and_then(|l| parse_hex(&l.color))
        .unwrap_or(UNKNOWN_LABEL)
}

/// A darker shade of a label colour, readable as text on the page.
pub fn darker(color: Color32) -> Color32 {
    let [r, g, b, _] = color.to_array();
    let shade = |c: u8| (f32::from(c) * 0.55) as u8;
    Color32::from_rgb(shade(r), shade(g), shade(b))
}

fn parse_hex(hex: &str) -> Option<Color32> {
    let hex = hex.strip_prefix('#')?;
    let value = u32::from_str_radix(hex, 16).ok()?;
    (hex.len() == 6).then(|| Color32::from_rgb((value >> 16) as u8, (value >> 8) as u8, value as u8))
}
