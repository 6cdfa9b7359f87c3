"""HTML text in: a slide's HTML as Markdown, as plain text, and its links.

A slide's text arrives as HTML written by anyone. It is sanitised first (nh3,
as the site's Markdown is: formatting and http(s) links survive; scripts,
styles, images, iframes and every attribute but a link's address do not),
then converted to Markdown by markdownify, which escapes what Markdown would
otherwise read as markup (a line starting "1998." stays a sentence, not a list),
in the escapes Python-Markdown reads back (``&`` before what looks like an
entity becomes ``&amp;``, ``<`` becomes ``&lt;``).

The slides that :mod:`chronicle.exchange.timelinejs` exports mark their
parts with ``chronicle-`` classes; :func:`exported_parts` finds them, so an
export imports back to the summary, body and sources it came from.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import MarkdownConverter

_TAGS = {
    "p", "br", "em", "i", "strong", "b", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "sup", "sub", "cite", "q", "span", "div",
}  # fmt: skip
_CLEAN = nh3.Cleaner(tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}, link_rel=None)
_PLAIN = nh3.Cleaner(tags=set())
_BLOCKS = {"p", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "div", "table"}
_BLOCK_TAG = re.compile(r"</?(?:p|li|br|h\d|blockquote|tr|td|th|pre|div|ul|ol|hr)\b[^>]*>", re.IGNORECASE)
_ENTITY_AFTER = re.compile(r"\\&(?=#?[A-Za-z0-9]+;)")  # "\&" where "&" would start an entity
_NOT_ESCAPABLE = re.compile(r"\\([&~=])")  # escapes Python-Markdown does not know: the character itself reads the same


class _Converter(MarkdownConverter):
    """markdownify's converter, escaping text as Python-Markdown (the site's) reads it back."""

    def escape(self, text: str, parent_tags: Any) -> str:
        text = super().escape(text, parent_tags)  # type: ignore[misc]  # markdownify's stubs leave out escape()
        text = _ENTITY_AFTER.sub("&amp;", text).replace("\\<", "&lt;")
        return _NOT_ESCAPABLE.sub(r"\1", text)


_CONVERTER = _Converter(heading_style="ATX", bullets="-", escape_misc=True, strong_em_symbol="*")


def sanitise(html: str) -> str:
    """Only formatting and http(s) or mailto links, no other attributes; scripts and styles dropped with their content."""
    return _CLEAN.clean(html)


def to_markdown(html: str) -> str:
    """Sanitised HTML as Markdown ('' for nothing)."""
    return str(_CONVERTER.convert(sanitise(html))).strip()


def to_plain(html: str) -> str:
    """HTML as one line of plain text: tags dropped, entities read, white space collapsed."""
    return " ".join(html_lib.unescape(_PLAIN.clean(_BLOCK_TAG.sub(" ", html))).split())


def links(html: str) -> Iterator[tuple[str, str]]:
    """Each link of ``html`` as (address, its text as plain words), in order, as written (any scheme)."""
    for anchor in _soup(html).find_all("a", href=True):
        yield str(anchor["href"]).strip(), " ".join(anchor.get_text().split())


def split_summary(html: str) -> tuple[str, str]:
    """(summary, rest): the first paragraph (or the text before the first block), and everything after it."""
    soup = _soup(sanitise(html))
    nodes = list(soup.children)
    first_block = next((i for i, n in enumerate(nodes) if isinstance(n, Tag) and n.name in _BLOCKS), None)
    if first_block is None:
        return str(soup), ""
    lead = "".join(str(n) for n in nodes[:first_block])
    if lead.strip() and to_plain(lead):
        return lead, "".join(str(n) for n in nodes[first_block:])
    block = nodes[first_block]
    if isinstance(block, Tag) and block.name == "div" and any(isinstance(c, Tag) and c.name in _BLOCKS for c in block.children):
        inner_summary, inner_rest = split_summary(block.decode_contents())
        return inner_summary, inner_rest + "".join(str(n) for n in nodes[first_block + 1 :])
    return str(block), "".join(str(n) for n in nodes[first_block + 1 :])


@dataclass(frozen=True)
class ExportedSource:
    url: str
    title: str
    publisher: str = ""
    published: str = ""
    kind: str = ""
    stance: str = "supports"
    quote: str = ""
    archive_url: str = ""


@dataclass(frozen=True)
class ExportedText:
    """The parts of a slide exported by this tool: summary and body (HTML) and the sources listed."""

    summary: str
    body: str
    sources: tuple[ExportedSource, ...] = field(default=())


def exported_parts(html: str) -> ExportedText | None:
    """The parts of a slide's text marked with ``chronicle-`` classes, or None when it is not one of ours."""
    soup = _soup(html)
    summary = soup.find(class_="chronicle-summary")
    if not isinstance(summary, Tag):
        return None
    body = soup.find(class_="chronicle-body")
    sources = []
    for item in soup.find_all("li", class_="chronicle-source"):
        link = item.find("a", class_="chronicle-source-link")
        publisher = item.find(class_="chronicle-publisher")
        quote = item.find("q", class_="chronicle-quote")
        archive = item.find("a", class_="chronicle-archive")
        sources.append(
            ExportedSource(
                url=str(link["href"]).strip() if isinstance(link, Tag) and link.has_attr("href") else "",
                title=_words(link) if isinstance(link, Tag) else "",
                publisher=_words(publisher),
                published=str(item.get("data-published") or ""),
                kind=str(item.get("data-kind") or ""),
                stance=str(item.get("data-stance") or "supports"),
                quote=quote.get_text() if isinstance(quote, Tag) else "",
                archive_url=str(archive["href"]).strip() if isinstance(archive, Tag) and archive.has_attr("href") else "",
            )
        )
    return ExportedText(summary.decode_contents(), body.decode_contents() if isinstance(body, Tag) else "", tuple(sources))


def _words(element: Tag | NavigableString | None) -> str:
    return " ".join(element.get_text().split()) if element is not None else ""


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")
