"""Validate: check documents against the content contract and build the model.

Two layers of checks, all gathered before anything is reported:

1. the JSON Schema (``schemas/event.schema.json``, published for editors as
   ``events/event.schema.json``), with every jsonschema error translated into a
   message that names the field, the bad value, what is allowed and the fix;
2. what a schema cannot say: valid calendar dates and spans in order, unique
   ids, files in the folder of their year, seeds that exist, quotes found in the
   seed's text, tags in the vocabulary, ``related`` ids that exist, names that
   are visible text and written one way across the timeline, coordinates that
   are numbers. These look only at values the schema found of the right type
   (:func:`chronicle.content.schema.is_sound`).

A problem whose cause is elsewhere is reported once, at its cause: no seeds
folder, a tag vocabulary that does not parse, a seed that cannot be read.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..diagnostics import ContentErrors, Diagnostic, did_you_mean, display_path
from .citations import Archive, check_date, check_seeds, check_source, missing_archive, unquoted_sources, unreadable_seeds
from .files import SeedFiles
from .imported import IMPORTED, imported_warnings, is_imported
from .model import Event, Place, Seed, Timeline
from .names import is_id, name_key, name_problem, slugify
from .schema import is_sound, schema_check, unexplained
from .wording import EVENT_TEXT, internal_words
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
    context: _Rules | None = None
    events: dict[int, tuple[Document, Event | None, tuple[Diagnostic, ...]]] = field(default_factory=dict)
    sort_keys: dict[int, tuple[Event, Any]] = field(default_factory=dict)


def validate(
    event_documents: Sequence[Document],
    seed_files: Sequence[SeedFiles],
    vocabulary: Document | None,
    *,
    events_dir: Path,
    seeds_dir: Path | None = None,
    vocabulary_broken: bool = False,
    memo: Memo | None = None,
    other_ids: Collection[str] = (),
) -> Timeline:
    """Check everything; return the :class:`Timeline` or raise :class:`ContentErrors`.

    ``seeds_dir``: the seeds folder, when known (a missing one is reported
    once). ``vocabulary_broken``: the tag vocabulary exists but could not be
    read (its error is reported; events' tags are not checked against it).
    ``memo`` (the live preview's) carries the results of the previous call:
    only what changed is checked again. ``other_ids`` are the ids of events
    checked elsewhere (another part of a timeline checked in parts,
    ``build.check``), which ``related`` may name.
    """
    memo = memo if memo is not None else Memo()
    problems: list[Diagnostic] = []
    seeds_input = tuple((f.id, f.text_path, f.text, f.meta.path if f.meta else None, f.meta.text if f.meta else None)
                        for f in seed_files)  # fmt: skip
    if seeds_input != memo.seeds_input:
        found_for_seeds: list[Diagnostic] = []
        memo.seeds, memo.seeds_input = check_seeds(seed_files, found_for_seeds), seeds_input
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
    archive = Archive(
        seeds,
        unreadable_seeds(seed_files, seeds),
        seeds_dir or Path("seeds"),
        missing=seeds_dir is not None and not seeds_dir.is_dir(),
    )
    problems.extend(missing_archive(event_documents, archive))

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
    rules = _Rules(archive, tags, vocabulary_path, vocabulary_broken, frozenset(nameable))
    same_context = memo.context is not None and memo.context == rules
    checked: dict[int, tuple[Document, Event | None, tuple[Diagnostic, ...]]] = {}
    events = []
    for document in event_documents:
        entry = memo.events.get(id(document)) if same_context else None
        if entry is None or entry[0] is not document:
            found: list[Diagnostic] = []
            event = _check_event(document, rules, found)
            if event is None and not any(d.is_error for d in found):  # never drop an event without saying why
                found.append(document.error((), "this file could not be read as an event; please report it as a bug"))
            if isinstance(document.data, dict):
                found += internal_words(document, EVENT_TEXT)
            entry = (document, event, tuple(found))
        checked[id(document)] = entry
        event, found_here = entry[1], entry[2]
        problems.extend(found_here)
        if event is not None and not any(d.is_error for d in found_here):
            events.append(event)
    memo.context, memo.events = rules, checked
    problems.extend(_names_written_two_ways(checked.values()))
    if any(d.is_error for d in problems):
        raise ContentErrors(problems)
    keys: dict[int, tuple[Event, Any]] = {}
    for event in events:  # each event's sort key, computed once per Event object
        known = memo.sort_keys.get(id(event))
        keys[id(event)] = known if known is not None and known[0] is event else (event, event.sort_key)
    memo.sort_keys = keys
    order = sorted(range(len(events)), key=[keys[id(e)][1] for e in events].__getitem__)
    return Timeline(tuple(events[i] for i in order), seeds, tags, tuple(sorted(set(problems))))


@dataclass(frozen=True)
class _Rules:
    """What an event's checks read besides the event: equal rules give equal results (the preview's memo)."""

    archive: Archive
    tags: Mapping[str, str]
    vocabulary_path: Path
    vocabulary_broken: bool
    ids: frozenset[str]


# --- events ------------------------------------------------------------------


def _check_event(document: Document, rules: _Rules, problems: list[Diagnostic]) -> Event | None:
    data = document.data
    event_id = document.id
    if not is_id(event_id):
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
    found, bad = schema_check(document, data, "event")
    problems.extend(found)

    for name in ("title", "summary", "body"):
        if isinstance(data.get(name), str) and "TODO" in data[name] and _PLACEHOLDER.search(data[name]):
            problems.append(document.error((name,), f"{name} still holds the TODO placeholder: write it in your own words"))
    date = check_date(document, ("date",), data.get("date"), problems) if is_sound(("date",), bad) else None
    if date is not None and document.path.parent.name != f"{date.year:04d}":
        problems.append(
            document.error(
                ("date",),
                f"the event starts in {date.year} but its file is in "
                f"{display_path(document.path.parent)}/; move it to events/{date.year:04d}/{document.path.name}",
            )
        )
    for i, tag in _sound_strings(data, "tags", bad):
        if not rules.vocabulary_broken and tag not in rules.tags:
            problems.append(
                document.error(
                    ("tags", i),
                    f"the tag '{tag}' is not in the vocabulary {display_path(rules.vocabulary_path)}."
                    f"{did_you_mean(tag, list(rules.tags))} Use a listed tag, or add '{tag}: <one-line description>' there",
                )
            )
    for i, other in _sound_strings(data, "related", bad):
        if other == event_id:
            problems.append(document.error(("related", i), "an event cannot be related to itself"))
        elif not is_id(other):
            problems.append(document.error(("related", i), f"related[{i}] must be an event's id: its file name without .yaml"))
        elif other not in rules.ids:
            problems.append(
                document.error(
                    ("related", i),
                    f"'related' names '{other}', but no event has that id."
                    f"{did_you_mean(other, sorted(rules.ids))} An id is an event's file name without .yaml",
                )
            )
    for i, actor in _sound_strings(data, "actors", bad):
        problem = name_problem(actor)
        if problem:
            problems.append(document.error(("actors", i), f"the actor '{actor}' {problem}"))
    places = data.get("places") if is_sound(("places",), bad) else None
    for i, place in enumerate(places if isinstance(places, list) else ()):
        problems.extend(_place_problems(document, ("places", i), place, bad))
    raw_sources = data.get("sources") if is_sound(("sources",), bad) else None
    raw_sources = raw_sources if isinstance(raw_sources, list) else []
    sources = [check_source(document, ("sources", i), raw, rules.archive, bad, problems) for i, raw in enumerate(raw_sources)]
    if not is_imported(data):  # an imported event may cite sources without quotes yet: a warning (content/imported.py)
        problems.extend(unquoted_sources(document, raw_sources, bad))
    if not any(d.is_error for d in problems):
        problems.extend(unexplained(document, bad, "event"))
    if any(d.is_error for d in problems) or date is None:
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


def _place_problems(document: Document, pointer: Pointer, place: Any, bad: set[Pointer]) -> list[Diagnostic]:
    if not isinstance(place, dict) or not is_sound(pointer, bad):
        return []
    found = []
    name = place.get("name")
    problem = name_problem(name) if isinstance(name, str) else None
    if problem:
        found.append(document.error(pointer + ("name",), f"the place '{name}' {problem}"))
    for key, limit in (("lat", 90), ("lon", 180)):
        value = place.get(key)
        if isinstance(value, float) and not math.isfinite(value):
            found.append(document.error(pointer + (key,), f"{key} must be a number from -{limit} to {limit}, not {value}"))
    return found


def _names_written_two_ways(entries: Iterable[tuple[Document, Event | None, tuple[Diagnostic, ...]]]) -> list[Diagnostic]:
    """An actor or a place written two ways ('CJNG', 'cjng') would be two pages: each other way is an error.

    The way most events write it is the one to keep (the first in file order on a tie).
    """
    entries = list(entries)
    events = [event for _, event, _ in entries if event is not None]
    # First, cheaply, over the distinct names only: is any name written two ways at all? (nearly never)
    actors: set[str] = set().union(*(event.actors for event in events))
    place_names = {place.name for event in events for place in event.places}
    keys = [("actor", _key(name)) for name in actors] + [("place", _key(name)) for name in place_names]
    if len(set(keys)) == len(keys):
        return []
    uses: dict[tuple[str, str], dict[str, list[tuple[Document, Pointer]]]] = defaultdict(lambda: defaultdict(list))
    for document, event, _ in sorted(entries, key=lambda entry: entry[0].path):
        if event is None:
            continue
        for i, actor in enumerate(event.actors):
            uses["actor", _key(actor)][actor].append((document, ("actors", i)))
        for i, place in enumerate(event.places):
            uses["place", _key(place.name)][place.name].append((document, ("places", i, "name")))
    problems = []
    for (kind, _), spellings in uses.items():
        if len(spellings) < 2:
            continue
        kept = max(spellings, key=lambda spelling: len(spellings[spelling]))  # the first of the most used, in file order
        example = display_path(spellings[kept][0][0].path)
        for spelling, places in spellings.items():
            if spelling == kept:
                continue
            for document, pointer in places:
                message = (
                    f"the {kind} '{spelling}' is written '{kept}' in {len(spellings[kept])} other place"
                    f"{'s' * (len(spellings[kept]) != 1)} (e.g. {example}); write it one way, or it becomes two pages"
                )
                problems.append(document.error(pointer, message))
    return problems


_key = lru_cache(maxsize=65536)(name_key)  # a timeline writes the same few names many times


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


def _sound_strings(data: dict[str, Any], key: str, bad: set[Pointer]) -> Iterable[tuple[int, str]]:
    """The text items of a list field that the schema found right."""
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str) and is_sound((key, i), bad)]


# --- the vocabulary -------------------------------------------------------------


def _check_vocabulary(document: Document | None, problems: list[Diagnostic]) -> dict[str, str]:
    if document is None:
        return {}
    if not isinstance(document.data, dict):
        problems.append(document.error((), "the tag vocabulary must be a mapping of 'tag: one-line description'"))
        return {}
    tags = {}
    for tag, description in document.data.items():
        if not is_id(tag):
            problems.append(
                document.error((tag,), f"the tag '{tag}' must be a lowercase slug like '{slugify(tag)}'", at_key=True)
            )
        elif not isinstance(description, str) or not description.strip():
            problems.append(document.error((tag,), f"the tag '{tag}' needs a one-line description as text", at_key=True))
        else:
            tags[tag] = description.strip()
    return tags
