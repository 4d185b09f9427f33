//! The statistics window: progress, label and relation counts, agreement, progress over
//! time, and the tagger: which one is in use and why, and its learning curve. Read from the
//! store once when it opens, and the tagger's part again after training (never while
//! drawing).

use egui::{RichText, Ui};

use crate::gui::App;
use crate::gui::theme::{self, label_color};
use crate::model::{DocStatus, Label, RelationType};
use crate::store::{DocumentSummary, Store};
use crate::text::Segmenter;

/// What the statistics window shows, read once when it opens.
#[derive(Debug, Clone, Default)]
pub struct StatsSnapshot {
    /// Per document: name, accepted, still suggested, characters, done.
    documents: Vec<(String, usize, usize, usize, bool)>,
    labels: Vec<(String, usize)>,
    relation_types: Vec<(String, usize)>,
    /// Exact-span F1 per label of the first two annotators, if there are two.
    agreement: Option<AgreementSummary>,
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

/// Two annotators, their exact-span F1 per label, and their token κ.
type AgreementSummary = (String, String, Vec<(String, f64)>, f64);

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
        for label in labels {
            let n = stats
                .entities
                .get(&label.name)
                .and_then(|s| s.get("accepted"))
                .copied()
                .unwrap_or(0);
            snapshot.labels.push((label.name.clone(), n));
        }
        for kind in relation_types {
            let n = stats
                .relations
                .get(&kind.name)
                .and_then(|s| s.get("accepted"))
                .copied()
                .unwrap_or(0);
            snapshot.relation_types.push((kind.name.clone(), n));
        }
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
                .map(|(l, c)| (l.clone(), c.exact().f1))
                .collect();
            snapshot.agreement = Some((a.clone(), b.clone(), per_label, agreement.kappa));
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
        use egui_plot::{Bar, BarChart, Corner, Legend, Line, Plot, Points};
        let Some(stats) = &self.windows.stats else { return };
        let mut keep = true;
        let labels = self.labels.clone();
        egui::Window::new("Statistics")
            .open(&mut keep)
            .default_size([720.0, 840.0])
            .vscroll(true)
            .show(ctx, |ui| {
                let n_done = stats.documents.iter().filter(|d| d.4).count();
                let accepted: usize = stats.documents.iter().map(|d| d.1).sum();
                let left: usize = stats.documents.iter().map(|d| d.2).sum();
                ui.label(
                    RichText::new(format!(
                        "{n_done} of {} documents done · {accepted} accepted · {left} suggestions to check",
                        stats.documents.len()
                    ))
                    .strong(),
                );
                ui.label(RichText::new("标注模型 Tagger").strong());
                ui.label(&stats.verdict);
                let curve = &stats.curve;
                ui.label(
                    RichText::new(format!(
                        "学习曲线 Learning curve: held-out F1 against sentences trained on ({} runs)",
                        curve.n_runs
                    ))
                    .strong(),
                );
                if curve.model.is_empty() && curve.rules.is_empty() {
                    ui.label("No scored training run yet: File → Train now (Ctrl+T).");
                } else {
                    Plot::new("learning-curve")
                        .height(160.0)
                        .allow_zoom(false)
                        .allow_drag(false)
                        .allow_scroll(false)
                        .include_y(0.0)
                        .include_y(1.0)
                        .x_axis_label("sentences")
                        .y_axis_label("F1")
                        .legend(Legend::default().position(Corner::RightBottom))
                        .show(ui, |plot| {
                            for (name, points, color) in [
                                ("model", &curve.model, theme::CHART_MODEL),
                                ("rules", &curve.rules, theme::CHART_RULES),
                            ] {
                                plot.line(Line::new(name, points.clone()).color(color).width(2.0));
                                plot.points(Points::new(name, points.clone()).color(color).radius(3.5).filled(true));
                            }
                        });
                }
                ui.separator();
                let bar_plot = |ui: &mut Ui, id: &str, title: &str, names: Vec<String>, bars: Vec<BarChart>| {
                    ui.label(RichText::new(title).strong());
                    Plot::new(id)
                        .height(105.0)
                        .allow_zoom(false)
                        .allow_drag(false)
                        .allow_scroll(false)
                        .show_x(false)
                        .x_axis_formatter(move |mark, _| {
                            let i = mark.value.round();
                            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                                names.get(i as usize).cloned().unwrap_or_default()
                            } else {
                                String::new()
                            }
                        })
                        .show(ui, |plot| {
                            for chart in bars {
                                plot.bar_chart(chart);
                            }
                        });
                };
                let names: Vec<String> = stats.documents.iter().map(|d| d.0.chars().take(12).collect()).collect();
                let done_bars = BarChart::new(
                    "accepted",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, d.1 as f64))
                        .collect(),
                )
                .color(theme::CHART_ACCEPTED);
                let left_bars = BarChart::new(
                    "to check",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, d.2 as f64))
                        .collect(),
                )
                .color(theme::CHART_TO_CHECK)
                .stack_on(&[&done_bars]);
                bar_plot(
                    ui,
                    "progress",
                    "Progress per document (accepted, and suggestions left)",
                    names.clone(),
                    vec![done_bars, left_bars],
                );
                let label_names: Vec<String> = stats.labels.iter().map(|l| l.0.clone()).collect();
                let label_bars = BarChart::new(
                    "entities",
                    stats
                        .labels
                        .iter()
                        .enumerate()
                        .map(|(i, (name, n))| {
                            Bar::new(i as f64, *n as f64)
                                .fill(label_color(&labels, name))
                                .name(name)
                        })
                        .collect(),
                );
                bar_plot(
                    ui,
                    "labels",
                    "Accepted entities per label",
                    label_names.clone(),
                    vec![label_bars],
                );
                let type_names: Vec<String> = stats.relation_types.iter().map(|t| t.0.clone()).collect();
                let type_bars = BarChart::new(
                    "relations",
                    stats
                        .relation_types
                        .iter()
                        .enumerate()
                        .map(|(i, (_, n))| Bar::new(i as f64, *n as f64))
                        .collect(),
                )
                .color(theme::CHART_RELATIONS);
                bar_plot(
                    ui,
                    "relations",
                    "Accepted relations per type",
                    type_names,
                    vec![type_bars],
                );
                let density = BarChart::new(
                    "per 1,000 chars",
                    stats
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(i, d)| Bar::new(i as f64, (d.1 + d.2) as f64 * 1000.0 / d.3.max(1) as f64))
                        .collect(),
                )
                .color(theme::CHART_DENSITY);
                bar_plot(ui, "density", "Entities per 1,000 characters", names, vec![density]);
                match &stats.agreement {
                    Some((a, b, per_label, kappa)) => {
                        let names: Vec<String> = per_label.iter().map(|p| p.0.clone()).collect();
                        let bars = BarChart::new(
                            "exact F1",
                            per_label
                                .iter()
                                .enumerate()
                                .map(|(i, (name, f1))| Bar::new(i as f64, *f1).fill(label_color(&labels, name)))
                                .collect(),
                        );
                        bar_plot(
                            ui,
                            "agreement",
                            &format!("Agreement per label, {a} vs {b} (exact-span F1; token κ {kappa:.2})"),
                            names,
                            vec![bars],
                        );
                    }
                    None => {
                        ui.label("Agreement: needs two annotators' layers (merge their project files).");
                    }
                }
                ui.label(RichText::new("Accepted annotations over time (hours since the first)").strong());
                Plot::new("over-time")
                    .height(105.0)
                    .allow_zoom(false)
                    .allow_drag(false)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        plot.line(Line::new("accepted", stats.over_time.clone()).color(theme::CHART_ACCEPTED));
                    });
            });
        if !keep {
            self.windows.stats = None;
        }
    }
}
