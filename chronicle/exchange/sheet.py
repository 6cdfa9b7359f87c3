"""Sheet: TimelineJS's Google Sheets template, exported as CSV, read into slides.

The template's columns are matched by their header, in any order, ignoring case
and surrounding spaces: Year, Month, Day, Time, End Year, End Month, End Day,
End Time, Display Date, Headline, Text, Media, Media Credit, Media Caption,
Media Thumbnail, Alt Text, Type, Group, Background; and the first template's
Tag (for Group), Start Date and End Date. Rows are numbered as the spreadsheet
numbers them (the header is row 1). Blank rows are passed over. Every problem
names its row and column; any problem raises
:class:`chronicle.exchange.timelinejs.FormatError`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

from .slides import FormatError, Media, Slide, SlideDate, check_span, make_date

COLUMNS = (
    "Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
    "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text",
    "Type", "Group", "Background",
)  # fmt: skip
LEGACY_COLUMNS = ("Tag", "Start Date", "End Date")
_KNOWN = {name.casefold(): name for name in COLUMNS + LEGACY_COLUMNS}


def read_csv(text: str) -> tuple[list[Slide], list[str]]:
    """The slides of the spreadsheet (title and era rows included), and notes on columns that are not imported."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise FormatError([f"line {reader.line_num}: not valid CSV: {exc}"]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise FormatError(
            ["row 1: the file is empty: the first row must name the template's columns (Year, Month, Day, ..., Headline, ...)"]
        )
    header, notes, problems = _header(rows[0])
    if problems:
        raise FormatError(problems)
    slides = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        extra = [cell for cell in cells[len(rows[0]) :] if cell.strip()]
        if extra:
            problems.append(f"row {number}: {len(extra)} more cell(s) than the header has columns: {extra[0]!r}")
            continue
        row = {name: cells[i].strip() if i < len(cells) else "" for name, i in header.items()}
        slide = _slide(row, f"row {number}", problems)
        if slide is not None:
            slides.append(slide)
    if problems:
        raise FormatError(problems)
    return slides, notes


def _header(cells: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    header: dict[str, int] = {}
    notes: list[str] = []
    problems: list[str] = []
    for i, cell in enumerate(cells):
        name = _KNOWN.get(" ".join(cell.split()).casefold())
        if name is None:
            if cell.strip():
                notes.append(f"the column {cell.strip()!r} is not one of TimelineJS's: it was not imported")
        elif name in header:
            problems.append(f"row 1: the column {name!r} appears twice (columns {header[name] + 1} and {i + 1})")
        else:
            header[name] = i
    if "Year" not in header and "Start Date" not in header:
        found = ", ".join(repr(c.strip()) for c in cells if c.strip())
        problems.append(
            f"row 1: no 'Year' column (nor the first template's 'Start Date'): is this TimelineJS's template? It has {found}"
        )
    if "Headline" not in header and "Text" not in header:
        problems.append("row 1: no 'Headline' or 'Text' column: there would be nothing to import")
    if "Group" in header and "Tag" in header:
        notes.append("both 'Group' and 'Tag' columns: 'Group' is used")
    return header, notes, problems


def _slide(row: Mapping[str, str], where: str, problems: list[str]) -> Slide | None:
    kind = row.get("Type", "").casefold()
    kind = kind if kind in ("title", "era") else "event"
    before = len(problems)
    if "Start Date" in row or "End Date" in row:
        start = _legacy_date(row.get("Start Date", ""), f"{where}, Start Date", problems)
        end = _legacy_date(row.get("End Date", ""), f"{where}, End Date", problems)
    else:
        start = _date(row, "", where, problems)
        end = _date(row, "End ", where, problems)
    if start is None and end is not None and len(problems) == before:
        problems.append(f"{where}: an end date without a start date")
    if start is None and kind != "title" and len(problems) == before:
        problems.append(f"{where}: no Year: every event (and era) needs at least a year")
    if len(problems) > before:
        return None
    check_span(start, end, where, problems)
    media = Media(
        url=row.get("Media", ""),
        credit=row.get("Media Credit", ""),
        caption=row.get("Media Caption", ""),
        thumbnail=row.get("Media Thumbnail", ""),
        alt=row.get("Alt Text", ""),
    )
    return Slide(
        where=where,
        kind=kind,
        start=start,
        end=end,
        display_date=row.get("Display Date", ""),
        headline=row.get("Headline", ""),
        text=row.get("Text", ""),
        group=row.get("Group") or row.get("Tag", ""),
        media=media if any((media.url, media.credit, media.caption, media.thumbnail, media.alt)) else None,
        background=row.get("Background", ""),
    )


def _date(row: Mapping[str, str], prefix: str, where: str, problems: list[str]) -> SlideDate | None:
    year, month, day, time = (row.get(f"{prefix}{name}", "") for name in ("Year", "Month", "Day", "Time"))
    if not year:
        for name, value in (("Month", month), ("Day", day), ("Time", time)):
            if value:
                problems.append(f"{where}, {prefix}{name}: {value!r} is given without {'an End' if prefix else 'a'} Year")
                return None
        return None
    found = make_date(year, month, day, time, f"{where}, {prefix}Year/Month/Day", problems)
    return found


_ISO = re.compile(r"^([+-]?\d+)(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(-?\d+)$")  # month/day/year, as TimelineJS reads it
_MONTH_YEAR = re.compile(r"^(\d{1,2})/(-?\d+)$")
_TIME = re.compile(r"\s*(?:T|\s)(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?)\s*$", re.IGNORECASE)


def _legacy_date(text: str, where: str, problems: list[str]) -> SlideDate | None:
    """The first template's Start Date and End Date, read as TimelineJS reads them: 1998, 1998-03-05, 3/5/1998, 3/1998."""
    text = text.strip()
    if not text:
        return None
    time = ""
    found = _TIME.search(text)
    if found:
        time, text = found.group(1), text[: found.start()].strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_US, (2, 0, 1)), (_MONTH_YEAR, (1, 0, None))):
        match = pattern.match(text)
        if match:
            groups = match.groups()
            year, month, day = (groups[i] if i is not None else None for i in order)
            return make_date(year, month, day, time, where, problems)
    problems.append(f"{where}: {text!r} is not a date TimelineJS reads: write 1998, 1998-03-05 or 3/5/1998 (month/day/year)")
    return None
