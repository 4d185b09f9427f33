//! What the windows ask for: opening them with what they show, the schema edits, the
//! corpus search and its bulk edits, find in the document, and export from the draft.

use super::App;
use crate::gui::command::{ProjectCommand, SchemaEdit, SearchCommand, ViewCommand};
use crate::gui::doc_view::ScrollTarget;
use crate::gui::i18n::count as counted;
use crate::gui::i18n::{tr, trf};
use crate::gui::windows::export::ExportDraft;
use crate::gui::windows::find::{Find, find_all};
use crate::gui::windows::goto::{GoTo, parse_target};
use crate::gui::windows::schema::check_label_hotkey;
use crate::gui::windows::search::Search;
use crate::gui::windows::statistics::StatsSnapshot;
use crate::model::{ANNOTATOR_SCHEMA, CharSpan, Label, NewEntity, RelationType, SOURCE_SEARCH, Status, StatusFilter};
use crate::text::paragraphs;

impl App {
    /// Opens, closes or drives a window.
    pub(super) fn apply_view(&mut self, command: ViewCommand) -> anyhow::Result<()> {
        match command {
            ViewCommand::OpenStatistics => self.open_stats()?,
            ViewCommand::OpenSearch => self.open_search(),
            ViewCommand::OpenFind => self.open_find(),
            ViewCommand::FindChanged => self.find_changed(),
            ViewCommand::FindNext => self.find_step(true),
            ViewCommand::FindPrevious => self.find_step(false),
            ViewCommand::ScrollDocument(target) => {
                if let Some(open) = &mut self.open {
                    open.view.scroll_to(target);
                }
            }
            ViewCommand::OpenGoTo => {
                if self.open.is_some() {
                    self.windows.goto.get_or_insert_with(GoTo::default);
                }
            }
            ViewCommand::GoTo => self.go_to(),
            ViewCommand::CloseGoTo => self.windows.goto = None,
            ViewCommand::CloseFind => self.close_find(),
            ViewCommand::OpenExport => self.open_export(),
            ViewCommand::ExportFromWindow => self.export_from_window()?,
            ViewCommand::ShowHelp(show) => self.windows.show_help = show,
            ViewCommand::ShowDocuments { first, end } => self.show_documents(first..end)?,
            ViewCommand::OrderDocuments(order) => self.order_documents(order)?,
            ViewCommand::ScopeDocuments(scope) => self.scope_documents(scope)?,
            ViewCommand::SetLanguage(lang) => self.set_language(lang)?,
            ViewCommand::SetDarkTheme(dark) => self.set_dark_theme(dark)?,
            ViewCommand::OpenServerWindow => {
                self.windows.server.get_or_insert_with(Default::default);
            }
            ViewCommand::OpenServer => self.open_server()?,
            ViewCommand::CloseServerWindow => self.windows.server = None,
        }
        Ok(())
    }

    /// Saves the page's theme in the project and shows it.
    fn set_dark_theme(&mut self, dark: bool) -> anyhow::Result<()> {
        self.store
            .set_personal_meta(DARK_THEME_KEY, if dark { "1" } else { "0" })?;
        if let Some(ctx) = &self.ctx {
            ctx.set_theme(theme_of(dark));
        }
        Ok(())
    }

    /// Shows the theme the project keeps (light unless it says dark).
    pub(super) fn apply_saved_theme(&self, ctx: &egui::Context) -> anyhow::Result<()> {
        let dark = self
            .store
            .personal_meta(DARK_THEME_KEY)?
            .is_some_and(|v| v.trim() == "1");
        ctx.set_theme(theme_of(dark));
        Ok(())
    }

    /// Runs one of the search window's actions.
    pub(super) fn apply_search(&mut self, command: SearchCommand) -> anyhow::Result<()> {
        match command {
            SearchCommand::Search => self.run_search(),
            SearchCommand::SearchLabelAll(label) => self.label_search_hits(&label),
            SearchCommand::SearchAcceptSuggestions => self.accept_search_suggestions(),
            SearchCommand::OpenHit(index) => self.open_hit(index),
        }
    }

    pub(super) fn open_stats(&mut self) -> anyhow::Result<()> {
        let mut snapshot = StatsSnapshot::read(
            &self.store,
            &self.store.documents()?,
            &self.labels,
            &self.relation_types,
            &self.segmenter,
        )?;
        snapshot.verdict.clone_from(&self.tagger_verdict);
        self.windows.stats = Some(snapshot);
        Ok(())
    }

    pub(super) fn open_search(&mut self) {
        self.windows.search.get_or_insert_with(Search::default);
    }

    pub(super) fn open_export(&mut self) {
        self.windows.export = Some(ExportDraft::new(&self.labels));
    }

    /// Closes the export window and exports as it says, unless its split does not parse.
    pub(super) fn export_from_window(&mut self) -> anyhow::Result<()> {
        let Some(draft) = &self.windows.export else {
            return Ok(());
        };
        match draft.options() {
            Ok(options) => {
                let (format, path) = (draft.format, draft.path());
                self.windows.export = None;
                self.try_apply(ProjectCommand::Export { format, options, path }.into())
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Ok(())
            }
        }
    }

    pub(super) fn open_find(&mut self) {
        self.windows.find.get_or_insert_with(Find::default);
    }

    pub(super) fn find_changed(&mut self) {
        let (Some(find), Some(open)) = (&mut self.windows.find, &self.open) else {
            return;
        };
        find.matches = find_all(open.view.text(), &find.query);
        find.current = None;
        find.note = None;
    }

    /// Moves to the next (or previous) match, wrapping, scrolls to it and selects the entity
    /// there, if there is one. Unlike a click, finding leaves the label for new spans as it is.
    pub(super) fn find_step(&mut self, forward: bool) {
        let (Some(find), Some(open)) = (&mut self.windows.find, &mut self.open) else {
            return;
        };
        let Some(span) = find.step(forward) else { return };
        if let Some(note) = find.note {
            self.message = tr(note).to_owned();
        }
        open.view.scroll_to(ScrollTarget::Span(span));
        if let Some(entity) = open
            .entities
            .iter()
            .find(|e| e.span().overlaps(span) && e.status.is_live())
        {
            self.selected = Some(entity.id);
            self.selected_relation = None;
        }
    }

    /// Jumps to what the go-to window says: scrolls there and selects a span starting
    /// there; the window closes, or says why it cannot go there.
    pub(super) fn go_to(&mut self) {
        let (Some(goto), Some(open)) = (&mut self.windows.goto, &mut self.open) else {
            return;
        };
        let n_chars = open.view.n_chars();
        match parse_target(&goto.query, n_chars, &paragraphs(open.view.text())) {
            Ok(at) => {
                open.view
                    .scroll_to(ScrollTarget::Span(CharSpan::new(at, (at + 1).min(n_chars))));
                if let Some(entity) = open.entities.iter().find(|e| e.char_start == at && e.status.is_live()) {
                    self.selected = Some(entity.id);
                    self.selected_relation = None;
                }
                self.message = trf("at character {at}", &[("at", &at.to_string())]);
                self.windows.goto = None;
            }
            Err(why) => goto.error = Some(why),
        }
    }

    pub(super) fn close_find(&mut self) {
        self.windows.find = None;
        if let Some(open) = &mut self.open {
            open.view.highlights = Vec::new();
        }
    }

    pub(super) fn run_search(&mut self) -> anyhow::Result<()> {
        let Some(search) = &self.windows.search else {
            return Ok(());
        };
        let hits = search.run(&self.store, &self.store.documents()?, &self.layer_filter())?;
        let n = hits.len();
        if let Some(search) = &mut self.windows.search {
            search.hits = hits;
        }
        self.message = counted(n, "hit", "hits", tr("{n} hits"));
        Ok(())
    }

    pub(super) fn label_search_hits(&mut self, label: &str) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(search) = &self.windows.search else {
            return Ok(());
        };
        let shown = self.layer_filter();
        let mut additions = Vec::new();
        let mut n_already = 0;
        for hit in &search.hits {
            let entities = self.store.entities(hit.document, StatusFilter::All)?;
            let mut covering = entities
                .iter()
                .filter(|e| e.status.is_live() && shown.shows(&e.annotator) && e.span().overlaps(hit.span));
            match covering.next() {
                None => additions.push((hit.document, hit.span)),
                Some(e) if e.span() == hit.span && e.label == label => n_already += 1,
                Some(_) => {}
            }
        }
        let n_hits = search.hits.len();
        if additions.is_empty() {
            self.message = if n_hits == 0 {
                tr("no hits to label").to_owned()
            } else if n_already == n_hits && n_hits == 1 {
                trf("the hit is {label} already", &[("label", label)])
            } else if n_already == n_hits {
                trf(
                    "all {n} hits are {label} already",
                    &[("n", &n_hits.to_string()), ("label", label)],
                )
            } else {
                trf(
                    "nothing to label: {hits} {label} already, the others overlap other spans",
                    &[
                        ("hits", &counted(n_already, "hit is", "hits are", tr("{n} hits are"))),
                        ("label", label),
                    ],
                )
            };
            return Ok(());
        }
        let mut edit = self
            .store
            .edit(&format!("label {} hits as {label}", additions.len()), &annotator)?;
        for (document, span) in &additions {
            edit.add_entity(*document, &NewEntity::accepted(*span, label, SOURCE_SEARCH, &annotator))?;
        }
        edit.commit()?;
        self.message = trf(
            "labelled {hits} as {label}",
            &[
                ("hits", &counted(additions.len(), "hit", "hits", tr("{n} hits"))),
                ("label", label),
            ],
        );
        self.reload_everywhere()?;
        self.run_search()
    }

    pub(super) fn accept_search_suggestions(&mut self) -> anyhow::Result<()> {
        let annotator = self.annotator()?;
        let Some(search) = &self.windows.search else {
            return Ok(());
        };
        let mut ids = Vec::new();
        for hit in &search.hits {
            for entity in self.store.entities(hit.document, StatusFilter::All)? {
                if entity.status == Status::Suggested && entity.span().overlaps(hit.span) && !ids.contains(&entity.id) {
                    ids.push(entity.id);
                }
            }
        }
        let mut edit = self
            .store
            .edit(&format!("accept {} suggestions from search", ids.len()), &annotator)?;
        for id in &ids {
            edit.update_entity(*id, |e| e.status = Status::Accepted)?;
        }
        edit.commit()?;
        self.message = trf("accepted {n} suggestions", &[("n", &ids.len().to_string())]);
        self.reload_everywhere()?;
        self.run_search()
    }

    pub(super) fn open_hit(&mut self, index: usize) -> anyhow::Result<()> {
        let Some(hit) = self.windows.search.as_ref().and_then(|s| s.hits.get(index)).cloned() else {
            return Ok(());
        };
        if self.current_document() != Some(hit.document) {
            self.open_document(hit.document)?;
        }
        if let Some(open) = &mut self.open {
            open.view.highlights = vec![hit.span];
            open.view.scroll_to(ScrollTarget::Span(hit.span));
            self.selected = open.entities.iter().find(|e| e.span().overlaps(hit.span)).map(|e| e.id);
        }
        Ok(())
    }

    /// One schema change as one logged edit, so that undo and redo walk across it.
    pub(super) fn edit_schema(&mut self, change: SchemaEdit) -> anyhow::Result<()> {
        let usage = match &change {
            SchemaEdit::RemoveLabel { name, confirmed: false } => Some((true, name, self.store.label_usage(name)?)),
            SchemaEdit::RemoveRelationType { name, confirmed: false } => {
                Some((false, name, self.store.relation_type_usage(name)?))
            }
            _ => None,
        };
        if let Some((is_label, name, n)) = usage
            && n > 0
        {
            self.windows.schema.confirm = Some((is_label, name.clone(), n));
            return Ok(());
        }
        if let SchemaEdit::UpdateLabel { name, hotkey, .. } = &change
            && let Err(refusal) = check_label_hotkey(&self.labels, name, hotkey.as_deref())
        {
            self.error = Some(refusal);
            return Ok(());
        }
        let annotator = self.annotator.clone().unwrap_or_else(|| ANNOTATOR_SCHEMA.to_owned());
        let mut edit = self.store.edit(&change.action(), &annotator)?;
        match change {
            SchemaEdit::AddLabel {
                name,
                display_name,
                color,
            } => {
                let hotkey = (self.labels.len() < 9).then(|| (self.labels.len() + 1).to_string());
                edit.add_label(&Label {
                    name: name.trim().to_owned(),
                    display_name: display_name.trim().to_owned(),
                    color,
                    hotkey,
                    description: String::new(),
                })?;
            }
            SchemaEdit::RenameLabel { old, new } => {
                let mut label = self
                    .labels
                    .iter()
                    .find(|l| l.name == old)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!(trf("no label {name}", &[("name", &old)])))?;
                label.name = new.trim().to_owned();
                edit.update_label(&old, &label)?;
            }
            SchemaEdit::UpdateLabel { name, color, hotkey } => {
                let mut label = self
                    .labels
                    .iter()
                    .find(|l| l.name == name)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!(trf("no label {name}", &[("name", &name)])))?;
                label.color = color;
                label.hotkey = hotkey.map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
                edit.update_label(&name, &label)?;
                self.message = trf("label {name} changed", &[("name", &name)]);
            }
            SchemaEdit::RemoveLabel { name, .. } => {
                let n = edit.remove_label(&name, true)?;
                self.windows.schema.confirm = None;
                self.message = trf(
                    "removed label {name} and {n} entities",
                    &[("name", &name), ("n", &n.to_string())],
                );
            }
            SchemaEdit::AddRelationType {
                name,
                head_labels,
                tail_labels,
            } => {
                edit.add_relation_type(&RelationType {
                    name: name.trim().to_owned(),
                    description: String::new(),
                    head_labels,
                    tail_labels,
                    hotkey: None,
                })?;
            }
            SchemaEdit::RenameRelationType { old, new } => {
                let mut kind = self
                    .relation_types
                    .iter()
                    .find(|t| t.name == old)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!(trf("no relation type {name}", &[("name", &old)])))?;
                kind.name = new.trim().to_owned();
                edit.update_relation_type(&old, &kind)?;
            }
            SchemaEdit::RemoveRelationType { name, .. } => {
                let n = edit.remove_relation_type(&name, true)?;
                self.windows.schema.confirm = None;
                self.message = trf(
                    "removed relation type {name} and {n} relations",
                    &[("name", &name), ("n", &n.to_string())],
                );
            }
        }
        edit.commit()?;
        self.reload_schema()?;
        self.reload_everywhere()
    }

    /// Reads the labels and relation types again, after a schema edit or its undo.
    pub(super) fn reload_schema(&mut self) -> anyhow::Result<()> {
        self.labels = self.store.labels()?;
        self.relation_types = self.store.relation_types()?;
        if !self.labels.iter().any(|l| l.name == self.current_label) {
            self.current_label = self.labels.first().map(|l| l.name.clone()).unwrap_or_default();
        }
        Ok(())
    }
}

/// The project's meta key of View → Dark theme.
const DARK_THEME_KEY: &str = "gui.dark_theme";

fn theme_of(dark: bool) -> egui::Theme {
    if dark { egui::Theme::Dark } else { egui::Theme::Light }
}
