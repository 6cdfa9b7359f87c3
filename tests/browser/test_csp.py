"""Every page type under the site's Content-Security-Policy, in Chromium: used as a reader uses it, nothing refused.

The policy comes in each page's <meta>. The pages are served twice: as they are (the test server sends no
header), and with the header README.md documents for hosts that set headers (the same policy and
``frame-ancestors``), which also reaches Pagefind's web worker, a file the <meta> does not cover.
Everything the page is refused is reported by a ``securitypolicyviolation`` listener, and Chromium's
console errors (and any message about the policy) are collected too: either fails the test.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from chronicle.build import build
from chronicle.config import BuildConfig, load_site_config
from chronicle.site.facets import manifest_files

from .conftest import ROOT, Problems, QuietServer, ServedSite, build_fixture_site, generated_files, served
from .test_reader import page_types


def readme_header() -> str:
    """The Content-Security-Policy header value README.md tells hosts to send."""
    found = re.findall(r"^Content-Security-Policy: (.+)$", (ROOT / "README.md").read_text("utf-8"), re.MULTILINE)
    assert len(found) == 1, "README.md gives the header once, on a line of its own"
    return found[0]


class _HeaderHandler(http.server.SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def sites(real_build: ServedSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ServedSite]]:
    """The real timeline as built (policy by <meta>), and the same pages served with README's header."""
    output = tmp_path_factory.mktemp("csp-site") / "output"
    result = build(
        BuildConfig(
            ROOT / "events", ROOT / "seeds", ROOT / "site_templates", output, load_site_config(ROOT / "site.yaml", base_url="/")
        )
    )
    handler = type("Handler", (_HeaderHandler,), {"policy": readme_header()})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield {"meta": real_build, "header": ServedSite(f"http://127.0.0.1:{server.server_address[1]}/", result.timeline)}
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Problems]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    problems = Problems(context)
    yield context.new_page(), problems
    context.close()


def wait_for_status(page: Page, text: str) -> None:
    page.wait_for_function(
        "(text) => document.getElementById('search-status').textContent.includes(text)", arg=text, timeout=15_000
    )


@pytest.mark.parametrize("delivery", ["meta", "header"])
def test_no_page_type_is_refused_anything(sites: dict[str, ServedSite], watched: tuple[Page, Problems], delivery: str) -> None:
    site = sites[delivery]
    page, problems = watched
    pagefind: list[str] = []
    page.on("requestfinished", lambda request: "/pagefind/" in request.url and pagefind.append(request.url))
    for kind, path in page_types(site.timeline).items():
        page.goto(site.url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.classList.contains('js')"), f"{kind}: site.js did not run"
        if kind == "event":
            data = page.locator('script[type="application/ld+json"]')
            assert data.count() == 1 and '"@context"' in data.inner_text()  # there, and not run: a data block
        if kind == "timeline":
            # The overview axis by keyboard (site.js), text search (Pagefind: its script, web worker and
            # WebAssembly), then a filter (the manifest), all under the policy.
            page.locator("nav.axis a").first.focus()
            page.keyboard.press("ArrowRight")
            assert page.evaluate("document.activeElement.closest('nav.axis') !== null")
            page.fill("#q", "helicopter")
            wait_for_status(page, "match “helicopter”")
            assert page.locator(".timeline article.event:visible mark.hit").count() > 0
            page.locator(".filters-toggle").click()
            page.select_option("#f-status", "confirmed")
            wait_for_status(page, "status confirmed")
            page.wait_for_function("() => !document.querySelector('.filters[aria-busy]')")
        problems.received(page)
    assert any(url.endswith(".pagefind") for url in pagefind), "the search should have loaded Pagefind's WebAssembly"
    assert any(url.endswith("pagefind-worker.js") for url in pagefind), "the search should have started Pagefind's worker"
    assert (problems.refused, problems.errors) == ([], [])


def test_search_without_a_web_worker_compiles_pagefind_in_the_page(
    sites: dict[str, ServedSite], watched: tuple[Page, Problems]
) -> None:
    """Pagefind falls back to the page itself without a worker (or when its worker is slow to start): its
    WebAssembly is then compiled under the page's policy, which 'wasm-unsafe-eval' allows."""
    page, problems = watched
    page.add_init_script("delete window.Worker;")
    page.goto(sites["meta"].url)
    assert page.evaluate("typeof Worker") == "undefined"
    page.fill("#q", "helicopter")
    wait_for_status(page, "match “helicopter”")
    assert page.locator(".timeline article.event:visible mark.hit").count() > 0
    problems.received(page)
    assert (problems.refused, problems.errors) == ([], [])


def test_the_listener_reports_what_the_policy_refuses(sites: dict[str, ServedSite], watched: tuple[Page, Problems]) -> None:
    """The listeners above can fail: an inline script and an inline style added to a page are refused and reported."""
    page, problems = watched
    page.goto(sites["meta"].url)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.head.append(script);
          document.body.setAttribute("style", "color: red");
        }"""
    )
    problems.received(page, at_least=2)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in text for text in problems.refused), problems.refused
    assert any("style-src" in text for text in problems.refused), problems.refused


def test_a_large_timeline_lists_matches_under_the_policy(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Matches beyond the front page come from data/list/ files, fetched under the policy."""
    www, timeline = build_fixture_site(tmp_path_factory.mktemp("csp-large"), generated_files(60), inline_limit=10)
    for name, data in manifest_files(timeline).items():
        (www / name).parent.mkdir(parents=True, exist_ok=True)
        (www / name).write_bytes(data)
    context = browser.new_context()
    problems = Problems(context)
    page = context.new_page()
    with served(Path(www)) as url:
        page.goto(url + "/?from=1990")
        wait_for_status(page, "match years 1990")
        page.wait_for_function("() => document.querySelectorAll('#search-more li').length > 0")
        problems.received(page)
    context.close()
    assert (problems.refused, problems.errors) == ([], [])
