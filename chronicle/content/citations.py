"""Citations: the sources an event cites, and the archived documents (seeds) they may quote.

A source is a seed with a passage quoted from its text, or an outside
address with its title and a quoted passage: every source shows the words it
is cited for. A quote from a seed must be found in the seed's text
(:mod:`chronicle.content.quotes`). Addresses must be plain http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, did_you_mean, display_path
from .dates import DateError, EventDate, parse_date
from .files import SeedFiles
from .model import Seed, Source
from .quotes import misquote_message, quote_found
from .schema import field_name, is_sound, schema_check, unexplained
from .wording import SEED_TEXT, internal_words
from .yamldoc import Document, Pointer


@dataclass(frozen=True)
class Archive:
    """The seeds an event may cite, and what to say when one is not there."""

    seeds: Mapping[str, Seed]
    unreadable: frozenset[str] = frozenset()  # seeds that exist but could not be read (reported at the seed)
    folder: Path = Path("seeds")
    missing: bool = False  # there is no seeds folder (reported once: see missing_archive)


def check_source(
    document: Document, pointer: Pointer, raw: Any, archive: Archive, bad: set[Pointer], problems: list[Diagnostic]
) -> Source | None:
    """One source of an event, checked; None when it is not a mapping (the schema says so)."""
    if not isinstance(raw, dict) or not is_sound(pointer, bad):
        return None
    published = check_date(document, pointer + ("published",), raw.get("published"), problems, span=False)
    seed = None
    seed_id = raw.get("seed")
    if isinstance(seed_id, str):
        seed = archive.seeds.get(seed_id)
        if seed is None and not archive.missing and seed_id not in archive.unreadable:
            problems.append(
                document.error(
                    pointer + ("seed",),
                    f"no seed '{seed_id}' in {display_path(archive.folder)}/.{did_you_mean(seed_id, sorted(archive.seeds))} "
                    f"A seed is a document archived as seeds/<seed-id>.txt",
                )
            )
        elif seed is not None and isinstance(raw.get("quote"), str) and not quote_found(raw["quote"], seed.text):
            problems.append(document.error(pointer + ("quote",), misquote_message(raw["quote"], seed.text, seed.id)))
    for key in ("url", "archive_url"):
        if isinstance(raw.get(key), str) and not is_web_address(raw[key]):
            problems.append(
                document.error(pointer + (key,), f"{field_name(pointer + (key,))} must be one http:// or https:// address")
            )
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


def unquoted_sources(document: Document, sources: Sequence[Any], bad: set[Pointer]) -> list[Diagnostic]:
    """Every source shows the passage it is cited for: an outside source without a quote is an error."""
    return [
        document.error(
            ("sources", i),
            f"sources[{i}] has no quote: add 'quote:' with the passage of the source that supports the event, copied exactly",
        )
        for i, raw in enumerate(sources)
        if isinstance(raw, dict) and is_sound(("sources", i), bad) and "quote" not in raw
    ]


def missing_archive(documents: Sequence[Document], archive: Archive) -> list[Diagnostic]:
    """One error when events cite seeds and there is no seeds folder, rather than one per citation."""
    if not archive.missing:
        return []
    citing = [
        document
        for document in documents
        if isinstance(document.data, dict)
        and isinstance(document.data.get("sources"), list)
        and any(isinstance(s, dict) and "seed" in s for s in document.data["sources"])
    ]
    if not citing:
        return []
    return [
        Diagnostic(
            archive.folder,
            1,
            1,
            f"the seeds folder does not exist, and {len(citing)} event file{'s' * (len(citing) != 1)} cite seeds "
            f"(e.g. {display_path(citing[0].path)}); add the folder with the archived documents",
        )
    ]


def is_web_address(text: str) -> bool:
    """One http(s) URL with a host, and nothing else (no white space or control characters anywhere)."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_date(
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


def check_seeds(seed_files: Sequence[SeedFiles], problems: list[Diagnostic]) -> dict[str, Seed]:
    """The seeds whose text and metadata are both readable and right."""
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
        found, bad = schema_check(meta, data, "seed")
        published = None
        if is_sound(("published",), bad):
            published = check_date(meta, ("published",), data.get("published"), found, span=False)
        if not found and isinstance(data.get("url"), str) and not is_web_address(data["url"]):
            found.append(meta.error(("url",), "url must be one http:// or https:// address, or null"))
        if not found:
            found += unexplained(meta, bad, "seed")
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


def unreadable_seeds(seed_files: Collection[SeedFiles], seeds: Mapping[str, Seed]) -> frozenset[str]:
    """Seeds that are there but could not be made (their problem is reported at the seed's files)."""
    return frozenset(files.id for files in seed_files if files.id not in seeds)
