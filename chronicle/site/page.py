"""Page: one page of the site to render, as :func:`chronicle.site.pages.pages` lists them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Page:
    """One page to render: where it goes, with which template and which values."""

    path: str  # output file: "events/x/index.html"
    template: str
    context: Mapping[str, Any]
    section: str = ""  # which item of the site navigation it belongs to
    sitemap: bool = True
    batch: str = ""  # pages rendered best in one process (they show the same Markdown): "year:2015"
    weight: int = 1  # roughly how much rendering it takes, in event pages

    @property
    def url_path(self) -> str:
        """The page's address below the base path: "events/x/", "" for the front page, "404.html"."""
        return self.path.removesuffix("index.html")
