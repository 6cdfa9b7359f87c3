"""Dates: the subset of EDTF (the Library of Congress Extended Date/Time Format) a timeline uses.

Day, month or year precision; approximate ``~``, uncertain ``?``, both ``%``;
spans ``a/b`` and open-ended spans ``a/..``. The calendar is checked here. The
``edtf`` package, which knows the whole standard, tells a date that is not
EDTF at all from valid EDTF that timelines do not use (seasons, unspecified
digits, sets), so each gets its own message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_MONTHS_EN = (
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_POINT = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([~?%]?)"  # ASCII digits only: "\d" would take "２０１５" or "٢٠١٥"
_DATE_RE = re.compile(rf"{_POINT}(?:/(?:{_POINT}|(\.\.)))?")


class DateError(ValueError):
    """A date that is not valid EDTF, or not of the subset timelines use."""


@dataclass(frozen=True, slots=True)
class DatePoint:
    """One end of a date: a year, a month or a day, perhaps approximate or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or _days_in(self.year, month))

    @property
    def iso(self) -> str:
        """The date at its own precision, for ``<time datetime>``: 1989, 1988-11, 2026-02-22."""
        parts = [f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v]
        return "-".join(parts)

    def label(self) -> str:
        """For readers: '1989', 'November 1988', '22 February 2026', 'c. 1989'."""
        if self.day and self.month:
            text = f"{self.day} {_MONTHS_EN[self.month]} {self.year}"
        elif self.month:
            text = f"{_MONTHS_EN[self.month]} {self.year}"
        else:
            text = str(self.year)
        if self.approximate:
            text = f"c. {text}"
        if self.uncertain:
            text = f"{text} (uncertain)"
        return text


@dataclass(frozen=True, slots=True)
class EventDate:
    """An EDTF date as written, with its start and (for spans) its end."""

    text: str
    start: DatePoint
    end: DatePoint | None = None  # None: a single date, or an open-ended span
    open_end: bool = False

    @property
    def is_span(self) -> bool:
        return self.end is not None or self.open_end

    @property
    def is_approximate(self) -> bool:
        return any(p.approximate for p in self.points)

    @property
    def is_uncertain(self) -> bool:
        return any(p.uncertain for p in self.points)

    @property
    def points(self) -> tuple[DatePoint, ...]:
        return (self.start,) if self.end is None else (self.start, self.end)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def sort_key(self) -> tuple[int, int]:
        """Earliest start first; among equal starts the broader first (context before detail)."""
        end = self.end.latest if self.end else (dt.date.max if self.open_end else self.start.latest)
        return (self.start.earliest.toordinal(), -end.toordinal())

    def label(self) -> str:
        if self.open_end:
            return f"{self.start.label()} onward"
        if self.end is None:
            return self.start.label()
        return f"{self.start.label()} – {self.end.label()}"


@lru_cache(maxsize=4096)
def parse_date(text: str) -> EventDate:
    """Parse an EDTF date of the supported subset, or raise :class:`DateError`."""
    match = _DATE_RE.fullmatch(text)
    if not match:
        raise DateError(f"'{text}' {_kind_of_wrong(text)}")
    hint = _calendar_problem(match)
    if hint:  # checked here: edtf 5.0 accepts 2023-02-29
        raise DateError(f"'{text}' is not a valid calendar date: {hint}")
    start = _point(*match.group(1, 2, 3, 4))
    end = _point(*match.group(5, 6, 7, 8)) if match.group(5) else None
    if end is not None and end.latest < start.earliest:
        raise DateError(f"the span '{text}' ends before it starts; write the earlier date first")
    return EventDate(text, start, end, open_end=bool(match.group(9)))


def _point(year: str, month: str | None, day: str | None, qualifier: str) -> DatePoint:
    return DatePoint(
        int(year),
        int(month) if month else None,
        int(day) if day else None,
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
    )


_FORMS = (
    "is not a date of the form 2015, 2015-05 or 2015-05-01, optionally followed by ~ (approximate), "
    "? (uncertain) or % (both), or a span like 2009-10/2011-01 or 2012/.."
)


def _kind_of_wrong(text: str) -> str:
    """Valid EDTF that timelines do not use gets its own message (the edtf package knows the whole standard)."""
    if any(c.isdigit() and not c.isascii() for c in text):
        return "uses digits other than 0-9; write the date with the digits 0 to 9, e.g. 2015-05-01"
    if text != text.strip() or any(c in text for c in "\n\r\t"):
        return "has spaces or line breaks around it; write the date alone, e.g. 2015-05-01"
    import edtf  # only for a date already found wrong: importing it costs a tenth of a second

    try:
        edtf.parse_edtf(text)
    except Exception:  # edtf raises EDTFParseException (and, for some inputs, other errors)
        return _FORMS
    return f"is valid EDTF but not a form this timeline supports: use {_FORMS.removeprefix('is not ')}"


def _calendar_problem(match: re.Match[str]) -> str:
    for year, month, day in (match.group(1, 2, 3), match.group(5, 6, 7)):
        if year == "0000":
            return "there is no year 0 (1 BC is followed by AD 1); dates start at 0001"
        if month and not 1 <= int(month) <= 12:
            return f"there is no month {month}"
        if year and month and day and not 1 <= int(day) <= _days_in(int(year), int(month)):
            return f"{_MONTHS_EN[int(month)]} {year} has {_days_in(int(year), int(month))} days"
    return ""


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31
