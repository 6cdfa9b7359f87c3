"""Paging: a long list cut into pages of a fixed size, and the pager that links them.

A tag, an actor or a place can gather thousands of events, and the sources
page thousands of outside sources; on one page that was half a megabyte (a
tag) and 1.6 MB (the sources) at 10,000 events, and ten times that at
100,000, too much for a phone. Such a list's page shows its first items, and
``page/2/``, ``page/3/``... the next, as Hugo's pagers do. Each page is
labelled by what it spans, which says more than its number: the years of its
events (:func:`years_label`), the initials of its sources' publishers; a
year's pages, whose events share a year, by number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..content.model import Event

#: Events on each page of a tag, an actor or a place: a page of about 60 KB.
GROUP_PAGE_SIZE = 100
#: Events on each page of a year, shown as cards with their summaries: a page of about 170 KB.
YEAR_PAGE_SIZE = 100
#: Events quoting an archived document on each page of its list (the document's text is on the first page).
QUOTES_PAGE_SIZE = 100
#: Outside sources on each page of the sources list (each names the events citing it): a page of about 90 KB.
SOURCES_PAGE_SIZE = 200
#: Pages linked either side of the current one (the first and the last are always linked).
WINDOW = 2


Item = TypeVar("Item")


@dataclass(frozen=True)
class PageLink:
    number: int  # from 1
    path: str  # the page's folder, relative to the site: "tags/cjng/" or "tags/cjng/page/2/"
    label: str  # what the page spans: "1995–2002" ("" for none: the page's number is shown)


@dataclass(frozen=True)
class Pager:
    """Where one page stands among the pages of its list."""

    number: int  # this page's, from 1
    links: tuple[PageLink, ...]  # every page of the list
    first: int  # the position of this page's first event in the whole list, from 1
    last: int  # ...and of its last
    total: int  # events in the whole list

    @property
    def here(self) -> PageLink:
        """This page's own link: its folder and its label."""
        return self.links[self.number - 1]

    @property
    def previous(self) -> PageLink | None:
        return self.links[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.links[self.number] if self.number < len(self.links) else None

    @property
    def shown(self) -> list[PageLink | None]:
        """The pages to link: the first, the last, and those near this one; None where pages are left out."""
        near = range(self.number - WINDOW, self.number + WINDOW + 1)
        keep = [link for link in self.links if link.number in (1, len(self.links)) or link.number in near]
        shown: list[PageLink | None] = []
        for link in keep:
            if shown and shown[-1] is not None and link.number > shown[-1].number + 1:
                shown.append(None)
            shown.append(link)
        return shown


def page_path(folder: str, number: int) -> str:
    """The folder of a list's page: ``folder`` itself for the first, ``folder/page/<number>/`` for the others."""
    return folder if number == 1 else f"{folder}page/{number}/"


def paged(
    items: Sequence[Item], folder: str, size: int, label: Callable[[Sequence[Item]], str]
) -> list[tuple[tuple[Item, ...], Pager]]:
    """``items`` cut into pages of at most ``size``, as many as needed and as even as can be, each with its pager
    (one page for a short list, even an empty one); ``label`` says what a page's items span."""
    pages = max(1, -(-len(items) // size))
    even, more = divmod(len(items), pages)  # as even as can be: 101 items make pages of 51 and 50, not of 100 and 1
    starts = [n * even + min(n, more) for n in range(pages + 1)]
    cuts = [tuple(items[starts[n] : starts[n + 1]]) for n in range(pages)]
    links = tuple(PageLink(n, page_path(folder, n), label(cut) if cut else "") for n, cut in enumerate(cuts, 1))
    return [(cut, Pager(n, links, starts[n - 1] + 1, starts[n], len(items))) for n, cut in enumerate(cuts, 1)]


def years_label(events: Sequence[Event]) -> str:
    """ "1995–2002", the years of events in time order ("1995" for one year)."""
    first, last = events[0].date.year, max(event.date.year for event in events)
    return str(first) if first == last else f"{first}–{last}"


def numbered(items: Sequence[object]) -> str:
    """No label of its own: a year's pages are told apart by their number (their events' dates are on the page)."""
    return ""


def span_label(first: str, last: str) -> str:
    """ "A–C": the initials of the first and the last of a page's items, in order ("R" when they are the same)."""
    a, b = (first[:1] or "?").upper(), (last[:1] or "?").upper()
    return a if a == b else f"{a}–{b}"
