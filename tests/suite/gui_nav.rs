//! Navigation in a long document: every jump scrolls its target into view (the target's
//! rect inside the document's visible rect), the paging keys scroll, Find counts and wraps,
//! Ctrl+G jumps.

use std::path::{Path, PathBuf};

use biaozhu::gui::{AnnotateCommand, App, ReviewCommand};
use biaozhu::model::{CharSpan, DocumentId, NewDocument, NewEntity, NewRelation, Status};
use biaozhu::store::Store;
use egui::{Key, Modifiers};
use egui_kittest::Harness;

use super::gui_util::app_on;
use egui_kittest::kittest::Queryable as _;

const CITIES: [&str; 7] = ["长沙", "武汉", "成都", "杭州", "南京", "西安", "厦门"];
const FIELDS: [&str; 5] = ["交通", "教育", "医疗", "能源", "农业"];
/// Paragraphs of generated sentences: about 100,000 characters in all.
const N_PARAGRAPHS: usize = 950;
/// Find's word: in paragraphs 3, 500 and the last.
const MARKER: &str = "量子星辰";

/// A long document: varied sentences, a person near the top, and near the end a
/// reporter, his paper (with a relation between them) and a company.
struct Long {
    text: String,
    /// 王建国 (suggested PER), near the top.
    near_top: CharSpan,
    /// 李明 (suggested PER) and 湖南日报 (suggested ORG), near the end.
    reporter: CharSpan,
    paper: CharSpan,
    /// 云洲智算 (accepted ORG), in the last paragraph.
    company: CharSpan,
}

fn long_text() -> Long {
    let mut paragraphs: Vec<String> = (0..N_PARAGRAPHS)
        .map(|p| {
            (0..3)
                .map(|s| {
                    let i = p * 3 + s;
                    format!(
                        "{}{}部门第{i}次会议讨论了{}发展规划，代表们提出了{}条建议。",
                        CITIES[i % CITIES.len()],
                        FIELDS[i % FIELDS.len()],
                        FIELDS[(i / 5) % FIELDS.len()],
                        i % 97 + 3
                    )
                })
                .collect()
        })
        .collect();
    paragraphs[1].push_str("省发展改革委副主任王建国表示，项目进展顺利。");
    paragraphs[3].push_str(&format!("{MARKER}团队首次亮相。"));
    paragraphs[500].push_str(&format!("{MARKER}团队再次获奖。"));
    let n = paragraphs.len();
    paragraphs[n - 3].push_str("湖南日报记者李明报道了这次会议。");
    paragraphs[n - 1].push_str(&format!("{MARKER}由云洲智算公司发布。"));
    let text = paragraphs.join("\n");
    let span_of = |word: &str| -> CharSpan {
        let byte = text.rfind(word).expect("word in text");
        let start = text[..byte].chars().count();
        CharSpan::new(start, start + word.chars().count())
    };
    Long {
        near_top: span_of("王建国"),
        reporter: span_of("李明"),
        paper: span_of("湖南日报"),
        company: span_of("云洲智算"),
        text,
    }
}

/// A project with a short document first and the long one second.
fn project(dir: &Path, long: &Long) -> (PathBuf, DocumentId, DocumentId) {
    let path = dir.join("p.sqlite");
    let mut store = Store::open(&path).expect("store");
    let suggested = |span: CharSpan, label: &str| NewEntity {
        status: Status::Suggested,
        source: "rules".into(),
        confidence: Some(0.9),
        annotator: String::new(),
        ..NewEntity::accepted(span, label, "rules", "")
    };
    let documents = [
        NewDocument {
            name: "short.txt".into(),
            text: "第一篇短文档。".into(),
            encoding: "utf-8".into(),
            ..NewDocument::default()
        },
        NewDocument {
            name: "long.txt".into(),
            text: long.text.clone(),
            encoding: "utf-8".into(),
            entities: vec![
                suggested(long.near_top, "PER"),
                suggested(long.paper, "ORG"),
                suggested(long.reporter, "PER"),
                NewEntity::accepted(long.company, "ORG", "manual", "tester"),
            ],
            ..NewDocument::default()
        },
    ];
    store.import_documents(&documents, &mut |_| {}).expect("import");
    let ids: Vec<DocumentId> = store.documents().expect("list").iter().map(|d| d.id).collect();
    let (short, long_id) = (ids[0], ids[1]);
    let entities = store
        .entities(long_id, biaozhu::model::StatusFilter::All)
        .expect("entities");
    let id_of = |span: CharSpan| entities.iter().find(|e| e.span() == span).expect("entity").id;
    let mut edit = store.edit("relation", "tester").expect("edit");
    edit.add_relation(&NewRelation {
        head: id_of(long.reporter),
        tail: id_of(long.paper),
        kind: "任职".into(),
        status: Status::Suggested,
        source: "rules".into(),
        annotator: "tester".into(),
    })
    .expect("relation");
    edit.commit().expect("commit");
    (path, short, long_id)
}

fn opened(path: &Path, doc: DocumentId) -> Harness<'static, App> {
    app_on(path, doc, [1200.0, 800.0])
}

fn setup() -> (tempfile::TempDir, Long, Harness<'static, App>, DocumentId) {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = long_text();
    let (path, _, doc) = project(dir.path(), &long);
    let harness = opened(&path, doc);
    (dir, long, harness, doc)
}

fn settle(harness: &mut Harness<'_, App>) {
    for _ in 0..4 {
        harness.run();
    }
}

/// The span's rect and the document's visible rect, on screen, after the frames settle.
fn geometry(harness: &mut Harness<'_, App>, span: CharSpan) -> (Option<egui::Rect>, egui::Rect) {
    settle(harness);
    let view = harness.state_mut().view_mut().expect("a document is open");
    (view.rect_of_span(span), view.visible_rect())
}

fn assert_shown(harness: &mut Harness<'_, App>, span: CharSpan, what: &str) {
    let (rect, visible) = geometry(harness, span);
    let rect = rect.unwrap_or_else(|| panic!("{what}: {span:?} is not laid out"));
    assert!(
        visible.contains_rect(rect),
        "{what}: {rect:?} is outside the visible {visible:?}"
    );
}

fn assert_hidden(harness: &mut Harness<'_, App>, span: CharSpan, what: &str) {
    let (rect, visible) = geometry(harness, span);
    assert!(
        rect.is_none_or(|rect| !visible.intersects(rect)),
        "{what}: {rect:?} is inside the visible {visible:?}"
    );
}

fn selected_span(harness: &Harness<'_, App>) -> Option<CharSpan> {
    let app = harness.state();
    app.selected()
        .and_then(|id| app.store().entity(id).ok())
        .map(|e| e.span())
}

fn press(harness: &mut Harness<'_, App>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run();
}

#[test]
fn tab_and_shift_tab_wrap_and_scroll_to_their_span() {
    let (_dir, long, mut harness, _) = setup();
    press(&mut harness, Modifiers::NONE, Key::Tab);
    assert_eq!(selected_span(&harness), Some(long.near_top));
    assert_shown(&mut harness, long.near_top, "Tab to the first span");
    assert_hidden(&mut harness, long.reporter, "the end before any jump");
    press(&mut harness, Modifiers::SHIFT, Key::Tab);
    assert_eq!(
        selected_span(&harness),
        Some(long.reporter),
        "Shift+Tab wraps to the last suggestion"
    );
    assert_shown(&mut harness, long.reporter, "Shift+Tab wrapping to the last suggestion");
    press(&mut harness, Modifiers::NONE, Key::Tab);
    assert_eq!(
        selected_span(&harness),
        Some(long.near_top),
        "Tab wraps to the first span"
    );
    assert_shown(&mut harness, long.near_top, "Tab wrapping to the first span");
}

#[test]
fn enter_scrolls_to_the_next_suggestion() {
    let (_dir, long, mut harness, _) = setup();
    press(&mut harness, Modifiers::NONE, Key::Tab);
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert_eq!(
        selected_span(&harness),
        Some(long.paper),
        "Enter moves to the next suggestion"
    );
    assert_shown(&mut harness, long.paper, "Enter's next suggestion");
}

#[test]
fn find_counts_its_matches_scrolls_to_each_and_wraps() {
    let (_dir, long, mut harness, _) = setup();
    let matches: Vec<CharSpan> = long
        .text
        .match_indices(MARKER)
        .map(|(byte, _)| {
            let start = long.text[..byte].chars().count();
            CharSpan::new(start, start + MARKER.chars().count())
        })
        .collect();
    assert_eq!(matches.len(), 3);
    press(&mut harness, Modifiers::COMMAND, Key::F);
    harness.get_by_label("find:").type_text(MARKER);
    harness.run();
    harness.get_by_label("3 matches");
    for (k, span) in matches.iter().enumerate() {
        press(&mut harness, Modifiers::NONE, Key::Enter);
        harness.get_by_label(&format!("{}/3", k + 1));
        assert_shown(&mut harness, *span, &format!("match {}", k + 1));
    }
    assert!(
        harness
            .query_all_by_label("wrapped to the first match")
            .next()
            .is_none()
    );
    press(&mut harness, Modifiers::NONE, Key::Enter);
    harness.get_by_label("1/3");
    assert!(
        harness
            .query_all_by_label("wrapped to the first match")
            .next()
            .is_some()
    );
    assert_shown(&mut harness, matches[0], "wrapping to the first match");
    press(&mut harness, Modifiers::SHIFT, Key::Enter);
    harness.get_by_label("3/3");
    assert!(harness.query_all_by_label("wrapped to the last match").next().is_some());
    assert_shown(&mut harness, matches[2], "Shift+Enter wrapping to the last match");
}

#[test]
fn a_corpus_search_hit_opens_its_document_at_the_hit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = long_text();
    let (path, short, doc) = project(dir.path(), &long);
    let mut harness = opened(&path, short);
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    harness.get_by_label("search:").click();
    harness.run();
    harness.get_by_label("search:").type_text("李明");
    harness.run();
    harness.get_by_label("Search").click();
    harness.run();
    harness.get_by_label("李明").click();
    harness.run();
    assert_eq!(harness.state().current_document(), Some(doc));
    assert_eq!(selected_span(&harness), Some(long.reporter));
    assert_eq!(
        harness.state_mut().view_mut().expect("open").highlights,
        vec![long.reporter],
        "the hit is outlined"
    );
    assert_shown(&mut harness, long.reporter, "the search hit");
}

#[test]
fn review_places_are_scrolled_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = long_text();
    let (path, _, doc) = project(dir.path(), &long);
    {
        // Two annotators who differ at the end of the document only.
        let mut store = Store::open(&path).expect("store");
        for (annotator, label) in [("ann", "ORG"), ("bob", "LOC")] {
            let mut edit = store.edit("label", annotator).expect("edit");
            edit.add_entity(doc, &NewEntity::accepted(long.paper, label, "manual", annotator))
                .expect("entity");
            edit.commit().expect("commit");
        }
    }
    let mut harness = opened(&path, doc);
    assert_hidden(&mut harness, long.paper, "the difference before the review");
    harness.state_mut().apply(
        ReviewCommand::StartReview {
            a: "ann".into(),
            b: "bob".into(),
        }
        .into(),
    );
    assert_shown(&mut harness, long.paper, "the review's first difference");
}

#[test]
fn rows_of_the_entity_and_relation_lists_scroll_to_their_span() {
    let (_dir, long, mut harness, _) = setup();
    assert_hidden(&mut harness, long.company, "the company before the click");
    harness.get_by_label_contains("云洲智算").click();
    harness.run();
    assert_eq!(selected_span(&harness), Some(long.company));
    assert_shown(&mut harness, long.company, "a click on the entity list");

    press(&mut harness, Modifiers::COMMAND, Key::Home);
    harness.state_mut().apply(AnnotateCommand::Select(None).into());
    assert_hidden(&mut harness, long.reporter, "the reporter before the click");
    harness.get_by_label_contains("—任职→").click();
    harness.run();
    assert!(
        harness.state().selected_relation().is_some(),
        "the relation is selected"
    );
    assert_shown(&mut harness, long.reporter, "a click on the relation list (its head)");
}

#[test]
fn paging_keys_scroll_a_page_and_to_either_end() {
    let (_dir, long, mut harness, _) = setup();
    let first = CharSpan::new(0, 1);
    let n = long.text.chars().count();
    let last = CharSpan::new(n - 1, n);
    let (Some(before), visible) = geometry(&mut harness, first) else {
        panic!("the top is laid out")
    };
    press(&mut harness, Modifiers::NONE, Key::PageDown);
    let (Some(after), _) = geometry(&mut harness, first) else {
        panic!("the top stays laid out")
    };
    let moved = before.min.y - after.min.y;
    let page = visible.height();
    assert!(
        moved > page * 0.8 && moved <= page,
        "PageDown moved the text {moved} points for a page of {page}"
    );
    press(&mut harness, Modifiers::NONE, Key::PageUp);
    let (Some(back), _) = geometry(&mut harness, first) else {
        panic!("laid out")
    };
    assert!(
        (back.min.y - before.min.y).abs() < 1.0,
        "PageUp goes back: {back:?} vs {before:?}"
    );

    press(&mut harness, Modifiers::COMMAND, Key::End);
    assert_shown(&mut harness, last, "Ctrl+End: the last paragraph");
    assert_hidden(&mut harness, first, "Ctrl+End: the top");
    press(&mut harness, Modifiers::COMMAND, Key::Home);
    assert_shown(&mut harness, first, "Ctrl+Home: the top");
    press(&mut harness, Modifiers::NONE, Key::End);
    assert_shown(&mut harness, last, "End: the last paragraph");
    press(&mut harness, Modifiers::NONE, Key::Home);
    assert_shown(&mut harness, first, "Home: the top");
}

#[test]
fn ctrl_g_goes_to_an_offset_or_a_paragraph_and_keeps_keys_from_commands() {
    let (_dir, long, mut harness, doc) = setup();
    let labels_before: Vec<(String, Status)> = harness
        .state()
        .store()
        .entities(doc, biaozhu::model::StatusFilter::All)
        .expect("entities")
        .into_iter()
        .map(|e| (e.label, e.status))
        .collect();
    // A span is selected, so a digit reaching the shortcuts would relabel it.
    press(&mut harness, Modifiers::NONE, Key::Tab);
    press(&mut harness, Modifiers::COMMAND, Key::G);
    harness.get_by_label("a character offset (1234) or a paragraph (p12 or ¶12)");
    harness.run();
    harness.get_by_label("go to:").type_text("p9999");
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::Enter);
    harness.get_by_label_contains("no paragraph 9999");

    // Paragraph 900 (counted from 1).
    let paragraph_900: usize = long.text.split('\n').take(899).map(|p| p.chars().count() + 1).sum();
    for _ in 0..5 {
        harness.key_press(Key::Backspace);
    }
    harness.run();
    harness.get_by_label("go to:").type_text("p900");
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert!(harness.query_by_label_contains("no paragraph").is_none());
    assert_shown(
        &mut harness,
        CharSpan::new(paragraph_900, paragraph_900 + 1),
        "Ctrl+G p900",
    );

    // An offset where a span starts selects it.
    press(&mut harness, Modifiers::COMMAND, Key::G);
    harness.run();
    harness
        .get_by_label("go to:")
        .type_text(&long.reporter.char_start.to_string());
    harness.run();
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert_eq!(
        selected_span(&harness),
        Some(long.reporter),
        "the span at the offset is selected"
    );
    assert_shown(&mut harness, long.reporter, "Ctrl+G to an offset");
    let labels_after: Vec<(String, Status)> = harness
        .state()
        .store()
        .entities(doc, biaozhu::model::StatusFilter::All)
        .expect("entities")
        .into_iter()
        .map(|e| (e.label, e.status))
        .collect();
    assert_eq!(
        labels_before, labels_after,
        "no digit typed into the field relabelled a span"
    );
}
