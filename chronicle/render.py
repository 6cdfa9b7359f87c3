"""Render: turn the timeline into the site's files, in memory.

Templates come from ``site_templates/`` (Jinja2, a ``base.html`` of named blocks
and thin page templates). Markdown from event files is converted and then
sanitised with an allowlist (nh3, the Python binding of the Rust ``ammonia``
sanitiser): event files arrive from strangers' pull requests, so nothing but
plain formatting and http(s) links survives. No images: the site must make no
request to another host.

The result is a mapping of output path to bytes; writing it is ``write``'s job.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markdown as markdown_lib
import nh3
from markupsafe import Markup

from .config import SiteConfig
from .diagnostics import ContentErrors, Diagnostic
from .model import STATUSES, Event, Seed, Timeline

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "sup", "sub", "abbr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}

STATUS_EXPLANATIONS = {
    "confirmed": "Confirmed: an official record, a court finding, or several independent sources.",
    "reported": "Reported: credible reporting, not officially confirmed.",
    "alleged": "Alleged: a claim by one party or witness, or an indictment.",
    "disputed": "Disputed: the sources conflict; both sides are cited.",
}


@lru_cache(maxsize=65536)
def markdown_html(text: str) -> Markup:
    """Markdown to sanitised HTML. Headings start at h3: pages own h1 and h2."""
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)  # noqa: S704 - sanitised just above


@dataclass(frozen=True)
class Links:
    """Site-relative URLs, prefixed with the site's base path."""

    base_path: str
    origin: str

    def url(self, path: str = "") -> str:
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        return self.origin + self.url(path) if self.origin else ""

    def event(self, event: Event | str) -> str:
        return self.url(f"events/{event if isinstance(event, str) else event.id}/")

    def seed(self, seed: Seed | str) -> str:
        return self.url(f"sources/{seed if isinstance(seed, str) else seed.id}/")


def environment(templates_dir: Path, links: Links) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown_html
    env.globals.update(
        url=links.url,
        event_url=links.event,
        seed_url=links.seed,
        absolute_url=links.absolute,
        statuses=STATUSES,
        status_explanations=STATUS_EXPLANATIONS,
    )
    return env


def render_site(timeline: Timeline, site: SiteConfig, templates_dir: Path) -> dict[str, bytes]:
    """Every file of the site: ``{"events/x/index.html": b"...", ...}``."""
    links = Links(site.base_path, site.origin)
    env = environment(templates_dir, links)
    files: dict[str, bytes] = {}
    try:
        for path, template, context in _pages(timeline):
            page = {"path": posixpath.dirname(path) + "/" if path.endswith("index.html") else path}
            html = env.get_template(template).render(site=site, page=page, **context)
            files[path] = html.encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        where = Path(exc.filename) if exc.filename else templates_dir / (exc.name or "")
        raise ContentErrors([Diagnostic(where, exc.lineno or 1, 1, f"template syntax: {exc.message}")]) from exc
    except jinja2.TemplateError as exc:
        raise ContentErrors([Diagnostic(templates_dir, 1, 1, f"template error: {exc}")]) from exc
    files.update(static_files(templates_dir / "static"))
    return files


def static_files(static_dir: Path) -> dict[str, bytes]:
    if not static_dir.is_dir():
        return {}
    return {
        "static/" + path.relative_to(static_dir).as_posix(): path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def _pages(timeline: Timeline) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(output path, template, context) for every page."""
    events = timeline.events
    citing = _citing_events(timeline)
    yield "index.html", "timeline.html", {"years": _by_year(events), "events": events, "tags": timeline.tags}
    for i, event in enumerate(events):
        yield f"events/{event.id}/index.html", "event.html", {
            "event": event,
            "previous": events[i - 1] if i > 0 else None,
            "next": events[i + 1] if i + 1 < len(events) else None,
            "related": [timeline.by_id[r] for r in event.related],
            "tags": timeline.tags,
        }
    seeds = sorted(timeline.seeds.values(), key=lambda s: s.id)
    yield "sources/index.html", "sources.html", {"seeds": seeds, "citing": citing}
    for seed in seeds:
        yield f"sources/{seed.id}/index.html", "source.html", {"seed": seed, "events": citing.get(seed.id, [])}


def _by_year(events: tuple[Event, ...]) -> list[tuple[int, list[Event]]]:
    years: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        years[event.date.year].append(event)
    return sorted(years.items())


def _citing_events(timeline: Timeline) -> Mapping[str, list[Event]]:
    citing: dict[str, list[Event]] = defaultdict(list)
    for event in timeline.events:
        for seed_id in dict.fromkeys(s.seed.id for s in event.sources if s.seed):
            citing[seed_id].append(event)
    return citing
