"""Fixtures that mirror the pipeline: a small site on disk → config → build."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from chronicle.config import BuildConfig, SiteConfig

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"

SEED_TEXT = """\
The CJNG, in particular, is notorious for its firepower, having shot down Mexican military helicopters in 2015.
El Mencho, 59, was killed on February 22, 2026, when Mexican special forces stormed his stronghold.
"""

SEED_META = """\
title: "A test article"
publisher: "Test Wire"
author: null
published: "2026-03-03"
kind: news
url: "https://example.org/article"
"""

TAGS = """\
cjng: The Jalisco New Generation Cartel.
heavy-weapons: Rifles, launchers and other military-grade arms.
"""

HELICOPTER = """\
# yaml-language-server: $schema=../event.schema.json
title: CJNG gunmen shoot down a military helicopter
date: 2015-05-01
status: confirmed
summary: >
  Gunmen brought down an army helicopter in *Jalisco*.
tags: [cjng, heavy-weapons]
actors: [CJNG, Mexican Army]
places:
  - name: Villa Purificación, Jalisco
sources:
  - seed: s1
    quote: "having shot down Mexican military helicopters in 2015"
related: [2026-02-22-el-mencho-killed]
"""

MENCHO = """\
title: El Mencho is killed in Tapalpa
date: 2026-02-22
status: confirmed
summary: Mexican special forces killed the CJNG's leader.
tags: [cjng]
sources:
  - seed: s1
    quote: “El Mencho, 59, was killed on February 22, 2026”
"""


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


GOOD_SITE = {
    "events/tags.yaml": TAGS,
    "events/2015/2015-05-01-helicopter-shot-down.yaml": HELICOPTER,
    "events/2026/2026-02-22-el-mencho-killed.yaml": MENCHO,
    "seeds/s1.txt": SEED_TEXT,
    "seeds/s1.yaml": SEED_META,
}


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., BuildConfig]:
    """Write a site into tmp_path: the good fixture, changed by ``files`` (None removes a file)."""

    def make(files: Mapping[str, str | None] | None = None, *, base_url: str = "/") -> BuildConfig:
        merged: dict[str, str | None] = {**GOOD_SITE, **(files or {})}
        write_files(tmp_path, {k: v for k, v in merged.items() if v is not None})
        return BuildConfig(
            events_dir=tmp_path / "events",
            seeds_dir=tmp_path / "seeds",
            templates_dir=TEMPLATES,
            output_dir=tmp_path / "output",
            site=SiteConfig(title="Test timeline", base_url=base_url),
        )

    return make


@pytest.fixture
def site_args(make_site: Callable[..., BuildConfig]) -> Callable[..., list[str]]:
    """Command-line arguments pointing at a fixture site."""

    def args(files: Mapping[str, str | None] | None = None) -> list[str]:
        config = make_site(files)
        return [
            "--events", str(config.events_dir),
            "--seeds", str(config.seeds_dir),
            "--templates", str(config.templates_dir),
            "--config", str(config.events_dir.parent / "site.yaml"),
        ]  # fmt: skip

    return args
