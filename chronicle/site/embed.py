"""Embeds: the widget pages an article frames, each one slice of the timeline without the site's chrome.

A widget page shows a title, the events of one view and a "Full timeline"
link to the same view on the site; every link opens outside the frame. The
views a reader can pick on the site are those of its shared URLs (``q``,
``tag``, ``actor``, ``place``, ``status``, ``from``, ``to``, parsed by
``static/query.js``), plus ``ids`` and ``theme``. Without JavaScript a frame
can only show what is in its HTML, so a page is built for every view that a
path can name:

- ``embed/tags/<slug>/``, ``embed/actors/<slug>/``, ``embed/places/<slug>/``:
  the events of one tag, actor or place (``?tag=``, ``?actor=``, ``?place=``);
- ``embed/years/<year>/``: the events under way in that year, spans included
  (``?from=<year>&to=<year>``);
- ``embed/events/<id>/``: one event, compactly, with its sources and related
  events.

``embed/`` takes any query string; its script (``static/widget.js``) narrows
the timeline to it from the data of :mod:`chronicle.site.embed_data`, and
without JavaScript it says that it needs it and links to the site. A list
shows at most :data:`WIDGET_LIMIT` events, the latest, and says how many
there are. The oEmbed responses and ``/embed.js`` are made in
:mod:`chronicle.site.embed_data` too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from urllib.parse import quote_plus

from ..content.model import Event, Timeline
from .browse import Browse, year_range
from .page import Page

EMBED_DIR = "embed"
#: A list widget shows at most this many events (the latest); the rest are one link away on the site.
WIDGET_LIMIT = 20
#: Events per text file of the widget's data (chronicle.site.embed_data): a text query searches them newest first.
TEXT_CHUNK = 100
#: Events per row file of the widget's data: a quarter of the files to write (each costs the build more than its
#: bytes), and a view of 20 events scattered over the timeline still fetches a few KB of rows.
ROW_CHUNK = 4
#: The last year of a span still open ("2012/..") in the year filter, as the manifest has it.
OPEN_END = 9999

#: A list widget's title, by the kind of view (the same words as ``title`` in static/query.js).
TITLES = {"tag": "Events tagged {}", "actor": "Events involving {}", "place": "Events in {}", "year": "Events of {}"}
#: Where each kind of view lives: embed/<folder>/<slug>/, and the browse page of the same events.
FOLDERS = {"tag": "tags", "actor": "actors", "place": "places", "year": "years"}


def widget_pages(timeline: Timeline, groups: Browse) -> Iterator[Page]:
    """Every widget page, in a stable order; none is listed in the sitemap."""
    events = timeline.events
    yield Page(
        f"{EMBED_DIR}/index.html",
        "embed_query.html",
        {
            "count": len(events),
            "limit": WIDGET_LIMIT,
            "text_chunk": TEXT_CHUNK,
            "row_chunk": ROW_CHUNK,
            "id_files": id_files(len(events)),
        },
        sitemap=False,
    )
    named = (("tag", groups.tags), ("actor", groups.actors), ("place", groups.places))
    for kind, found in named:
        for group in found:
            yield _list_page(kind, group.slug, group.name, group.events)
    for year, during in years_under_way(events).items():
        yield _list_page("year", str(year), str(year), during)
    for event in events:
        yield Page(
            f"{EMBED_DIR}/events/{event.id}/index.html",
            "embed_event.html",
            {"event": event, "related": tuple(timeline.by_id[r] for r in event.related)},
            sitemap=False,
            batch=f"year:{event.date.year}",
        )


def id_files(count: int) -> int:
    """How many files the widget's map of event ids is cut into: a power of two, about 64 ids a file or fewer."""
    files = 1
    while count > 64 * files:
        files *= 2
    return files


def _list_page(kind: str, slug: str, value: str, events: Sequence[Event]) -> Page:
    shown = tuple(events[-WIDGET_LIMIT:])
    context = {
        "kind": kind,
        "value": value,
        "title": TITLES[kind].format(value),
        "events": shown,
        "total": len(events),
        "view": view_query(kind, value),
    }
    path = f"{EMBED_DIR}/{FOLDERS[kind]}/{slug}/index.html"
    return Page(path, "embed_list.html", context, sitemap=False, weight=1 + len(shown) // 8)


def years_under_way(events: Sequence[Event]) -> dict[int, tuple[Event, ...]]:
    """Each year of the timeline with the events under way in it, in time order, as ``?from=Y&to=Y`` selects them.

    An event is under way from the year it starts to the year it ends; a span
    still open runs to the last year of the timeline. Years with no event are left out.
    """
    bounds = year_range(events)
    if bounds is None:
        return {}
    found: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        for year in range(event.date.year, min(last_year(event), bounds[1]) + 1):
            found[year].append(event)
    return {year: tuple(found[year]) for year in sorted(found)}


def last_year(event: Event) -> int:
    """The last year an event is under way, :data:`OPEN_END` for a span still open (as in the manifest)."""
    date = event.date
    return date.end.year if date.end else (OPEN_END if date.open_end else date.start.year)


def view_query(kind: str, value: str) -> str:
    """The site's shared-URL query string of a view: "?tag=cjng", "?from=2015&to=2015"."""
    pairs = [("from", value), ("to", value)] if kind == "year" else [(kind, value)]
    return "?" + "&".join(f"{name}={form_encode(text)}" for name, text in pairs)


def form_encode(text: str) -> str:
    """``text`` encoded as the browser's URLSearchParams encodes it (so a page and its script agree)."""
    return quote_plus(text, safe="*").replace("~", "%7E")


def widget_path(page_path: str) -> str:
    """The widget page showing what the site's page at ``page_path`` shows ("tags/cjng/" -> "embed/tags/cjng/"), or ''.

    The front page's is ``embed/`` (the whole timeline, narrowed by its script);
    an event's, a tag's, an actor's, a place's and a year's are their own.
    """
    if page_path == "":
        return f"{EMBED_DIR}/"
    parts = page_path.split("/")
    if len(parts) == 3 and parts[2] == "" and parts[0] in ("events", *FOLDERS.values()) and parts[1]:
        return f"{EMBED_DIR}/{page_path}"
    return ""


#: The height of a frame in the snippets and oEmbed responses, before ``/embed.js`` (when the page has it)
#: sizes it to its content: about what a list or an event needs on a phone.
FRAME_HEIGHTS = {"list": 640, "event": 720}
#: The sandbox recommended for a frame: its scripts run, its links open in new tabs outside the sandbox,
#: and nothing else (no access to the host page, no top navigation, no forms, no storage).
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"


def iframe_snippet(src: str, title: str, height: int) -> str:
    """The iframe a host page pastes (the same markup as ``iframeSnippet`` in static/embed-dialog.js).

    Its height is also in its style, which a page's rule for iframes cannot override.
    """
    return (
        f'<iframe src="{_attribute(src)}" title="{_attribute(title)}" width="100%" height="{height}" loading="lazy" '
        f'sandbox="{SANDBOX}" style="width:100%;max-width:100%;height:{height}px;border:0"></iframe>'
    )


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
