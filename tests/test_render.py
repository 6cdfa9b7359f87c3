"""Render: the reader's pages, parsed with BeautifulSoup, from fixture timelines.

Most tests render a generated timeline of 50 events (tests/browser/sites.py) in
memory; the page-size test renders a larger one with the same small limit.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

import pytest
from browser.sites import TAGS, event_id, generated_site, write_tree
from bs4 import BeautifulSoup

from chronicle.build import check, site_files
from chronicle.config import BuildConfig, SiteConfig
from chronicle.content.model import STATUSES, Timeline
from chronicle.content.provenance import event_provenance
from chronicle.site import pages as pages_module
from chronicle.site.markup import shorten
from chronicle.site.pages import INLINE_LIMIT
from chronicle.site.paging import GROUP_PAGE_SIZE, SOURCES_PAGE_SIZE, YEAR_PAGE_SIZE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"
N = 50

Files = dict[str, bytes]


def load(tmp: Path, n: int) -> Timeline:
    from conftest import GOOD_SITE

    write_tree(tmp, {**GOOD_SITE, **generated_site(n)})
    return check(BuildConfig(tmp / "events", tmp / "seeds", TEMPLATES, tmp / "output", SiteConfig(), search_index=False))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    return load(tmp_path_factory.mktemp("generated"), N)


def config_for(site: SiteConfig) -> BuildConfig:
    """A configuration rendering with the project's templates (the content folders are not read)."""
    return BuildConfig(TEMPLATES.parent / "events", TEMPLATES.parent / "seeds", TEMPLATES, TEMPLATES.parent / "output", site)


def render(timeline: Timeline, *, base_url: str = "/", inline_limit: int = INLINE_LIMIT) -> Files:
    site = SiteConfig(title="Test timeline", description="A test of the reader's site.", base_url=base_url)
    return site_files(timeline, config_for(site), inline_limit=inline_limit, provenance={})


@pytest.fixture(scope="module")
def site(generated: Timeline) -> Files:
    return render(generated)


@pytest.fixture(scope="module")
def absolute_site(generated: Timeline) -> Files:
    return render(generated, base_url="https://example.org/timeline/", inline_limit=10)


def html(files: Files, path: str) -> BeautifulSoup:
    return BeautifulSoup(files[path].decode("utf-8"), "html.parser")


_parsed: dict[int, dict[str, BeautifulSoup]] = {}


def html_pages(files: Files) -> Iterator[tuple[str, BeautifulSoup]]:
    """Every HTML page, parsed once per rendered site (html.parser is slow; the tests only read)."""
    pages = _parsed.setdefault(id(files), {})
    for path in sorted(files):
        if path.endswith(".html"):
            if path not in pages:
                pages[path] = html(files, path)
            yield path, pages[path]


def site_pages(files: Files) -> Iterator[tuple[str, BeautifulSoup]]:
    """The pages of the site itself: every HTML page but the widgets (embed/), which have none of its chrome (tests/test_embed.py)."""
    return ((path, page) for path, page in html_pages(files) if not path.startswith("embed/"))


def file_for(files: Files, href: str, base_path: str = "/") -> str | None:
    """The output file a site-internal link leads to, or None if it leads nowhere."""
    path = urlsplit(href).path
    assert path.startswith(base_path), href
    name = path.removeprefix(base_path)
    for candidate in (name, name + "index.html", name + "/index.html"):
        if candidate in files and not candidate.endswith("/"):
            return candidate
    if name == "":
        return "index.html"
    return None


def internal_links(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select("a[href]") if not urlsplit(a["href"]).scheme and not a["href"].startswith("#")]


# --- the front page ----------------------------------------------------------------------


def test_front_page_shows_every_event_up_to_the_limit(generated: Timeline, site: Files) -> None:
    page = html(site, "index.html")
    cards = page.select(".timeline article.event")
    assert [c["id"] for c in cards] == [e.id for e in generated.events]
    assert len(cards) == N
    assert page.select_one(".year-index") is None  # nothing to link beyond the page
    years = [s["id"] for s in page.select(".timeline section.year")]
    assert years == [f"y{y}" for y in sorted({e.date.year for e in generated.events})]


def test_beyond_the_limit_the_front_page_shows_the_latest_years_and_links_every_year(generated: Timeline) -> None:
    files = render(generated, inline_limit=10)
    page = html(files, "index.html")
    shown = page.select(".timeline article.event")
    assert 0 < len(shown) <= 10
    shown_years = {int(s["id"][1:]) for s in page.select(".timeline section.year")}
    assert max(shown_years) == max(e.date.year for e in generated.events)
    every_year = sorted({e.date.year for e in generated.events})
    index_links = {a.get_text(" ", strip=True).split()[0]: a["href"] for a in page.select(".year-index a")}
    assert sorted(int(y) for y in index_links) == every_year
    for year, href in index_links.items():
        assert href == (f"#y{year}" if int(year) in shown_years else f"/years/{year}/")
    # every event is reachable with plain links: from the front page, or through a year page
    reached = {a["href"] for a in page.select("article.event .event-title a")}
    for href in index_links.values():
        if not href.startswith("#"):
            year_page = html(files, file_for(files, href) or "")
            reached |= {a["href"] for a in year_page.select("article.event .event-title a")}
    assert reached == {f"/events/{e.id}/" for e in generated.events}


def test_the_front_page_does_not_grow_with_the_number_of_events(generated: Timeline, tmp_path: Path) -> None:
    bigger = load(tmp_path, 3 * N)
    small = render(generated, inline_limit=10)["index.html"]
    large = render(bigger, inline_limit=10)["index.html"]
    assert len(html({"i": large}, "i").select("article.event")) <= 10
    assert len(large) < 1.2 * len(small)  # the same span of years: the axis and year links stay the same size


def test_dates_show_their_precision(make_site: Callable[..., BuildConfig]) -> None:
    event = "title: T{n}\ndate: '{date}'\nstatus: reported\nsummary: S.\nsources:\n  - url: https://example.org/{n}\n    title: X\n    quote: Q\n"
    dates = {"1989": "1989", "1988-11": "November 1988", "1989~": "c. 1989", "2026-02-22": "22 February 2026",
             "2022-01?": "January 2022 (uncertain)", "2009-10/2011-01": "October 2009 – January 2011", "2012/..": "2012 onward"}  # fmt: skip
    files = {f"events/{d[:4]}/{d[:4]}-e{i}.yaml": event.format(n=i, date=d) for i, d in enumerate(dates)}
    config = make_site(files)
    out = site_files(check(config), config)
    page = html(out, "index.html")
    labels = {
        a.select_one(".event-title a").get_text(): a.select_one(".event-date").get_text() for a in page.select("article.event")
    }
    assert {labels[f"T{i}"] for i in range(len(dates))} == set(dates.values())
    card = page.select_one("article.event.span")
    assert [t["datetime"] for t in card.select(".event-date time")] == ["2009-10", "2011-01"]
    assert "loose" in page.find(id="1989-e2")["class"]  # c. 1989: drawn as approximate


def test_the_axis_links_every_year_with_events_and_names_itself(generated: Timeline, site: Files) -> None:
    page = html(site, "index.html")
    axis = page.select_one("nav.axis[data-axis]")
    heading = page.find(id=axis["aria-labelledby"])
    assert heading is not None and heading.get_text(" ", strip=True) == "Overview 1990–2024"
    links = axis.select("a[href]")
    years = sorted({e.date.year for e in generated.events})
    assert [a["href"] for a in links] == [f"#y{y}" for y in years]
    for a in links:
        assert page.find(id=a["href"][1:]) is not None
        assert re.fullmatch(r"\d{4}: \d+ events?( \(\d+ with approximate or uncertain dates\))?(; \d+ longer events? under way)?",
                            a.select_one(".visually-hidden").get_text())  # fmt: skip
    assert axis.select(".seg.on") and axis.select(".seg-loose") and axis.select(".seg-open")
    assert axis.select(".bar-loose")
    legend = axis.select_one(".axis-legend").get_text(" ", strip=True)
    for words in ("events starting that year", "approximate or uncertain", "lasting several years", "still under way"):
        assert words in legend  # the text says what the drawing shows: colour is never the only cue


def test_event_cards_carry_status_sources_and_tags(site: Files) -> None:
    card = html(site, "index.html").find("article", id=event_id(0))
    status = card.select_one("a.status")
    assert status["href"] == "/about/#status-confirmed"
    assert status.get_text(" ", strip=True) == "Status: confirmed"
    assert len(status.select(".pips i")) == 3
    assert card.select_one(".source-count").get_text() == "1 source"
    assert [a["href"] for a in card.select(".tags a")] == ["/tags/cjng/", "/tags/heavy-weapons/"]
    assert card.select_one(".event-summary em").get_text() == "number 0"


# --- the event page --------------------------------------------------------------------------


def test_disputing_sources_stand_beside_supporting_ones(site: Files) -> None:
    page = html(site, f"events/{event_id(3)}/index.html")  # generated event 3 is disputed
    assert page.select_one(".status-box").get_text(" ", strip=True).startswith("Status: disputed")
    supporting = page.select(".stance-supports .source-card")
    disputing = page.select(".stance-disputes .source-card")
    assert len(supporting) == 1 and len(disputing) == 1
    card = disputing[0]
    assert card.select_one(".kind").get_text() == "Opinion"
    assert card.select_one(".source-date time")["datetime"] == "2020-01-02"
    assert card.select_one(".source-publisher").get_text() == "Example Gazette"
    assert card.select_one(".quote").get_text(strip=True) == "This never happened as described."
    assert [(a.get_text(), a["href"]) for a in card.select(".source-links a")] == [
        ("Original", "https://example.org/rebuttal/3"),
        ("Archived copy", "https://web.archive.org/web/2020/https://example.org/rebuttal/3"),
    ]
    assert all("nofollow" in a["rel"] for a in card.select("a[href^=http]"))


def test_event_page_has_places_actors_related_and_neighbours(generated: Timeline, site: Files) -> None:
    events = generated.events
    i = next(i for i, e in enumerate(events) if e.related and 0 < i < len(events) - 1)
    event = events[i]
    page = html(site, f"events/{event.id}/index.html")
    facts = {d.dt.get_text(): d.dd for d in page.select(".facts > div")}
    assert [a.get_text() for a in facts["Who"].select("a")] == list(event.actors)
    assert [a.get_text() for a in facts["Where"].select("a")] == [p.name for p in event.places]
    assert [a["href"] for a in page.select(".related a.row-title")] == [f"/events/{r}/" for r in event.related]
    assert page.select_one("a[rel=prev]")["href"] == f"/events/{events[i - 1].id}/"
    assert page.select_one("a[rel=next]")["href"] == f"/events/{events[i + 1].id}/"
    assert page.select_one(f".crumbs a[href='/years/{event.date.year}/']") is not None
    # the same in the head, for the arrow keys (site.js) and for browsers that know rel=prev|next
    assert page.select_one("head link[rel=prev]")["href"] == f"/events/{events[i - 1].id}/"
    assert page.select_one("head link[rel=next]")["href"] == f"/events/{events[i + 1].id}/"
    first, last = html(site, f"events/{events[0].id}/index.html"), html(site, f"events/{events[-1].id}/index.html")
    assert first.select("head link[rel=prev]") == [] and last.select("head link[rel=next]") == []


def test_the_timeline_page_carries_what_its_scripts_steer_with(generated: Timeline, site: Files) -> None:
    """The overview's data (each year's first position, the span lines' events), the summary above the list, the
    order, and a note for readers without JavaScript; what scripts run is shown by CSS alone (.js-only)."""
    page = html(site, "index.html")
    axis = page.select_one("nav.axis-steer")
    years = sorted({e.date.year for e in generated.events})
    assert (int(axis["data-first"]), int(axis["data-last"])) == (
        years[0],
        max(e.date.end.year if e.date.end else e.date.year for e in generated.events),
    )
    starts = [int(n) for n in axis["data-starts"].split()]
    assert starts[-1] == len(generated.events)
    for i, year in enumerate(range(int(axis["data-first"]), int(axis["data-last"]) + 1)):
        assert {e.date.year for e in generated.events[starts[i] : starts[i + 1]]} <= {year}
    for seg in axis.select(".seg[data-p]"):  # a span line names its event's position where it starts
        event = generated.events[int(seg["data-p"])]
        assert event.date.is_span and seg.find_parent("li")["data-year"] == str(event.date.year)
    assert page.select_one(".axis-reset.js-only") is not None
    results = page.select_one("#results.js-only")
    assert results.select_one("#results-count").get_text() == f"{len(generated.events)} events"
    assert [r["value"] for r in results.select("input[name=order]")] == ["", "newest"]
    assert results.select_one("#search-status[role=status]") is not None
    assert page.select_one("#timeline-tools.js-only:not([hidden])") is not None
    note = page.select_one("noscript").get_text()
    assert "need JavaScript" in note
    counts = page.select(".year-count")
    assert sum(int(c["data-total"]) for c in counts) == len(generated.events)
    # early.js, which keeps a searched list out of sight until it shows the matches, comes before the list
    scripts = [s["src"].split("?")[0] for s in page.select("script[src]")]
    assert "/static/early.js" in scripts and not page.select_one("script[src*=early]").has_attr("defer")
    assert page.select_one("script[src*=early]").find_next("div", class_="timeline") is not None


def test_cite_this_gives_the_permalink(site: Files, absolute_site: Files) -> None:
    eid = event_id(0)
    text = html(site, f"events/{eid}/index.html").select_one("#cite-text").get_text()
    assert text == f"“Generated event number 0 about weapons” (1 January 1990). Test timeline. /events/{eid}/"
    page = html(absolute_site, f"events/{eid}/index.html")
    assert page.select_one("#cite-text [data-permalink]").get_text() == f"https://example.org/timeline/events/{eid}/"
    button = page.select_one("button[data-copy=cite-text]")
    assert button.has_attr("hidden")  # shown by site.js only, where copying works
    # the "Embed" button: shown only where scripts run (.js-only), before they do, so that it moves nothing
    assert page.select_one(".embed-slot.js-only:not([hidden])")["data-event"] == eid


# --- browse pages --------------------------------------------------------------------------------


def test_browse_pages_list_each_group_with_counts(generated: Timeline, site: Files) -> None:
    tags = html(site, "tags/index.html")
    counted = {li.a.get_text(): li.select_one(".count").get_text() for li in tags.select(".counts li")}
    expected = {t: sum(t in e.tags for e in generated.events) for t in TAGS}
    assert counted == {t: f"{n} event{'s' * (n != 1)}" for t, n in expected.items()}
    cjng = html(site, "tags/cjng/index.html")
    assert {a["href"] for a in cjng.select("a.row-title")} == {f"/events/{e.id}/" for e in generated.events if "cjng" in e.tags}
    assert cjng.select_one(".lede").get_text() == "The Jalisco New Generation Cartel."


def walk_pages(files: Files, first: str) -> list[tuple[str, BeautifulSoup]]:
    """A paged list's pages, from the first, by following rel=next; checks each links back by rel=prev."""
    found: list[tuple[str, BeautifulSoup]] = []
    href: str | None = first
    while href is not None:
        page = html(files, file_for(files, href) or "")
        back = page.select_one('link[rel="prev"]')
        assert (back["href"] if back else None) == (found[-1][0] if found else None), href
        found.append((href, page))
        link = page.select_one('link[rel="next"]')
        href = link["href"] if link else None
        assert [a["href"] for a in page.select('.prev-next a[rel="next"]')] == ([href] if href else [])
    return found


def test_a_long_group_is_paged_by_years_with_every_event_on_one_page_in_time_order(tmp_path: Path) -> None:
    timeline = load(tmp_path, 330)
    files = render(timeline, base_url="https://example.org/")
    members = [e for e in timeline.events if "cjng" in e.tags]
    pages = walk_pages(files, "/tags/cjng/")
    assert len(pages) == -(-len(members) // GROUP_PAGE_SIZE) >= 2, "the fixture must fill more than one page"
    assert [href for href, _ in pages] == ["/tags/cjng/"] + [f"/tags/cjng/page/{n}/" for n in range(2, len(pages) + 1)]
    assert sorted(name for name in files if name.startswith("tags/cjng/")) == sorted(h[1:] + "index.html" for h, _ in pages)
    listed: list[str] = []
    sizes = []
    for n, (href, page) in enumerate(pages, 1):
        rows = [a["href"] for a in page.select("a.row-title")]
        shown = [e for e in members if f"/events/{e.id}/" in rows]
        first, last = shown[0].date.year, max(e.date.year for e in shown)
        years = str(first) if first == last else f"{first}–{last}"
        current = page.select(".pager a[aria-current=page]")
        assert [(a["href"], a.get_text()) for a in current] == [(href, years)]
        assert page.title is not None and page.title.get_text().startswith(f"cjng · Tags · {years} (page {n} of {len(pages)})")
        listed += rows
        sizes.append(len(rows))
    assert listed == [f"/events/{e.id}/" for e in members]  # each event once, in time order
    assert max(sizes) <= GROUP_PAGE_SIZE and max(sizes) - min(sizes) <= 1  # as even as can be
    assert html(files, "tags/index.html").select_one('a[href="/tags/cjng/"]') is not None
    assert b"<loc>https://example.org/tags/cjng/page/2/</loc>" in files["sitemap.xml"]


def test_a_long_list_of_outside_sources_is_paged_by_publisher(
    generated: Timeline, site: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuttals = {s.url for e in generated.events for s in e.sources if s.url}  # a disputed event cites a rebuttal of its own
    assert len(rebuttals) <= SOURCES_PAGE_SIZE and not any(name.startswith("sources/page/") for name in site)
    monkeypatch.setattr(pages_module, "SOURCES_PAGE_SIZE", 5)
    files = render(generated)
    pages = walk_pages(files, "/sources/")
    assert len(pages) == -(-len(rebuttals) // 5) >= 2, "the fixture must fill more than one page"
    listed = [a["href"] for _, page in pages for a in page.select("#outside-h ~ ul .source-title a")]
    assert sorted(listed) == sorted(rebuttals) and len(listed) == len(rebuttals)  # each once
    first, *others = (page for _, page in pages)
    assert first.select(".seed-list .seed a[href='/sources/s1/']")  # the archived documents, on the first page only
    for page in others:
        assert not page.select("#archived-h")
        assert page.select_one(".stats a[href='/sources/#archived-h']") is not None
        assert page.select_one("#outside-h .count").get_text() == f"({len(rebuttals)})"


def test_a_long_year_is_paged_by_number_with_its_events_once_in_order(
    generated: Timeline, site: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = Counter(e.date.year for e in generated.events)
    under_way = {y for y in counts if html(site, f"years/{y}/index.html").select(".continuing")}
    year = max(counts, key=lambda y: (counts[y] >= 2, y in under_way, counts[y]))  # a year with more under way
    assert year in under_way, "the fixture should have a year of two events or more with spans under way"
    members = [e for e in generated.events if e.date.year == year]
    assert 2 <= len(members) <= YEAR_PAGE_SIZE and not any(name.startswith(f"years/{year}/page/") for name in site)
    monkeypatch.setattr(pages_module, "YEAR_PAGE_SIZE", 1)
    files = render(generated)
    pages = walk_pages(files, f"/years/{year}/")
    assert len(pages) == len(members)
    shown = [a["href"] for _, page in pages for a in page.select("ol.events article.event .event-title a")]
    assert shown == [f"/events/{e.id}/" for e in members]
    for n, (_, page) in enumerate(pages, 1):
        assert page.title is not None and page.title.get_text().startswith(f"{year} (page {n} of {len(pages)})")
        assert [a.get_text() for a in page.select(".pager a[aria-current=page]")] == [str(n)]
        years_nav = page.select('nav[aria-label="Previous and next year"] a')
        assert years_nav and all(a.get("rel") is None for a in years_nav)  # rel=prev/next are the year's pages
    unpaged = html(site, f"years/{year}/index.html")
    assert [bool(page.select(".continuing")) for _, page in pages] == [bool(unpaged.select(".continuing"))] + [False] * (
        len(pages) - 1
    )  # what else is under way that year, on its first page only


def test_a_seeds_long_list_of_quoting_events_is_paged_and_its_text_stays_whole_on_the_first_page(
    generated: Timeline, site: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    quoting = [e for e in generated.events if any(s.seed and s.seed.id == "s1" for s in e.sources)]
    assert len(quoting) > 10 and not any(name.startswith("sources/s1/page/") for name in site)
    monkeypatch.setattr(pages_module, "QUOTES_PAGE_SIZE", 10)
    files = render(generated)
    pages = walk_pages(files, "/sources/s1/")
    assert len(pages) == -(-len(quoting) // 10)
    listed = [a["href"] for _, page in pages for a in page.select(".quoted > li a.row-title")]
    assert listed == [f"/events/{e.id}/" for e in quoting]  # each once, in time order
    first = pages[0][1]
    anchors = {tag["id"] for tag in first.select(".document-text [id]")}
    assert first.select(".document-text mark") and html(site, "sources/s1/index.html").select_one(".document-text") is not None
    for _, page in pages[1:]:
        assert page.select(".document-text") == []  # the text is on the first page only
        assert page.select_one(".facts a[href='/sources/s1/#text-h']") is not None
        for link in page.select(".in-context a"):
            target, _, anchor = link["href"].partition("#")
            assert target == "/sources/s1/" and anchor in anchors, link["href"]


def test_a_short_group_has_one_page_and_no_pager(site: Files) -> None:
    assert not any(name.startswith("tags/cjng/page/") for name in site)
    page = html(site, "tags/cjng/index.html")
    assert page.select(".pager, .prev-next, link[rel=prev], link[rel=next]") == []


def test_names_that_fold_alike_get_their_own_pages(generated: Timeline, site: Files) -> None:
    actors = html(site, "actors/index.html")
    hrefs = {li.a.get_text(): li.a["href"] for li in actors.select(".counts li")}
    assert hrefs["Michoacan police"] == "/actors/michoacan-police/"
    assert hrefs["Michoacán police"] == "/actors/michoacan-police-2/"
    assert hrefs["Joaquín Guzmán"] == "/actors/joaquin-guzman/"
    for name, href in hrefs.items():
        page = html(site, file_for(site, href) or "")
        listed = {a["href"] for a in page.select("a.row-title")}
        assert listed == {f"/events/{e.id}/" for e in generated.events if name in e.actors}
    assert "places/morelia-michoacan/index.html" in site


def test_year_pages_show_their_events_and_the_spans_under_way(generated: Timeline, site: Files) -> None:
    last = max(e.date.end.year if e.date.end else e.date.year for e in generated.events)
    checked = 0
    for event in (e for e in generated.events if e.date.is_span):
        end = last if event.date.open_end else event.date.end.year  # type: ignore[union-attr]
        for year in range(event.date.year + 1, end + 1):
            if f"years/{year}/index.html" in site:
                page = html(site, f"years/{year}/index.html")
                assert f"/events/{event.id}/" in {a["href"] for a in page.select(".continuing a.row-title")}
                checked += 1
    assert checked > 10
    for year in {e.date.year for e in generated.events}:
        page = html(site, f"years/{year}/index.html")
        listed = [a["href"] for a in page.select("article.event .event-title a")]
        assert listed == [f"/events/{e.id}/" for e in generated.events if e.date.year == year]
    years = html(site, "years/index.html")
    assert len(years.select(".counts li")) == len({e.date.year for e in generated.events})
    assert all(a["href"].startswith("/years/") for a in years.select("nav.axis a"))


def test_sources_pages_list_archived_and_outside_sources(generated: Timeline, site: Files) -> None:
    page = html(site, "sources/index.html")
    assert page.select_one(".seed .source-title a")["href"] == "/sources/s1/"
    outside = page.select("section[aria-labelledby=outside-h] .seed")
    disputed = [e for e in generated.events if e.status == "disputed"]
    assert len(outside) == len(disputed)
    seed = html(site, "sources/s1/index.html")
    assert len(seed.select(".quoted > li")) == N
    assert seed.select_one(".quoted .quote").get_text() in (
        "having shot down Mexican military helicopters in 2015",
        "El Mencho, 59, was killed on February 22, 2026",
    )


def test_about_explains_every_status_and_how_sources_are_chosen(site: Files) -> None:
    page = html(site, "about/index.html")
    for status in STATUSES:
        assert page.find(id=f"status-{status}") is not None
    assert page.find(id="sources") is not None and page.find(id="statuses") is not None


# --- every page ------------------------------------------------------------------------------------


def test_every_internal_link_leads_to_a_page_and_every_fragment_to_an_element(site: Files) -> None:
    pages = dict(html_pages(site))
    for path, page in pages.items():
        for href in internal_links(page):
            target = file_for(site, href)
            assert target is not None, f"{path}: {href}"
            url, fragment = urldefrag(href)
            if fragment:
                assert pages[target].find(id=fragment) is not None, f"{path}: {href}"
        for a in page.select("a[href^='#']"):
            assert page.find(id=a["href"][1:]) is not None, f"{path}: {a['href']}"


def test_a_site_under_a_sub_path_links_inside_it(absolute_site: Files) -> None:
    for path, page in html_pages(absolute_site):
        for href in internal_links(page):
            assert href.startswith("/timeline/"), f"{path}: {href}"
            assert file_for(absolute_site, href, "/timeline/") is not None, f"{path}: {href}"


def test_no_page_loads_anything_from_another_host(site: Files, absolute_site: Files) -> None:
    for files in (site, absolute_site):
        for path, page in html_pages(files):
            loaded = [el["src"] for el in page.select("[src]")]
            loaded += [el["href"] for el in page.select("link[href]") if set(el.get("rel", [])) - {"canonical", "alternate"}]
            for ref in loaded:
                assert not urlsplit(ref).scheme and not ref.startswith("//"), f"{path}: {ref}"
            for style in page.select("style"):
                assert "url(" not in style.get_text(), path
            assert not page.select("[style*='url(']"), path
        for name, data in files.items():
            if name.endswith(".css"):
                css = data.decode("utf-8")
                assert "@import" not in css, name
                for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
                    assert not urlsplit(ref).scheme and not ref.startswith("//"), f"{name}: {ref}"


def test_every_page_has_landmarks_a_skip_link_and_headings_in_order(site: Files) -> None:
    for path, page in site_pages(site):
        assert page.html["lang"] == "en", path
        first_link = page.body.find("a")
        assert first_link["href"] == "#main" and "skip-link" in first_link["class"], path
        assert len(page.select("main#main")) == 1 and page.select_one("body > header") and page.select_one("body > footer"), path
        assert all(nav.get("aria-label") or nav.get("aria-labelledby") for nav in page.select("nav")), path
        levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3, main h4, main h5, main h6")]
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{path}: {levels}"
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path}: heading levels {levels}"
        ids = [el["id"] for el in page.select("[id]")]
        assert len(ids) == len(set(ids)), f"{path}: duplicate ids"


def test_every_page_has_a_title_description_and_sharing_metadata(site: Files, absolute_site: Files) -> None:
    for path, page in site_pages(absolute_site):
        title = page.title.get_text()
        assert title.endswith("Test timeline"), path
        description = page.select_one("meta[name=description]")["content"]
        assert 20 < len(description) <= 260 and "\n" not in description, path
        meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
        assert meta["og:description"] == description and meta["og:site_name"] == "Test timeline", path
        assert (
            meta["twitter:card"] == "summary_large_image" and meta["og:image"] == "https://example.org/timeline/static/card.png"
        )
        canonical = page.select_one("link[rel=canonical]")
        if path == "404.html":
            assert canonical is None and "og:url" not in meta and meta["robots"] == "noindex"
        else:
            address = "https://example.org/timeline/" + path.removesuffix("index.html")
            assert canonical["href"] == meta["og:url"] == address, path
        for script in page.select("script[type='application/ld+json']"):
            data = json.loads(script.get_text())
            assert data["@context"] == "https://schema.org" and data["@type"], path
    for path, page in site_pages(site):  # a bare-path base_url gives no absolute URL to point to
        assert page.select_one("link[rel=canonical]") is None and page.select_one("meta[property='og:url']") is None, path
        assert page.select_one("meta[property='og:title']")["content"], path


def test_event_pages_describe_the_event_in_json_ld(generated: Timeline, absolute_site: Files) -> None:
    page = html(absolute_site, f"events/{event_id(3)}/index.html")
    year = generated.by_id[event_id(3)].date.year
    data = json.loads(page.select_one("script[type='application/ld+json']").get_text())
    assert data["@type"] == "Event" and data["name"] == "Generated event number 3 about weapons"
    assert data["startDate"] == str(year) and "endDate" not in data  # an open span has no end
    assert data["url"] == f"https://example.org/timeline/events/{event_id(3)}/"
    assert data["location"] == [{"@type": "Place", "name": "Mexico"}]
    assert [s["@type"] for s in data["subjectOf"]] == ["NewsArticle", "OpinionNewsArticle"]
    assert page.select_one("meta[property='og:type']")["content"] == "article"


def test_sitemap_and_robots(site: Files, absolute_site: Files) -> None:
    sitemap = ElementTree.fromstring(absolute_site["sitemap.xml"])
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(p for p in absolute_site if p.endswith(".html") and p != "404.html" and not p.startswith("embed/"))
    assert locs == sorted("https://example.org/timeline/" + p.removesuffix("index.html") for p in pages)
    assert "Sitemap: https://example.org/timeline/sitemap.xml" in absolute_site["robots.txt"].decode()
    assert "sitemap.xml" not in site  # it needs full URLs, which a bare path cannot give
    assert "User-agent: *" in site["robots.txt"].decode() and "Sitemap:" not in site["robots.txt"].decode()


def test_the_404_page_helps_the_reader_on(site: Files) -> None:
    page = html(site, "404.html")
    hrefs = {a["href"] for a in page.select("main a")}
    assert {"/", "/tags/", "/about/"} <= hrefs
    assert all(h.startswith("/") for h in hrefs)  # absolute paths: it is served at any address


def test_static_assets_are_versioned_by_content(site: Files) -> None:
    page = html(site, "index.html")
    css = page.select_one("link[rel=stylesheet]")["href"]
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{10}", css)
    assert page.select_one("script[src]")["src"].startswith("/static/site.js?v=")


def test_rendering_twice_gives_the_same_bytes(generated: Timeline, site: Files) -> None:
    assert render(generated) == site


# --- text helpers ------------------------------------------------------------------------------------


def test_shorten() -> None:
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"


def test_a_repository_gives_correction_and_archived_text_links(generated: Timeline) -> None:
    site = SiteConfig(title="T", base_url="/", repository_url="https://github.com/example/timeline", repository_branch="main")
    event = generated.by_id[event_id(0)]
    provenance = event_provenance(event.path.parent.parent, repository_url=site.repository_url, branch="main")
    files = site_files(generated, config_for(site), provenance=provenance)
    page = html(files, f"events/{event.id}/index.html")
    links = {a.get_text(): a["href"] for a in page.select(".provenance a")}
    assert links == {
        "Its history": f"https://github.com/example/timeline/commits/main/events/{event.date.year}/{event.id}.yaml",
        "Edit this event": f"https://github.com/example/timeline/edit/main/events/{event.date.year}/{event.id}.yaml",
    }
    assert page.select_one(".provenance time") is None  # not in a git repository: no date, no error
    source = html(files, "sources/s1/index.html")
    archived = [a["href"] for a in source.select(".facts a") if "repository" in a.get_text()]
    assert archived == ["https://github.com/example/timeline/blob/main/seeds/s1.txt"]


# --- sources a reader can check ----------------------------------------------------------------


def test_every_quote_of_a_seed_links_to_its_highlighted_passage(generated: Timeline, site: Files) -> None:
    from chronicle.content.quotes import fold

    checked = 0
    for event in generated.events:
        page = html(site, f"events/{event.id}/index.html")
        quotes = [s for s in event.sources if s.seed and s.quote]
        links = [a["href"] for a in page.select(".source-links a") if "#q-" in a["href"]]
        assert len(links) == len(quotes), event.id
        for source, link in zip(quotes, links, strict=True):
            path, anchor = link.split("#")
            target = html(site, path.lstrip("/") + "index.html").find(id=anchor)
            assert target is not None and target.name == "mark", link
            words = target.get_text()
            assert fold(source.quote or "").strip('"').startswith(fold(words)[:20]), (source.quote, words)
            checked += 1
    assert checked >= len(generated.events)


def test_a_source_page_publishes_the_archived_text_and_never_a_repository_path(site: Files) -> None:
    page = html(site, "sources/s1/index.html")
    text = page.select_one(".document-text")
    assert text is not None and "having shot down Mexican military helicopters" in text.get_text()
    assert text.select("mark") and all(m.get("id", "q-").startswith("q-") for m in text.select("mark"))
    for path, parsed in html_pages(site):
        assert "seeds/" not in parsed.get_text(), path  # no repository is named: no path in it is shown


def test_source_counts_are_documents_not_quotes(make_site: Callable[..., BuildConfig]) -> None:
    twice = (
        "title: Twice\ndate: 2015-06\nstatus: reported\nsummary: S.\nsources:\n"
        "  - seed: s1\n    quote: having shot down\n  - seed: s1\n    quote: El Mencho, 59\n"
        "  - url: https://example.org/a\n    title: A\n    quote: Q\n"
    )
    config = make_site({"events/2015/2015-06-twice.yaml": twice})
    files = site_files(check(config), config)
    page = html(files, "events/2015-06-twice/index.html")
    assert page.select_one("#sources-h .count").get_text() == "(2)"  # two documents, three quotes
    assert html(files, "index.html").select_one("[id='2015-06-twice'] .source-count").get_text() == "2 sources"
