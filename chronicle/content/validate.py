"""Validate: check documents against the content contract and build the model.

Two layers of checks, all gathered before anything is reported:

1. the JSON Schema (``schemas/event.schema.json``, published for editors as
   ``events/event.schema.json``), with every jsonschema error translated into a
   message that names the field, the bad value, what is allowed and the fix;
2. what a schema cannot say: valid calendar dates and spans in order, unique
   ids, files in the folder of their year, seeds that exist, quotes found in the
   seed's text, tags in the vocabulary, ``related`` ids that exist.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import ContentErrors, Diagnostic, did_you_mean, display_path
from .dates import DateError, EventDate, parse_date
from .files import SeedFiles
from .model import Event, Place, Seed, Source, Timeline
from .names import ID_RE, slugify
from .quotes import misquote_message, quote_found
from .schema import field_name, schema_errors
from .wording import EVENT_TEXT, SEED_TEXT, internal_words
from .yamldoc import Document, Pointer

_PLACEHOLDER = re.compile(r"\bTODO\b")  # what `build.py new` leaves for the contributor to replace


@dataclass
class Memo:
    """What the last :func:`validate` made of its input, so that the live preview checks again only what changed.

    An event document is checked again unless it is the very same document
    object as last time (the preview's cache hands back the same object for an
    unchanged file) and everything its checks read is unchanged too: the seeds,
    the tag vocabulary and the set of ids. So an unchanged event keeps its
    :class:`Event` object, and the stages after this one can tell at a glance
    that it has not changed.
    """

    seeds_input: tuple[Any, ...] | None = None
    seeds: dict[str, Seed] = field(default_factory=dict)
    seed_problems: tuple[Diagnostic, ...] = ()
    vocabulary_input: tuple[Any, ...] | None = None
    tags: dict[str, str] = field(default_factory=dict)
    vocabulary_problems: tuple[Diagnostic, ...] = ()
    context: tuple[Any, ...] | None = None
    events: dict[int, tuple[Document, Event | None, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    sort_keys: dict[int, tuple[Event, Any]] = field(default_factory=dict)


def validate(
    event_documents: Sequence[Document],
    seed_files: Sequence[SeedFiles],
    vocabulary: Document | None,
    *,
    events_dir: Path,
    memo: Memo | None = None,
    other_ids: Collection[str] = (),
) -> Timeline:
    """Check everything; return the :class:`Timeline` or raise :class:`ContentErrors`.

    ``memo`` (the live preview's) carries the results of the previous call: only what changed is checked again.
    ``other_ids`` are the ids of events checked elsewhere (another part of a
    timeline checked in parts, ``build.check``), which ``related`` may name.
    """
    memo = memo if memo is not None else Memo()
    problems: list[Diagnostic] = []
    seeds_input = tuple((f.id, f.text_path, f.text, f.meta.path if f.meta else None, f.meta.text if f.meta else None)
                        for f in seed_files)  # fmt: skip
    if seeds_input != memo.seeds_input:
        found_for_seeds: list[Diagnostic] = []
        memo.seeds, memo.seeds_input = _check_seeds(seed_files, found_for_seeds), seeds_input
        memo.seed_problems = tuple(found_for_seeds)
    seeds = memo.seeds
    problems.extend(memo.seed_problems)
    vocabulary_input = (vocabulary.path, vocabulary.text) if vocabulary else None
    if vocabulary_input != memo.vocabulary_input or memo.vocabulary_input is None:
        found_for_tags: list[Diagnostic] = []
        memo.tags, memo.vocabulary_input = _check_vocabulary(vocabulary, found_for_tags), vocabulary_input
        memo.vocabulary_problems = tuple(found_for_tags)
    tags = memo.tags
    problems.extend(memo.vocabulary_problems)
    vocabulary_path = vocabulary.path if vocabulary else events_dir / "tags.yaml"

    ids = {document.id: document.path for document in reversed(event_documents)}  # the first file with an id keeps it
    for document in event_documents if len(ids) < len(event_documents) else ():  # some id is used twice
        event_id = document.id
        if ids[event_id] != document.path:
            problems.append(
                document.error(
                    (),
                    f"the id '{event_id}' is already used by {display_path(ids[event_id])}; "
                    "ids must be unique: rename one of the files",
                )
            )

    nameable = {**dict.fromkeys(other_ids), **ids} if other_ids else ids  # what ``related`` may name
    context = (seeds, tags, vocabulary_path, frozenset(nameable))
    same_context = memo.context is not None and all(a is b or a == b for a, b in zip(context, memo.context, strict=True))
    checked: dict[int, tuple[Document, Event | None, tuple[Diagnostic, ...]]] = {}
    events = []
    for document in event_documents:
        entry = memo.events.get(id(document)) if same_context else None
        if entry is None or entry[0] is not document:
            found: list[Diagnostic] = []
            event = _check_event(document, seeds, tags, vocabulary_path, nameable, found)
            if isinstance(document.data, dict):
                found += internal_words(document, EVENT_TEXT)
            entry = (document, event, tuple(found))
        checked[id(document)] = entry
        event, found_here = entry[1], entry[2]
        problems.extend(found_here)
        if event is not None and not any(d.is_error for d in found_here):
            events.append(event)
    memo.context, memo.events = context, checked
    if any(d.is_error for d in problems):
        raise ContentErrors(problems)
    keys: dict[int, tuple[Event, Any]] = {}
    for event in events:  # each event's sort key, computed once per Event object
        known = memo.sort_keys.get(id(event))
        keys[id(event)] = known if known is not None and known[0] is event else (event, event.sort_key)
    memo.sort_keys = keys
    order = sorted(range(len(events)), key=[keys[id(e)][1] for e in events].__getitem__)
    return Timeline(tuple(events[i] for i in order), seeds, tags, tuple(sorted(problems)))


# --- events ------------------------------------------------------------------


def _check_event(
    document: Document,
    seeds: Mapping[str, Seed],
    tags: Mapping[str, str],
    vocabulary_path: Path,
    ids: Collection[str],
    problems: list[Diagnostic],
) -> Event | None:
    data = document.data
    event_id = document.id
    if not ID_RE.match(event_id):
        problems.append(
            document.error(
                (),
                f"the file name '{document.path.name}' is not a valid id: use lowercase letters, "
                f"digits and hyphens, e.g. '{slugify(event_id) or 'what-happened'}.yaml'",
            )
        )
    if not isinstance(data, dict):
        problems.append(document.error((), "an event file must be a YAML mapping of fields (title:, date:, ...)"))
        return None
    data = _normalise_years(data)
    problems.extend(schema_errors(document, data, "event"))

    for name in ("title", "summary", "body"):
        if isinstance(data.get(name), str) and "TODO" in data[name] and _PLACEHOLDER.search(data[name]):
            problems.append(document.error((name,), f"{name} still holds the TODO placeholder: write it in your own words"))
    date = _check_date(document, ("date",), data.get("date"), problems)
    if date is not None and document.path.parent.name != f"{date.year:04d}":
        problems.append(
            document.error(
                ("date",),
                f"the event starts in {date.year} but its file is in "
                f"{display_path(document.path.parent)}/; move it to events/{date.year:04d}/{document.path.name}",
            )
        )
    for i, tag in enumerate(_strings(data.get("tags"))):
        if ID_RE.match(tag) and tag not in tags:
            problems.append(
                document.error(
                    ("tags", i),
                    f"the tag '{tag}' is not in the vocabulary {display_path(vocabulary_path)}."
                    f"{did_you_mean(tag, list(tags))} Use a listed tag, or add '{tag}: <one-line description>' there",
                )
            )
    for i, other in enumerate(_strings(data.get("related"))):
        if other == event_id:
            problems.append(document.error(("related", i), "an event cannot be related to itself"))
        elif ID_RE.match(other) and other not in ids:
            problems.append(
                document.error(
                    ("related", i),
                    f"'related' names '{other}', but no event has that id."
                    f"{did_you_mean(other, sorted(ids))} An id is an event's file name without .yaml",
                )
            )
    sources = [
        _check_source(document, ("sources", i), raw, seeds, problems)
        for i, raw in enumerate(data.get("sources") or [])
        if isinstance(data.get("sources"), list)
    ]
    if problems or date is None:
        return None
    problems.extend(imported_warnings(document, data))
    return Event(
        id=event_id,
        path=document.path,
        title=data["title"].strip(),
        date=date,
        status=data["status"],
        summary=data["summary"],
        body=data.get("body"),
        tags=tuple(data.get("tags") or ()),
        actors=tuple(a.strip() for a in data.get("actors") or ()),
        places=tuple(Place(p["name"].strip(), p.get("lat"), p.get("lon")) for p in data.get("places") or ()),
        sources=tuple(s for s in sources if s is not None),
        related=tuple(data.get("related") or ()),
        imported=data.get(IMPORTED),
    )


# --- imported events: what they may lack, in one place -------------------------------

#: The key ``python build.py import`` marks an event with (its value: the format it came from). The
#: contributor removes it once the event has sources with quoted passages and a checked status.
IMPORTED = "imported"
_FORMAT_NAMES = {"timelinejs": "TimelineJS"}


def is_imported(data: Mapping[str, Any]) -> bool:
    """Whether an event document is marked imported: the one rule for what a draft may lack.

    An imported event may have no source yet (the schema's ``if``/``then``)
    and outside sources without a quote; any rule that requires quotes of
    outside sources applies only where this is False. Each such event is a
    warning (:func:`imported_warnings`), never an error, so that an import
    builds at once.
    """
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


def _check_source(
    document: Document, pointer: Pointer, raw: Any, seeds: Mapping[str, Seed], problems: list[Diagnostic]
) -> Source | None:
    if not isinstance(raw, dict):
        return None  # the schema reported it
    published = _check_date(document, pointer + ("published",), raw.get("published"), problems, span=False)
    seed = None
    seed_id = raw.get("seed")
    if isinstance(seed_id, str):
        seed = seeds.get(seed_id)
        if seed is None:
            problems.append(
                document.error(
                    pointer + ("seed",),
                    f"no seed '{seed_id}' in seeds/.{did_you_mean(seed_id, sorted(seeds))} "
                    f"A seed is a document archived as seeds/<seed-id>.txt",
                )
            )
        elif isinstance(raw.get("quote"), str) and not quote_found(raw["quote"], seed.text):
            problems.append(document.error(pointer + ("quote",), misquote_message(raw["quote"], seed.text, seed.id)))
    return Source(
        quote=raw.get("quote"),
        stance=raw.get("stance", "supports"),
        seed=seed,
        url=raw.get("url"),
        title=raw.get("title"),
        publisher=raw.get("publisher"),
        published=published,
        kind=raw.get("kind"),
        archive_url=raw.get("archive_url"),
    )


def _check_date(
    document: Document, pointer: Pointer, value: Any, problems: list[Diagnostic], *, span: bool = True
) -> EventDate | None:
    if not isinstance(value, str):
        return None  # missing or of the wrong type: the schema reported it
    try:
        date = parse_date(value)
    except DateError as exc:
        problems.append(document.error(pointer, f"{field_name(pointer)}: {exc}"))
        return None
    if date.is_span and not span:
        problems.append(document.error(pointer, f"{field_name(pointer)}: '{value}' is a span; a publication date is one date"))
        return None
    return date


def _normalise_years(data: dict[str, Any]) -> dict[str, Any]:
    """``date: 2015`` is a YAML integer; read it as the year it plainly means."""

    def year(value: Any) -> Any:
        return f"{value:04d}" if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000 else value

    sources = data.get("sources")
    if not isinstance(data.get("date"), int) and not (
        isinstance(sources, list) and any(isinstance(s, dict) and isinstance(s.get("published"), int) for s in sources)
    ):
        return data  # nothing to change (nearly always): no copy
    data = dict(data)
    if "date" in data:
        data["date"] = year(data["date"])
    if isinstance(data.get("sources"), list):
        data["sources"] = [
            dict(s, published=year(s["published"])) if isinstance(s, dict) and "published" in s else s for s in data["sources"]
        ]
    return data


def _strings(value: Any) -> Iterable[str]:
    return [v if isinstance(v, str) else "" for v in value] if isinstance(value, list) else []


# --- seeds and vocabulary -----------------------------------------------------


def _check_seeds(seed_files: Sequence[SeedFiles], problems: list[Diagnostic]) -> dict[str, Seed]:
    seeds: dict[str, Seed] = {}
    for files in seed_files:
        meta = files.meta
        if meta is None or files.text is None:
            continue
        if not isinstance(meta.data, dict):
            problems.append(meta.error((), "seed metadata must be a YAML mapping (title:, publisher:, ...)"))
            continue
        data = dict(meta.data)
        if isinstance(data.get("published"), int) and not isinstance(data.get("published"), bool):
            data["published"] = f"{data['published']:04d}"
        found = schema_errors(meta, data, "seed")
        published = _check_date(meta, ("published",), data.get("published"), found, span=False)
        problems.extend(found)
        if not found:
            seeds[files.id] = Seed(
                id=files.id,
                text=files.text,
                kind=data["kind"],
                title=data["title"],
                publisher=data["publisher"],
                author=data["author"],
                published=published,
                url=data["url"],
                notes=data.get("notes"),
            )
            problems.extend(internal_words(meta, SEED_TEXT))
    return seeds


def _check_vocabulary(document: Document | None, problems: list[Diagnostic]) -> dict[str, str]:
    if document is None:
        return {}
    if not isinstance(document.data, dict):
        problems.append(document.error((), "the tag vocabulary must be a mapping of 'tag: one-line description'"))
        return {}
    tags = {}
    for tag, description in document.data.items():
        if not ID_RE.match(tag):
            problems.append(
                document.error((tag,), f"the tag '{tag}' must be a lowercase slug like '{slugify(tag)}'", at_key=True)
            )
        elif not isinstance(description, str) or not description.strip():
            problems.append(document.error((tag,), f"the tag '{tag}' needs a one-line description as text", at_key=True))
        else:
            tags[tag] = description.strip()
    return tags
