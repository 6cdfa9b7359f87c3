"""Model: the typed, frozen records the rest of the pipeline works with.

Values here are already valid: ``validate`` builds them from checked documents.
Dates are :class:`chronicle.content.dates.EventDate` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..diagnostics import Diagnostic
from .dates import EventDate

STATUSES = ("confirmed", "reported", "alleged", "disputed")
SOURCE_KINDS = ("news", "opinion", "advocacy", "industry", "government", "court")
STANCES = ("supports", "disputes")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Seed:
    """A source document archived in ``seeds/``: its text and what it is."""

    id: str
    text: str
    kind: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: EventDate | None = None
    url: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A citation: a seed with a verbatim quote, or an outside URL."""

    quote: str | None
    stance: str = "supports"
    seed: Seed | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: EventDate | None = None
    kind: str | None = None
    archive_url: str | None = None

    @property
    def display_title(self) -> str | None:
        return self.seed.title if self.seed else self.title

    @property
    def display_publisher(self) -> str | None:
        return self.seed.publisher if self.seed else self.publisher

    @property
    def display_kind(self) -> str | None:
        return self.seed.kind if self.seed else self.kind

    @property
    def display_published(self) -> EventDate | None:
        return self.seed.published if self.seed else self.published

    @property
    def link(self) -> str | None:
        return self.seed.url if self.seed else self.url


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    path: Path
    title: str
    date: EventDate
    status: str
    summary: str  # Markdown
    body: str | None = None  # Markdown
    tags: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    #: The format an imported event came from ("timelinejs") until a contributor has checked it, else None.
    imported: str | None = None

    @property
    def sort_key(self) -> tuple[tuple[int, int], str]:
        return (self.date.sort_key, self.id)


@dataclass(frozen=True)
class Timeline:
    """Everything a site is built from, checked and in time order."""

    events: tuple[Event, ...]
    seeds: Mapping[str, Seed] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)  # slug -> description
    warnings: tuple[Diagnostic, ...] = ()  # what is not wrong enough to stop the build, for the report

    @cached_property
    def by_id(self) -> Mapping[str, Event]:
        return {e.id: e for e in self.events}
