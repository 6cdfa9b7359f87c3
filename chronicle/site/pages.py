"""Pages: which pages the site has, and the values each one shows.

Pages are listed by :func:`pages` as (path, template, context) with explicit
values; the groupings they show come from ``browse``. The front page holds every
event up to ``inline_limit`` events; beyond that it holds the overview axis and
the most recent years, and links every year's page, so its size does not grow
with the timeline. A year's, a tag's, an actor's or a place's page shows a
page of its events, and links the pages of the others; so does the list of
outside sources (:mod:`chronicle.site.paging`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..content.model import Event, Source, Timeline
from ..content.provenance import Provenance
from .browse import Browse, Summary, continuing, inline_years, listed, overview, year_range
from .embed import widget_pages
from .facets import facets
from .links import event_path
from .page import Page
from .paging import (
    GROUP_PAGE_SIZE,
    QUOTES_PAGE_SIZE,
    SOURCES_PAGE_SIZE,
    YEAR_PAGE_SIZE,
    numbered,
    paged,
    span_label,
    years_label,
)
from .passages import pieces, seed_quotes

#: Up to this many events, the front page shows them all (see module docstring). With
#: a paragraph of summary each, 250 cards keep the first view (page, styles, scripts)
#: under 60 KB compressed; 500 made it 74 KB, and 300 did once the overview steered the
#: search (issue 14: 64 KB at 1,000 events), whose own script is fetched only when
#: the reader reaches for it (bench/run.py, BENCHMARKS.md).
INLINE_LIMIT = 250

STATUS_EXPLANATIONS = {
    "confirmed": "Confirmed: an official record, a court finding, or several independent sources.",
    "reported": "Reported: credible reporting, not officially confirmed.",
    "alleged": "Alleged: a claim by one party or witness, or an indictment.",
    "disputed": "Disputed: the sources conflict; both sides are cited.",
}

KIND_LABELS = {
    "news": "News",
    "opinion": "Opinion",
    "advocacy": "Advocacy",
    "industry": "Industry",
    "government": "Government",
    "court": "Court record",
}


@dataclass(frozen=True)
class OutsideSource:
    """A source cited by URL rather than archived as a seed, and the events citing it."""

    source: Source
    events: tuple[Event, ...]


def pages(
    timeline: Timeline,
    groups: Browse,
    *,
    inline_limit: int = INLINE_LIMIT,
    provenance: Mapping[str, Provenance] | None = None,
) -> Iterator[Page]:
    """Every page of the site, in a stable order; the widget pages that articles frame last (:mod:`chronicle.site.embed`)."""
    provenance = provenance or {}
    events = timeline.events
    bounds = year_range(events)
    last_year = bounds[1] if bounds else 0
    axis = overview(events)
    sections = inline_years(groups.years, inline_limit) if events else ()
    under_way = continuing(events, last_year)
    yield Page(
        "index.html",
        "timeline.html",
        {
            "count": len(events),
            "overview": axis,
            "sections": sections,
            "inline": frozenset(s.year for s in sections),
            "years": listed(groups.years),
            "complete": sum(len(s.events) for s in sections) == len(events),
            "tags": timeline.tags,
            "facets": facets(timeline),
        },
        section="timeline",
        weight=1 + sum(len(s.events) for s in sections),
    )
    for i, event in enumerate(events):
        yield Page(
            f"{event_path(event)}index.html",
            "event.html",
            {
                "event": event,
                "previous": events[i - 1] if i > 0 else None,
                "next": events[i + 1] if i + 1 < len(events) else None,
                "related": [timeline.by_id[r] for r in event.related],
                "supporting": [s for s in event.sources if s.stance != "disputes"],
                "disputing": [s for s in event.sources if s.stance == "disputes"],
                "tags": timeline.tags,
                "provenance": provenance.get(event.id),
            },
            section="timeline",
            batch=f"year:{event.date.year}",
        )

    years = listed(groups.years)
    yield Page("years/index.html", "years.html", {"overview": axis, "groups": years}, section="timeline")
    for i, group in enumerate(groups.years):
        year = int(group.slug)
        for shown, pager in paged(group.events, f"years/{year}/", YEAR_PAGE_SIZE, numbered):
            context = {
                "year": year,
                "count": group.count,
                "events": shown,
                "pager": pager,
                "continuing": under_way.get(year, ()) if pager.number == 1 else (),
                "previous": years[i - 1] if i > 0 else None,
                "next": years[i + 1] if i + 1 < len(years) else None,
                "tags": timeline.tags,
            }
            yield Page(f"{pager.here.path}index.html", "year.html", context, section="timeline",
                       batch=f"year:{year}", weight=len(shown))  # fmt: skip

    kinds = (("tag", "tags", groups.tags), ("actor", "actors", groups.actors), ("place", "places", groups.places))
    for kind, plural, found in kinds:
        most = max((g.count for g in found), default=0)
        context = {"kind": kind, "groups": listed(found), "most": most, "tags": timeline.tags}
        yield Page(f"{plural}/index.html", "groups.html", context, section=plural)
        for group in found:
            summary = Summary.of(group)
            per_year = Counter(event.date.year for event in group.events)
            for shown, pager in paged(group.events, f"{plural}/{group.slug}/", GROUP_PAGE_SIZE, years_label):
                shown_years = _years_of(shown)
                context = {
                    "kind": kind,
                    "group": summary,
                    "years": shown_years,
                    "year_totals": {year: per_year[year] for year, _ in shown_years},
                    "pager": pager,
                    "tags": timeline.tags,
                }
                yield Page(f"{pager.here.path}index.html", "group.html", context, section=plural,
                           weight=1 + len(shown) // 8)  # fmt: skip

    quoted = _quotes_by_seed(events)
    seeds = sorted(timeline.seeds.values(), key=lambda s: s.id)
    cited_by = {seed_id: len(pairs) for seed_id, pairs in quoted.items()}  # one pair per citing event
    outside = _outside_sources(events)
    for listed_here, pager in paged(outside, "sources/", SOURCES_PAGE_SIZE, _initials):
        context = {"seeds": seeds if pager.number == 1 else [], "cited_by": cited_by, "outside": listed_here, "pager": pager}
        yield Page(f"{pager.here.path}index.html", "sources.html", context, section="sources",
                   weight=1 + len(listed_here) // 8)  # fmt: skip
    for seed in seeds:
        quoting = quoted.get(seed.id, ())
        passages = pieces(seed, seed_quotes(quoting))  # the text, with every quoted passage marked: on the first page
        for quoting_here, pager in paged(quoting, f"sources/{seed.id}/", QUOTES_PAGE_SIZE, _quoting_years):
            context = {
                "seed": seed,
                "count": len(quoting),
                "quotes": quoting_here,
                "passages": passages if pager.number == 1 else (),
                "pager": pager,
            }
            yield Page(f"{pager.here.path}index.html", "source.html", context, section="sources",
                       weight=1 + len(quoting_here) // 8)  # fmt: skip

    yield Page("about/index.html", "about.html", {"kinds": KIND_LABELS}, section="about")
    yield Page("404.html", "404.html", {"years": years}, sitemap=False)
    yield from widget_pages(timeline, groups)


def _years_of(events: Sequence[Event]) -> list[tuple[int, list[Event]]]:
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        years[event.date.year].append(event)
    return sorted(years.items())


def _quotes_by_seed(events: Sequence[Event]) -> Mapping[str, tuple[tuple[Event, tuple[Source, ...]], ...]]:
    """Each seed's citing events, in time order, each with its sources that cite that seed."""
    found: dict[str, dict[str, tuple[Event, list[Source]]]] = defaultdict(dict)  # by event id: hashing an event is slow
    for event in events:
        for source in event.sources:
            if source.seed is not None:
                found[source.seed.id].setdefault(event.id, (event, []))[1].append(source)
    return {seed_id: tuple((e, tuple(used)) for e, used in cited.values()) for seed_id, cited in found.items()}


def _quoting_years(quoting: Sequence[tuple[Event, tuple[Source, ...]]]) -> str:
    """What a page of a seed's quoting events spans: their years."""
    return years_label([event for event, _ in quoting])


def _initials(sources: Sequence[OutsideSource]) -> str:
    """What a page of outside sources spans, by the initials they are sorted by (see :func:`_outside_sources`)."""
    name: Callable[[OutsideSource], str] = lambda item: item.source.publisher or item.source.title or ""
    return span_label(name(sources[0]), name(sources[-1]))


def _outside_sources(events: Sequence[Event]) -> list[OutsideSource]:
    """Sources cited by URL, one entry per URL, sorted by publisher and title."""
    first: dict[str, Source] = {}
    citing: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for source in event.sources:
            if source.seed is None and source.url:
                first.setdefault(source.url, source)
                if not citing[source.url] or citing[source.url][-1] is not event:  # events come in turn
                    citing[source.url].append(event)
    key: Callable[[str], tuple[str, str, str]] = lambda url: (
        (first[url].publisher or first[url].title or "").casefold(),  # a page of them is labelled by these initials
        (first[url].title or "").casefold(),
        url,
    )
    return [OutsideSource(first[url], tuple(citing[url])) for url in sorted(first, key=key)]
