"""The package keeps its shape: small modules, no import cycles, data flowing one way.

The order of the layers is the pipeline's (README, "How it is built"): a
module may import modules of its own layer or of an earlier one, never of a
later one. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "chronicle"
SCRIPTS = Path(__file__).resolve().parent.parent / "site_templates" / "static"
MAX_LINES = 400

#: The pipeline, first to last. Every module of the package is in exactly one layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("diagnostics", "workers", "caches"),
    ("content.reading",),
    ("content.yamldoc", "content.files"),
    ("config",),
    ("content.dates", "content.names"),
    ("content.model",),
    ("content.quotes", "content.schema", "content.wording"),
    ("content.citations", "content.imported"),
    ("content.validate", "content.provenance", "content.parts"),
    ("site.browse", "site.facets", "site.markup", "site.links", "site.page", "site.paging"),
    ("site.markdown_cache", "site.jsonld", "site.passages", "site.embed"),
    ("site.pages",),
    ("site.write", "site.removal"),  # the staging folder and safe writes, which rendering writes pages into as it goes
    ("site.fragments", "site.templates", "site.render", "site.render_workers"),
    ("site.pagefind",),
    ("site.search", "site.build_state", "site.embed_data"),
    ("exchange.records", "exchange.pieces", "exchange.htmltext", "exchange.eventfile", "exchange.slides"),
    ("exchange.exports", "exchange.timelinejs", "exchange.feed"),
    ("exchange.sheet", "exchange.outputs"),
    ("build",),
    ("preview.cache", "preview.incremental", "preview.later"),
    ("preview.live", "preview.errorpage", "preview.watcher", "preview.serve"),
    ("scaffold",),
    ("exchange.importer",),
    ("cli", "__main__"),
)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name below ``chronicle`` (packages' ``__init__`` left out)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        found[".".join(path.relative_to(PACKAGE).with_suffix("").parts)] = path
    return found


def imports(name: str, path: Path) -> Iterator[str]:
    """The package's modules that ``name`` imports, anywhere in the file."""
    known = modules()
    package = name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("chronicle"):
                target = node.module.removeprefix("chronicle").lstrip(".")
            else:
                continue
            for alias in node.names:  # `from . import cache` names a module; `from .x import y` a member of x
                member = f"{target}.{alias.name}" if target else alias.name
                if member in known:
                    yield member
                elif target in known:
                    yield target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("chronicle."):
                    target = alias.name.removeprefix("chronicle.")
                    if target in known:
                        yield target


def graph() -> dict[str, set[str]]:
    return {name: set(imports(name, path)) - {name} for name, path in modules().items()}


def test_every_module_is_in_a_layer_once() -> None:
    listed = [name for layer in LAYERS for name in layer]
    assert len(listed) == len(set(listed)), "a module is listed in two layers"
    assert sorted(listed) == sorted(modules()), "add the new module to LAYERS (and to the README's table)"


def test_no_module_is_longer_than_the_limit() -> None:
    long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these by job: {long}"


def test_no_browser_script_is_longer_than_the_limit() -> None:
    """The site's scripts (site_templates/static/*.js) are held to the same limit as the package's modules."""
    scripts = sorted(SCRIPTS.glob("*.js"))
    assert scripts, f"no scripts found in {SCRIPTS}"
    long = {path.name: n for path in scripts if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these by job: {long}"


def test_data_flows_one_way() -> None:
    rank = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    backwards = sorted(
        f"{name} imports {target}" for name, targets in graph().items() for target in targets if rank[target] > rank[name]
    )
    assert backwards == []


def test_no_import_cycles() -> None:
    edges = graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_checks_see_imports(tmp_path: Path) -> None:
    """The import reader finds relative, absolute and in-function imports (so the tests above can fail)."""
    source = "from ..content.model import Event\nfrom . import cache\ndef f():\n    from chronicle.site import render\n"
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    assert set(imports("preview.live", path)) == {"content.model", "preview.cache", "site.render"}
