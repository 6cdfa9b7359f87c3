"""Files the preview makes only when read: never made before, made once, the same bytes as a build's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chronicle.build import check, site_files
from chronicle.config import BuildConfig
from chronicle.preview import live as live_module
from chronicle.preview.later import Later, LaterFiles, differs
from chronicle.preview.live import LiveSite


def test_a_later_group_is_made_once_when_first_read() -> None:
    made: list[int] = []
    later = Later(frozenset({"a", "b"}), lambda: made.append(1) or {"a": b"A", "b": b"B"}, "token-1")
    files = LaterFiles({"x": b"X", "a": b"stale"}, later)
    assert sorted(files) == ["a", "b", "x"] and len(files) == 3 and "b" in files
    assert made == []  # listing, counting and asking whether a file is there make nothing
    assert files["b"] == b"B" and files["a"] == b"A" and made == [1]
    assert dict(files.items()) == {"x": b"X", "a": b"A", "b": b"B"} and made == [1]


def test_whether_a_later_file_changed_is_told_without_making_it() -> None:
    make = lambda: pytest.fail("made")  # noqa: E731
    one = LaterFiles({"x": b"X"}, Later(frozenset({"a"}), make, ("same",)))
    two = LaterFiles({"x": b"X"}, Later(frozenset({"a"}), make, ("same",)))
    three = LaterFiles({"x": b"Y"}, Later(frozenset({"a"}), make, ("other",)))
    assert not differs(one, two, "a") and not differs(one, two, "x")
    assert differs(one, three, "a") and differs(one, three, "x")
    assert differs({"a": b"A"}, one, "a")  # made on one side only: counted as changed


def test_a_text_edit_leaves_the_exports_for_later_and_they_are_a_builds(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    from browser.sites import generated_site

    config = make_site(generated_site(30))
    site = LiveSite(config)
    site.rebuild()
    path = sorted(config.events_dir.glob("*/*.yaml"))[5]
    path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    calls: list[int] = []
    real = live_module.exchange_chunks
    monkeypatch.setattr(live_module, "exchange_chunks", lambda *args: calls.append(1) or real(*args))
    outcome = site.rebuild({str(path)})
    assert calls == [] and "data/events.json" in outcome.changed  # changed, and not made yet
    assert b"Edited " in site.state.files["data/events.json"] and calls == [1]
    assert dict(site.state.files.items()) == site_files(check(config), config)
