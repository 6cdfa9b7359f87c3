"""The watcher: which content files changed, reported once they have settled.

livereload's own watcher is not used: it polls every 0.8 s, runs the task on
the first change it sees, and its throttle drops, rather than delays, a reload
that comes within ``3 - delay`` seconds of the previous one, so a quick fix
after a broken save would leave the browser on the error page. This one polls
the folders every 0.2 s (one ``stat`` per file) and reports once they have
been quiet for one poll, so an editor's write-then-rename or a ``git checkout``
of many files is one rebuild.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

_IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")

Snapshot = dict[str, tuple[int, int]]


class ContentWatcher:
    """Polls folders for added, changed and removed files; reports a change once things are quiet."""

    def __init__(self, roots: Iterable[Path]):
        self.roots = tuple(roots)
        self.filepath: str | None = None  # the last change: livereload's handler logs it
        self._seen = self.scan()
        self._pending: set[str] = set()
        self._settling = False

    def scan(self) -> Snapshot:
        snapshot: Snapshot = {}
        for root in self.roots:
            for folder, dirs, files in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES):
                        continue  # editors' swap and backup files
                    path = os.path.join(folder, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue  # removed while walking
                    snapshot[path] = (stat.st_mtime_ns, stat.st_size)
        return snapshot

    def poll(self) -> set[str]:
        """The files changed since the last report, once a poll has seen no further change; else nothing."""
        snapshot = self.scan()
        if snapshot != self._seen:
            self._pending |= {p for p in snapshot.keys() | self._seen.keys() if snapshot.get(p) != self._seen.get(p)}
            self._seen = snapshot
            return set()
        if not self._pending:
            return set()
        changed, self._pending = self._pending, set()
        self.filepath = sorted(changed)[0]
        return changed
