//! Every colour the app paints with, by what it means. Label colours come from the
//! schema; the rest are inks made for the page, in a light variant (the default) and a
//! dark one: [`palette`] gives the set for the page shown. The constants are the light
//! palette's inks, for panels drawn on either page.

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

/// The inks of one page, light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub dark: bool,
    /// The document's text, and text on a span body.
    pub text: Color32,
    /// The outline of a relation's end, or of the tail candidate while picking one.
    pub relation_end: Color32,
    /// The outline of a find result, search hit or review difference.
    pub highlight: Color32,
    pub word_boundary: Color32,
    pub arc_suggested: Color32,
    pub arc_accepted: Color32,
    /// The plate under a relation's type on its arc, and under a span's tag.
    pub plate: Color32,
    /// The focus frame and underline of the selected span.
    pub focus: Color32,
    pub hit_labels: Color32,
}

const LIGHT: Palette = Palette {
    dark: false,
    text: Color32::from_gray(20),
    relation_end: RELATION_END,
    highlight: HIGHLIGHT,
    word_boundary: WORD_BOUNDARY,
    arc_suggested: ARC_SUGGESTED,
    arc_accepted: ARC_ACCEPTED,
    plate: Color32::from_rgba_premultiplied(250, 250, 250, 240),
    focus: Color32::from_gray(15),
    hit_labels: HIT_LABELS,
};

const DARK: Palette = Palette {
    dark: true,
    text: Color32::from_gray(235),
    relation_end: Color32::from_rgb(255, 160, 60),
    highlight: Color32::from_rgb(255, 200, 60),
    word_boundary: Color32::from_gray(110),
    arc_suggested: Color32::from_rgb(150, 150, 230),
    arc_accepted: Color32::from_rgb(150, 185, 255),
    plate: Color32::from_rgba_premultiplied(30, 30, 34, 240),
    focus: Color32::from_gray(250),
    hit_labels: Color32::from_rgb(130, 175, 255),
};

/// The inks for the page shown: dark or light.
pub fn palette(dark: bool) -> Palette {
    if dark { DARK } else { LIGHT }
}

/// How a span's body is filled and outlined on the page.
pub fn span_body(color: Color32, accepted: bool, unsure: bool, dark: bool) -> (Color32, Option<Color32>) {
    match (dark, accepted, unsure) {
        (false, true, _) => (color.gamma_multiply(0.85), None),
        (false, false, true) => (color.gamma_multiply(0.12), Some(color)),
        (false, false, false) => (color.gamma_multiply(0.25), Some(color)),
        // On the dark page an accepted span is a deep shade, so light text stays readable.
        (true, true, _) => (shade(color, 0.42), None),
        (true, false, true) => (color.gamma_multiply(0.10), Some(shade(color, 0.8))),
        (true, false, false) => (color.gamma_multiply(0.2), Some(color)),
    }
}

/// The ink of a span's tag: a dark shade of its label on the light page, the label's own
/// pastel on the dark one.
pub fn tag_ink(color: Color32, dark: bool) -> Color32 {
    if dark { color } else { shade(color, 0.45) }
}

/// Suggestions less sure than this are painted fainter, with their confidence on the tag.
pub const LOW_CONFIDENCE: f64 = 0.5;

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

/// `color` with each channel scaled by `factor`, opaque.
fn shade(color: Color32, factor: f32) -> Color32 {
    let [r, g, b, _] = color.to_array();
    let scale = |c: u8| (f32::from(c) * factor) as u8;
    Color32::from_rgb(scale(r), scale(g), scale(b))
}

fn parse_hex(hex: &str) -> Option<Color32> {
    crate::schema::parse_hex(hex).map(|[r, g, b]| Color32::from_rgb(r, g, b))
}

/// `#rrggbb` of a colour, as the schema stores it.
pub fn to_hex(color: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", color[0], color[1], color[2])
}

/// WCAG contrast ratio of two opaque colours (1 to 21).
#[cfg(test)]
fn contrast(a: Color32, b: Color32) -> f32 {
    let luminance = |c: Color32| {
        let [r, g, b, _] = c.to_array();
        let linear = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::default_labels;

    fn over(color: Color32, page: Color32) -> Color32 {
        let [r, g, b, a] = color.to_array();
        let [pr, pg, pb, _] = page.to_array();
        let mix = |c: u8, p: u8| c.saturating_add((f32::from(p) * (1.0 - f32::from(a) / 255.0)) as u8);
        Color32::from_rgb(mix(r, pr), mix(g, pg), mix(b, pb))
    }

    #[test]
    fn tags_and_span_text_are_readable_on_both_pages() {
        for (dark, page) in [(false, Color32::from_gray(248)), (true, Color32::from_gray(27))] {
            let inks = palette(dark);
            let plate = over(inks.plate, page);
            for label in default_labels() {
                let color = label_color(std::slice::from_ref(&label), &label.name);
                let tag = contrast(tag_ink(color, dark), plate);
                assert!(tag >= 4.5, "{} tag, dark {dark}: contrast {tag:.1}", label.name);
                for (accepted, unsure) in [(true, false), (false, false), (false, true)] {
                    let body = over(span_body(color, accepted, unsure, dark).0, page);
                    let text = contrast(inks.text, body);
                    assert!(text >= 4.5, "{} body, dark {dark}: contrast {text:.1}", label.name);
                }
            }
            for ink in [inks.arc_accepted, inks.arc_suggested] {
                assert!(contrast(ink, plate) >= 3.0, "arc ink, dark {dark}");
            }
        }
    }
}
