//! The layering rules of ARCHITECTURE.md as a test, read off the source the way
//! rust-analyzer's `tidy` does: a rule broken names the file and line.

use std::path::{Path, PathBuf};

use regex::Regex;

/// Modules of the pure core: they take data, never a store, a file or a window.
const PURE: [&str; 11] = [
    "src/model",
    "src/text",
    "src/learn",
    "src/pretag",
    "src/formats",
    "src/review",
    "src/eval.rs",
    "src/spans.rs",
    "src/schema.rs",
    "src/integrity.rs",
    "src/integrity/",
];

const MAX_LINES: usize = 900;

/// What the pure core may not name.
fn reaching_out() -> Regex {
    Regex::new(r"crate::(store|project|gui)\b|use crate::\{[^}]*\b(store|project|gui)\b|std::fs\b|\brusqlite::")
        .expect("regex")
}

fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&root.join("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read source");
            let relative = path.strip_prefix(root).expect("under the root").to_path_buf();
            (relative, text)
        })
        .collect()
}

fn is_under(path: &Path, prefix: &str) -> bool {
    path.starts_with(prefix)
}

/// `file:line: text` for every line of the sources under `within` that matches.
fn offences(sources: &[(PathBuf, String)], within: impl Fn(&Path) -> bool, pattern: &Regex) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(path, _)| within(path)) {
        for (i, line) in text.lines().enumerate() {
            if pattern.is_match(line) {
                found.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_pure_core_names_no_store_project_gui_or_file_system() {
    let sources = sources();
    assert!(sources.len() > 40, "the walk found the sources");
    let forbidden = reaching_out();
    let pure = |path: &Path| PURE.iter().any(|prefix| is_under(path, prefix));
    let found = offences(&sources, pure, &forbidden);
    assert!(found.is_empty(), "the pure core reaches out:\n{}", found.join("\n"));
}

#[test]
fn only_the_store_writes_sql() {
    let sources = sources();
    let sql = Regex::new(r"\bSELECT\s|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b|\bCREATE\s+(TABLE|INDEX)\b")
        .expect("regex");
    let found = offences(&sources, |path| !is_under(path, "src/store"), &sql);
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
}

#[test]
fn only_the_store_names_a_database_driver_and_the_verbs_name_none() {
    let sources = sources();
    let driver = Regex::new(r"\b(rusqlite|postgres)::").expect("regex");
    // The connection, the file's own pragmas and copies, the server's schema and listener, and
    // the error type that wraps both drivers' errors.
    let allowed = [
        "src/store/db.rs",
        "src/store/mod.rs",
        "src/store/copy.rs",
        "src/store/migrations_pg.rs",
        "src/store/live.rs",
        "src/store/tests/",
        "src/error.rs",
    ];
    let outside = |path: &Path| !allowed.iter().any(|prefix| is_under(path, prefix));
    let found = offences(&sources, outside, &driver);
    assert!(
        found.is_empty(),
        "a database driver named outside its place:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_gui_sees_egui() {
    let sources = sources();
    let egui = Regex::new(r"\b(egui|eframe|egui_plot|rfd)::").expect("regex");
    let outside = |path: &Path| !is_under(path, "src/gui");
    let found = offences(&sources, outside, &egui);
    assert!(found.is_empty(), "egui outside src/gui:\n{}", found.join("\n"));
}

#[test]
fn no_source_file_is_over_the_limit() {
    let long: Vec<String> = sources()
        .iter()
        .map(|(path, text)| (path, text.lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(path, n)| format!("{}: {n} lines", path.display()))
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
}

#[test]
fn the_rules_catch_what_they_forbid() {
    let forbidden = reaching_out();
    assert!(forbidden.is_match("use crate::store::Store;"));
    assert!(forbidden.is_match("use crate::{model, store};"));
    assert!(forbidden.is_match("let bytes = std::fs::read(path)?;"));
    assert!(!forbidden.is_match("use crate::model::StatusFilter;"));
}
