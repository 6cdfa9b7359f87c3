"""Outputs: the data files a site publishes, made together for :func:`chronicle.build.other_files`.

``data/events.json`` and its schema, ``data/events.csv``
(:mod:`chronicle.exchange.exports`), ``data/timelinejs.json``
(:mod:`chronicle.exchange.timelinejs`) and ``feed.xml``
(:mod:`chronicle.exchange.feed`). They are made as one stream of pieces
(:func:`exchange_chunks`), each event's lines of the first three in turn, so
that a build writes them as they are made
(:func:`chronicle.site.write.write_chunks`; at 100,000 events they come to
half a gigabyte) and the live preview, which serves from memory, joins them
(:func:`chronicle.site.write.join_chunks`): the same bytes either way.
Each event's lines are made once and kept in ``pieces`` when the caller
keeps them (the live preview).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial

from ..config import SiteConfig
from ..content.model import Event, Timeline
from ..content.provenance import Provenance
from ..site.links import Links
from ..site.markup import Markdown
from .exports import (
    EVENTS_CSV,
    EVENTS_JSON,
    EVENTS_SCHEMA,
    csv_header,
    csv_line,
    events_json_ends,
    export_schema,
    json_line,
    line_join,
)
from .feed import FEED_PATH, feed_xml
from .pieces import Pieces
from .records import event_record
from .timelinejs import TIMELINEJS_PATH, slide_line, timelinejs_ends

#: Every path this module writes, for the About page and the README.
DATA_FILES = (EVENTS_JSON, EVENTS_SCHEMA, EVENTS_CSV, TIMELINEJS_PATH, FEED_PATH)


def exchange_chunks(
    timeline: Timeline,
    site: SiteConfig,
    links: Links,
    markdown: Markdown,
    provenance: Mapping[str, Provenance],
    pieces: Pieces | None = None,
) -> Iterator[tuple[str, bytes]]:
    """The exports and the feed as (path, piece) pairs, each file's pieces in order, the files' pieces interleaved.

    With ``pieces``, each event's lines are kept there and found again in the next call; without, nothing is kept.
    """
    if pieces is not None:
        pieces.start(links, timeline.events)

    def lines(event: Event) -> tuple[bytes, bytes, bytes]:
        record = event_record(event, links, provenance.get(event.id))
        return json_line(record), csv_line(record), slide_line(event, links, markdown)

    json_opening, json_closing = events_json_ends(timeline, site, links)
    slides_opening, slides_closing = timelinejs_ends(site, links)
    yield EVENTS_SCHEMA, export_schema()
    yield EVENTS_JSON, json_opening
    yield EVENTS_CSV, csv_header()
    yield TIMELINEJS_PATH, slides_opening
    for i, event in enumerate(timeline.events):
        if pieces is not None:
            as_json, as_csv, as_slide = pieces.get(event, provenance.get(event.id), partial(lines, event))
        else:
            as_json, as_csv, as_slide = lines(event)
        yield EVENTS_JSON, line_join(i) + as_json
        yield EVENTS_CSV, as_csv
        yield TIMELINEJS_PATH, line_join(i) + as_slide
    last = b"\n" if timeline.events else b""
    yield EVENTS_JSON, last + json_closing
    yield TIMELINEJS_PATH, last + slides_closing
    yield FEED_PATH, feed_xml(timeline, site, links, markdown, provenance)
