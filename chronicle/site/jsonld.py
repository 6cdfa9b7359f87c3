"""JSON-LD: schema.org structured data for pages, built as plain dicts (Jinja's tojson escapes them for <script>)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import SiteConfig
from ..content.dates import EventDate
from ..content.model import Event, Seed, Source
from .links import Links, event_path

#: schema.org type of a source document, by kind (CreativeWork when none fits better).
_SCHEMA_TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle", "court": "LegalDocument", "government": "Report"}


def _date_iso(date: EventDate | None) -> str | None:
    return date.start.iso if date else None


def event_jsonld(event: Event, links: Links, site: SiteConfig, plain: Callable[[str], str]) -> dict[str, Any]:
    """``plain`` gives a Markdown text as plain text (:meth:`chronicle.site.markup.Markdown.plain`)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": plain(event.summary),
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
