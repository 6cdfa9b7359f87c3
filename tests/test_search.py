"""The search data: the facet manifest, the list files and the Pagefind index."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import pagefind_bin
import pytest
from bs4 import BeautifulSoup

from chronicle.build import build, site_files
from chronicle.config import BuildConfig, load_site_config
from chronicle.site.facets import LIST_CHUNK, id_prefix_length, id_shard, listed_event_ids, manifest, manifest_files
from chronicle.site.markup import Markdown
from chronicle.site.search import SearchIndexError, index_documents, search_documents

ROOT = Path(__file__).resolve().parent.parent


def read(path: Path) -> object:
    return json.loads(path.read_text("utf-8"))


def test_manifest_lists_every_value_and_the_positions_of_its_events(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    result = build(config)
    data = read(config.output_dir / "data/manifest.json")
    assert data == manifest(result.timeline)
    assert data["count"] == 2
    assert data["tags"] == ["cjng", "heavy-weapons"]
    assert data["actors"] == ["CJNG", "Mexican Army"]
    assert data["places"] == ["Villa Purificación, Jalisco"]
    assert data["statuses"] == ["confirmed", "reported", "alleged", "disputed"]
    # Events 0 (2015, confirmed: cjng, heavy-weapons; both actors; the place) and 1 (2026, tag cjng only).
    assert data["postings"] == {"tags": [[0, 1], [0]], "actors": [[0], [0]], "places": [[0]]}
    assert data["status"] == [0, data["statuses"].index(result.timeline.events[1].status)]
    assert data["from"] == [2015, 2026 - 2015] and data["span"] == [0, 0]
    assert "events" not in data and "title" not in json.dumps(data)  # titles are in the list files only


def test_manifest_positions_and_years_decode_to_the_model(make_site: Callable[..., BuildConfig]) -> None:
    """What the browser decodes (running sums of the gaps) is every event's tags, actors, places and years."""
    files = {
        f"events/{year}/{year}-e{i}.yaml": f"title: T{i}\ndate: {year}\nstatus: reported\nsummary: S\ntags: [{tag}]\n"
        "sources:\n  - url: https://example.org\n    title: X\n    quote: Q\n"
        for i, (year, tag) in enumerate([(1999, "cjng"), (2003, "heavy-weapons"), (2003, "cjng"), (2010, "cjng")])
    }
    timeline = build(make_site(files)).timeline
    data = manifest(timeline)
    for facet, values in (
        ("tags", lambda e: e.tags),
        ("actors", lambda e: e.actors),
        ("places", lambda e: [p.name for p in e.places]),
    ):
        decoded = {name: list(accumulate(gaps)) for name, gaps in zip(data[facet], data["postings"][facet], strict=True)}
        for position, event in enumerate(timeline.events):
            assert sorted(v for v, where in decoded.items() if position in where) == sorted(values(event)), (facet, event.id)
    assert list(accumulate(data["from"])) == [e.date.start.year for e in timeline.events]


def test_spans_cover_their_years_and_open_spans_run_on(make_site: Callable[..., BuildConfig]) -> None:
    extra = "title: T\nstatus: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: X\n    quote: Q\n"
    config = make_site(
        {"events/2009/2009-span.yaml": "date: 2009-10/2011-01\n" + extra, "events/2012/2012-open.yaml": "date: 2012/..\n" + extra}
    )
    timeline = build(config).timeline
    data = manifest(timeline)
    years = {
        e.id: (start, start + span)
        for e, start, span in zip(timeline.events, accumulate(data["from"]), data["span"], strict=True)
    }
    assert years["2009-span"] == (2009, 2011)
    assert years["2012-open"] == (2012, 9999)


def test_list_files_hold_every_event_in_timeline_order(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    timeline = build(config).timeline
    rows = read(config.output_dir / "data/list/0.json")
    assert rows[0] == [
        "2015-05-01-helicopter-shot-down",
        "CJNG gunmen shoot down a military helicopter",
        "1 May 2015",
        "confirmed",
    ]
    assert [row[0] for row in rows] == [e.id for e in timeline.events]
    assert listed_event_ids(config.output_dir) == [e.id for e in timeline.events]


def test_list_files_are_cut_every_list_chunk_events(make_site: Callable[..., BuildConfig]) -> None:
    extra = "status: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: X\n    quote: Q\n"
    count = LIST_CHUNK + 3
    files = {f"events/2001/2001-e{i:03}.yaml": f"title: T{i}\ndate: 2001\n" + extra for i in range(count)}
    config = make_site(files)
    timeline = build(config).timeline
    made = manifest_files(timeline)
    lists = sorted(name for name in made if name.startswith("data/list/"))
    assert lists == ["data/list/0.json", "data/list/1.json"]
    assert len(json.loads(made["data/list/1.json"])) == count + 2 - LIST_CHUNK  # the fixture's two events too
    assert listed_event_ids(config.output_dir) == [e.id for e in timeline.events]


def test_the_front_page_names_the_position_of_its_first_card(make_site: Callable[..., BuildConfig]) -> None:
    """The cards are the latest events in timeline order, whole years or the end of the latest one."""
    extra = "status: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: X\n    quote: Q\n"
    dates = ["2001", "2001-03", "2003-05-01", "2003-06", "2003~", "2004", "2004-02-03", "2004-11"]
    files = {f"events/{d[:4]}/{d[:4]}-e{i}.yaml": f'title: T{i}\ndate: "{d}"\n' + extra for i, d in enumerate(dates)}
    config = make_site(files)
    timeline = build(config).timeline
    for limit in (1, 2, 3, 5, 8, 300):
        html = site_files(timeline, config, inline_limit=limit)["index.html"]
        page = BeautifulSoup(html.decode("utf-8"), "html.parser")
        tools = page.select_one("#timeline-tools")
        assert tools is not None
        cards = [card["id"] for card in page.select(".timeline article.event")]
        first = int(str(tools["data-first"]))
        assert cards and cards == [e.id for e in timeline.events[first:]], limit
    assert tools["data-count"] == str(len(timeline.events))
    assert tools["data-list-chunk"] == str(LIST_CHUNK)


def test_pagefind_indexes_event_pages_only(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    build(config)
    bundle = config.output_dir / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = read(bundle / "pagefind-entry.json")
    assert isinstance(entry, dict)
    assert sum(language["page_count"] for language in entry["languages"].values()) == 2


def test_a_pagefind_that_stops_fails_the_build_with_its_message(
    make_site: Callable[..., BuildConfig], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site()
    build(config)
    before = {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()}
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: out of memory' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: broken)
    with pytest.raises(SearchIndexError, match="pagefind stopped: pagefind: out of memory"):
        build(config, force=True)
    assert {p: p.read_bytes() for p in config.output_dir.rglob("*") if p.is_file()} == before


def test_pagefind_writes_every_file_whole(tmp_path: Path) -> None:
    """The real timeline's pages indexed eight times over give the same files each time, none cut short.

    Pagefind 1.5.2's service acknowledges WriteFiles before its writes have reached the disk, and a service
    stopped at once then left a file cut at a multiple of 4 KiB, one run in three or four here.
    """
    site = load_site_config(ROOT / "site.yaml", base_url="/")
    output = tmp_path / "output"
    timeline = build(
        BuildConfig(ROOT / "events", ROOT / "seeds", ROOT / "site_templates", output, site, search_index=False), force=True
    ).timeline
    assert timeline is not None
    documents = search_documents(timeline.events, Markdown().plain)
    runs = []
    for _ in range(8):
        shutil.rmtree(output / "pagefind", ignore_errors=True)
        index_documents(output, documents)
        runs.append(
            {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "pagefind").rglob("*")) if p.is_file()}
        )
    assert len(runs[0]) > 10
    for n, run in enumerate(runs[1:], 2):
        assert sorted(run) == sorted(runs[0]), n
        assert [name for name in run if run[name] != runs[0][name]] == [], f"run {n} differs from the first"
    for name, data in runs[0].items():
        if name.endswith(("pf_fragment", "pf_index", "pf_meta", "pf_filter")):
            assert gzip.decompress(data).startswith(b"pagefind_dcd"), name


def test_search_ids_map_every_pagefind_result_to_its_event(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    timeline = build(config).timeline
    ids = read(config.output_dir / "data/search-ids.json")
    assert isinstance(ids, dict) and sorted(ids.values()) == [0, 1]
    for fragment_id, position in ids.items():
        raw = gzip.decompress((config.output_dir / f"pagefind/fragment/{fragment_id}.pf_fragment").read_bytes())
        assert json.loads(raw.removeprefix(b"pagefind_dcd"))["url"] == f"/events/{timeline.events[position].id}/"
    # The same map, cut by the first digits of each id's hash.
    length = id_prefix_length(len(timeline.events))
    shards = {path.stem: read(path) for path in (config.output_dir / "data/search-ids").glob("*.json")}
    assert shards == {
        prefix: {i: p for i, p in ids.items() if id_shard(i, length) == prefix} for prefix in {id_shard(i, length) for i in ids}
    }


def test_search_id_shards_stay_small_as_timelines_grow() -> None:
    lengths = {n: id_prefix_length(n) for n in (0, 39, 1_000, 1_024, 1_025, 10_000, 16_384, 16_385, 100_000, 262_145)}
    assert lengths == {0: 1, 39: 1, 1_000: 1, 1_024: 1, 1_025: 2, 10_000: 2, 16_384: 2, 16_385: 3, 100_000: 3, 262_145: 4}
    assert id_shard("en_025e02d", 2) == "02" and id_shard("pt-br_f00", 1) == "f"


def test_search_documents_mark_their_fields_and_pagefind_reports_where_each_starts(tmp_path: Path) -> None:
    """The browser tells which field a query matched (to say why an event matched) from the anchors Pagefind
    records for the fields' ids, each with the number of the word it starts at; the fields have no text of
    their own, so the anchors add no words to a fragment."""
    site = load_site_config(ROOT / "site.yaml", base_url="/")
    timeline = build(
        BuildConfig(ROOT / "events", ROOT / "seeds", ROOT / "site_templates", tmp_path / "out", site, search_index=False)
    ).timeline
    assert timeline is not None
    event = next(e for e in timeline.events if e.body and e.actors and e.places and len(e.sources) > 1)
    plain = Markdown().plain
    index_documents(tmp_path / "www", search_documents([event], plain))
    (fragment,) = (tmp_path / "www/pagefind/fragment").glob("*.pf_fragment")
    data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
    anchors = {a["id"]: a for a in data["anchors"]}
    wanted = ["d", "s", "b", "a", "p", "g"] + [f"{k}{n}" for n in range(1, len(event.sources) + 1) for k in "cr"]
    assert list(anchors) == wanted and all(a["text"] == "" for a in anchors.values())
    words = data["content"].split()
    field = {
        k: words[a["location"] : anchors[wanted[i + 1]]["location"] if i + 1 < len(wanted) else None]
        for i, (k, a) in enumerate(anchors.items())
    }
    assert " ".join(words[: anchors["d"]["location"]]) == event.title + "."
    assert " ".join(field["s"]).rstrip(".") == " ".join(plain(event.summary).split()).rstrip(".")
    assert " ".join(field["a"]).rstrip(".") == " · ".join(event.actors)
    assert " ".join(field["r1"]).strip('."') == " ".join((event.sources[0].quote or "").split()).strip('."')
