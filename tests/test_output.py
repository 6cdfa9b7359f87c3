"""A failed, stopped or killed build leaves output/ exactly as it was, and nothing behind.

Some of these run the command line in a process of its own and stop it
(SIGTERM) or kill it (SIGKILL) while it writes, waiting on what can be seen
(the staging folder appearing) rather than on time.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser.sites import generated_site

from chronicle.build import build, check, site_files
from chronicle.cli import main
from chronicle.config import BuildConfig
from chronicle.site import removal
from chronicle.site import write as write_module

ROOT = Path(__file__).resolve().parent.parent


def digest(root: Path) -> str:
    found = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return found.hexdigest()


def leftovers(config: BuildConfig) -> list[str]:
    return sorted(p.name for p in config.output_dir.parent.iterdir() if p.name.startswith(".output"))


def build_again(config: BuildConfig) -> int:
    """``build --force`` of the site from the command line, without the search index; its exit status."""
    root = config.events_dir.parent
    return main(["build", "--events", str(config.events_dir), "--seeds", str(config.seeds_dir), "--output", str(config.output_dir),
                 "--config", str(root / "site.yaml"), "--no-search", "--force"])  # fmt: skip


def test_a_write_that_fails_names_the_file_and_leaves_output_as_it_was(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_site()
    build(config)
    before = digest(config.output_dir)
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name == "index.html" and self.parent.name == "about":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    code = build_again(config)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: No space left on device: ") and err.rstrip().endswith("/about/index.html")
    assert digest(config.output_dir) == before and leftovers(config) == []


def test_an_export_that_fails_while_streamed_names_its_file_and_leaves_output_as_it_was(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_site()
    build(config)
    before = digest(config.output_dir)
    real = write_module._safe_relative

    def full(name: str) -> object:
        if name == "data/events.csv":  # the exports are written piece by piece as they are made
            raise OSError(28, "No space left on device")
        return real(name)

    monkeypatch.setattr(write_module, "_safe_relative", full)
    code = build_again(config)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: No space left on device: ") and err.rstrip().endswith("/data/events.csv")
    assert digest(config.output_dir) == before and leftovers(config) == []


def test_the_built_site_is_byte_for_byte_the_site_the_preview_serves(make_site: Callable[..., BuildConfig]) -> None:
    """build writes the exports as they are made and the preview joins them in memory: the same bytes."""
    config = make_site()
    build(config)
    on_disk = {p.relative_to(config.output_dir).as_posix(): p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
    in_memory = site_files(check(config), config)
    assert in_memory.keys() <= on_disk.keys()
    assert {name: on_disk[name] for name in in_memory} == in_memory
    assert "data/events.csv" in in_memory and "data/timelinejs.json" in in_memory


def test_a_large_previous_site_is_removed_by_a_process_of_its_own(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    build(config)
    assert removal.wait_for_removals() == 0  # no previous site
    build(config, force=True)
    assert removal.wait_for_removals() == 0  # a small one is removed at once
    assert leftovers(config) == []
    monkeypatch.setattr(removal, "BACKGROUND_ABOVE", 10)
    before = digest(config.output_dir)
    build(config, force=True)
    assert digest(config.output_dir) == before
    assert removal.wait_for_removals() == 1
    assert leftovers(config) == []


def test_an_output_that_cannot_be_replaced_fails_before_the_swap(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    build(config)
    before = digest(config.output_dir)
    locked = str(config.output_dir.absolute() / "events")
    real = os.access
    monkeypatch.setattr(write_module.os, "access", lambda path, mode: False if str(path) == locked else real(path, mode))
    with pytest.raises(write_module.OutputError, match=r"is not writable, so the previous site could not be removed"):
        build(config, force=True)
    assert digest(config.output_dir) == before and leftovers(config) == []


def test_a_new_site_missing_a_file_is_not_swapped_in(
    make_site: Callable[..., BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    build(config)
    before = digest(config.output_dir)
    real = write_module.write_files
    monkeypatch.setattr(
        "chronicle.build.write_files", lambda files, root: real({k: v for k, v in files.items() if k != "robots.txt"}, root)
    )
    with pytest.raises(write_module.OutputError, match=r"lacks 1 file\(s\), e.g. robots.txt"):
        build(config, force=True)
    assert digest(config.output_dir) == before and leftovers(config) == []


def test_staging_folders_of_builds_no_longer_running_are_swept(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    parent = config.output_dir.parent
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    for name in (f".output.new-{dead.stdout.strip()}-abc", ".output.old-x7f3k2", f".output.new-{os.getpid()}-live", ".other"):
        (parent / name).mkdir()
        (parent / name / "index.html").write_text("stale", encoding="utf-8")
    build(config)
    assert leftovers(config) == [f".output.new-{os.getpid()}-live"]  # this process is still running: kept
    assert (parent / ".other").is_dir()


@pytest.fixture
def big_site(make_site: Callable[..., BuildConfig]) -> Iterator[Path]:
    """A site that takes a second or two to build, so that a build can be caught writing."""
    yield make_site(generated_site(800)).events_dir.parent


def start_build(root: Path, *extra: str, stdout: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--events", str(root / "events"), "--seeds", str(root / "seeds"),
               "--output", str(root / "output"), "--config", str(root / "site.yaml"), "--templates", str(ROOT / "site_templates"),
               "--no-search", *extra]  # fmt: skip
    env = {**os.environ, "CHRONICLE_JOBS": "2", "CHRONICLE_CACHE": "off"}
    return subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=root)


def wait_for(condition: Callable[[], bool], what: str, limit: float = 60) -> None:
    """Poll ``condition`` until it holds (a wait on a condition, not on a time); fail with ``what`` after ``limit`` s."""
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def staging(root: Path) -> list[Path]:
    return [p for p in root.iterdir() if p.name.startswith(".output.new-") and any(p.rglob("index.html"))]


def test_sigterm_while_writing_leaves_output_as_it_was_and_nothing_behind(big_site: Path) -> None:
    with start_build(big_site) as first:
        assert first.wait(120) == 0
    before = digest(big_site / "output")
    (big_site / "events/tags.yaml").write_text((big_site / "events/tags.yaml").read_text() + "extra: One more.\n")
    with start_build(big_site) as build:
        wait_for(lambda: bool(staging(big_site)) or build.poll() is not None, "the build to start writing")
        assert build.poll() is None, "the build ended before it could be stopped: make the site larger"
        build.send_signal(signal.SIGTERM)
        assert build.wait(60) == 143
        assert build.stderr is not None and b"Stopped (SIGTERM)" in build.stderr.read()
    assert digest(big_site / "output") == before
    assert [p.name for p in big_site.iterdir() if p.name.startswith(".output")] == []


def test_a_killed_build_leaves_no_worker_behind_and_the_next_build_sweeps_its_folder(big_site: Path) -> None:
    with subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL) as reader:  # as `build | cat` would
        assert reader.stdin is not None
        with start_build(big_site, stdout=reader.stdin.fileno()) as build:
            reader.stdin.close()  # only the build (and any worker of it) holds the pipe now
            wait_for(lambda: bool(staging(big_site)) or build.poll() is not None, "the build to start writing")
            assert build.poll() is None, "the build ended before it could be killed: make the site larger"
            build.kill()
            build.wait(60)
        wait_for(lambda: reader.poll() is not None, "the pipe to close: no worker may outlive the build")
    assert staging(big_site)  # a killed process cannot clean up...
    with start_build(big_site) as again:
        assert again.wait(120) == 0
    assert [p.name for p in big_site.iterdir() if p.name.startswith(".output")] == []  # ...the next build does
