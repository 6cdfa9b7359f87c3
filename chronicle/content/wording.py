"""Wording: warnings for text that speaks to the project rather than to readers.

Event text and source notes are published. They speak of "the sources" or
name the publication ("the TRT World article"), never of seeds, this
repository or how an entry was researched: words of the project's workings
that mean nothing to a reader. Such words are warnings, not errors: the build
goes on, and ``validate`` says where they are and what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..diagnostics import Diagnostic
from .schema import field_name
from .yamldoc import Document, Pointer

_STATUS = r"(?:confirmed|reported|alleged|disputed)"
#: (pattern, what to write instead). Words are matched whole, in any case, across line breaks.
_INTERNAL = tuple(
    (re.compile(pattern, re.IGNORECASE), advice)
    for pattern, advice in (
        (r"\bseeds?\b", "say 'the sources', or name the publication (e.g. 'the TRT World article')"),
        (r"\barchived\s+here\b", "say where the document was published, or 'the archived copy'"),
        (r"\b(?:this|the)\s+repository\b", "readers do not see a repository: say what the sources show"),
        (r"\bthis\s+timeline['’]s\s+reading\b", "say what the sources say, and who says it"),
        (r"\bknown\s+here\s+only\b", "say which source gives it ('only the TRT World article gives...')"),
        (rf"\brecorded\s+(?:here\s+)?as\s+\*?{_STATUS}\b", "the status badge says it; give the reason in words"),
        (r"\bstored\s+(?:public\s+)?cop(?:y|ies)\b", "name the publication and its address rather than how it was found"),
    )
)
#: All the patterns in one, for the look that nearly every text passes: one search instead of one per pattern.
_ANY = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _INTERNAL), re.IGNORECASE)

#: The fields of an event that readers see as text written for them (quotes are the sources' own words).
EVENT_TEXT: tuple[Pointer, ...] = (("title",), ("summary",), ("body",))
#: The fields of a seed's metadata that its source page shows in the site's own words (the title is the publication's).
SEED_TEXT: tuple[Pointer, ...] = (("notes",),)


def internal_words(document: Document, fields: Iterable[Pointer]) -> list[Diagnostic]:
    """A warning for each field of ``document`` (text values at ``fields``) that uses the project's internal words."""
    found = []
    for pointer in fields:
        value = _at(document.data, pointer)
        if not isinstance(value, str) or not _ANY.search(value):
            continue
        for pattern, advice in _INTERNAL:
            match = pattern.search(value)
            if match:
                line, column = _where(document, pointer, pattern)
                words = " ".join(match.group().split())
                message = f"'{words}' in {field_name(pointer)} is a word of this project's workings, not the reader's: {advice}"
                found.append(Diagnostic(document.path, line, column, message, "warning"))
    return found


def _at(data: object, pointer: Pointer) -> object:
    for part in pointer:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _where(document: Document, pointer: Pointer, pattern: re.Pattern[str]) -> tuple[int, int]:
    """The line and column of the words in the file: searched from where the value starts; else the value's start."""
    start = document.position(pointer)
    lines = document.text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[: start.line - 1]) + start.column - 1
    match = pattern.search(document.text, offset)
    if match is None:
        return start.line, start.column
    before = document.text[: match.start()]
    return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
