"""Passages: an archived document's text as its source page shows it, every quoted passage marked.

Each quote of an event links to its passage on the document's page
(``/sources/<seed-id>/#q-<hash>``), so that every quote is one click from its
words in context. The anchor is made from the quote's own words, so the event
page and the source page agree on it without either knowing the other; two
events quoting the same words share one anchor. Passages are found as the
quote check finds them (:func:`chronicle.content.quotes.locate`), in the
text's NFC form, which is the form shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.model import Event, Seed, Source
from ..content.quotes import Locator, fold


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the document's text: quoted or not, and the anchors of the quotes that start at it."""

    text: str
    quoted: bool
    anchors: tuple[str, ...] = ()


def quote_anchor(quote: str) -> str:
    """The id of a quote's passage on its document's page: ``q-`` and a hash of its words (folded)."""
    return "q-" + hashlib.sha256(fold(quote).strip("\"'").encode()).hexdigest()[:10]


def pieces(seed: Seed, quotes: Iterable[str]) -> tuple[Piece, ...]:
    """The document's text cut where quoted passages start and end, each passage's start anchored."""
    locator = Locator(seed.text)
    text = locator.text
    spans: dict[str, tuple[int, int]] = {}
    for quote in quotes:
        anchor = quote_anchor(quote)
        if anchor not in spans:
            found = locator.find(quote)
            if found is not None:
                spans[anchor] = found
    cuts = sorted({0, len(text), *(edge for span in spans.values() for edge in span)})
    starting: dict[int, list[str]] = {}
    depth: dict[int, int] = {}  # how many passages begin (+) or end (-) at each cut
    for anchor, (start, end) in sorted(spans.items(), key=lambda item: item[1]):
        starting.setdefault(start, []).append(anchor)
        depth[start] = depth.get(start, 0) + 1
        depth[end] = depth.get(end, 0) - 1
    result = []
    inside = 0  # passages covering the current run
    for start, end in zip(cuts, cuts[1:], strict=False):
        inside += depth.get(start, 0)
        result.append(Piece(text[start:end], inside > 0, tuple(starting.get(start, ()))))
    return tuple(result)


def seed_quotes(cited: Iterable[tuple[Event, tuple[Source, ...]]]) -> list[str]:
    """The quotes of a seed's citing events (``pages`` gives them as (event, its sources citing the seed))."""
    return [source.quote for _, sources in cited for source in sources if source.quote]


def documents(sources: Iterable[Source]) -> int:
    """How many documents the sources are: a document quoted twice counts once."""
    return len({("seed", s.seed.id) if s.seed else ("url", s.url or s.title or "") for s in sources})
