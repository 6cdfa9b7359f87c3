"""Scaffold: the text and place of a new event file, for ``python build.py new``.

:func:`scaffold_event` is pure: it checks the title, date, status and id, looks
for a collision under ``events/``, and returns the path and text to write; the
command line writes it. The file has the schema modeline (editors then complete
and check it), the required fields filled in, and every optional field as a
commented example. It deliberately has no source: validation then says exactly
what to add, and the file passes once a source is there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content.dates import DateError, EventDate, parse_date
from .content.model import STATUSES
from .content.names import is_id, slugify
from .diagnostics import did_you_mean, display_path, one_of

MODELINE = "# yaml-language-server: $schema=../event.schema.json"
#: What each status means, as CONTRIBUTING.md explains it (shown by the prompt).
STATUS_HELP = {
    "confirmed": "Confirmed: an official record, a court finding, or several independent sources.",
    "reported": "Reported: credible reporting, not officially confirmed.",
    "alleged": "Alleged: a claim by one party or witness, or an indictment.",
    "disputed": "Disputed: the sources conflict; both sides are cited.",
}
SUMMARY_PLACEHOLDER = "TODO: what happened, in one paragraph and in your own words."
_ID_WORDS = 8  # words of the title kept in a generated id


class ScaffoldError(ValueError):
    """A title, date, status or id that cannot make an event file; the message says why."""


class EventExists(ScaffoldError):
    """The id is taken: an event file with that name is already there."""


@dataclass(frozen=True)
class NewEvent:
    id: str
    path: Path
    text: str


def scaffold_event(
    events_dir: Path,
    *,
    title: str,
    date: str,
    status: str,
    event_id: str | None = None,
    summary: str | None = None,
    seeds: Mapping[str, str] | None = None,
) -> NewEvent:
    """The new event file ``events/<YYYY>/<id>.yaml``; raises :class:`ScaffoldError`.

    ``seeds`` (id -> a few words saying what it is) are listed in a comment so a contributor sees what
    can be cited. Refuses an id used by any file under ``events_dir``.
    """
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError("the title is empty: say in a few words what happened")
    if len(title) > 200:
        raise ScaffoldError(f"the title is {len(title)} characters long; keep it under 200: put details in the summary")
    try:
        parsed = parse_date(date.strip())
    except DateError as exc:
        raise ScaffoldError(f"date: {exc}") from None
    if status not in STATUSES:
        raise ScaffoldError(f"status '{status}' is not allowed.{did_you_mean(status, STATUSES)} Use {one_of(STATUSES)}")
    event_id = event_id.strip() if event_id else default_id(parsed, title)
    if not is_id(event_id):
        example = slugify(event_id) or "what-happened"
        raise ScaffoldError(f"the id '{event_id}' is not valid: use lowercase letters, digits and hyphens, e.g. '{example}'")
    path = events_dir / f"{parsed.year:04d}" / f"{event_id}.yaml"
    for existing in sorted(events_dir.glob(f"*/{event_id}.y*ml")) if events_dir.is_dir() else []:
        raise EventExists(
            f"{display_path(existing)} already exists with the id '{event_id}': ids must be unique. "
            "Edit that file if it is the same event, or choose another id with --id"
        )
    if path.exists():  # e.g. a folder of that name
        raise EventExists(f"{display_path(path)} already exists; it was left as it is")
    return NewEvent(event_id, path, event_text(title, parsed, status, summary, seeds or {}))


def default_id(date: EventDate, title: str) -> str:
    """'2015-05-01-cjng-gunmen-shoot-down-a-military-helicopter': the date as written, then the title."""
    if date.is_span:
        prefix = f"{date.start.year:04d}-{date.end.year:04d}" if date.end and date.end.year != date.year else f"{date.year:04d}"
    else:
        prefix = date.start.iso
    words = slugify(title).split("-")[:_ID_WORDS]
    return "-".join([prefix, *[w for w in words if w]])


def interpret_date(text: str) -> tuple[str, bool]:
    """A date as a person types it, as EDTF: ('2026-02-22', True) for '22 Feb 2026'.

    EDTF is taken as it is (second value False); otherwise python-dateutil reads
    the words, and the precision is what was written: 'Feb 2026' is '2026-02'.
    Raises :class:`ScaffoldError` when neither works.
    """
    text = text.strip()
    try:
        return parse_date(text).text, False
    except DateError as exc:
        problem = str(exc)
    from dateutil import parser  # only the interactive prompt reads dates in words

    try:  # parsed twice with different defaults: a part that changes was not written
        first = parser.parse(text, default=dt.datetime(2001, 1, 1))
        second = parser.parse(text, default=dt.datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        raise ScaffoldError(f"date: {problem}; a date in words like '22 February 2026' also works here") from None
    if first.year != second.year:
        raise ScaffoldError(f"date: '{text}' has no year; write it out, e.g. '22 February 2026' or 2026-02-22")
    if first.month != second.month:
        return f"{first.year:04d}", True
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}", True
    return first.date().isoformat(), True


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain_ok = yaml.safe_load(f"key: {text}\n") == {"key": text}
    except yaml.YAMLError:
        plain_ok = False
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


def _summary_block(summary: str | None) -> str:
    paragraph = " ".join((summary or SUMMARY_PLACEHOLDER).split())
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + 1 + len(word) > 78:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "summary: >\n" + "".join(f"  {line}\n" for line in lines)


def event_text(title: str, date: EventDate, status: str, summary: str | None, seeds: Mapping[str, str]) -> str:
    seed_lines = "".join(f"#   {seed_id}  {what}\n" for seed_id, what in sorted(seeds.items()))
    seed_list = f"# Documents archived in seeds/ that you can cite:\n{seed_lines}" if seeds else ""
    example_seed = min(seeds) if seeds else "<seed-id>"
    return f"""\
{MODELINE}
# A new event. Fill it in, then check it: python build.py validate
# CONTRIBUTING.md explains every field. Lines starting with '#' are comments:
# to use an example, remove the '# ' in front of its lines.
title: {_scalar(title)}
date: "{date.text}"  # EDTF: 2015 | 2015-05 | 2015-05-01 | 1989~ | 2026-02? | 2009-10/2011-01
status: {status}  # confirmed | reported | alleged | disputed
{_summary_block(summary)}\
# body: |
#   Optional longer text (Markdown): the context, and where the sources disagree.
# tags: [cjng, heavy-weapons]  # only tags listed in events/tags.yaml
# actors: [CJNG, Mexican Army]  # spelt as in the other events
# places:
#   - name: Tapalpa, Jalisco
#     lat: 19.94  # optional
#     lon: -103.76
# related: [2015-05-01-cjng-shoots-down-military-helicopter]  # ids of other events

# At least one source is required. A document archived in seeds/, with a
# passage copied from it exactly (the build checks that the quote is there):
# sources:
#   - seed: {example_seed}
#     quote: "a passage copied exactly from seeds/{example_seed}.txt"
# or a page elsewhere (the quote cannot be checked: copy it carefully):
#   - url: https://example.org/the-article
#     title: The article's title
#     publisher: Who published it
#     published: "2026-02-23"
#     kind: news  # news | opinion | advocacy | industry | government | court
#     archive_url: https://web.archive.org/web/2026/https://example.org/the-article
#     quote: "the sentence that supports the event"
#     stance: supports  # or 'disputes', for a source that contradicts the event
{seed_list}"""


def write_new_event(new: NewEvent) -> None:
    """Create the file; never overwrites (the check is repeated at the last moment)."""
    new.path.parent.mkdir(parents=True, exist_ok=True)
    with new.path.open("x", encoding="utf-8", newline="\n") as file:
        file.write(new.text)
