"""Render: the pages of one timeline to bytes, one page at a time.

A :class:`Renderer` holds what every page needs (the groupings, the URLs, the
Jinja environment, the static files) and renders any page of
:func:`chronicle.site.pages.pages` to bytes. Rendering them all, in parallel
and straight to disk, is :mod:`chronicle.site.render_workers`'s job; the live
preview's re-rendering of only what changed is
:mod:`chronicle.preview.incremental`'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

import jinja2
from jinja2.runtime import new_context as new_jinja_context

from ..config import SiteConfig
from ..content.model import Timeline
from ..content.provenance import Provenance
from .browse import browse
from .fragments import Fragments
from .links import Links
from .markup import Markdown
from .pages import INLINE_LIMIT, Page, pages
from .templates import environment, template_errors

#: Makes the Jinja environment for a site's templates, links, settings and Markdown (the preview's keeps one across rebuilds).
Environment = Callable[[Path, Links, SiteConfig, Markdown], jinja2.Environment]


class Renderer:
    """Everything needed to render the pages of one timeline, one page at a time."""

    def __init__(
        self,
        timeline: Timeline,
        site: SiteConfig,
        templates_dir: Path,
        *,
        inline_limit: int = INLINE_LIMIT,
        provenance: Mapping[str, Provenance] | None = None,
        markdown: Markdown | None = None,
        make_environment: Environment = environment,
    ):
        """``markdown`` holds the timeline's Markdown converted ahead (default: converted as pages ask for it)."""
        self.site = site
        self.templates_dir = templates_dir
        groups = browse(timeline.events)
        self.static = static_files(templates_dir / "static")
        versions = {name.removeprefix("static/"): hashlib.sha256(data).hexdigest()[:10] for name, data in self.static.items()}
        self.links = Links(site.base_path, site.origin, groups.actor_slugs, groups.place_slugs, versions)
        self.markdown = markdown if markdown is not None else Markdown()
        self.env = make_environment(templates_dir, self.links, site, self.markdown)
        self.fragments: Fragments = self.env.globals["fragments"]  # type: ignore[assignment]
        self._globals = dict(self.env.globals)  # see render
        self.pages = tuple(pages(timeline, groups, inline_limit=inline_limit, provenance=provenance))

    def render(self, page: Page) -> bytes:
        """One page's bytes; a template error is a :class:`ContentErrors` naming the template.

        What ``Template.render`` does, but for its first step: it merges the
        page's values with the globals, which Jinja keeps as a ``ChainMap`` and
        copies key by key for every page (a tenth of an event page's time), and
        copies their names too. The merged globals are copied once here, and
        each page's values laid over them.
        """
        with template_errors(self.templates_dir):
            template = self.env.get_template(page.template)
            values = {**self._globals, "site": self.site, "page": {"path": page.url_path, "section": page.section}}
            values.update(page.context)
            # Template.new_context would also copy the names of the globals (a ChainMap) into a set, used
            # only when a template is made into a module; these values already hold the globals.
            context = new_jinja_context(self.env, template.name, template.blocks, values, shared=True)
            try:
                html: str = self.env.concat(template.root_render_func(context))  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - Jinja rewrites the traceback to point into the template
                self.env.handle_exception()
            return html.encode("utf-8")

    def other_files(self) -> dict[str, bytes]:
        """The sitemap, robots.txt and the static files: what is not a page."""
        files: dict[str, bytes] = {}
        with template_errors(self.templates_dir):
            if self.links.absolute():
                listed = sorted(page.url_path for page in self.pages if page.sitemap)
                files["sitemap.xml"] = self.env.get_template("sitemap.xml").render(paths=listed).encode("utf-8")
            files["robots.txt"] = self.env.get_template("robots.txt").render(site=self.site).encode("utf-8")
        files.update(self.static)
        return files

    def render_all(self) -> dict[str, bytes]:
        """Every page, in memory: ``{"events/x/index.html": b"...", ...}``."""
        return {page.path: self.render(page) for page in self.pages}


def static_files(static_dir: Path) -> dict[str, bytes]:
    if not static_dir.is_dir():
        return {}
    return {
        "static/" + path.relative_to(static_dir).as_posix(): path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
