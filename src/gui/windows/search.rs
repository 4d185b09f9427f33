//! The corpus search (Ctrl+Shift+F): the query and filters, the hits with their
//! keyword-in-context lines, and the search itself, which runs only from a command.

use egui::{Key, RichText};

use crate::gui::App;
use crate::gui::app::LayerFilter;
use crate::gui::command::SearchCommand;
use crate::gui::i18n::count as counted;
use crate::gui::i18n::{status_name, tr, trf};
use crate::gui::theme;
use crate::model::{CharSpan, DocumentId, Entity, Status, StatusFilter};
use crate::store::{DocumentSummary, Store};
use crate::text::CharIndex;

/// The corpus search window's query, filters and hits.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    pub regex: bool,
    /// Only hits on an entity with this label.
    pub label: Option<String>,
    /// Only hits on an entity with this status.
    pub status: Option<Status>,
    /// Find the places where a string annotated elsewhere is left unannotated.
    pub unannotated: bool,
    pub hits: Vec<SearchHit>,
}

/// One search hit with its keyword-in-context line.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub document: DocumentId,
    pub span: CharSpan,
    left: String,
    hit: String,
    right: String,
    /// Labels (with `?` for suggestions) of the entities the hit touches.
    labels: Vec<String>,
}

impl Search {
    /// The hits of the query and filters in every document, among the annotations shown.
    pub fn run(
        &self,
        store: &Store,
        documents: &[DocumentSummary],
        shown: &LayerFilter,
    ) -> anyhow::Result<Vec<SearchHit>> {
        let query = self.query.clone();
        let matcher =
            if self.regex {
                Some(regex::Regex::new(&query).map_err(|e| {
                    anyhow::anyhow!(trf("not a regular expression: {error}", &[("error", &e.to_string())]))
                })?)
            } else {
                None
            };
        let known: Vec<(String, String)> = if self.unannotated {
            store.gazetteer_strings()?.0
        } else {
            Vec::new()
        };
        let mut hits = Vec::new();
        for summary in documents {
            let document = store.document(summary.id)?;
            let entities: Vec<Entity> = store
                .entities(summary.id, StatusFilter::All)?
                .into_iter()
                .filter(|e| e.status.is_live() && shown.shows(&e.annotator))
                .collect();
            let index = CharIndex::new(&document.text);
            let mut spans: Vec<CharSpan> = Vec::new();
            let mut push_bytes = |start: usize, end: usize| {
                if let Some(range) = index.char_range(start..end)
                    && range.start < range.end
                {
                    spans.push(CharSpan::new(range.start, range.end));
                }
            };
            if self.unannotated {
                for (text, _) in &known {
                    for (byte, piece) in document.text.match_indices(text.as_str()) {
                        push_bytes(byte, byte + piece.len());
                    }
                }
            } else if let Some(matcher) = &matcher {
                for m in matcher.find_iter(&document.text) {
                    push_bytes(m.start(), m.end());
                }
            } else if !query.is_empty() {
                for (byte, piece) in document.text.match_indices(query.as_str()) {
                    push_bytes(byte, byte + piece.len());
                }
            }
            spans.sort();
            spans.dedup();
            let chars: Vec<char> = document.text.chars().collect();
            for span in spans {
                let touching: Vec<&Entity> = entities.iter().filter(|e| e.span().overlaps(span)).collect();
                if self.unannotated && !touching.is_empty() {
                    continue;
                }
                if let Some(label) = &self.label
                    && !touching.iter().any(|e| &e.label == label)
                {
                    continue;
                }
                if let Some(status) = self.status
                    && !touching.iter().any(|e| e.status == status)
                {
                    continue;
                }
                let context = |from: usize, to: usize| -> String {
                    chars[from..to]
                        .iter()
                        .map(|c| if *c == '\n' { ' ' } else { *c })
                        .collect()
                };
                hits.push(SearchHit {
                    document: summary.id,
                    span,
                    left: context(span.char_start.saturating_sub(14), span.char_start),
                    hit: context(span.char_start, span.char_end),
                    right: context(span.char_end, (span.char_end + 14).min(chars.len())),
                    labels: touching
                        .iter()
                        .map(|e| {
                            if e.status == Status::Suggested {
                                format!("{}?", e.label)
                            } else {
                                e.label.clone()
                            }
                        })
                        .collect(),
                });
            }
        }
        Ok(hits)
    }
}

impl App {
    pub(in crate::gui) fn search_ui(&mut self, ctx: &egui::Context) {
        let Some(search) = &mut self.windows.search else { return };
        let mut keep = true;
        let mut out = Vec::new();
        let labels = self.labels.clone();
        let current_label = self.current_label.clone();
        egui::Window::new(tr("Search the corpus"))
            .id(egui::Id::unique("search window"))
            .open(&mut keep)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label(tr("search:"));
                    let response = ui
                        .add(egui::TextEdit::singleline(&mut search.query).desired_width(260.0))
                        .labelled_by(label.id);
                    if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        out.push(SearchCommand::Search.into());
                    }
                    ui.checkbox(&mut search.regex, tr("regex"));
                    if ui.button(tr("Search")).clicked() {
                        out.push(SearchCommand::Search.into());
                    }
                });
                ui.horizontal(|ui| {
                    egui::ComboBox::new("search-label", tr("label"))
                        .selected_text(search.label.clone().unwrap_or_else(|| tr("any label").to_owned()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut search.label, None, tr("any label"));
                            for label in &labels {
                                ui.selectable_value(&mut search.label, Some(label.name.clone()), label.name.as_str());
                            }
                        });
                    egui::ComboBox::new("search-status", tr("status"))
                        .selected_text(search.status.map_or(tr("any status"), status_name))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut search.status, None, tr("any status"));
                            ui.selectable_value(
                                &mut search.status,
                                Some(Status::Suggested),
                                status_name(Status::Suggested),
                            );
                            ui.selectable_value(
                                &mut search.status,
                                Some(Status::Accepted),
                                status_name(Status::Accepted),
                            );
                        });
                    ui.checkbox(
                        &mut search.unannotated,
                        tr("unannotated occurrences of annotated strings"),
                    );
                });
                ui.horizontal(|ui| {
                    ui.label(counted(search.hits.len(), "hit", "hits", tr("{n} hits")));
                    if ui
                        .button(trf("Label all hits as {label}", &[("label", &current_label)]))
                        .clicked()
                    {
                        out.push(SearchCommand::SearchLabelAll(current_label.clone()).into());
                    }
                    if ui.button(tr("Accept every suggestion in the hits")).clicked() {
                        out.push(SearchCommand::SearchAcceptSuggestions.into());
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    for (n, hit) in search.hits.iter().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(&hit.left).weak());
                            if ui.button(RichText::new(&hit.hit).strong()).clicked() {
                                out.push(SearchCommand::OpenHit(n).into());
                            }
                            ui.label(RichText::new(&hit.right).weak());
                            if !hit.labels.is_empty() {
                                ui.label(
                                    RichText::new(hit.labels.join(" "))
                                        .color(theme::palette(ui.visuals().dark_mode).hit_labels),
                                );
                            }
                        });
                    }
                });
            });
        if !keep {
            self.windows.search = None;
        }
        self.commands.extend(out);
    }
}
