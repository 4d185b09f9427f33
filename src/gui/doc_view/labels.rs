//! Where the small labels of the document view go: span tags in the room under their row
//! (or above it when the row is full) and relation types on their arcs, shifted right so
//! that no two overlap; and the route of an arc through the gap between rows. Pure
//! geometry, in screen points.

use egui::{Pos2, Rect, Vec2, pos2};

/// The room left between two labels side by side.
pub const LABEL_GAP: f32 = 3.0;

/// A label to place: the band of the row it belongs to (only its vertical extent matters,
/// and labels of one band compete for room), where it would like its left edge, and its
/// size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wanted {
    pub band: Rect,
    pub x: f32,
    pub size: Vec2,
}

/// The rects of `wanted`, in its order. Each label sits at the bottom of its band, from its
/// wanted `x` or right of the label before it; one that would pass `right` goes (with
/// `two_slots`) to the top of the band the same way, else to the slot with more room, whose
/// labels then move left as far as needed. Labels stay within `left..right` and their band;
/// only a row with more labels than both slots hold has overlapping ones. O(n log n) in the
/// labels.
pub fn place_labels(wanted: &[Wanted], left: f32, right: f32, two_slots: bool) -> Vec<Rect> {
    let mut order: Vec<usize> = (0..wanted.len()).collect();
    order.sort_by(|a, b| {
        let (wa, wb) = (&wanted[*a], &wanted[*b]);
        (wa.band.min.y, wa.band.max.y, wa.x)
            .partial_cmp(&(wb.band.min.y, wb.band.max.y, wb.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let n_slots = if two_slots { 2 } else { 1 };
    let mut placed = vec![Rect::NOTHING; wanted.len()];
    let same_band = |a: usize, b: usize| {
        wanted[a].band.min.y == wanted[b].band.min.y && wanted[a].band.max.y == wanted[b].band.max.y
    };
    let mut from = 0;
    while from < order.len() {
        let to = (from..order.len())
            .find(|k| !same_band(order[from], order[*k]))
            .unwrap_or(order.len());
        // Which slot each label of this band goes to, left to right.
        let mut slots: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut cursor = [left; 2];
        let mut used = [0.0f32; 2];
        for &i in &order[from..to] {
            let w = &wanted[i];
            let x_in = |slot: usize| w.x.max(left).max(cursor[slot]);
            let slot = (0..n_slots)
                .find(|slot| x_in(*slot) + w.size.x <= right + 0.01)
                .unwrap_or_else(|| (0..n_slots).min_by(|a, b| used[*a].total_cmp(&used[*b])).unwrap_or(0));
            cursor[slot] = x_in(slot) + w.size.x + LABEL_GAP;
            used[slot] += w.size.x + LABEL_GAP;
            slots[slot].push(i);
        }
        for (slot, members) in slots.iter().enumerate() {
            // Left to right from the wanted places, then back from the right edge.
            let mut xs: Vec<f32> = Vec::with_capacity(members.len());
            let mut next = left;
            for &i in members {
                let x = wanted[i].x.max(next);
                xs.push(x);
                next = x + wanted[i].size.x + LABEL_GAP;
            }
            let mut limit = right;
            for (k, &i) in members.iter().enumerate().rev() {
                xs[k] = xs[k].min(limit - wanted[i].size.x).max(left);
                limit = xs[k] - LABEL_GAP;
            }
            for (k, &i) in members.iter().enumerate() {
                let w = &wanted[i];
                let y = if slot == 0 {
                    w.band.max.y - w.size.y
                } else {
                    w.band.min.y
                };
                placed[i] = Rect::from_min_size(pos2(xs[k], y), w.size);
            }
        }
        from = to;
    }
    placed
}

/// The route of a relation's arc from the head's body to the tail's, through the gap of
/// `lane_y` (a height within the gap between rows). Ends on one row: a curve over the
/// text, its top at `lane_y`. Ends on different rows: up from the lower end to `lane_y`
/// (in the gap above the lower row, under the upper one), along it, and up into the upper
/// end's bottom. Ends more than `row_height` apart (rows between them): up into the gap
/// above the lower row, along it to `margin_x` (right of the text), up the margin to the
/// same height in the gap above the upper row, along that, and down into the upper end, so
/// the rows between are never crossed. Returns the points of the line and whether the
/// arrow at the tail points down.
pub fn arc_route(head: Rect, tail: Rect, lane_y: f32, margin_x: f32, row_height: f32) -> (Vec<Pos2>, bool) {
    let same_row = (head.center().y - tail.center().y).abs() < head.height() * 0.5;
    if same_row {
        let start = pos2(head.center().x, head.min.y);
        let end = pos2(tail.center().x, tail.min.y);
        // A cubic's middle is at 3/4 of its control points' offset.
        let control_y = start.y + (lane_y - start.y) / 0.75;
        let points = (0..=16)
            .map(|i| {
                let t = i as f32 / 16.0;
                let u = 1.0 - t;
                let x = u * u * u * start.x + 3.0 * u * u * t * start.x + 3.0 * u * t * t * end.x + t * t * t * end.x;
                let y = u * u * u * start.y + 3.0 * u * t * (u + t) * control_y + t * t * t * end.y;
                pos2(x, y)
            })
            .collect();
        return (points, true);
    }
    let head_is_upper = head.center().y < tail.center().y;
    let (upper, lower) = if head_is_upper { (head, tail) } else { (tail, head) };
    let lower_end = pos2(lower.center().x, lower.min.y);
    if lower.min.y - upper.max.y > row_height * 1.2 {
        let upper_lane = upper.min.y - (lower.min.y - lane_y);
        let mut points = vec![
            lower_end,
            pos2(lower_end.x, lane_y),
            pos2(margin_x, lane_y),
            pos2(margin_x, upper_lane),
            pos2(upper.center().x, upper_lane),
            pos2(upper.center().x, upper.min.y),
        ];
        if head_is_upper {
            points.reverse();
        }
        return (points, true);
    }
    let upper_end = pos2(upper.center().x, upper.max.y);
    let mut points = vec![
        lower_end,
        pos2(lower_end.x, lane_y),
        pos2(upper_end.x, lane_y),
        upper_end,
    ];
    if head_is_upper {
        points.reverse();
    }
    (points, head_is_upper)
}

/// The middle of an arc's route, where its label goes: a curve's middle point, else the
/// middle of its highest level run.
pub fn route_middle(points: &[Pos2]) -> Pos2 {
    let runs = points
        .windows(2)
        .filter(|pair| pair[0].y == pair[1].y && pair[0].x != pair[1].x);
    match runs.min_by(|a, b| a[0].y.total_cmp(&b[0].y)) {
        Some(run) if points.len() <= 6 => pos2((run[0].x + run[1].x) / 2.0, run[0].y),
        _ => points.get(points.len() / 2).copied().unwrap_or(Pos2::ZERO),
    }
}

/// The distance from `point` to the nearest segment of `points`.
pub fn distance_to_route(points: &[Pos2], point: Pos2) -> f32 {
    points
        .windows(2)
        .map(|segment| {
            let (a, b) = (segment[0], segment[1]);
            let ab = b - a;
            let t = if ab.length_sq() > 0.0 {
                ((point - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a + ab * t).distance(point)
        })
        .fold(f32::INFINITY, f32::min)
}

/// The height of lane `lane` (0 is nearest the text) in the gap from `gap_top` to
/// `gap_bottom`: lanes 3 points apart, the last ones sharing the top of the gap.
pub fn lane_y(gap_top: f32, gap_bottom: f32, lane: usize) -> f32 {
    (gap_bottom - 3.0 - 3.0 * lane as f32).max(gap_top + 1.0)
}

/// Whether two rects overlap by more than a hair.
#[cfg(test)]
fn overlap(a: Rect, b: Rect) -> bool {
    let i = a.intersect(b);
    i.width() > 0.5 && i.height() > 0.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::vec2;

    fn band(top: f32) -> Rect {
        Rect::from_min_max(pos2(0.0, top), pos2(800.0, top + 50.0))
    }

    fn assert_apart_and_inside(wanted: &[Wanted], placed: &[Rect], left: f32, right: f32) {
        for (i, (w, r)) in wanted.iter().zip(placed).enumerate() {
            assert!(
                r.min.x >= left - 0.01 && r.max.x <= right + 0.01,
                "label {i} {r:?} leaves the view"
            );
            assert!(
                r.min.y >= w.band.min.y - 0.01 && r.max.y <= w.band.max.y + 0.01,
                "label {i} {r:?} leaves its band {:?}",
                w.band
            );
            assert!((r.size() - w.size).length() < 0.01);
            for (j, other) in placed.iter().enumerate().skip(i + 1) {
                assert!(!overlap(*r, *other), "labels {i} {r:?} and {j} {other:?} overlap");
            }
        }
    }

    #[test]
    fn adjacent_tags_are_pushed_apart_and_stay_in_the_view() {
        // Five short spans side by side at a row start, tags wider than their spans.
        let size = vec2(40.0, 13.0);
        let wanted: Vec<Wanted> = (0..5)
            .map(|i| Wanted {
                band: band(0.0),
                x: i as f32 * 20.0,
                size,
            })
            .chain((0..3).map(|i| Wanted {
                band: band(50.0),
                x: 760.0 + i as f32 * 10.0,
                size,
            }))
            .collect();
        let placed = place_labels(&wanted, 0.0, 800.0, true);
        assert_apart_and_inside(&wanted, &placed, 0.0, 800.0);
        // The first tag keeps its place; the next ones move right, in order.
        assert_eq!(placed[0].min.x, 0.0);
        assert!(placed[1].min.x >= placed[0].max.x);
        // At the right edge tags move left, then to the top slot.
        assert!(placed[7].max.x <= 800.0);
        assert!(
            placed
                .iter()
                .all(|r| r.max.y == 50.0 || r.max.y == 100.0 || r.min.y == 0.0 || r.min.y == 50.0)
        );
    }

    #[test]
    fn a_full_row_spills_into_the_top_slot_and_one_slot_only_shifts() {
        let size = vec2(100.0, 13.0);
        let wanted: Vec<Wanted> = (0..12)
            .map(|i| Wanted {
                band: band(0.0),
                x: i as f32 * 60.0,
                size,
            })
            .collect();
        let placed = place_labels(&wanted, 0.0, 800.0, true);
        assert_apart_and_inside(&wanted, &placed, 0.0, 800.0);
        assert!(placed.iter().any(|r| r.min.y == 0.0), "some tags go to the top slot");
        let few = &wanted[..6];
        let placed = place_labels(few, 0.0, 800.0, false);
        assert_apart_and_inside(few, &placed, 0.0, 800.0);
        assert!(placed.iter().all(|r| r.max.y == 50.0));
    }

    #[test]
    fn arcs_stay_in_the_gap_and_clicks_find_them() {
        let head = Rect::from_min_max(pos2(100.0, 115.0), pos2(140.0, 137.0));
        let tail = Rect::from_min_max(pos2(300.0, 115.0), pos2(340.0, 137.0));
        let lane = lane_y(100.0, 115.0, 0);
        let (points, down) = arc_route(head, tail, lane, 900.0, 50.0);
        assert!(down);
        let top = points.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
        assert!(
            (top - lane).abs() < 0.5 && top >= 100.0,
            "the curve's top {top} is the lane {lane}"
        );
        assert!(distance_to_route(&points, route_middle(&points)) < 1.0);
        // Ends on two rows: the run is in the gap above the lower row.
        let lower = tail.translate(vec2(0.0, 50.0));
        let lane = lane_y(150.0, 165.0, 1);
        let (points, down) = arc_route(head, lower, lane, 900.0, 50.0);
        assert!(down);
        assert_eq!(points[1].y, lane);
        assert_eq!(points[0], pos2(head.center().x, head.max.y));
        assert!(points.iter().all(|p| p.y >= head.max.y && p.y <= lower.min.y));
        assert!(lane_y(100.0, 115.0, 9) >= 101.0);
    }

    #[test]
    fn an_arc_over_rows_between_its_ends_goes_round_them_by_the_margin() {
        // Rows of 50 from y 100: head on the first, tail three rows down.
        let head = Rect::from_min_max(pos2(100.0, 115.0), pos2(140.0, 137.0));
        let tail = Rect::from_min_max(pos2(500.0, 265.0), pos2(560.0, 287.0));
        let lane = lane_y(250.0, 265.0, 0);
        for (a, b) in [(head, tail), (tail, head)] {
            let (points, down) = arc_route(a, b, lane, 810.0, 50.0);
            assert!(down, "both ends are entered from the gap above them");
            assert_eq!(points.len(), 6);
            // Every point is in a gap (above a body) or on the margin.
            for pair in points.windows(2) {
                let vertical = pair[0].x == pair[1].x;
                let (top, bottom) = (pair[0].y.min(pair[1].y), pair[0].y.max(pair[1].y));
                if vertical && pair[0].x != 810.0 {
                    assert!(
                        bottom - top <= 15.5,
                        "a short drop into an end, not across rows: {pair:?}"
                    );
                }
            }
            assert!(points.iter().all(|p| p.y <= 265.0 && p.y >= 100.0));
            let middle = route_middle(&points);
            assert!(middle.y < 115.0, "the label in the upper row's gap: {middle:?}");
        }
        // Adjacent rows keep the direct route.
        let next = head.translate(vec2(300.0, 50.0));
        assert_eq!(arc_route(head, next, lane_y(150.0, 165.0, 0), 810.0, 50.0).0.len(), 4);
    }
}
