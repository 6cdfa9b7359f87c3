"""Pieces: each event's lines of the data files, made once per event and kept between builds (speed machinery).

The exports hold every event, so after an edit of one event's text the live
preview must make them again (:mod:`chronicle.preview.live`); with the pieces
it keeps, only the edited event's lines are made again and the files are
joined from the rest, byte for byte what a fresh build writes
(tests/test_incremental.py). A build from nothing starts with empty pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..content.model import Event
from ..content.provenance import Provenance
from ..site.links import Links


class Pieces:
    """Each event's pieces of the data files, kept while the event is the same object (the model's events are frozen).

    :meth:`start` is called once per set of files with the site's links: when
    they differ from the last ones (a new base URL), every piece is dropped.
    """

    def __init__(self) -> None:
        self._links: Links | None = None
        self._made: dict[int, tuple[Event, Provenance | None, Any]] = {}

    def start(self, links: Links, events: tuple[Event, ...]) -> None:
        """Begin a set of files for ``events``: pieces of other events, or made with other links, are dropped."""
        if self._links is not links and self._links != links:
            self._made = {}
        self._links = links
        if len(self._made) > len(events):
            alive = {id(e) for e in events}
            self._made = {key: entry for key, entry in self._made.items() if key in alive}

    def get(self, event: Event, provenance: Provenance | None, make: Callable[[], Any]) -> Any:
        """``make()`` for this event and provenance, made once while both are the same objects."""
        entry = self._made.get(id(event))
        if entry is not None and entry[0] is event and entry[1] is provenance:
            return entry[2]
        value = make()
        self._made[id(event)] = (event, provenance, value)
        return value
