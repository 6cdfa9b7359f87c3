"""Slides: a TimelineJS timeline as read, before it becomes event files.

Both readers give these values: :func:`chronicle.exchange.timelinejs.read_json`
(TimelineJS's JSON) and :func:`chronicle.exchange.sheet.read_csv` (its Google
Sheets template). Every problem a reader finds is named by its JSON path or
spreadsheet row and raised together as :class:`FormatError`. :func:`edtf`
turns a slide's dates into the EDTF date an event file holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..content.dates import DatePoint, EventDate, parse_date


class FormatError(ValueError):
    """The input is not a timeline this tool can read; ``problems`` names each place (JSON path or row) and what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SlideDate:
    """A TimelineJS date: a year, perhaps a month and a day, perhaps a time of day (which events do not keep)."""

    year: int
    month: int | None = None
    day: int | None = None
    time: str = ""  # "10:30", as written, when one was given


@dataclass(frozen=True)
class Media:
    url: str = ""
    credit: str = ""  # HTML
    caption: str = ""  # HTML
    thumbnail: str = ""
    alt: str = ""


@dataclass(frozen=True)
class Slide:
    """One slide of a TimelineJS timeline, as read from its JSON or its spreadsheet."""

    where: str  # "events[3]", "row 5"
    kind: str  # "event", "title" or "era"
    start: SlideDate | None
    end: SlideDate | None = None
    display_date: str = ""
    headline: str = ""  # HTML
    text: str = ""  # HTML
    group: str = ""
    unique_id: str = ""
    media: Media | None = None
    background: str = ""


def make_date(year: Any, month: Any, day: Any, time: str, where: str, problems: list[str]) -> SlideDate | None:
    """A checked :class:`SlideDate` from the parts as written (text or numbers; TimelineJS drops spaces and commas)."""
    numbers: dict[str, int | None] = {}
    for name, value in (("year", year), ("month", month), ("day", day)):
        cleaned = re.sub(r"[\s,]+", "", str(value)) if value is not None else ""
        if not cleaned:
            numbers[name] = None
        elif re.fullmatch(r"[+-]?\d+", cleaned):
            numbers[name] = int(cleaned)
        else:
            problems.append(f"{where}.{name} is {str(value)!r}: it must be a whole number")
            return None
    y, m, d = numbers["year"], numbers["month"], numbers["day"]
    if y is None:
        problems.append(f"{where} has no year: every date needs one")
        return None
    if m is not None and not 1 <= m <= 12:
        problems.append(f"{where}.month is {m}: a month is 1 to 12")
        return None
    if d is not None and m is None:
        problems.append(f"{where} has a day ({d}) but no month")
        return None
    if d is not None and m is not None and not 1 <= d <= _days_in(y, m):
        problems.append(f"{where}.day is {d}: that month has {_days_in(y, m)} days")
        return None
    return SlideDate(y, m, d, time)


def check_span(start: SlideDate | None, end: SlideDate | None, where: str, problems: list[str]) -> None:
    if start is None or end is None or not 1 <= start.year <= 9999 or not 1 <= end.year <= 9999:
        return
    if _point(end).latest < _point(start).earliest:
        problems.append(f"{where}: the end date is before the start date")


def _point(date: SlideDate) -> DatePoint:
    return DatePoint(date.year, date.month, date.day)


def _days_in(year: int, month: int) -> int:
    if not 1 <= year <= 9999:
        return 31 if month != 2 else 29
    return DatePoint(year, month).latest.day


def kind_of(value: Any) -> str:
    """What a JSON value is, in words: 'text', 'a number', 'an object'."""
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


# --- dates in: a slide's date as EDTF ---------------------------------------------------

_APPROXIMATE = re.compile(r"\b(?:c\.|ca\.|circa|about|around|approx(?:\.|imately)?)(?!\w)|~", re.IGNORECASE)
_UNCERTAIN = re.compile(r"\?|\buncertain\b|\bperhaps\b|\bpossibly\b", re.IGNORECASE)
_OPEN = re.compile(r"(?:\bonwards?|\bongoing|\bto (?:the )?present|[–-]\s*(?:present|now|today)?)\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"\s+(?:–|—|-|to|until)\s+")


def edtf(start: SlideDate, end: SlideDate | None, display_date: str) -> EventDate:
    """The EDTF date of a slide: each end at its precision; approximate, uncertain or still open as its display date says.

    ``display_date`` is read for the words that TimelineJS's dates cannot
    hold: "c. 1989", "about 1990" (approximate), "1991?", "(uncertain)",
    "2012 onward", "2012 – present" (a span still open). The site's own labels
    (:meth:`EventDate.label`) are of that form, so an export reads back as it was.
    """
    parts = _SPLIT.split(display_date, maxsplit=1) if end is not None else [display_date]
    start_words, end_words = (parts[0], parts[1]) if len(parts) == 2 else (display_date, display_date)
    text = _point_text(start, start_words)
    if end is not None:
        text += "/" + _point_text(end, end_words)
    elif display_date and _OPEN.search(display_date) and not re.search(r"\d\s*[–-]\s*\d", display_date):
        text += "/.."
    return parse_date(text)


def _point_text(date: SlideDate, words: str) -> str:
    text = f"{date.year:04d}" + (f"-{date.month:02d}" if date.month else "") + (f"-{date.day:02d}" if date.day else "")
    approximate = bool(_APPROXIMATE.search(words))
    uncertain = bool(_UNCERTAIN.search(words))
    return text + ("%" if approximate and uncertain else "~" if approximate else "?" if uncertain else "")
