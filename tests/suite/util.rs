//! Helpers shared by the integration tests: temp folders and the real binary.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The repository root, where `corpus/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The built `biaozhu` binary started in `dir` with `args`, its three streams piped.
fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_biaozhu"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("biaozhu starts")
}

/// Runs the built `biaozhu` binary in `dir` with `args`, feeding `stdin`.
pub fn biaozhu(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = spawn(dir, args);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("biaozhu finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

/// Python's `text[start:end]`.
pub fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Runs the binary with its stdout closed before it writes, as `biaozhu … | head -0` would:
/// returns the exit status and stderr. `stdin` is fed from a thread, which may find the
/// process gone.
pub fn biaozhu_into_closed_pipe(dir: &Path, args: &[&str], stdin: String) -> (std::process::ExitStatus, String) {
    let mut child = spawn(dir, args);
    drop(child.stdout.take());
    let mut input = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let output = child.wait_with_output().expect("biaozhu finishes");
    feeder.join().expect("feeder");
    (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// `url` logged in as `login` instead (the test server trusts its local logins).
pub fn as_login(url: &str, login: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{login}@{host}")
}

/// A login name of a test's own, from its schema in `url`: logins are the cluster's, shared
/// by every schema.
pub fn login(url: &str, name: &str) -> String {
    let schema = url
        .rsplit("search_path%3D")
        .next()
        .and_then(|s| s.split(',').next())
        .expect("schema");
    format!("{name}_{schema}")
}
