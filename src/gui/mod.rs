//! The desktop app (egui/eframe), behind the `gui` feature.
//!
//! A thin layer: the `*_ui` functions read [`App`] state and push [`Command`]s; at the end
//! of the frame [`App::apply`] runs each one as a single store transaction. Undo and redo
//! walk the store's edit log, so they survive a restart.

mod app;
pub mod bench;
pub mod bench_app;
pub mod bench_edit;
mod command;
mod doc_view;
mod fonts;
mod i18n;
mod keys;
mod panels;
mod tasks;
mod theme;
mod windows;

pub use app::App;
pub use command::{
    AnnotateCommand, Command, Decision, Dialog, DocumentOrder, DocumentScope, PathCommand, ProjectCommand,
    RelationCommand, ReviewCommand, SchemaEdit, SearchCommand, ViewCommand,
};
pub use doc_view::{DocView, FrameTimes, ScrollTarget};
pub use fonts::install_fonts;
pub use i18n::Lang;

use crate::project::DefaultProject;

/// Opens the window on the project at `db` (the default project when `None`).
pub fn run(db: Option<std::path::PathBuf>, view: Option<String>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (store, first_run) = match db {
        Some(path) => (crate::store::Store::open(&path)?, None),
        None => DefaultProject::locate().open(&mut |_| {})?,
    };
    let first_run_note = first_run.map(|report| {
        format!(
            "created the sample project with {} documents and pre-tagged it",
            report.total().n_documents_added
        )
    });
    // Looking for the system's Chinese font takes a moment: it runs while the window opens.
    let system_han = std::thread::spawn(fonts::system_han_font);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("标注 biaozhu")
            .with_inner_size([1400.0, 900.0]),
        // The app adds its own provider, asked for Simplified Chinese forms.
        system_font_fallback: false,
        ..Default::default()
    };
    eframe::run_native(
        "biaozhu",
        options,
        Box::new(move |cc| {
            fonts::install_fonts_preferring(&cc.egui_ctx, system_han.join().ok().flatten(), true);
            // Light unless the project keeps View → Dark theme, set on the first frame.
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let mut app = App::new(store, None)?;
            app.follow_system_language()?;
            app.set_startup(started, first_run_note);
            if let Some(view) = &view {
                app.open_view(view)?;
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not open: {e}"))
}
