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

import difflib
import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from .diagnostics import ContentErrors, Diagnostic, did_you_mean, display_path, one_of
from .load import Document, Pointer, SeedFiles
from .model import DateError, Event, EventDate, Place, Seed, Source, Timeline, parse_date

if TYPE_CHECKING:
    import jsonschema

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PLACEHOLDER = re.compile(r"\bTODO\b")  # what `build.py new` leaves for the contributor to replace

# What to write for a missing field, shown with the error.
_EXAMPLES = {
    "title": "title: CJNG gunmen shoot down a military helicopter",
    "date": 'date: "2015-05-01"',
    "status": "status: reported",
    "summary": 'summary: "One paragraph in your own words."',
    "sources": 'sources: [{seed: <seed-id>, quote: "a passage copied from the seed"}]',
    "name": 'name: "Tapalpa, Jalisco"',
    "kind": "kind: news",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped with the package: 'event' or 'seed'."""
    text = resources.files("chronicle").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    import jsonschema  # only for a document already found invalid: importing it costs 60 ms

    return jsonschema.Draft7Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    return jsonschema_rs.Draft7Validator(schema(name))


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
            entry = (document, _check_event(document, seeds, tags, vocabulary_path, nameable, found), tuple(found))
        checked[id(document)] = entry
        event, found_here = entry[1], entry[2]
        problems.extend(found_here)
        if event is not None and not found_here:
            events.append(event)
    memo.context, memo.events = context, checked
    if problems:
        raise ContentErrors(problems)
    keys: dict[int, tuple[Event, Any]] = {}
    for event in events:  # each event's sort key, computed once per Event object
        known = memo.sort_keys.get(id(event))
        keys[id(event)] = known if known is not None and known[0] is event else (event, event.sort_key)
    memo.sort_keys = keys
    order = sorted(range(len(events)), key=[keys[id(e)][1] for e in events].__getitem__)
    return Timeline(tuple(events[i] for i in order), seeds, tags)


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
    )


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
        elif isinstance(raw.get("quote"), str) and not quote_found(raw["quote"], seed):
            problems.append(document.error(pointer + ("quote",), _misquote_message(raw["quote"], seed)))
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
        problems.append(document.error(pointer, f"{_field_name(pointer)}: {exc}"))
        return None
    if date.is_span and not span:
        problems.append(document.error(pointer, f"{_field_name(pointer)}: '{value}' is a span; a publication date is one date"))
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


# --- quotes ------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "′": "'",
        "″": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as compared for quotes: NFC, typographic quotes made plain, white space runs as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_FOLD)).strip()


@cache
def _folded_seed(text: str) -> str:
    return fold(text)


def quote_found(quote: str, seed: Seed) -> bool:
    """Is the quote in the seed? Quotation marks around the whole quote are not part of it."""
    return fold(quote).strip("\"'") in _folded_seed(seed.text)


def _misquote_message(quote: str, seed: Seed) -> str:
    message = f"the quote is not in seed {seed.id} (compared with white space and typographic quotes folded)"
    words = fold(quote).split(" ")
    haystack = _folded_seed(seed.text)
    for probe in (" ".join(words[:4]), " ".join(words[-4:])):
        at = haystack.find(probe) if len(words) >= 4 else -1
        if at >= 0:
            start = at if probe == " ".join(words[:4]) else max(0, at + len(probe) - len(fold(quote)))
            end = haystack.find(" ", start + len(fold(quote)))
            passage = haystack[start : end if end >= 0 else len(haystack)]
            return f'{message}; the seed has here: "{passage}". Copy the passage exactly'
    return f"{message}. Copy a passage from seeds/{seed.id}.txt exactly"


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


# --- JSON Schema errors, in words ---------------------------------------------


def schema_errors(document: Document, data: Any, name: str) -> list[Diagnostic]:
    """Every schema error of ``data``, as diagnostics with a fix.

    jsonschema-rs (Rust) answers whether a document is valid hundreds of times
    faster; only an invalid one goes through jsonschema, whose detailed errors
    are translated into words here.
    """
    if _fast_validator(name).is_valid(data):
        return []
    errors = list(_validator(name).iter_errors(data))
    # A misspelt key is reported once, as unknown with its suggestion, not again as missing.
    misspelt = {
        (tuple(error.absolute_path), suggestion)
        for error in errors
        if error.validator == "additionalProperties"
        for key in error.instance
        if key not in error.schema.get("properties", {})
        for suggestion in difflib.get_close_matches(key, list(error.schema.get("properties", {})), n=1, cutoff=0.6)
    }
    problems = []
    for error in errors:
        pointer: Pointer = tuple(error.absolute_path)
        for message, target, at_key in _explain(error, pointer, name, {k for p, k in misspelt if p == pointer}):
            problems.append(document.error(target, message, at_key=at_key))
    return problems


def _explain(
    error: jsonschema.ValidationError, pointer: Pointer, name: str, misspelt: set[str]
) -> list[tuple[str, Pointer, bool]]:
    field = _field_name(pointer)
    value = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        where = (
            "in a source"
            if pointer and pointer[0] == "sources"
            else "in a place"
            if pointer and pointer[0] == "places"
            else f"in {_article(name)}"
        )
        return [
            (f"unknown key '{key}' {where}.{did_you_mean(key, allowed)} Allowed keys: {one_of(allowed)}", pointer + (key,), True)
            for key in value
            if key not in allowed
        ]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in value and k not in misspelt]
        hint = lambda k: f": add '{_EXAMPLES[k]}'" if k in _EXAMPLES else ""  # noqa: E731
        where = f" in {field}" if pointer else ""
        return [(f"missing required key '{k}'{where}{hint(k)}", pointer, False) for k in missing]
    if kind == "oneOf" and pointer[:1] == ("sources",):
        if misspelt & {"seed", "url", "quote", "title"}:
            return []  # the misspelt key is the problem
        return [(_source_shape(value, field), pointer, False)]
    if kind == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        words = {"string": "text", "array": "a list", "object": "a mapping", "number": "a number", "null": "null"}
        wanted = " or ".join(words.get(w, w) for w in wanted.split(" or "))
        return [(f"{field} must be {wanted}, not {_describe(value)}{_type_hint(pointer, value)}", pointer, False)]
    if kind == "enum":
        allowed = [str(v) for v in error.validator_value]
        return [
            (
                f"{field} is '{value}', which is not allowed.{did_you_mean(str(value), allowed)} Use {one_of(allowed)}",
                pointer,
                False,
            )
        ]
    if kind == "pattern":
        if pointer[-1:] in (("date",), ("published",)):
            return []  # parse_date explains dates better
        if pointer[-1:] in (("url",), ("archive_url",)):
            return [(f"{field} '{value}' must be an http:// or https:// address", pointer, False)]
        return [
            (
                f"{field} '{value}' must be a lowercase slug (letters, digits, hyphens), e.g. '{slugify(str(value))}'",
                pointer,
                False,
            )
        ]
    if kind == "minItems":
        return [(f"{field} must have at least {error.validator_value} item(s): add a source with a quote", pointer, False)]
    if kind == "minLength":
        return [(f"{field} must not be empty", pointer, False)]
    if kind == "maxLength":
        return [
            (
                f"{field} is {len(value)} characters long; keep it under {error.validator_value}: put details in the summary",
                pointer,
                False,
            )
        ]
    if kind == "uniqueItems":
        seen: set[Any] = set()
        dupes = [v for v in value if (repr(v) in seen) or seen.add(repr(v))]  # type: ignore[func-returns-value]
        return [(f"{field} lists {', '.join(repr(d) for d in dupes)} more than once: remove the repeat", pointer, False)]
    if kind in ("minimum", "maximum"):
        return [(f"{field} is {value}, out of range: {error.message}", pointer, False)]
    return [(f"{field}: {error.message}", pointer, False)]


def _source_shape(source: dict[str, Any], field: str) -> str:
    outside_only = [k for k in ("url", "title", "publisher", "published", "kind", "archive_url") if k in source]
    if "seed" in source and "url" in source:
        return f"{field} has both 'seed' and 'url': a source is either a seed or an outside URL; split it into two sources"
    if "seed" in source:
        if "quote" not in source:
            return f"{field} cites seed '{source['seed']}' without a quote: add 'quote:' with a passage copied from the seed"
        return (
            f"{field} cites a seed, so {one_of(outside_only)} must go: a seed's title, publisher and date "
            f"come from seeds/{source['seed']}.yaml"
        )
    if "url" in source:
        return f"{field} cites a URL without a title: add 'title:' (the page's title)"
    return f"{field} needs 'seed:' (a document in seeds/) with 'quote:', or 'url:' with 'title:'"


def _field_name(pointer: Pointer) -> str:
    if not pointer:
        return "the file"
    name = str(pointer[0])
    for part in pointer[1:]:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return name


def _describe(value: Any) -> str:
    if value is None:
        return "empty (null)"
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), type(value).__name__)


def _type_hint(pointer: Pointer, value: Any) -> str:
    if isinstance(value, str) and pointer[-1:] in (("tags",), ("actors",), ("related",), ("sources",), ("places",)):
        return (
            f": write a list, e.g. [{value}]"
            if pointer[-1] != "sources"
            else ": write a list of sources, each starting with '- '"
        )
    if value is None:
        return ": give it a value or remove the key"
    if isinstance(value, dict | list) and pointer[-1:] in (("summary",), ("title",), ("body",), ("quote",)):
        return ": text containing ': ' or starting with '- ' or '[' must be quoted, or use '>' for a paragraph"
    return ""


def _article(name: str) -> str:
    return {"event": "an event", "seed": "seed metadata"}.get(name, name)


def slugify(text: str) -> str:
    """'El Mencho Killed!' -> 'el-mencho-killed' (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
