"""``build.py serve`` for real: one server, one browser, an edit, a mistake and its fix, no restart."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chronicle.config import BuildConfig

from .conftest import ROOT, Problems, screenshot

EVENT = "events/2015/2015-05-01-helicopter-shot-down.yaml"
TIMEOUT_MS = 10_000
# Set by livereload.js's own 'LiveReloadConnect' event: an edit made before it would reload nothing.
CONNECTED = "document.addEventListener('LiveReloadConnect', () => { window.__liveReloadConnected = true; });"


@pytest.fixture
def server(make_site: Callable[..., BuildConfig], tmp_path: Path) -> Iterator[tuple[str, Path, Callable[[], str]]]:
    """``python build.py serve --port 0`` on a fixture site; yields its URL, its root and its log."""
    config = make_site()
    log_path = tmp_path / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--templates", str(config.templates_dir)],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    read_log = lambda: log_path.read_text(encoding="utf-8")  # noqa: E731
    try:
        deadline = time.monotonic() + 15
        while not (found := re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", read_log())):
            assert process.poll() is None, f"the server stopped:\n{read_log()}"
            assert time.monotonic() < deadline, f"the server did not start:\n{read_log()}"
            time.sleep(0.05)
        yield found.group(1), tmp_path, read_log
        assert process.poll() is None, f"the server stopped:\n{read_log()}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_connected(page: Page) -> None:
    page.wait_for_function("() => window.__liveReloadConnected === true", timeout=TIMEOUT_MS)


def test_edit_break_and_fix_an_event_while_the_page_is_open(page: Page, server: tuple[str, Path, Callable[[], str]]) -> None:
    url, root, read_log = server
    event = root / EVENT
    original = event.read_text(encoding="utf-8")
    page.add_init_script(CONNECTED)
    problems = Problems(page.context)  # the pages' Content-Security-Policy must let livereload.js and its websocket be
    response = page.goto(url + "events/2015-05-01-helicopter-shot-down/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("CJNG gunmen shoot down a military helicopter")
    wait_until_connected(page)

    # An edit shows up by itself.
    edited = original.replace("shoot down a military helicopter", "bring down an army helicopter")
    event.write_text(edited, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("CJNG gunmen bring down an army helicopter", timeout=TIMEOUT_MS)
    wait_until_connected(page)

    # A mistake replaces the page with the error, pointing at file:line:col and the line itself.
    event.write_text(edited.replace("status: confirmed", "status: confimed"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("1 error in 1 file", timeout=TIMEOUT_MS)
    expect(page.locator(".where")).to_have_text(f"{EVENT}:4:9")
    expect(page.locator(".message")).to_contain_text("status is 'confimed', which is not allowed. Did you mean 'confirmed'?")
    expect(page.locator(".line.bad")).to_have_text("› 4 | status: confimed")
    screenshot(page, "serve-error-page")
    # Other pages show it too; output/ keeps the last good site.
    assert page.request.get(url).status == 500
    assert b"bring down an army helicopter" in (root / "output/events/2015-05-01-helicopter-shot-down/index.html").read_bytes()
    wait_until_connected(page)

    # Fixing the file brings the site back, with the same server.
    event.write_text(edited, encoding="utf-8")
    expect(page.locator("h1")).to_have_text("CJNG gunmen bring down an army helicopter", timeout=TIMEOUT_MS)
    assert page.request.get(url).status == 200
    problems.received(page)
    assert problems.refused == []
    log = read_log()
    assert f"{EVENT}:4:9: error: status is 'confimed'" in log
    assert "errors fixed" in log
    assert "Traceback" not in log
