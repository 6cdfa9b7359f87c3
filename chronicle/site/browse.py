"""Browse: the ways a reader can slice the timeline, as small pure functions.

Everything here takes the frozen events (already in time order) and returns
frozen values for ``render`` to pass to templates: events grouped by tag, actor,
place and year with their counts; URL slugs for actor and place names (accents
folded, unique); the overview axis (events per year, spans in lanes); and which
years the front page shows inline when the timeline is large.

Nothing here knows about HTML or URLs beyond the slugs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..content.model import Event
from ..content.names import slugify

#: Lanes of span bars drawn under the axis; spans beyond are counted, not drawn.
MAX_LANES = 4
#: Bar heights on the axis are quantised to this many levels (no inline styles).
LEVELS = 8


@dataclass(frozen=True, slots=True)
class Group:
    """Events sharing a tag, an actor, a place or a year, in time order."""

    slug: str
    name: str
    events: tuple[Event, ...]

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def first_year(self) -> int:
        return self.events[0].date.year

    @property
    def last_year(self) -> int:
        return max(e.date.year for e in self.events)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a page of a group says of the whole group, without its events (each page holds only those it shows)."""

    slug: str
    name: str
    count: int
    first_year: int
    last_year: int

    @classmethod
    def of(cls, group: Group) -> Summary:
        return cls(group.slug, group.name, group.count, group.first_year, group.last_year)


@dataclass(frozen=True, slots=True)
class Listed:
    """A group as an index of groups shows it: its slug, name and number of events, not the events.

    Index pages get these rather than groups, so that a page holds exactly the
    events it shows (the live preview re-renders the pages holding an edited event).
    """

    slug: str
    name: str
    count: int


def listed(groups: Iterable[Group]) -> tuple[Listed, ...]:
    return tuple(Listed(g.slug, g.name, g.count) for g in groups)


@dataclass(frozen=True)
class Browse:
    """Every grouping of one timeline, and the slug of every actor and place name."""

    tags: tuple[Group, ...]
    actors: tuple[Group, ...]
    places: tuple[Group, ...]
    years: tuple[Group, ...]
    actor_slugs: Mapping[str, str]
    place_slugs: Mapping[str, str]


def unique_slugs(names: Iterable[str], *, fallback: str = "item") -> dict[str, str]:
    """Each name's URL slug, accents folded, unique across ``names``.

    Names that fold to the same slug ("Michoacán", "Michoacan") are told apart
    deterministically: sorted by their folded form then by the text itself, the
    first keeps the slug and the others get ``-2``, ``-3``..., skipping any
    suffix that is some other name's own slug. A name with no letter or digit
    in Latin script gets ``fallback``.
    """
    ordered = sorted(set(names), key=lambda n: (slugify(n) or fallback, n.casefold(), n))
    natural = {name: slugify(name) or fallback for name in ordered}
    reserved = set(natural.values())
    used: set[str] = set()
    slugs: dict[str, str] = {}
    for name in ordered:
        slug = natural[name]
        if slug in used:
            n = 2
            while f"{slug}-{n}" in used or f"{slug}-{n}" in reserved:
                n += 1
            slug = f"{slug}-{n}"
        used.add(slug)
        slugs[name] = slug
    return slugs


def group_by(events: Sequence[Event], keys: Callable[[Event], Iterable[str]]) -> dict[str, tuple[Event, ...]]:
    """Events under each key ``keys(event)`` gives (each event once per key), in time order."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for key in dict.fromkeys(keys(event)):
            groups[key].append(event)
    return {key: tuple(found) for key, found in groups.items()}


def by_tag(events: Sequence[Event]) -> tuple[Group, ...]:
    groups = group_by(events, lambda e: e.tags)
    return tuple(Group(tag, tag, groups[tag]) for tag in sorted(groups))


def by_name(groups: Mapping[str, tuple[Event, ...]], slugs: Mapping[str, str]) -> tuple[Group, ...]:
    """Named groups (actors, places) sorted for reading: by folded name, then as written."""
    return tuple(Group(slugs[name], name, groups[name]) for name in sorted(groups, key=lambda n: (slugify(n), n.casefold(), n)))


def by_year(events: Sequence[Event]) -> tuple[Group, ...]:
    """Events by the year they start in, oldest year first."""
    groups = group_by(events, lambda e: (f"{e.date.year:04d}",))
    return tuple(Group(str(int(y)), str(int(y)), groups[y]) for y in sorted(groups))


def browse(events: Sequence[Event]) -> Browse:
    actors = group_by(events, lambda e: e.actors)
    places = group_by(events, lambda e: (p.name for p in e.places))
    actor_slugs = unique_slugs(actors, fallback="actor")
    place_slugs = unique_slugs(places, fallback="place")
    return Browse(
        tags=by_tag(events),
        actors=by_name(actors, actor_slugs),
        places=by_name(places, place_slugs),
        years=by_year(events),
        actor_slugs=actor_slugs,
        place_slugs=place_slugs,
    )


# --- years ---------------------------------------------------------------------


def end_year(event: Event, last_year: int) -> int:
    """The last year an event covers; an open span ('2012/..') runs to ``last_year``."""
    if event.date.open_end:
        return max(last_year, event.date.year)
    return event.date.end.year if event.date.end else event.date.year


def year_range(events: Sequence[Event]) -> tuple[int, int] | None:
    """First and last year the timeline covers, span ends included."""
    if not events:
        return None
    first = min(e.date.year for e in events)
    last = max(e.date.end.year if e.date.end else e.date.year for e in events)
    return first, last


def continuing(events: Sequence[Event], last_year: int) -> dict[int, tuple[Event, ...]]:
    """Spans under way in each year after the one they start in: {2010: (fast-and-furious,), ...}."""
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.date.is_span:
            for year in range(event.date.year + 1, end_year(event, last_year) + 1):
                years[year].append(event)
    return {year: tuple(found) for year, found in years.items()}


@dataclass(frozen=True, slots=True)
class YearSection:
    """A year shown on the front page: its events, or the latest of them when the year is huge."""

    year: int
    events: tuple[Event, ...]
    total: int

    @property
    def truncated(self) -> bool:
        return len(self.events) < self.total


def inline_years(years: Sequence[Group], limit: int) -> tuple[YearSection, ...]:
    """The years the front page shows inline, so that it never holds more than ``limit`` events.

    A timeline of at most ``limit`` events is shown whole. A larger one shows
    its most recent whole years that fit; if even the latest year alone is
    larger, the latest ``limit`` events of it. Every other year is reached
    through its own page.
    """
    if limit < 1:
        raise ValueError(f"the inline limit must be at least 1, not {limit}")
    sections = [YearSection(int(g.slug), g.events, g.count) for g in years]
    if sum(s.total for s in sections) <= limit:
        return tuple(sections)
    shown: list[YearSection] = []
    room = limit
    for section in reversed(sections):
        if section.total > room:
            break
        shown.insert(0, section)
        room -= section.total
    if not shown and sections:
        latest = sections[-1]
        shown = [YearSection(latest.year, latest.events[-limit:], latest.total)]
    return tuple(shown)


# --- the overview axis -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """One year's piece of a span bar in one lane."""

    starts: bool  # the span begins this year
    ends: bool  # the span ends this year
    open: bool  # the span is still open: it runs on past the axis
    loose: bool  # an end is approximate or uncertain (drawn dashed)
    position: int = -1  # the span's event: its index in the timeline (the browser fades it when filtered out)
    event: Event | None = None  # where it starts: the event, whose title the overview shows on hover and focus


@dataclass(frozen=True, slots=True)
class AxisYear:
    year: int
    count: int  # events starting this year (those listed under it)
    loose: int  # of which the date is approximate or uncertain
    level: int  # bar height, 0..LEVELS
    loose_level: int  # the hatched part of the bar, 0..level
    ongoing: int  # spans under way this year (started earlier or now)
    lanes: tuple[Segment | None, ...]


@dataclass(frozen=True, slots=True)
class Decade:
    start: int  # 1980
    years: tuple[AxisYear | None, ...]  # ten slots; None outside the axis

    @property
    def visible(self) -> int:
        """How many of its years are on the axis (1988-2026: 2 in the 1980s, 7 in the 2020s)."""
        return sum(1 for y in self.years if y is not None)


@dataclass(frozen=True)
class Overview:
    first: int
    last: int
    years: tuple[AxisYear, ...]
    decades: tuple[Decade, ...]
    lanes: int
    spans: int  # spans drawn
    hidden_spans: int  # spans beyond MAX_LANES, counted but not drawn
    max_count: int
    #: The timeline position of the first event of each year, and after the last: events are in time order,
    #: so year ``first + i`` holds positions ``starts[i]`` to ``starts[i + 1] - 1``. The browser counts the
    #: matches of any search per year with it, without a list of every event's year.
    starts: tuple[int, ...] = ()

    @property
    def loose_years(self) -> bool:
        """Some year has an event whose date is approximate or uncertain (drawn hatched)."""
        return any(y.loose for y in self.years)

    @property
    def loose_spans(self) -> bool:
        """Some drawn span has an approximate or uncertain end (drawn dashed)."""
        return any(seg is not None and seg.loose for y in self.years for seg in y.lanes)

    @property
    def open_spans(self) -> bool:
        """Some drawn span is still open (drawn with an arrow)."""
        return any(seg is not None and seg.open for y in self.years for seg in y.lanes)


def _level(count: int, most: int) -> int:
    return math.ceil(count * LEVELS / most) if count and most else 0


def overview(events: Sequence[Event], *, max_lanes: int = MAX_LANES) -> Overview | None:
    """Events per year across the whole span, with multi-year spans packed into lanes."""
    bounds = year_range(events)
    if bounds is None:
        return None
    first, last = bounds
    counts: dict[int, int] = defaultdict(int)
    loose: dict[int, int] = defaultdict(int)
    for event in events:
        counts[event.date.year] += 1
        if event.date.is_approximate or event.date.is_uncertain:
            loose[event.date.year] += 1
    most = max(counts.values())

    spans = sorted(
        (e for e in events if e.date.is_span and end_year(e, last) > e.date.year),
        key=lambda e: (e.date.year, -end_year(e, last), e.sort_key),
    )
    lane_ends: list[int] = []
    placed: list[tuple[int, Event]] = []
    position = {id(event): i for i, event in enumerate(events)}
    hidden = 0
    for span in spans:
        lane = next((i for i, end in enumerate(lane_ends) if end < span.date.year), None)
        if lane is None and len(lane_ends) < max_lanes:
            lane_ends.append(0)
            lane = len(lane_ends) - 1
        if lane is None:
            hidden += 1
            continue
        lane_ends[lane] = end_year(span, last)
        placed.append((lane, span))

    segments: dict[int, list[Segment | None]] = {y: [None] * len(lane_ends) for y in range(first, last + 1)}
    ongoing: dict[int, int] = defaultdict(int)
    for span in spans:
        for year in range(span.date.year, end_year(span, last) + 1):
            ongoing[year] += 1
    for lane, span in placed:
        stop = end_year(span, last)
        is_loose = span.date.is_approximate or span.date.is_uncertain
        for year in range(span.date.year, stop + 1):
            segments[year][lane] = Segment(
                starts=year == span.date.year,
                ends=year == stop and not span.date.open_end,
                open=year == stop and span.date.open_end,
                loose=is_loose,
                position=position[id(span)],
                event=span if year == span.date.year else None,
            )

    years = []
    for year in range(first, last + 1):
        level = _level(counts[year], most)
        loose_level = min(level, _level(loose[year], most)) if loose[year] else 0
        years.append(AxisYear(year, counts[year], loose[year], level, loose_level, ongoing[year], tuple(segments[year])))
    by_year = {y.year: y for y in years}
    decades = tuple(
        Decade(start, tuple(by_year.get(start + i) for i in range(10))) for start in range(first - first % 10, last + 1, 10)
    )
    starts = [0]
    for year in range(first, last + 1):
        starts.append(starts[-1] + counts[year])
    return Overview(first, last, tuple(years), decades, len(lane_ends), len(placed), hidden, most, tuple(starts))
