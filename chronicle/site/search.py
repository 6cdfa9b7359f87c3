"""Search: the full-text index of the event pages (Pagefind), and its result ids mapped to events.

Pagefind's service indexes the built event pages (what ``data-pagefind-body``
marks), handed to it in timeline order, into ``pagefind/`` in the staging
folder, before it is swapped into place. The browser downloads only the index
chunks a query needs. The pages mark no Pagefind filters or sort keys:
Pagefind 1.5.2 writes filter values in the order of a randomly seeded hash map,
so the index would differ between runs. Filtering without search text uses the
manifest of :mod:`chronicle.site.facets` instead.

After Pagefind has run, ``data/search-ids.json`` maps each Pagefind result id
to its event's position, so the browser learns every matching event of a
query without fetching one result fragment per match; the same map is also
cut by the first characters of the id's hash into
``data/search-ids/<prefix>.json``, so that a query matching a few events
fetches a few small files.
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
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from ..content.model import Event
from .facets import id_prefix_length, id_shard

SEARCH_IDS_PATH = "data/search-ids.json"
SEARCH_IDS_DIR = "data/search-ids"


class SearchIndexError(RuntimeError):
    """The search indexer failed; the build stops and output/ stays as it was."""


def search_document(event: Event, plain: Callable[[str], str], language: str = "en") -> str:
    """What Pagefind indexes for an event: its words, and nothing else of its page.

    The title, the date, the status, the summary and body as plain text, the
    actors, places and tags, and each source's title, publisher and quoted
    passage: whatever a reader might search an event by, in a small document
    (the event page, with the site's header, footer and related events, is
    many times larger, and indexing it took longer than the rest of a build).
    The title is the document's ``<h1>``, as Pagefind expects.
    """
    parts = [f"<h1>{escape(event.title)}</h1>", f"<p>{escape(event.date.label())}. {event.status}.</p>"]
    parts.append(f"<p>{escape(plain(event.summary))}</p>")
    if event.body:
        parts.append(f"<p>{escape(plain(event.body))}</p>")
    names = [*event.actors, *(place.name for place in event.places), *event.tags]
    if names:
        parts.append(f"<p>{escape(' · '.join(names))}</p>")
    for source in event.sources:
        cited = " · ".join(escape(part) for part in (source.display_title, source.display_publisher) if part)
        parts.append(f"<blockquote><p>{escape(source.quote or '')}</p><p>{cited}</p></blockquote>")
    head = f'<!doctype html><html lang="{escape(language)}"><body><main data-pagefind-body>'
    return head + "".join(parts) + "</main></body></html>"


def search_documents(events: Sequence[Event], plain: Callable[[str], str], language: str = "en") -> list[tuple[str, str]]:
    """Each event's id and :func:`search_document`, in timeline order."""
    return [(event.id, search_document(event, plain, language)) for event in events]


def index_documents(site_dir: Path, documents: Sequence[tuple[str, str]]) -> None:
    """Index the events' search documents (id, HTML) with Pagefind into ``site_dir``, then map its result ids to events.

    The documents are handed to Pagefind's service in timeline order. Its command line would find
    pages itself, in the order the file system lists a folder (hash order on ext4, newest first on
    tmpfs), and number them in that order: the same site gave a different index on another file system.
    """
    _pagefind_in_order(site_dir, [(f"/events/{event_id}/", html) for event_id, html in documents])
    event_ids = [event_id for event_id, _ in documents]
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


def _pagefind_in_order(site_dir: Path, pages: Sequence[tuple[str, str]]) -> None:
    """Run ``pagefind --service`` over ``pages`` (URL, HTML), indexed in this order, writing ``site_dir/pagefind``.

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
                        "file_contents": html,
                    }
                    for url, html in pages
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
