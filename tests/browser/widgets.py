"""What a widget should show, worked out from the model, independently of the code that builds it.

A view selects the events that have its tag, actor and place, its status, that are under way
at some time between its years (a span still open runs on for ever), whose id is among its
ids, and whose text holds every word of its query at the start of a word, accents and case
ignored; a list shows the latest ``WIDGET_LIMIT`` of them, in time order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from chronicle.content.model import Event, Timeline
from chronicle.site.markup import Markdown

WIDGET_LIMIT = 20  # as chronicle/site/embed.py says; test_embed.py checks that it still does
_markdown = Markdown()


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not ("\u0300" <= c <= "\u036f")).lower()


def searchable(event: Event) -> str:
    """Everything of an event that the site's search reads: its text, names and sources."""
    parts = [event.title, _markdown.plain(event.summary), _markdown.plain(event.body) if event.body else ""]
    parts += [*event.actors, *(p.name for p in event.places), *event.tags]
    for source in event.sources:
        parts += [source.quote or "", source.display_title or "", source.display_publisher or ""]
    return " ".join(parts)


def has_words(text: str, query: str) -> bool:
    folded = fold(text)
    return all(re.search(r"(?<![^\W_])" + re.escape(word), folded) for word in fold(query).split())


def last_year(event: Event) -> int:
    if event.date.open_end:
        return 10**6
    return event.date.end.year if event.date.end else event.date.year


def selected(timeline: Timeline, **view: str | Sequence[str]) -> list[Event]:
    """Every event of ``timeline`` that the view selects, in time order."""
    ids = view.get("ids")

    def keep(event: Event) -> bool:
        return (
            ("tag" not in view or view["tag"] in event.tags)
            and ("actor" not in view or view["actor"] in event.actors)
            and ("place" not in view or view["place"] in [p.name for p in event.places])
            and ("status" not in view or view["status"] == event.status)
            and ("from" not in view or last_year(event) >= int(str(view["from"])))
            and ("to" not in view or event.date.year <= int(str(view["to"])))
            and (ids is None or event.id in ids)
            and ("q" not in view or has_words(searchable(event), str(view["q"])))
        )

    return [event for event in timeline.events if keep(event)]


def shown(timeline: Timeline, **view: str | Sequence[str]) -> tuple[list[str], str]:
    """The ids of the events a list widget shows for the view, and its line saying how many."""
    found = selected(timeline, **view)
    ids = [e.id for e in found[-WIDGET_LIMIT:]]
    if not found:
        return ids, "No events match this view."
    if len(found) > WIDGET_LIMIT:
        return ids, f"The latest {WIDGET_LIMIT} of {len(found)} events"
    return ids, "1 event" if len(found) == 1 else f"{len(found)} events"
