"""Markdown cache: every distinct text converted once, on every core, and remembered across builds.

Speed machinery for :mod:`chronicle.site.markup`. Python-Markdown takes about
0.2 ms a paragraph: for 10,000 events, seconds of a cold build. So before
the pages are rendered, the summaries and bodies of the timeline are
converted ahead, each distinct text once:

- from ``.cache/markdown/<engine>.json``, content-addressed (a text's
  SHA-256 → its HTML), where ``<engine>`` is :func:`chronicle.site.markup.engine_key`
  (the versions of Markdown, its extensions and the sanitiser, and their
  options), so a new version or option starts a new cache rather than
  serving stale HTML;
- the texts not found there in parts, one per core, in forked workers
  (:func:`chronicle.workers.fork_map`).

What is read from the cache is sanitised again, as converted HTML is. The
cache file is rewritten after a build that converted something, holding
exactly that build's texts (so it never grows beyond one timeline), and is
replaced atomically. A missing, unreadable or foreign file is no cache. The
HTML is the same with or without it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..caches import cache_folder, write_json
from ..content.model import Timeline
from ..workers import fork_map
from .markup import Markdown, engine_key, sanitise, to_html

#: Below this many texts to convert, forking workers costs more than it saves.
PARALLEL_MIN_TEXTS = 400


def markdown_texts(timeline: Timeline) -> list[str]:
    """Every Markdown text of the timeline (summaries and bodies), each once, in timeline order."""
    texts: dict[str, None] = {}
    for event in timeline.events:
        texts[event.summary] = None
        if event.body:
            texts[event.body] = None
    return list(texts)


def convert_all(
    texts: Sequence[str], *, jobs: int = 1, into: Markdown | None = None, save: bool = True, folder: Path | None = None
) -> Markdown:
    """A :class:`Markdown` holding the HTML of every text: from the cache, the rest converted on ``jobs`` cores.

    ``into``: a :class:`Markdown` to add them to (the live preview keeps one);
    texts it holds already are neither read nor converted. ``save``: rewrite
    the cache file when something was converted (the preview saves only its
    first build: an edit converts a text or two). ``folder`` is where the
    cache file lives (default ``.cache/markdown/``, see :func:`chronicle.caches.cache_folder`).
    """
    markdown = into if into is not None else Markdown()
    todo = [text for text in texts if text not in markdown]
    if not todo:
        return markdown
    folder = folder if folder is not None else cache_folder("markdown")
    path = folder / f"{engine_key()}.json" if folder is not None else None
    cached = _read(path)
    # Sanitised again as it is read (6 µs a paragraph, against 200 µs to convert it): a file planted in the
    # cache folder could hold anything, and what it holds goes into the pages.
    known = {text: sanitise(cached[key]) for text in todo if (key := _key(text)) in cached}
    missing = [text for text in todo if text not in known]
    known.update(zip(missing, _convert(missing, jobs), strict=True))
    markdown.add(known)
    if missing and save and path is not None:
        write_json(path, {_key(text): str(markdown.html(text)) for text in texts})
    return markdown


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _convert(texts: Sequence[str], jobs: int) -> list[str]:
    if jobs < 2 or len(texts) < PARALLEL_MIN_TEXTS:
        return [to_html(text) for text in texts]
    size = -(-len(texts) // jobs)
    parts = [texts[at : at + size] for at in range(0, len(texts), size)]
    return [html for part in fork_map(_convert_part, parts) for html in part]


def _convert_part(texts: Iterable[str]) -> list[str]:
    return [to_html(text) for text in texts]


def _read(path: Path | None) -> dict[str, str]:
    """The cache file's entries; JSON, so that a file planted there can hold text but never run code."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: html for key, html in data.items() if isinstance(html, str)}
