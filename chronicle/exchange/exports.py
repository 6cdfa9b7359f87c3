"""Exports: all of the timeline's data, for anyone to take away.

- ``data/events.json``: every event with every field (:func:`chronicle.exchange.records.event_record`),
  its sources and quotes and its page's URL, with ``schema_version`` and what the
  timeline is; one event per line, so that two versions diff line by line.
- ``data/events.schema.json``: the JSON Schema (draft-07) of that file.
- ``data/events.csv``: one row per event for spreadsheets (RFC 4180: comma-separated,
  CRLF line ends, quoted where needed; UTF-8; a header row). Lists are joined with
  ``"; "``, sources written as ``publisher: url``.

Each event's JSON line and CSV row are made apart from the files
(:func:`json_line`, :func:`csv_line`), so that a caller may keep them between
builds (:mod:`chronicle.exchange.pieces`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ..config import SiteConfig
from ..content.model import Timeline
from ..site.links import Links
from .records import SCHEMA_VERSION, site_record

EVENTS_JSON = "data/events.json"
EVENTS_SCHEMA = "data/events.schema.json"
EVENTS_CSV = "data/events.csv"

CSV_COLUMNS = (
    "id", "url", "date", "date_label", "earliest", "latest", "status", "title", "summary", "body",
    "tags", "actors", "places", "sources", "quotes", "related", "imported", "added", "last_changed",
)  # fmt: skip
LIST_SEPARATOR = "; "


def events_json_ends(timeline: Timeline, site: SiteConfig, links: Links) -> tuple[bytes, bytes]:
    """``data/events.json``'s opening (the timeline's description) and closing; its events go between,
    in time order, one a line (:func:`json_line`), each after its :func:`line_join`."""
    head = {
        "$schema": links.permalink(EVENTS_SCHEMA),
        "schema_version": SCHEMA_VERSION,
        **site_record(site, links, timeline.tags),
        "count": len(timeline.events),
    }
    return (_json(head)[:-1] + ',"events":[').encode("utf-8"), b"]}\n"


def line_join(i: int) -> bytes:
    """What goes before the ``i``-th line (from 0) of a JSON array written a line per item (the last is followed by a
    newline, when there is one)."""
    return b"\n" if i == 0 else b",\n"


def json_line(record: Mapping[str, Any]) -> bytes:
    """An event's line of ``events.json``."""
    return _json(record).encode("utf-8")


def csv_header() -> bytes:
    """``data/events.csv``'s header; its rows (:func:`csv_line`) follow, one per event in time order."""
    return _CSV.writerow(CSV_COLUMNS).encode("utf-8")  # type: ignore[no-any-return]  # what _Line.write returns


def csv_line(record: Mapping[str, Any]) -> bytes:
    """An event's row of ``events.csv``, with its line end."""
    return _CSV.writerow(csv_row(record)).encode("utf-8")  # type: ignore[no-any-return]  # what _Line.write returns


def csv_row(record: Mapping[str, Any]) -> list[str]:
    """An event record flattened to the cells of :data:`CSV_COLUMNS`."""
    date = record["date"]
    cells = {
        **record,
        "date": date["edtf"],
        "date_label": date["label"],
        "earliest": date["earliest"],
        "latest": date["latest"],
        "tags": _joined(record["tags"]),
        "actors": _joined(record["actors"]),
        "places": _joined(p["name"] for p in record["places"]),
        "sources": _joined(map(_publisher_and_url, record["sources"])),
        "quotes": _joined(f"“{s['quote']}”" for s in record["sources"] if s["quote"]),
        "related": _joined(record["related"]),
    }
    return ["" if cells[name] is None else str(cells[name]) for name in CSV_COLUMNS]


def _publisher_and_url(source: Mapping[str, Any]) -> str:
    """'Reuters: https://...': the publisher (else the title), and the source's address (else its page on the site)."""
    name = source["publisher"] or source["title"] or "Unnamed source"
    url = source["url"] or (source["archived_document"] or {}).get("url")
    return f"{name}: {url}" if url else name


def export_schema() -> bytes:
    """``data/events.schema.json``, as shipped with the package."""
    return resources.files("chronicle").joinpath("schemas/export.schema.json").read_bytes()


def _joined(values: Any) -> str:
    return LIST_SEPARATOR.join(values)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Line:
    """A file that keeps nothing: ``csv.writer(_Line()).writerow(cells)`` returns the row's line, as written."""

    def write(self, line: str) -> str:
        return line


_CSV = csv.writer(_Line(), lineterminator="\r\n")
