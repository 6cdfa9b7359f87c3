"""Records: each event as plain values, every field, for the data exports.

:func:`event_record` is the one description of an event that ``events.json``
holds and the CSV flattens (:mod:`chronicle.exchange.exports`); its shape is
published as ``data/events.schema.json`` (``chronicle/schemas/export.schema.json``)
and versioned by :data:`SCHEMA_VERSION`. URLs are absolute when the site's
``base_url`` is a full URL, else paths below its base path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..config import SiteConfig
from ..content.dates import DatePoint, EventDate
from ..content.model import Event, Source
from ..content.provenance import Provenance
from ..site.links import Links, event_path

#: Bump when a field of the records changes meaning or goes; a new field does not bump it.
SCHEMA_VERSION = 1


def event_record(event: Event, links: Links, provenance: Provenance | None) -> dict[str, Any]:
    """Every field of ``event``, its sources with their quotes, its page's URL and when its file was added and changed."""
    return {
        "id": event.id,
        "url": links.permalink(event_path(event)),
        "title": event.title,
        "date": date_record(event.date),
        "status": event.status,
        "summary": event.summary.rstrip(),  # without the line end YAML leaves after a block
        "body": event.body.rstrip() if event.body else None,
        "tags": list(event.tags),
        "actors": list(event.actors),
        "places": [{"name": p.name, "lat": p.lat, "lon": p.lon} for p in event.places],
        "sources": [source_record(s, links) for s in event.sources],
        "related": list(event.related),
        "imported": event.imported,
        "added": provenance.added if provenance else None,
        "last_changed": provenance.last_changed if provenance else None,
    }


def date_record(date: EventDate) -> dict[str, Any]:
    """The EDTF text, its label for readers, each end at its precision and the calendar days it may cover."""
    return {
        "edtf": date.text,
        "label": date.label(),
        "start": point_record(date.start),
        "end": point_record(date.end) if date.end else None,
        "open_end": date.open_end,
        "earliest": date.start.earliest.isoformat(),
        "latest": None if date.open_end else (date.end or date.start).latest.isoformat(),
    }


def point_record(point: DatePoint) -> dict[str, Any]:
    return {"date": point.iso, "precision": point.precision, "approximate": point.approximate, "uncertain": point.uncertain}


def source_record(source: Source, links: Links) -> dict[str, Any]:
    """A source as readers see it; one from the archived documents names its page on the site too."""
    seed = source.seed
    return {
        "title": source.display_title,
        "publisher": source.display_publisher,
        "author": seed.author if seed else None,
        "published": source.display_published.text if source.display_published else None,
        "kind": source.display_kind,
        "url": source.link,
        "archive_url": None if seed else source.archive_url,
        "archived_document": {"id": seed.id, "url": links.permalink(f"sources/{seed.id}/")} if seed else None,
        "quote": source.quote,
        "stance": source.stance,
    }


def site_record(site: SiteConfig, links: Links, tags: Mapping[str, str]) -> dict[str, Any]:
    """What the whole file describes: the timeline, its licence, where it lives, its tags."""
    return {
        "title": site.title,
        "description": site.description,
        "language": site.language,
        "url": links.permalink(),
        "license": {"name": site.license, "url": site.license_url or None} if site.license else None,
        "repository": site.repository_url or None,
        "tags": dict(sorted(tags.items())),
    }
