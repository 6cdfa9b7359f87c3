"""Round trip: a timeline exported as TimelineJS JSON and imported again gives back the same events.

The same ids, dates (precision, approximate, uncertain, spans, spans still
open), titles, text (the same HTML once rendered) and sources (address,
title, publisher, date, kind, archived copy, quote, stance), and the main tag.
What an import cannot know it says: every event comes back ``reported`` and
marked ``imported``, to be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browser.sites import generated_site

from chronicle.build import check, site_files
from chronicle.config import BuildConfig, SiteConfig, load_site_config
from chronicle.content.model import Event, Source
from chronicle.exchange.importer import plan_import, write_import
from chronicle.exchange.timelinejs import read_json
from chronicle.site.markup import Markdown

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.org/timeline/"


def source_fields(source: Source) -> tuple[object, ...]:
    """A source as an export carries it: an archived document by its address, else by its page on the site."""
    url = source.link or (f"{BASE}sources/{source.seed.id}/" if source.seed else None)
    title = source.display_title or source.display_publisher or url
    published = source.display_published.text if source.display_published else None
    archive = None if source.seed else source.archive_url
    return (url, title, source.display_publisher, published, source.display_kind, archive, source.quote, source.stance)


def round_trip(config: BuildConfig, into: Path) -> tuple[list[Event], dict[str, Event]]:
    timeline = check(config)
    export = site_files(timeline, config, provenance={})["data/timelinejs.json"]
    plan = plan_import(read_json(export.decode("utf-8")), into / "events", origin="timelinejs.json")
    assert plan.not_converted == ()  # nothing left out
    assert plan.skipped == (f"title: the title slide '{config.site.title}' is not an event",)
    write_import(plan)
    back = check(BuildConfig(into / "events", into / "seeds", config.templates_dir, into / "output", SiteConfig()))
    return list(timeline.events), {e.id: e for e in back.events}


def assert_same(original: list[Event], back: dict[str, Event]) -> None:
    markdown = Markdown()
    assert sorted(back) == sorted(e.id for e in original)
    for event in original:
        again = back[event.id]
        assert again.date == event.date, event.id  # the same EDTF text, so the same precision and qualifiers
        assert again.title == event.title
        assert markdown.html(again.summary) == markdown.html(event.summary), event.id
        assert (markdown.html(again.body) if again.body else None) == (markdown.html(event.body) if event.body else None), (
            event.id
        )
        assert [source_fields(s) for s in again.sources] == [source_fields(s) for s in event.sources], event.id
        assert again.tags == event.tags[:1]
        assert (again.status, again.imported) == ("reported", "timelinejs")


def test_every_kind_of_date_and_source_comes_back(make_site: Callable[..., BuildConfig], tmp_path: Path) -> None:
    config = make_site(generated_site(40), base_url=BASE)
    original, back = round_trip(config, tmp_path / "imported")
    kinds = {
        (e.date.start.precision, e.date.is_span, e.date.open_end, e.date.is_approximate, e.date.is_uncertain) for e in original
    }
    assert len(kinds) >= 7  # day, month, year; spans; one still open; approximate; uncertain
    assert any(s.stance == "disputes" and s.archive_url for e in original for s in e.sources)
    assert_same(original, back)


def test_the_real_timeline_comes_back(tmp_path: Path) -> None:
    site = load_site_config(ROOT / "site.yaml", base_url=BASE)
    config = BuildConfig(ROOT / "events", ROOT / "seeds", ROOT / "site_templates", tmp_path / "output", site, search_index=False)
    original, back = round_trip(config, tmp_path / "imported")
    assert_same(original, back)


@pytest.mark.parametrize("text", ["1989~", "1989?", "1989%", "1988-11~/1991?", "2012-05/..", "2012~/.."])
def test_dates_with_qualifiers_come_back_exactly(make_site: Callable[..., BuildConfig], tmp_path: Path, text: str) -> None:
    event = f'title: T\ndate: "{text}"\nstatus: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: E\n    quote: Q\n'
    year = text[:4]
    config = make_site({f"events/{year}/{year}-t.yaml": event}, base_url=BASE)
    original, back = round_trip(config, tmp_path / "imported")
    assert back[f"{year}-t"].date.text == text
    assert_same(original, back)
