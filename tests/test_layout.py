"""The layout rules of docs/architecture.md, checked on every run so a violation fails CI instead of waiting for a
reviewer: data flows one way down the layers, no two modules import each other (directly or round a circle,
whether the import is at the top of a file or inside a function), and no module grows past 600 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

#: The packages from the top (the click layer) down; a module may import its own layer and the layers below.
LAYERS = [
    ("kb.cli", "kb.commands", "kb.console", "kb.__main__"),
    ("kb.knowledge_base",),
    ("kb.site",),
    ("kb.trace",),
    ("kb.search",),
    ("kb.ingest",),
    ("kb.lineage", "kb.nlp"),
    ("kb.index",),
    ("kb.store",),
    ("kb.project", "kb.tomltables"),
    ("kb.models", "kb.errors", "kb.processes", "kb"),
]
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in (REPO / "kb").rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (never run, so never part of a circle)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, ast.Import | ast.ImportFrom):
                        lines.add(sub.lineno)
    return lines


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, int]]:
    """(module of kb imported, line) for every import in ``path``, at any depth: ``from a.b import c`` is an
    import of the module ``a.b.c`` when there is one, else of ``a.b``."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name in modules]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in modules]
            out += [(s, node.lineno) for s in subs]
            if len(subs) < len(node.names) and module in modules:
                out.append((module, node.lineno))
    return [(target, line) for target, line in out if target != name]


def _layer(module: str) -> int:
    best = (-1, "")
    for i, names in enumerate(LAYERS):
        for n in names:
            if (module == n or module.startswith(n + ".")) and len(n) > len(best[1]):
                best = (i, n)
    assert best[0] >= 0, f"{module} is in no layer of LAYERS: add it where docs/architecture.md puts it"
    return best[0]


def test_nothing_imports_a_layer_above_it():
    modules = _modules()
    wrong = [f"{path.relative_to(REPO)}:{line}: {name} imports {target}"
             for name, path in sorted(modules.items()) for target, line in _imports(name, path, modules)
             if _layer(target) < _layer(name)]
    assert not wrong, "imports against the flow of data:\n" + "\n".join(wrong)


def test_no_import_circle_anywhere():
    modules = _modules()
    graph = {name: sorted({t for t, _ in _imports(name, path, modules)}) for name, path in modules.items()}
    # Tarjan's strongly connected components: any with two or more modules is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, "modules that import each other (round a circle): " + "; ".join(" -> ".join(c) for c in circles)


def test_the_checks_see_a_circle_and_a_wrong_way_import(tmp_path):
    """The two checks above must be able to fail: a function-level import back up the layers is an edge."""
    modules = {"kb.store.x": tmp_path / "x.py", "kb.search": tmp_path / "s.py"}
    (tmp_path / "x.py").write_text("def f():\n    from kb.search import y\n", "utf-8")
    assert _imports("kb.store.x", modules["kb.store.x"], modules) == [("kb.search", 2)]
    assert _layer("kb.search") < _layer("kb.store.x")
    (tmp_path / "t.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kb.search import y\n",
                                   "utf-8")
    assert _imports("kb.store.x", tmp_path / "t.py", modules) == []


def test_no_module_is_longer_than_600_lines():
    long = {str(p.relative_to(REPO)): n for p in (REPO / "kb").rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by what they do): {long}"


def test_commands_never_import_the_module_that_loads_them():
    """kb/cli.py loads each command with importlib (an edge the import lines do not show): a command importing
    kb.cli back would close a circle, so what commands share lives in kb/commands/common.py."""
    modules = _modules()
    back = [f"{path.relative_to(REPO)}:{line}" for name, path in modules.items() if name.startswith("kb.commands")
            for target, line in _imports(name, path, modules) if target == "kb.cli"]
    assert not back, "commands importing kb.cli: " + ", ".join(back)
    assert "importlib.import_module(f\"kb.commands." in (REPO / "kb" / "cli.py").read_text("utf-8")


def test_only_kb_index_reaches_an_engine():
    """The rest of kb reaches the index through kb.index's protocol and ``BACKENDS`` (docs/architecture.md), so
    an engine's package (kb.index.whoosh) or the reference engine is imported only inside kb.index."""
    modules = _modules()
    engines = ("kb.index.whoosh", "kb.index.reference")
    leaks = [f"{path.relative_to(REPO)}:{line}: {target}" for name, path in sorted(modules.items())
             if not name.startswith("kb.index") for target, line in _imports(name, path, modules)
             if target.startswith(engines)]
    assert not leaks, "imports of an engine past kb.index's protocol:\n" + "\n".join(leaks)


#: Packages a command reaches only through the KnowledgeBase handle (kb/knowledge_base.py).
BEHIND_THE_HANDLE = ("kb.trace", "kb.lineage", "kb.site", "kb.nlp", "kb.store")
#: command module -> packages of BEHIND_THE_HANDLE it may still import, each with the reason. Empty: every
#: command goes through the handle (imports under ``if TYPE_CHECKING:`` only name types and never run).
HANDLE_EXCEPTIONS: dict[str, set[str]] = {}


def _reaching_past_the_handle(modules: dict[str, Path]) -> list[str]:
    return [f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}:{line}: {name} imports {target}"
            for name, path in sorted(modules.items()) if name.startswith("kb.commands")
            for target, line in _imports(name, path, modules)
            if target.startswith(BEHIND_THE_HANDLE)
            and not any(target == p or target.startswith(p + ".") for p in HANDLE_EXCEPTIONS.get(name, ()))]


def test_commands_reach_the_library_through_the_handle():
    """A command parses options, calls one KnowledgeBase method and prints (docs/architecture.md): importing
    kb.trace, kb.lineage, kb.site, kb.nlp or kb.store itself, at the top or inside a function, would give it a
    second way in that scripts using kb as a library do not have."""
    leaks = _reaching_past_the_handle(_modules())
    assert not leaks, "commands importing past the KnowledgeBase handle:\n" + "\n".join(leaks)


def test_the_handle_check_sees_an_import_inside_a_function(tmp_path):
    modules = {"kb.commands.x": tmp_path / "x.py", "kb.trace.ledger": tmp_path / "l.py", "kb.store": tmp_path / "s.py"}
    (tmp_path / "x.py").write_text("import click\n\ndef run():\n    from kb.trace.ledger import trace\n"
                                   "    import kb.store\n", "utf-8")
    assert [line.split(": ", 1)[1] for line in _reaching_past_the_handle(modules)] == [
        "kb.commands.x imports kb.trace.ledger", "kb.commands.x imports kb.store"]
