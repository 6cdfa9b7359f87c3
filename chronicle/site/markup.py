"""Markup: Markdown from event files to sanitised HTML, and to plain text.

Markdown is converted by Python-Markdown, configured to read as contributors
expect from GitHub's preview: tables, fenced code, footnotes, sane lists and
lists nested by two spaces (``mdx_truly_sane_lists``). The HTML is then
sanitised with an allowlist (nh3, the Python binding of the Rust ``ammonia``
sanitiser): event files arrive from strangers' pull requests, so nothing but
plain formatting and http(s) links survives. No images: the site must make no
request to another host.

Converting is the costly part, so each distinct text is converted once: a
:class:`Markdown` holds the HTML of every text it has seen, filled ahead of
rendering on every core and from a cache on disk
(:mod:`chronicle.site.markdown_cache`).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Mapping
from functools import cache
from importlib.metadata import version
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "sup", "sub", "abbr", "table", "thead", "tbody", "tr", "th", "td", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "th": {"scope"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
}
#: The only ids and classes a text may carry: its footnotes' (see :func:`_footnote_ids`).
_FOOTNOTE_ID = re.compile(r"fn(?:ref[0-9]*)?-[0-9a-f]{8}-[0-9]{1,4}")
_FOOTNOTE_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref"})

EXTENSIONS = ("tables", "fenced_code", "footnotes", "mdx_truly_sane_lists")
EXTENSION_CONFIGS = {
    "mdx_truly_sane_lists": {"nested_indent": 2, "truly_sane": True},
    "footnotes": {"BACKLINK_TEXT": "↩\ufe0e", "BACKLINK_TITLE": "Back to the text of note %d"},
}

#: Bump when :func:`to_html` changes what it makes from the same text (the cache on disk is keyed on it).
FORMAT = 2


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _FOOTNOTE_ID.fullmatch(value) else None
    if attribute == "class":
        return value if value in _FOOTNOTE_CLASSES else None
    return value


#: The sanitiser, made once: nh3 builds its allowlists when a Cleaner is made, which is
#: most of the cost of ``nh3.clean`` (25 µs a paragraph, against 6 µs for ``Cleaner.clean``).
_SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
)
_TEXT_ONLY = nh3.Cleaner(tags=set())


@cache
def engine_key() -> str:
    """What the HTML of a text depends on besides the text: the engine, its options, the sanitiser and :data:`FORMAT`."""
    parts = (
        FORMAT,
        {name: version(name) for name in ("markdown", "mdx_truly_sane_lists", "nh3")},
        EXTENSIONS,
        EXTENSION_CONFIGS,
        sorted(ALLOWED_TAGS),
        sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
        _FOOTNOTE_ID.pattern,
        sorted(_FOOTNOTE_CLASSES),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


_INDENT = re.compile(r"\n[ \t]+")


class _ContinuationLines(Treeprocessor):
    """Leading spaces of a paragraph's continuation lines are not part of it (CommonMark, as on GitHub).

    Python-Markdown keeps them inside list items, where a wrapped line is indented under its item.
    """

    def run(self, root: Element) -> None:
        for element in root.iter():
            if element.tag in ("pre", "code"):
                continue
            if element.text and "\n" in element.text:
                element.text = _INDENT.sub("\n", element.text)
            if element.tail and "\n" in element.tail:
                element.tail = _INDENT.sub("\n", element.tail)


class _GitHubLines(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_ContinuationLines(md), "continuation_lines", 5)


@cache
def _engine() -> markdown.Markdown:
    """One converter, reset between texts: making one costs ten conversions of a paragraph."""
    return markdown.Markdown(extensions=[*EXTENSIONS, _GitHubLines()], extension_configs=EXTENSION_CONFIGS, output_format="html")


_FOOTNOTE_REFERENCE = re.compile(r'(id|href)="(#?)fn(ref[0-9]*)?:([^"]+)"')


def _footnote_ids(html: str, text: str) -> str:
    """Footnote ids made unique to the text, ``fn-<hash>-<n>``: two texts on one page never share one.

    Python-Markdown names them after the label the contributor wrote
    (``fn:label``); they are numbered here in order of appearance instead.
    """
    if "fn" not in html:
        return html
    prefix = hashlib.sha256(text.encode()).hexdigest()[:8]
    numbers: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        attribute, hash_mark, ref, label = match.groups()
        number = numbers.setdefault(label, len(numbers) + 1)
        return f'{attribute}="{hash_mark}fn{ref or ""}-{prefix}-{number}"'

    return _FOOTNOTE_REFERENCE.sub(rename, html)


def to_html(text: str) -> str:
    """Markdown to sanitised HTML (about 0.2 ms a paragraph). Headings start at h3: pages own h1 and h2."""
    engine = _engine()
    engine.reset()
    html = engine.convert(text)
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return sanitise(_footnote_ids(html, text))


def sanitise(html: str) -> str:
    """Only the allowlist's tags and attributes, http(s) and mailto links, footnotes' own ids."""
    return _SANITISER.clean(html)


_BLOCK_END = re.compile(r"</?(?:p|li|br|h\d|blockquote|tr|td|th|pre|div)\b[^>]*>")
_NOTES = re.compile(r'<div class="footnote">.*?</div>', re.DOTALL)  # footnotes hold no other <div>
_NOTE_REFERENCES = re.compile(r'<sup id="fnref[0-9]*-[^"]*">.*?</sup>', re.DOTALL)


def to_plain(html: str) -> str:
    """Sanitised HTML as one line of plain text, footnotes left out, for descriptions and citations."""
    html = _BLOCK_END.sub(" ", _NOTE_REFERENCES.sub("", _NOTES.sub("", html)))
    return " ".join(html_lib.unescape(_TEXT_ONLY.clean(html)).split())


class Markdown:
    """Markdown texts as sanitised HTML and as plain text, each text converted once.

    ``known`` is HTML made ahead (:func:`chronicle.site.markdown_cache.convert_all`);
    a text not in it is converted when first asked for and kept.
    """

    def __init__(self, known: Mapping[str, str] | None = None):
        self._html: dict[str, Markup] = {text: Markup(html) for text, html in (known or {}).items()}  # noqa: S704 - sanitised
        self._plain: dict[str, str] = {}

    def html(self, text: str) -> Markup:
        """The ``markdown`` filter: ``{{ event.summary|markdown }}``."""
        found = self._html.get(text)
        if found is None:
            found = self._html[text] = Markup(to_html(text))  # noqa: S704 - sanitised by to_html
        return found

    def plain(self, text: str) -> str:
        """The ``plain`` filter: Markdown as one line of plain text."""
        found = self._plain.get(text)
        if found is None:
            found = self._plain[text] = to_plain(str(self.html(text)))
        return found

    def add(self, known: Mapping[str, str]) -> None:
        """Keep HTML made elsewhere (by workers, or read from the cache on disk)."""
        for text, html in known.items():
            self._html.setdefault(text, Markup(html))  # noqa: S704 - sanitised by to_html

    def __contains__(self, text: object) -> bool:
        return text in self._html

    def forget_except(self, texts: set[str]) -> None:
        """Keep only these texts (the live preview's timeline's), so that a long session does not grow."""
        self._html = {t: h for t, h in self._html.items() if t in texts}
        self._plain = {t: p for t, p in self._plain.items() if t in texts}


def shorten(text: str, limit: int = 200) -> str:
    """Cut at a word boundary, with an ellipsis, to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return cut + "…"
