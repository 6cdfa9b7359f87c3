"""Search: the data the browser needs to search and filter the timeline.

Two parts, each made for its job:

- **Full text** is Pagefind's: its command line indexes the built event pages
  (``data-pagefind-body``, filters and sort keys are marked up in the HTML) into
  ``pagefind/`` in the staging folder, before it is swapped into place. The
  browser downloads only the index chunks a query needs.
- **Facets** (tag, actor, place, status, years) come from a compact manifest of
  our own, ``data/manifest.json``: filtering with no search text must not
  download the text index, and Pagefind's filter-only search would download all
  of it.

The manifest is columnar: names are listed once and events refer to them by
position, so it stays small and compresses well. After Pagefind has run,
``data/search-ids.json`` maps each Pagefind result id to the event's position
in the manifest, so the browser learns every matching event of a query without
fetching one result fragment per match.
"""

from __future__ import annotations

import gzip
import json
import subprocess
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .model import STATUSES, Event, Timeline
from .validate import fold

MANIFEST_PATH = "data/manifest.json"
SEARCH_IDS_PATH = "data/search-ids.json"
MANIFEST_VERSION = 1
#: Only event pages are indexed: the timeline and browse pages repeat their text.
PAGEFIND_GLOB = "events/*/index.html"


class SearchIndexError(RuntimeError):
    """The search indexer failed; the build stops and output/ stays as it was."""


def manifest(timeline: Timeline) -> dict[str, Any]:
    """Everything needed to filter and list events without their pages."""
    tags = sorted({t for e in timeline.events for t in e.tags})
    actors = sorted({a for e in timeline.events for a in e.actors}, key=_name_key)
    places = sorted({p.name for e in timeline.events for p in e.places}, key=_name_key)
    index = {"tags": {v: i for i, v in enumerate(tags)}, "actors": {v: i for i, v in enumerate(actors)},
             "places": {v: i for i, v in enumerate(places)}}  # fmt: skip
    return {
        "version": MANIFEST_VERSION,
        "columns": ["id", "title", "date", "from", "to", "status", "tags", "actors", "places", "sources"],
        "statuses": list(STATUSES),
        "tags": tags,
        "actors": actors,
        "places": places,
        "events": [_row(e, index) for e in timeline.events],
    }


def facets(timeline: Timeline) -> dict[str, Any]:
    """The filter choices of the timeline page: every value with its number of events, in manifest order."""
    tags = Counter(t for e in timeline.events for t in e.tags)
    actors = Counter(a for e in timeline.events for a in e.actors)
    places = Counter(p.name for e in timeline.events for p in e.places)
    statuses = Counter(e.status for e in timeline.events)
    return {
        "tags": [(t, tags[t]) for t in sorted(tags)],
        "actors": [(a, actors[a]) for a in sorted(actors, key=_name_key)],
        "places": [(p, places[p]) for p in sorted(places, key=_name_key)],
        "statuses": [(s, statuses[s]) for s in STATUSES if statuses[s]],
        "first": min((e.date.year for e in timeline.events), default=0),
        "last": max((e.date.end.year if e.date.end else e.date.year for e in timeline.events), default=0),
    }


def _row(event: Event, index: dict[str, dict[str, int]]) -> list[Any]:
    date = event.date
    last = date.end.year if date.end else (9999 if date.open_end else date.start.year)
    return [
        event.id,
        event.title,
        date.label(),
        date.start.year,
        last,
        STATUSES.index(event.status),
        [index["tags"][t] for t in event.tags],
        [index["actors"][a] for a in event.actors],
        [index["places"][p.name] for p in event.places],
        len(event.sources),
    ]


def _name_key(name: str) -> tuple[str, str]:
    return (fold(name).casefold(), name)


def manifest_files(timeline: Timeline) -> dict[str, bytes]:
    text = json.dumps(manifest(timeline), ensure_ascii=False, separators=(",", ":"))
    return {MANIFEST_PATH: text.encode("utf-8")}


def index_pages(site_dir: Path, event_ids: Sequence[str]) -> None:
    """Run Pagefind over the event pages of a built site, then map its result ids to events."""
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site_dir), "--glob", PAGEFIND_GLOB, "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    position = {event_id: i for i, event_id in enumerate(event_ids)}
    ids = {}
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        # Pagefind's URLs are relative to the site folder, whatever the base URL.
        event_id = data["url"].removeprefix("/events/").strip("/")
        if event_id not in position:
            raise SearchIndexError(f"pagefind indexed {data['url']}, which is not an event page")
        ids[fragment.name.removesuffix(".pf_fragment")] = position[event_id]
    target = site_dir / SEARCH_IDS_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(ids, sort_keys=True, separators=(",", ":")), encoding="utf-8")
