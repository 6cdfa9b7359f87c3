"""Parts: a large timeline checked in parts, on every core.

Speed machinery for ``build.check``: each part's event files are loaded and
validated in a forked worker (this process takes the first part), and the
events come back pickled, their seeds named by id and joined again to this
process's seeds. Any problem hands over to the whole check, so that problems
are reported exactly as they always are.
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Mapping
from pathlib import Path

from ..diagnostics import ContentErrors, Diagnostic
from ..workers import fork_map
from .files import event_files, load_seeds, load_vocabulary
from .model import Event, Seed, Timeline
from .validate import validate
from .yamldoc import load_yaml

#: Below this many event files, checking in parts costs more than it saves.
PARTS_MIN_FILES = 2000


def check_in_parts(events_dir: Path, seeds_dir: Path, jobs: int) -> Timeline | None:
    """The timeline, its files loaded and validated in ``jobs`` parts at once; None if any part finds a problem.

    Each part is a run of event files, checked as ``build.check`` checks them
    (``related`` may name an event of another part); the events come back
    pickled, their seeds named by id and joined again to this process's seeds.
    When anything is wrong, ``build.check`` checks the whole timeline again in
    one piece, so that problems are reported exactly as they always are.
    """
    files, misplaced = event_files(events_dir)
    ids = [path.stem for path in files]
    if misplaced or len(files) < PARTS_MIN_FILES or len(set(ids)) != len(ids):
        return None
    seeds, seed_problems = load_seeds(seeds_dir)
    vocabulary, vocabulary_problems = load_vocabulary(events_dir)
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
            timeline = validate(documents, seeds, vocabulary, events_dir=events_dir, seeds_dir=seeds_dir, other_ids=all_ids)
        except ContentErrors:
            return None
        return timeline if os.getpid() == here else pickle_part(timeline)  # a worker's part is sent back

    first, *others = fork_map(check_part, parts)
    if not isinstance(first, Timeline) or not all(isinstance(other, bytes) for other in others):
        return None
    events, warnings = list(first.events), set(first.warnings)
    for other in others:
        more, found = unpickle_part(other, first.seeds)  # type: ignore[arg-type]
        events += more
        warnings.update(found)  # each part warns of the seeds too: once is enough
    return Timeline(tuple(sorted(events, key=lambda e: e.sort_key)), first.seeds, first.tags, tuple(sorted(warnings)))


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


def pickle_part(timeline: Timeline) -> bytes:
    """A part's events and warnings, to send to the process that has the same seeds."""
    out = io.BytesIO()
    _EventPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump((timeline.events, timeline.warnings))
    return out.getvalue()


def unpickle_part(data: bytes, seeds: Mapping[str, Seed]) -> tuple[tuple[Event, ...], tuple[Diagnostic, ...]]:
    part: tuple[tuple[Event, ...], tuple[Diagnostic, ...]] = _EventUnpickler(data, seeds).load()
    return part
