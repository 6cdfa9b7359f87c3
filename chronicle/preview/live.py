"""The live site: the pipeline as the preview runs it, keeping what an edit leaves unchanged.

``build``'s stages, with unchanged files taken from a cache, unchanged events
from the last validation and unchanged pages from the last render; the last
good site is kept in memory and served (:mod:`chronicle.preview.serve`).
"""

from __future__ import annotations

import gc
import time
import traceback
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..build import check, plan_site, provenance_of, publish, start_index
from ..config import BuildConfig
from ..content.files import VOCABULARY_FILE, Listing, event_files
from ..content.model import Event, Timeline
from ..content.provenance import Provenance, repository_head
from ..content.validate import Memo
from ..diagnostics import ContentErrors, Diagnostic, display_path
from ..exchange.outputs import DATA_FILES, exchange_chunks
from ..exchange.pieces import Pieces
from ..site import build_state
from ..site.embed_data import embed_files
from ..site.facets import list_files, manifest_files
from ..site.markdown_cache import convert_all, markdown_texts
from ..site.markup import Markdown
from ..site.search import SearchIndexError, search_documents
from ..site.write import join_chunks, write_files
from ..workers import cores
from . import cache as cached
from .incremental import Cancelled, RenderMemo, render_changed, rerender, text_edits
from .later import Later, LaterFiles, differs


@dataclass(frozen=True)
class SiteState:
    """What the preview serves: the last good build, and the last build's errors if it failed."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    event_ids: tuple[str, ...] = ()  # in timeline order
    timeline: Timeline | None = None  # of a good build: its events are indexed when output/ is written
    diagnostics: tuple[Diagnostic, ...] = ()
    crash: str = ""  # a traceback, when the pipeline itself failed

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics or self.crash)


@dataclass(frozen=True)
class Outcome:
    """One rebuild, for the terminal and for deciding whether to reload."""

    previous: SiteState
    state: SiteState
    seconds: float
    events: int = 0
    reread: int = 0  # files parsed again (the others came from the cache)
    warnings: int = 0  # of a good build
    cancelled: bool = False  # stopped for a newer change; the state is the previous one

    @property
    def changed(self) -> tuple[str, ...]:
        """Output paths whose bytes differ from the previous good build."""
        old, new = self.previous.files, self.state.files
        return tuple(sorted(name for name in old.keys() | new.keys() if differs(old, new, name)))

    @property
    def visible(self) -> bool:
        """Would an open page look different: other files, other errors, or errors appearing or going?"""
        before, after = self.previous, self.state
        return bool(self.changed) or (before.diagnostics, before.crash) != (after.diagnostics, after.crash)


class LiveSite:
    """The pipeline as the preview runs it: cached loading, rendering in memory, the last good site kept.

    Between rebuilds it keeps the parsed documents (:class:`chronicle.preview.cache.DocumentCache`),
    the last validation (:class:`chronicle.content.validate.Memo`: an unchanged file keeps its
    ``Event`` object), the rendered pages and per-event fragments
    (:class:`chronicle.preview.incremental.RenderMemo`: a page whose inputs are the same objects is
    not rendered again), the facet manifest and the git provenance. Each is only
    reused when what it was made from is unchanged, so a rebuild gives the same files
    as ``build`` does from nothing (tests/test_incremental.py).
    """

    def __init__(self, config: BuildConfig):
        self.config = config
        self.cache = cached.DocumentCache()
        self.validation = Memo()
        self.markdown = Markdown()  # every Markdown text of the timeline, converted (kept: the environment holds it)
        self.rendering = RenderMemo()
        self.pieces = Pieces()  # each event's lines of the data exports (chronicle.exchange.pieces)
        self.state = SiteState()
        self._provenance: tuple[Any, dict[str, Provenance]] | None = None
        self._manifest: tuple[tuple[Event, ...], dict[str, bytes]] | None = None
        self._last: tuple[Timeline, Mapping[str, bytes], dict[str, Provenance]] | None = None  # the last good build's
        self._listing: Listing | None = None  # the events folder as last walked
        self._listed: frozenset[Path] = frozenset()

    def check(self, changed: Collection[str] | None = None) -> Timeline:
        """``build.check`` with unchanged files taken from the cache and unchanged events from the last validation.

        ``changed`` names the files the watcher saw change since the last
        rebuild; without it, every file's ``stat`` is looked at. When no event
        file was added or removed, the last listing of the events folder is used
        again and only the changed files are read.
        """
        paths = None if changed is None else {Path(p) for p in changed}
        if paths is None or self._listing is None or any(self._moves_files(path) for path in paths):
            self._listing = event_files(self.config.events_dir)
            self._listed = frozenset(self._listing[0])
        read = self.cache if paths is None else self.cache.trusting(paths)
        timeline = check(self.config, read, self.validation, listing=self._listing)
        self.cache.forget_except({e.path for e in timeline.events} | {self.config.events_dir / VOCABULARY_FILE})
        return timeline

    def _moves_files(self, path: Path) -> bool:
        """Is this change to the events folder more than an edit of a listed file (one added, removed or misplaced)?"""
        if path in self._listed:
            return not path.exists()
        return self.config.events_dir in path.parents

    def site_files(self, timeline: Timeline, cancelled: Callable[[], bool] = lambda: False) -> Mapping[str, bytes]:
        """The files ``build`` would make (but the search index), rendering only the pages whose inputs changed.

        When the events differ from the last good build's only in their text
        (:func:`chronicle.preview.incremental.text_edits`), only the pages showing the edited
        events, the list files and the widget's files holding them
        (:func:`chronicle.site.embed_data.embed_files`) are made again; the rest are the
        last build's bytes. Otherwise the site is planned as ``build`` plans it
        (:func:`chronicle.build.plan_site`), and of its pages those whose inputs
        changed are rendered.
        """
        last = self._last
        provenance = self.provenance(timeline)
        edits = text_edits(last[0], timeline) if last is not None and last[2] is provenance else None
        pages = rerender(self.rendering, edits, self.config.site, self.config.templates_dir) if edits is not None else None
        if last is not None and edits is not None and pages is not None:
            where = {id(e): i for i, e in enumerate(timeline.events)} if edits else {}
            positions = [where[id(after)] for _, after in edits]
            renderer = self.rendering.renderer
            assert renderer is not None, "rerender works from the last whole render"
            updates = {**pages, **list_files(timeline, positions), **embed_files(renderer, timeline, positions)}
            later = None
            if edits:  # the exports and the feed hold every event's text: made again (from the pieces kept) when read
                links, site, markdown, pieces = renderer.links, self.config.site, self.markdown, self.pieces
                later = Later(
                    frozenset(DATA_FILES),
                    lambda: join_chunks(exchange_chunks(timeline, site, links, markdown, provenance, pieces)),
                    (timeline.events, provenance, links, site),
                )
            before = last[1]
            files: Mapping[str, bytes] = (
                before.updated(updates, later) if isinstance(before, LaterFiles) else LaterFiles({**before, **updates}, later)
            )
        else:
            texts = markdown_texts(timeline)
            convert_all(texts, jobs=cores() if self._last is None else 1, into=self.markdown, save=self._last is None)
            renderer, others = plan_site(
                timeline,
                self.config,
                provenance=provenance,
                markdown=self.markdown,
                make_environment=self.rendering.environment,
                data_files=self._data_files,
                pieces=self.pieces,
            )
            files = render_changed(renderer, timeline, self.rendering, cancelled) | others
            self.markdown.forget_except(set(texts))
        self._last = (timeline, files, provenance)
        return files

    def _data_files(self, timeline: Timeline) -> dict[str, bytes]:
        """:func:`chronicle.site.search.manifest_files`, made again only when the events changed."""
        if self._manifest is None or self._manifest[0] != timeline.events:  # compared object by object: cheap
            self._manifest = (timeline.events, manifest_files(timeline))
        return self._manifest[1]

    def provenance(self, timeline: Timeline) -> dict[str, Provenance]:
        """Git's dates and links, asked again only when the event files or the checked-out commit change."""
        key = (tuple(e.path for e in timeline.events), repository_head(self.config.events_dir))
        if self._provenance is None or self._provenance[0] != key:
            self._provenance = (key, provenance_of(self.config))
        return self._provenance[1]

    def rebuild(self, changed: Collection[str] | None = None, cancelled: Callable[[], bool] = lambda: False) -> Outcome:
        """Build into memory; never raises. The served state changes only here.

        ``changed``: the files changed since the last rebuild, when the caller knows (see :meth:`check`).
        ``cancelled`` is asked between stages and while rendering: when a newer change has come, the
        rebuild stops (``Outcome.cancelled``) and the state stays as it was.
        """
        started = time.perf_counter()
        misses = self.cache.misses
        previous = self.state
        events = warnings = 0
        # A rebuild makes many short-lived objects, freed as it goes by reference counting; the cycle
        # collector would walk the whole kept site each time it ran meanwhile (half a 10k edit's time).
        gc.disable()
        try:
            timeline = self.check(changed)
            events, warnings = len(timeline.events), len(timeline.warnings)
            if cancelled():
                raise Cancelled
            files = self.site_files(timeline, cancelled)  # the search index is made when output/ is written
        except Cancelled:
            return Outcome(previous, previous, time.perf_counter() - started, events, self.cache.misses - misses, cancelled=True)
        except ContentErrors as errors:
            state = SiteState(previous.files, previous.event_ids, previous.timeline, diagnostics=errors.diagnostics)
        except Exception:  # a bug, or a template half-way through an edit: show it, keep serving
            state = SiteState(previous.files, previous.event_ids, previous.timeline, crash=traceback.format_exc())
        else:
            state = SiteState(files, tuple(e.id for e in timeline.events), timeline=timeline)
        finally:
            gc.enable()
        self.state = state
        return Outcome(previous, state, time.perf_counter() - started, events, self.cache.misses - misses, warnings)

    def write_output(self, state: SiteState) -> str:
        """Write a good build to ``output/`` as ``build`` does, search index included; returns a problem as text."""
        try:
            timeline = state.timeline
            if timeline is None:
                return ""
            documents = search_documents(timeline.events, self.markdown.plain, self.config.site.language)
            index = start_index(self.config, documents, build_state.load(self.config.output_dir))

            def write(staging: Path) -> Collection[str]:
                write_files(state.files, staging)
                return state.files.keys()

            try:
                publish(
                    self.config,
                    write,
                    index,
                    events=len(timeline.events),
                    warnings=timeline.warnings,
                )
            finally:
                if index.making is not None:
                    index.making.close()
        except (OSError, SearchIndexError) as exc:
            return f"could not write {display_path(self.config.output_dir)}/: {exc}"
        return ""
