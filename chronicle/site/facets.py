"""Facets: the data the browser filters and lists events with, made from the timeline.

- **The manifest**, ``data/manifest.json``: filtering with no search text must
  not download the text index, and Pagefind's filter-only search would download
  all of it. It holds no titles, only what filtering and counting need: for
  every tag, actor and place the positions of its events (an inverted index,
  each list as gaps between positions), and every event's status and years
  (the years as differences, which repeat and so compress to almost nothing).
- **The list** of events beyond the years the front page shows inline (id,
  title, date, status) is cut into files of :data:`LIST_CHUNK` events in
  timeline order, ``data/list/<n>.json``; the browser fetches only the files
  holding the matches it shows.
- **The filter choices** of the timeline page (:func:`facets`): every value
  with its number of events.

Positions are indexes into ``timeline.events``. The front page's cards are
the latest events (``browse.inline_years``), so the page names only the
position of the first (``data-first``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..content.model import STATUSES, Event, Timeline
from ..content.quotes import fold

MANIFEST_PATH = "data/manifest.json"
LIST_DIR = "data/list"
#: Events per list file: small, so that a few scattered matches fetch little (a hundred matches
#: spread over 100,000 events fetch about 85 KB of list files, against 250 KB with files of 100).
LIST_CHUNK = 25
MANIFEST_VERSION = 2
FACET_NAMES = ("tags", "actors", "places")


def manifest(timeline: Timeline) -> dict[str, Any]:
    """Everything needed to filter events and count them by facet, without their titles."""
    events = timeline.events
    names = {
        "tags": sorted({t for e in events for t in e.tags}),
        "actors": sorted({a for e in events for a in e.actors}, key=_name_key),
        "places": sorted({p.name for e in events for p in e.places}, key=_name_key),
    }
    postings: dict[str, list[list[int]]] = {}
    for facet in FACET_NAMES:
        index = {value: i for i, value in enumerate(names[facet])}
        lists: list[list[int]] = [[] for _ in names[facet]]
        for position, event in enumerate(events):
            for value in _values(event, facet):
                lists[index[value]].append(position)
        postings[facet] = [gaps(positions) for positions in lists]
    first = [e.date.start.year for e in events]
    return {
        "version": MANIFEST_VERSION,
        "count": len(events),
        "statuses": list(STATUSES),
        **names,
        "status": [STATUSES.index(e.status) for e in events],
        "from": gaps(first),
        "span": [_last_year(e) - year for e, year in zip(events, first, strict=True)],
        "postings": postings,
    }


def listing(events: Sequence[Event]) -> list[list[Any]]:
    """Events as the list of matches shows them: id, title, date, status."""
    return [[e.id, e.title, e.date.label(), e.status] for e in events]


def facets(timeline: Timeline) -> dict[str, Any]:
    """The filter choices of the timeline page: every value with its number of events, in manifest order.

    Also what the page's script needs before it fetches anything: the number
    of events, the events per list file and the length of a search-id shard's
    prefix. (The cards on the page are the latest events, so their positions
    follow from their number: ``data-first`` in ``_search.html``.)
    """
    events = timeline.events
    tags = Counter(t for e in events for t in e.tags)
    actors = Counter(a for e in events for a in e.actors)
    places = Counter(p.name for e in events for p in e.places)
    statuses = Counter(e.status for e in events)
    return {
        "tags": [(t, tags[t]) for t in sorted(tags)],
        "actors": [(a, actors[a]) for a in sorted(actors, key=_name_key)],
        "places": [(p, places[p]) for p in sorted(places, key=_name_key)],
        "statuses": [(s, statuses[s]) for s in STATUSES if statuses[s]],
        "first": min((e.date.year for e in events), default=0),
        "last": max((e.date.end.year if e.date.end else e.date.year for e in events), default=0),
        "count": len(events),
        "list_chunk": LIST_CHUNK,
        "id_prefix": id_prefix_length(len(events)),
    }


def gaps(numbers: Iterable[int]) -> list[int]:
    """Each number less the one before it (the first less 0): sorted lists become small, repeating numbers."""
    out, previous = [], 0
    for number in numbers:
        out.append(number - previous)
        previous = number
    return out


def _values(event: Event, facet: str) -> Iterable[str]:
    if facet == "places":
        return (p.name for p in event.places)
    return event.tags if facet == "tags" else event.actors


def _last_year(event: Event) -> int:
    date = event.date
    return date.end.year if date.end else (9999 if date.open_end else date.start.year)


def _name_key(name: str) -> tuple[str, str]:
    return (fold(name).casefold(), name)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def manifest_files(timeline: Timeline) -> dict[str, bytes]:
    """The facet manifest and the list files."""
    return {MANIFEST_PATH: _json(manifest(timeline))} | list_files(timeline)


def list_files(timeline: Timeline, positions: Iterable[int] | None = None) -> dict[str, bytes]:
    """The list files: all of them, or those holding the events at ``positions`` (after an edit of their text)."""
    events = timeline.events
    chunks = range(-(-len(events) // LIST_CHUNK)) if positions is None else sorted({p // LIST_CHUNK for p in positions})
    return {f"{LIST_DIR}/{n}.json": _json(listing(events[n * LIST_CHUNK : (n + 1) * LIST_CHUNK])) for n in chunks}


def listed_event_ids(site_dir: Path) -> list[str]:
    """The event ids of a built site in timeline order, read back from its list files."""
    count = json.loads((site_dir / MANIFEST_PATH).read_text("utf-8"))["count"]
    ids: list[str] = []
    for n in range(-(-count // LIST_CHUNK)):
        ids += [row[0] for row in json.loads((site_dir / f"{LIST_DIR}/{n}.json").read_text("utf-8"))]
    return ids


def id_prefix_length(events: int) -> int:
    """How many hex digits of a Pagefind id name its shard: about 64 ids or fewer a shard, 1 digit at least.

    A shard of 64 ids is a few hundred bytes compressed, so a query matching a
    hundred events spread over the timeline fetches about 30 KB of shards.
    """
    length = 1
    while events > 64 * 16**length:
        length += 1
    return length


def id_shard(result_id: str, length: int) -> str:
    """The shard of a Pagefind result id ("en_025e02d"): the first digits of its hash, after the language."""
    return result_id.rpartition("_")[2][:length]
