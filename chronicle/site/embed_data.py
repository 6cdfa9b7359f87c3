"""Embed data: what the widget's script narrows the timeline with, the oEmbed responses, and ``/embed.js``.

A frame in the recommended sandbox has an opaque origin, so it cannot fetch
JSON from its own site (that needs CORS headers, which static hosts do not
send), but it can load scripts. So the widget's data are small scripts, each
calling ``chronicleEmbedData(name, value)`` (``static/widget.js``), cut so that
a view loads only what it needs (a tag and a status at 10,000 events: under
10 KB compressed):

- ``embed/data/names.js``: the number of events, every tag, actor and place
  (the facet manifest's order, :func:`chronicle.site.facets.manifest`), the
  slug of every actor and place, the years with a widget page, the number of
  id files;
- ``embed/data/postings/<tags|actors|places>/<n>.js``: the positions of the
  events of the n-th value, as gaps; ``embed/data/status.js``: every event's
  status, one digit each; ``embed/data/years.js``: the years each event is
  under way (as gaps and spans);
- ``embed/data/rows/<n>.js``: the events at positions ``n*4`` on as the
  widget lists them (:data:`ROW_CHUNK` a file): id, title, date, status,
  summary as plain text, number of sources;
- ``embed/data/text/<n>.js``: the words a text query searches in the events
  at positions ``n*100`` on (title, summary, body, names, quoted passages and
  source titles);
- ``embed/data/ids/<n>.js``: event ids and their positions, in files chosen
  by a hash of the id (:func:`id_file`), for ``ids=``.

oEmbed responses (https://oembed.com/, type ``rich``, the iframe snippet as
``html``) sit beside the widget page of each event and browse page,
``embed/.../oembed.json``; they need the site's full address (``base_url``),
so without one none is made (:func:`oembed_notice`). The host pages' script,
``static/embed.js``, is also published at the site's root as ``/embed.js``,
the address a snippet names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..config import SiteConfig
from ..content.model import Event, Timeline
from .embed import EMBED_DIR, FRAME_HEIGHTS, ROW_CHUNK, TEXT_CHUNK, id_files, iframe_snippet, years_under_way
from .facets import FACET_NAMES, manifest
from .render import Renderer

DATA_DIR = f"{EMBED_DIR}/data"
CALLBACK = "chronicleEmbedData"
#: The width an oEmbed consumer should give the frame (it fills any width from 280 px up).
OEMBED_WIDTH = 600


def embed_files(renderer: Renderer, timeline: Timeline, positions: Iterable[int] | None = None) -> dict[str, bytes]:
    """The widget's data, the oEmbed responses and /embed.js; or, after an edit of the text of the events at
    ``positions``, only the files holding their text."""
    events = timeline.events
    edited = range(len(events)) if positions is None else sorted(set(positions))
    files: dict[str, bytes] = {}
    for n in sorted({p // ROW_CHUNK for p in edited}):
        part = events[n * ROW_CHUNK : (n + 1) * ROW_CHUNK]
        files[f"{DATA_DIR}/rows/{n}.js"] = _script(f"rows/{n}", [_row(e, renderer) for e in part])
    for n in sorted({p // TEXT_CHUNK for p in edited}):
        part = events[n * TEXT_CHUNK : (n + 1) * TEXT_CHUNK]
        files[f"{DATA_DIR}/text/{n}.js"] = _script(f"text/{n}", [_words(e, renderer) for e in part])
    if renderer.links.absolute():
        files |= {f"{EMBED_DIR}/events/{events[p].id}/oembed.json": _oembed_event(events[p], renderer) for p in edited}
    if positions is not None:
        return files
    files |= _facet_files(timeline, renderer)
    if renderer.links.absolute():
        files |= _oembed_views(renderer)
    if "static/embed.js" in renderer.static:
        files["embed.js"] = renderer.static["static/embed.js"]
    return files


def id_file(event_id: str, files: int) -> int:
    """Which file holds an id: its 32-bit FNV-1a hash (of its UTF-16 code units, as ``idFile`` in widget.js) modulo ``files``."""
    value = 0x811C9DC5
    for unit in event_id.encode("utf-16-le"):
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value % files


def _facet_files(timeline: Timeline, renderer: Renderer) -> dict[str, bytes]:
    """names.js, the postings of every value, status.js, years.js and the id files."""
    data = manifest(timeline)
    events = timeline.events
    links = renderer.links
    shards = id_files(len(events))
    names = {
        "count": data["count"],
        "statuses": data["statuses"],
        **{facet: data[facet] for facet in FACET_NAMES},
        "slugs": {
            "actors": [links.actor_slugs[name] for name in data["actors"]],
            "places": [links.place_slugs[name] for name in data["places"]],
        },
        "years": list(years_under_way(events)),
    }
    files = {f"{DATA_DIR}/names.js": _script("names", names)}
    for facet in FACET_NAMES:
        for n, gaps in enumerate(data["postings"][facet]):
            files[f"{DATA_DIR}/postings/{facet}/{n}.js"] = _script(f"postings/{facet}/{n}", gaps)
    files[f"{DATA_DIR}/status.js"] = _script("status", "".join(str(n) for n in data["status"]))
    files[f"{DATA_DIR}/years.js"] = _script("years", {"from": data["from"], "span": data["span"]})
    by_file: list[dict[str, int]] = [{} for _ in range(shards)]
    for position, event in enumerate(events):
        by_file[id_file(event.id, shards)][event.id] = position
    files |= {f"{DATA_DIR}/ids/{n}.js": _script(f"ids/{n}", ids) for n, ids in enumerate(by_file)}
    return files


def oembed_notice(site: SiteConfig) -> str:
    """One line for the build's output when no oEmbed response can be made, or ''."""
    if site.origin:
        return ""
    return (
        f"base_url is '{site.base_url}', not a full address, so no oEmbed responses were made and pages carry no "
        "oEmbed links (a CMS cannot embed a view from a pasted link; the 'Embed this view' snippets still work). "
        "Set base_url in site.yaml, or pass --base-url, to the address the site is published at, e.g. https://example.org/timeline/"
    )


def _row(event: Event, renderer: Renderer) -> list[Any]:
    plain = renderer.markdown.plain
    return [event.id, event.title, event.date.label(), event.status, plain(event.summary), len(event.sources)]


def _words(event: Event, renderer: Renderer) -> str:
    """What a text query searches in an event, as the site's search does: its text, names and sources."""
    plain = renderer.markdown.plain
    parts = [event.title, plain(event.summary), plain(event.body) if event.body else ""]
    parts += [*event.actors, *(p.name for p in event.places), *event.tags]
    for source in event.sources:
        parts += [source.quote or "", source.display_title or "", source.display_publisher or ""]
    return " ".join(part for part in parts if part)


def _oembed_event(event: Event, renderer: Renderer) -> bytes:
    path = f"{EMBED_DIR}/events/{event.id}/"
    return _oembed(renderer, path, event.title, FRAME_HEIGHTS["event"])


def _oembed_views(renderer: Renderer) -> dict[str, bytes]:
    """The responses for the front page (the whole timeline) and every tag, actor, place and year."""
    files = {}
    for page in renderer.pages:
        if page.template == "embed_list.html":
            files[page.url_path + "oembed.json"] = _oembed(renderer, page.url_path, page.context["title"], FRAME_HEIGHTS["list"])
        elif page.template == "embed_query.html":
            files[page.url_path + "oembed.json"] = _oembed(renderer, page.url_path, "All events", FRAME_HEIGHTS["list"])
    return files


def _oembed(renderer: Renderer, path: str, title: str, height: int) -> bytes:
    links, site = renderer.links, renderer.site
    full_title = f"{title} · {site.title}"
    response = {
        "version": "1.0",
        "type": "rich",
        "title": full_title,
        "provider_name": site.title,
        "provider_url": links.absolute(),
        "html": iframe_snippet(links.absolute(path), full_title, height),
        "width": OEMBED_WIDTH,
        "height": height,
    }
    return json.dumps(response, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _script(name: str, value: Sequence[Any] | dict[str, Any] | str) -> bytes:
    """A data script: ``chronicleEmbedData("name", value);``. U+2028 and U+2029 are escaped (not JavaScript in old engines)."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{CALLBACK}({json.dumps(name)},{data});\n".encode()
