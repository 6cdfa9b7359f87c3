"""Later: site files the preview makes only when something asks for them.

Speed machinery for the live preview. After an edit of one event's text, the
data exports and the feed (:mod:`chronicle.exchange`) hold every event, so
making them again costs more than the pages the edit touches; yet nobody
waits for them: the browser reloads the page being edited. So they are
put in the site's files as *later* groups: made, once, the first time one of
them is read (a request for ``/data/events.json``, or ``output/`` being
written in the background), byte for byte what ``build`` makes.

A group carries a token: two groups with equal tokens make the same bytes, so
whether a later file changed can be told without making it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Later:
    """Files made together by ``make`` when first read; equal ``token``, equal bytes."""

    names: frozenset[str]
    make: Callable[[], Mapping[str, bytes]]
    token: object


class LaterFiles(Mapping[str, bytes]):
    """The site's files, some of them made only when first read (see the module's docstring)."""

    def __init__(self, ready: Mapping[str, bytes], later: Later | None):
        self._ready = dict(ready)
        for name in later.names if later is not None else ():
            self._ready.pop(name, None)
        self._later: Later | None = later
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> bytes:
        if name not in self._ready and self._later is not None and name in self._later.names:
            self._make()
        return self._ready[name]

    def __iter__(self) -> Iterator[str]:
        later = self._later
        pending = sorted(later.names - self._ready.keys()) if later is not None else []  # before reading makes them
        yield from list(self._ready)
        yield from pending

    def __len__(self) -> int:
        later = self._later
        return len(self._ready) + (len(later.names - self._ready.keys()) if later is not None else 0)

    def __contains__(self, name: object) -> bool:
        later = self._later
        return name in self._ready or (later is not None and name in later.names)

    def updated(self, files: Mapping[str, bytes], later: Later | None = None) -> LaterFiles:
        """These files with ``files`` laid over them, and ``later`` in place of the group not made yet (if given).

        Nothing is made: the group not made yet is carried over, or replaced.
        """
        merged = self._ready.copy()
        merged.update(files)
        return LaterFiles(merged, later or self._later)

    def token(self, name: str) -> object | None:
        """The token of a file not made yet, or None (made: compare its bytes)."""
        later = self._later
        return later.token if later is not None and name in later.names and name not in self._ready else None

    def _make(self) -> None:
        with self._lock:
            later = self._later
            if later is None:
                return
            made = later.make()
            missing = later.names - made.keys()
            if missing:
                raise KeyError(f"a later group did not make {sorted(missing)[0]}")
            self._ready.update(made)
            self._later = None


def differs(old: Mapping[str, bytes], new: Mapping[str, bytes], name: str) -> bool:
    """Would the file ``name`` differ between two sites, made or not? (Files not made yet count by their token.)"""
    before = old.token(name) if isinstance(old, LaterFiles) else None
    after = new.token(name) if isinstance(new, LaterFiles) else None
    if before is not None or after is not None:
        return before is None or after is None or before != after
    return old.get(name) != new.get(name)
