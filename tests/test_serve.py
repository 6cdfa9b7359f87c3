"""The live preview without a browser: rebuilds, the cache, the error page, routing, watching, binding.

The browser side (live reload, the error page appearing and going) is in tests/browser/test_serve.py.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from chronicle.cli import main
from chronicle.config import BuildConfig
from chronicle.content.files import load_events
from chronicle.diagnostics import Diagnostic
from chronicle.preview import live as live_module
from chronicle.preview.cache import DocumentCache
from chronicle.preview.errorpage import error_page, excerpt
from chronicle.preview.live import LiveSite, SiteState
from chronicle.preview.serve import Preview
from chronicle.preview.watcher import ContentWatcher

HELICOPTER = "events/2015/2015-05-01-helicopter-shot-down.yaml"
PAGE = "events/2015-05-01-helicopter-shot-down/index.html"


def edit(config: BuildConfig, name: str, old: str, new: str) -> None:
    path = config.events_dir.parent / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- rebuilding ----------------------------------------------------------------------


def test_a_one_event_edit_rereads_one_file(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    site = LiveSite(config)
    first = site.rebuild()
    assert not first.state.failed
    assert first.reread == 3  # two events and the tag vocabulary
    assert PAGE in first.changed and "index.html" in first.changed
    edit(config, HELICOPTER, "shoot down a military helicopter", "bring down an army helicopter")
    second = site.rebuild()
    assert second.reread == 1
    assert PAGE in second.changed and "index.html" in second.changed
    assert "sources/s1/index.html" in second.changed  # the source page lists the event's title
    assert b"bring down an army helicopter" in site.state.files[PAGE]
    third = site.rebuild()
    assert (third.reread, third.changed, third.visible) == (0, (), False)


def test_a_cancelled_rebuild_keeps_the_state_and_the_next_one_gives_a_fresh_build(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    from browser.sites import generated_site

    from chronicle.build import site_files
    from chronicle.preview import incremental

    config = make_site(generated_site(30))
    site = LiveSite(config)
    good = site.rebuild().state
    path = sorted(config.events_dir.glob("*/*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    status = "alleged" if "status: alleged" not in text else "reported"
    path.write_text(re.sub(r"status: \w+", f"status: {status}", text, count=1), encoding="utf-8")  # every page showing it changes
    asked = []
    monkeypatch.setattr(incremental, "CANCEL_EVERY", 5)
    cancelled = site.rebuild(None, lambda: len(asked) > 2 or bool(asked.append(1)))  # a newer change, mid-render
    assert cancelled.cancelled and site.state is good and not cancelled.visible
    after = site.rebuild()
    assert after.state.files == {**site_files(site.check(), config)}


def test_a_hostile_file_does_not_hold_the_preview(make_site: Callable[..., BuildConfig]) -> None:
    """An alias bomb saved in the preview is an error at once, and the next fix is picked up."""
    config = make_site()
    site = LiveSite(config)
    site.rebuild()
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 10) + "]\n" for i in range(9)
    )
    edit(config, HELICOPTER, "related:", bomb + "related:")
    broken = site.rebuild()
    assert broken.state.failed and "aliases" in " ".join(d.message for d in broken.state.diagnostics)
    edit(config, HELICOPTER, bomb, "")
    assert not site.rebuild().state.failed


def test_a_failed_rebuild_keeps_the_last_good_site_and_fixing_brings_it_back(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    site = LiveSite(config)
    good = site.rebuild().state
    edit(config, HELICOPTER, "status: confirmed", "status: confimed")
    broken = site.rebuild()
    assert broken.state.failed and broken.visible
    assert broken.state.files == good.files
    assert [(d.path.name, d.line, d.column) for d in broken.state.diagnostics] == [("2015-05-01-helicopter-shot-down.yaml", 4, 9)]
    assert site.rebuild().visible is False  # the same errors again: nothing to reload
    edit(config, HELICOPTER, "status: confimed", "status: confirmed")
    fixed = site.rebuild()
    assert not fixed.state.failed and fixed.visible
    assert fixed.state.files == good.files


def test_a_crash_in_the_pipeline_is_shown_not_raised(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = LiveSite(make_site())
    site.rebuild()

    def broken_render(*args: object, **options: object) -> dict[str, bytes]:
        raise RuntimeError("a bug in render")

    monkeypatch.setattr(live_module, "render_changed", broken_render)
    monkeypatch.setattr(live_module, "rerender", broken_render)
    outcome = site.rebuild()
    assert outcome.state.failed and outcome.visible
    assert "RuntimeError: a bug in render" in outcome.state.crash
    page = BeautifulSoup(error_page(outcome.state), "html.parser")
    assert page.h1.get_text() == "The build crashed"
    assert "RuntimeError: a bug in render" in page.select_one("pre.traceback").get_text()


def test_output_holds_only_good_builds(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    site = LiveSite(config)
    assert site.write_output(site.rebuild().state) == ""
    before = (config.output_dir / PAGE).read_bytes()
    edit(config, HELICOPTER, "status: confirmed", "status: confimed")
    assert site.rebuild().state.failed  # the preview writes output/ only after a good build
    assert (config.output_dir / PAGE).read_bytes() == before
    assert b"error" not in before


# --- the cache -----------------------------------------------------------------------


def test_cache_reuses_unchanged_documents_and_forgets_removed_ones(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    cache = DocumentCache()
    first, problems = load_events(config.events_dir, cache)
    assert problems == [] and (cache.hits, cache.misses) == (0, 2)
    again, _ = load_events(config.events_dir, cache)
    assert [a is b for a, b in zip(first, again, strict=True)] == [True, True]
    path = config.events_dir.parent / HELICOPTER
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime, other size: still re-read
    changed, _ = load_events(config.events_dir, cache)
    assert changed[0] is not first[0] and changed[1] is first[1]


def test_live_site_forgets_removed_files(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    site = LiveSite(config)
    site.check()
    path = config.events_dir.parent / HELICOPTER
    assert path in site.cache._entries
    path.unlink()
    site.check()
    assert path not in site.cache._entries


def test_cache_keeps_problems_too(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site({"events/2015/2015-bad.yaml": "title: [\n"})
    cache = DocumentCache()
    _, problems = load_events(config.events_dir, cache)
    _, again = load_events(config.events_dir, cache)
    assert [p.message for p in problems] == [p.message for p in again] != []


# --- the error page ------------------------------------------------------------------


def test_error_page_names_file_line_column_message_and_shows_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("title: T\ndate: 2015\nstatus: confimed\nsummary: <b>S</b>\nsources: []\nrelated: []\n", encoding="utf-8")
    state = SiteState(diagnostics=(Diagnostic(path, 3, 9, "status is 'confimed' <not allowed>"),))
    page = BeautifulSoup(error_page(state), "html.parser")
    assert page.h1.get_text() == "1 error in 1 file"
    item = page.select_one("li.diagnostic")
    assert item.select_one(".where").get_text() == f"{path}:3:9"
    assert item.select_one(".message").get_text() == "error: status is 'confimed' <not allowed>"
    lines = [span.get_text() for span in item.select("pre.excerpt span")]
    assert lines == [
        "  1 | title: T",
        "  2 | date: 2015",
        "› 3 | status: confimed",
        "    |         ^",
        "  4 | summary: <b>S</b>",
        "  5 | sources: []",
    ]
    assert item.select_one(".line.bad").get_text() == "› 3 | status: confimed"


def test_excerpt_of_a_folder_or_a_line_past_the_end(tmp_path: Path) -> None:
    assert excerpt(Diagnostic(tmp_path, 1, 1, "m")) == ""
    path = tmp_path / "x.yaml"
    path.write_text("title: [\n", encoding="utf-8")
    spans = BeautifulSoup(excerpt(Diagnostic(path, 2, 1, "m")), "html.parser").select("span")
    assert [s.get_text() for s in spans] == ["› 1 | title: ["]  # the last line, no caret


def test_error_page_counts_errors_and_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    state = SiteState(diagnostics=(Diagnostic(a, 1, 1, "x"), Diagnostic(a, 2, 1, "y"), Diagnostic(b, 1, 1, "z")))
    page = BeautifulSoup(error_page(state), "html.parser")
    assert page.h1.get_text() == "3 errors in 2 files"
    assert len(page.select("li.diagnostic")) == 3


# --- what the server answers --------------------------------------------------------


def test_pages_are_served_from_memory_with_the_live_script(make_site: Callable[..., BuildConfig]) -> None:
    preview = Preview(make_site())
    preview.site.rebuild()
    status, content_type, body, location = preview.page("")
    assert (status, content_type, location) == (200, "text/html; charset=utf-8", None)
    assert body.count(b'<script src="/livereload.js"></script></head>') == 1
    assert preview.page("events/2015-05-01-helicopter-shot-down")[::3] == (301, "/events/2015-05-01-helicopter-shot-down/")
    assert preview.page("events/2015-05-01-helicopter-shot-down/")[0] == 200
    status, content_type, body, _ = preview.page("static/style.css")
    assert (status, content_type) == (200, "text/css; charset=utf-8") and b"livereload" not in body
    assert preview.page("no/such/page/")[0] == 404


def test_when_the_build_fails_every_page_is_the_error_page_but_styles_still_load(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    preview = Preview(config)
    preview.site.rebuild()
    edit(config, HELICOPTER, "status: confirmed", "status: confimed")
    preview.site.rebuild()
    for path in ("", "events/2015-05-01-helicopter-shot-down/", "no/such/page/"):
        status, _, body, _ = preview.page(path)
        assert status == 500
        page = BeautifulSoup(body, "html.parser")
        assert page.select_one(".where").get_text().endswith("2015-05-01-helicopter-shot-down.yaml:4:9")
        assert page.select_one('script[src="/livereload.js"]') is not None
    assert preview.page("static/style.css")[0] == 200


def test_what_only_the_indexer_makes_comes_from_output(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    preview = Preview(config)
    assert preview.site.write_output(preview.site.rebuild().state) == ""
    assert "pagefind/pagefind.js" not in preview.site.state.files
    status, content_type, body, _ = preview.page("pagefind/pagefind.js")
    assert (status, content_type) == (200, "text/javascript; charset=utf-8")
    assert body == (config.output_dir / "pagefind/pagefind.js").read_bytes()
    assert preview.page("data/manifest.json")[1] == "application/json"
    (config.output_dir.parent / "secret.txt").write_text("not served", encoding="utf-8")
    assert preview.page("../secret.txt")[0] == 404


def test_a_site_with_a_base_path_is_served_under_it(make_site: Callable[..., BuildConfig]) -> None:
    preview = Preview(make_site(base_url="https://example.org/timeline/"))
    preview.site.rebuild()
    assert preview.page("")[::3] == (302, "/timeline/")
    assert preview.page("timeline")[::3] == (302, "/timeline/")
    assert preview.page("timeline/")[0] == 200
    assert preview.page("timeline/static/style.css")[0] == 200
    assert preview.page("static/style.css")[0] == 404


# --- watching --------------------------------------------------------------------------


def test_watcher_reports_a_change_once_it_has_settled(tmp_path: Path) -> None:
    (tmp_path / "events/2015").mkdir(parents=True)
    event = tmp_path / "events/2015/a.yaml"
    event.write_text("a", encoding="utf-8")
    watcher = ContentWatcher([tmp_path / "events", tmp_path / "missing"])
    assert watcher.poll() == set()
    event.write_text("ab", encoding="utf-8")
    (tmp_path / "events/2015/.a.yaml.swp").write_text("editor", encoding="utf-8")
    (tmp_path / "events/2015/b.yaml").write_text("b", encoding="utf-8")
    assert watcher.poll() == set()  # seen, but maybe not finished: wait for a quiet poll
    assert watcher.poll() == {str(event), str(tmp_path / "events/2015/b.yaml")}
    assert watcher.poll() == set()
    event.unlink()
    watcher.poll()
    assert watcher.poll() == {str(event)}


# --- binding -----------------------------------------------------------------------------


def test_a_taken_port_is_one_clear_line_and_exit_2(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", *site_args(), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err == f"error: port {port} on 127.0.0.1 is already in use (another 'make serve'?): stop it, or use --port {port + 1}\n"
    )


def test_a_host_that_is_not_here_is_exit_2(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", *site_args(), "--host", "192.0.2.1", "--port", "0"])  # TEST-NET-1: never this machine's
    assert code == 2
    assert capsys.readouterr().err.startswith("error: cannot listen on host '192.0.2.1'")


def test_serve_defaults_to_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "address to listen on (default: 127.0.0.1)" in capsys.readouterr().out
