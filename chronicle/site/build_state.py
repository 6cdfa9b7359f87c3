"""Build state: what the last build of an output folder was made from and what it wrote, to skip what has not changed.

Speed machinery for ``build``, kept in ``.cache/build/`` (one file per output
folder). Two savings, neither changing a byte of the site:

- **Nothing changed.** The inputs of a build (every content file, template
  and static file, the settings, Chronicle's own code and the versions of the
  libraries that shape the output, the checked-out commit that dates the
  events) are hashed first; when they are what the last build of this output
  folder was made from, and that folder is as it was left (every file there,
  of the size and modification time recorded), the build is done: ``output/``
  is not touched.
- **No event page changed.** The search index depends only on the events'
  search documents; when those are what the last build indexed, its index
  files are linked into the new site rather than made again.

A missing, unreadable or foreign state file is no state: the build does
everything, as a cold build does.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from ..caches import cache_folder, write_json
from ..config import BuildConfig
from ..content.provenance import repository_head

FORMAT = 1
#: Libraries whose version can change the bytes of the site.
_LIBRARIES = ("jinja2", "markdown", "mdx_truly_sane_lists", "nh3", "pyyaml", "yaml-rs", "edtf", "pagefind_bin", "markupsafe")
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildState:
    """What one build of an output folder was made from, and what it left there."""

    inputs: str
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (size, mtime_ns), after the swap
    index: str = ""  # hash of the search documents indexed ("" when there is no index)
    index_files: tuple[str, ...] = ()  # the files the indexer made
    events: int = 0
    warnings: tuple[tuple[str, int, int, str, str], ...] = ()  # path, line, column, message, severity


def inputs_digest(config: BuildConfig) -> str:
    """A hash of everything the site is made from: equal hashes, equal sites."""
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(repr(part).encode("utf-8", "surrogatepass"))
            digest.update(b"\0")

    add(FORMAT, sys.version, repr(config.site), config.search_index)
    add(*(f"{name}={_version(name)}" for name in _LIBRARIES))
    for root in (_PACKAGE, config.templates_dir, config.events_dir, config.seeds_dir):
        add(str(root.absolute()))
        for path in _files(root):
            add(path.relative_to(root).as_posix())
            try:
                digest.update(path.read_bytes())
            except OSError:
                add("<unreadable>")
    add(repository_head(config.events_dir) if config.events_dir.is_dir() else None)  # provenance dates come from its history
    return digest.hexdigest()


def documents_digest(documents: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for event_id, html in documents:
        digest.update(event_id.encode() + b"\0" + html.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def load(output_dir: Path) -> BuildState | None:
    path = _state_path(output_dir)
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes())
        return BuildState(
            inputs=str(data["inputs"]),
            files={str(k): (int(v[0]), int(v[1])) for k, v in data["files"].items()},
            index=str(data["index"]),
            index_files=tuple(str(f) for f in data["index_files"]),
            events=int(data["events"]),
            warnings=tuple((str(w[0]), int(w[1]), int(w[2]), str(w[3]), str(w[4])) for w in data["warnings"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def save(output_dir: Path, state: BuildState) -> None:
    """Record the state after a build; a failure only means the next build does everything."""
    path = _state_path(output_dir)
    if path is None:
        return
    write_json(path, asdict(state))


def clear(output_dir: Path) -> None:
    """Forget the state (before a build changes the folder: a build that fails half-way leaves none)."""
    path = _state_path(output_dir)
    if path is not None:
        path.unlink(missing_ok=True)


def listing(output_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``output_dir``: path -> (size, mtime_ns)."""
    found: dict[str, tuple[int, int]] = {}
    todo = [(str(output_dir), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, prefix + entry.name + "/"))
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (info.st_size, info.st_mtime_ns)
    return found


def intact(output_dir: Path, state: BuildState) -> bool:
    """Is the folder exactly as the last build left it (the same files, sizes and modification times)?"""
    try:
        return listing(output_dir) == state.files
    except OSError:
        return False


def link_files(source: Path, target: Path, names: Iterable[str]) -> None:
    """Hard-link (or, across file systems, copy) files of the last site into the new one."""
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source / name, destination)
        except OSError:
            destination.write_bytes((source / name).read_bytes())


def _state_path(output_dir: Path) -> Path | None:
    folder = cache_folder("build")
    if folder is None:
        return None
    name = hashlib.sha256(str(output_dir.absolute()).encode()).hexdigest()[:16]
    return folder / f"{name}.json"


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("."))


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"
