//! Two annotators on one project, through the real app: on a team server another app's
//! accept shows up within a second, and an edit based on a row someone else has changed
//! since is refused, reloaded and said, with the other annotator's work kept. The server
//! tests run with `BIAOZHU_TEST_PG_URL` (`scripts/test-server.sh start`), each on a fresh
//! schema; the stale edit also runs on a file, where two apps can share one too.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use biaozhu::gui::{AnnotateCommand, App, Lang, ProjectCommand, RelationCommand, ViewCommand, install_fonts};
use biaozhu::model::{DocStatus, DocumentId, Entity, Role, Status};
use biaozhu::store::{ANNOTATOR_META_KEY, Store};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

use super::gui_util::{app_as, app_on, entities, open, pretagged_at, relations};
use super::util::login;

const TEXT: &str = "省发展改革委副主任王建国表示，长沙经开区新签约项目12个。";
const SIZE: [f32; 2] = [1200.0, 800.0];

/// A fresh project on the test server, or `None` (and a note) without one.
fn server_project() -> Option<PathBuf> {
    let Ok(url) = std::env::var("BIAOZHU_TEST_PG_URL") else {
        println!("skipped: server GUI test (set BIAOZHU_TEST_PG_URL)");
        return None;
    };
    Some(PathBuf::from(
        biaozhu::store::test_server::fresh_schema(&url).expect("a fresh schema"),
    ))
}

fn press(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Accepts the first suggestion with the keyboard (Tab, Enter); returns it.
fn accept_first(harness: &mut Harness<'_, App>) -> biaozhu::model::EntityId {
    press(harness, Key::Tab);
    let id = harness.state().selected().expect("Tab selects the first suggestion");
    press(harness, Key::Enter);
    assert_eq!(harness.state().error(), None);
    id
}

fn held(harness: &Harness<'_, App>, id: biaozhu::model::EntityId) -> Option<Entity> {
    harness.state().open_entities().iter().find(|e| e.id == id).cloned()
}

fn stored(harness: &Harness<'_, App>, document: DocumentId, id: biaozhu::model::EntityId) -> Entity {
    entities(harness, document)
        .into_iter()
        .find(|e| e.id == id)
        .expect("the entity is stored")
}

#[test]
fn an_accept_in_one_app_shows_in_the_other_within_a_second() {
    let Some(location) = server_project() else { return };
    let ids = pretagged_at(&location, &[("a.txt", TEXT)]);
    let mut a = app_on(&location, ids[0], SIZE);
    let mut b = app_on(&location, ids[0], SIZE);
    let (n_suggestions, _) = b.state().to_check();
    assert!(n_suggestions >= 1, "the rules suggest something in {TEXT}");

    let id = accept_first(&mut a);
    let accepted = Instant::now();
    assert_eq!(stored(&a, ids[0], id).status, Status::Accepted);

    // B only draws frames: the watcher's notification makes it read the document again.
    loop {
        b.step();
        if held(&b, id).is_some_and(|e| e.status == Status::Accepted) {
            break;
        }
        assert!(
            accepted.elapsed() < Duration::from_secs(1),
            "B still shows {:?} a second after A accepted it",
            held(&b, id)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("B showed A's accept after {} ms", accepted.elapsed().as_millis());
    assert_eq!(b.state().to_check().0, n_suggestions - 1);
    assert_eq!(b.state().error(), None);
    b.run();
}

/// A and B both hold the suggestion; A accepts it; B, without reading it again, rejects
/// it: B is told and shows what is stored, and the entity stays A's accepted one. On a file
/// B is another annotator on the one pre-tagged layer; on a server, where each annotator
/// has their own copy of the suggestions, B is alice's second window.
fn stale_reject(location: &Path, b_name: &str) {
    let ids = pretagged_at(location, &[("a.txt", TEXT)]);
    let mut a = app_as(location, "alice", SIZE);
    open(&mut a, ids[0]);
    let mut b = app_as(location, b_name, SIZE);
    open(&mut b, ids[0]);

    let id = accept_first(&mut a);
    assert_eq!(held(&b, id).map(|e| e.status), Some(Status::Suggested));
    // No frame of B in between: its watcher has had no chance to reload it.
    b.state_mut().apply(AnnotateCommand::RejectOrDelete(id).into());
    assert_eq!(b.state().error(), Some("changed by someone else — reloaded"));

    let kept = stored(&b, ids[0], id);
    assert_eq!((kept.status, kept.annotator.as_str()), (Status::Accepted, "alice"));
    // B's view was read again: the suggestion it rejected is no longer offered.
    assert!(
        held(&b, id).is_none_or(|e| e.status != Status::Suggested),
        "{:?}",
        held(&b, id)
    );
    b.run();
    assert_eq!(stored(&b, ids[0], id), kept);
}

/// [`stale_reject`] for a relation suggestion: A accepts it (and its ends), B rejects it.
fn stale_relation_reject(location: &Path, b_name: &str) {
    let ids = pretagged_at(location, &[("a.txt", TEXT)]);
    let mut a = app_as(location, "alice", SIZE);
    open(&mut a, ids[0]);
    let mut b = app_as(location, b_name, SIZE);
    open(&mut b, ids[0]);
    // The suggestion as alice sees it: her own copy on a server, the pre-tagger's on a file.
    let all = relations(&a, ids[0]);
    let relation = ["alice", biaozhu::model::ANNOTATOR_PRETAG]
        .iter()
        .find_map(|owner| {
            all.iter()
                .find(|r| r.status == Status::Suggested && r.annotator == *owner)
                .cloned()
        })
        .expect("the rules suggest a relation");

    a.state_mut().apply(RelationCommand::AcceptRelation(relation.id).into());
    assert_eq!(a.state().error(), None);
    b.state_mut()
        .apply(RelationCommand::RejectOrDeleteRelation(relation.id).into());
    assert_eq!(b.state().error(), Some("changed by someone else — reloaded"));
    let kept = relations(&b, ids[0])
        .into_iter()
        .find(|r| r.id == relation.id)
        .expect("the relation is stored");
    assert_eq!((kept.status, kept.annotator.as_str()), (Status::Accepted, "alice"));
    b.run();
}

#[test]
fn a_stale_reject_on_a_server_reloads_and_keeps_the_other_windows_accept() {
    let Some(location) = server_project() else { return };
    stale_reject(&location, "alice");
}

#[test]
fn a_stale_reject_on_a_file_reloads_and_keeps_the_other_annotators_accept() {
    let dir = tempfile::tempdir().expect("tempdir");
    stale_reject(&dir.path().join("p.sqlite"), "bob");
}

#[test]
fn a_stale_relation_reject_on_a_server_keeps_the_other_windows_accept() {
    let Some(location) = server_project() else { return };
    stale_relation_reject(&location, "alice");
}

#[test]
fn a_stale_relation_reject_on_a_file_keeps_the_other_annotators_accept() {
    let dir = tempfile::tempdir().expect("tempdir");
    stale_relation_reject(&dir.path().join("p.sqlite"), "bob");
}

/// Two annotators of one server document judge each suggestion independently, as with a
/// file each: alice's accept takes nothing from bob, whose own copy stays to be judged.
#[test]
fn on_a_server_each_annotator_judges_every_suggestion_themselves() {
    let Some(location) = server_project() else { return };
    let ids = pretagged_at(&location, &[("a.txt", TEXT)]);
    let mut a = app_as(&location, "alice", SIZE);
    open(&mut a, ids[0]);
    let mut b = app_as(&location, "bob", SIZE);
    open(&mut b, ids[0]);
    let (n_alice, _) = a.state().to_check();
    assert_eq!(b.state().to_check().0, n_alice, "the same suggestions, each their own");
    assert!(a.state().open_entities().iter().all(|e| e.annotator == "alice"));
    assert!(b.state().open_entities().iter().all(|e| e.annotator == "bob"));

    let id = accept_first(&mut a);
    let span = stored(&a, ids[0], id).span();
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline {
        b.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(b.state().to_check().0, n_alice, "bob still has all his suggestions");
    // The list counts each one's own layer, not every copy together.
    let line = |h: &Harness<'_, App>| h.state().store().document_summary(ids[0]).expect("line");
    assert_eq!(line(&a).n_suggested, n_alice - 1);
    assert_eq!(line(&b).n_suggested, n_alice);
    let bobs = b
        .state()
        .open_entities()
        .iter()
        .find(|e| e.span() == span)
        .cloned()
        .expect("bob's own suggestion at the span alice accepted");
    assert_eq!((bobs.status, bobs.annotator.as_str()), (Status::Suggested, "bob"));
    let bob_id = accept_first(&mut b);
    assert_eq!(bob_id, bobs.id);
    let all = entities(&b, ids[0]);
    let accepted: Vec<&str> = all
        .iter()
        .filter(|e| e.span() == span && e.status == Status::Accepted)
        .map(|e| e.annotator.as_str())
        .collect();
    assert_eq!(accepted, ["alice", "bob"], "both layers hold their own decision");
    let store = Store::open(&location).expect("open");
    assert!(store.check().expect("check").is_empty());
}

/// The server ends every connection of B (as a restart would) and A's own: B connects
/// again, says so, and catches up on the accept A made meanwhile; A's accept, the first
/// request on its dropped connection, goes through on a new one.
#[test]
fn dropped_connections_reconnect_and_catch_up() {
    let Some(location) = server_project() else { return };
    let ids = pretagged_at(&location, &[("a.txt", TEXT)]);
    let name = format!("biaozhu_gui_test_{}", std::process::id());
    let b_location = PathBuf::from(format!("{}&application_name={name}", location.display()));
    let mut a = app_on(&location, ids[0], SIZE);
    let mut b = app_on(&b_location, ids[0], SIZE);
    let b_pid = b.state().store().backend_pid().expect("a server connection");
    let a_pid = a.state().store().backend_pid().expect("a server connection");
    let url = location.to_str().expect("a url");
    let mut admin = postgres::Client::connect(url, postgres::NoTls).expect("admin connection");
    let mut terminate = |filter: &str, params: &[&(dyn postgres::types::ToSql + Sync)]| -> i64 {
        admin
            .query_one(
                &format!("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {filter}"),
                params,
            )
            .expect("terminate")
            .get(0)
    };
    // B's listener comes up on a thread of its own; wait for it, then end it and B's own.
    let deadline = Instant::now() + Duration::from_secs(5);
    while terminate("application_name = $1 AND pid <> $2", &[&name, &(b_pid as i32)]) == 0 {
        assert!(Instant::now() < deadline, "B's listener never connected");
        b.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(terminate("pid IN ($1, $2)", &[&(a_pid as i32), &(b_pid as i32)]), 2);
    // The ends take effect on the server's side a moment later.
    std::thread::sleep(Duration::from_millis(100));

    let id = accept_first(&mut a);
    assert_ne!(a.state().store().backend_pid(), Some(a_pid), "A connected again");
    let accepted = Instant::now();
    loop {
        b.step();
        let shown = held(&b, id).is_some_and(|e| e.status == Status::Accepted);
        if shown && b.state().message() == "reconnected to the server" {
            break;
        }
        assert!(
            accepted.elapsed() < Duration::from_secs(5),
            "B shows {:?} and says {:?} ({:?}) five seconds after its connections were ended",
            held(&b, id),
            b.state().message(),
            b.state().error()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "B reconnected and caught up after {} ms",
        accepted.elapsed().as_millis()
    );
    assert_eq!(b.state().error(), None);
    b.run();
}

/// Background tasks and File → Save a copy… open the project again from its location: on
/// a server, its address.
#[test]
fn pretag_in_the_background_and_a_copy_work_on_a_server_project() {
    let Some(location) = server_project() else { return };
    let ids = pretagged_at(&location, &[("a.txt", TEXT)]);
    let mut app = app_on(&location, ids[0], SIZE);
    let id = accept_first(&mut app);

    app.state_mut().apply(ProjectCommand::RerunPretag.into());
    assert!(app.state().busy(), "pre-tagging runs on its own thread");
    let deadline = Instant::now() + Duration::from_secs(30);
    while app.state().busy() {
        assert!(Instant::now() < deadline, "pre-tagging never finished");
        app.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(app.state().error(), None);
    assert!(
        app.state().message().starts_with("pre-tagged 1 documents"),
        "{}",
        app.state().message()
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("copy.sqlite");
    app.state_mut().apply(ProjectCommand::SaveCopy(copy.clone()).into());
    assert_eq!(app.state().error(), None);
    assert!(
        app.state().message().contains("saved a copy"),
        "{}",
        app.state().message()
    );
    let copied = biaozhu::store::Store::open_existing(&copy).expect("the copy opens");
    let kept = copied
        .entities(ids[0], biaozhu::model::StatusFilter::All)
        .expect("entities");
    assert!(
        kept.iter().any(|e| e.id == id && e.status == Status::Accepted),
        "{kept:?}"
    );
}

/// `url` logging in as `login` (the test server trusts its local logins).
fn as_login(url: &str, login: &str) -> PathBuf {
    PathBuf::from(super::util::as_login(url, login))
}

/// The real app at `location` with no annotator given: the one it finds is used.
fn app_unnamed(location: &Path) -> Harness<'static, App> {
    let location = location.to_path_buf();
    let mut harness = Harness::builder().with_size(SIZE).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx, false);
        App::new(Store::open(&location).expect("store"), None).expect("app")
    });
    harness.run();
    harness
}

/// The name, the language and the theme are each login's own: what alice chooses is not
/// bob's, nor the project's, and alice finds hers again.
#[test]
fn two_logins_keep_their_own_name_language_and_theme() {
    let Some(location) = server_project() else { return };
    let url = location.to_str().expect("a url").to_owned();
    pretagged_at(&location, &[("a.txt", TEXT)]);
    let mut admin = Store::open(&location).expect("admin");
    for name in ["alice", "bob"] {
        admin
            .add_user(name, &login(&url, name), Role::Annotator)
            .expect("add user");
    }
    let (alice, bob) = (
        as_login(&url, &login(&url, "alice")),
        as_login(&url, &login(&url, "bob")),
    );

    let mut a = app_unnamed(&alice);
    // With no name saved for the login, its project user's.
    assert_eq!(a.state().annotator_name(), Some("alice"));
    a.state_mut().apply(ProjectCommand::SetAnnotator("alice".into()).into());
    a.state_mut().apply(ViewCommand::SetLanguage(Lang::Zh).into());
    a.state_mut().apply(ViewCommand::SetDarkTheme(true).into());
    a.run();
    assert_eq!(a.state().error(), None);
    assert_eq!(a.state().language(), Lang::Zh);
    a.get_by_label("文档");

    let mut b = app_unnamed(&bob);
    assert_eq!(b.state().annotator_name(), Some("bob"));
    assert_eq!(b.state().language(), Lang::En);
    assert_ne!(b.ctx.theme(), egui::Theme::Dark);
    b.get_by_label("Documents");
    assert_eq!(b.state().store().personal_meta(ANNOTATOR_META_KEY).expect("meta"), None);
    // Nor did it become the project's setting.
    assert_eq!(admin.meta(ANNOTATOR_META_KEY).expect("meta"), None);
    assert_eq!(admin.meta("gui.language").expect("meta"), None);
    let mut admin_app = app_unnamed(&location);
    assert_eq!(admin_app.state().annotator_name(), None, "the owner is no project user");
    assert_eq!(admin_app.state().language(), Lang::En);
    admin_app.run();

    drop(a);
    let a = app_unnamed(&alice);
    assert_eq!(a.state().annotator_name(), Some("alice"));
    assert_eq!(a.state().language(), Lang::Zh);
    assert_eq!(a.ctx.theme(), egui::Theme::Dark);
    a.get_by_label("文档");
    b.run();
}

/// Three documents, one slot each: alice holds the first (finished) and the third, bob the
/// second.
fn assigned(location: &Path) -> (Store, Vec<DocumentId>) {
    let ids = pretagged_at(
        location,
        &[
            ("a.txt", TEXT),
            ("b.txt", "长沙经开区副主任李明表示，新签约项目8个。"),
            ("c.txt", "湖南日报记者王建国在长沙报道，省发展改革委新签约项目3个。"),
        ],
    );
    let mut admin = Store::open(location).expect("admin");
    assert_eq!(admin.assign(1).expect("assign"), 3);
    (admin, ids)
}

#[test]
fn the_mine_scope_lists_only_the_annotators_assigned_documents() {
    let Some(location) = server_project() else { return };
    let (mut admin, ids) = assigned(&location);
    assert_eq!(admin.claim_next("alice").expect("claim"), Some(ids[0]));
    admin.finish_claim(ids[0], "alice", true).expect("finish");
    assert_eq!(admin.claim_next("bob").expect("claim"), Some(ids[1]));
    assert_eq!(admin.claim_next("alice").expect("claim"), Some(ids[2]));

    let mut a = app_as(&location, "alice", SIZE);
    a.run();
    assert_eq!(a.state().listed_documents(), ids);
    a.get_by_label("mine").click();
    a.run();
    assert_eq!(a.state().error(), None);
    assert_eq!(a.state().listed_documents(), [ids[0], ids[2]]);
    // Most uncertain first within the scope: the same two documents.
    a.get_by_label("most uncertain first").click();
    a.run();
    let mut uncertain = a.state().listed_documents();
    uncertain.sort();
    assert_eq!(uncertain, [ids[0], ids[2]]);
    // An edit does not move a line: the list stays the snapshot.
    open(&mut a, ids[2]);
    accept_first(&mut a);
    let mut after = a.state().listed_documents();
    after.sort();
    assert_eq!(after, [ids[0], ids[2]]);
    // One slot per document: none has two finished annotators to compare.
    a.get_by_label("to review").click();
    a.run();
    assert_eq!(a.state().listed_documents(), Vec::<DocumentId>::new());
    a.get_by_label("all").click();
    a.get_by_label("id order").click();
    a.run();
    assert_eq!(a.state().listed_documents(), ids);
    assert_eq!(a.state().error(), None);

    // A file has no assignments, and no scopes to choose.
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = super::gui_util::pretagged(dir.path(), &[("a.txt", TEXT)]);
    let mut file = app_as(&path, "alice", SIZE);
    file.run();
    assert!(file.query_by_label("mine").is_none());
    assert!(file.query_by_label("id order").is_some());
}

/// Ctrl+Enter (twice: suggestions are left) marks the document done and opens the next
/// claim, not the next in the list; a document done that was no claim is the annotator's
/// finished slot.
fn mark_done(harness: &mut Harness<'_, App>) {
    for _ in 0..2 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        harness.run();
        if !harness.state().asking_to_mark_done() {
            break;
        }
    }
    assert_eq!(harness.state().error(), None);
}

#[test]
fn ctrl_enter_on_a_server_opens_the_next_claim() {
    let Some(location) = server_project() else { return };
    let (mut admin, ids) = assigned(&location);
    // Bob finished the first and holds the second.
    assert_eq!(admin.claim_next("bob").expect("claim"), Some(ids[0]));
    admin.finish_claim(ids[0], "bob", true).expect("finish");
    assert_eq!(admin.claim_next("bob").expect("claim"), Some(ids[1]));

    let mut a = app_as(&location, "alice", SIZE);
    a.run();
    assert_eq!(a.state().current_document(), Some(ids[0]), "the first not done");
    mark_done(&mut a);
    // The list would say the second; it is bob's, and alice claims the third.
    assert_eq!(a.state().current_document(), Some(ids[2]));
    let slots = |store: &Store, id| store.assignment_of(id).expect("assignment");
    assert_eq!(
        slots(&admin, ids[2]),
        [(Some("alice".to_owned()), DocStatus::InProgress)]
    );
    assert_eq!(slots(&admin, ids[0]), [(Some("bob".to_owned()), DocStatus::Done)]);

    mark_done(&mut a);
    assert_eq!(slots(&admin, ids[2]), [(Some("alice".to_owned()), DocStatus::Done)]);
    assert_eq!(a.state().message(), "every document is done");
    // Undoing "done" opens alice's slot again.
    a.state_mut().apply(AnnotateCommand::Undo.into());
    assert_eq!(a.state().error(), None);
    assert_eq!(
        slots(&admin, ids[2]),
        [(Some("alice".to_owned()), DocStatus::InProgress)]
    );
    a.run();
}

/// A document marked done that the annotator had not claimed becomes their finished slot,
/// and Ctrl+Enter goes on to another document rather than opening it again.
#[test]
fn marking_an_unclaimed_document_done_finishes_its_slot() {
    let Some(location) = server_project() else { return };
    let (admin, ids) = assigned(&location);
    let mut a = app_as(&location, "alice", SIZE);
    a.run();
    assert_eq!(a.state().current_document(), Some(ids[0]));
    mark_done(&mut a);
    assert_eq!(a.state().current_document(), Some(ids[1]));
    let slots = |id| admin.assignment_of(id).expect("assignment");
    assert_eq!(slots(ids[0]), [(Some("alice".to_owned()), DocStatus::Done)]);
    assert_eq!(slots(ids[1]), [(Some("alice".to_owned()), DocStatus::InProgress)]);
}
