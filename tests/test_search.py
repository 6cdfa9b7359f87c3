"""The search data: the facet manifest and the Pagefind index."""

from __future__ import annotations

import json
from collections.abc import Callable

from chronicle.build import build
from chronicle.config import BuildConfig
from chronicle.search import manifest


def test_manifest_lists_every_event_with_facets(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    result = build(config)
    data = json.loads((config.output_dir / "data/manifest.json").read_text("utf-8"))
    assert data == manifest(result.timeline)
    assert data["tags"] == ["cjng", "heavy-weapons"]
    assert data["actors"] == ["CJNG", "Mexican Army"]
    assert data["places"] == ["Villa Purificación, Jalisco"]
    assert data["statuses"] == ["confirmed", "reported", "alleged", "disputed"]
    rows = [dict(zip(data["columns"], row, strict=True)) for row in data["events"]]
    assert rows[0] == {
        "id": "2015-05-01-helicopter-shot-down", "title": "CJNG gunmen shoot down a military helicopter",
        "date": "1 May 2015", "from": 2015, "to": 2015, "status": 0, "tags": [0, 1], "actors": [0, 1], "places": [0],
        "sources": 1,
    }  # fmt: skip
    assert rows[1]["id"] == "2026-02-22-el-mencho-killed" and rows[1]["actors"] == [] and rows[1]["tags"] == [0]


def test_spans_cover_their_years_and_open_spans_run_on(make_site: Callable[..., BuildConfig]) -> None:
    extra = "title: T\nstatus: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: X\n"
    config = make_site(
        {"events/2009/2009-span.yaml": "date: 2009-10/2011-01\n" + extra, "events/2012/2012-open.yaml": "date: 2012/..\n" + extra}
    )
    rows = {row[0]: row for row in manifest(build(config).timeline)["events"]}
    assert rows["2009-span"][3:5] == [2009, 2011]
    assert rows["2012-open"][3:5] == [2012, 9999]


def test_pagefind_indexes_event_pages_only(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    bundle = config.output_dir / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == 2


def test_search_ids_map_every_pagefind_result_to_its_event(make_site: Callable[..., BuildConfig]) -> None:
    import gzip

    config = make_site()
    build(config)
    ids = json.loads((config.output_dir / "data/search-ids.json").read_text("utf-8"))
    events = json.loads((config.output_dir / "data/manifest.json").read_text("utf-8"))["events"]
    assert sorted(ids.values()) == [0, 1]
    for fragment_id, position in ids.items():
        raw = gzip.decompress((config.output_dir / f"pagefind/fragment/{fragment_id}.pf_fragment").read_bytes())
        assert json.loads(raw.removeprefix(b"pagefind_dcd"))["url"] == f"/events/{events[position][0]}/"
