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

import gzip
import json
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

from ..content.model import Event
from .facets import id_prefix_length, id_shard
from .pagefind import Indexing, SearchIndexError

__all__ = ["SearchIndex", "SearchIndexError", "index_documents", "search_document", "search_documents"]

SEARCH_IDS_PATH = "data/search-ids.json"
SEARCH_IDS_DIR = "data/search-ids"


def search_document(event: Event, plain: Callable[[str], str], language: str = "en") -> str:
    """What Pagefind indexes for an event: its words, and nothing else of its page.

    The title, the date, the status, the summary and body as plain text, the
    actors, places and tags, and each source's title, publisher and quoted
    passage: whatever a reader might search an event by, in a small document
    (the event page, with the site's header, footer and related events, is
    many times larger, and indexing it took longer than the rest of a build).
    The title is the document's ``<h1>``, as Pagefind expects.

    Each field is in an element with an id and no text of its own (``d`` the
    date and status, ``s`` the summary, ``b`` the body, ``a`` the actors, ``p``
    the places, ``g`` the tags, ``c1`` the first source's title and publisher,
    ``r1`` its quote...): Pagefind lists such elements as anchors with the
    number of the word each starts at, so the browser can tell which field
    its matches are in and say why an event matched ("Quoted from ...").
    """
    parts = [f"<h1>{escape(event.title)}</h1>", f'<div id="d"><p>{escape(event.date.label())}. {event.status}.</p></div>']
    parts.append(f'<div id="s"><p>{escape(plain(event.summary))}</p></div>')
    if event.body:
        parts.append(f'<div id="b"><p>{escape(plain(event.body))}</p></div>')
    for field, names in (("a", event.actors), ("p", [place.name for place in event.places]), ("g", event.tags)):
        if names:
            parts.append(f'<div id="{field}"><p>{escape(" · ".join(names))}</p></div>')
    for n, source in enumerate(event.sources, 1):
        cited = " · ".join(escape(part) for part in (source.display_title, source.display_publisher) if part)
        quote = escape(source.quote or "")
        parts.append(f'<div id="c{n}"><p>{cited}</p></div><div id="r{n}"><blockquote><p>{quote}</p></blockquote></div>')
    head = f'<!doctype html><html lang="{escape(language)}"><body><main data-pagefind-body>'
    return head + "".join(parts) + "</main></body></html>"


def search_documents(events: Sequence[Event], plain: Callable[[str], str], language: str = "en") -> list[tuple[str, str]]:
    """Each event's id and :func:`search_document`, in timeline order."""
    return [(event.id, search_document(event, plain, language)) for event in events]


class SearchIndex:
    """The search index of a build, made while the pages are rendered: start it with the documents, write it at the end.

    Use as a context manager, so that a failed build stops the indexer.
    """

    def __init__(self, documents: Sequence[tuple[str, str]]):
        self.event_ids = [event_id for event_id, _ in documents]
        self._indexing = Indexing((f"/events/{event_id}/", html) for event_id, html in documents)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the indexer if it is still at work (a failed build); safe to call more than once."""
        self._indexing.close()

    def write_into(self, site_dir: Path) -> None:
        """Have the index written into ``site_dir/pagefind`` as soon as it is made; returns at once."""
        self._indexing.write_into(site_dir)

    def wait(self, site_dir: Path) -> None:
        """Wait for the index, then map its result ids to events (:data:`SEARCH_IDS_PATH`)."""
        self._indexing.wait()
        _map_result_ids(site_dir, self.event_ids)


def index_documents(site_dir: Path, documents: Sequence[tuple[str, str]]) -> None:
    """Index the events' search documents (id, HTML) with Pagefind into ``site_dir``, then map its result ids to events.

    The documents are handed to Pagefind's service in timeline order. Its command line would find
    pages itself, in the order the file system lists a folder (hash order on ext4, newest first on
    tmpfs), and number them in that order: the same site gave a different index on another file system.
    """
    with SearchIndex(documents) as index:
        index.write_into(site_dir)
        index.wait(site_dir)


def _map_result_ids(site_dir: Path, event_ids: Sequence[str]) -> None:
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
