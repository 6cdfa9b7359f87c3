"""Search: the data the browser needs to search and filter the timeline.

Three parts, each made for its job, so that a reader's browser fetches only
what the view in front of them needs:

- **Full text** is Pagefind's: its service indexes the built event pages
  (what ``data-pagefind-body`` marks), handed to it in timeline order, into
  ``pagefind/`` in the staging folder, before it is swapped into place. The
  browser downloads only the index chunks a query needs. The pages mark no
  Pagefind filters or sort keys: Pagefind 1.5.2 writes filter values in the
  order of a randomly seeded hash map, so the index would differ between runs.
- **Facets** (tag, actor, place, status, years) come from a compact manifest of
  our own, ``data/manifest.json``: filtering with no search text must not
  download the text index, and Pagefind's filter-only search would download all
  of it. It holds no titles, only what filtering and counting need: for every
  tag, actor and place the positions of its events (an inverted index, each
  list as gaps between positions), and every event's status and years (the
  years as differences, which repeat and so compress to almost nothing).
- **The list** of events beyond the years the front page shows inline (id,
  title, date, status) is cut into files of :data:`LIST_CHUNK` events in
  timeline order, ``data/list/<n>.json``; the browser fetches only the files
  holding the matches it shows.

Positions are indexes into ``timeline.events``. The front page's cards are
the latest events (``browse.inline_years``), so the page names only the
position of the first (``data-first``). After
Pagefind has run, ``data/search-ids.json`` maps each Pagefind result id to its
event's position, so the browser learns every matching event of a query
without fetching one result fragment per match; the same map is also cut by
the first characters of the id's hash into ``data/search-ids/<prefix>.json``,
so that a query matching a few events fetches a few small files.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import itertools
import json
import os
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .model import STATUSES, Event, Timeline
from .validate import fold

MANIFEST_PATH = "data/manifest.json"
LIST_DIR = "data/list"
#: Events per list file: small, so that a few scattered matches fetch little.
LIST_CHUNK = 100
SEARCH_IDS_PATH = "data/search-ids.json"
SEARCH_IDS_DIR = "data/search-ids"
MANIFEST_VERSION = 2
FACET_NAMES = ("tags", "actors", "places")


class SearchIndexError(RuntimeError):
    """The search indexer failed; the build stops and output/ stays as it was."""


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
    """How many hex digits of a Pagefind id name its shard: about 512 ids or fewer a shard, 1 digit at least."""
    length = 1
    while events > 512 * 16**length:
        length += 1
    return length


def id_shard(result_id: str, length: int) -> str:
    """The shard of a Pagefind result id ("en_025e02d"): the first digits of its hash, after the language."""
    return result_id.rpartition("_")[2][:length]


def index_pages(site_dir: Path, event_ids: Sequence[str]) -> None:
    """Index the event pages of a built site with Pagefind, then map its result ids to events.

    The pages are handed to Pagefind's service in timeline order. Its command line would find them
    itself, in the order the file system lists a folder (hash order on ext4, newest first on tmpfs),
    and number them in that order: the same site gave a different index on another file system.
    """
    _pagefind_in_order(
        site_dir, [(f"/events/{event_id}/", site_dir / "events" / event_id / "index.html") for event_id in event_ids]
    )
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
    length = id_prefix_length(len(event_ids))
    shards: dict[str, dict[str, int]] = {}
    for result_id in sorted(ids):
        shards.setdefault(id_shard(result_id, length), {})[result_id] = ids[result_id]
    folder = site_dir / SEARCH_IDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, shard in shards.items():
        (folder / f"{prefix}.json").write_text(json.dumps(shard, sort_keys=True, separators=(",", ":")), encoding="utf-8")


#: Pages sent to Pagefind ahead of its answers: enough to keep it busy, few enough to hold little memory.
PAGEFIND_WINDOW = 32


def _pagefind_in_order(site_dir: Path, pages: Sequence[tuple[str, Path]]) -> None:
    """Run ``pagefind --service`` over ``pages`` (URL, file), indexed in this order, writing ``site_dir/pagefind``.

    Its protocol: base64-encoded JSON messages, each followed by a comma, on stdin and stdout; it
    answers them one at a time, in order. It acknowledges WriteFiles before its writes have reached the
    disk (Pagefind 1.5.2; fixed upstream after it, in fab688b), and exits at once when stdin closes, which
    left files cut short. A message that is not base64 stops its reader instead: it then finishes what it
    was sent, its runtime completes the writes as it shuts down, and it exits; its end of stdout closing
    tells that every file is whole.
    """
    from pagefind_bin import get_executable

    with tempfile.TemporaryFile() as errors:
        service = subprocess.Popen(
            [str(get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
        )
        assert service.stdin is not None and service.stdout is not None
        stdin, stdout = service.stdin, service.stdout
        unread = b""

        def close() -> None:
            for stream in (stdin, stdout):
                with contextlib.suppress(OSError):  # what is left unsent to a stopped service
                    stream.close()
            service.wait()

        def stopped() -> SearchIndexError:
            close()
            errors.seek(0)
            return SearchIndexError(f"pagefind stopped: {errors.read().decode('utf-8', 'replace').strip() or 'no message'}")

        def send(message: bytes) -> None:
            try:
                stdin.write(message + b",")
            except BrokenPipeError:
                raise stopped() from None

        def ask(number: int, payload: dict[str, Any]) -> None:
            send(base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()))

        def answer() -> dict[str, Any]:
            nonlocal unread
            while b"," not in unread:
                try:
                    stdin.flush()
                except BrokenPipeError:
                    raise stopped() from None
                chunk = os.read(stdout.fileno(), 1 << 16)
                if not chunk:
                    raise stopped()
                unread += chunk
            message, _, unread = unread.partition(b",")
            payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
            if payload["type"] == "Error":
                raise SearchIndexError(f"pagefind failed: {payload['message']}")
            return payload

        try:
            ask(0, {"type": "NewIndex", "config": None})
            index = answer()["index_id"]
            requests = itertools.chain(
                (
                    {
                        "type": "AddFile",
                        "index_id": index,
                        "file_path": None,
                        "url": url,
                        "file_contents": path.read_text("utf-8"),
                    }
                    for url, path in pages
                ),
                [{"type": "WriteFiles", "index_id": index, "output_path": str(site_dir / "pagefind")}],
            )
            waiting = 0
            for number, request in enumerate(requests, 1):
                ask(number, request)
                waiting += 1
                if waiting == PAGEFIND_WINDOW:
                    answer()
                    waiting -= 1
            for _ in range(waiting):
                answer()
            send(b"!")  # not base64: the service stops reading, finishes writing and exits
            try:
                stdin.close()
            except BrokenPipeError:
                raise stopped() from None
            while os.read(stdout.fileno(), 1 << 16):  # its complaint about "!", then empty answers until it exits
                pass
            if service.wait() != 0:
                raise stopped()
        finally:
            close()
