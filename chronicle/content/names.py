"""Names: how ids, actors and places are written, compared and made into URLs.

A slug is what a name becomes in an address (``El Mencho`` -> ``el-mencho``).
An actor or a place is published under its name, and gets a page of its own:
so a name must be visible text (no invisible characters, no look-alike
letters from another alphabet mixed in), and one actor must be written one way
everywhere, or it would be two pages. :func:`name_key` says which names are
one: the same letters, whatever their case or width.
"""

from __future__ import annotations

import re
import unicodedata

#: An event id, a tag: lowercase letters and digits in words joined by hyphens. Use ``fullmatch``.
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Characters that show nothing (or change direction) and so make two names that look the same differ.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_LOOK_ALIKE = frozenset({"LATIN", "CYRILLIC", "GREEK"})  # alphabets whose letters are confused with each other


def is_id(text: str) -> bool:
    return ID_RE.fullmatch(text) is not None


def slugify(text: str) -> str:
    """'El Mencho Killed!' -> 'el-mencho-killed' (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def name_problem(name: str) -> str | None:
    """Why a name cannot be published as written, in words, or None."""
    if not name.strip():
        return "is empty; write the name, or remove the entry"
    if any(c in "\n\r\t" for c in name):
        return "holds a line break or tab; write the name on one line"
    invisible = _INVISIBLE.search(name)
    if invisible is not None:
        return f"holds an invisible character (U+{ord(invisible.group()):04X}); retype the name"
    if name.isascii():
        return None  # Latin letters only
    alphabets = {unicodedata.name(c, "?").split(" ")[0] for c in name if c.isalpha()} & _LOOK_ALIKE
    if len(alphabets) > 1:
        return (
            f"mixes letters of the {' and '.join(sorted(a.title() for a in alphabets))} alphabets, which look alike; "
            "retype the name in one alphabet"
        )
    return None


def name_key(name: str) -> str:
    """What two spellings of one name share: 'CJNG', 'cjng' and full-width 'ＣＪＮＧ'; spaces as one.

    Accents are kept: 'Michoacán' and 'Michoacan' may be two names (their slugs are told apart).
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
