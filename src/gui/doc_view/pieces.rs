//! The pieces of the text and their geometry: where a paragraph is cut, how tall each
//! piece is (laid out or estimated), the char under a point, a span's rects, and jieba's
//! word boundaries per piece.

use std::sync::Arc;

use egui::{Galley, Rect, Vec2, pos2, vec2};

use super::{EMPTY_LINE_GAP, FONT_SIZE, LINE_HEIGHT, PARAGRAPH_GAP};
use crate::model::CharSpan;
use crate::spans::{snap_to_words, word_boundaries};
use crate::text::{CharIndex, Segmenter};

/// The most characters one galley holds: a longer paragraph is laid out in pieces, so a
/// frame lays out, walks and paints only rows near the viewport.
pub(super) const PIECE_CHARS: usize = 2000;
/// A piece ends after a sentence end within this many characters before its limit, so the
/// break between two pieces of one paragraph falls where a line may end anyway.
pub(super) const PIECE_SEARCH_CHARS: usize = 400;

/// The pieces' geometry. A piece is laid out when it comes near the viewport or a scroll
/// target needs it; until then its height is estimated from its length and the width.
pub(super) struct Layout {
    pub(super) width: f32,
    pub(super) galleys: Vec<Option<Arc<Galley>>>,
    /// The height of each piece with the gap after it, real or estimated.
    pub(super) extents: Vec<f32>,
    /// The top of each piece, relative to the top of the document.
    pub(super) tops: Vec<f32>,
    pub(super) height: f32,
}

impl Layout {
    pub(super) fn estimated(pieces: &[CharSpan], width: f32) -> Layout {
        let chars_per_row = (width / FONT_SIZE).floor().max(1.0);
        let extents = (0..pieces.len())
            .map(|i| {
                let n_rows = (pieces[i].n_chars() as f32 / chars_per_row).ceil();
                piece_advance(pieces, i, n_rows * LINE_HEIGHT)
            })
            .collect();
        let mut layout = Layout {
            width,
            galleys: vec![None; pieces.len()],
            extents,
            tops: Vec::new(),
            height: 0.0,
        };
        layout.retop();
        layout
    }

    pub(super) fn retop(&mut self) {
        self.tops.clear();
        let mut y = 0.0;
        for extent in &self.extents {
            self.tops.push(y);
            y += extent;
        }
        self.height = y;
    }

    /// The piece at height `y` of the document.
    pub(super) fn piece_at(&self, y: f32) -> usize {
        self.tops.partition_point(|top| *top <= y).saturating_sub(1)
    }

    /// The rect of `span`'s first row relative to the top-left of the document, if piece
    /// `i` (the span's) is laid out and the span has a row there.
    pub(super) fn first_rect(&self, pieces: &[CharSpan], i: usize, span: CharSpan) -> Option<Rect> {
        let galley = self.galleys.get(i)?.as_ref()?;
        let rect = span_rects(galley, pieces[i], span).first().copied()?;
        Some(rect.translate(vec2(0.0, self.tops[i])))
    }
}

/// The piece holding char `at` (the last one for the end of the text).
pub(super) fn piece_of(pieces: &[CharSpan], at: usize) -> usize {
    pieces
        .partition_point(|p| p.char_end <= at)
        .min(pieces.len().saturating_sub(1))
}

/// jieba word boundaries, found per piece when first needed (a drag, the token view).
pub(super) struct Words {
    pub(super) segmenter: Segmenter,
    pub(super) per_piece: Vec<Option<Vec<usize>>>,
}

impl Words {
    /// The boundaries inside piece `i`, its ends included, as document offsets.
    pub(super) fn of_piece(&mut self, text: &str, index: &CharIndex, pieces: &[CharSpan], i: usize) -> &[usize] {
        self.per_piece[i].get_or_insert_with(|| {
            let piece = pieces[i];
            let slice = index
                .byte_range(piece.char_start..piece.char_end)
                .and_then(|bytes| text.get(bytes))
                .unwrap_or("");
            word_boundaries(&self.segmenter.tokens(slice), piece.n_chars())
                .into_iter()
                .map(|b| b + piece.char_start)
                .collect()
        })
    }

    /// [`snap_to_words`] with the boundaries of the pieces the drag starts and ends in.
    pub(super) fn snap(&mut self, text: &str, index: &CharIndex, pieces: &[CharSpan], a: usize, b: usize) -> CharSpan {
        let (first, last) = (piece_of(pieces, a.min(b)), piece_of(pieces, a.max(b)));
        let mut boundaries = self.of_piece(text, index, pieces, first).to_vec();
        if last != first {
            boundaries.extend_from_slice(self.of_piece(text, index, pieces, last));
        }
        snap_to_words(&boundaries, a, b)
    }
}

/// The document char under a point relative to the top-left of the document.
pub(super) fn char_at(layout: &Layout, pieces: &[CharSpan], local: Vec2) -> Option<usize> {
    let i = layout.tops.partition_point(|top| *top <= local.y).checked_sub(1)?;
    let paragraph = pieces.get(i)?;
    if paragraph.is_empty() {
        return None;
    }
    let galley = layout.galleys.get(i)?.as_ref()?;
    let in_galley = local - vec2(0.0, layout.tops[i]);
    let cursor = galley.cursor_from_pos(in_galley);
    let mut at = cursor.index.0;
    let caret = galley.pos_from_cursor(cursor);
    if in_galley.x < caret.min.x && at > 0 {
        at -= 1;
    }
    Some(paragraph.char_start + at.min(paragraph.n_chars() - 1))
}

/// How far below piece `i`'s top the next piece starts: its height and the paragraph gap,
/// nothing for the pieces after it in one paragraph; an empty line takes [`EMPTY_LINE_GAP`]
/// after text, and nothing after another empty line or before any text.
pub(super) fn piece_advance(pieces: &[CharSpan], i: usize, height: f32) -> f32 {
    let piece = pieces[i];
    if piece.is_empty() {
        let after_text = i > 0 && !pieces[i - 1].is_empty();
        return if after_text { EMPTY_LINE_GAP } else { 0.0 };
    }
    let continues = pieces.get(i + 1).is_some_and(|next| next.char_start == piece.char_end);
    height + if continues { 0.0 } else { PARAGRAPH_GAP }
}

/// `paragraph` cut in pieces of at most [`PIECE_CHARS`], each after a sentence end when
/// there is one near its limit.
pub(super) fn pieces_of(chars: &[char], paragraph: CharSpan) -> Vec<CharSpan> {
    let mut pieces = Vec::with_capacity(paragraph.n_chars() / PIECE_CHARS + 1);
    let mut start = paragraph.char_start;
    while paragraph.char_end - start > PIECE_CHARS {
        let limit = start + PIECE_CHARS;
        let end = (limit - PIECE_SEARCH_CHARS..limit)
            .rev()
            .find(|at| matches!(chars[*at - 1], '。' | '！' | '？' | '；' | '.' | '!' | '?' | ';'))
            .unwrap_or(limit);
        pieces.push(CharSpan::new(start, end));
        start = end;
    }
    pieces.push(CharSpan::new(start, paragraph.char_end));
    pieces
}

/// The screen rectangles (relative to the galley) of `span` within `paragraph`, one per row.
pub(super) fn span_rects(galley: &Galley, paragraph: CharSpan, span: CharSpan) -> Vec<Rect> {
    let a = span.char_start.max(paragraph.char_start) - paragraph.char_start;
    let b = span
        .char_end
        .min(paragraph.char_end)
        .saturating_sub(paragraph.char_start);
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let n = row.char_count_excluding_newline().0;
        let row_end = row_start + n;
        let (s, e) = (a.max(row_start), b.min(row_end));
        if s < e {
            let x0 = row.pos.x + row.x_offset((s - row_start).into());
            let x1 = row.pos.x + row.x_offset((e - row_start).into());
            rects.push(Rect::from_min_max(pos2(x0, row.min_y()), pos2(x1, row.max_y())));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
    }
    rects
}
