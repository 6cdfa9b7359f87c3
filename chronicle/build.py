"""Build: the whole pipeline, top to bottom.

Everything is gathered and checked before anything is written (a content error
leaves the previous site as it was), and the same input always gives the same
bytes. ``build`` renders the pages straight into the staging folder, on every
core (:func:`chronicle.render.write_pages`); the live preview renders into
memory instead (:func:`site_files`) and writes with :func:`publish`. Both give
the same files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import BuildConfig
from .diagnostics import ContentErrors
from .load import Reader, load_events, load_seeds, load_vocabulary
from .model import Timeline
from .provenance import Provenance, event_provenance
from .render import Renderer, render_site, write_pages
from .search import index_pages, manifest_files
from .validate import Memo, validate
from .write import staged_output, write_files


@dataclass(frozen=True)
class BuildResult:
    timeline: Timeline
    files: int


def check(config: BuildConfig, read: Reader | None = None, memo: Memo | None = None) -> Timeline:
    """Load and validate the content; raise :class:`ContentErrors` listing every problem.

    ``read`` reads one YAML file; the live preview passes a cache that re-reads
    only changed files, and a ``memo`` of the last validation, so that only
    changed documents are checked again.
    """
    documents, load_problems = load_events(config.events_dir, read)
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

    ``jobs`` is the number of processes rendering (default: every core for a
    large site, see :func:`chronicle.render.default_jobs`).
    """
    timeline = check(config)
    renderer = Renderer(timeline, config.site, config.templates_dir, provenance=provenance(config))
    data = manifest_files(timeline)
    with staged_output(config.output_dir) as staging:
        written = write_pages(renderer, staging, jobs=jobs)
        write_files(data, staging)
        if config.search_index:
            index_pages(staging, [e.id for e in timeline.events])
    return BuildResult(timeline, written + len(data))
