"""Search: the full-text index of the event pages (Pagefind), and its result ids mapped to events.

Pagefind's command line indexes the built event pages (``data-pagefind-body``,
filters and sort keys are marked up in the HTML) into ``pagefind/`` in the
staging folder, before it is swapped into place. The browser downloads only
the index chunks a query needs. Filtering without search text uses the
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
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .facets import id_prefix_length, id_shard

SEARCH_IDS_PATH = "data/search-ids.json"
SEARCH_IDS_DIR = "data/search-ids"
#: Only event pages are indexed: the timeline and browse pages repeat their text.
PAGEFIND_GLOB = "events/*/index.html"


class SearchIndexError(RuntimeError):
    """The search indexer failed; the build stops and output/ stays as it was."""


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
    length = id_prefix_length(len(event_ids))
    shards: dict[str, dict[str, int]] = {}
    for result_id in sorted(ids):
        shards.setdefault(id_shard(result_id, length), {})[result_id] = ids[result_id]
    folder = site_dir / SEARCH_IDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, shard in shards.items():
        (folder / f"{prefix}.json").write_text(json.dumps(shard, sort_keys=True, separators=(",", ":")), encoding="utf-8")
