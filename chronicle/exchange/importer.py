"""Importer: a TimelineJS timeline (its JSON, or its Google Sheets template as CSV) as event files.

``python build.py import timelinejs FILE`` reads the whole file first
(:func:`read_timeline`), plans every file it will write (:func:`plan_import`)
and only then writes (:func:`write_import`): a file with a problem gets every
problem reported, by JSON path or spreadsheet row, and nothing is written.

Each event slide becomes ``events/<YYYY>/<id>.yaml``: its date as EDTF at its
precision (approximate, uncertain or still open as its display date says), the
headline as the title, the text as Markdown (sanitised; the first paragraph the
summary, the rest the body), the group as a tag (new tags added to
``events/tags.yaml``), and the media and every link as sources. An imported
event has no quoted passages and no checked status: it is written ``reported``
and marked ``imported: timelinejs``, which ``validate`` reports as a warning
until a contributor has checked it and removed the line; so an import builds at
once. Title slides and eras are not events: they are reported and skipped, as
is everything else that cannot be converted. A file is never overwritten and an
id never reused: the slide's ``unique_id`` is kept when it is a valid id not yet
taken, else the id is made from the date and headline, numbered if need be.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.dates import DateError, EventDate, parse_date
from ..content.files import VOCABULARY_FILE
from ..content.model import SOURCE_KINDS, STANCES
from ..content.names import ID_RE, slugify
from ..content.yamldoc import load_yaml
from ..diagnostics import ContentErrors
from ..scaffold import default_id
from ..site.markup import shorten
from .eventfile import event_file_text
from .htmltext import ExportedSource, exported_parts, links, split_summary, to_markdown, to_plain
from .sheet import read_csv
from .slides import FormatError, Slide, edtf
from .timelinejs import read_json

FORMAT = "timelinejs"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")  # as the event schema has it


@dataclass(frozen=True)
class NewEvent:
    where: str  # the slide: "events[3]", "row 5"
    id: str
    path: Path
    text: str


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will write, and what it will not carry over; nothing is written yet."""

    events: tuple[NewEvent, ...]
    tags: tuple[tuple[str, str], ...]  # new vocabulary entries: (slug, description)
    vocabulary: Path
    skipped: tuple[str, ...]  # slides that are not events, each with the reason
    not_converted: tuple[str, ...]  # parts of written events that were left out, each with the reason


def read_timeline(path: Path) -> tuple[list[Slide], list[str]]:
    """The slides of a TimelineJS JSON file or Google Sheets CSV (by its extension, else by its first character)."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise FormatError([f"line {line}, column {column}: the file is not UTF-8 text; save it as UTF-8"]) from None
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix != ".csv" and text.lstrip("\ufeff \t\r\n").startswith("{")):
        return read_json(text.removeprefix("\ufeff")), []
    return read_csv(text)


def plan_import(slides: Sequence[Slide], events_dir: Path, *, origin: str) -> ImportPlan:
    """The event files and tags that ``slides`` become below ``events_dir``; ``origin`` names the input in their comments.

    Raises :class:`chronicle.diagnostics.ContentErrors` when the tag vocabulary cannot be read.
    """
    vocabulary_path = events_dir / VOCABULARY_FILE
    vocabulary = _vocabulary(vocabulary_path)
    taken = _ids_in(events_dir)
    new_tags: dict[str, str] = {}
    events: list[NewEvent] = []
    skipped: list[str] = []
    not_converted: list[str] = []
    for slide in slides:
        label = _label(slide)
        if slide.kind == "title":
            skipped.append(f"{slide.where}: the title slide{label} is not an event")
            continue
        if slide.kind == "era":
            skipped.append(f"{slide.where}: the era{label} is a period, not an event")
            continue
        assert slide.start is not None  # the readers require it of events
        if not all(1 <= d.year <= 9999 for d in (slide.start, slide.end) if d is not None):
            skipped.append(f"{slide.where}{label}: dated year {slide.start.year}; only years 1 to 9999 can be written")
            continue
        notes: list[str] = []
        fields = _fields(slide, vocabulary, new_tags, notes)
        if fields is None:
            skipped.append(f"{slide.where}: it has neither a headline nor text")
            continue
        date = parse_date(fields["date"])
        event_id = _new_id(slide, date, fields["title"], taken, notes)
        taken.add(event_id)
        path = events_dir / f"{date.year:04d}" / f"{event_id}.yaml"
        comment = (
            f"Imported from TimelineJS ({origin}, {slide.where}). To finish it: add to each source the passage",
            "that supports the event, quoted exactly; check the status; then remove the line 'imported: timelinejs'.",
        )
        events.append(NewEvent(slide.where, event_id, path, event_file_text(fields, comment)))
        not_converted.extend(f"{slide.where} ({event_id}): {note}" for note in notes)
    return ImportPlan(tuple(events), tuple(new_tags.items()), vocabulary_path, tuple(skipped), tuple(not_converted))


def write_import(plan: ImportPlan) -> None:
    """Create each planned file (never overwriting one), then add the new tags to the vocabulary."""
    for event in plan.events:
        if event.path.exists():
            raise FileExistsError(event.path)
    for event in plan.events:
        event.path.parent.mkdir(parents=True, exist_ok=True)
        with event.path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(event.text)
    if plan.tags:
        old = plan.vocabulary.read_text(encoding="utf-8") if plan.vocabulary.exists() else ""
        lines = ["# Added by `python build.py import`: groups of the imported timeline. Describe each in a line."]
        lines += [f"{slug}: {_quoted(description)}" for slug, description in plan.tags]
        text = (old if not old or old.endswith("\n") else old + "\n") + "\n".join(lines) + "\n"
        temporary = plan.vocabulary.with_name(f".{plan.vocabulary.name}.{os.getpid()}.tmp")
        plan.vocabulary.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, plan.vocabulary)


# --- one slide -----------------------------------------------------------------------


def _fields(slide: Slide, vocabulary: set[str], new_tags: dict[str, str], notes: list[str]) -> dict[str, Any] | None:
    assert slide.start is not None
    exported = exported_parts(slide.text)
    summary_html, body_html = (exported.summary, exported.body) if exported else split_summary(slide.text)
    title = to_plain(slide.headline)
    if not title:
        title = shorten(to_plain(slide.text), 100)
        if not title:
            return None
        notes.append("no headline: the title is the start of its text")
    if len(title) > 200:
        title = shorten(title, 200)
        notes.append("its headline is over 200 characters: the title is cut short")
    summary = to_markdown(summary_html)
    if not summary:
        summary = to_markdown(html_lib.escape(title))
        notes.append("no text: the summary repeats the headline")
    date = _date(slide, notes)
    fields: dict[str, Any] = {"title": title, "date": date.text, "status": "reported", "imported": FORMAT, "summary": summary}
    body = to_markdown(body_html)
    media = slide.media
    if media and media.url and not _URL.match(media.url) and to_markdown(media.url):
        body = "\n\n".join(part for part in (body, to_markdown(media.url)) if part)  # a quotation, say: kept as text
        notes.append("its media is not a web address: its text was added to the body")
    if body:
        fields["body"] = body
    tag = _tag(slide.group, vocabulary, new_tags, notes)
    if tag:
        fields["tags"] = [tag]
    fields["sources"] = _sources_of_export(exported.sources, notes) if exported else _sources(slide, notes)
    if not fields["sources"]:
        notes.append("no link to a source: add one")
    for part, value in (("media thumbnail", slide.media and slide.media.thumbnail), ("background", slide.background)):
        if value:
            notes.append(f"its {part} was not imported (the site shows no images)")
    return fields


def _date(slide: Slide, notes: list[str]) -> EventDate:
    assert slide.start is not None
    try:
        date = edtf(slide.start, slide.end, slide.display_date)
    except DateError as exc:  # pragma: no cover - the readers check the calendar and the order
        raise FormatError([f"{slide.where}: {exc}"]) from None
    times = [d.time for d in (slide.start, slide.end) if d is not None and d.time]
    if times:
        notes.append(f"its time of day ({' to '.join(times)}) was left out: events are dated to the day")
    shown = " ".join(to_plain(slide.display_date).split())
    if shown and shown.replace("—", "–") != date.label():
        notes.append(f"its display date {shown!r} was not kept: it is dated {date.text!r} ({date.label()})")
    return date


def _tag(group: str, vocabulary: set[str], new_tags: dict[str, str], notes: list[str]) -> str:
    name = to_plain(group)
    if not name:
        return ""
    slug = slugify(name)
    if not slug:
        notes.append(f"its group {name!r} has no letters or digits a tag can keep: not made a tag")
        return ""
    if slug not in vocabulary and slug not in new_tags:
        new_tags[slug] = name
    return slug


def _sources(slide: Slide, notes: list[str]) -> list[dict[str, str]]:
    """The media (when it is a web address) and every link of the slide, each address once."""
    found: dict[str, dict[str, str]] = {}
    media = slide.media
    if media and media.url:
        if _URL.match(media.url):
            source = {"url": media.url, "title": to_plain(media.caption) or media.alt or media.url}
            if to_plain(media.credit):
                source["publisher"] = to_plain(media.credit)
            found[media.url] = source
        elif not to_markdown(media.url):
            notes.append(f"its media ({shorten(media.url, 60)!r}) is neither a web address nor text: not imported")
    texts = [slide.headline, slide.text] + ([media.caption, media.credit] if media else [])
    for address, words in (link for text in texts for link in links(text)):
        if address in found:
            continue
        if _URL.match(address):
            found[address] = {"url": address, "title": words or address}
        elif not address.startswith("#"):
            notes.append(f"the link {shorten(address, 60)!r} is not an http(s) address: not made a source")
    return list(found.values())


def _sources_of_export(sources: Sequence[ExportedSource], notes: list[str]) -> list[dict[str, str]]:
    """The sources listed by a slide this tool exported, with their quotes, dates, kinds and stances."""
    found = []
    for source in sources:
        if not _URL.match(source.url):
            notes.append(f"the source {source.title!r} has no web address (only {source.url!r}): not imported")
            continue
        entry = {"url": source.url, "title": source.title or source.url}
        if source.publisher:
            entry["publisher"] = source.publisher
        if source.published:
            try:
                published = parse_date(source.published)
                if not published.is_span:
                    entry["published"] = published.text
            except DateError:
                notes.append(f"the source {source.title!r} has a date that is not EDTF ({source.published!r}): left out")
        if source.kind in SOURCE_KINDS:
            entry["kind"] = source.kind
        if source.archive_url and _URL.match(source.archive_url):
            entry["archive_url"] = source.archive_url
        if source.quote:
            entry["quote"] = source.quote
        if source.stance in STANCES and source.stance != "supports":
            entry["stance"] = source.stance
        found.append(entry)
    return found


def _new_id(slide: Slide, date: EventDate, title: str, taken: set[str], notes: list[str]) -> str:
    wanted = slide.unique_id
    if wanted and ID_RE.match(wanted) and wanted not in taken:
        return wanted
    base = default_id(date, title)
    event_id, n = base, 2
    while event_id in taken:
        event_id, n = f"{base}-{n}", n + 1
    if wanted:
        why = "is already taken" if wanted in taken else "is not an id (lowercase letters, digits and hyphens)"
        notes.append(f"its unique_id {wanted!r} {why}: its id is {event_id!r}")
    return event_id


# --- what is already there ---------------------------------------------------------------


def _ids_in(events_dir: Path) -> set[str]:
    """Every id used by a file below ``events_dir``, wherever it is (``new`` refuses the same)."""
    if not events_dir.is_dir():
        return set()
    return {path.stem for path in events_dir.rglob("*.y*ml") if path.name != VOCABULARY_FILE}


def _vocabulary(path: Path) -> set[str]:
    """The tags of the vocabulary; raises :class:`ContentErrors` when it cannot be read (fix it first, with validate)."""
    if not path.exists():
        return set()
    document, problems = load_yaml(path)
    if document is not None and not isinstance(document.data, dict):
        problems.append(document.error((), "the tag vocabulary must be a mapping of 'tag: one-line description'"))
    if problems or document is None:
        raise ContentErrors(problems)
    return {str(tag) for tag in document.data}


def _label(slide: Slide) -> str:
    name = to_plain(slide.headline) or shorten(to_plain(slide.text), 60)
    return f" {name!r}" if name else ""


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
