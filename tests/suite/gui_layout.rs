//! The document view's layout, measured on what the app painted: tags legible and apart,
//! arcs' types apart and clickable, the schema window's colours, the dark theme.

use std::path::{Path, PathBuf};

use biaozhu::gui::{AnnotateCommand, App, SchemaEdit, ViewCommand};
use biaozhu::model::{CharSpan, DocumentId, EntityId, NewDocument, NewEntity, NewRelation, RelationId, Status};
use biaozhu::schema::{delta_e, oklab, parse_hex};
use biaozhu::store::Store;
use egui::{Pos2, Rect};
use egui_kittest::Harness;

use super::gui_util::app_on;
use egui_kittest::kittest::Queryable as _;

/// Ten one-character places side by side at a line start, four percentages, a person with
/// five relations to the spans after them, and a long organisation that wraps.
const PLACES: &str = "湘鄂赣粤桂闽浙苏皖豫";
const FIGURES: &str = "增长5%6%7%8%";
const PERSON: &str = "王芳任长沙市委书记兼市长和湖南大学教授";
const FILLER: &str = "这是一段用来把后面的机构名称推到行尾的文字，它足够长，";
const LONG_ORG: &str = "中国电子工业标准化技术协会知识产权工作委员会";

struct Dense {
    path: PathBuf,
    doc: DocumentId,
    person: EntityId,
    long_org: EntityId,
    relations: Vec<RelationId>,
}

fn dense(dir: &Path) -> Dense {
    let path = dir.join("dense.sqlite");
    let mut store = Store::open(&path).expect("store");
    let text = format!("\n\n\n{PLACES}\n\n{FIGURES}\n\n{PERSON}\n\n{FILLER}{LONG_ORG}{FILLER}\n");
    let document = NewDocument {
        name: "dense.txt".to_owned(),
        text: text.clone(),
        encoding: "utf-8".into(),
        ..NewDocument::default()
    };
    store.import_documents(&[document], &mut |_| {}).expect("import");
    let doc = store.documents().expect("list")[0].id;
    let chars: Vec<char> = text.chars().collect();
    let find = |needle: &str, from: usize| -> usize {
        let needle: Vec<char> = needle.chars().collect();
        (from..chars.len())
            .find(|at| chars[*at..].starts_with(&needle))
            .expect("in the text")
    };
    let mut edit = store.edit("dense", "tester").expect("edit");
    let mut add = |start: usize, len: usize, label: &str, suggested: bool| -> EntityId {
        let mut new = NewEntity::accepted(CharSpan::new(start, start + len), label, "manual", "tester");
        if suggested {
            new.status = Status::Suggested;
        }
        edit.add_entity(doc, &new).expect("entity").id
    };
    let places = find(PLACES, 0);
    for i in 0..PLACES.chars().count() {
        add(places + i, 1, "LOC", i % 2 == 0);
    }
    let figures = find(FIGURES, 0);
    for i in 0..4 {
        add(figures + 2 + 2 * i, 2, "PERCENT", true);
    }
    let p = find(PERSON, 0);
    let person = add(p, 2, "PER", false);
    let tails = [
        (add(p + 3, 4, "ORG", false), "任职"),
        (add(p + 7, 2, "TITLE", false), "职务"),
        (add(p + 10, 2, "TITLE", false), "职务"),
        (add(p + 13, 4, "ORG", false), "任职"),
        (add(p + 17, 2, "TITLE", false), "职务"),
    ];
    let long_org = add(find(LONG_ORG, 0), LONG_ORG.chars().count(), "ORG", true);
    let relations = tails
        .iter()
        .map(|(tail, kind)| {
            edit.add_relation(&NewRelation {
                head: person,
                tail: *tail,
                kind: (*kind).to_owned(),
                status: Status::Accepted,
                source: "manual".to_owned(),
                annotator: "tester".to_owned(),
            })
            .expect("relation")
            .id
        })
        .collect();
    edit.commit().expect("commit");
    Dense {
        path,
        doc,
        person,
        long_org,
        relations,
    }
}

fn opened(dense: &Dense) -> Harness<'static, App> {
    app_on(&dense.path, dense.doc, [1200.0, 800.0])
}

fn overlap(a: Rect, b: Rect) -> bool {
    let i = a.intersect(b);
    i.width() > 0.5 && i.height() > 0.5
}

fn click(harness: &mut Harness<'_, App>, at: Pos2) {
    let button = |pressed| egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    harness.input_mut().events.push(egui::Event::PointerMoved(at));
    harness.run();
    harness.input_mut().events.push(button(true));
    harness.input_mut().events.push(button(false));
    harness.run();
}

#[test]
fn tags_are_legible_inside_their_row_and_never_overlap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dense = dense(dir.path());
    let mut harness = opened(&dense);
    let view = harness.state_mut().view_mut().expect("a document");
    let visible = view.visible_rect();
    let tags = view.painted_tags().to_vec();
    let first_row = view.painted_rect(dense.long_org).expect("the long span is painted");
    // Every span's tag is painted: 10 places, 4 figures, the person and 5 tails, the long one.
    assert_eq!(tags.len(), 21, "{tags:?}");
    for (i, tag) in tags.iter().enumerate() {
        assert!(tag.rect.height() >= 11.0, "tag {i} is {} high", tag.rect.height());
        assert!(
            visible.contains_rect(tag.rect),
            "tag {i} {:?} leaves the view {visible:?}",
            tag.rect
        );
        assert!(
            tag.rect.min.y >= tag.row.min.y - 0.01 && tag.rect.max.y <= tag.row.max.y + 0.01,
            "tag {i} {:?} leaves its row {:?}",
            tag.rect,
            tag.row
        );
        for (j, other) in tags.iter().enumerate().skip(i + 1) {
            assert!(
                !overlap(tag.rect, other.rect),
                "tags {i} {:?} and {j} {:?} overlap",
                tag.rect,
                other.rect
            );
        }
    }
    // The long organisation wraps: its tag is on its last row, under the first.
    let long_tag = tags.iter().find(|t| t.entity == dense.long_org).expect("its tag");
    assert!(long_tag.row.min.y > first_row.min.y, "the span wraps over a line end");
    // The leading empty lines take no room: the first row is at the top of the view.
    let place_row = tags.iter().map(|t| t.row.min.y).fold(f32::INFINITY, f32::min);
    assert!(
        place_row - visible.min.y < 30.0,
        "the first text starts {} below the top",
        place_row - visible.min.y
    );
}

#[test]
fn arcs_types_stay_apart_in_the_gap_and_a_click_on_one_selects_its_relation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dense = dense(dir.path());
    let mut harness = opened(&dense);
    harness
        .state_mut()
        .apply(AnnotateCommand::Select(Some(dense.person)).into());
    harness.run();
    harness.run();
    let view = harness.state_mut().view_mut().expect("a document");
    let arcs = view.painted_arcs().to_vec();
    let person = view.painted_rect(dense.person).expect("the person is painted");
    assert_eq!(arcs.len(), 5, "one arc per relation of the selected person");
    for (i, arc) in arcs.iter().enumerate() {
        // Within the gap above the person's row: above its text, below the row before.
        let top = arc.route.iter().map(|p| p.y).fold(f32::INFINITY, f32::min);
        assert!(
            top >= person.min.y - 0.5,
            "arc {i} rises to {top}, above its row at {}",
            person.min.y
        );
        assert!(arc.label.max.y <= person.min.y + 16.0, "arc {i}'s type covers the text");
        for (j, other) in arcs.iter().enumerate().skip(i + 1) {
            assert!(!overlap(arc.label, other.label), "arc types {i} and {j} overlap");
        }
    }
    // Arcs of one span get different heights.
    let tops: Vec<f32> = arcs
        .iter()
        .map(|a| a.route.iter().map(|p| p.y).fold(f32::INFINITY, f32::min))
        .collect();
    assert!(tops.windows(2).any(|w| (w[0] - w[1]).abs() > 1.0), "{tops:?}");

    // A click on the plate of the fourth selects that relation, not the text under it.
    let target = arcs[3].clone();
    click(&mut harness, target.label.center());
    assert_eq!(harness.state().selected_relation(), Some(target.relation));
    assert!(dense.relations.contains(&target.relation));
}

#[test]
fn a_new_label_from_the_schema_window_gets_a_distinct_colour_and_hotkeys_stay_unique() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dense = dense(dir.path());
    let mut harness = opened(&dense);
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Schema: labels and relation types").click();
    harness.run();
    harness.get_by_label("new label:").click();
    harness.run();
    harness.get_by_label("new label:").type_text("EVENT");
    harness.run();
    harness
        .get_all_by_label("add")
        .next()
        .expect("the labels' add button")
        .click();
    harness.run();
    assert!(harness.state().error().is_none(), "{:?}", harness.state().error());
    let labels = harness.state().store().labels().expect("labels");
    let event = labels.iter().find(|l| l.name == "EVENT").expect("EVENT was added");
    let lab = |hex: &str| oklab(parse_hex(hex).expect("a hex colour"));
    for other in labels.iter().filter(|l| l.name != "EVENT") {
        let distance = delta_e(lab(&event.color), lab(&other.color));
        assert!(
            distance >= 8.0,
            "EVENT {} is {distance:.1} from {} {}",
            event.color,
            other.name,
            other.color
        );
    }

    // The editor's path: a colour and a free hotkey are saved, a taken one is refused.
    harness.state_mut().apply(
        SchemaEdit::UpdateLabel {
            name: "EVENT".into(),
            color: "#123456".into(),
            hotkey: Some("9".into()),
        }
        .into(),
    );
    harness.run();
    let labels = harness.state().store().labels().expect("labels");
    let event = labels.iter().find(|l| l.name == "EVENT").expect("EVENT");
    assert_eq!((event.color.as_str(), event.hotkey.as_deref()), ("#123456", Some("9")));
    harness.state_mut().apply(
        SchemaEdit::UpdateLabel {
            name: "EVENT".into(),
            color: "#123456".into(),
            hotkey: Some("1".into()),
        }
        .into(),
    );
    harness.run();
    let refusal = harness.state().error().unwrap_or_default().to_owned();
    assert!(refusal.contains("taken by label PER"), "{refusal}");
    let labels = harness.state().store().labels().expect("labels");
    assert_eq!(
        labels.iter().find(|l| l.name == "EVENT").and_then(|l| l.hotkey.clone()),
        Some("9".to_owned())
    );
}

#[test]
fn the_dark_theme_switches_the_visuals_and_is_kept_in_the_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dense = dense(dir.path());
    let mut harness = opened(&dense);
    assert!(!(harness.ctx.theme() == egui::Theme::Dark), "light is the default");
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Dark theme").click();
    harness.run();
    harness.run();
    assert!((harness.ctx.theme() == egui::Theme::Dark));
    drop(harness);

    let mut harness = opened(&dense);
    harness.run();
    assert!(
        (harness.ctx.theme() == egui::Theme::Dark),
        "remembered after reopening the project"
    );
    harness.state_mut().apply(ViewCommand::SetDarkTheme(false).into());
    harness.run();
    assert!(!(harness.ctx.theme() == egui::Theme::Dark));
}
