"""Browser fixtures: Debian's Chromium driven by Playwright, against a built site.

A browser test never skips: when Chromium is missing it fails, naming the fix.
Screenshots go to ``test-artifacts/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from chronicle.build import build, check, site_files
from chronicle.config import BuildConfig, SiteConfig, load_site_config
from chronicle.content.model import Timeline
from chronicle.site.pages import INLINE_LIMIT

from .sites import generated_site, write_tree

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A test server that says nothing when the browser drops a connection (a page closed while loading);
    any other error in a handler is printed as the standard library prints it."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def serve_directory(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``root`` on a free loopback port in a thread; returns the server and its URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@dataclass(frozen=True)
class ServedSite:
    """A built site being served: the URL of its front page (ending in '/') and what it was built from."""

    url: str
    timeline: Timeline
    output: Path | None = None  # the folder served, when the fixture built it


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    server, url = serve_directory(root)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The project's own timeline with its own settings (site.yaml), built and served."""
    output = tmp_path_factory.mktemp("real-site") / "output"
    result = build(
        BuildConfig(
            events_dir=ROOT / "events",
            seeds_dir=ROOT / "seeds",
            templates_dir=ROOT / "site_templates",
            output_dir=output,
            site=load_site_config(ROOT / "site.yaml", base_url="/"),
        ),
        force=True,
    )
    assert result.timeline is not None
    with served(output) as url:
        yield ServedSite(url + "/", result.timeline, output)


@pytest.fixture(scope="session")
def real_site(real_build: ServedSite) -> str:
    """The project's own timeline, built and served; its base URL (no trailing slash)."""
    return real_build.url.rstrip("/")


def build_fixture_site(
    root: Path, files: Mapping[str, str | None], *, base_url: str = "/", inline_limit: int = INLINE_LIMIT
) -> tuple[Path, Timeline]:
    """Write a fixture site's sources under ``root/src`` and its pages under ``root/www`` + the base path."""
    write_tree(root / "src", dict(files))
    site = SiteConfig(title="Fixture timeline", description="A generated timeline for browser tests.", base_url=base_url)
    config = BuildConfig(root / "src/events", root / "src/seeds", ROOT / "site_templates", root / "out", site, search_index=False)
    timeline = check(config)
    www = root / "www"
    for name, data in site_files(timeline, config, inline_limit=inline_limit, provenance={}).items():
        target = www / site.base_path.strip("/") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return www, timeline


def generated_files(n: int) -> dict[str, str | None]:
    from conftest import GOOD_SITE  # tests/conftest.py: the seed every generated quote comes from

    return {**GOOD_SITE, **generated_site(n)}


# Reports every refusal to the test, from every page and every reload of it; counts what the test has received.
CSP_LISTENER = """
window.__csp = { sent: 0, received: 0 };
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.sent++;
  window.__cspViolation(`${location.pathname}: ${event.effectiveDirective} refused ${event.blockedURI || "(inline)"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber}`).then(() => { window.__csp.received++; });
});
"""


class Problems:
    """What the pages of a browser context reported: ``refused``, what the Content-Security-Policy refused
    (``securitypolicyviolation`` events, and console messages about the policy); ``errors``, other console
    errors and uncaught exceptions."""

    def __init__(self, context: BrowserContext):
        self.refused: list[str] = []
        self.errors: list[str] = []
        context.expose_function("__cspViolation", lambda text: self.refused.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        context.on("console", self._console)

    def received(self, page: Page, at_least: int = 0) -> None:
        """Wait until every refusal reported on this page (and at least ``at_least``) has reached the test."""
        page.wait_for_function(
            "(least) => window.__csp.received === window.__csp.sent && window.__csp.received >= least", arg=at_least
        )

    def _console(self, message: ConsoleMessage) -> None:
        text = f"console {message.type}: {message.text} ({message.location.get('url')})"
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.refused.append(text)  # Chromium logs each refusal, and a policy it cannot apply
        elif message.type == "error":
            self.errors.append(text)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot (the whole page, or what the viewport shows) as a test artefact and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
