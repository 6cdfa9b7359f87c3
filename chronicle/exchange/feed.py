"""Feed: ``feed.xml``, an Atom feed (RFC 4287) of the latest additions to the timeline.

Entries are the :data:`FEED_ENTRIES` events added most recently, newest first:
an event counts as added on the day its file was first committed (git,
:mod:`chronicle.content.provenance`), or, where git cannot say, on the first day
of its own date; ties go to the later event. Each entry's ``updated`` is when
its file last changed (else when it was added), its content the date, summary,
status and the number of sources, with a link to the event's page. Ids are the
pages' URLs when ``base_url`` is a full URL, else ``urn:uuid:`` names made from
the site's title and the event's id (the same in every build). Pages link the
feed with ``<link rel="alternate" type="application/atom+xml">``.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Mapping
from xml.etree import ElementTree as ET

from .. import __version__
from ..config import SiteConfig
from ..content.model import Event, Timeline
from ..content.provenance import Provenance
from ..site.links import Links, event_path
from ..site.markup import Markdown
from ..site.passages import documents

FEED_PATH = "feed.xml"
#: How many of the latest additions the feed holds (the data exports hold every event).
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
_XML = "http://www.w3.org/XML/1998/namespace"


def added(event: Event, provenance: Provenance | None) -> str:
    """When the event was added: its file's first commit, else the first day of its date ("1989-01-01")."""
    return (provenance.added if provenance else None) or event.date.start.earliest.isoformat()


def latest(timeline: Timeline, provenance: Mapping[str, Provenance], count: int = FEED_ENTRIES) -> list[Event]:
    """The ``count`` events added last, newest first (ties: the later event first; the timeline is in time order)."""
    events = timeline.events
    keys = [(added(e, provenance.get(e.id)), i) for i, e in enumerate(events)]
    return [events[i] for _, i in heapq.nlargest(count, keys)]


def feed_xml(
    timeline: Timeline, site: SiteConfig, links: Links, markdown: Markdown, provenance: Mapping[str, Provenance]
) -> bytes:
    """The Atom feed, as bytes (UTF-8, with an XML declaration)."""
    ET.register_namespace("", ATOM)
    events = latest(timeline, provenance)
    updated = max((_updated(e, provenance.get(e.id)) for e in events), default="1970-01-01")
    feed = ET.Element(_atom("feed"), {f"{{{_XML}}}lang": site.language})
    if links.absolute():
        feed.set(f"{{{_XML}}}base", links.absolute())
    _add(feed, "title", site.title)
    if site.description:
        _add(feed, "subtitle", site.description)
    _add(feed, "id", links.absolute() or _urn(site, ""))
    _add(feed, "link", rel="self", type="application/atom+xml", href=links.permalink(FEED_PATH))
    _add(feed, "link", rel="alternate", type="text/html", href=links.permalink())
    _add(feed, "updated", _timestamp(updated))
    author = _add(feed, "author")
    _add(author, "name", site.title)
    if site.license:
        _add(feed, "rights", f"{site.license} {site.license_url}".strip())
    _add(feed, "generator", "Chronicle", version=__version__)
    for event in events:
        feed.append(_entry(event, provenance.get(event.id), site, links, markdown))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


def _entry(event: Event, provenance: Provenance | None, site: SiteConfig, links: Links, markdown: Markdown) -> ET.Element:
    entry = ET.Element(_atom("entry"))
    url = links.permalink(event_path(event))
    _add(entry, "title", event.title)
    _add(entry, "id", links.absolute(event_path(event)) or _urn(site, event.id))
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    _add(entry, "published", _timestamp(added(event, provenance)))
    _add(entry, "updated", _timestamp(_updated(event, provenance)))
    for tag in event.tags:
        _add(entry, "category", term=tag)
    sources = documents(event.sources)  # as the site counts them: a document quoted twice is one source
    content = (
        f"<p><strong>{_escape(event.date.label())}</strong></p>"
        f"{markdown.html(event.summary)}"
        f"<p>Status: {event.status}. {sources} source{'s' * (sources != 1)}. "
        f'<a href="{_escape(url)}">The full record, with every source</a></p>'
    )
    _add(entry, "content", content, type="html")
    return entry


def _updated(event: Event, provenance: Provenance | None) -> str:
    return (provenance.last_changed if provenance else None) or added(event, provenance)


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _atom(name), attributes)
    if text is not None:
        element.text = text
    return element


def _atom(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _timestamp(day: str) -> str:
    """A day ("2026-02-23") as an RFC 3339 time, midnight UTC, as Atom wants it."""
    return f"{day}T00:00:00Z"


def _urn(site: SiteConfig, event_id: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"chronicle:{site.title}:{event_id}").urn


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
