"""Outputs: the data files a site publishes, made together for :func:`chronicle.build.other_files`.

``data/events.json`` and its schema, ``data/events.csv``
(:mod:`chronicle.exchange.exports`), ``data/timelinejs.json``
(:mod:`chronicle.exchange.timelinejs`) and ``feed.xml``
(:mod:`chronicle.exchange.feed`). Each event's lines of the first three are
made once and kept in ``pieces`` when the caller keeps them (the live preview).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from ..config import SiteConfig
from ..content.model import Event, Timeline
from ..content.provenance import Provenance
from ..site.links import Links
from ..site.markup import Markdown
from .exports import EVENTS_CSV, EVENTS_JSON, EVENTS_SCHEMA, csv_line, events_csv, events_json, export_schema, json_line
from .feed import FEED_PATH, feed_xml
from .pieces import Pieces
from .records import event_record
from .timelinejs import TIMELINEJS_PATH, slide_line, timelinejs_json

#: Every path this module writes, for the About page and the README.
DATA_FILES = (EVENTS_JSON, EVENTS_SCHEMA, EVENTS_CSV, TIMELINEJS_PATH, FEED_PATH)


def exchange_files(
    timeline: Timeline,
    site: SiteConfig,
    links: Links,
    markdown: Markdown,
    provenance: Mapping[str, Provenance],
    pieces: Pieces | None = None,
) -> dict[str, bytes]:
    """The exports and the feed of ``timeline``, by output path."""
    pieces = pieces if pieces is not None else Pieces()
    pieces.start(links, timeline.events)

    def lines(event: Event) -> tuple[bytes, bytes, bytes]:
        record = event_record(event, links, provenance.get(event.id))
        return json_line(record), csv_line(record), slide_line(event, links, markdown)

    made: list[tuple[bytes, bytes, bytes]] = [
        pieces.get(event, provenance.get(event.id), partial(lines, event)) for event in timeline.events
    ]
    return {
        EVENTS_JSON: events_json(timeline, site, links, [m[0] for m in made]),
        EVENTS_SCHEMA: export_schema(),
        EVENTS_CSV: events_csv([m[1] for m in made]),
        TIMELINEJS_PATH: timelinejs_json(site, links, [m[2] for m in made]),
        FEED_PATH: feed_xml(timeline, site, links, markdown, provenance),
    }
