"""Build: the whole pipeline, top to bottom.

Everything is gathered and checked before anything is written (a content error
leaves the previous site as it was), and the same input always gives the same
bytes. ``build`` renders the pages straight into the staging folder, on every
core (:func:`chronicle.render.write_pages`); the live preview renders into
memory instead (:func:`site_files`) and writes with :func:`publish`. Both give
the same files.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import BuildConfig
from .diagnostics import ContentErrors
from .load import Listing, Reader, event_files, load_events, load_seeds, load_vocabulary, load_yaml
from .model import Event, Seed, Timeline
from .provenance import Provenance, event_provenance
from .render import Renderer, render_site, write_pages
from .search import index_pages, manifest_files
from .validate import Memo, validate
from .workers import cores, fork_map
from .write import staged_output, write_files


@dataclass(frozen=True)
class BuildResult:
    timeline: Timeline
    files: int


def check(
    config: BuildConfig, read: Reader | None = None, memo: Memo | None = None, *, jobs: int = 1, listing: Listing | None = None
) -> Timeline:
    """Load and validate the content; raise :class:`ContentErrors` listing every problem.

    ``read`` reads one YAML file; the live preview passes a cache that re-reads
    only changed files, and a ``memo`` of the last validation, so that only
    changed documents are checked again, and the ``listing`` of event files
    when it knows that no file was added or removed. With ``jobs`` above 1 a
    large timeline is checked in that many parts at once (:func:`check_in_parts`).
    """
    if jobs > 1 and read is None and memo is None:
        timeline = check_in_parts(config, jobs)
        if timeline is not None:
            return timeline
    documents, load_problems = load_events(config.events_dir, read, listing)
    seeds, seed_problems = load_seeds(config.seeds_dir)
    vocabulary, vocabulary_problems = load_vocabulary(config.events_dir, read)
    problems = load_problems + seed_problems + vocabulary_problems
    try:
        timeline = validate(documents, seeds, vocabulary, events_dir=config.events_dir, memo=memo)
    except ContentErrors as errors:
        raise ContentErrors(problems + list(errors.diagnostics)) from None
    if problems:
        raise ContentErrors(problems)
    return timeline


#: Below this many event files, checking in parts costs more than it saves.
PARTS_MIN_FILES = 2000


def check_in_parts(config: BuildConfig, jobs: int) -> Timeline | None:
    """The timeline, its files loaded and validated in ``jobs`` parts at once; None if any part finds a problem.

    Each part is a run of event files, checked as :func:`check` checks them
    (``related`` may name an event of another part); the events come back
    pickled, their seeds named by id and joined again to this process's seeds.
    When anything is wrong, :func:`check` checks the whole timeline again in
    one piece, so that problems are reported exactly as they always are.
    """
    files, misplaced = event_files(config.events_dir)
    ids = [path.stem for path in files]
    if misplaced or len(files) < PARTS_MIN_FILES or len(set(ids)) != len(ids):
        return None
    seeds, seed_problems = load_seeds(config.seeds_dir)
    vocabulary, vocabulary_problems = load_vocabulary(config.events_dir)
    if seed_problems or vocabulary_problems:
        return None
    size = -(-len(files) // jobs)
    parts = [files[at : at + size] for at in range(0, len(files), size)]
    all_ids = frozenset(ids)

    here = os.getpid()

    def check_part(part: list[Path]) -> Timeline | bytes | None:
        documents = []
        for path in part:
            document, problems = load_yaml(path)
            if problems or document is None:
                return None
            documents.append(document)
        try:
            timeline = validate(documents, seeds, vocabulary, events_dir=config.events_dir, other_ids=all_ids)
        except ContentErrors:
            return None
        return timeline if os.getpid() == here else pickle_events(timeline.events)  # a worker's part is sent back

    first, *others = fork_map(check_part, parts)
    if not isinstance(first, Timeline) or not all(isinstance(other, bytes) for other in others):
        return None
    events = [*first.events, *(event for other in others for event in unpickle_events(other, first.seeds))]  # type: ignore[arg-type]
    return Timeline(tuple(sorted(events, key=lambda e: e.sort_key)), first.seeds, first.tags)


def site_files(timeline: Timeline, config: BuildConfig) -> dict[str, bytes]:
    """Every file of the site but the search index, in memory."""
    return render_site(timeline, config.site, config.templates_dir, provenance=provenance(config)) | manifest_files(timeline)


def provenance(config: BuildConfig) -> dict[str, Provenance]:
    site = config.site
    return event_provenance(config.events_dir, repository_url=site.repository_url, branch=site.repository_branch)


def publish(files: Mapping[str, bytes], event_ids: Sequence[str], config: BuildConfig) -> None:
    """Write the files and the search index into a staging folder, then swap it into ``output/``."""
    with staged_output(config.output_dir) as staging:
        write_files(files, staging)
        if config.search_index:
            index_pages(staging, event_ids)


def build(config: BuildConfig, *, jobs: int | None = None) -> BuildResult:
    """Check, then render every page into a staging folder, index it, and swap it into ``output/``.

    ``jobs`` is the number of processes checking and rendering (default: every
    core for a large site, see :func:`check_in_parts` and
    :func:`chronicle.render.default_jobs`).
    """
    timeline = check(config, jobs=jobs or cores())
    renderer = Renderer(timeline, config.site, config.templates_dir, provenance=provenance(config))
    data = manifest_files(timeline)
    with staged_output(config.output_dir) as staging:
        written = write_pages(renderer, staging, jobs=jobs)
        write_files(data, staging)
        if config.search_index:
            index_pages(staging, [e.id for e in timeline.events])
    return BuildResult(timeline, written + len(data))


# --- events between processes ---------------------------------------------------------


class _EventPickler(pickle.Pickler):
    """Pickles events with each seed named by its id: the receiving process has the same seeds."""

    def persistent_id(self, obj: object) -> str | None:
        return obj.id if type(obj) is Seed else None


class _EventUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, seeds: Mapping[str, Seed]):
        super().__init__(io.BytesIO(data))
        self._seeds = seeds

    def persistent_load(self, pid: object) -> Seed:
        return self._seeds[str(pid)]


def pickle_events(events: Sequence[Event]) -> bytes:
    out = io.BytesIO()
    _EventPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(tuple(events))
    return out.getvalue()


def unpickle_events(data: bytes, seeds: Mapping[str, Seed]) -> tuple[Event, ...]:
    events: tuple[Event, ...] = _EventUnpickler(data, seeds).load()
    return events
