"""Templates: the Jinja2 environment the pages are rendered with.

Templates come from ``site_templates/`` (a ``base.html`` of named blocks and
thin page templates). The environment carries the filters (``markdown``,
``plain``, ``shorten``, ``each``) and the globals (URLs, labels, JSON-LD,
cached fragments) that templates use; template errors become diagnostics.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2

from ..caches import cache_folder
from ..config import SiteConfig
from ..content.model import STATUSES
from ..diagnostics import ContentErrors, Diagnostic
from .embed import FRAME_HEIGHTS, widget_path
from .fragments import Fragments, Partials
from .jsonld import event_jsonld, page_jsonld, seed_jsonld
from .links import Links, event_path
from .markup import Markdown, shorten
from .pages import KIND_LABELS, STATUS_EXPLANATIONS
from .passages import documents, quote_anchor


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept in ``.cache/jinja/`` (``CHRONICLE_CACHE`` moves it; ``off`` disables it).

    Compiling the templates is most of a small site's build. Jinja keys each
    entry on the template's source, so an edited template is compiled afresh;
    the pages are the same bytes with or without the cache.
    """
    folder = cache_folder("jinja")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None


def environment(templates_dir: Path, links: Links, site: SiteConfig, markdown: Markdown) -> jinja2.Environment:
    """The environment for a site's templates, its URLs and settings, and its Markdown converted (``markdown``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: templates cannot change during it
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["markdown"] = markdown.html
    env.filters["plain"] = markdown.plain
    env.filters["shorten"] = shorten
    env.filters["documents"] = documents
    fragments = Fragments(env)
    env.filters["each"] = fragments.each
    env.globals.update(
        site=site,
        url=links.url,
        absolute_url=links.absolute,
        permalink=links.permalink,
        asset=links.asset,
        event_url=links.event,
        event_path=event_path,
        seed_url=links.seed,
        tag_url=links.tag,
        actor_url=links.actor,
        place_url=links.place,
        year_url=links.year,
        statuses=STATUSES,
        status_explanations=STATUS_EXPLANATIONS,
        kind_labels=KIND_LABELS,
        event_jsonld=lambda event: event_jsonld(event, links, site, markdown.plain),
        seed_jsonld=lambda seed: seed_jsonld(seed, links),
        page_jsonld=lambda kind, name, description, path: page_jsonld(kind, name, description, path, links),
        frame_heights=FRAME_HEIGHTS,
        oembed_url=lambda path: links.absolute(widget_path(path) + "oembed.json") if widget_path(path) else "",
        quote_anchor=quote_anchor,
        event_card=fragments.card,
        event_row=fragments.row,
        cached=Partials(fragments),
        fragments=fragments,
    )
    return env


@contextmanager
def template_errors(templates_dir: Path) -> Iterator[None]:
    """Turn an error in a template (of syntax, or raised while rendering) into a :class:`ContentErrors` naming it.

    Jinja rewrites a rendering error's traceback so that its frames name the
    template files and their lines: the innermost such frame is where the
    template went wrong.
    """
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else templates_dir / (exc.name or "")
        raise ContentErrors([Diagnostic(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")]) from exc
    except ContentErrors:
        raise
    except Exception as exc:  # noqa: BLE001 - any error raised while rendering is the template's, and is reported so
        where, line = _template_frame(exc, templates_dir)
        what = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise ContentErrors([Diagnostic(where, line, 1, f"template error: {what}")]) from exc


def _template_frame(exc: BaseException, templates_dir: Path) -> tuple[Path, int]:
    """The template file and line of the innermost template frame of ``exc``'s traceback (else the folder, line 1)."""
    root = templates_dir.resolve()
    found: tuple[Path, int] = (templates_dir, 1)
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = Path(frame.f_code.co_filename)
        if path.suffix in (".html", ".xml", ".txt") and path.resolve().is_relative_to(root):
            found = (path, line)
    return found
