"""The live preview's rebuilds reuse what did not change, and give exactly the files of a build from nothing."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from browser.sites import QUOTES, event_id, event_yaml, generated_site

from chronicle.build import check, site_files
from chronicle.config import BuildConfig
from chronicle.preview.live import LiveSite

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"


def fresh(config: BuildConfig) -> dict[str, bytes]:
    """The site built from nothing, as ``build`` would write it (search index aside)."""
    return site_files(check(config), config)


def event_file(config: BuildConfig, i: int) -> Path:
    return next(config.events_dir.glob(f"*/{event_id(i)}.yaml"))


def touch_write(path: Path, text: str) -> None:
    """Write a file so that the cache sees a change: a later modification time, even on a coarse clock."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


@pytest.fixture(params=["/", "https://example.org/timeline/"], ids=["path", "full-address"])
def config(make_site: Callable[..., BuildConfig], tmp_path: Path, request: pytest.FixtureRequest) -> BuildConfig:
    """A generated site; published at a full address, it also has oEmbed responses, which hold event titles."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    config = make_site(generated_site(40), base_url=request.param)
    return BuildConfig(config.events_dir, config.seeds_dir, templates, config.output_dir, config.site, search_index=False)


def test_every_kind_of_edit_rebuilds_to_the_files_of_a_fresh_build(config: BuildConfig) -> None:
    site = LiveSite(config)
    first = site.rebuild()
    assert not first.state.failed and site.state.files == fresh(config)

    def edit(change: Callable[[], None]) -> None:
        change()
        outcome = site.rebuild()
        assert not outcome.state.failed, outcome.state.diagnostics or outcome.state.crash
        assert site.state.files == fresh(config)

    path = event_file(config, 7)
    edit(lambda: touch_write(path, path.read_text(encoding="utf-8").replace("Generated event number 7", "Renamed event")))
    # Another year: neighbours, year pages, the axis and the manifest all change.
    moved = re.sub(r'date: ".*"', 'date: "1991-01-01"', event_yaml(8), count=1)
    old = event_file(config, 8)
    edit(lambda: (old.unlink(), touch_write(config.events_dir / "1991" / old.name, moved)))
    path = event_file(config, 9)
    edit(lambda: touch_write(path, path.read_text(encoding="utf-8").replace("tags: [", "tags: [cjng, ", 1)))
    added = re.sub(r'date: ".*"', 'date: "2001-05-05"', event_yaml(41), count=1)
    edit(lambda: touch_write(config.events_dir / "2001" / "2001-new-event.yaml", added))
    edit(lambda: event_file(config, 12).unlink())
    vocabulary = config.events_dir / "tags.yaml"
    edit(lambda: touch_write(vocabulary, vocabulary.read_text(encoding="utf-8").replace("Moving weapons", "Carrying weapons")))
    template = config.templates_dir / "_macros.html"
    edit(
        lambda: touch_write(
            template, template.read_text(encoding="utf-8").replace('class="row-title"', 'class="row-title" data-x')
        )
    )
    seed = config.seeds_dir / "s1.yaml"
    edit(lambda: touch_write(seed, seed.read_text(encoding="utf-8").replace("A test article", "A renamed article")))
    assert site.rebuild().changed == ()


def test_an_unchanged_rebuild_renders_nothing_and_an_edit_little(config: BuildConfig) -> None:
    site = LiveSite(config)
    first = site.rebuild()
    pages = sum(1 for name in first.state.files if name.endswith(".html"))
    assert site.rendering.rendered == pages
    site.rendering.rendered = 0
    site.rebuild()
    assert site.rendering.rendered == 0  # every page came from the last rebuild
    path = event_file(config, 20)
    touch_write(path, path.read_text(encoding="utf-8").replace("Generated event number 20", "Edited"))
    outcome = site.rebuild()
    assert f"events/{event_id(20)}/index.html" in outcome.changed
    assert 0 < site.rendering.rendered < pages // 2  # far from every page was rendered again
    assert site.state.files == fresh(config)


def test_a_text_edit_renders_only_the_pages_that_hold_the_event(config: BuildConfig) -> None:
    site = LiveSite(config)
    site.rebuild()
    edited = event_id(20)
    holding = set(site.rendering.showing[edited])  # pages whose values hold the event, even if only to count it
    linking = {
        name for name, data in site.state.files.items() if name.endswith(".html") and f'/events/{edited}/"'.encode() in data
    }
    assert f"events/{edited}/index.html" in holding and linking <= holding
    assert len(holding) < len([name for name in site.state.files if name.endswith(".html")]) // 2
    path = event_file(config, 20)
    site.rendering.rendered = 0
    text = path.read_text(encoding="utf-8")
    touch_write(path, text.replace("Generated event number 20", "Edited").replace("quote: ", "quote:  ", 1))
    outcome = site.rebuild()
    assert site.rendering.reused == 0 and site.rendering.rendered == len(holding)  # the text path: no page compared
    assert {name for name in outcome.changed if name.endswith(".html")} <= holding
    # The data exports and the feed hold every event's text: they are made again on this path too.
    assert {"data/events.json", "data/events.csv", "data/timelinejs.json", "feed.xml"} <= set(outcome.changed)
    assert site.state.files == fresh(config)


def test_a_quote_edit_shows_the_new_quote_and_highlights_its_passage(config: BuildConfig) -> None:
    site = LiveSite(config)
    site.rebuild()
    path = event_file(config, 20)
    text = path.read_text(encoding="utf-8")
    old = next(quote for quote in QUOTES if quote in text)
    touch_write(path, text.replace(old, "when Mexican special forces stormed his stronghold"))  # another passage of s1
    outcome = site.rebuild({str(path)})
    assert {f"events/{event_id(20)}/index.html", "sources/s1/index.html"} <= set(outcome.changed)
    assert b"<mark id=" in site.state.files["sources/s1/index.html"]
    assert site.state.files == fresh(config)


def test_a_rebuild_told_what_changed_reads_only_that_and_matches_a_fresh_build(config: BuildConfig) -> None:
    site = LiveSite(config)
    site.rebuild()
    path = event_file(config, 5)
    touch_write(path, path.read_text(encoding="utf-8").replace("Generated event number 5", "Told"))
    outcome = site.rebuild({str(path)})  # as the watcher reports it
    assert outcome.reread == 1 and site.state.files == fresh(config)
    added = config.events_dir / "2001" / "2001-new-event.yaml"
    touch_write(added, re.sub(r'date: ".*"', 'date: "2001-05-05"', event_yaml(41), count=1))
    assert site.rebuild({str(added)}).reread == 1 and site.state.files == fresh(config)  # a new file is listed
    added.unlink()
    site.rebuild({str(added)})
    assert site.state.files == fresh(config)  # and a removed one unlisted
    misplaced = config.events_dir / "loose.yaml"
    touch_write(misplaced, event_yaml(42))
    outcome = site.rebuild({str(misplaced)})
    assert [d.path for d in outcome.state.diagnostics] == [misplaced]  # the walk that finds it is done again
    misplaced.unlink()
    vocabulary = config.events_dir / "tags.yaml"
    touch_write(vocabulary, vocabulary.read_text(encoding="utf-8").replace("Moving weapons", "Carrying weapons"))
    assert not site.rebuild({str(misplaced), str(vocabulary)}).state.failed
    assert site.state.files == fresh(config)
