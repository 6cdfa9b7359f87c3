"""Fragments: HTML pieces that many pages repeat, rendered once and reused.

Speed machinery for templates: an event's card and row, the items of lists
(the ``each`` filter) and small partials (``cached.<macro>()``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jinja2
from markupsafe import Markup

from ..content.model import Event


class Fragments:
    """HTML that depends on one event only, rendered once per build and reused on every page showing it.

    An event's row (``render_event_row`` in ``_macros.html``) appears on each of
    its tag, actor, place and source pages; its card (``render_event_card``) on
    its year page and perhaps the front page. Templates call the globals
    ``event_row(event)`` and ``event_card(event)``, which render the macro the
    first time and return the same markup after; lists (rows, links, the
    outside sources) are written with the ``each`` filter, which joins such
    fragments in one call rather than a template loop calling a macro per
    item. Entries are keyed on the item object itself (and hold it, so its
    ``id()`` cannot be reused), so a cache carried from one build to the next
    can only return what that same, frozen item rendered to.
    """

    def __init__(self, env: jinja2.Environment):
        self._env = env
        self._kept: dict[tuple[str, int, tuple[Any, ...]], tuple[Any, Markup]] = {}  # (macro, id of item, more)
        self._cards: list[tuple[Event, str]] = []  # the cards asked for since forget_cards
        self._partials: dict[tuple[str, tuple[Any, ...]], Markup] = {}

    def partial(self, name: str, *args: Any) -> Markup:
        """Macro ``name`` of ``_macros.html`` called with ``args``, rendered once per distinct value of them.

        Like Hugo's ``partialCached``: for small pieces that many pages repeat
        (a date, a status badge, the site's header and footer). Arguments are
        compared by value (they are text, numbers or frozen records), so the
        macro must depend on nothing but them and the globals.
        """
        key = (name, args)
        found = self._partials.get(key)
        if found is None:
            found = self._partials[key] = self._macro(name)(*args)
        return found

    def _macro(self, name: str) -> Callable[..., Markup]:
        return getattr(self._env.get_template("_macros.html").module, name)  # type: ignore[no-any-return]

    def once(self, macro: str, item: Any, *more: Any) -> Markup:
        """Macro ``macro`` of ``_macros.html`` called with ``item`` (and ``more``), rendered once per item object.

        The entry holds the item, so that its ``id()`` cannot be taken by
        another object while it is kept.
        """
        key = (macro, id(item), more)
        entry = self._kept.get(key)
        if entry is None or entry[0] is not item:
            entry = self._kept[key] = (item, self._macro(macro)(item, *more))
        return entry[1]

    def card(self, event: Event, heading: str = "h3") -> Markup:
        self._cards.append((event, heading))
        return self.once("render_event_card", event, heading)

    def row(self, event: Event) -> Markup:
        return self.once("render_event_row", event)

    def each(self, items: Iterable[Any], macro: str, separator: str = "") -> Markup:
        """The ``each`` filter: macro ``macro`` of ``_macros.html`` for each item, joined by ``separator``.

        ``{{ events|each("render_event_item", "\\n") }}``: each item's markup is
        rendered once per item object (:meth:`once`) and the list is joined in
        one call, rather than a template loop calling a macro for every item of
        every page. The macro must depend on nothing but its item and the globals.
        """
        once = self.once
        # str.join, not Markup.join: every part is Markup already, which Markup.join would escape once more, one by one.
        return Markup(str(separator).join([once(macro, item) for item in items]))  # noqa: S704 - a template's own text

    def forget_except(self, alive: Iterable[Any]) -> None:
        """After a whole render in the preview: keep only what belongs to these objects (the events, and
        the containers the pages' values hold)."""
        ids = {id(item): item for item in alive}
        self._kept = {k: v for k, v in self._kept.items() if ids.get(k[1]) is v[0]}
        self._cards.clear()

    def forget(self, events: Iterable[Event]) -> None:
        """Drop what belongs to these events (replaced by edited ones)."""
        gone = {id(e) for e in events}
        self._kept = {k: v for k, v in self._kept.items() if k[1] not in gone}

    def forget_cards(self) -> None:
        """Drop the cards (a card is rarely shown twice; rows are, so they stay)."""
        for event, heading in self._cards:
            self._kept.pop(("render_event_card", id(event), (heading,)), None)
        self._cards.clear()


class Partials:
    """The ``cached`` global: ``{{ cached.status(event.status) }}`` is ``m.status(...)`` rendered once per value.

    See :meth:`Fragments.partial`. Each name's caller is made on first use and
    kept as an attribute, so later look-ups are plain attribute reads.
    """

    def __init__(self, fragments: Fragments):
        self._fragments = fragments

    def __getattr__(self, name: str) -> Callable[..., Markup]:
        if name.startswith("_"):
            raise AttributeError(name)
        partial = self._fragments.partial

        def call(*args: Any) -> Markup:
            return partial(name, *args)

        setattr(self, name, call)
        return call
