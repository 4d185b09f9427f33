//! The document view: the text wrapped as in the source, one cached galley per piece (a
//! paragraph, or a part of a long one), only the visible pieces painted, spans drawn as
//! overlays so that annotating never lays text out again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::epaint::text::cursor::CCursor;
use egui::text::LayoutJob;
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, StrokeKind, TextFormat, Ui, pos2, vec2};

use super::command::{AnnotateCommand, Command, RelationCommand};
use super::theme::{self, label_color};
use crate::model::{CharSpan, Document, DocumentId, Entity, EntityId, Label, Relation, RelationId, Status};
use crate::spans::exact_span;
use crate::text::{CharIndex, Segmenter, paragraphs_with_empty};

mod labels;
mod pieces;

use labels::{Wanted, arc_route, distance_to_route, lane_y, place_labels, route_middle};
use pieces::{Layout, Words, char_at, piece_advance, piece_of, pieces_of, span_rects};

/// The text size of the document, in points.
const FONT_SIZE: f32 = 18.0;
/// Row height: the text in the middle, the gap above it for arcs and the room under it
/// for tags.
const LINE_HEIGHT: f32 = 50.0;
/// Between paragraphs: enough to tell a new paragraph from a wrapped line.
const PARAGRAPH_GAP: f32 = 14.0;
/// The room one or more empty lines between paragraphs take; none before the first text.
const EMPTY_LINE_GAP: f32 = 8.0;
/// A span's body, from the top of its row: the glyphs' ink and a little room around it.
const BODY_TOP: f32 = LINE_HEIGHT / 2.0 - 10.0;
const BODY_BOTTOM: f32 = LINE_HEIGHT / 2.0 + 12.0;
/// The gap above a row's text, where its arcs run and their types sit.
const ARC_GAP: f32 = BODY_TOP;
const TAG_FONT_SIZE: f32 = 11.5;
const ARC_FONT_SIZE: f32 = 11.5;
/// How near a click must be to an arc's line to select it.
const ARC_HIT_DISTANCE: f32 = 4.0;
/// How long the last frame's document view took.
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameTimes {
    /// Laying out paragraphs (only when the width changed or the document opened).
    pub layout: Duration,
    /// Building the shapes of the visible paragraphs.
    pub paint: Duration,
    pub n_paragraphs_painted: usize,
}

/// Where the view scrolls on its next frame: the one pending request, set by the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrollTarget {
    /// Into view, centred, unless it is wholly visible already.
    Span(CharSpan),
    Top,
    Bottom,
    /// A page down (`1`) or up (`-1`): the viewport's height less a line.
    Page(i8),
}

/// What the view shows besides the text, borrowed from the app for one frame.
pub struct ViewInput<'a> {
    pub entities: &'a [Entity],
    pub relations: &'a [Relation],
    pub labels: &'a [Label],
    pub selected: Option<EntityId>,
    pub selected_relation: Option<RelationId>,
    /// While a relation's tail is being picked: the candidate, and clicks pick tails.
    pub picking_tail: bool,
    pub tail_candidate: Option<EntityId>,
    pub current_label: &'a str,
}

/// One open document's view state.
pub struct DocView {
    pub document_id: DocumentId,
    text: String,
    index: CharIndex,
    /// Every line of the text, empty ones too, as char spans without the line break, long
    /// ones cut in pieces of at most [`pieces::PIECE_CHARS`]: one galley each.
    pieces: Vec<CharSpan>,
    words: Words,
    layout: Option<Layout>,
    /// Time spent laying pieces out in this frame.
    layout_time: Duration,
    /// The last frame's viewport (relative to the top of the document), the document's
    /// top-left and the visible rect, both on screen.
    viewport: Option<Rect>,
    origin: Pos2,
    visible: Rect,
    /// The height the last frame gave the scroll area's content.
    content_height: f32,
    drag_anchor: Option<usize>,
    drag_current: Option<usize>,
    context_entity: Option<EntityId>,
    /// Where to scroll on the next frame.
    scroll: Option<ScrollTarget>,
    /// Draw jieba word boundaries.
    pub show_tokens: bool,
    /// Spans to outline as find results.
    pub highlights: Vec<CharSpan>,
    pub last_frame: FrameTimes,
    /// Where the last frame painted each visible entity (its first rect), on screen.
    painted: Vec<(EntityId, Rect)>,
    /// The tags and arcs the last frame painted, on screen.
    painted_tags: Vec<PaintedTag>,
    painted_arcs: Vec<PaintedArc>,
    /// The page the galleys were laid out on: a theme switch rebuilds the font atlas, so
    /// the galleys are laid out again.
    laid_out_dark: Option<bool>,
}

/// A span's tag as painted: its rect and the band of the row it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaintedTag {
    pub entity: EntityId,
    pub rect: Rect,
    pub row: Rect,
}

/// A relation's arc as painted: the plate of its type and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct PaintedArc {
    pub relation: RelationId,
    pub label: Rect,
    pub route: Vec<Pos2>,
}

/// The arc under `pos`: the one whose type's plate holds it, else the nearest line within
/// [`ARC_HIT_DISTANCE`].
fn arc_at(arcs: &[PaintedArc], pos: Pos2) -> Option<&PaintedArc> {
    arcs.iter().find(|arc| arc.label.expand(1.0).contains(pos)).or_else(|| {
        arcs.iter()
            .map(|arc| (arc, distance_to_route(&arc.route, pos)))
            .filter(|(_, distance)| *distance <= ARC_HIT_DISTANCE)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(arc, _)| arc)
    })
}

/// A tag waiting for its place.
struct PendingTag {
    entity: EntityId,
    galley: Arc<Galley>,
    ink: Color32,
    border: Color32,
}

impl DocView {
    pub fn new(document: &Document, segmenter: &Segmenter) -> DocView {
        let text = document.text.clone();
        let index = CharIndex::new(&text);
        let chars: Vec<char> = text.chars().collect();
        let pieces: Vec<CharSpan> = paragraphs_with_empty(&text)
            .into_iter()
            .flat_map(|paragraph| pieces_of(&chars, paragraph))
            .collect();
        let words = Words {
            segmenter: segmenter.clone(),
            per_piece: vec![None; pieces.len()],
        };
        DocView {
            document_id: document.id,
            pieces,
            index,
            text,
            words,
            layout: None,
            layout_time: Duration::ZERO,
            viewport: None,
            origin: Pos2::ZERO,
            visible: Rect::NOTHING,
            content_height: 0.0,
            drag_anchor: None,
            drag_current: None,
            context_entity: None,
            scroll: None,
            show_tokens: false,
            highlights: Vec::new(),
            last_frame: FrameTimes::default(),
            painted: Vec::new(),
            painted_tags: Vec::new(),
            painted_arcs: Vec::new(),
            laid_out_dark: None,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn n_chars(&self) -> usize {
        self.index.n_chars()
    }

    /// The text of a char span.
    pub fn slice(&self, span: CharSpan) -> &str {
        self.index
            .byte_range(span.char_start..span.char_end)
            .and_then(|bytes| self.text.get(bytes))
            .unwrap_or("")
    }

    /// Scrolls to `target` on the next frame, replacing a request not yet served.
    pub fn scroll_to(&mut self, target: ScrollTarget) {
        self.scroll = Some(target);
    }

    /// Scrolls to entity `id`, if it is one of `entities`.
    pub fn scroll_to_entity(&mut self, entities: &[Entity], id: Option<EntityId>) {
        if let Some(entity) = id.and_then(|id| entities.iter().find(|e| e.id == id)) {
            self.scroll = Some(ScrollTarget::Span(entity.span()));
        }
    }

    /// The request not yet served.
    pub fn pending_scroll(&self) -> Option<ScrollTarget> {
        self.scroll
    }

    /// A fresh layout, every piece estimated, when the width changed or there was none.
    fn ensure_layout(&mut self, width: f32) {
        if !self.layout.as_ref().is_some_and(|l| (l.width - width).abs() < 0.5) {
            self.layout = Some(Layout::estimated(&self.pieces, width));
        }
    }

    /// Lays out every piece not laid out yet whose top lies in `from..to`, until no estimate
    /// is left there (real heights pull more pieces in). Returns how far the piece at
    /// `anchor` moved down.
    fn lay_out_range(&mut self, ui: &Ui, from: f32, to: f32, anchor: usize) -> f32 {
        let started = Instant::now();
        let Some(layout) = &mut self.layout else { return 0.0 };
        let anchor_top = layout.tops.get(anchor).copied().unwrap_or(0.0);
        let format = TextFormat {
            font_id: FontId::proportional(FONT_SIZE),
            line_height: Some(LINE_HEIGHT),
            color: ui.visuals().text_color(),
            ..Default::default()
        };
        loop {
            let first = layout.piece_at(from);
            let todo: Vec<usize> = (first..self.pieces.len())
                .take_while(|i| layout.tops[*i] < to)
                .filter(|i| layout.galleys[*i].is_none())
                .collect();
            if todo.is_empty() {
                break;
            }
            for i in todo {
                let piece = self.pieces[i];
                let slice = self
                    .index
                    .byte_range(piece.char_start..piece.char_end)
                    .and_then(|bytes| self.text.get(bytes))
                    .unwrap_or("");
                let mut job = LayoutJob::single_section(slice.to_owned(), format.clone());
                job.wrap.max_width = layout.width;
                let galley = ui.painter().layout_job(job);
                layout.extents[i] = piece_advance(&self.pieces, i, galley.size().y);
                layout.galleys[i] = Some(galley);
            }
            layout.retop();
        }
        self.layout_time += started.elapsed();
        layout.tops.get(anchor).copied().unwrap_or(0.0) - anchor_top
    }

    /// The rect of `span` relative to the top-left of the document, laying its piece out.
    fn layout_rect_of(&mut self, ui: &Ui, span: CharSpan) -> Option<Rect> {
        let i = piece_of(&self.pieces, span.char_start);
        let top = self.layout.as_ref()?.tops[i];
        self.lay_out_range(ui, top, top + 1.0, i);
        let layout = self.layout.as_ref()?;
        layout.galleys[i].as_ref()?;
        Some(
            layout
                .first_rect(&self.pieces, i, span)
                .unwrap_or_else(|| Rect::from_min_size(pos2(0.0, layout.tops[i]), vec2(layout.width, LINE_HEIGHT))),
        )
    }

    /// Before the scroll area: serves the scroll request and lays out the pieces around the
    /// viewport, keeping what is on screen in place when pieces above it get their real
    /// height. Returns the scroll offset to set, if it changes.
    fn prepare_scroll(&mut self, ui: &Ui) -> Option<f32> {
        let viewport = self.viewport?;
        self.layout.as_ref()?;
        let page = viewport.height();
        let mut offset = viewport.min.y;
        let target = self.scroll.take();
        match target {
            None => {}
            Some(ScrollTarget::Top) => offset = 0.0,
            Some(ScrollTarget::Bottom) => {
                let height = self.layout.as_ref()?.height;
                let last = self.pieces.len().saturating_sub(1);
                self.lay_out_range(ui, height - 2.0 * page, f32::INFINITY, last);
                offset = self.layout.as_ref()?.height - page;
            }
            Some(ScrollTarget::Page(direction)) => {
                offset += f32::from(direction) * (page - LINE_HEIGHT).max(LINE_HEIGHT)
            }
            Some(ScrollTarget::Span(span)) => {
                let rect = self.layout_rect_of(ui, span)?;
                // The neighbourhood first, so the rect is where it will be drawn.
                let i = piece_of(&self.pieces, span.char_start);
                let shift = self.lay_out_range(ui, rect.center().y - page, rect.center().y + page, i);
                let rect = rect.translate(vec2(0.0, shift));
                let shown = viewport.min.y <= rect.min.y && rect.max.y <= viewport.max.y;
                if !shown {
                    offset = rect.center().y - page / 2.0;
                }
            }
        }
        let layout = self.layout.as_ref()?;
        offset = offset.clamp(0.0, (layout.height - page).max(0.0));
        let anchor = layout.piece_at(offset);
        offset += self.lay_out_range(ui, offset - page, offset + 2.0 * page, anchor);
        let layout = self.layout.as_ref()?;
        offset = offset.clamp(0.0, (layout.height - page).max(0.0));
        // The scroll area bounds the offset by last frame's content: beyond it, it would
        // spring back over many frames. A target there is served again on the next frame.
        let last_max = (self.content_height - page).max(0.0);
        if offset > last_max + 0.5 {
            offset = last_max;
            if matches!(target, Some(ScrollTarget::Span(_) | ScrollTarget::Bottom)) {
                self.scroll = target;
            }
        }
        (target.is_some() || (offset - viewport.min.y).abs() > 0.5).then_some(offset)
    }

    /// Draws the document and turns pointer input into commands.
    pub fn ui(&mut self, ui: &mut Ui, input: &ViewInput<'_>, commands: &mut Vec<Command>) {
        let ViewInput {
            entities,
            labels,
            selected,
            current_label,
            ..
        } = *input;
        self.layout_time = Duration::ZERO;
        let mut area = egui::ScrollArea::vertical();
        if let Some(offset) = self.prepare_scroll(ui) {
            area = area.vertical_scroll_offset(offset);
        }
        if self.scroll.is_some() {
            // Served once the view has a layout and a viewport.
            ui.ctx().request_repaint();
        }
        area.id_salt(("document", self.document_id.0))
            .auto_shrink([false, false])
            .show_viewport(ui, |ui, viewport| {
                let width = (ui.available_width() - 16.0).max(120.0);
                let dark = ui.visuals().dark_mode;
                if self.laid_out_dark.replace(dark).is_some_and(|was| was != dark) {
                    // A theme switch rebuilds the font atlas: galleys laid out before are stale.
                    self.layout = None;
                }
                self.ensure_layout(width);
                let first_visible = self.layout.as_ref().map_or(0, |l| l.piece_at(viewport.min.y));
                self.lay_out_range(ui, viewport.min.y, viewport.max.y, first_visible);
                let layout_time = self.layout_time;
                let paint_started = Instant::now();
                let Some(layout) = &self.layout else {
                    return;
                };
                let (rect, response) = ui.allocate_exact_size(vec2(width, layout.height), Sense::click_and_drag());
                let origin = rect.min;
                self.viewport = Some(viewport);
                self.origin = origin;
                self.content_height = layout.height;
                self.visible = ui.clip_rect().intersect(rect);

                // Pointer → char offsets.
                let pieces = &self.pieces;
                let char_at = |pos: Pos2| -> Option<usize> { char_at(layout, pieces, pos - origin) };
                if response.drag_started() {
                    // Where the button went down, not where the drag was recognised, so a
                    // quick drag starts on the character pressed.
                    let pressed = ui.input(|i| i.pointer.press_origin());
                    self.drag_anchor = pressed.or(response.interact_pointer_pos()).and_then(char_at);
                }
                if response.dragged() {
                    self.drag_current = response.interact_pointer_pos().and_then(char_at);
                }
                let (alt, shift) = ui.input(|i| (i.modifiers.alt, i.modifiers.shift));
                let entity_at = |at: usize| -> Option<&Entity> {
                    entities
                        .iter()
                        .find(|e| e.status.is_live() && e.char_start <= at && at < e.char_end)
                };
                if response.drag_stopped() {
                    if let (Some(a), Some(b)) = (self.drag_anchor, self.drag_current) {
                        match (entity_at(a), entity_at(b)) {
                            // Shift+drag from one span to another: a relation between them.
                            // A plain drag always makes a span, across spans too.
                            (Some(head), Some(tail)) if shift && head.id != tail.id => {
                                commands.push(
                                    RelationCommand::ProposeRelation {
                                        head: head.id,
                                        tail: tail.id,
                                    }
                                    .into(),
                                );
                            }
                            _ => {
                                let span = if alt {
                                    exact_span(a, b)
                                } else {
                                    self.words.snap(&self.text, &self.index, pieces, a, b)
                                };
                                if !self.slice(span).trim().is_empty() {
                                    commands.push(
                                        AnnotateCommand::AddSpan {
                                            char_start: span.char_start,
                                            char_end: span.char_end,
                                            label: current_label.to_owned(),
                                        }
                                        .into(),
                                    );
                                }
                            }
                        }
                    }
                    self.drag_anchor = None;
                    self.drag_current = None;
                }
                let hit = |pos: Option<Pos2>| -> Option<&Entity> { entity_at(pos.and_then(char_at)?) };
                if response.clicked() {
                    let pos = response.interact_pointer_pos();
                    // An arc lies over the text: a click on it selects its relation.
                    let arc = pos
                        .filter(|_| !input.picking_tail)
                        .and_then(|pos| arc_at(&self.painted_arcs, pos));
                    if let Some(arc) = arc {
                        commands.push(RelationCommand::SelectRelation(Some(arc.relation)).into());
                    } else {
                        let clicked = hit(pos).map(|e| e.id);
                        commands.push(if input.picking_tail {
                            RelationCommand::ConfirmTail(clicked).into()
                        } else {
                            AnnotateCommand::Select(clicked).into()
                        });
                    }
                }
                if response.secondary_clicked() {
                    self.context_entity = hit(response.interact_pointer_pos()).map(|e| e.id);
                    if let Some(id) = self.context_entity {
                        commands.push(AnnotateCommand::Select(Some(id)).into());
                    }
                }

                // Paint the visible paragraphs only.
                let first = layout
                    .tops
                    .partition_point(|top| *top <= viewport.min.y)
                    .saturating_sub(1);
                let mut n_painted = 0;
                let mut painted_rects: Vec<(EntityId, Rect)> = Vec::new();
                let mut pending_tags: Vec<(PendingTag, Wanted)> = Vec::new();
                let painter = ui.painter_at(rect.expand(4.0));
                let inks = theme::palette(ui.visuals().dark_mode);
                let drag_span = match (self.drag_anchor, self.drag_current) {
                    (Some(a), Some(b)) if !shift => Some(if alt {
                        exact_span(a, b)
                    } else {
                        self.words.snap(&self.text, &self.index, pieces, a, b)
                    }),
                    _ => None,
                };
                for (i, paragraph) in self.pieces.iter().enumerate().skip(first) {
                    let top = layout.tops[i];
                    if top > viewport.max.y {
                        break;
                    }
                    n_painted += 1;
                    let Some(galley) = &layout.galleys[i] else { continue };
                    let galley_origin = origin + vec2(0.0, top);
                    let first_entity = entities.partition_point(|e| e.char_end <= paragraph.char_start);
                    for entity in entities[first_entity..]
                        .iter()
                        .take_while(|e| e.char_start < paragraph.char_end)
                        .filter(|e| e.status.is_live() && e.char_end > paragraph.char_start)
                    {
                        let color = label_color(labels, &entity.label);
                        let is_selected = Some(entity.id) == selected;
                        // A suggestion its tagger is unsure of: fainter, with its confidence.
                        let unsure = entity
                            .confidence
                            .filter(|c| entity.status == Status::Suggested && *c < theme::LOW_CONFIDENCE);
                        let rows: Vec<Rect> = span_rects(galley, *paragraph, entity.span())
                            .into_iter()
                            .map(|r| r.translate(galley_origin.to_vec2()))
                            .collect();
                        if let Some(first_rect) = rows.first() {
                            painted_rects.push((entity.id, *first_rect));
                        }
                        let relation_end = input.selected_relation.is_some_and(|id| {
                            input
                                .relations
                                .iter()
                                .any(|r| r.id == id && (r.head == entity.id || r.tail == entity.id))
                        });
                        let (fill, outline) =
                            theme::span_body(color, entity.status == Status::Accepted, unsure.is_some(), inks.dark);
                        for row in &rows {
                            let body = span_body(*row);
                            painter.rect_filled(body, 3.0, fill);
                            if let Some(outline) = outline {
                                let width = if unsure.is_some() { 1.0 } else { 1.5 };
                                painter.rect_stroke(body, 3.0, Stroke::new(width, outline), StrokeKind::Inside);
                            }
                            // Frames stay in the span's own room: their sides on its own
                            // glyphs' edges, their top and bottom in the gaps of the row.
                            if input.tail_candidate == Some(entity.id) || relation_end {
                                let frame = body.expand2(vec2(0.0, 3.0));
                                painter.rect_stroke(
                                    frame,
                                    4.0,
                                    Stroke::new(2.0, inks.relation_end),
                                    StrokeKind::Inside,
                                );
                            } else if is_selected && input.selected_relation.is_none() {
                                // One focus frame: a selected relation shows by its ends instead.
                                let frame = body.expand2(vec2(0.0, 2.0));
                                painter.rect_stroke(frame, 4.0, Stroke::new(1.5, inks.focus), StrokeKind::Inside);
                                let bar = Rect::from_min_max(pos2(frame.min.x, frame.max.y - 3.0), frame.max);
                                painter.rect_filled(bar, 1.5, inks.focus);
                            }
                        }
                        // The tag once, under the span's last row, from its left edge.
                        if let Some(last) = rows.last().filter(|_| entity.char_end <= paragraph.char_end) {
                            let tag = if let Some(confidence) = unsure {
                                format!("{}? {:.0}%", entity.label, confidence * 100.0)
                            } else if entity.status == Status::Suggested {
                                format!("{}?", entity.label)
                            } else {
                                entity.label.clone()
                            };
                            let ink = theme::tag_ink(color, inks.dark);
                            let galley = painter.layout_no_wrap(tag, FontId::proportional(TAG_FONT_SIZE), ink);
                            let size = galley.size() + vec2(6.0, 0.0);
                            pending_tags.push((
                                PendingTag {
                                    entity: entity.id,
                                    galley,
                                    ink,
                                    border: color,
                                },
                                Wanted {
                                    band: *last,
                                    x: last.min.x,
                                    size,
                                },
                            ));
                        }
                    }
                    for span in self.highlights.iter().filter(|h| h.overlaps(*paragraph)) {
                        for r in span_rects(galley, *paragraph, *span) {
                            let r = span_body(r.translate(galley_origin.to_vec2())).expand2(vec2(0.0, 1.0));
                            painter.rect_stroke(r, 2.0, Stroke::new(2.0, inks.highlight), StrokeKind::Inside);
                        }
                    }
                    if let Some(span) = drag_span.filter(|s| s.overlaps(*paragraph)) {
                        for r in span_rects(galley, *paragraph, span) {
                            let r = span_body(r.translate(galley_origin.to_vec2()));
                            painter.rect_filled(r, 2.0, ui.visuals().selection.bg_fill.gamma_multiply(0.6));
                        }
                    }
                    painter.galley_with_override_text_color(galley_origin, galley.clone(), inks.text);
                    if self.show_tokens {
                        for boundary in self.words.of_piece(&self.text, &self.index, pieces, i) {
                            let local = boundary - paragraph.char_start;
                            let r = galley
                                .pos_from_cursor(CCursor::new(local))
                                .translate(galley_origin.to_vec2());
                            let body = span_body(r);
                            painter.line_segment(
                                [pos2(r.min.x, body.min.y + 2.0), pos2(r.min.x, body.max.y - 2.0)],
                                Stroke::new(1.0, inks.word_boundary),
                            );
                        }
                    }
                }
                // Tags after all text, each where no other tag is.
                let (view_left, view_right) = (rect.min.x, rect.min.x + width);
                let wanted: Vec<Wanted> = pending_tags.iter().map(|(_, w)| *w).collect();
                let placed = place_labels(&wanted, view_left, view_right, true);
                let mut painted_tags = Vec::with_capacity(placed.len());
                for ((tag, wanted), tag_rect) in pending_tags.into_iter().zip(placed) {
                    painter.rect_filled(tag_rect, 3.0, inks.plate);
                    painter.rect_stroke(
                        tag_rect,
                        3.0,
                        Stroke::new(1.0, tag.border.gamma_multiply(0.8)),
                        StrokeKind::Inside,
                    );
                    painter.galley(tag_rect.min + vec2(3.0, 0.0), tag.galley, tag.ink);
                    painted_tags.push(PaintedTag {
                        entity: tag.entity,
                        rect: tag_rect,
                        row: wanted.band,
                    });
                }
                // Arcs only for the selected span's relations, so long documents stay readable.
                let shown: Vec<&Relation> = input
                    .relations
                    .iter()
                    .filter(|r| {
                        r.status.is_live()
                            && (Some(r.id) == input.selected_relation
                                || Some(r.head) == selected
                                || Some(r.tail) == selected)
                    })
                    .collect();
                let find = |id: EntityId| painted_rects.iter().find(|(e, _)| *e == id).map(|(_, r)| *r);
                let mut arcs: Vec<(&Relation, Rect, Rect)> = shown
                    .into_iter()
                    .filter_map(|r| Some((r, find(r.head)?, find(r.tail)?)))
                    .collect();
                // Short arcs nearest the text, longer ones above them.
                arcs.sort_by(|a, b| {
                    let reach = |(_, h, t): &(&Relation, Rect, Rect)| {
                        ((h.center().x - t.center().x).abs(), (h.min.y - t.min.y).abs())
                    };
                    reach(a).partial_cmp(&reach(b)).unwrap_or(std::cmp::Ordering::Equal)
                });
                let mut lanes_used: Vec<(f32, usize)> = Vec::new();
                let mut routed = Vec::with_capacity(arcs.len());
                for (relation, head, tail) in arcs {
                    // The gap the arc runs in: above its row, or above the lower of two rows.
                    let gap_top = head.min.y.max(tail.min.y);
                    let lane = match lanes_used.iter_mut().find(|(top, _)| (*top - gap_top).abs() < 0.5) {
                        Some((_, n)) => {
                            *n += 1;
                            *n - 1
                        }
                        None => {
                            lanes_used.push((gap_top, 1));
                            0
                        }
                    };
                    let (route, down) = arc_route(
                        span_body(head),
                        span_body(tail),
                        lane_y(gap_top, gap_top + ARC_GAP, lane),
                        // Inside the painter's clip, which reaches 4 pt past the text.
                        view_right + 3.0,
                        LINE_HEIGHT,
                    );
                    // Round by the margin, the label sits in the upper row's gap.
                    let label_gap_top = if route.len() == 6 {
                        head.min.y.min(tail.min.y)
                    } else {
                        gap_top
                    };
                    let strong = Some(relation.id) == input.selected_relation;
                    let suggested = relation.status == Status::Suggested;
                    let color = if suggested {
                        inks.arc_suggested
                    } else {
                        inks.arc_accepted
                    };
                    let galley =
                        painter.layout_no_wrap(relation.kind.clone(), FontId::proportional(ARC_FONT_SIZE), color);
                    let size = galley.size() + vec2(6.0, 0.0);
                    let middle = route_middle(&route);
                    let band = Rect::from_min_max(
                        pos2(view_left, label_gap_top + ARC_GAP - size.y),
                        pos2(view_right, label_gap_top + ARC_GAP),
                    );
                    let wanted = Wanted {
                        band,
                        x: middle.x - size.x / 2.0,
                        size,
                    };
                    routed.push((relation.id, route, down, strong, color, galley, wanted));
                }
                let wanted: Vec<Wanted> = routed.iter().map(|arc| arc.6).collect();
                let plates = place_labels(&wanted, view_left, view_right, false);
                let mut painted_arcs = Vec::with_capacity(plates.len());
                for ((relation, route, down, strong, color, galley, _), plate) in routed.into_iter().zip(plates) {
                    draw_arc(&painter, &route, down, strong, color);
                    painter.rect_filled(plate, 3.0, inks.plate);
                    painter.rect_stroke(
                        plate,
                        3.0,
                        Stroke::new(if strong { 1.5 } else { 1.0 }, color),
                        StrokeKind::Inside,
                    );
                    painter.galley(plate.min + vec2(3.0, 0.0), galley, color);
                    painted_arcs.push(PaintedArc {
                        relation,
                        label: plate,
                        route,
                    });
                }
                self.painted_tags = painted_tags;
                self.painted_arcs = painted_arcs;
                self.visible = ui.clip_rect();
                self.last_frame = FrameTimes {
                    layout: layout_time,
                    paint: paint_started.elapsed(),
                    n_paragraphs_painted: n_painted,
                };
                self.painted = painted_rects;
                let _ = response;
            });
    }

    /// Where the last frame painted `entity` (the rect of its first line), if it was visible.
    pub fn painted_rect(&self, entity: EntityId) -> Option<Rect> {
        self.painted.iter().find(|(id, _)| *id == entity).map(|(_, rect)| *rect)
    }

    /// The tags the last frame painted, on screen.
    pub fn painted_tags(&self) -> &[PaintedTag] {
        &self.painted_tags
    }

    /// The arcs the last frame painted, on screen, with the plates of their types.
    pub fn painted_arcs(&self) -> &[PaintedArc] {
        &self.painted_arcs
    }

    /// The entity the context menu was opened on.
    pub fn take_context_entity(&mut self) -> Option<EntityId> {
        self.context_entity.take()
    }

    /// The document's visible rect in the last frame, on screen.
    pub fn visible_rect(&self) -> Rect {
        self.visible
    }

    /// Where `span` starts (the rect of its first line) on screen in the last frame's
    /// geometry, if its piece is laid out.
    pub fn rect_of_span(&self, span: CharSpan) -> Option<Rect> {
        let layout = self.layout.as_ref()?;
        let i = piece_of(&self.pieces, span.char_start);
        Some(
            layout
                .first_rect(&self.pieces, i, span)?
                .translate(self.origin.to_vec2()),
        )
    }

    /// Forgets the layout, so the next frame lays every paragraph out again.
    pub fn invalidate_layout(&mut self) {
        self.layout = None;
    }
}

/// A relation's line along its route, with an arrow head into the tail.
fn draw_arc(painter: &egui::Painter, route: &[Pos2], down: bool, strong: bool, color: Color32) {
    let width = if strong { 2.5 } else { 1.5 };
    painter.add(egui::Shape::line(route.to_vec(), Stroke::new(width, color)));
    let Some(end) = route.last().copied() else { return };
    let back = if down { -7.0 } else { 7.0 };
    painter.add(egui::Shape::convex_polygon(
        vec![end, end + vec2(-4.0, back), end + vec2(4.0, back)],
        color,
        Stroke::NONE,
    ));
}

/// The body of a span within the band of its row: the glyphs and a little room, clear of
/// the gap above (arcs) and the room below (tags).
fn span_body(row: Rect) -> Rect {
    Rect::from_min_max(
        pos2(row.min.x, row.min.y + BODY_TOP),
        pos2(row.max.x, row.min.y + BODY_BOTTOM),
    )
}
