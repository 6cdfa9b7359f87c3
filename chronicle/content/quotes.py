"""Quotes: is a quoted passage in the document it cites, and where.

A quote is compared with its document as a reader would: Unicode normalised
(NFC), typographic quotation marks made plain, runs of white space as one
space, and quotation marks around the whole quote not part of it.

Archived copies of web pages often lose the space between two words at a line
or tag boundary ("used indeath-squad operations"), or carry invisible
characters and non-breaking hyphens. That is damage to the copy, not to the
words: when the passage is not found as it stands, it is compared again with
all white space and invisible characters removed on both sides, so a quote can
read as published ("used in death-squad operations") and still be verified,
letter for letter, against the archive.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

#: Characters compared as their plain forms.
_PLAIN = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "′": "'",
    "″": '"',
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
}
_FOLD = str.maketrans(_PLAIN)
#: Invisible characters that copies of web pages carry: soft hyphen, zero-width space and joiners, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_SPACE = re.compile(r"\s+")
_MARKS = "\"'"


def fold(text: str) -> str:
    """Text as compared for quotes: NFC, typographic quotes made plain, white space runs as one space."""
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    if not _INVISIBLE.isdisjoint(text):
        text = "".join(c for c in text if c not in _INVISIBLE)
    return _SPACE.sub(" ", text).strip()


def _squeeze(folded: str) -> str:
    return folded.replace(" ", "")


@cache
def _folded(text: str) -> str:
    return fold(text)


@cache
def _squeezed(text: str) -> str:
    return _squeeze(_folded(text))


def quote_found(quote: str, text: str) -> bool:
    """Is the quote in ``text`` (as written, or with the copy's lost spaces and invisible characters folded)?"""
    wanted = fold(quote).strip(_MARKS)
    if not wanted:
        return False
    return wanted in _folded(text) or _squeeze(wanted) in _squeezed(text)


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Where the quote lies in ``text`` (NFC-normalised) as (start, end) offsets, or None (see :class:`Locator`)."""
    return Locator(text).find(quote)


class Locator:
    """Finds quotes in one text: where each lies, as (start, end) offsets into the text's NFC form.

    The passage found is the first that :func:`quote_found` accepts, measured
    in the NFC form of the text: a page showing the document shows that form.
    The text is prepared once (white space and invisible characters dropped,
    typographic marks made plain, each remaining character's offset kept), so
    finding many quotes in it costs one search each.
    """

    def __init__(self, text: str):
        self.text = unicodedata.normalize("NFC", text)
        kept = [(offset, char) for offset, char in enumerate(self.text) if not char.isspace() and char not in _INVISIBLE]
        self._where = [offset for offset, _ in kept]
        self._key = "".join(_PLAIN.get(char, char) for _, char in kept)

    def find(self, quote: str) -> tuple[int, int] | None:
        wanted = _squeeze(fold(quote).strip(_MARKS))
        at = self._key.find(wanted) if wanted else -1
        if at < 0:
            return None
        return self._where[at], self._where[at + len(wanted) - 1] + 1


def misquote_message(quote: str, text: str, document: str) -> str:
    """Why the quote was not found in ``document`` (a seed id), with the passage that starts or ends alike."""
    message = f"the quote is not in seed {document} (compared with white space and typographic quotes folded)"
    words = fold(quote).split(" ")
    haystack = _folded(text)
    for probe in (" ".join(words[:4]), " ".join(words[-4:])):
        at = haystack.find(probe) if len(words) >= 4 else -1
        if at >= 0:
            start = at if probe == " ".join(words[:4]) else max(0, at + len(probe) - len(fold(quote)))
            end = haystack.find(" ", start + len(fold(quote)))
            passage = haystack[start : end if end >= 0 else len(haystack)]
            return f'{message}; the seed has here: "{passage}". Copy the passage exactly'
    return f"{message}. Copy a passage from seeds/{document}.txt exactly"
