"""Paging: a long list of events cut into pages of a fixed size, and the pager that links them.

A tag, an actor or a place can gather thousands of events; on one page that
was half a megabyte at 10,000 events and ten times that at 100,000, too much
for a phone. Its page shows the first :data:`GROUP_PAGE_SIZE` events (the
earliest), and ``page/2/``, ``page/3/``... the next, as Hugo's pagers do. Each
page is labelled by the years it spans, which say more in a timeline than its
number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import Event

#: Events on each page of a tag, an actor or a place: a page of about 50 KB.
GROUP_PAGE_SIZE = 100
#: Pages linked either side of the current one (the first and the last are always linked).
WINDOW = 2


@dataclass(frozen=True)
class PageLink:
    number: int  # from 1
    path: str  # the page's folder, relative to the site: "tags/cjng/" or "tags/cjng/page/2/"
    first_year: int
    last_year: int

    @property
    def years(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"


@dataclass(frozen=True)
class Pager:
    """Where one page stands among the pages of its list."""

    number: int  # this page's, from 1
    links: tuple[PageLink, ...]  # every page of the list
    first: int  # the position of this page's first event in the whole list, from 1
    last: int  # ...and of its last
    total: int  # events in the whole list

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


def paged(events: Sequence[Event], folder: str, size: int = GROUP_PAGE_SIZE) -> list[tuple[tuple[Event, ...], Pager]]:
    """``events`` (in time order) cut into pages of ``size``, each with its pager; one page for a short list."""
    cuts = [tuple(events[at : at + size]) for at in range(0, len(events), size)] or [()]
    links = tuple(
        PageLink(n, page_path(folder, n), cut[0].date.year if cut else 0, cut[-1].date.year if cut else 0)
        for n, cut in enumerate(cuts, 1)
    )
    return [(cut, Pager(n, links, (n - 1) * size + 1, (n - 1) * size + len(cut), len(events))) for n, cut in enumerate(cuts, 1)]
