"""Compiled templates are cached between builds, and the cache never changes a byte."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.build import build
from chronicle.config import BuildConfig


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_pages_are_the_same_with_and_without_the_template_cache(
    make_site: Callable[..., BuildConfig], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    monkeypatch.setenv("CHRONICLE_CACHE", "off")
    build(config)
    without = digest(config.output_dir)
    monkeypatch.setenv("CHRONICLE_CACHE", str(tmp_path / "cache"))
    build(config, force=True)  # fills the cache
    assert list((tmp_path / "cache/jinja").glob("*.cache"))
    build(config, force=True)  # uses it
    assert digest(config.output_dir) == without


def test_an_empty_cache_setting_means_the_default_folder_not_the_current_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronicle.caches import cache_folder

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHRONICLE_CACHE", "")
    assert cache_folder("jinja") == Path(".cache/jinja")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache"]
