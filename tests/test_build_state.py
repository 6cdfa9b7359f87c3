"""A build skips what has not changed since the last build of the same output folder, and no byte differs for it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.build import build
from chronicle.config import BuildConfig
from chronicle.site import search as search_module


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_nothing_changed_leaves_output_untouched(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    first = build(config)
    assert not first.unchanged
    inode = os.stat(config.output_dir).st_ino
    before = tree(config.output_dir)
    second = build(config)
    assert second.unchanged and second.timeline is None
    assert (second.files, second.events) == (first.files, first.events)
    assert os.stat(config.output_dir).st_ino == inode  # not even swapped
    assert tree(config.output_dir) == before


@pytest.mark.parametrize(
    "change",
    ["an event", "a template", "a seed", "the output", "a setting"],
)
def test_any_change_builds_again_and_gives_a_fresh_build(
    make_site: Callable[..., BuildConfig], tmp_path: Path, change: str
) -> None:
    config = make_site()
    build(config)
    if change == "an event":
        path = config.events_dir / "2015/2015-05-01-helicopter-shot-down.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Gunmen brought", "Gunmen shot"), encoding="utf-8")
    elif change == "a template":
        templates = tmp_path / "templates"
        import shutil

        shutil.copytree(config.templates_dir, templates)
        (templates / "about.html").write_text((templates / "about.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
        config = BuildConfig(config.events_dir, config.seeds_dir, templates, config.output_dir, config.site)
    elif change == "a seed":
        (config.seeds_dir / "s1.yaml").write_text(
            (config.seeds_dir / "s1.yaml").read_text(encoding="utf-8").replace("A test article", "A changed title"),
            encoding="utf-8",
        )
    elif change == "the output":
        (config.output_dir / "about/index.html").unlink()
    else:
        from dataclasses import replace

        config = replace(config, site=replace(config.site, title="Another title"))
    again = build(config)
    assert not again.unchanged
    built = tree(config.output_dir)
    build(config, force=True)
    assert tree(config.output_dir) == built  # what the skipping build made is what a full one makes


def test_the_search_index_is_reused_when_no_event_changed(make_site: Callable[..., BuildConfig], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    config = make_site()
    build(config)
    calls: list[int] = []
    real = search_module.SearchIndex
    monkeypatch.setattr("chronicle.build.SearchIndex", lambda *args: calls.append(1) or real(*args))
    (config.seeds_dir / "s1.yaml").write_text(
        (config.seeds_dir / "s1.yaml").read_text(encoding="utf-8").replace("Test Wire", "Another Wire"), encoding="utf-8"
    )
    build(config)  # the source pages change; the events' search documents name the publisher, so they change too
    assert calls == [1]
    index = tree(config.output_dir / "pagefind")
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(config.templates_dir, templates)
    (templates / "about.html").write_text((templates / "about.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(BuildConfig(config.events_dir, config.seeds_dir, templates, config.output_dir, config.site))
    assert calls == [1]  # the about page changed, no event did: the index was linked in, not made
    assert index and tree(config.output_dir / "pagefind") == index
    build(BuildConfig(config.events_dir, config.seeds_dir, templates, config.output_dir, config.site), force=True)
    assert calls == [1, 1]  # --force makes everything again


def test_the_command_line_says_nothing_changed(make_site: Callable[..., BuildConfig], capsys: pytest.CaptureFixture[str]) -> None:
    from chronicle.cli import main

    config = make_site()
    root = config.events_dir.parent
    args = ["build", "--events", str(config.events_dir), "--seeds", str(config.seeds_dir), "--output", str(config.output_dir),
            "--config", str(root / "site.yaml")]  # fmt: skip
    assert main(args) == 0 and capsys.readouterr().out.startswith("Built ")
    assert main(args) == 0 and capsys.readouterr().out.startswith("Nothing changed since the last build")
    assert main([*args, "--force"]) == 0 and capsys.readouterr().out.startswith("Built ")
