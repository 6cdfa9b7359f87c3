"""Render: turn the timeline into the site's files, in memory.

Templates come from ``site_templates/`` (Jinja2, a ``base.html`` of named blocks
and thin page templates). Markdown from event files (CommonMark with GitHub's
tables, converted by cmark-gfm, GitHub's C library: Python-Markdown took more
time for the Markdown of 10,000 events than Hugo takes for their whole site)
is converted and then sanitised with an allowlist (nh3, the Python binding of the Rust ``ammonia``
sanitiser): event files arrive from strangers' pull requests, so nothing but
plain formatting and http(s) links survives. No images: the site must make no
request to another host.

Pages are listed by :func:`pages` as (path, template, context) with explicit
values; the groupings they show come from ``browse``. The front page holds every
event up to ``inline_limit`` events; beyond that it holds the overview axis and
the most recent years, and links every year's page, so its size does not grow
with the timeline.

The result is a mapping of output path to bytes; writing it is ``write``'s job.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import html as html_lib
import multiprocessing
import os
import re
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import cmarkgfm
import jinja2
import nh3
from cmarkgfm.cmark import Options as CmarkOptions
from jinja2.runtime import new_context as new_jinja_context
from markupsafe import Markup

from .browse import Browse, browse, continuing, inline_years, listed, overview, year_range
from .config import SiteConfig
from .diagnostics import ContentErrors, Diagnostic
from .model import STATUSES, Event, EventDate, Place, Seed, Source, Timeline
from .provenance import Provenance
from .search import facets
from .workers import cores
from .write import write_file

#: Up to this many events, the front page shows them all (see module docstring). With
#: a paragraph of summary each, 300 cards keep the first view (page, styles, scripts)
#: under 60 KB compressed; 500 made it 74 KB (bench/run.py, BENCHMARKS.md).
INLINE_LIMIT = 300

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "sup", "sub", "abbr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}

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

#: schema.org type of a source document, by kind (CreativeWork when none fits better).
_SCHEMA_TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle", "court": "LegalDocument", "government": "Report"}


#: The sanitiser, made once: nh3 builds its allowlists when a Cleaner is made, which is
#: most of the cost of ``nh3.clean`` (25 µs a paragraph, against 6 µs for ``Cleaner.clean``).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)
_TEXT_ONLY = nh3.Cleaner(tags=set())

#: cmark-gfm's options: raw HTML is passed on rather than dropped, because nh3 removes all but the allowlist.
_CMARK_OPTIONS = CmarkOptions.CMARK_OPT_UNSAFE


def _markdown(text: str) -> str:
    """CommonMark to HTML with GitHub's table extension (cmark-gfm, in C: a paragraph in about 20 µs)."""
    return cmarkgfm.markdown_to_html_with_extensions(text, options=_CMARK_OPTIONS, extensions=["table"]).rstrip("\n")


@lru_cache(maxsize=65536)
def markdown_html(text: str) -> Markup:
    """Markdown to sanitised HTML. Headings start at h3: pages own h1 and h2."""
    html = _markdown(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return Markup(_SANITISER.clean(html))  # noqa: S704 - sanitised here


_BLOCK_END = re.compile(r"</?(?:p|li|br|h\d|blockquote|tr|td|th|pre)\b[^>]*>")


@lru_cache(maxsize=65536)
def plain_text(text: str) -> str:
    """Markdown as one line of plain text, for descriptions and citations."""
    html = _BLOCK_END.sub(" ", str(markdown_html(text)))
    return " ".join(html_lib.unescape(_TEXT_ONLY.clean(html)).split())


def shorten(text: str, limit: int = 200) -> str:
    """Cut at a word boundary, with an ellipsis, to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return cut + "…"


@dataclass(frozen=True)
class Links:
    """Site-relative URLs, prefixed with the site's base path, and absolute ones when the site has an origin."""

    base_path: str
    origin: str
    actor_slugs: Mapping[str, str] = field(default_factory=dict)
    place_slugs: Mapping[str, str] = field(default_factory=dict)
    asset_versions: Mapping[str, str] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """The full URL, or '' when ``base_url`` is a bare path (no canonical URL can be known)."""
        return self.origin + self.url(path) if self.origin else ""

    def permalink(self, path: str = "") -> str:
        """The full URL when known, else the site-relative one."""
        return self.absolute(path) or self.url(path)

    def event(self, event: Event | str) -> str:
        return self.url(event_path(event))

    def seed(self, seed: Seed | str) -> str:
        return self.url(f"sources/{seed if isinstance(seed, str) else seed.id}/")

    def tag(self, tag: str) -> str:
        return self.url(f"tags/{tag}/")

    def actor(self, name: str) -> str:
        return self.url(f"actors/{self.actor_slugs[name]}/")

    def place(self, name: str) -> str:
        return self.url(f"places/{self.place_slugs[name]}/")

    def year(self, year: int | str) -> str:
        return self.url(f"years/{int(year)}/")

    def asset(self, name: str) -> str:
        """A static file, with a content hash so that browsers never keep a stale copy."""
        version = self.asset_versions.get(name)
        return self.url(f"static/{name}") + (f"?v={version}" if version else "")


def event_path(event: Event | str) -> str:
    return f"events/{event if isinstance(event, str) else event.id}/"


# --- schema.org JSON-LD, built as plain dicts (Jinja's tojson escapes them for <script>) ---


def _date_iso(date: EventDate | None) -> str | None:
    return date.start.iso if date else None


def event_jsonld(event: Event, links: Links, site: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": plain_text(event.summary),
        "startDate": event.date.start.iso,
    }
    if event.date.end:
        data["endDate"] = event.date.end.iso
    if links.absolute():
        data["url"] = links.absolute(event_path(event))
    if event.places:
        data["location"] = [_place_jsonld(p.name, p.lat, p.lon) for p in event.places]
    if event.actors:
        data["about"] = [{"@type": "Thing", "name": a} for a in event.actors]
    data["subjectOf"] = [_source_jsonld(s) for s in event.sources]
    return data


def _place_jsonld(name: str, lat: float | None, lon: float | None) -> dict[str, Any]:
    place: dict[str, Any] = {"@type": "Place", "name": name}
    if lat is not None and lon is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}
    return place


def _source_jsonld(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": _SCHEMA_TYPES.get(source.display_kind or "", "CreativeWork")}
    if source.display_title:
        work["name"] = source.display_title
    if source.display_publisher:
        work["publisher"] = {"@type": "Organization", "name": source.display_publisher}
    if source.display_published:
        work["datePublished"] = _date_iso(source.display_published)
    if source.link:
        work["url"] = source.link
    if source.archive_url:
        work["archivedAt"] = source.archive_url
    if source.quote:
        work["text"] = source.quote
    return work


def seed_jsonld(seed: Seed, links: Links) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": _SCHEMA_TYPES.get(seed.kind, "CreativeWork")}
    if seed.title:
        data["name"] = seed.title
    if seed.publisher:
        data["publisher"] = {"@type": "Organization", "name": seed.publisher}
    if seed.author:
        data["author"] = {"@type": "Person", "name": seed.author}
    if seed.published:
        data["datePublished"] = _date_iso(seed.published)
    if seed.url:
        data["url"] = seed.url
    if links.absolute():
        data["archivedAt"] = links.absolute(f"sources/{seed.id}/")
    return data


def page_jsonld(kind: str, name: str, description: str, path: str, links: Links) -> dict[str, Any]:
    """WebSite for the front page, CollectionPage or AboutPage for the others."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "name": name}
    if description:
        data["description"] = description
    if links.absolute():
        data["url"] = links.absolute(path)
    return data


# --- pages -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: where it goes, with which template and which values."""

    path: str  # output file: "events/x/index.html"
    template: str
    context: Mapping[str, Any]
    section: str = ""  # which item of the site navigation it belongs to
    sitemap: bool = True
    batch: str = ""  # pages rendered best in one process (they show the same Markdown): "year:2015"
    weight: int = 1  # roughly how much rendering it takes, in event pages

    @property
    def url_path(self) -> str:
        """The page's address below the base path: "events/x/", "" for the front page, "404.html"."""
        return self.path.removesuffix("index.html")


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
    """Every page of the site, in a stable order."""
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
        yield Page(
            f"years/{year}/index.html",
            "year.html",
            {
                "year": year,
                "group": group,
                "continuing": under_way.get(year, ()),
                "previous": years[i - 1] if i > 0 else None,
                "next": years[i + 1] if i + 1 < len(years) else None,
                "tags": timeline.tags,
            },
            section="timeline",
            batch=f"year:{year}",
            weight=group.count,
        )

    kinds = (("tag", "tags", groups.tags), ("actor", "actors", groups.actors), ("place", "places", groups.places))
    for kind, plural, found in kinds:
        most = max((g.count for g in found), default=0)
        context = {"kind": kind, "groups": listed(found), "most": most, "tags": timeline.tags}
        yield Page(f"{plural}/index.html", "groups.html", context, section=plural)
        for group in found:
            yield Page(
                f"{plural}/{group.slug}/index.html",
                "group.html",
                {"kind": kind, "group": group, "years": _years_of(group.events), "tags": timeline.tags},
                section=plural,
                weight=1 + group.count // 8,
            )

    quoted = _quotes_by_seed(events)
    citing = {seed_id: tuple(event for event, _ in pairs) for seed_id, pairs in quoted.items()}
    seeds = sorted(timeline.seeds.values(), key=lambda s: s.id)
    yield Page(
        "sources/index.html",
        "sources.html",
        {"seeds": seeds, "citing": citing, "outside": _outside_sources(events)},
        section="sources",
    )
    for seed in seeds:
        cited = citing.get(seed.id, ())
        context = {"seed": seed, "events": cited, "quotes": quoted.get(seed.id, ())}
        yield Page(f"sources/{seed.id}/index.html", "source.html", context, section="sources", weight=1 + len(cited) // 8)

    yield Page("about/index.html", "about.html", {"kinds": KIND_LABELS}, section="about")
    yield Page("404.html", "404.html", {"years": years}, sitemap=False)


def _years_of(events: Sequence[Event]) -> list[tuple[int, list[Event]]]:
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        years[event.date.year].append(event)
    return sorted(years.items())


def _quotes_by_seed(events: Sequence[Event]) -> Mapping[str, tuple[tuple[Event, tuple[Source, ...]], ...]]:
    """Each seed's citing events, in time order, each with its sources that cite that seed."""
    found: dict[str, dict[Event, list[Source]]] = defaultdict(dict)
    for event in events:
        for source in event.sources:
            if source.seed is not None:
                found[source.seed.id].setdefault(event, []).append(source)
    return {seed_id: tuple((e, tuple(used)) for e, used in cited.items()) for seed_id, cited in found.items()}


def _outside_sources(events: Sequence[Event]) -> list[OutsideSource]:
    """Sources cited by URL, one entry per URL, sorted by publisher and title."""
    first: dict[str, Source] = {}
    citing: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for source in event.sources:
            if source.seed is None and source.url:
                first.setdefault(source.url, source)
                if event not in citing[source.url]:
                    citing[source.url].append(event)
    key: Callable[[str], tuple[str, str, str]] = lambda url: (
        (first[url].publisher or "").casefold(),
        (first[url].title or "").casefold(),
        url,
    )
    return [OutsideSource(first[url], tuple(citing[url])) for url in sorted(first, key=key)]


# --- the environment and the whole site ------------------------------------------


class Fragments:
    """HTML that depends on one event only, rendered once per build and reused on every page showing it.

    An event's row (``render_event_row`` in ``_macros.html``) appears on each of
    its tag, actor, place and source pages; its card (``render_event_card``) on
    its year page and perhaps the front page. Templates call the globals
    ``event_row(event)`` and ``event_card(event)``, which render the macro the
    first time and return the same markup after; lists (rows, links, the
    outside sources) are written with the ``each`` filter, which joins such
    fragments in one call rather than a template loop calling a macro per
    item. Entries are keyed on the item object itself (and hold it, so its
    ``id()`` cannot be reused), so a cache carried from one build to the next
    can only return what that same, frozen item rendered to.
    """

    def __init__(self, env: jinja2.Environment):
        self._env = env
        self._kept: dict[tuple[str, int, tuple[Any, ...]], tuple[Any, Markup]] = {}  # (macro, id of item, more)
        self._cards: list[tuple[Event, str]] = []  # the cards asked for since forget_cards
        self._partials: dict[tuple[str, tuple[Any, ...]], Markup] = {}

    def partial(self, name: str, *args: Any) -> Markup:
        """Macro ``name`` of ``_macros.html`` called with ``args``, rendered once per distinct value of them.

        Like Hugo's ``partialCached``: for small pieces that many pages repeat
        (a date, a status badge, the site's header and footer). Arguments are
        compared by value (they are text, numbers or frozen records), so the
        macro must depend on nothing but them and the globals.
        """
        key = (name, args)
        found = self._partials.get(key)
        if found is None:
            found = self._partials[key] = self._macro(name)(*args)
        return found

    def _macro(self, name: str) -> Callable[..., Markup]:
        return getattr(self._env.get_template("_macros.html").module, name)  # type: ignore[no-any-return]

    def once(self, macro: str, item: Any, *more: Any) -> Markup:
        """Macro ``macro`` of ``_macros.html`` called with ``item`` (and ``more``), rendered once per item object.

        The entry holds the item, so that its ``id()`` cannot be taken by
        another object while it is kept.
        """
        key = (macro, id(item), more)
        entry = self._kept.get(key)
        if entry is None or entry[0] is not item:
            entry = self._kept[key] = (item, self._macro(macro)(item, *more))
        return entry[1]

    def card(self, event: Event, heading: str = "h3") -> Markup:
        self._cards.append((event, heading))
        return self.once("render_event_card", event, heading)

    def row(self, event: Event) -> Markup:
        return self.once("render_event_row", event)

    def each(self, items: Iterable[Any], macro: str, separator: str = "") -> Markup:
        """The ``each`` filter: macro ``macro`` of ``_macros.html`` for each item, joined by ``separator``.

        ``{{ events|each("render_event_item", "\\n") }}``: each item's markup is
        rendered once per item object (:meth:`once`) and the list is joined in
        one call, rather than a template loop calling a macro for every item of
        every page. The macro must depend on nothing but its item and the globals.
        """
        once = self.once
        return Markup(separator).join([once(macro, item) for item in items])  # noqa: S704 - a template's own text

    def forget_except(self, alive: Iterable[Any]) -> None:
        """After a whole render in the preview: keep only what belongs to these objects (the events, and
        the containers the pages' values hold)."""
        ids = {id(item): item for item in alive}
        self._kept = {k: v for k, v in self._kept.items() if ids.get(k[1]) is v[0]}
        self._cards.clear()

    def forget(self, events: Iterable[Event]) -> None:
        """Drop what belongs to these events (replaced by edited ones)."""
        gone = {id(e) for e in events}
        self._kept = {k: v for k, v in self._kept.items() if k[1] not in gone}

    def forget_cards(self) -> None:
        """Drop the cards (a card is rarely shown twice; rows are, so they stay)."""
        for event, heading in self._cards:
            self._kept.pop(("render_event_card", id(event), (heading,)), None)
        self._cards.clear()


class Partials:
    """The ``cached`` global: ``{{ cached.status(event.status) }}`` is ``m.status(...)`` rendered once per value.

    See :meth:`Fragments.partial`. Each name's caller is made on first use and
    kept as an attribute, so later look-ups are plain attribute reads.
    """

    def __init__(self, fragments: Fragments):
        self._fragments = fragments

    def __getattr__(self, name: str) -> Callable[..., Markup]:
        if name.startswith("_"):
            raise AttributeError(name)
        partial = self._fragments.partial

        def call(*args: Any) -> Markup:
            return partial(name, *args)

        setattr(self, name, call)
        return call


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in ``.cache/jinja/`` (``CHRONICLE_CACHE`` moves it; ``off`` disables it).

    Compiling the templates is most of a small site's build. Jinja keys each
    entry on the template's source, so an edited template is compiled afresh;
    the pages are the same bytes with or without the cache.
    """
    where = os.environ.get("CHRONICLE_CACHE", ".cache")
    if where == "off":
        return None
    folder = Path(where) / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only checkout builds without it
    return jinja2.FileSystemBytecodeCache(str(folder)) if os.access(folder, os.W_OK) else None


def environment(templates_dir: Path, links: Links, site: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: templates cannot change during it
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["markdown"] = markdown_html
    env.filters["plain"] = plain_text
    env.filters["shorten"] = shorten
    fragments = Fragments(env)
    env.filters["each"] = fragments.each
    env.globals.update(
        site=site,
        url=links.url,
        absolute_url=links.absolute,
        permalink=links.permalink,
        asset=links.asset,
        event_url=links.event,
        event_path=event_path,
        seed_url=links.seed,
        tag_url=links.tag,
        actor_url=links.actor,
        place_url=links.place,
        year_url=links.year,
        statuses=STATUSES,
        status_explanations=STATUS_EXPLANATIONS,
        kind_labels=KIND_LABELS,
        event_jsonld=lambda event: event_jsonld(event, links, site),
        seed_jsonld=lambda seed: seed_jsonld(seed, links),
        page_jsonld=lambda kind, name, description, path: page_jsonld(kind, name, description, path, links),
        event_card=fragments.card,
        event_row=fragments.row,
        cached=Partials(fragments),
        fragments=fragments,
    )
    return env


class Renderer:
    """Everything needed to render the pages of one timeline, one page at a time.

    :func:`render_site` renders every page into memory; ``build`` renders them
    straight into the staging folder, across processes (:func:`write_pages`).
    """

    def __init__(
        self,
        timeline: Timeline,
        site: SiteConfig,
        templates_dir: Path,
        *,
        inline_limit: int = INLINE_LIMIT,
        provenance: Mapping[str, Provenance] | None = None,
        memo: RenderMemo | None = None,
    ):
        self.site = site
        self.templates_dir = templates_dir
        groups = browse(timeline.events)
        self.static = static_files(templates_dir / "static")
        versions = {name.removeprefix("static/"): hashlib.sha256(data).hexdigest()[:10] for name, data in self.static.items()}
        self.links = Links(site.base_path, site.origin, groups.actor_slugs, groups.place_slugs, versions)
        self.memo = memo
        signature = (_templates_stamp(templates_dir), site, self.links)
        if memo is not None and memo.env is not None and memo.signature == signature:
            self.env = memo.env  # same templates, settings and links: every remembered page and fragment holds
        else:
            self.env = environment(templates_dir, self.links, site)
            if memo is not None:
                memo.signature, memo.env, memo.pages = signature, self.env, {}
        self.fragments: Fragments = self.env.globals["fragments"]  # type: ignore[assignment]
        self._keys: dict[int, Any] = {}  # page_key's memo for this rebuild (the pages keep its objects alive)
        self._globals = dict(self.env.globals)  # see render
        self.pages = tuple(pages(timeline, groups, inline_limit=inline_limit, provenance=provenance))

    def render(self, page: Page) -> bytes:
        """One page's bytes; a template error is a :class:`ContentErrors` naming the template.

        What ``Template.render`` does, but for its first step: it merges the
        page's values with the globals, which Jinja keeps as a ``ChainMap`` and
        copies key by key for every page (a tenth of an event page's time), and
        copies their names too. The merged globals are copied once here, and
        each page's values laid over them.
        """
        with self.template_errors():
            template = self.env.get_template(page.template)
            values = {**self._globals, "site": self.site, "page": {"path": page.url_path, "section": page.section}}
            values.update(page.context)
            # Template.new_context would also copy the names of the globals (a ChainMap) into a set, used
            # only when a template is made into a module; these values already hold the globals.
            context = new_jinja_context(self.env, template.name, template.blocks, values, shared=True)
            try:
                html: str = self.env.concat(template.root_render_func(context))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - Jinja rewrites the traceback to point into the template
                self.env.handle_exception()
            return html.encode("utf-8")

    def other_files(self) -> dict[str, bytes]:
        """The sitemap, robots.txt and the static files: what is not a page."""
        files: dict[str, bytes] = {}
        with self.template_errors():
            if self.links.absolute():
                listed = sorted(page.url_path for page in self.pages if page.sitemap)
                files["sitemap.xml"] = self.env.get_template("sitemap.xml").render(paths=listed).encode("utf-8")
            files["robots.txt"] = self.env.get_template("robots.txt").render(site=self.site).encode("utf-8")
        files.update(self.static)
        return files

    @contextmanager
    def template_errors(self) -> Iterator[None]:
        try:
            yield
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else self.templates_dir / (exc.name or "")
            raise ContentErrors([Diagnostic(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")]) from exc
        except jinja2.TemplateError as exc:
            raise ContentErrors([Diagnostic(self.templates_dir, 1, 1, f"template error: {exc}")]) from exc

    def render_remembered(self, page: Page) -> bytes:
        """:meth:`render`, or the bytes of the last rebuild when the page shows exactly what it showed then."""
        if self.memo is None:
            return self.render(page)
        key = remembered_key(page, self._keys)
        entry = self.memo.pages.get(page.path)
        if entry is not None and entry[0] == key:
            self.memo.reused += 1
            return entry[2]
        data = self.render(page)
        self.memo.rendered += 1
        self.memo.pages[page.path] = (key, page, data)  # the page's context keeps alive the objects the key names
        return data


@dataclass
class RenderMemo:
    """What the live preview keeps from one rebuild to the next, so that it renders only pages that changed.

    A page is rendered again unless its template and everything in its context
    are what they were: the same frozen :class:`Event` and :class:`Seed` objects
    (``validate``'s memo hands back the same object for an unchanged event),
    the same mappings, equal values otherwise (:func:`page_key`). All of it is
    dropped when a template, a setting, a static file or a URL slug changes.
    """

    signature: tuple[Any, ...] | None = None
    env: jinja2.Environment | None = None
    pages: dict[str, tuple[Any, Page, bytes]] = field(default_factory=dict)
    reused: int = 0  # pages whose bytes were the last rebuild's, counted by render_site
    rendered: int = 0  # pages rendered, by render_site or rerender
    renderer: Renderer | None = None  # the last whole render's, for :func:`rerender`
    showing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # event id -> pages whose values hold it
    holding: Holding = field(default_factory=dict)  # what each container of those values holds (see showing)


def remembered_key(page: Page, seen: dict[int, Any]) -> tuple[Any, ...]:
    """What a page's bytes depend on: its template, its section and :func:`page_key` of each of its values."""
    return (page.template, page.section, tuple((name, page_key(value, seen)) for name, value in page.context.items()))


_SAME = object()  # marks "this very object" in a page key
#: The model's frozen records: an unchanged event is the very same object from one rebuild to the next.
_BY_IDENTITY = frozenset({Event, Seed, Source, Place, EventDate, Provenance})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def page_key(value: Any, seen: dict[int, Any] | None = None) -> Any:
    """A value that is equal for two contexts only if they would render the same page.

    The model's frozen records (events, their sources, places and dates,
    seeds, provenance) count by identity: they are never changed once made,
    and an edited event is a new object with new parts. Text and numbers count
    by value; tuples, lists, dicts and other frozen dataclasses by their
    members; anything else by identity.

    ``seen`` remembers the key of each container already visited, by ``id``:
    many pages share the same groups and mappings, and the caller keeps them
    alive while it uses the keys. A run of records (a group's events) is keyed
    by their ids in one pass.
    """
    kind = type(value)
    if value is None or kind in _PLAIN:
        return value
    if kind in _BY_IDENTITY:
        return (_SAME, id(value))
    if kind is frozenset:
        return value
    if seen is not None:
        known = seen.get(id(value), _MISSING)
        if known is not _MISSING:
            return known
    if kind is tuple or kind is list:
        if value and set(map(type, value)) <= _BY_IDENTITY:
            key: Any = (_SAME, tuple(map(id, value)))
        else:
            key = tuple(page_key(v, seen) for v in value)
    elif kind is dict:
        key = (dict, *((k, page_key(v, seen)) for k, v in value.items()))
    else:
        names = _FIELDS.get(kind, ())
        if names == ():
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value)) if dataclasses.is_dataclass(value) else None
        key = (_SAME, id(value)) if names is None else (kind, *(page_key(getattr(value, name), seen) for name in names))
    if seen is not None:
        seen[id(value)] = key
    return key


_MISSING = object()
_PLAIN = frozenset({str, int, float, bool})


def _templates_stamp(templates_dir: Path) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for folder, dirs, names in os.walk(templates_dir):
        dirs.sort()
        for name in sorted(names):
            stat = os.stat(os.path.join(folder, name))
            stamps.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


def render_site(
    timeline: Timeline,
    site: SiteConfig,
    templates_dir: Path,
    *,
    inline_limit: int = INLINE_LIMIT,
    provenance: Mapping[str, Provenance] | None = None,
    memo: RenderMemo | None = None,
) -> dict[str, bytes]:
    """Every file of the site, in memory: ``{"events/x/index.html": b"...", ...}``.

    With a ``memo`` (the live preview's), pages that show what they showed last time are not rendered again.
    """
    renderer = Renderer(timeline, site, templates_dir, inline_limit=inline_limit, provenance=provenance, memo=memo)
    files = {page.path: renderer.render_remembered(page) for page in renderer.pages}
    if memo is not None:
        for gone in memo.pages.keys() - files.keys():
            del memo.pages[gone]
        memo.renderer = renderer
        memo.showing, memo.holding = showing(renderer.pages)
        renderer.fragments.forget_except([*timeline.events, *(value for value, _ in memo.holding.values())])
    return files | renderer.other_files()


# --- a text edit: only the pages showing the edited events ----------------------------


def text_edits(old: Timeline, new: Timeline) -> list[tuple[Event, Event]] | None:
    """The events of ``new`` that differ from ``old`` only in their text, paired with what they were.

    Text is what no page but those showing an event depends on: its title,
    summary, body and the quotes of its sources. None when anything else
    differs (an event added, removed or moved in time; its tags, actors,
    places, status, sources or related events; the seeds or the tags'
    descriptions): then the pages themselves may change, and the whole site
    is rendered again.
    """
    if len(old.events) != len(new.events) or old.seeds is not new.seeds or old.tags is not new.tags:
        return None
    edits = []
    for before, after in zip(old.events, new.events, strict=True):
        if before is after:
            continue
        if _structure(before) != _structure(after):
            return None
        edits.append((before, after))
    return edits


def _structure(event: Event) -> tuple[Any, ...]:
    """All of an event but its text (see :func:`text_edits`)."""
    sources = tuple(dataclasses.replace(source, quote=None) for source in event.sources)
    return (event.id, event.path, event.date, event.status, event.tags, event.actors, event.places, sources, event.related)


def rerender(
    memo: RenderMemo, edits: Sequence[tuple[Event, Event]], site: SiteConfig, templates_dir: Path
) -> dict[str, bytes] | None:
    """The pages showing the edited events, rendered again with each new event in place of the old.

    Works from the last whole render (:func:`render_site` with this memo):
    each such page's values are taken as they were, with the old events (and
    their sources) replaced by the new ones, so only pages that show an edited
    event are touched, however large the timeline. None without a last render,
    or when the settings, a template or a static file changed since.
    """
    renderer = memo.renderer
    if renderer is None or memo.signature != (_templates_stamp(templates_dir), site, renderer.links):
        return None
    table: dict[int, Any] = {}
    for before, after in edits:
        table[id(before)] = after
        table.update((id(a), b) for a, b in zip(before.sources, after.sources, strict=True))
    edited = frozenset(before.id for before, _ in edits)
    paths = sorted({path for event_id in edited for path in memo.showing.get(event_id, ())})
    seen: dict[int, Any] = {}
    done = {}
    for path in paths:  # a template error raises here, before the memo has changed
        _, page, _ = memo.pages[path]
        page = dataclasses.replace(page, context=substitute(page.context, table, seen, memo.holding, edited))
        done[path] = (None, page, renderer.render(page))  # no key: a whole render makes these pages again
    memo.pages.update(done)
    memo.rendered += len(done)
    renderer.fragments.forget([before for before, _ in edits])
    return {path: data for path, (_, _, data) in done.items()}


Holding = dict[int, tuple[Any, frozenset[str]]]  # id of a container -> (the container, the ids of the events in it)


def showing(pages: Sequence[Page]) -> tuple[dict[str, tuple[str, ...]], Holding]:
    """Each event's id with the pages whose values hold that event anywhere; and what each container holds."""
    found: dict[str, list[str]] = defaultdict(list)
    holding: Holding = {}
    for page in pages:
        for event_id in set().union(*(_events_in(value, holding) for value in page.context.values())):
            found[event_id].append(page.path)
    return {event_id: tuple(paths) for event_id, paths in found.items()}, holding


def _events_in(value: Any, holding: Holding) -> frozenset[str]:
    """The ids of the events anywhere in ``value`` (containers and frozen records walked, each once)."""
    kind = type(value)
    if kind is Event:
        return frozenset((value.id,))
    if value is None or kind in _PLAIN or kind in _BY_IDENTITY or kind is frozenset:
        return _NONE
    known = holding.get(id(value))
    if known is not None:
        return known[1]
    if kind is tuple or kind is list:
        if value and set(map(type, value)) == {Event}:
            found = frozenset(v.id for v in value)
        else:
            found = frozenset().union(*(_events_in(v, holding) for v in value))
    elif kind is dict:
        found = frozenset().union(*(_events_in(v, holding) for v in value.values()))
    elif dataclasses.is_dataclass(value):
        found = frozenset().union(*(_events_in(getattr(value, f.name), holding) for f in dataclasses.fields(value)))
    else:
        found = _NONE
    holding[id(value)] = (value, found)  # the container is kept with its ids, which no other object can then take
    return found


_NONE: frozenset[str] = frozenset()
_LEAVES = frozenset({str, int, float, bool, type(None)})


def substitute(
    value: Any, table: Mapping[int, Any], seen: dict[int, Any], holding: Holding | None = None, edited: frozenset[str] = _NONE
) -> Any:
    """``value`` with every object whose id is in ``table`` replaced; what holds none of them is returned as it is.

    ``holding`` (from :func:`showing`) lets a container be passed over when
    none of the ``edited`` events is in it.
    """
    kind = type(value)
    if value is None or kind in _PLAIN or kind is frozenset:
        return value
    if kind in _BY_IDENTITY:
        return table.get(id(value), value)
    known = seen.get(id(value), _MISSING)
    if known is not _MISSING:
        return known
    held = holding.get(id(value)) if holding is not None else None
    if held is not None and held[0] is value and held[1].isdisjoint(edited):
        return value
    result = value
    if kind is tuple or kind is list or kind is dict:
        members = value.values() if kind is dict else value
        types = set(map(type, members))
        if types <= _LEAVES:  # text and numbers only (a mapping of positions, say): nothing to replace
            seen[id(value)] = value
            return value
        if types <= _BY_IDENTITY:  # a run of records (a group's events): one look-up each
            replaced = [table.get(id(v), v) for v in members]
        else:
            replaced = [substitute(v, table, seen, holding, edited) for v in members]
        if any(a is not b for a, b in zip(replaced, members, strict=True)):
            result = dict(zip(value, replaced, strict=True)) if kind is dict else kind(replaced)
    elif dataclasses.is_dataclass(value):
        changes = {}
        for f in dataclasses.fields(value):
            before = getattr(value, f.name)
            after = substitute(before, table, seen, holding, edited)
            if after is not before:
                changes[f.name] = after
        if changes:
            result = dataclasses.replace(value, **changes)  # type: ignore[type-var]  # a dataclass instance
    seen[id(value)] = result
    return result


def static_files(static_dir: Path) -> dict[str, bytes]:
    if not static_dir.is_dir():
        return {}
    return {
        "static/" + path.relative_to(static_dir).as_posix(): path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


# --- rendering straight to disk, on every core ----------------------------------------

#: Below this many pages, forking workers costs more than it saves.
PARALLEL_MIN_PAGES = 2000


def default_jobs(pages: int) -> int:
    """How many processes render: every core this process may use (``CHRONICLE_JOBS`` overrides), one for a small site."""
    wanted = os.environ.get("CHRONICLE_JOBS", "")
    if pages < PARALLEL_MIN_PAGES and not (wanted.isdigit() and int(wanted) > 0):
        return 1
    return cores()


def write_pages(renderer: Renderer, root: Path, *, jobs: int | None = None) -> int:
    """Render every page and write it under ``root`` as it is rendered; returns the number of files written.

    With more than one job, pages are shared out among forked worker processes,
    each writing its pages itself, so that no page crosses between processes
    and memory stays flat whatever the size of the site. The bytes of a page do
    not depend on which process renders it, or in what order.
    """
    jobs = jobs or default_jobs(len(renderer.pages))
    tasks = plan(renderer.pages, jobs)
    if jobs == 1:
        for task in tasks:
            _render_task(renderer, root, task)
    else:
        _run_in_workers(renderer, root, tasks, jobs)
    others = renderer.other_files()
    for name, data in others.items():
        write_file(root, name, data)
    return len(renderer.pages) + len(others)


def plan(pages: Sequence[Page], jobs: int) -> list[list[int]]:
    """Pages (by position) in batches, largest first, so that workers finish together.

    Pages sharing a batch name (an event's page and its year's page show the
    same Markdown) stay together, cut into pieces of at most ``_TASK_PAGES``.
    """
    batches: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        batches[page.batch or f"page:{i}"].append(i)
    tasks = [members[at : at + _TASK_PAGES] for members in batches.values() for at in range(0, len(members), _TASK_PAGES)]
    if jobs > 1:
        tasks.sort(key=lambda task: -sum(pages[i].weight for i in task))
    return tasks


_TASK_PAGES = 500

#: What forked workers render: set just before the pool forks, so that they inherit it.
_job: tuple[Renderer, Path] | None = None


def _run_in_workers(renderer: Renderer, root: Path, tasks: list[list[int]], jobs: int) -> None:
    global _job
    _job = (renderer, root)
    gc.freeze()  # the collector leaves the parent's objects alone in the workers, so their pages stay shared
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            outcomes = list(pool.map(_worker_task, tasks))
    finally:
        _job = None
        gc.unfreeze()
    problems = [d for outcome in outcomes if isinstance(outcome, tuple) for d in outcome]
    if problems:
        raise ContentErrors(sorted(set(problems)))
    crashes = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if crashes:
        raise RuntimeError(f"a worker rendering pages failed:\n{crashes[0]}")


def _worker_task(task: list[int]) -> tuple[Diagnostic, ...] | str | None:
    """In a worker: render and write some pages. Problems come back as values (exceptions pickle poorly)."""
    assert _job is not None, "workers are forked with the job in place"
    try:
        _render_task(*_job, task)
    except ContentErrors as errors:
        return errors.diagnostics
    except Exception:  # noqa: BLE001 - reported by the parent, with the worker's traceback
        return traceback.format_exc()
    return None


def _render_task(renderer: Renderer, root: Path, task: list[int]) -> None:
    for i in task:
        page = renderer.pages[i]
        write_file(root, page.path, renderer.render(page))
    renderer.fragments.forget_cards()
    if _job is not None:  # in a worker: a task's Markdown is not shown by another task's pages (see plan)
        markdown_html.cache_clear()
        plain_text.cache_clear()
