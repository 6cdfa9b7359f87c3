"""Files: which files hold the content, and reading them.

``events/<YYYY>/<id>.yaml`` (one event each), ``events/tags.yaml`` (the tag
vocabulary) and ``seeds/<id>.txt`` beside ``seeds/<id>.yaml`` (an archived
source document and what it is). Files are listed in a stable order and read
through :mod:`chronicle.content.yamldoc`; every problem is a diagnostic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..diagnostics import Diagnostic
from .yamldoc import Document, load_yaml, read_text

VOCABULARY_FILE = "tags.yaml"


@dataclass(frozen=True)
class SeedFiles:
    """A seed's archived text and its metadata document (either may be missing)."""

    id: str
    text_path: Path
    text: str | None
    meta: Document | None


def event_files(events_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every ``events/<YYYY>/<id>.yaml``, sorted; misplaced files are reported."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    if not events_dir.is_dir():
        return [], [Diagnostic(events_dir, 1, 1, "the events folder does not exist")]
    for parts in _walk(str(events_dir)):
        path = events_dir.joinpath(*parts)
        if path.suffix == ".yml":
            problems.append(Diagnostic(path, 1, 1, f"event files end in .yaml: rename it to {path.with_suffix('.yaml').name}"))
        elif path.suffix != ".yaml":
            continue
        elif len(parts) == 2:
            files.append(path)
        elif not (len(parts) == 1 and path.name == VOCABULARY_FILE):
            problems.append(
                Diagnostic(path, 1, 1, "an event file belongs in a folder named after its year: events/<YYYY>/<id>.yaml")
            )
    return files, problems


def _walk(folder: str, parts: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The files below ``folder`` as path parts, sorted as paths sort; hidden files and folders left out.

    Like ``sorted(Path(folder).rglob("*"))`` keeping files, without a ``Path``
    and a ``stat`` per file: symbolic links to folders are not followed.
    """
    found: list[tuple[str, ...]] = []
    todo = [(folder, parts)]
    while todo:
        current, prefix = todo.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, prefix + (entry.name,)))
                elif entry.is_file():
                    found.append(prefix + (entry.name,))
    found.sort()
    return found


class Reader(Protocol):
    """Reads one YAML file: :func:`load_yaml`, or a cache in front of it (``cache.DocumentCache``)."""

    def __call__(self, path: Path) -> tuple[Document | None, list[Diagnostic]]: ...


Listing = tuple[list[Path], list[Diagnostic]]  # what event_files found


def load_events(
    events_dir: Path, read: Reader | None = None, listing: Listing | None = None
) -> tuple[list[Document], list[Diagnostic]]:
    """Every event file, read. ``listing`` is :func:`event_files`'s, from a caller that knows it has not changed."""
    read = read or load_yaml
    paths, found_on_walk = listing or event_files(events_dir)
    problems = list(found_on_walk)
    documents = []
    for path in paths:
        document, found = read(path)
        problems.extend(found)
        if document is not None:
            documents.append(document)
    return documents, problems


def load_vocabulary(events_dir: Path, read: Reader | None = None) -> tuple[Document | None, list[Diagnostic]]:
    path = events_dir / VOCABULARY_FILE
    if not path.exists():
        return None, []
    return (read or load_yaml)(path)


def load_seeds(seeds_dir: Path) -> tuple[list[SeedFiles], list[Diagnostic]]:
    """Pair each ``<id>.txt`` with its ``<id>.yaml``; a missing half is an error."""
    if not seeds_dir.is_dir():
        return [], []
    problems: list[Diagnostic] = []
    seeds: list[SeedFiles] = []
    stems = sorted({p.stem for p in seeds_dir.iterdir() if p.suffix in (".txt", ".yaml") and not p.name.startswith(".")})
    for stem in stems:
        text_path, meta_path = seeds_dir / f"{stem}.txt", seeds_dir / f"{stem}.yaml"
        text: str | None = None
        meta: Document | None = None
        if text_path.exists():
            text, found = read_text(text_path)
            problems.extend(found)
        else:
            problems.append(
                Diagnostic(meta_path, 1, 1, f"metadata without a document: add the text as {text_path.name} or remove this file")
            )
        if meta_path.exists():
            meta, found = load_yaml(meta_path)
            problems.extend(found)
        else:
            problems.append(
                Diagnostic(
                    text_path,
                    1,
                    1,
                    f"the seed has no metadata: add {meta_path.name} (title, publisher, author, published, kind, url)",
                )
            )
        seeds.append(SeedFiles(stem, text_path, text, meta))
    return seeds, problems
