"""Build: the whole pipeline, top to bottom.

``check`` (load and validate the content, or raise every problem) →
``plan_pages`` (the pages to render) → render, with ``other_files`` (every
other file) written meanwhile → search index → write, through :func:`publish`,
into a staging folder that is swapped into ``output/`` only when everything
is in it. Everything is checked before anything is written (a content error
leaves the previous site as it was), and the same input always gives the
same bytes.

``build`` renders the pages straight into the staging folder, on every core;
the live preview renders them into memory, only those that changed
(:mod:`chronicle.preview`). Both take the site's files from
:func:`plan_pages` and :func:`other_files` (the preview through :func:`plan_site`)
and write them through :func:`publish`, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import BuildConfig
from .content.files import VOCABULARY_FILE, Listing, Reader, load_events, load_seeds, load_vocabulary
from .content.model import Timeline
from .content.parts import check_in_parts
from .content.provenance import Provenance, event_provenance
from .content.validate import Memo, validate
from .diagnostics import ContentErrors, Diagnostic
from .exchange.outputs import exchange_chunks
from .exchange.pieces import Pieces
from .site import build_state
from .site.build_state import BuildState, documents_digest, link_files
from .site.embed_data import embed_files
from .site.facets import manifest_files
from .site.markdown_cache import convert_all, markdown_texts
from .site.markup import Markdown
from .site.pages import INLINE_LIMIT
from .site.render import Environment, Renderer
from .site.render_workers import write_pages_while
from .site.search import SearchIndex, search_documents
from .site.templates import environment, template_errors
from .site.write import check_written, join_chunks, staged_output, write_chunks, write_files
from .workers import cores


@dataclass(frozen=True)
class BuildResult:
    timeline: Timeline | None  # None when nothing changed: the content was not even read
    files: int
    events: int
    warnings: tuple[Diagnostic, ...] = ()
    unchanged: bool = False  # the inputs were the last build's and output/ was left as it was


def check(
    config: BuildConfig, read: Reader | None = None, memo: Memo | None = None, *, jobs: int = 1, listing: Listing | None = None
) -> Timeline:
    """Load and validate the content; raise :class:`ContentErrors` listing every problem.

    ``read`` reads one YAML file; the live preview passes a cache that re-reads
    only changed files, and a ``memo`` of the last validation, so that only
    changed documents are checked again, and the ``listing`` of event files
    when it knows that no file was added or removed. With ``jobs`` above 1 a
    large timeline is checked in that many parts at once
    (:func:`chronicle.content.parts.check_in_parts`).
    """
    if jobs > 1 and read is None and memo is None:
        timeline = check_in_parts(config.events_dir, config.seeds_dir, jobs)
        if timeline is not None:
            return timeline
    documents, load_problems = load_events(config.events_dir, read, listing)
    seeds, seed_problems = load_seeds(config.seeds_dir)
    vocabulary, vocabulary_problems = load_vocabulary(config.events_dir, read)
    problems = load_problems + seed_problems + vocabulary_problems
    # An event file that could not be read still has its id: other events naming it in 'related' are not
    # reported too (its own problem is the one to fix).
    unread = {d.path.stem for d in load_problems if d.path.suffix == ".yaml" and d.path.name != VOCABULARY_FILE}
    try:
        timeline = validate(
            documents,
            seeds,
            vocabulary,
            events_dir=config.events_dir,
            seeds_dir=config.seeds_dir,
            vocabulary_broken=vocabulary is None and bool(vocabulary_problems),
            memo=memo,
            other_ids=unread,
        )
    except ContentErrors as errors:
        raise ContentErrors(problems + list(errors.diagnostics)) from None
    if problems:
        raise ContentErrors(problems + list(timeline.warnings))
    return timeline


def provenance_of(config: BuildConfig) -> dict[str, Provenance]:
    """Each event's file in the repository, when it last changed (git), and links to it."""
    site = config.site
    return event_provenance(config.events_dir, repository_url=site.repository_url, branch=site.repository_branch)


def plan_pages(
    timeline: Timeline,
    config: BuildConfig,
    *,
    provenance: dict[str, Provenance],
    markdown: Markdown,
    make_environment: Environment = environment,
    inline_limit: int = INLINE_LIMIT,
) -> Renderer:
    """The pages of the site, as a renderer of them (:mod:`chronicle.site.render`).

    ``markdown`` holds the timeline's Markdown converted
    (:func:`chronicle.site.markdown_cache.convert_all`).
    """
    return Renderer(
        timeline,
        config.site,
        config.templates_dir,
        inline_limit=inline_limit,
        provenance=provenance,
        markdown=markdown,
        make_environment=make_environment,
    )


def other_files(
    renderer: Renderer,
    timeline: Timeline,
    config: BuildConfig,
    *,
    provenance: dict[str, Provenance],
    data_files: Callable[[Timeline], dict[str, bytes]] = manifest_files,
    pieces: Pieces | None = None,
) -> dict[str, bytes]:
    """Every file of the site but its pages and its search index, in memory.

    The static files, the sitemap and robots.txt, the data the browser filters
    with (``data_files``; the preview passes a cached
    :func:`chronicle.site.search.manifest_files`), the widget's data, the
    oEmbed responses and ``/embed.js`` (:func:`site_data`), and the data
    exports and the feed (:func:`chronicle.exchange.outputs.exchange_chunks`;
    the preview passes the ``pieces`` it keeps).
    """
    files = site_data(renderer, timeline, data_files)
    return files | join_chunks(exchange_chunks(timeline, config.site, renderer.links, renderer.markdown, provenance, pieces))


def write_other_files(
    root: Path, renderer: Renderer, timeline: Timeline, config: BuildConfig, *, provenance: dict[str, Provenance]
) -> list[str]:
    """:func:`other_files` written under ``root``, the exports as they are made (none held whole); returns their paths."""
    files = site_data(renderer, timeline, manifest_files)
    write_files(files, root)
    exports = exchange_chunks(timeline, config.site, renderer.links, renderer.markdown, provenance)
    return list(files) + write_chunks(root, exports)


def site_data(renderer: Renderer, timeline: Timeline, data_files: Callable[[Timeline], dict[str, bytes]]) -> dict[str, bytes]:
    """The files of :func:`other_files` but the exports and the feed."""
    return renderer.other_files() | data_files(timeline) | embed_files(renderer, timeline)


def plan_site(
    timeline: Timeline,
    config: BuildConfig,
    *,
    provenance: dict[str, Provenance],
    markdown: Markdown,
    make_environment: Environment = environment,
    data_files: Callable[[Timeline], dict[str, bytes]] = manifest_files,
    inline_limit: int = INLINE_LIMIT,
    pieces: Pieces | None = None,
) -> tuple[Renderer, dict[str, bytes]]:
    """Every file of the site but the search index: the pages (:func:`plan_pages`) and the rest (:func:`other_files`)."""
    renderer = plan_pages(
        timeline, config, provenance=provenance, markdown=markdown, make_environment=make_environment, inline_limit=inline_limit
    )
    return renderer, other_files(renderer, timeline, config, provenance=provenance, data_files=data_files, pieces=pieces)


def site_files(
    timeline: Timeline, config: BuildConfig, *, inline_limit: int = INLINE_LIMIT, provenance: dict[str, Provenance] | None = None
) -> dict[str, bytes]:
    """Every file of the site but the search index, in memory, as :func:`build` writes them."""
    if provenance is None:
        provenance = provenance_of(config)
    markdown = convert_all(markdown_texts(timeline), jobs=cores())
    renderer, files = plan_site(timeline, config, provenance=provenance, markdown=markdown, inline_limit=inline_limit)
    return renderer.render_all() | files


@dataclass(frozen=True)
class Index:
    """What a build does for its search index: nothing, link the last build's, or wait for the one being made."""

    digest: str = ""  # of the search documents ("" without an index)
    making: SearchIndex | None = None  # Pagefind's service, started with the documents
    reused: BuildState | None = None  # the last build, whose index is linked in


def start_index(
    config: BuildConfig, documents: Sequence[tuple[str, str]], previous: BuildState | None, *, reuse: bool = True
) -> Index:
    """Start indexing the search documents now (Pagefind works in a process of its own while the rest of the build goes
    on), unless the last build of this output folder indexed the same documents and its index is there to link in.

    Close ``Index.making`` if the build fails before :func:`publish`.
    """
    if not config.search_index:
        return Index()
    digest = documents_digest(documents)
    if reuse and previous is not None and previous.index == digest and build_state.intact(config.output_dir, previous):
        return Index(digest, reused=previous)
    return Index(digest, making=SearchIndex(documents))


def publish(
    config: BuildConfig,
    write: Callable[[Path], Collection[str]],
    index: Index,
    *,
    inputs: str = "",
    events: int = 0,
    warnings: Sequence[Diagnostic] = (),
) -> int:
    """Write the site into a staging folder (``write(staging)``, which returns the names of every file the site should
    have), add its search index, check every file named is there, swap it in, and record the new site's state for the
    next build (:mod:`chronicle.site.build_state`).

    ``index`` comes from :func:`start_index`. ``inputs`` is what the site was made from
    (:func:`chronicle.site.build_state.inputs_digest`, or '' when not known).
    """
    build_state.clear(config.output_dir)  # the folder is about to change: a build stopped now leaves no state
    with staged_output(config.output_dir) as staging:
        try:
            if index.making is not None:
                index.making.write_into(staging)  # written by Pagefind's service while the pages are
            names = set(write(staging))
            if index.making is not None:
                index.making.wait(staging)
            elif index.reused is not None:
                link_files(config.output_dir, staging, index.reused.index_files)
        except BaseException:
            if index.making is not None:
                index.making.close()  # before the staging folder it writes into is removed
            raise
        made = build_state.listing(staging)
        check_written(made, staging, names)
    index_files = tuple(sorted(made.keys() - names)) if config.search_index else ()
    kept = tuple((str(d.path), d.line, d.column, d.message, d.severity) for d in warnings)
    build_state.save(config.output_dir, BuildState(inputs, made, index.digest, index_files, events, kept))
    return len(made)


def check_templates(timeline: Timeline, config: BuildConfig) -> None:
    """Compile every template and render one page of each kind, as ``validate`` does: raise their errors.

    So that ``validate`` (and the pre-commit hook) fails where ``build`` would,
    without rendering the whole site.
    """
    renderer, _ = plan_site(timeline, config, provenance={}, markdown=Markdown())
    with template_errors(config.templates_dir):
        for path in sorted(config.templates_dir.rglob("*.html")):
            renderer.env.get_template(path.relative_to(config.templates_dir).as_posix())
    first = {page.template: page for page in reversed(renderer.pages)}
    for page in sorted(first.values(), key=lambda page: page.path):
        renderer.render(page)
    renderer.other_files()


def build(config: BuildConfig, *, jobs: int | None = None, force: bool = False) -> BuildResult:
    """Check, then render every page into a staging folder, index it, and swap it into ``output/``.

    When the inputs are those of the last build of ``output/`` and it was left
    as it was, nothing is done (``force`` builds anyway). ``jobs`` is the
    number of processes checking and rendering (default: every core for a
    large site, see :func:`chronicle.content.parts.check_in_parts` and
    :func:`chronicle.site.render_workers.default_jobs`).
    """
    inputs = build_state.inputs_digest(config)
    previous = build_state.load(config.output_dir)
    if not force and previous is not None and previous.inputs == inputs and build_state.intact(config.output_dir, previous):
        warnings = tuple(Diagnostic(Path(w[0]), w[1], w[2], w[3], w[4]) for w in previous.warnings)
        return BuildResult(None, len(previous.files), previous.events, warnings, unchanged=True)
    cores_used = jobs or cores()
    timeline = check(config, jobs=cores_used)
    markdown = convert_all(markdown_texts(timeline), jobs=cores_used)
    documents = search_documents(timeline.events, markdown.plain, config.site.language) if config.search_index else []
    index = start_index(config, documents, previous, reuse=not force)
    try:
        provenance = provenance_of(config)
        renderer = plan_pages(timeline, config, provenance=provenance, markdown=markdown)

        def write(staging: Path) -> list[str]:
            # This process writes the other files while its workers render the pages (else it would wait for them).
            def meanwhile() -> list[str]:
                return write_other_files(staging, renderer, timeline, config, provenance=provenance)

            others = write_pages_while(renderer, staging, meanwhile, jobs=jobs)
            return [page.path for page in renderer.pages] + others  # what should be there: publish checks it is

        written = publish(config, write, index, inputs=inputs, events=len(timeline.events), warnings=timeline.warnings)
    finally:
        if index.making is not None:
            index.making.close()
    return BuildResult(timeline, written, len(timeline.events), timeline.warnings)
