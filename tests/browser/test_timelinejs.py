"""data/timelinejs.json loads and displays in TimelineJS 3.9 itself, in Chromium.

`make test` fetches a pinned TimelineJS release with `npm pack` into .cache/ and
sets TIMELINEJS to its dist/ folder. A page served on 127.0.0.1 loads it with
the export beside it; TimelineJS must make one slide per event (and the title
slide), draw a marker for each, and report no error, with nothing printed to
the console as an error and no request leaving 127.0.0.1.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Locator, Page, Request

from .conftest import ROOT, ServedSite, build_fixture_site, generated_files, screenshot, served

HARNESS = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS harness</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="tl/css/timeline.css">
<link rel="stylesheet" href="harness.css">
<script src="tl/js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed"></div>
<script src="harness.js"></script>
</body>
</html>
"""
HARNESS_JS = """
window.loaded = null;
// TimelineJS's own files from this server; font: null, since its default font is fetched from Google's servers.
window.timeline = new TL.Timeline("timeline-embed", "timelinejs.json", {script_path: new URL("tl/js/", location.href).href, font: null});
window.timeline.on("loaded", function (data) { window.loaded = data.events.length; });
"""
HARNESS_CSS = "#timeline-embed { width: 100%; height: 960px; }\n"


def timelinejs_dist() -> Path:
    found = Path(os.environ.get("TIMELINEJS", ROOT / ".cache/timelinejs-3.9.11/package/dist"))
    found = found if found.is_absolute() else ROOT / found
    if not (found / "js" / "timeline.js").is_file():
        pytest.fail(f"TimelineJS is not at {found}: run the tests with `make test`, which fetches it", pytrace=False)
    return found


def harness(folder: Path, export: bytes) -> Path:
    """A folder holding the harness page, TimelineJS and the export."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tl").symlink_to(timelinejs_dist(), target_is_directory=True)
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    (folder / "harness.css").write_text(HARNESS_CSS, encoding="utf-8")
    (folder / "timelinejs.json").write_bytes(export)
    return folder


@dataclass
class Watched:
    """What a page printed as errors and which requests left 127.0.0.1, from the moment it is watched."""

    errors: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)


def watch(page: Page) -> Watched:
    found = Watched()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.errors.append(message.text)

    def request(sent: Request) -> None:
        if not sent.url.startswith("http://127.0.0.1:"):
            found.elsewhere.append(sent.url)

    page.on("console", console)
    page.on("pageerror", lambda exc: found.errors.append(str(exc)))
    page.on("request", request)
    return found


def load_in_timelinejs(page: Page, url: str) -> dict[str, int]:
    """Open the harness served at ``url`` and wait until TimelineJS has loaded the export; what it made."""
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{url}/index.html")
    page.wait_for_function("window.loaded !== null")
    page.locator(".tl-timemarker").first.wait_for(state="attached")
    page.locator(".tl-slide-titleslide .tl-headline").first.wait_for()  # the title slide is shown first
    found: dict[str, int] = page.evaluate(
        """() => ({
            loaded: window.loaded,
            config_errors: window.timeline.config.messages.errors.length,
            slides: document.querySelectorAll('.tl-slide').length,
            markers: document.querySelectorAll('.tl-timemarker').length,
            headlines: document.querySelectorAll('.tl-slide .tl-headline').length,
        })"""
    )
    return found


def test_the_real_timelines_export_loads_in_timelinejs(page: Page, real_build: ServedSite, tmp_path: Path) -> None:
    assert real_build.output is not None
    export = (real_build.output / "data/timelinejs.json").read_bytes()
    events = len(real_build.timeline.events)
    watched = watch(page)
    with served(harness(tmp_path / "h", export)) as url:
        found = load_in_timelinejs(page, url)
        assert found == {"loaded": events, "config_errors": 0, "slides": events + 1, "markers": events, "headlines": events + 1}
        # An event's slide shows its title, its date, its status and each of its sources with its quote.
        event = max(real_build.timeline.events, key=lambda e: len(e.sources))
        slide = show(page, event.id)
        assert slide.locator(".tl-headline").inner_text().strip() == event.title
        assert slide.locator(".chronicle-status strong").inner_text() == event.status
        assert slide.locator("li.chronicle-source").count() == len(event.sources)
        assert slide.locator("q.chronicle-quote").count() == sum(1 for s in event.sources if s.quote)
        screenshot(page, "timelinejs-real", full_page=False)
    assert watched == Watched()  # no error printed, no request to another host


def test_every_kind_of_date_loads_in_timelinejs(page: Page, tmp_path: Path) -> None:
    """The generated fixture has every date form: days, months, years, approximate, uncertain, spans, a span still open."""
    www, timeline = build_fixture_site(tmp_path / "site", generated_files(40))
    export = (www / "data/timelinejs.json").read_bytes()
    slides = json.loads(export)["events"]
    assert {"end_date" in s for s in slides} == {True, False} and any("display_date" in s for s in slides)
    watched = watch(page)
    with served(harness(tmp_path / "h", export)) as url:
        found = load_in_timelinejs(page, url)
        assert found == {"loaded": 40, "config_errors": 0, "slides": 41, "markers": 40, "headlines": 41}
        # An approximate date, an uncertain one and a span still open show the site's own label for the date.
        for event in (
            next(e for e in timeline.events if e.date.open_end),
            next(e for e in timeline.events if e.date.is_approximate and not e.date.is_span),
            next(e for e in timeline.events if e.date.is_uncertain),
        ):
            assert show(page, event.id).locator(".tl-headline-date").inner_text().strip() == event.date.label()
        screenshot(page, "timelinejs-generated", full_page=False)
    assert watched == Watched()


def show(page: Page, event_id: str) -> Locator:
    """Go to an event's slide, as its marker would, and wait until it is shown; its slide."""
    page.evaluate("(id) => window.timeline.goToId(id)", event_id)
    page.wait_for_function("(id) => window.timeline.current_id === id", arg=event_id)
    # and the slide has slid into place (TimelineJS animates the move)
    page.wait_for_function(
        """(id) => Math.abs(document.getElementById(id).getBoundingClientRect().left
                        - document.getElementById("timeline-embed").getBoundingClientRect().left) < 1""",
        arg=event_id,
    )
    slide = page.locator(f"[id='{event_id}']")
    slide.locator(".tl-headline").wait_for()
    return slide
