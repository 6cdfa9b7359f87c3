"""The mechanisms that make builds fast never change what is built.

Rendering across processes, the per-event fragment caches and the fast file
walk are each checked against the plain, serial way of doing the same thing.
Speed itself is measured by the benchmark (bench/run.py), never here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from browser.sites import generated_site

from chronicle.build import build, check, site_files
from chronicle.config import BuildConfig
from chronicle.content import parts as parts_module
from chronicle.content.files import event_files
from chronicle.content.parts import check_in_parts
from chronicle.diagnostics import ContentErrors
from chronicle.site.render import Renderer
from chronicle.site.render_workers import plan, write_pages, write_pages_while

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def generated_config(make_site: Callable[..., BuildConfig]) -> BuildConfig:
    return make_site(generated_site(90))


def test_pages_rendered_by_two_processes_are_the_pages_rendered_by_one(generated_config: BuildConfig, tmp_path: Path) -> None:
    timeline = check(generated_config)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    site = generated_config.site
    assert write_pages(Renderer(timeline, site, TEMPLATES), serial, jobs=1) == write_pages(
        Renderer(timeline, site, TEMPLATES), parallel, jobs=2
    )
    assert tree(serial) == tree(parallel)
    in_memory = Renderer(timeline, site, TEMPLATES).render_all()
    assert tree(serial) == {name: hashlib.sha256(data).hexdigest() for name, data in sorted(in_memory.items())}


def test_a_parallel_build_is_the_serial_build_and_the_preview_files(generated_config: BuildConfig, tmp_path: Path) -> None:
    config = dataclasses.replace(generated_config, search_index=False)
    build(config, jobs=2, force=True)
    parallel = tree(config.output_dir)
    build(config, jobs=1, force=True)
    assert tree(config.output_dir) == parallel
    files = site_files(check(config), config)
    assert parallel == {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}


def test_a_timeline_checked_in_parts_is_the_timeline_checked_whole(
    generated_config: BuildConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts_module, "PARTS_MIN_FILES", 2)
    whole = check(generated_config)
    parts = check_in_parts(generated_config.events_dir, generated_config.seeds_dir, 3)
    assert parts is not None
    assert parts == whole  # the same events (related ones across parts included), seeds and tags, in the same order
    assert all(source.seed is parts.seeds[source.seed.id] for e in parts.events for source in e.sources if source.seed)
    assert check(generated_config, jobs=3) == whole


def test_a_part_with_a_problem_hands_over_to_the_whole_check_and_its_usual_report(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts_module, "PARTS_MIN_FILES", 2)
    config = make_site(generated_site(30))
    last = sorted(config.events_dir.glob("*/*.yaml"))[-1]  # in the last part, which a worker checks
    last.write_text(last.read_text(encoding="utf-8").replace("status: ", "status: rumoured\nstatus_was: ", 1), encoding="utf-8")
    assert check_in_parts(config.events_dir, config.seeds_dir, 2) is None
    with pytest.raises(ContentErrors) as serial:
        check(config)
    with pytest.raises(ContentErrors) as in_parts:
        check(config, jobs=2)
    assert in_parts.value.diagnostics == serial.value.diagnostics
    assert {d.path for d in serial.value.diagnostics} == {last}


def test_a_template_error_in_a_worker_names_the_template(make_site: Callable[..., BuildConfig], tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            (templates / path.relative_to(TEMPLATES)).parent.mkdir(parents=True, exist_ok=True)
            (templates / path.relative_to(TEMPLATES)).write_bytes(path.read_bytes())
    (templates / "event.html").write_text(
        (templates / "event.html").read_text(encoding="utf-8").replace("{{ event.title }}", "{{ event.title(", 1),
        encoding="utf-8",
    )
    config = make_site(generated_site(20))
    timeline = check(config)
    with pytest.raises(ContentErrors) as raised:
        write_pages(Renderer(timeline, config.site, templates), tmp_path / "out", jobs=2)
    assert [(d.path.name, d.message.startswith("template syntax")) for d in raised.value.diagnostics] == [("event.html", True)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_is_done_while_the_workers_render_is_returned_and_its_error_raised(
    generated_config: BuildConfig, tmp_path: Path, jobs: int
) -> None:
    timeline = check(generated_config)
    renderer = Renderer(timeline, generated_config.site, TEMPLATES)
    assert write_pages_while(renderer, tmp_path / "out", lambda: {"made": b"here"}, jobs=jobs) == {"made": b"here"}
    assert tree(tmp_path / "out").keys() == {page.path for page in renderer.pages}

    def failing() -> None:
        raise ValueError("made meanwhile, and wrong")

    with pytest.raises(ValueError, match="made meanwhile, and wrong"):
        write_pages_while(renderer, tmp_path / "again", failing, jobs=jobs)


def test_plan_keeps_an_event_page_with_its_year_page_and_leaves_no_page_out(generated_config: BuildConfig) -> None:
    timeline = check(generated_config)
    renderer = Renderer(timeline, generated_config.site, TEMPLATES)
    tasks = plan(renderer.pages, 2)
    assert sorted(i for task in tasks for i in task) == list(range(len(renderer.pages)))
    where = {renderer.pages[i].path: n for n, task in enumerate(tasks) for i in task}
    for event in timeline.events:
        assert where[f"events/{event.id}/index.html"] == where[f"years/{event.date.year}/index.html"]


def test_fragments_are_rendered_once_per_event_object(generated_config: BuildConfig) -> None:
    timeline = check(generated_config)
    renderer = Renderer(timeline, generated_config.site, TEMPLATES)
    event = timeline.events[0]
    row = renderer.fragments.row(event)
    assert renderer.fragments.row(event) is row  # the same markup, not rendered again
    assert event.title in row and f'href="/events/{event.id}/"' in row
    again = check(generated_config).events[0]  # an equal event, but another object: rendered anew
    assert again == event and again is not event
    assert renderer.fragments.row(again) == row and renderer.fragments.row(again) is not row


def test_the_fast_walk_finds_what_rglob_finds(tmp_path: Path) -> None:
    events = tmp_path / "events"
    for name in ("2015/b.yaml", "2015/a.yaml", "2015-x/c.yaml", "2016/.hidden.yaml", ".git/x.yaml", "tags.yaml",
                 "2014/deep/d.yaml", "stray.yaml", "2015/e.yml", "2015/notes.txt"):  # fmt: skip
        (events / name).parent.mkdir(parents=True, exist_ok=True)
        (events / name).write_text("title: x\n", encoding="utf-8")
    (events / "2017").symlink_to(events / "2015", target_is_directory=True)  # not followed (as rglob does not), but reported
    files, problems = event_files(events)
    slow = [
        p for p in sorted(events.rglob("*")) if p.is_file() and not any(x.startswith(".") for x in p.relative_to(events).parts)
    ]
    assert files == [p for p in slow if p.suffix == ".yaml" and len(p.relative_to(events).parts) == 2]
    assert [d.path.name for d in problems] == ["d.yaml", "e.yml", "2017", "stray.yaml"]
    assert "symbolic link" in problems[2].message
