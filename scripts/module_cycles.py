#!/usr/bin/env python3
"""Finds dependency cycles between the modules of each Rust crate in the workspace.

Issue #15: module dependencies inside a crate form a tree, so a type two modules share lives in
a leaf module. This script reads every `.rs` file under `src/` and `crates/*/src/`, resolves the
`crate::`, `super::` and `self::` paths in `use` statements and in code to the module that
defines the item (following `pub use` re-exports, so `crate::Ingest` counts as a use of the
module `Ingest` comes from), and builds one graph per directory level: two sibling modules `a`
and `b` under the same parent get an edge `a -> b` when anything in `a` (or below it) names
something in `b` (or below it). A parent's own use of its children, and a child's use of its
parent's items, are not edges: that is the `mod.rs` list of steps charabia's normalizer keeps.

It is a lexer-level reading, not a compiler: comments and string literals are stripped, paths
are matched by pattern, and `#[cfg(test)]` modules are left out by default (a unit test may
drive the whole crate through its public API; `--with-tests` counts them too). Paths that
begin with a name in scope (`use foo::X` inside the crate root) are not followed; only the
crate root can write those for a sibling, and the root is every module's parent.

Usage: scripts/module_cycles.py [--with-tests] [--graph] [--allow FILE] [ROOT]
Exit status 1 when a cycle is found that the allow file does not list, or when the allow file
lists a cycle that is gone (so the list only shrinks); 0 otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ModPath = tuple[str, ...]

# Comments and literals, removed before anything is matched: a path inside a doc link or a
# string is not a dependency, and a brace inside `'{'` must not move the module depth.
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
RAW_STRING = re.compile(r'b?r(#*)".*?"\1', re.S)
STRING = re.compile(r'b?"(?:\\.|[^"\\])*"', re.S)
CHAR = re.compile(r"b?'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^'\\\n])'")
LINE_COMMENT = re.compile(r"//[^\n]*")

USE_STMT = re.compile(r"\b(pub(?:\s*\([^)]*\))?\s+)?use\s+([^;]+);")
PATH = re.compile(r"\b(crate|super|self)((?:\s*::\s*[A-Za-z_][A-Za-z0-9_]*)+)")
INLINE_MOD = re.compile(r"\bmod\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{")
FILE_MOD = re.compile(r"\bmod\s+([A-Za-z_][A-Za-z0-9_]*)\s*;")
CFG_TEST = re.compile(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+$")


def strip(source: str) -> str:
    """The source without comments and literals, lengths kept so offsets stay meaningful."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    # Order matters: a `//` inside a string is not a comment, a quote inside a comment is
    # not a string. One left-to-right scan picks whichever starts first.
    combined = re.compile(
        "|".join(p.pattern for p in (BLOCK_COMMENT, LINE_COMMENT, RAW_STRING, STRING, CHAR)),
        re.S,
    )
    return combined.sub(blank, source)


def expand_use_tree(tree: str) -> list[tuple[str, str | None]]:
    """`a::{b, c::{d as e}}` -> [("a::b", "b"), ("a::c::d", "e")]: each leaf path and the name it binds."""
    tree = re.sub(r"\s+", "", tree)
    out: list[tuple[str, str | None]] = []

    def walk(prefix: str, text: str) -> None:
        depth, start, parts = 0, 0, []
        for i, ch in enumerate(text):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(text[start:i])
                start = i + 1
        parts.append(text[start:])
        for part in parts:
            if not part:
                continue
            brace = part.find("{")
            if brace >= 0:
                walk(prefix + part[:brace], part[brace + 1 : part.rindex("}")])
                continue
            path, alias = part, None
            if "as" in part and re.search(r"[a-z0-9_]as[A-Za-z_]", part):
                # `x as y` with whitespace removed: split on the last `as` after a segment.
                m = re.match(r"(.*[A-Za-z0-9_])as([A-Za-z_][A-Za-z0-9_]*)$", part)
                if m and not m.group(1).endswith("::"):
                    path, alias = m.group(1), m.group(2)
            full = (prefix + path).rstrip(":")
            name = alias or full.rsplit("::", 1)[-1]
            out.append((full, None if name in ("*", "self") else name))

    walk("", tree)
    return out


@dataclass
class Module:
    """What one module (a file or an inline `mod x { }`) names and re-exports."""

    path: ModPath
    test_only: bool = False
    # Paths as written, each with the module it was written in.
    refs: list[tuple[ModPath, str]] = field(default_factory=list)
    # `pub use` re-exports: bound name -> path as written.
    exports: dict[str, str] = field(default_factory=dict)


@dataclass
class Crate:
    """The modules of one crate, keyed by path from the crate root."""

    name: str
    modules: dict[ModPath, Module] = field(default_factory=dict)


def module_path_of(root: Path, file: Path) -> ModPath | None:
    rel = file.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts.pop()
    if parts and parts[0] == "bin":
        return None  # each file under src/bin is a crate of its own
    return tuple(parts)


def read_crate(name: str, root: Path) -> Crate:
    crate = Crate(name)
    test_files: set[ModPath] = set()
    for file in sorted(root.rglob("*.rs")):
        base = module_path_of(root, file)
        if base is None:
            continue
        text = strip(file.read_text(encoding="utf-8"))
        # `#[cfg(test)] mod x;` makes the file x.rs test-only.
        for m in FILE_MOD.finditer(text):
            if CFG_TEST.search(text[: m.start()][-200:] + "mod "):
                test_files.add(base + (m.group(1),))
        parse_file(crate, base, text)
    for path, module in crate.modules.items():
        if any(path[: len(t)] == t for t in test_files):
            module.test_only = True
    return crate


def parse_file(crate: Crate, base: ModPath, text: str) -> None:
    """Walks the braces of one file, so each path is credited to the inline module it sits in."""
    stack: list[tuple[ModPath, int, bool]] = [(base, 0, False)]
    crate.modules.setdefault(base, Module(base))
    opens = {m.end() - 1: m for m in INLINE_MOD.finditer(text)}
    depth = 0
    segment_start = 0

    def flush(end: int) -> None:
        current, _, test_only = stack[-1]
        module = crate.modules.setdefault(current, Module(current, test_only))
        chunk = text[segment_start:end]
        for use in USE_STMT.finditer(chunk):
            for full, bound in expand_use_tree(use.group(2)):
                module.refs.append((current, full))
                if use.group(1) and bound:
                    module.exports[bound] = full
        for m in PATH.finditer(USE_STMT.sub(" ", chunk)):
            module.refs.append((current, m.group(1) + re.sub(r"\s+", "", m.group(2))))

    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
            if i in opens:
                flush(i)
                segment_start = i + 1
                name = opens[i].group(1)
                parent, _, parent_test = stack[-1]
                before = text[max(0, opens[i].start() - 200) : opens[i].start()] + "mod "
                test_only = parent_test or bool(CFG_TEST.search(before))
                stack.append((parent + (name,), depth, test_only))
                crate.modules.setdefault(stack[-1][0], Module(stack[-1][0], test_only))
        elif ch == "}":
            if len(stack) > 1 and stack[-1][1] == depth:
                flush(i)
                segment_start = i + 1
                stack.pop()
            depth -= 1
    flush(len(text))


def resolve(crate: Crate, current: ModPath, written: str, seen: int = 0) -> ModPath | None:
    """The module that defines what `written` (a `crate::`/`super::`/`self::` path) names."""
    segments = written.split("::")
    head, rest = segments[0], segments[1:]
    if head == "crate":
        at: ModPath = ()
    elif head in ("super", "self"):
        at = current
        # Inline `mod tests` is a module too: `super` inside it is the file's module.
        while head == "super" or head == "self":
            if head == "super":
                if not at:
                    return None
                at = at[:-1]
            if not rest:
                return at
            head, rest = rest[0], rest[1:]
        rest = [head] + rest
    else:
        return None
    for i, segment in enumerate(rest):
        child = at + (segment,)
        if child in crate.modules:
            at = child
            continue
        module = crate.modules.get(at)
        if module and segment in module.exports and seen < 8:
            target = module.exports[segment]
            if target.split("::")[0] not in ("crate", "super", "self"):
                target = "self::" + target  # `pub use child::X` in a parent names its child
            found = resolve(crate, at, target, seen + 1)
            return found if found is not None else at
        break
    return at


def sibling_edges(crate: Crate, with_tests: bool) -> dict[ModPath, dict[str, set[str]]]:
    """For each parent module, the edges between its children."""
    levels: dict[ModPath, dict[str, set[str]]] = {}
    for module in crate.modules.values():
        if module.test_only and not with_tests:
            continue
        for current, written in module.refs:
            target = resolve(crate, current, written)
            if target is None:
                continue
            common = 0
            while common < min(len(current), len(target)) and current[common] == target[common]:
                common += 1
            if common == len(current) or common == len(target):
                continue  # ancestor or descendant, not a sibling
            parent = current[:common]
            levels.setdefault(parent, {}).setdefault(current[common], set()).add(target[common])
    return levels


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    nodes = sorted(set(graph) | {s for succs in graph.values() for s in succs})
    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(found)


def crates_under(root: Path) -> list[tuple[str, Path]]:
    found = []
    if (root / "src").is_dir():
        found.append(("docpipe", root / "src"))
    for src in sorted((root / "crates").glob("*/src")):
        found.append((src.parent.name, src))
    return found


def read_allow(path: Path | None) -> set[str]:
    if path is None or not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return {line for line in lines if line}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default=Path(__file__).resolve().parent.parent, type=Path)
    parser.add_argument("--with-tests", action="store_true", help="count #[cfg(test)] modules too")
    parser.add_argument("--graph", action="store_true", help="print every edge, not only cycles")
    parser.add_argument("--allow", type=Path, help="file of known cycles, one `crate: a <-> b` a line")
    args = parser.parse_args()

    allowed = read_allow(args.allow)
    seen: set[str] = set()
    for name, src in crates_under(args.root):
        crate = read_crate(name, src)
        for parent, graph in sorted(sibling_edges(crate, args.with_tests).items()):
            where = "::".join((name,) + parent)
            if args.graph:
                for node in sorted(graph):
                    print(f"{where}: {node} -> {', '.join(sorted(graph[node]))}")
            for component in cycles(graph):
                line = f"{where}: {' <-> '.join(component)}"
                seen.add(line)
                print(("known cycle  " if line in allowed else "CYCLE  ") + line)
    new = seen - allowed
    gone = allowed - seen
    for line in sorted(gone):
        print(f"GONE  {line}  (remove it from {args.allow})")
    if new or gone:
        return 1
    print(f"no module cycle{' beyond the known ones' if allowed else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
