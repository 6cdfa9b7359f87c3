"""Whole-site builds of small fixture sites, HTML parsed rather than matched."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from chronicle.build import build
from chronicle.config import BuildConfig
from chronicle.diagnostics import ContentErrors


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_builds_every_page(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    result = build(config)
    out = config.output_dir
    assert [e.id for e in result.timeline.events] == ["2015-05-01-helicopter-shot-down", "2026-02-22-el-mencho-killed"]
    for page in [
        "index.html",
        "events/2015-05-01-helicopter-shot-down/index.html",
        "events/2026-02-22-el-mencho-killed/index.html",
        "sources/index.html",
        "sources/s1/index.html",
        "static/style.css",
    ]:
        assert (out / page).is_file(), page


def test_timeline_groups_events_by_year_with_dates_and_status(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    page = soup(config.output_dir / "index.html")
    assert page.html is not None and page.html["lang"] == "en"
    years = page.select("section.year")
    assert [s.h2.get_text() for s in years] == ["2015", "2026"]
    first = years[0].select_one("article.event")
    assert first is not None
    assert first.select_one(".event-title a")["href"] == "/events/2015-05-01-helicopter-shot-down/"
    time = first.select_one("time")
    assert time["datetime"] == "2015-05-01" and time.get_text() == "1 May 2015"
    status = first.select_one("a.status")
    assert status.select_one(".status-word").get_text() == "confirmed"
    assert status["href"] == "/about/#status-confirmed"  # the explanation, one click away
    assert first.select_one(".event-summary em").get_text() == "Jalisco"  # Markdown rendered
    assert [li.get_text() for li in first.select(".tags li")] == ["cjng", "heavy-weapons"]


def test_event_page_shows_sources_with_quotes_and_links(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    page = soup(config.output_dir / "events/2015-05-01-helicopter-shot-down/index.html")
    assert page.h1.get_text() == "CJNG gunmen shoot down a military helicopter"
    source = page.select_one("ol.sources li")
    assert source.blockquote.get_text(strip=True) == "having shot down Mexican military helicopters in 2015"
    link = source.select_one(".source-title a")
    assert link["href"] == "/sources/s1/" and link.get_text() == "A test article"
    assert source.select_one(".kind").get_text() == "News"
    assert source.select_one(".source-publisher").get_text() == "Test Wire"
    from chronicle.site.passages import quote_anchor

    anchor = quote_anchor("having shot down Mexican military helicopters in 2015")
    assert [a["href"] for a in source.select(".source-links a")] == [f"/sources/s1/#{anchor}", "https://example.org/article"]
    related = page.select_one("section[aria-labelledby=related-h] a.row-title")
    assert related["href"] == "/events/2026-02-22-el-mencho-killed/"
    assert page.select_one("a[rel=next]")["href"] == "/events/2026-02-22-el-mencho-killed/"
    assert page.select_one("a[rel=prev]") is None


def test_source_page_lists_citing_events(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    page = soup(config.output_dir / "sources/s1/index.html")
    assert [a["href"] for a in page.select("main .quoted a.row-title")] == [
        "/events/2015-05-01-helicopter-shot-down/",
        "/events/2026-02-22-el-mencho-killed/",
    ]


def test_base_url_prefixes_links_and_gives_canonical(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site(base_url="https://example.org/timeline/")
    build(config)
    page = soup(config.output_dir / "events/2026-02-22-el-mencho-killed/index.html")
    assert page.select_one("link[rel=canonical]")["href"] == "https://example.org/timeline/events/2026-02-22-el-mencho-killed/"
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/timeline/static/style.css?v=")


def test_markdown_from_event_files_is_sanitised(make_site: Callable[..., BuildConfig]) -> None:
    evil = (
        "title: Evil\ndate: 2015-06\nstatus: reported\n"
        'summary: \'Hi <script>alert(1)</script><img src="https://tracker.example/x.gif" onerror="x()"> '
        '[ok](https://example.org) [bad](javascript:alert(1)) <a href="https://e.org" onclick="x()">e</a>\'\n'
        "sources:\n  - url: https://example.org\n    title: Example\n    quote: Q\n"
    )
    config = make_site({"events/2015/2015-06-evil.yaml": evil})
    build(config)
    summary = soup(config.output_dir / "events/2015-06-evil/index.html").select_one(".event-summary")
    assert summary.find("script") is None and summary.find("img") is None
    hrefs = [a.get("href") for a in summary.find_all("a")]
    assert hrefs == ["https://example.org", None, "https://e.org"]
    assert all(not a.has_attr("onclick") for a in summary.find_all("a"))
    assert "alert(1)" not in str(summary.find_all("a")[1].attrs)


def test_two_builds_are_byte_identical(make_site: Callable[..., BuildConfig], tmp_path: Path) -> None:
    config = make_site()
    build(config)
    first = tree_digest(config.output_dir)
    build(config, force=True)  # everything made again: the search index too
    assert tree_digest(config.output_dir) == first


def test_failed_build_leaves_previous_output_untouched(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    before = tree_digest(config.output_dir)
    broken = make_site({"events/2026/2026-02-22-el-mencho-killed.yaml": "title: [unclosed\n"})
    with pytest.raises(ContentErrors):
        build(broken)
    assert tree_digest(config.output_dir) == before
    leftovers = [p.name for p in config.output_dir.parent.iterdir() if p.name.startswith(".output")]
    assert leftovers == []


def test_failed_write_leaves_previous_output_untouched(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    build(config)
    before = tree_digest(config.output_dir)
    real = Path.write_bytes
    calls = {"n": 0}

    def failing(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        build(config, force=True)  # the third page written fails, half-way through the staging folder
    monkeypatch.undo()
    assert calls["n"] == 3
    assert tree_digest(config.output_dir) == before
    assert [p.name for p in config.output_dir.parent.iterdir() if p.name.startswith(".output")] == []


def test_build_replaces_stale_files(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    (config.events_dir / "2015/2015-05-01-helicopter-shot-down.yaml").unlink()
    config = make_site(
        {
            "events/2015/2015-05-01-helicopter-shot-down.yaml": None,
            "events/2026/2026-02-22-el-mencho-killed.yaml": MENCHO_WITHOUT_RELATED,
        }
    )
    build(config)
    assert not (config.output_dir / "events/2015-05-01-helicopter-shot-down").exists()


MENCHO_WITHOUT_RELATED = """\
title: El Mencho is killed in Tapalpa
date: 2026-02-22
status: confirmed
summary: Mexican special forces killed the CJNG's leader.
sources:
  - seed: s1
    quote: "El Mencho, 59, was killed"
"""


def test_builds_on_two_file_systems_are_byte_identical() -> None:
    """The real timeline built on the repository's disk and on tmpfs (/dev/shm): the same files, byte for byte.

    File systems list a folder in different orders (ext4 by a hash of the name, tmpfs newest first): a
    step that takes files in listing order (Pagefind's command line did) gives a different site. On a
    machine with /dev/shm this compares or fails; it never passes without comparing.
    """
    from chronicle.config import load_site_config

    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm on this machine: no second file system to build on")
    root = Path(__file__).resolve().parent.parent
    (root / ".cache").mkdir(exist_ok=True)
    disk = Path(tempfile.mkdtemp(prefix="two-fs-", dir=root / ".cache"))
    memory = Path(tempfile.mkdtemp(prefix="chronicle-two-fs-", dir=shm))
    try:
        assert disk.stat().st_dev != memory.stat().st_dev, f"{disk} and {memory} are on the same file system"
        trees = []
        for where in (disk, memory):
            config = BuildConfig(
                events_dir=root / "events",
                seeds_dir=root / "seeds",
                templates_dir=root / "site_templates",
                output_dir=where / "output",
                site=load_site_config(root / "site.yaml"),
            )
            build(config)
            trees.append(
                {p.relative_to(config.output_dir).as_posix(): p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
            )
        on_disk, in_memory = trees
        assert any(name.startswith("pagefind/index/") for name in on_disk), "the comparison needs the search index"
        assert sorted(on_disk) == sorted(in_memory)
        differ = [name for name in sorted(on_disk) if on_disk[name] != in_memory[name]]
        assert differ == [], f"{len(differ)} files differ between {disk} and {memory}"
    finally:
        shutil.rmtree(disk, ignore_errors=True)
        shutil.rmtree(memory, ignore_errors=True)
