//! The UI's language: the View menu's switch, remembered in the project, and the
//! onboarding hint in both languages.

use std::path::Path;

use biaozhu::gui::{App, Lang, install_fonts};
use biaozhu::store::Store;
use egui_kittest::Harness;

use super::gui_util::pretagged;
use egui_kittest::kittest::Queryable as _;

const STATUS_HINT_EN: &str = "click a suggestion · Enter accepts · Delete rejects · ? all keys";
const STATUS_HINT_ZH: &str = "点击建议 · Enter 接受 · Delete 拒绝 · ? 全部快捷键";
const EMPTY_HINT_EN: &str =
    "Open a document on the left — then click a suggestion: Enter accepts, Delete rejects, ? shows all keys";

/// A project of one pre-tagged document at `dir/p.sqlite`.
fn project(dir: &Path) -> std::path::PathBuf {
    pretagged(
        dir,
        &[("a.txt", "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。")],
    )
    .0
}

fn harness(store: Store) -> Harness<'static, App> {
    let mut store = Some(store);
    let mut harness = Harness::builder().with_size([1200.0, 800.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx, false);
        App::new(store.take().expect("one app"), Some("tester".to_owned())).expect("app")
    });
    harness.run();
    harness
}

fn open(path: &Path) -> Harness<'static, App> {
    harness(Store::open(path).expect("store"))
}

/// Opens the menu called `menu` and clicks its item `item`.
fn choose(harness: &mut Harness<'_, App>, menu: &str, item: &str) {
    harness.get_by_label(menu).click();
    harness.run();
    harness.get_by_label(item).click();
    harness.run();
}

#[test]
fn the_view_menu_switches_to_chinese_and_the_project_remembers_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = project(dir.path());
    let mut harness = open(&path);
    assert_eq!(harness.state().language(), Lang::En, "English without a saved choice");
    assert!(harness.query_by_label("File").is_some());
    assert!(
        harness.query_by_label(STATUS_HINT_EN).is_some(),
        "the status bar says how to annotate"
    );

    choose(&mut harness, "View", "中文");
    assert_eq!(harness.state().language(), Lang::Zh);
    for label in ["文件", "视图"] {
        assert!(harness.query_by_label(label).is_some(), "the menu bar shows {label}");
    }
    assert!(harness.query_by_label("File").is_none(), "no English menu is left");
    assert!(harness.query_by_label("文档").is_some(), "the document list's heading");
    assert!(harness.query_by_label(STATUS_HINT_ZH).is_some(), "the hint in Chinese");
    assert_eq!(
        harness.state().store().meta("gui.language").expect("meta").as_deref(),
        Some("zh")
    );
    drop(harness);

    // Opened again on the same project, the app is still in Chinese.
    let mut again = open(&path);
    assert_eq!(again.state().language(), Lang::Zh);
    assert!(again.query_by_label("文件").is_some());
    assert!(again.query_by_label(STATUS_HINT_ZH).is_some());

    choose(&mut again, "视图", "English");
    assert_eq!(again.state().language(), Lang::En);
    assert!(again.query_by_label("File").is_some());
    assert!(again.query_by_label("文件").is_none());
    assert!(again.query_by_label(STATUS_HINT_EN).is_some());
    assert_eq!(
        again.state().store().meta("gui.language").expect("meta").as_deref(),
        Some("en")
    );
}

#[test]
fn the_empty_state_shows_the_hint() {
    let mut harness = harness(Store::open_in_memory().expect("store"));
    assert!(harness.state().current_document().is_none());
    assert!(
        harness.query_by_label(EMPTY_HINT_EN).is_some(),
        "the empty state says what to do"
    );
    assert!(
        harness.query_by_label(STATUS_HINT_EN).is_none(),
        "the status bar's hint waits for a document"
    );

    harness
        .state_mut()
        .apply(biaozhu::gui::ViewCommand::SetLanguage(Lang::Zh).into());
    harness.run();
    assert!(
        harness
            .query_by_label_contains("在左侧打开一篇文档，然后点击建议")
            .is_some(),
        "and in Chinese"
    );
    assert!(harness.query_by_label("还没有文档：文件 → 导入文件…").is_some());
}

#[test]
fn the_side_panel_speaks_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = project(dir.path());
    let mut harness = open(&path);
    let document = harness.state().store().documents().expect("documents")[0].id;
    harness
        .state_mut()
        .apply(biaozhu::gui::ViewCommand::SetLanguage(Lang::Zh).into());
    harness
        .state_mut()
        .apply(biaozhu::gui::AnnotateCommand::OpenDocument(document).into());
    harness.run();
    let (n_entities, n_relations) = harness.state().to_check();
    assert!(n_entities > 0, "the pre-tagger suggested entities");
    let entities = harness
        .state()
        .store()
        .entities(document, biaozhu::model::StatusFilter::All)
        .expect("entities");
    let n_live = entities.iter().filter(|e| e.status.is_live()).count();

    assert!(harness.query_by_label("标签").is_some(), "the palette's heading");
    let heading = format!("实体（{n_live}，{n_entities} 待检查）");
    assert!(
        harness.query_by_label(&heading).is_some(),
        "the entity list's heading {heading}"
    );
    assert!(
        harness.query_by_label_contains("关系：").is_some(),
        "the relation list's heading"
    );
    assert!(harness.query_by_label("全部关系").is_some(), "the relation toggle");
    let to_check = match n_relations {
        0 => format!("尚待检查：{n_entities} 条实体建议"),
        r => format!("尚待检查：{n_entities} 条实体建议和 {r} 条关系建议"),
    };
    assert!(harness.query_by_label(&to_check).is_some(), "what is left: {to_check}");
    for english in ["Labels", "Entities", "Relations", "to check", "all relations"] {
        assert!(
            harness.query_by_label_contains(english).is_none(),
            "no English {english:?} is left in the window"
        );
    }
}

#[test]
fn in_chinese_the_shortcut_sheet_and_find_speak_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = project(dir.path());
    let mut harness = open(&path);
    harness
        .state_mut()
        .apply(biaozhu::gui::ViewCommand::SetLanguage(Lang::Zh).into());
    let doc = harness.state().store().documents().expect("documents")[0].id;
    harness
        .state_mut()
        .apply(biaozhu::gui::AnnotateCommand::OpenDocument(doc).into());
    harness.run();

    harness.key_press(egui::Key::Questionmark);
    harness.run();
    for text in [
        "快捷键",
        "按键",
        "操作",
        "在文档中查找",
        "本快捷键表",
        "再按 Ctrl+Enter / Enter",
        "拖动",
    ] {
        assert!(harness.query_by_label(text).is_some(), "the sheet shows {text}");
    }
    assert!(harness.query_by_label("Ctrl+G").is_some(), "key names stay as they are");
    assert!(
        harness.query_by_label("find in the document").is_none(),
        "no English action is left"
    );
    harness.key_press(egui::Key::Questionmark);
    harness.run();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    assert!(harness.query_by_label("查找").is_some(), "the window's title");
    harness.get_by_label("查找：").type_text("王建国");
    harness.run();
    assert!(harness.query_by_label("1 处匹配").is_some(), "the count in Chinese");
    assert!(harness.query_by_label("Enter：下一处，Shift+Enter：上一处").is_some());
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.query_by_label("1/1").is_some());
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(
        harness.query_all_by_label("已回到第一处匹配").next().is_some(),
        "the wrap note in Chinese"
    );
    assert!(
        harness
            .query_all_by_label("wrapped to the first match")
            .next()
            .is_none()
    );
}
