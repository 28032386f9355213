//! Module dependencies inside each crate form a tree (issue #15): scripts/module_cycles.py finds
//! the cycles between sibling modules of every crate in crates/ and of the binary, and this
//! test fails on one that scripts/module_cycles.allow does not list (or on a listed one that is
//! gone, so the list only shrinks).

mod common;

use std::fs;
use std::process::Command;

fn script() -> Command {
    let mut command = Command::new("python3");
    command.arg(common::repo_root().join("scripts/module_cycles.py"));
    command
}

#[test]
fn no_module_cycle_beyond_the_known_ones() {
    let root = common::repo_root();
    let output = script()
        .arg("--allow")
        .arg(root.join("scripts/module_cycles.allow"))
        .arg(&root)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("no module cycle"), "{stdout}");
}

/// The script sees a cycle through `use crate::`, through `super::` and through a root
/// re-export, and none in a tree (a parent using its children, children using a leaf).
#[test]
fn the_script_finds_cycles_and_only_cycles() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let src = dir.path().join("crates/demo/src");
    fs::create_dir_all(src.join("stage")).expect("folders");
    let write = |path: &str, text: &str| fs::write(src.join(path), text).expect("a source file");
    write(
        "lib.rs",
        "mod leaf; mod reader; mod source; mod stage;\npub use reader::Reader;\n",
    );
    write("leaf.rs", "pub struct Shared;\n");
    // reader -> source through a path in code, source -> reader through the root re-export.
    write(
        "reader.rs",
        "pub struct Reader;\nfn f() { crate::source::open(); }\n",
    );
    write(
        "source.rs",
        "use crate::{leaf::Shared, Reader};\n// use crate::stage::Ignored; comments are not edges\npub fn open() {}\n",
    );
    // A parent and its children are no cycle; siblings that use each other are.
    write("stage/mod.rs", "mod one; mod two;\npub use one::One;\n");
    write(
        "stage/one.rs",
        "use super::two::Two;\nuse crate::leaf::Shared;\npub struct One;\n",
    );
    write(
        "stage/two.rs",
        "pub struct Two;\nfn g() -> super::One { super::One }\n",
    );

    let output = script().arg(dir.path()).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let cycles: Vec<&str> = stdout.lines().filter(|l| l.starts_with("CYCLE")).collect();
    assert_eq!(
        cycles,
        [
            "CYCLE  demo: reader <-> source",
            "CYCLE  demo::stage: one <-> two"
        ],
        "{stdout}"
    );

    // Allowed, the same cycles pass; allowed but gone, a cycle fails the run.
    let allow = dir.path().join("allow");
    fs::write(
        &allow,
        "demo: reader <-> source\ndemo::stage: one <-> two\n",
    )
    .expect("allow");
    let allowed = script()
        .arg("--allow")
        .arg(&allow)
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stdout)
    );
    fs::write(
        &allow,
        "demo: reader <-> source\ndemo::stage: one <-> two\ndemo: a <-> b\n",
    )
    .expect("allow");
    let stale = script()
        .arg("--allow")
        .arg(&allow)
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stdout).contains("GONE  demo: a <-> b"));
}
