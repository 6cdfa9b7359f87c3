"""Incremental rendering: the live preview renders again only the pages whose values changed.

Speed machinery for ``serve``. A :class:`RenderMemo` is kept from one rebuild
to the next. A whole render (:func:`render_changed`) renders a page again
unless its template and every value it shows are what they were
(:func:`page_key`). After an edit of an event's text only (title, summary,
body: :func:`text_edits`), only the pages holding that event are
rendered again, with the new event swapped into their last values
(:func:`rerender`). Either way the bytes are those a fresh build gives
(tests/test_incremental.py).
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..config import SiteConfig
from ..content.dates import EventDate
from ..content.model import Event, Place, Seed, Source, Timeline
from ..content.provenance import Provenance
from ..site.links import Links
from ..site.markup import Markdown
from ..site.pages import Page
from ..site.render import Renderer
from ..site.templates import environment

#: id of a container -> (the container, the ids of the events in it)
Holding = dict[int, tuple[Any, frozenset[str]]]


@dataclass
class RenderMemo:
    """What the live preview keeps from one rebuild to the next, so that it renders only pages that changed.

    A page is rendered again unless its template and everything in its context
    are what they were: the same frozen :class:`Event` and :class:`Seed` objects
    (``validate``'s memo hands back the same object for an unchanged event),
    the same mappings, equal values otherwise (:func:`page_key`). All of it is
    dropped when a template, a setting, a static file or a URL slug changes.
    """

    signature: tuple[Any, ...] | None = None
    env: jinja2.Environment | None = None
    pages: dict[str, tuple[Any, Page, bytes]] = field(default_factory=dict)
    reused: int = 0  # pages whose bytes were the last rebuild's, counted by render_changed
    rendered: int = 0  # pages rendered, by render_changed or rerender
    renderer: Renderer | None = None  # the last whole render's, for :func:`rerender`
    showing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # event id -> pages whose values hold it
    holding: Holding = field(default_factory=dict)  # what each container of those values holds (see showing)

    def environment(self, templates_dir: Path, links: Links, site: SiteConfig, markdown: Markdown) -> jinja2.Environment:
        """A :data:`chronicle.site.render.Environment`: the last one while templates, settings and links are the same.

        Then every remembered page and fragment holds; otherwise they are all forgotten.
        """
        signature = (_templates_stamp(templates_dir), site, links, markdown)  # the same Markdown object, kept by LiveSite
        if self.env is None or self.signature != signature:
            self.signature, self.env, self.pages = signature, environment(templates_dir, links, site, markdown), {}
        return self.env


def remembered_key(page: Page, seen: dict[int, Any]) -> tuple[Any, ...]:
    """What a page's bytes depend on: its template, its section and :func:`page_key` of each of its values."""
    return (page.template, page.section, tuple((name, page_key(value, seen)) for name, value in page.context.items()))


_SAME = object()  # marks "this very object" in a page key
#: The model's frozen records: an unchanged event is the very same object from one rebuild to the next.
_BY_IDENTITY = frozenset({Event, Seed, Source, Place, EventDate, Provenance})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def page_key(value: Any, seen: dict[int, Any] | None = None) -> Any:
    """A value that is equal for two contexts only if they would render the same page.

    The model's frozen records (events, their sources, places and dates,
    seeds, provenance) count by identity: they are never changed once made,
    and an edited event is a new object with new parts. Text and numbers count
    by value; tuples, lists, dicts and other frozen dataclasses by their
    members; anything else by identity.

    ``seen`` remembers the key of each container already visited, by ``id``:
    many pages share the same groups and mappings, and the caller keeps them
    alive while it uses the keys. A run of records (a group's events) is keyed
    by their ids in one pass.
    """
    kind = type(value)
    if value is None or kind in _PLAIN:
        return value
    if kind in _BY_IDENTITY:
        return (_SAME, id(value))
    if kind is frozenset:
        return value
    if seen is not None:
        known = seen.get(id(value), _MISSING)
        if known is not _MISSING:
            return known
    if kind is tuple or kind is list:
        if value and set(map(type, value)) <= _BY_IDENTITY:
            key: Any = (_SAME, tuple(map(id, value)))
        else:
            key = tuple(page_key(v, seen) for v in value)
    elif kind is dict:
        key = (dict, *((k, page_key(v, seen)) for k, v in value.items()))
    else:
        names = _FIELDS.get(kind, ())
        if names == ():
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value)) if dataclasses.is_dataclass(value) else None
        key = (_SAME, id(value)) if names is None else (kind, *(page_key(getattr(value, name), seen) for name in names))
    if seen is not None:
        seen[id(value)] = key
    return key


_MISSING = object()
_PLAIN = frozenset({str, int, float, bool})


def _templates_stamp(templates_dir: Path) -> tuple[tuple[str, int, int], ...]:
    stamps = []
    for folder, dirs, names in os.walk(templates_dir):
        dirs.sort()
        for name in sorted(names):
            stat = os.stat(os.path.join(folder, name))
            stamps.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class Cancelled(Exception):
    """A newer change came while rebuilding: this rebuild stops, and one with every change starts."""


#: How many pages are rendered between two looks at whether the rebuild is cancelled.
CANCEL_EVERY = 200


def render_changed(
    renderer: Renderer, timeline: Timeline, memo: RenderMemo, cancelled: Callable[[], bool] = lambda: False
) -> dict[str, bytes]:
    """Every page of ``timeline`` in memory, rendering only those that show something else than last time.

    ``renderer`` must have been made for ``timeline`` with ``make_environment=memo.environment``.
    ``cancelled`` is asked every :data:`CANCEL_EVERY` pages; when it says so, :class:`Cancelled` is
    raised, and the memo forgets its last whole render (the pages it keeps are still right).
    """
    keys: dict[int, Any] = {}  # page_key's memo for this rebuild (the pages keep its objects alive)
    files = {}
    for number, page in enumerate(renderer.pages):
        if number % CANCEL_EVERY == 0 and cancelled():
            memo.renderer, memo.showing, memo.holding = None, {}, {}
            raise Cancelled
        key = remembered_key(page, keys)
        entry = memo.pages.get(page.path)
        if entry is not None and entry[0] == key:
            memo.reused += 1
            files[page.path] = entry[2]
            continue
        data = renderer.render(page)
        memo.rendered += 1
        memo.pages[page.path] = (key, page, data)  # the page's context keeps alive the objects the key names
        files[page.path] = data
    for gone in memo.pages.keys() - files.keys():
        del memo.pages[gone]
    memo.renderer = renderer
    memo.showing, memo.holding = showing(renderer.pages)
    renderer.fragments.forget_except([*timeline.events, *(value for value, _ in memo.holding.values())])
    return files


# --- a text edit: only the pages showing the edited events ----------------------------


def text_edits(old: Timeline, new: Timeline) -> list[tuple[Event, Event]] | None:
    """The events of ``new`` that differ from ``old`` only in their text, paired with what they were.

    Text is what no page but those showing an event depends on: its title,
    summary and body. None when anything else differs (an event added,
    removed or moved in time; its tags, actors, places, status, sources,
    quotes or related events; the seeds or the tags' descriptions): then the
    pages themselves may change, and the whole site is rendered again. A
    quote is not text here: pages hold an event's sources apart from the
    event (its page's supporting and disputing lists), and a seed's page
    highlights the passages quoted from it, which a swapped-in event would
    leave as they were.
    """
    if len(old.events) != len(new.events) or old.seeds is not new.seeds or old.tags is not new.tags:
        return None
    edits = []
    for before, after in zip(old.events, new.events, strict=True):
        if before is after:
            continue
        if _structure(before) != _structure(after):
            return None
        edits.append((before, after))
    return edits


def _structure(event: Event) -> tuple[Any, ...]:
    """All of an event but its text (see :func:`text_edits`)."""
    return (event.id, event.path, event.date, event.status, event.tags, event.actors, event.places, event.sources, event.related)


def rerender(
    memo: RenderMemo, edits: Sequence[tuple[Event, Event]], site: SiteConfig, templates_dir: Path
) -> dict[str, bytes] | None:
    """The pages showing the edited events, rendered again with each new event in place of the old.

    Works from the last whole render (:func:`render_changed` with this memo):
    each such page's values are taken as they were, with the old events (and
    their sources) replaced by the new ones, so only pages that show an edited
    event are touched, however large the timeline. None without a last render,
    or when the settings, a template or a static file changed since.
    """
    renderer = memo.renderer
    if renderer is None or memo.signature != (_templates_stamp(templates_dir), site, renderer.links, renderer.markdown):
        return None
    table: dict[int, Any] = {}
    for before, after in edits:
        table[id(before)] = after
        table.update((id(a), b) for a, b in zip(before.sources, after.sources, strict=True))
    edited = frozenset(before.id for before, _ in edits)
    paths = sorted({path for event_id in edited for path in memo.showing.get(event_id, ())})
    seen: dict[int, Any] = {}
    done = {}
    for path in paths:  # a template error raises here, before the memo has changed
        _, page, _ = memo.pages[path]
        page = dataclasses.replace(page, context=substitute(page.context, table, seen, memo.holding, edited))
        done[path] = (None, page, renderer.render(page))  # no key: a whole render makes these pages again
    memo.pages.update(done)
    memo.rendered += len(done)
    renderer.fragments.forget([before for before, _ in edits])
    return {path: data for path, (_, _, data) in done.items()}


def showing(pages: Sequence[Page]) -> tuple[dict[str, tuple[str, ...]], Holding]:
    """Each event's id with the pages whose values hold that event anywhere; and what each container holds."""
    found: dict[str, list[str]] = defaultdict(list)
    holding: Holding = {}
    for page in pages:
        for event_id in set().union(*(_events_in(value, holding) for value in page.context.values())):
            found[event_id].append(page.path)
    return {event_id: tuple(paths) for event_id, paths in found.items()}, holding


def _events_in(value: Any, holding: Holding) -> frozenset[str]:
    """The ids of the events anywhere in ``value`` (containers and frozen records walked, each once)."""
    kind = type(value)
    if kind is Event:
        return frozenset((value.id,))
    if value is None or kind in _PLAIN or kind in _BY_IDENTITY or kind is frozenset:
        return _NONE
    known = holding.get(id(value))
    if known is not None:
        return known[1]
    if kind is tuple or kind is list:
        if value and set(map(type, value)) == {Event}:
            found = frozenset(v.id for v in value)
        else:
            found = frozenset().union(*(_events_in(v, holding) for v in value))
    elif kind is dict:
        found = frozenset().union(*(_events_in(v, holding) for v in value.values()))
    elif dataclasses.is_dataclass(value):
        found = frozenset().union(*(_events_in(getattr(value, f.name), holding) for f in dataclasses.fields(value)))
    else:
        found = _NONE
    holding[id(value)] = (value, found)  # the container is kept with its ids, which no other object can then take
    return found


_NONE: frozenset[str] = frozenset()
_LEAVES = frozenset({str, int, float, bool, type(None)})


def substitute(
    value: Any, table: Mapping[int, Any], seen: dict[int, Any], holding: Holding | None = None, edited: frozenset[str] = _NONE
) -> Any:
    """``value`` with every object whose id is in ``table`` replaced; what holds none of them is returned as it is.

    ``holding`` (from :func:`showing`) lets a container be passed over when
    none of the ``edited`` events is in it.
    """
    kind = type(value)
    if value is None or kind in _PLAIN or kind is frozenset:
        return value
    if kind in _BY_IDENTITY:
        return table.get(id(value), value)
    known = seen.get(id(value), _MISSING)
    if known is not _MISSING:
        return known
    held = holding.get(id(value)) if holding is not None else None
    if held is not None and held[0] is value and held[1].isdisjoint(edited):
        return value
    result = value
    if kind is tuple or kind is list or kind is dict:
        members = value.values() if kind is dict else value
        types = set(map(type, members))
        if types <= _LEAVES:  # text and numbers only (a mapping of positions, say): nothing to replace
            seen[id(value)] = value
            return value
        if types <= _BY_IDENTITY:  # a run of records (a group's events): one look-up each
            replaced = [table.get(id(v), v) for v in members]
        else:
            replaced = [substitute(v, table, seen, holding, edited) for v in members]
        if any(a is not b for a, b in zip(replaced, members, strict=True)):
            result = dict(zip(value, replaced, strict=True)) if kind is dict else kind(replaced)
    elif dataclasses.is_dataclass(value):
        changes = {}
        for f in dataclasses.fields(value):
            before = getattr(value, f.name)
            after = substitute(before, table, seen, holding, edited)
            if after is not before:
                changes[f.name] = after
        if changes:
            result = dataclasses.replace(value, **changes)  # type: ignore[type-var]  # a dataclass instance
    seen[id(value)] = result
    return result
