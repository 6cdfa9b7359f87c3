"""``build.py serve`` for real: one server, one browser, an edit, a mistake and its fix, no restart."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import Page, expect

from chronicle.config import BuildConfig

from .conftest import ROOT, Problems, screenshot

EVENT = "events/2015/2015-05-01-helicopter-shot-down.yaml"
TIMEOUT_MS = 10_000
# Set by livereload.js's own 'LiveReloadConnect' event: an edit made before it would reload nothing.
CONNECTED = "document.addEventListener('LiveReloadConnect', () => { window.__liveReloadConnected = true; });"


class ServerLog:
    """What the server prints, read line by line as it comes (by a thread), and waited on."""

    def __init__(self, stream: IO[str]):
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def text(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def wait_for(self, pattern: str) -> re.Match[str]:
        """The first match of ``pattern`` in the log, once it is there; fails if the server ends first."""
        with self._changed:
            self._changed.wait_for(lambda: re.search(pattern, "".join(self._lines)) or self._ended, timeout=TIMEOUT_MS / 1000)
            found = re.search(pattern, "".join(self._lines))
        assert found, f"the server did not print {pattern!r}:\n{self.text()}"
        return found


@pytest.fixture
def server(make_site: Callable[..., BuildConfig], tmp_path: Path) -> Iterator[tuple[str, Path, ServerLog]]:
    """``python build.py serve --port 0`` on a fixture site; yields its URL, its root and its log."""
    config = make_site()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--templates", str(config.templates_dir)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True, encoding="utf-8",
    )  # fmt: skip
    assert process.stdout is not None
    log = ServerLog(process.stdout)
    try:
        found = log.wait_for(r"Serving on (http://127\.0\.0\.1:\d+/)")
        yield found.group(1), tmp_path, log
        assert process.poll() is None, f"the server stopped:\n{log.text()}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def wait_until_connected(page: Page) -> None:
    page.wait_for_function("() => window.__liveReloadConnected === true", timeout=TIMEOUT_MS)


def test_edit_break_and_fix_an_event_while_the_page_is_open(page: Page, server: tuple[str, Path, ServerLog]) -> None:
    url, root, log = server
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
    log.wait_for(re.escape(f"{EVENT}:4:9: error: status is 'confimed'"))
    log.wait_for("errors fixed")
    assert "Traceback" not in log.text()
