"""The data exports and the feed: each checked against its format, and against the events it comes from."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import feedparser
import jsonschema
import pytest
from browser.sites import generated_site
from bs4 import BeautifulSoup

from chronicle.build import check, site_files
from chronicle.config import BuildConfig, SiteConfig, load_site_config
from chronicle.content.model import Timeline
from chronicle.content.provenance import Provenance
from chronicle.exchange.exports import CSV_COLUMNS
from chronicle.exchange.feed import FEED_ENTRIES

ROOT = Path(__file__).resolve().parent.parent


def files_of(config: BuildConfig, **provenance: Provenance) -> tuple[Timeline, dict[str, bytes]]:
    timeline = check(config)
    return timeline, site_files(timeline, config, provenance=dict(provenance))


@pytest.fixture
def generated(make_site: Callable[..., BuildConfig]) -> tuple[Timeline, dict[str, bytes]]:
    """40 events with every kind of date, status and source (tests/browser/sites.py)."""
    return files_of(make_site(generated_site(40)))


@pytest.fixture(scope="module")
def real() -> tuple[Timeline, dict[str, bytes]]:
    """This repository's own timeline, with its own settings and an absolute base URL."""
    site = load_site_config(ROOT / "site.yaml", base_url="https://example.org/timeline/")
    config = BuildConfig(
        ROOT / "events", ROOT / "seeds", ROOT / "site_templates", ROOT / "unused-output", site, search_index=False
    )
    return files_of(config)


# --- events.json --------------------------------------------------------------------


def test_events_json_is_valid_against_its_published_schema(generated: tuple[Timeline, dict[str, bytes]], real) -> None:  # type: ignore[no-untyped-def]
    for timeline, files in (generated, real):
        schema = json.loads(files["data/events.schema.json"])
        jsonschema.Draft7Validator.check_schema(schema)
        data = json.loads(files["data/events.json"])
        assert list(jsonschema.Draft7Validator(schema).iter_errors(data)) == []
        assert data["schema_version"] == 1 and data["count"] == len(timeline.events)
        assert [e["id"] for e in data["events"]] == [e.id for e in timeline.events]


def test_the_schema_is_strict_enough_to_fail(generated: tuple[Timeline, dict[str, bytes]]) -> None:
    """A record with a field missing, one unknown, or a wrong value is refused: the test above can fail."""
    _, files = generated
    schema = json.loads(files["data/events.schema.json"])
    data = json.loads(files["data/events.json"])
    validator = jsonschema.Draft7Validator(schema)
    for change in (
        lambda d: d["events"][0].pop("sources"),
        lambda d: d["events"][0].update(colour="red"),
        lambda d: d["events"][0].update(status="rumoured"),
        lambda d: d["events"][0]["date"].update(earliest="1 May 2015"),
        lambda d: d["events"][0]["sources"][0].update(stance="neutral"),
        lambda d: d.pop("schema_version"),
    ):
        broken = copy.deepcopy(data)
        change(broken)
        assert not validator.is_valid(broken)


def test_events_json_holds_every_field(generated: tuple[Timeline, dict[str, bytes]]) -> None:
    timeline, files = generated
    records = {r["id"]: r for r in json.loads(files["data/events.json"])["events"]}
    for event in timeline.events:
        record = records[event.id]
        assert record["url"] == f"/events/{event.id}/"
        assert (record["title"], record["status"], record["summary"]) == (event.title, event.status, event.summary.rstrip())
        assert record["date"]["edtf"] == event.date.text and record["date"]["label"] == event.date.label()
        assert record["date"]["open_end"] == event.date.open_end
        assert (record["tags"], record["actors"], record["related"]) == (
            list(event.tags),
            list(event.actors),
            list(event.related),
        )
        assert [p["name"] for p in record["places"]] == [p.name for p in event.places]
        assert [(s["quote"], s["stance"], s["url"]) for s in record["sources"]] == [
            (s.quote, s.stance, s.link) for s in event.sources
        ]
    seeded = next(s for r in records.values() for s in r["sources"] if s["archived_document"])
    assert seeded["archived_document"] == {"id": "s1", "url": "/sources/s1/"}
    assert seeded["title"] == "A test article" and seeded["publisher"] == "Test Wire" and seeded["kind"] == "news"
    disputing = next(s for r in records.values() for s in r["sources"] if s["stance"] == "disputes")
    assert disputing["archive_url"].startswith("https://web.archive.org/") and disputing["published"] == "2020-01-02"
    open_span = next(r for r in records.values() if r["date"]["open_end"])
    assert open_span["date"]["end"] is None and open_span["date"]["latest"] is None


def test_events_json_names_the_licence_repository_and_git_dates(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site(base_url="https://example.org/t/")
    site = SiteConfig(
        title="T", base_url="https://example.org/t/", license="CC BY 4.0", license_url="https://creativecommons.org/licenses/by/4.0/",
        repository_url="https://github.com/example/t",
    )  # fmt: skip
    config = BuildConfig(config.events_dir, config.seeds_dir, config.templates_dir, config.output_dir, site, search_index=False)
    known = Provenance("events/2015/x.yaml", "2025-03-04", added="2024-01-02")
    _, files = files_of(config, **{"2015-05-01-helicopter-shot-down": known})
    data = json.loads(files["data/events.json"])
    assert data["license"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert data["repository"] == "https://github.com/example/t"
    assert data["$schema"] == "https://example.org/t/data/events.schema.json"
    first, second = data["events"]
    assert (first["added"], first["last_changed"], second["added"]) == ("2024-01-02", "2025-03-04", None)
    assert first["url"] == "https://example.org/t/events/2015-05-01-helicopter-shot-down/"


# --- events.csv ---------------------------------------------------------------------


def test_events_csv_reads_back_with_pythons_csv_module(generated: tuple[Timeline, dict[str, bytes]], real) -> None:  # type: ignore[no-untyped-def]
    for timeline, files in (generated, real):
        raw = files["data/events.csv"]
        text = raw.decode("utf-8")  # UTF-8, no byte-order mark
        assert not text.startswith("\ufeff") and text.endswith("\r\n")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert tuple(rows[0]) == CSV_COLUMNS
        assert len(rows) == len(timeline.events) + 1 and all(len(row) == len(CSV_COLUMNS) for row in rows)
        by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
        for event in timeline.events:
            row = by_id[event.id]
            assert (row["title"], row["date"], row["status"]) == (event.title, event.date.text, event.status)
            assert row["summary"] == event.summary.rstrip()  # several lines stay in one cell
            assert row["tags"] == "; ".join(event.tags) and row["actors"] == "; ".join(event.actors)
            assert len(row["sources"].split("; ")) == len(event.sources)


def test_csv_sources_are_publisher_and_url_pairs(generated: tuple[Timeline, dict[str, bytes]]) -> None:
    _, files = generated
    rows = list(csv.DictReader(io.StringIO(files["data/events.csv"].decode("utf-8"), newline="")))
    disputed = next(row for row in rows if row["status"] == "disputed")
    assert disputed["sources"].split("; ") == [
        "Test Wire: https://example.org/article",
        f"Example Gazette: https://example.org/rebuttal/{int(disputed['id'].rsplit('-', 1)[1])}",
    ]
    assert disputed["quotes"].endswith("“This never happened as described.”")
    assert {row["places"] for row in rows} >= {"Morelia, Michoacán"}  # accents as they are: UTF-8


# --- timelinejs.json ------------------------------------------------------------------


def test_timelinejs_slides_have_dates_at_their_precision(generated: tuple[Timeline, dict[str, bytes]]) -> None:
    timeline, files = generated
    data = json.loads(files["data/timelinejs.json"])
    assert data["scale"] == "human" and data["title"]["text"]["headline"] == "Test timeline"
    slides = {s["unique_id"]: s for s in data["events"]}
    assert list(slides) == [e.id for e in timeline.events]
    for event in timeline.events:
        slide = slides[event.id]
        start = event.date.start
        expected = {"year": str(start.year), **({"month": str(start.month)} if start.month else {})}
        expected |= {"day": str(start.day)} if start.day else {}
        assert slide["start_date"] == expected
        assert ("end_date" in slide) == (event.date.end is not None)
        if event.date.end is not None:
            assert slide["end_date"]["year"] == str(event.date.end.year)
        special = event.date.is_approximate or event.date.is_uncertain or event.date.open_end
        assert slide.get("display_date") == (event.date.label() if special else None)
        assert slide["group"] == event.tags[0]
        assert slide["text"]["headline"] == event.title
        text = BeautifulSoup(slide["text"]["text"], "html.parser")
        assert text.select_one(".chronicle-status strong").get_text() == event.status
        assert len(text.select("ul.chronicle-sources > li")) == len(event.sources)
        assert text.select_one(".chronicle-link a")["href"] == f"/events/{event.id}/"


def test_a_headline_is_escaped_html(make_site: Callable[..., BuildConfig]) -> None:
    event = "title: Guns & <b>roses</b>\ndate: 2015\nstatus: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: E\n    quote: Q\n"
    _, files = files_of(make_site({"events/2015/2015-roses.yaml": event}))
    slide = next(s for s in json.loads(files["data/timelinejs.json"])["events"] if s["unique_id"] == "2015-roses")
    assert slide["text"]["headline"] == "Guns &amp; &lt;b&gt;roses&lt;/b&gt;"


# --- feed.xml -------------------------------------------------------------------------


def test_the_feed_is_valid_atom_with_the_newest_additions_first(generated: tuple[Timeline, dict[str, bytes]]) -> None:
    timeline, files = generated
    feed = feedparser.parse(files["feed.xml"])
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "Test timeline"
    assert len(feed.entries) == min(FEED_ENTRIES, len(timeline.events))
    # No git dates here: an event counts as added on the first day of its date, so the latest events come first.
    newest = sorted(timeline.events, key=lambda e: (e.date.start.earliest, e.sort_key), reverse=True)
    assert [entry.link for entry in feed.entries] == [f"/events/{e.id}/" for e in newest]
    first = feed.entries[0]
    assert first.title == newest[0].title and first.published.startswith(newest[0].date.start.earliest.isoformat())
    assert "Status: " in first.summary and all(entry.id.startswith("urn:uuid:") for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_feed_dates_come_from_git_where_known(make_site: Callable[..., BuildConfig]) -> None:
    """The helicopter (2015) was added last: it comes first; the other has no git date and counts from its own date."""
    config = make_site(base_url="https://example.org/t/")
    known = Provenance("events/2015/x.yaml", "2026-05-01", added="2026-04-01")
    _, files = files_of(config, **{"2015-05-01-helicopter-shot-down": known})
    feed = feedparser.parse(files["feed.xml"])
    assert feed.bozo == 0
    assert [e.id for e in feed.entries] == [
        "https://example.org/t/events/2015-05-01-helicopter-shot-down/",
        "https://example.org/t/events/2026-02-22-el-mencho-killed/",
    ]
    first, second = feed.entries
    assert (first.published, first.updated) == ("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z")
    assert second.published == "2026-02-22T00:00:00Z"
    assert feed.feed.updated == "2026-05-01T00:00:00Z" and feed.feed.id == "https://example.org/t/"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == ["https://example.org/t/feed.xml"]


def test_the_feed_is_capped_and_every_page_links_it(make_site: Callable[..., BuildConfig]) -> None:
    _, files = files_of(make_site(generated_site(FEED_ENTRIES + 5)))
    assert len(feedparser.parse(files["feed.xml"]).entries) == FEED_ENTRIES
    for name in ("index.html", "about/index.html", "tags/index.html"):
        page = BeautifulSoup(files[name], "html.parser")
        alternate = page.find("link", rel="alternate", type="application/atom+xml")
        assert alternate is not None and alternate["href"] == "/feed.xml", name


# --- the About page and the footer -----------------------------------------------------


def test_the_about_page_links_the_data_and_names_the_licence_and_repository(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site()
    _, files = files_of(config)
    about = BeautifulSoup(files["about/index.html"], "html.parser")
    section = about.find(id="data").find_parent("section")
    hrefs = [a["href"] for a in section.find_all("a")]
    assert {"/data/events.json", "/data/events.csv", "/data/timelinejs.json", "/feed.xml", "/data/events.schema.json"} <= set(
        hrefs
    )
    assert "No licence has been named" in section.get_text() and "repository" not in section.get_text()
    footer = BeautifulSoup(files["events/2015-05-01-helicopter-shot-down/index.html"], "html.parser").find("footer")
    assert footer.find("a", string="Data")["href"] == "/about/#data"

    site = SiteConfig(title="T", license="CC BY 4.0", license_url="https://creativecommons.org/licenses/by/4.0/",
                      repository_url="https://github.com/example/t")  # fmt: skip
    config = BuildConfig(config.events_dir, config.seeds_dir, config.templates_dir, config.output_dir, site, search_index=False)
    _, files = files_of(config)
    section = BeautifulSoup(files["about/index.html"], "html.parser").find(id="data").find_parent("section")
    licence = section.find("a", rel="license")
    assert (licence.get_text(), licence["href"]) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert section.find("a", href="https://github.com/example/t") is not None


def test_the_real_site_names_its_licence() -> None:
    site = load_site_config(ROOT / "site.yaml")
    assert (site.license, site.license_url) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
