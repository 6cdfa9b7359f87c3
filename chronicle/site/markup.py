"""Markup: Markdown from event files to sanitised HTML, and to plain text.

Markdown (CommonMark with GitHub's tables, converted by cmark-gfm) is converted
and then sanitised with an allowlist (nh3, the Python binding of the Rust
``ammonia`` sanitiser): event files arrive from strangers' pull requests, so
nothing but plain formatting and http(s) links survives. No images: the site
must make no request to another host.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options as CmarkOptions
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "sup", "sub", "abbr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}

#: The sanitiser, made once: nh3 builds its allowlists when a Cleaner is made, which is
#: most of the cost of ``nh3.clean`` (25 µs a paragraph, against 6 µs for ``Cleaner.clean``).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)
_TEXT_ONLY = nh3.Cleaner(tags=set())

#: cmark-gfm's options: raw HTML is passed on rather than dropped, because nh3 removes all but the allowlist.
_CMARK_OPTIONS = CmarkOptions.CMARK_OPT_UNSAFE


def _markdown(text: str) -> str:
    """CommonMark to HTML with GitHub's table extension (cmark-gfm, in C: a paragraph in about 20 µs)."""
    return cmarkgfm.markdown_to_html_with_extensions(text, options=_CMARK_OPTIONS, extensions=["table"]).rstrip("\n")


@lru_cache(maxsize=65536)
def markdown_html(text: str) -> Markup:
    """Markdown to sanitised HTML. Headings start at h3: pages own h1 and h2."""
    html = _markdown(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return Markup(_SANITISER.clean(html))  # noqa: S704 - sanitised here


_BLOCK_END = re.compile(r"</?(?:p|li|br|h\d|blockquote|tr|td|th|pre)\b[^>]*>")


@lru_cache(maxsize=65536)
def plain_text(text: str) -> str:
    """Markdown as one line of plain text, for descriptions and citations."""
    html = _BLOCK_END.sub(" ", str(markdown_html(text)))
    return " ".join(html_lib.unescape(_TEXT_ONLY.clean(html)).split())


def shorten(text: str, limit: int = 200) -> str:
    """Cut at a word boundary, with an ellipsis, to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return cut + "…"
