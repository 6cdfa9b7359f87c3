"""Build: the whole pipeline, top to bottom.

Everything is gathered and checked before anything is written (a content error
leaves the previous site as it was), and the same input always gives the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import BuildConfig
from .diagnostics import ContentErrors
from .load import load_events, load_seeds, load_vocabulary
from .model import Timeline
from .render import render_site
from .search import index_pages, manifest_files
from .validate import validate
from .write import staged_output, write_files


@dataclass(frozen=True)
class BuildResult:
    timeline: Timeline
    files: int


def check(config: BuildConfig) -> Timeline:
    """Load and validate the content; raise :class:`ContentErrors` listing every problem."""
    documents, load_problems = load_events(config.events_dir)
    seeds, seed_problems = load_seeds(config.seeds_dir)
    vocabulary, vocabulary_problems = load_vocabulary(config.events_dir)
    problems = load_problems + seed_problems + vocabulary_problems
    try:
        timeline = validate(documents, seeds, vocabulary, events_dir=config.events_dir)
    except ContentErrors as errors:
        raise ContentErrors(problems + list(errors.diagnostics)) from None
    if problems:
        raise ContentErrors(problems)
    return timeline


def build(config: BuildConfig) -> BuildResult:
    timeline = check(config)
    files = render_site(timeline, config.site, config.templates_dir) | manifest_files(timeline)
    with staged_output(config.output_dir) as staging:
        write_files(files, staging)
        if config.search_index:
            index_pages(staging, [e.id for e in timeline.events])
    return BuildResult(timeline, len(files))
