"""Cache: parsed YAML documents kept between builds, keyed on each file's (path, mtime, size).

The dev server rebuilds on every save. With this cache a rebuild re-reads and
re-parses only the files whose modification time (to the nanosecond) or size
changed since the last build, so loading costs one ``stat`` per unchanged file,
whatever the size of the timeline. A cached value is exactly what
:func:`chronicle.content.yamldoc.load_yaml` returned for that file, problems included, so
a build from the cache gives the same bytes as a build without it.

The cache is a :class:`chronicle.content.files.Reader`: ``build.check(config, cache)``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..content.files import Reader
from ..content.yamldoc import Document, load_yaml
from ..diagnostics import Diagnostic

_Stamp = tuple[int, int]  # (st_mtime_ns, st_size)


@dataclass
class DocumentCache:
    """Parsed documents by path, each with the stamp of the file it was read from."""

    _entries: dict[Path, tuple[_Stamp, Document | None, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def __call__(self, path: Path) -> tuple[Document | None, list[Diagnostic]]:
        """A :class:`chronicle.content.files.Reader`: pass the cache to ``build.check``."""
        return self.load_yaml(path)

    def trusting(self, changed: Collection[Path]) -> Reader:
        """A reader that takes any file not in ``changed`` from the cache without a ``stat``.

        For the live preview, whose watcher has just listed what changed (it
        ``stat``s every file anyway): a rebuild then costs one look-up per
        unchanged file. A file never read before is read as usual.
        """

        def read(path: Path) -> tuple[Document | None, list[Diagnostic]]:
            entry = self._entries.get(path) if path not in changed else None
            if entry is None:
                return self.load_yaml(path)
            self.hits += 1
            return entry[1], list(entry[2])

        return read

    def load_yaml(self, path: Path) -> tuple[Document | None, list[Diagnostic]]:
        """Like :func:`chronicle.content.yamldoc.load_yaml`, from the cache when the file has not changed."""
        try:
            stat = path.stat()
        except OSError:
            self._entries.pop(path, None)
            return load_yaml(path)  # which says why it cannot be read
        stamp = (stat.st_mtime_ns, stat.st_size)
        entry = self._entries.get(path)
        if entry is not None and entry[0] == stamp:
            self.hits += 1
            return entry[1], list(entry[2])
        self.misses += 1
        document, problems = load_yaml(path)
        self._entries[path] = (stamp, document, tuple(problems))
        return document, problems

    def forget_except(self, paths: set[Path]) -> None:
        """Drop the entries of files that are gone, so a long session does not grow without bound."""
        for gone in set(self._entries) - paths:
            del self._entries[gone]
