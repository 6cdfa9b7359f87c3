"""What a reader's browser fetches and how fast filtering answers, measured in Chromium.

python bench/browser.py OUTPUT_DIR   # prints JSON

The built site (search index included) is served over HTTP on the loopback,
and Debian's Chromium is driven by Playwright, launched as the browser tests
launch it (tests/browser/conftest.py). Every figure starts from a new browser
context, so nothing is cached:

- ``first_view``: the front page and every file it fetches (styles, scripts,
  icon), until the network is idle. The search's own scripts (search.js and
  its parts) are not among them: they are fetched when the reader first
  reaches for the search.
- ``first_query``: what typing a word into the search box fetches (the search's
  scripts, Pagefind's script, WebAssembly and index chunks, the shards of the
  result-id map, the list files of matches not on the page).
- ``search_script``: what reaching for the search fetches (a focus on the order
  of the list, which loads query.js, search.js and its parts, and nothing else).
- ``filter_change``: what choosing a tag then fetches (the facet manifest and the
  list files of the first matches not on the page).

- ``widget``: the first view of a filtered widget, as an article frames it
  (``embed/tags/<tag>/``, the page "Embed this view" gives for a tag: its
  HTML, style and scripts); the same view narrowed by the widget's script
  (``embed/?tag=<tag>&status=confirmed``: the page, then the facet data and
  the list files of the events shown); and a text query in the widget
  (``embed/?q=777``: the text files it searches, newest first, until the
  latest 20 matches are known).

The files fetched are those whose requests finished, until none has for half
a second; for a filter change, which must not wait for that before the timed
changes, those the page's resource timing lists up to the moment it was shown
(a filter change waits for every file it needs before showing). Sizes are of
the bytes as a web server sends them compressed: each file of the served
folder is gzipped (level 6, the usual server setting) unless it is already
compressed (Pagefind's files), in which case its own size counts.

``filter_ms`` is measured inside the page: from the moment the tag menu's
value changes until the page has updated the visible events, the list of
matches from other years and the status line, and the browser has laid out
and painted the next frame; the median of seven changes made straight after the
first (each may still fetch the list files it needs). ``first_filter_ms``
is the first change, which also downloads and parses the manifest.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import statistics
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERY = "777"  # in event 777's title (bench/generate.py numbers them): a query matching a few events

# Change the tag menu and resolve, in milliseconds, once the status line shows the result and a frame is painted.
TIMED_FILTER = """async (value) => {
  const select = document.getElementById('f-tag');
  const status = document.getElementById('search-status');
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (/match/.test(status.textContent)) { observer.disconnect(); resolve(); }
    });
    observer.observe(status, {childList: true, characterData: true, subtree: true});
  });
  const started = performance.now();
  select.value = value;
  select.dispatchEvent(new Event('change', {bubbles: true}));
  await done;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - started;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def compressed(body: bytes) -> int:
    if body[:2] == b"\x1f\x8b":  # already gzip (Pagefind's index files)
        return len(body)
    return len(gzip.compress(body, compresslevel=6, mtime=0))


class Fetched:
    """Every file a page fetches (its workers' too), with its compressed size.

    Requests are noted by address as they finish and sized from the served
    folder: a response's body read from Playwright's events can come too late
    to be had (which once hid a whole manifest from these figures).
    """

    def __init__(self, page: Page, root: Path) -> None:
        self.page, self.root = page, root
        self.names: list[str] = []
        page.on("requestfinished", lambda request: self.names.append(request.url))
        page.add_init_script("performance.setResourceTimingBufferSize(100000)")

    def settle(self) -> None:
        """Wait until no request has finished for half a second."""
        seen = -1
        while seen != len(self.names):
            seen = len(self.names)
            self.page.wait_for_timeout(500)

    def items(self) -> list[tuple[str, int]]:
        self.settle()
        return [(name, compressed(self.path(name).read_bytes())) for name in self.names]

    def path(self, address: str) -> Path:
        local = urllib.parse.unquote(urllib.parse.urlsplit(address).path).lstrip("/")
        return self.root / (local + "index.html" if local.endswith("/") or not local else local)

    def reset(self) -> None:
        self.settle()
        self.names.clear()
        self.page.evaluate("performance.clearResourceTimings()")

    def page_items_until(self, moment: float) -> list[tuple[str, int]]:
        """What the page itself (not its workers) fetched from the last reset until ``moment`` (``performance.now()``)."""
        names = self.page.evaluate(
            "(moment) => performance.getEntriesByType('resource').filter((e) => e.startTime <= moment).map((e) => e.name)", moment
        )
        return [(name, compressed(self.path(name).read_bytes())) for name in names]


def wait_for_results(page: Page) -> None:
    page.wait_for_function("() => /match/.test(document.getElementById('search-status').textContent)", timeout=120_000)


def tag_values(page: Page) -> list[str]:
    return page.locator("#f-tag option").evaluate_all("options => options.map(o => o.value).filter(Boolean)")


def measure(browser: Browser, url: str, root: Path) -> dict[str, object]:
    result: dict[str, object] = {}

    context = browser.new_context()
    page = context.new_page()
    fetched = Fetched(page, root)
    page.goto(url, wait_until="networkidle")
    items = fetched.items()
    result["first_view_bytes"] = sum(size for _, size in items)
    result["first_view_files"] = len(items)
    result["first_view_html_bytes"] = sum(size for u, size in items if u == url)
    result["inline_events"] = page.locator(".timeline article.event").count()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    fetched = Fetched(page, root)
    page.goto(url, wait_until="networkidle")
    fetched.reset()
    page.fill("#q", QUERY)
    wait_for_results(page)
    items = fetched.items()
    result["first_query_bytes"] = sum(size for _, size in items)
    result["first_query_files"] = len(items)
    result["first_query_status"] = page.locator("#search-status").inner_text()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    fetched = Fetched(page, root)
    page.goto(url, wait_until="networkidle")
    fetched.reset()
    page.locator("#results input[name=order]").first.focus()  # the reader reaches for the search: its scripts load
    page.wait_for_function("() => document.documentElement.classList.contains('has-search')")
    items = fetched.items()
    result["search_script_bytes"] = sum(size for _, size in items)
    result["search_script_files"] = len(items)
    fetched.reset()
    tags = tag_values(page)
    result["first_filter_ms"] = page.evaluate(TIMED_FILTER, tags[0])
    first_done = page.evaluate("performance.now()")
    times = [page.evaluate(TIMED_FILTER, tags[(i + 1) % len(tags)]) for i in range(7)]
    items = fetched.page_items_until(first_done)
    result["filter_change_bytes"] = sum(size for _, size in items)
    result["filter_change_files"] = len(items)
    result["filter_ms"] = statistics.median(times)
    result["filter_ms_max"] = max(times)
    result["filter_status"] = page.locator("#search-status").inner_text()
    context.close()

    tag = tags[0]
    for name, address in (
        ("widget", f"embed/tags/{tag}/"),
        ("widget_narrowed", f"embed/?tag={tag}&status=confirmed"),
        ("widget_text", f"embed/?q={QUERY}"),
    ):
        context = browser.new_context()
        page = context.new_page()
        fetched = Fetched(page, root)
        page.goto(url + address, wait_until="networkidle")
        page.wait_for_function(  # a function, not an expression: the widget's policy forbids eval
            "() => !document.querySelector('[aria-busy]') && document.querySelector('.w-count').textContent !== ''"
        )
        items = fetched.items()
        result[f"{name}_bytes"] = sum(size for _, size in items)
        result[f"{name}_files"] = len(items)
        result[f"{name}_events"] = page.locator(".w-event").count()
        context.close()
    return result


def main() -> None:
    output = Path(sys.argv[1])
    with served(output) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            print(json.dumps(measure(browser, url, output)))
        finally:
            browser.close()


if __name__ == "__main__":
    main()
