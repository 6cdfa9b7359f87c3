"""Imported events: what an event brought in by ``python build.py import`` may lack, in one place.

The importer marks each event it writes with ``imported: <format>``. Such an
event is a draft that builds at once: it may have no source yet (the event
schema's ``if``/``then``) and outside sources without a quote (validate skips
:func:`chronicle.content.citations.unquoted_sources` for it, asking
:func:`is_imported`). Each is a warning (:func:`imported_warnings`), never an
error, naming what it still lacks, until a contributor adds the quoted
passages, checks the status and removes the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..diagnostics import Diagnostic
from .yamldoc import Document

#: The key the importer marks an event with; its value is the format it came from.
IMPORTED = "imported"
_FORMAT_NAMES = {"timelinejs": "TimelineJS"}


def is_imported(data: Mapping[str, Any]) -> bool:
    """Whether an event document is marked imported: then a source may lack a quote, and the event a source."""
    return IMPORTED in data


def imported_warnings(document: Document, data: Mapping[str, Any]) -> list[Diagnostic]:
    """A warning for an imported event: what it still lacks, and to remove the marker once it is checked."""
    if not is_imported(data):
        return []
    sources = [s for s in data.get("sources") or () if isinstance(s, dict)]
    unquoted = sum(1 for s in sources if not s.get("quote"))
    if not sources:
        lacking = "it has no source yet: add one with a passage quoted from it"
    elif unquoted:
        verb = "has" if unquoted == 1 else "have"
        which = "its source has" if len(sources) == 1 else f"{unquoted} of its {len(sources)} sources {verb}"
        lacking = f"{which} no quote: add the passage that supports the event"
    else:
        lacking = "its sources have quotes now"
    origin = _FORMAT_NAMES.get(str(data[IMPORTED]), str(data[IMPORTED]))
    message = (
        f"imported from {origin} and not yet checked: {lacking}; check the status "
        f"('{data.get('status')}' until you have), then remove the line '{IMPORTED}: {data[IMPORTED]}'"
    )
    position = document.key_position((IMPORTED,))
    return [Diagnostic(document.path, position.line, position.column, message, "warning")]
