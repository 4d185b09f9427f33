//! The statistics window: progress, label and relation counts, agreement, progress over
//! time, and the tagger: which one is in use and why, and its learning curve. Read from the
//! store once when it opens, and the tagger's part again after training (never while
//! drawing).

use egui::{Color32, RichText, TextStyle, TextWrapMode, Ui, WidgetText};

use crate::gui::App;
use crate::gui::i18n::{tr, trf};
use crate::gui::theme::{self, label_color};
use crate::model::{DocStatus, Label, RelationType};
use crate::store::{DocumentSummary, Store};
use crate::text::Segmenter;

/// What the statistics window shows, read once when it opens.
#[derive(Debug, Clone, Default)]
pub struct StatsSnapshot {
    /// Per document: name, accepted, still suggested, characters, done.
    documents: Vec<(String, usize, usize, usize, bool)>,
    /// The bar charts, their value texts made once here rather than every frame.
    progress: BarChart,
    labels: BarChart,
    relation_types: BarChart,
    density: BarChart,
    /// Exact-span F1 per label of the first two annotators, if there are two, and their
    /// token κ.
    agreement: Option<(String, String, BarChart, f64)>,
    /// Cumulative accepted annotations over time: (hours since the first, count).
    over_time: Vec<[f64; 2]>,
    /// Which tagger the project uses and why.
    pub verdict: String,
    pub curve: LearningCurve,
}

/// Held-out F1 of the model and of the rules against training size, one point a training
/// run that could hold documents back, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LearningCurve {
    /// (sentences trained on, F1).
    pub model: Vec<[f64; 2]>,
    pub rules: Vec<[f64; 2]>,
    /// Training runs, scored or not.
    pub n_runs: usize,
}

impl LearningCurve {
    pub fn read(store: &Store) -> anyhow::Result<LearningCurve> {
        let history = store.model_history()?;
        let mut curve = LearningCurve {
            n_runs: history.len(),
            ..LearningCurve::default()
        };
        for record in &history {
            let x = record.report.n_sentences as f64;
            if let Some(f1) = record.report.dev_f1_model {
                curve.model.push([x, f1]);
            }
            if let Some(f1) = record.report.dev_f1_rules {
                curve.rules.push([x, f1]);
            }
        }
        Ok(curve)
    }
}

/// A horizontal bar chart: one line a bar, its name on the left and its value written
/// just past its end, so that no value can run into a neighbour's.
#[derive(Debug, Clone, Default)]
pub struct BarChart {
    pub bars: Vec<ChartBar>,
    /// The longest bar's length, in the bars' unit.
    max: f64,
    /// The value text with the most characters, to reserve its width.
    widest_value: String,
}

#[derive(Debug, Clone)]
pub struct ChartBar {
    pub name: String,
    /// Stacked from the left: (length, colour).
    pub segments: Vec<(f64, Color32)>,
    /// What the bar stands for, in numbers: `12 (40%)`.
    pub value: String,
}

impl BarChart {
    pub fn new(bars: Vec<ChartBar>) -> BarChart {
        let max = bars
            .iter()
            .map(|b| b.segments.iter().map(|s| s.0).sum::<f64>())
            .fold(0.0, f64::max);
        let widest_value = bars
            .iter()
            .map(|b| &b.value)
            .max_by_key(|v| v.chars().count())
            .cloned()
            .unwrap_or_default();
        BarChart {
            bars,
            max,
            widest_value,
        }
    }

    /// One bar per name, `n` long, its value the count and its share of all bars.
    fn counts(counts: &[(String, usize, Color32)]) -> BarChart {
        let total: usize = counts.iter().map(|c| c.1).sum();
        BarChart::new(
            counts
                .iter()
                .map(|(name, n, color)| ChartBar {
                    name: name.clone(),
                    segments: vec![(*n as f64, *color)],
                    value: format!("{n} ({})", percent(*n, total)),
                })
                .collect(),
        )
    }
}

/// `40%` of a whole; `0%` of nothing.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0%".to_owned();
    }
    format!("{:.0}%", part as f64 * 100.0 / whole as f64)
}

impl StatsSnapshot {
    pub fn read(
        store: &Store,
        documents: &[DocumentSummary],
        labels: &[Label],
        relation_types: &[RelationType],
        segmenter: &Segmenter,
    ) -> anyhow::Result<StatsSnapshot> {
        let stats = store.stats()?;
        let mut snapshot = StatsSnapshot::default();
        for summary in documents {
            snapshot.documents.push((
                summary.name.rsplit('/').next().unwrap_or(&summary.name).to_owned(),
                summary.n_accepted,
                summary.n_suggested,
                summary.n_chars,
                summary.status == DocStatus::Done,
            ));
        }
        snapshot.progress = BarChart::new(
            snapshot
                .documents
                .iter()
                .map(|(name, accepted, left, _, _)| ChartBar {
                    name: name.clone(),
                    segments: vec![
                        (*accepted as f64, theme::CHART_ACCEPTED),
                        (*left as f64, theme::CHART_TO_CHECK),
                    ],
                    value: trf(
                        "{accepted} + {left} to check ({share} accepted)",
                        &[
                            ("accepted", &accepted.to_string()),
                            ("left", &left.to_string()),
                            ("share", &percent(*accepted, accepted + left)),
                        ],
                    ),
                })
                .collect(),
        );
        snapshot.density = BarChart::new(
            snapshot
                .documents
                .iter()
                .map(|(name, accepted, left, n_chars, _)| {
                    let density = (accepted + left) as f64 * 1000.0 / (*n_chars).max(1) as f64;
                    ChartBar {
                        name: name.clone(),
                        segments: vec![(density, theme::CHART_DENSITY)],
                        value: format!("{density:.1}"),
                    }
                })
                .collect(),
        );
        let accepted_of = |counts: Option<&std::collections::BTreeMap<String, usize>>| {
            counts.and_then(|s| s.get("accepted")).copied().unwrap_or(0)
        };
        let label_counts: Vec<(String, usize, Color32)> = labels
            .iter()
            .map(|l| {
                let n = accepted_of(stats.entities.get(&l.name));
                (l.name.clone(), n, label_color(labels, &l.name))
            })
            .collect();
        snapshot.labels = BarChart::counts(&label_counts);
        let type_counts: Vec<(String, usize, Color32)> = relation_types
            .iter()
            .map(|t| {
                let n = accepted_of(stats.relations.get(&t.name));
                (t.name.clone(), n, theme::CHART_RELATIONS)
            })
            .collect();
        snapshot.relation_types = BarChart::counts(&type_counts);
        let people: Vec<String> = store
            .annotators()?
            .into_iter()
            .filter(|a| a != crate::model::ANNOTATOR_GOLD && a != crate::model::ANNOTATOR_IMPORT)
            .collect();
        if let [a, b, ..] = people.as_slice() {
            let agreement = crate::project::review::compare(store, a, b, segmenter)?;
            let per_label = agreement
                .per_label()
                .iter()
                .map(|(l, c)| {
                    let f1 = c.exact().f1;
                    ChartBar {
                        name: l.clone(),
                        segments: vec![(f1, label_color(labels, l))],
                        value: format!("{f1:.2}"),
                    }
                })
                .collect();
            snapshot.agreement = Some((a.clone(), b.clone(), BarChart::new(per_label), agreement.kappa));
        }
        let times = store.accepted_times()?;
        if let Some(first) = times.first() {
            snapshot.over_time = times
                .iter()
                .enumerate()
                .map(|(i, t)| [(t - first) as f64 / 3_600_000.0, (i + 1) as f64])
                .collect();
        }
        snapshot.curve = LearningCurve::read(store)?;
        Ok(snapshot)
    }
}

impl App {
    pub(in crate::gui) fn stats_ui(&mut self, ctx: &egui::Context) {
        use egui_plot::{Corner, Legend, Line, Plot, Points};
        let Some(stats) = &self.windows.stats else { return };
        let mut keep = true;
        egui::Window::new(tr("Statistics"))
            .id(egui::Id::unique("statistics window"))
            .open(&mut keep)
            .default_size([720.0, 840.0])
            .vscroll(true)
            .show(ctx, |ui| {
                let n_done = stats.documents.iter().filter(|d| d.4).count();
                let accepted: usize = stats.documents.iter().map(|d| d.1).sum();
                let left: usize = stats.documents.iter().map(|d| d.2).sum();
                ui.label(
                    RichText::new(trf(
                        "{done} of {total} documents done · {accepted} accepted · {left} suggestions to check",
                        &[
                            ("done", &n_done.to_string()),
                            ("total", &stats.documents.len().to_string()),
                            ("accepted", &accepted.to_string()),
                            ("left", &left.to_string()),
                        ],
                    ))
                    .strong(),
                );
                ui.label(RichText::new(tr("Tagger")).strong());
                ui.label(&stats.verdict);
                let curve = &stats.curve;
                ui.label(
                    RichText::new(trf(
                        "Learning curve: held-out F1 against sentences trained on ({runs} runs)",
                        &[("runs", &curve.n_runs.to_string())],
                    ))
                    .strong(),
                );
                if curve.model.is_empty() && curve.rules.is_empty() {
                    ui.label(tr("No scored training run yet: File → Train now (Ctrl+T)."));
                } else {
                    Plot::new("learning-curve")
                        .height(160.0)
                        .allow_zoom(false)
                        .allow_drag(false)
                        .allow_scroll(false)
                        .include_y(0.0)
                        .include_y(1.0)
                        .x_axis_label(tr("sentences"))
                        .y_axis_label("F1")
                        .legend(Legend::default().position(Corner::RightBottom))
                        .show(ui, |plot| {
                            for (name, points, color) in [
                                (tr("model"), &curve.model, theme::CHART_MODEL),
                                (tr("rules"), &curve.rules, theme::CHART_RULES),
                            ] {
                                plot.line(Line::new(name, points.clone()).color(color).width(2.0));
                                plot.points(Points::new(name, points.clone()).color(color).radius(3.5).filled(true));
                            }
                        });
                }
                ui.separator();
                bar_chart(
                    ui,
                    "progress",
                    tr("Progress per document: accepted (green) and suggestions left (orange)"),
                    &stats.progress,
                );
                bar_chart(ui, "labels", tr("Accepted entities per label"), &stats.labels);
                bar_chart(
                    ui,
                    "relations",
                    tr("Accepted relations per type"),
                    &stats.relation_types,
                );
                bar_chart(ui, "density", tr("Entities per 1,000 characters"), &stats.density);
                match &stats.agreement {
                    Some((a, b, per_label, kappa)) => bar_chart(
                        ui,
                        "agreement",
                        &trf(
                            "Agreement per label, {a} vs {b} (exact-span F1; token κ {kappa})",
                            &[("a", a), ("b", b), ("kappa", &format!("{kappa:.2}"))],
                        ),
                        per_label,
                    ),
                    None => {
                        ui.label(tr(
                            "Agreement: needs two annotators' layers (merge their project files).",
                        ));
                    }
                }
                ui.label(RichText::new(tr("Accepted annotations over time (hours since the first)")).strong());
                Plot::new("over-time")
                    .height(105.0)
                    .allow_zoom(false)
                    .allow_drag(false)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        plot.line(Line::new(tr("accepted"), stats.over_time.clone()).color(theme::CHART_ACCEPTED));
                    });
            });
        if !keep {
            self.windows.stats = None;
        }
    }
}

/// The width the names of a chart get, at most; longer names are cut with an ellipsis.
const NAME_WIDTH: f32 = 130.0;
/// Charts with more bars than this scroll (only the visible bars are drawn).
const VISIBLE_BARS: usize = 12;

/// Draws a horizontal bar chart: a line a bar, the name, the bar scaled to the longest, and
/// the value just past the bar's end, in the space kept for the widest value.
fn bar_chart(ui: &mut Ui, id: &str, title: &str, chart: &BarChart) {
    ui.label(RichText::new(title).strong());
    if chart.bars.is_empty() {
        ui.label(tr("nothing yet"));
        return;
    }
    let text_size = |ui: &Ui, text: &str| {
        WidgetText::from(text)
            .into_galley(ui, Some(TextWrapMode::Extend), f32::INFINITY, TextStyle::Body)
            .size()
    };
    let sample = text_size(ui, "文档 0");
    let row_height = sample.y + 4.0;
    let value_width = text_size(ui, &chart.widest_value).x + ui.spacing().item_spacing.x;
    // show_rows puts the item spacing between rows.
    let height = (row_height + ui.spacing().item_spacing.y) * chart.bars.len().min(VISIBLE_BARS) as f32;
    egui::ScrollArea::vertical()
        .id_salt(("bars", id))
        .max_height(height)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, chart.bars.len(), |ui, rows| {
            let bar_space =
                (ui.available_width() - NAME_WIDTH - value_width - 3.0 * ui.spacing().item_spacing.x).max(20.0);
            for bar in &chart.bars[rows] {
                ui.horizontal(|ui| {
                    ui.set_height(row_height);
                    ui.allocate_ui_with_layout(
                        egui::vec2(NAME_WIDTH, row_height),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| {
                            ui.set_width(NAME_WIDTH);
                            ui.add(egui::Label::new(bar.name.as_str()).truncate());
                        },
                    );
                    let total: f64 = bar.segments.iter().map(|s| s.0).sum();
                    let scale = if chart.max > 0.0 {
                        bar_space as f64 / chart.max
                    } else {
                        0.0
                    };
                    let length = (total * scale) as f32;
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(length.max(1.0), row_height - 4.0), egui::Sense::hover());
                    let mut left = rect.left();
                    for (n, color) in &bar.segments {
                        let width = (*n * scale) as f32;
                        let segment = egui::Rect::from_min_max(
                            egui::pos2(left, rect.top()),
                            egui::pos2(left + width, rect.bottom()),
                        );
                        ui.painter().rect_filled(segment, 2.0, *color);
                        left += width;
                    }
                    ui.label(bar.value.as_str());
                });
            }
        });
}
