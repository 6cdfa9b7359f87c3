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
from .reading import DOCUMENT_LIMIT, read_text
from .yamldoc import Document, load_yaml

VOCABULARY_FILE = "tags.yaml"


@dataclass(frozen=True)
class SeedFiles:
    """A seed's archived text and its metadata document (either may be missing)."""

    id: str
    text_path: Path
    text: str | None
    meta: Document | None


def event_files(events_dir: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every ``events/<YYYY>/<id>.yaml``, sorted; misplaced files, links and unreadable folders are reported."""
    problem = folder_problem(events_dir, "events")
    if problem is not None:
        return [], [problem]
    files: list[Path] = []
    walked, problems = _walk(events_dir)
    for parts in walked:
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
    return files, sorted(problems)


def folder_problem(folder: Path, what: str) -> Diagnostic | None:
    """Why ``folder`` cannot be the ``what`` folder (missing, a file, a link), or None."""
    if folder.is_symlink():
        return Diagnostic(folder, 1, 1, f"the {what} folder is a symbolic link, which is not followed; make it a real folder")
    if not folder.exists():
        return Diagnostic(folder, 1, 1, f"the {what} folder does not exist")
    if not folder.is_dir():
        return Diagnostic(folder, 1, 1, f"the {what} folder is a file, not a folder")
    return None


def _walk(root: Path) -> tuple[list[tuple[str, ...]], list[Diagnostic]]:
    """The regular files below ``root`` as path parts, sorted as paths sort; hidden files and folders left out.

    Like ``sorted(root.rglob("*"))`` keeping files, without a ``Path`` and a
    ``stat`` per file. Symbolic links (to files or folders) are not followed
    but reported, as are other special files and folders that cannot be read.
    """
    found: list[tuple[str, ...]] = []
    problems: list[Diagnostic] = []
    todo: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while todo:
        current, prefix = todo.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_symlink():
                        message = "a symbolic link, which is not followed; put the file or folder itself here"
                        problems.append(Diagnostic(Path(entry.path), 1, 1, message))
                    elif entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, prefix + (entry.name,)))
                    elif entry.is_file(follow_symlinks=False):
                        found.append(prefix + (entry.name,))
                    elif entry.name.endswith((".yaml", ".yml")):
                        problems.append(Diagnostic(Path(entry.path), 1, 1, "not a regular file (a pipe or device)"))
        except OSError as exc:
            problems.append(Diagnostic(Path(current), 1, 1, f"cannot read the folder: {exc.strerror}"))
    found.sort()
    return found, problems


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
    """``events/tags.yaml``, or None when there is none (a link to one is read, and refused, by ``read``)."""
    path = events_dir / VOCABULARY_FILE
    if not os.path.lexists(path):
        return None, []
    return (read or load_yaml)(path)


def load_seeds(seeds_dir: Path) -> tuple[list[SeedFiles], list[Diagnostic]]:
    """Pair each ``<id>.txt`` with its ``<id>.yaml``; a missing half is an error.

    No seeds folder is no seeds (a timeline may cite only outside sources;
    ``validate`` says so once if an event cites a seed). A seed whose file
    cannot be read is still listed, with its text or metadata None, so that
    events citing it are not reported again.
    """
    if not os.path.lexists(seeds_dir):
        return [], []
    problem = folder_problem(seeds_dir, "seeds")
    if problem is not None:
        return [], [problem]
    walked, problems = _walk(seeds_dir)
    refused = {d.path.name for d in problems}  # links and special files, reported once by the walk
    present = {parts[0] for parts in walked if len(parts) == 1} | refused
    seeds: list[SeedFiles] = []
    stems = sorted({name.rsplit(".", 1)[0] for name in present if name.endswith((".txt", ".yaml"))})
    for stem in stems:
        text_path, meta_path = seeds_dir / f"{stem}.txt", seeds_dir / f"{stem}.yaml"
        text: str | None = None
        meta: Document | None = None
        if text_path.name in refused:
            pass
        elif text_path.name in present:
            text, found = read_text(text_path, DOCUMENT_LIMIT)
            problems.extend(found)
        else:
            problems.append(
                Diagnostic(meta_path, 1, 1, f"metadata without a document: add the text as {text_path.name} or remove this file")
            )
        if meta_path.name in refused:
            pass
        elif meta_path.name in present:
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
    return seeds, sorted(problems)
