"""The interactive timeline (issue 14) as a new reader uses it, in Chromium, on a phone (360 px) and a desktop.

The overview steers: it draws the matches of a search and picks years by tap, drag and keys; a strip of
it follows the reader down the page. The list says what it shows, in the order asked for, and each match
why it matched. Quotes lead to their words in the archived documents; event pages step by arrow keys.
Nothing moves while the page loads or its scripts start. Screenshots of each state go to test-artifacts/.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route

from chronicle.content.model import Event, Timeline
from chronicle.site.browse import LEVELS
from chronicle.site.markup import Markdown
from chronicle.site.passages import quote_anchor
from chronicle.site.search import index_documents, search_documents

from .conftest import ServedSite, build_fixture_site, generated_files, screenshot, served
from .test_search import expected, visible_ids, wait_for_results

PHONE = {"width": 360, "height": 740}
SMALL = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
SIZES = pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(size: dict, **options: object) -> BrowserContext:
        options.setdefault("reduced_motion", "reduce")
        if size["width"] < 500:  # a phone: touch, and a coarse pointer
            options.setdefault("has_touch", True)
            options.setdefault("is_mobile", True)
        contexts.append(browser.new_context(viewport=size, **options))  # type: ignore[arg-type]
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def plain(text: str) -> str:
    """Text as the search compares it: accents dropped, lower case."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def name(size: dict) -> str:
    return "phone" if size["width"] < 500 else "desktop"


def wait_for(page: Page, text: str) -> str:
    """Wait until the announced summary holds ``text``; return it."""
    page.wait_for_function("(text) => document.getElementById('search-status').textContent.includes(text)", arg=text)
    return page.locator("#search-status").inner_text()


def in_view(page: Page, selector: str) -> bool:
    """Whether the element is wholly on screen, below the strip when the strip is shown."""
    return bool(
        page.evaluate(
            """(selector) => {
              const box = document.querySelector(selector).getBoundingClientRect();
              const strip = document.querySelector('.axis-strip.is-stuck');
              const top = strip ? strip.getBoundingClientRect().bottom : 0;
              return box.top >= top - 1 && box.bottom <= innerHeight + 1;
            }""",
            selector,
        )
    )


def starting_in(timeline: Timeline, ids: list[str]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for event_id in ids:
        year = timeline.by_id[event_id].date.year
        counts[year] = counts.get(year, 0) + 1
    return counts


def drawn(page: Page) -> dict[int, tuple[float, str]]:
    """Each year of the overview with events: the height of its matches' bar (0 to 1) and what it tells screen readers."""
    rows = page.locator("nav.axis li.axis-year[data-year]").evaluate_all(
        """cells => cells.filter(c => c.querySelector('a')).map(c => [
             +c.dataset.year,
             c.querySelector('.bar-match').style.transform,
             c.querySelector('a .visually-hidden').textContent.trim()])"""
    )
    out = {}
    for year, transform, label in rows:
        found = re.fullmatch(r"scaleY\(([\d.]+)\)", transform)
        assert found, transform
        out[year] = (float(found.group(1)), label)
    return out


def level(count: int, most: int) -> float:
    return math.ceil(count * LEVELS / most) / LEVELS if count else 0.0


def year_totals(timeline: Timeline) -> dict[int, int]:
    return starting_in(timeline, [e.id for e in timeline.events])


def assert_overview_draws(page: Page, timeline: Timeline, matching: list[str]) -> None:
    totals = year_totals(timeline)
    most = max(totals.values())
    counts = starting_in(timeline, matching)
    bars = drawn(page)
    assert set(bars) == set(totals)
    for year, (height, label) in bars.items():
        n, total = counts.get(year, 0), totals[year]
        assert height == pytest.approx(level(n, most)), year
        assert label.startswith(f"{year}: {n} of {total} event{'s' * (total != 1)} match"), label


# --- the overview draws the matches ------------------------------------------------------------------------


@SIZES
def test_the_overview_draws_the_matches_of_a_filter(new_context, real_build: ServedSite, size: dict) -> None:
    page = new_context(size).new_page()
    page.goto(real_build.url + "?tag=cjng")
    wait_for(page, "tag cjng")
    wanted = expected(real_build.timeline, tag="cjng")
    assert visible_ids(page) == wanted
    assert_overview_draws(page, real_build.timeline, wanted)
    assert page.locator("nav.axis.is-filtering").count() == 1  # the other events' bars faded
    page.locator("nav.axis").scroll_into_view_if_needed()
    screenshot(page, f"overview-filtered-{name(size)}", full_page=False)
    # Cleared, every bar is whole again and no match bar is drawn.
    page.locator(".chip-clear").click()
    page.wait_for_function("() => location.search === ''")
    assert all(height == 0 for height, _ in drawn(page).values())
    assert page.locator("nav.axis.is-filtering").count() == 0


def test_a_text_query_is_drawn_without_fetching_the_manifest(new_context, real_build: ServedSite) -> None:
    """The overview counts a query's matches per year from the first position of each year (data-starts)."""
    page = new_context(PHONE).new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(real_build.url + "?q=helicopter")
    wait_for_results(page)
    assert_overview_draws(page, real_build.timeline, visible_ids(page))
    assert not [u for u in requested if u.endswith("/data/manifest.json")]


# --- the overview picks years --------------------------------------------------------------------------------


def test_a_tap_picks_a_year_and_the_list_comes_into_view(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url)
    page.locator("nav.axis a[data-year='2022']").tap()
    page.wait_for_function("() => location.search === '?from=2022&to=2022'")
    wait_for(page, "year 2022")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2022", "to": "2022"})
    assert in_view(page, "#results")  # the view moved to the summary, the first match just below it
    assert page.locator("#results-count").inner_text() == f"{len(visible_ids(page))} events"
    screenshot(page, "overview-tapped-phone", full_page=False)
    # The same year again: every year.
    page.locator("nav.axis").scroll_into_view_if_needed()
    page.locator("nav.axis a[data-year='2022']").tap()
    page.wait_for_function("() => location.search === ''")
    assert len(visible_ids(page)) == len(real_build.timeline.events)


def test_a_mouse_drag_picks_years(new_context, real_build: ServedSite) -> None:
    page = new_context(DESKTOP).new_page()
    page.goto(real_build.url)
    start = page.locator("nav.axis li[data-year='2005']").bounding_box()
    end = page.locator("nav.axis li[data-year='2011']").bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=10)
    # While dragging, the years under the drag are shown picked.
    assert page.locator("nav.axis li.in-range").evaluate_all("cells => cells.map(c => +c.dataset.year)") == list(
        range(2005, 2012)
    )
    screenshot(page, "overview-dragging-desktop", full_page=False)
    page.mouse.up()
    page.wait_for_function("() => location.search === '?from=2005&to=2011'")
    wait_for(page, "years 2005–2011")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2005", "to": "2011"})
    assert page.locator("nav.axis a[aria-selected=true]").evaluate_all("a => a.map(o => +o.dataset.year)") == [
        y for y in range(2005, 2012) if y in year_totals(real_build.timeline)
    ]


def test_a_touch_drag_picks_years(new_context, real_build: ServedSite) -> None:
    """Sideways across a decade with a finger (up and down is left to scrolling)."""
    context = new_context(PHONE)
    page = context.new_page()
    page.goto(real_build.url)
    page.locator("nav.axis").scroll_into_view_if_needed()
    cdp = context.new_cdp_session(page)
    start = page.locator("nav.axis li[data-year='2020']").bounding_box()
    end = page.locator("nav.axis li[data-year='2024']").bounding_box()
    assert start and end
    y = start["y"] + start["height"] / 2
    x0, x1 = start["x"] + start["width"] / 2, end["x"] + end["width"] / 2

    def touch(kind: str, x: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", x0)
    for step in range(1, 11):
        touch("touchMove", x0 + (x1 - x0) * step / 10)
    screenshot(page, "overview-touch-dragging-phone", full_page=False)
    touch("touchEnd", x1)
    page.wait_for_function("() => location.search === '?from=2020&to=2024'")
    wait_for(page, "years 2020–2024")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2020", "to": "2024"})
    assert in_view(page, "#results")


def test_keys_pick_a_year_and_extend_the_range(new_context, real_build: ServedSite) -> None:
    page = new_context(DESKTOP).new_page()
    page.goto(real_build.url)
    years = sorted(year_totals(real_build.timeline))
    options = page.locator("nav.axis [role=option]")
    assert options.count() == len(years)
    assert options.evaluate_all("o => o.filter(a => a.tabIndex === 0).length") == 1  # one tab stop
    assert page.locator("nav.axis [role=listbox]").get_attribute("aria-multiselectable") == "true"
    options.first.focus()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.search === '?from={years[-1]}&to={years[-1]}'")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowLeft")  # held: the search waits for the keys to pause
    page.wait_for_function(f"() => location.search === '?from={years[-3]}&to={years[-1]}'")
    wait_for(page, f"years {years[-3]}–{years[-1]}")
    assert page.evaluate("document.activeElement.dataset.year") == str(years[-3])  # the focus stayed in the overview
    assert page.locator("nav.axis [aria-selected=true]").evaluate_all("o => o.map(a => +a.dataset.year)") == years[-3:]
    assert visible_ids(page) == expected(real_build.timeline, **{"from": str(years[-3]), "to": str(years[-1])})
    assert page.locator(".axis-tip").is_visible()  # the focused year is named
    assert page.locator(".axis-tip").inner_text().startswith(f"{years[-3]}: ")
    screenshot(page, "overview-keys-desktop", full_page=False)
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search === ''")
    assert page.locator("nav.axis [aria-selected=true]").count() == 0


def test_a_decade_label_picks_the_decade_and_reset_shows_every_year(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url)
    reset = page.locator(".axis-reset")
    assert not reset.is_visible()
    page.locator(".decade-label[data-decade='2010']").tap()
    page.wait_for_function("() => location.search === '?from=2010&to=2019'")
    wait_for(page, "years 2010–2019")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2010", "to": "2019"})
    page.locator("nav.axis").scroll_into_view_if_needed()
    assert reset.is_visible()
    screenshot(page, "overview-decade-phone", full_page=False)
    reset.tap()
    page.wait_for_function("() => location.search === ''")
    assert len(visible_ids(page)) == len(real_build.timeline.events)
    assert not reset.is_visible()


def test_a_span_is_named_on_hover(new_context, real_build: ServedSite) -> None:
    spans = [e for e in real_build.timeline.events if e.date.is_span and e.date.end and e.date.end.year > e.date.year]
    span = spans[0]
    page = new_context(DESKTOP).new_page()
    page.goto(real_build.url)
    page.locator(f"nav.axis li[data-year='{span.date.year + 1}']").hover()
    tip = page.locator(".axis-tip")
    assert tip.is_visible()
    assert f"Under way: {span.title}" in tip.inner_text()
    screenshot(page, "overview-hover-desktop", full_page=False)


# --- the strip that follows the reader -----------------------------------------------------------------------


@SIZES
def test_the_strip_marks_the_year_being_read_and_jumps(new_context, real_build: ServedSite, size: dict) -> None:
    page = new_context(size).new_page()
    page.goto(real_build.url)
    strip = page.locator(".axis-strip")
    assert not strip.is_visible()  # the overview itself is on screen
    page.evaluate("document.getElementById('y2011').scrollIntoView()")
    page.wait_for_function("() => document.querySelector('.axis-strip').classList.contains('is-stuck')")
    page.wait_for_function("() => document.querySelector('.axis-strip').getAttribute('aria-valuenow') === '2011'")
    box = strip.bounding_box()
    assert box and box["y"] == 0 and box["height"] <= 48  # a few dozen pixels, at the top
    assert strip.locator(".strip-year").inner_text() == "2011"
    screenshot(page, f"strip-{name(size)}", full_page=False)
    # A tap on the strip at 2022 goes to 2022, whose heading sits just under the strip.
    bars = strip.locator(".strip-bars").bounding_box()
    assert bars
    first, last = min(year_totals(real_build.timeline)), max(year_totals(real_build.timeline))
    x = bars["x"] + bars["width"] * (2022 - first + 0.5) / (last - first + 1)
    page.mouse.click(x, bars["y"] + bars["height"] / 2)
    page.wait_for_function("() => document.querySelector('.axis-strip').getAttribute('aria-valuenow') === '2022'")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('y2022').getBoundingClientRect().top"
        " - document.querySelector('.axis-strip').getBoundingClientRect().bottom) < 2"
    )
    # By keyboard: a slider over the years shown.
    strip.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.axis-strip').getAttribute('aria-valuenow') === '2021'")
    page.wait_for_function(
        "() => Math.abs(document.getElementById('y2021').getBoundingClientRect().top"
        " - document.querySelector('.axis-strip').getBoundingClientRect().bottom) < 2"
    )


def test_with_a_filter_the_strip_jumps_to_the_years_shown(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + "?tag=cjng")
    wait_for(page, "tag cjng")
    shown = sorted({real_build.timeline.by_id[i].date.year for i in visible_ids(page)})
    strip = page.locator(".axis-strip")
    page.wait_for_function("() => document.querySelector('.axis-strip').classList.contains('is-stuck')")  # moved to the list
    strip.focus()
    page.keyboard.press("Home")
    page.wait_for_function(
        "(y) => document.querySelector('.axis-strip').getAttribute('aria-valuenow') === String(y)", arg=shown[0]
    )
    for year in shown[1:]:
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(y) => document.querySelector('.axis-strip').getAttribute('aria-valuenow') === String(y)", arg=year
        )
    screenshot(page, "strip-filtered-phone", full_page=False)


# --- what the list shows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("search", ["?tag=cjng", "?q=helicopter", "?from=2009&to=2012", "?status=disputed&order=newest"])
def test_year_headings_count_the_events_they_show(new_context, real_build: ServedSite, search: str) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + search)
    wait_for_results(page)
    totals = year_totals(real_build.timeline)
    rows = page.locator(".timeline section.year:visible").evaluate_all(
        "sections => sections.map(s => [+s.id.slice(1), s.querySelector('.year-count').textContent,"
        " s.querySelectorAll('article.event:not([hidden])').length - s.querySelectorAll('li[hidden] article.event').length])"
    )
    assert rows
    for year, text, shown in rows:
        total = totals[year]
        assert text == (f"{total} event{'s' * (total != 1)}" if shown == total else f"{shown} of {total} events"), year
    assert sum(shown for _, _, shown in rows) == len(visible_ids(page))
    count = page.locator("#results-count").inner_text()
    assert count == f"{len(visible_ids(page))} event{'s' * (len(visible_ids(page)) != 1)}"


@pytest.mark.parametrize("how", ["menu", "chip", "text"])
def test_after_a_change_on_a_phone_the_summary_is_in_view(new_context, real_build: ServedSite, how: str) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + ("?tag=cjng&status=confirmed" if how == "chip" else ""))
    if how == "menu":
        page.locator(".filters-toggle").tap()
        page.select_option("#f-tag", "gun-trafficking")
        wait_for(page, "tag gun-trafficking")
    elif how == "chip":
        wait_for(page, "tag cjng")
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(".chip", has_text="status: confirmed").tap()
        page.wait_for_function("() => location.search === '?tag=cjng'")
        wait_for(page, "match tag cjng,")
    else:
        page.locator("#q").tap()
        page.keyboard.type("barrett")
        page.keyboard.press("Enter")
        wait_for(page, "“barrett”")
    page.wait_for_function(
        "() => { const b = document.getElementById('results').getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }"
    )
    assert in_view(page, "#results")
    first = page.locator(".timeline article.event:visible").first.bounding_box()
    assert first and first["y"] < PHONE["height"]  # the first match starts on screen
    screenshot(page, f"summary-in-view-{how}-phone", full_page=False)


def test_typing_leaves_the_view_alone_and_the_bar_says_how_many(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url)
    page.locator("#q").tap()
    before = page.evaluate("scrollY")
    page.keyboard.type("tapalpa")
    wait_for_results(page)
    assert page.evaluate("scrollY") == before  # the box being typed in stays where it is
    jump = page.locator(".jump-results")
    assert jump.inner_text().startswith(f"{len(visible_ids(page))} events")
    jump.tap()
    page.wait_for_function("() => document.activeElement.id === 'results'")
    assert in_view(page, "#results")


def test_newest_first_is_a_toggle_kept_in_the_url(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + "?tag=cjng")
    wait_for(page, "tag cjng")
    oldest = visible_ids(page)
    page.locator(".order label", has_text="Newest").tap()
    page.wait_for_function("() => location.search === '?tag=cjng&order=newest'")
    assert visible_ids(page) == oldest[::-1]
    assert (
        page.locator(".timeline section.year:visible").first.get_attribute("id")
        == f"y{real_build.timeline.by_id[oldest[-1]].date.year}"
    )
    screenshot(page, "newest-first-phone", full_page=False)
    page.reload()
    wait_for(page, "tag cjng")
    assert visible_ids(page) == oldest[::-1]
    assert page.locator("input[name=order][value=newest]").is_checked()
    page.locator(".chip-clear").tap()  # clearing the filters keeps the order
    page.wait_for_function("() => location.search === '?order=newest'")
    assert visible_ids(page) == [e.id for e in reversed(real_build.timeline.events)]
    page.go_back()
    page.wait_for_function("() => location.search === '?tag=cjng&order=newest'")
    page.go_back()
    page.wait_for_function("() => location.search === '?tag=cjng'")
    assert visible_ids(page) == oldest


def test_the_search_panel_is_one_line_on_a_phone_with_removable_chips(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + "?tag=cjng&from=2009&to=2020")
    wait_for(page, "tag cjng")
    box, toggle = page.locator("#q").bounding_box(), page.locator(".filters-toggle").bounding_box()
    assert box and toggle and abs(box["y"] - toggle["y"]) < 2  # the box and the Filters button on one line
    assert not page.locator(".keys-hint").is_visible()  # no keyboard hint on a touch screen
    chips = page.locator(".active-filters .chip[data-clear]")
    assert chips.all_inner_texts() == ["tag: cjng×", "years: 2009–2020×"] or [
        t.replace("\n", "") for t in chips.all_inner_texts()
    ] == ["tag: cjng×", "years: 2009–2020×"]
    assert page.locator(".filters-toggle").inner_text().startswith("Filters · 2")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "search-bar-chips-phone", full_page=False)
    chips.nth(1).tap()
    page.wait_for_function("() => location.search === '?tag=cjng'")
    assert visible_ids(page) == expected(real_build.timeline, tag="cjng")
    # Every value's name shows whole in its menu, on one column.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".filters-toggle").tap()
    page.select_option("#f-tag", "fast-and-furious")
    wait_for(page, "tag fast-and-furious")
    for menu in ("tag", "status"):  # the longest value's name, as the menu's font draws it (names of people and
        # places can be longer than any phone is wide: the open menu shows them whole)
        fits = page.locator(f"#f-{menu}").evaluate(
            """s => { const style = getComputedStyle(s); const pen = document.createElement('canvas').getContext('2d');
                 pen.font = style.font; const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
                 return Math.max(...[...s.options].map(o => pen.measureText(o.text).width)) <= room; }"""
        )
        assert fits, menu
    desktop = new_context(DESKTOP).new_page()
    desktop.goto(real_build.url)
    assert desktop.locator(".keys-hint").is_visible()


# --- why each event matched -------------------------------------------------------------------------------------


def read_why(page: Page) -> list[tuple[str, str, list[str]]]:
    """Each visible match: its id, its why line, and the words marked in that line (each card brought on screen,
    which fetches its excerpt)."""
    cards = page.locator(".timeline article.event:visible")
    for i in range(cards.count()):
        cards.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "(id) => { const w = document.getElementById(id).querySelector('.why');"
            " return w && !w.hidden && !/…$/.test(w.textContent) || (w && w.querySelector('mark')); }",
            arg=cards.nth(i).get_attribute("id"),
        )
    # the words marked that can be seen: inside the two lines the line shows
    return cards.evaluate_all(
        """cards => cards.map(c => { const w = c.querySelector('.why'); const box = w.getBoundingClientRect();
             const seen = [...w.querySelectorAll('mark')].filter(m => m.getBoundingClientRect().bottom <= box.bottom + 1);
             return [c.id, w.textContent, seen.map(m => m.textContent)]; })"""
    )


@pytest.mark.parametrize("word", ["tapalpa", "barrett", "michoacan"])
def test_each_match_shows_an_excerpt_with_the_word(new_context, real_build: ServedSite, word: str) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + f"?q={word}")
    wait_for_results(page)
    found = read_why(page)
    assert found
    labels = ("In the title", "In the summary", "In the text", "In the date and status", "Actor", "Place", "Tag", "Quoted from ")
    for event_id, line, marks in found:
        assert line.startswith(labels), line
        assert any(plain(m).startswith(word) for m in marks), (event_id, line, marks)
    # Those whose title and summary lack the word say where else it was found.
    for event_id, line, _ in found:
        event = real_build.timeline.by_id[event_id]
        if word not in plain(event.title + " " + event.summary):
            assert not line.startswith(("In the title", "In the summary")), (event_id, line)
    page.locator(".timeline article.event:visible").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    screenshot(page, f"why-{word}-phone", full_page=False)


def test_a_word_only_in_a_quote_is_shown_from_its_source(new_context, real_build: ServedSite) -> None:
    """The quoted passage an event matched in, named by its source."""
    timeline = real_build.timeline

    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z]{7,}", plain(text)))

    def own(event: Event) -> set[str]:
        names = [*event.actors, *event.tags, *(p.name for p in event.places)]
        cited = [s.display_title or "" for s in event.sources] + [s.display_publisher or "" for s in event.sources]
        return words(" ".join([event.title, event.summary, event.body or "", *names, *cited]))

    everywhere: dict[str, int] = {}
    for event in timeline.events:
        for word in words(" ".join(s.quote or "" for s in event.sources)) | own(event):
            everywhere[word] = everywhere.get(word, 0) + 1
    event, source, word = next(
        (e, s, w) for e in timeline.events for s in e.sources for w in sorted(words(s.quote or "") - own(e)) if everywhere[w] == 1
    )
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + f"?q={word}")
    wait_for_results(page)
    lines = {event_id: (line, marks) for event_id, line, marks in read_why(page)}
    line, marks = lines[event.id]
    assert line.startswith("Quoted from "), line
    assert (source.display_publisher or source.display_title or "")[:14] in line
    assert [m for m in marks if plain(m).startswith(word)], (word, marks)


def test_a_facet_filter_says_which_actor_place_or_tag(new_context, real_build: ServedSite) -> None:
    events = real_build.timeline.events
    actor = max({a for e in events for a in e.actors}, key=lambda a: sum(a in e.actors for e in events))
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + f"?actor={actor}&tag=cjng")
    wait_for(page, f"actor {actor}")
    ids = visible_ids(page)
    assert ids == expected(real_build.timeline, actor=actor, tag="cjng")
    for line in page.locator(".timeline article.event:visible .why").all_inner_texts():
        assert line == f"Actor: {actor}"
    hits = page.locator(".timeline article.event:visible .tags a.tag-hit").all_inner_texts()
    assert hits == ["cjng"] * len(ids)


# --- sources: every quote one click from its words ----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_quote_leads_to_its_passage_highlighted_in_the_document(new_context, real_build: ServedSite, scheme: str) -> None:
    event = next(e for e in real_build.timeline.events if sum(1 for s in e.sources if s.seed and s.quote) >= 2)
    source = [s for s in event.sources if s.seed and s.quote][1]
    assert source.seed is not None and source.quote is not None
    page = new_context(PHONE, color_scheme=scheme).new_page()
    page.goto(real_build.url + f"events/{event.id}/")
    link = page.locator(f"a[href$='sources/{source.seed.id}/#{quote_anchor(source.quote)}']").first
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_url(re.compile(f"/sources/{source.seed.id}/#q-"))
    target = page.locator(":target")
    assert target.evaluate("el => el.tagName") == "MARK" or target.evaluate("el => el.nextElementSibling.tagName") == "MARK"
    passage = page.locator(f"#{quote_anchor(source.quote)}")
    page.wait_for_function(
        "(id) => { const b = document.getElementById(id).getBoundingClientRect(); return b.top >= 0 && b.top < innerHeight; }",
        arg=quote_anchor(source.quote),
    )
    mark = (
        page.locator("mark:target")
        if passage.evaluate("el => el.tagName") == "MARK"
        else passage.locator("xpath=following-sibling::mark[1]")
    )
    words = " ".join(source.quote.split()[:4])
    assert plain(words)[:12] in plain(" ".join(mark.inner_text().split()))
    highlighted = page.evaluate("getComputedStyle(document.querySelector('mark:target')).backgroundColor")
    other = page.evaluate("getComputedStyle(document.querySelector('.document-text mark:not(:target)')).backgroundColor")
    assert highlighted != other  # the passage reached stands out from the other quoted ones
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"passage-{scheme}-phone", full_page=False)


# --- event pages: step with the arrow keys ---------------------------------------------------------------------------


def test_arrow_keys_step_through_events(new_context, real_build: ServedSite) -> None:
    events = real_build.timeline.events
    page = new_context(DESKTOP).new_page()
    page.goto(real_build.url + f"events/{events[1].id}/")
    assert page.locator("link[rel=prev]").get_attribute("href") == f"/events/{events[0].id}/"
    assert page.locator("link[rel=next]").get_attribute("href") == f"/events/{events[2].id}/"
    assert page.locator(".pn-hint").is_visible()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**/events/{events[2].id}/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**/events/{events[1].id}/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"**/events/{events[0].id}/")
    assert page.locator("link[rel=prev]").count() == 0
    # Not with a modifier, nor from a button (a reader's keys are theirs there).
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.get_by_role("button", name="Copy citation").focus()
    page.keyboard.press("ArrowRight")
    page.locator("h1").click()
    page.keyboard.press("ArrowLeft")  # the first event: nothing before it
    page.wait_for_load_state()
    assert page.url.endswith(f"/events/{events[0].id}/")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"**/events/{events[1].id}/")
    phone = new_context(PHONE).new_page()
    phone.goto(real_build.url + f"events/{events[1].id}/")
    assert not phone.locator(".pn-hint").is_visible()  # no keys to press on a touch screen


# --- without JavaScript, and links with values that make no sense ---------------------------------------------------


def test_without_javascript_a_note_says_search_needs_it(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE, java_script_enabled=False).new_page()
    page.goto(real_build.url + "?q=barrett&tag=cjng")
    note = page.locator(".noscript-note")
    assert note.is_visible() and "need JavaScript" in note.inner_text()
    assert note.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        "/tags/",
        "/actors/",
        "/places/",
        "/years/",
    ]
    assert not page.locator("#timeline-tools").is_visible() and not page.locator("#results").is_visible()
    assert len(visible_ids(page)) == len(real_build.timeline.events)
    screenshot(page, "noscript-note-phone", full_page=False)
    with_js = new_context(PHONE).new_page()
    with_js.goto(real_build.url)
    assert with_js.locator(".noscript-note").count() == 0 or not with_js.locator(".noscript-note").is_visible()


BAD_LINKS = [
    ("?from=2015&to=2010", "?from=2010&to=2015", "wrong way round", {"from": "2010", "to": "2015"}),
    ("?from=abc&tag=cjng", "?tag=cjng", "was not a year", {"tag": "cjng"}),
    ("?to=20x5", "", "was not a year", {}),
    ("?tag=%3Cb%3Enot-a-tag%3C%2Fb%3E", "", "does not have", {}),
    ("?actor=Call+555-0100+now&q=cartel", "?q=cartel", "does not have", {}),
    ("?order=sideways", "", "does not know", {}),
]


@pytest.mark.parametrize(("link", "fixed", "said", "filters"), BAD_LINKS, ids=[b[0] for b in BAD_LINKS])
def test_a_links_bad_values_are_corrected_with_a_note(
    new_context, real_build: ServedSite, link: str, fixed: str, said: str, filters: dict
) -> None:
    page = new_context(PHONE).new_page()
    page.goto(real_build.url + link)
    note = page.locator("#query-note")
    note.wait_for(state="visible")
    assert said in note.inner_text()
    for raw in ("abc", "20x5", "not-a-tag", "555", "sideways", "<b>"):  # never repeated
        assert raw not in note.inner_text() and raw not in page.locator("#results").inner_text()
    page.wait_for_function("(fixed) => location.search === fixed", arg=fixed)
    if "q" not in link:
        if filters:
            wait_for_results(page)
        assert visible_ids(page) == expected(real_build.timeline, **filters)
    assert page.locator(".active-filters").inner_text().count("not-a-tag") == 0
    screenshot(page, "bad-link-" + re.sub(r"\W+", "-", link).strip("-") + "-phone", full_page=False)


def test_year_boxes_act_as_a_year_is_typed(new_context, real_build: ServedSite) -> None:
    page = new_context(DESKTOP).new_page()
    page.goto(real_build.url)
    page.locator(".filters-toggle").click()
    page.locator("#f-from").click()
    page.keyboard.type("2015")  # no Enter, no leaving the box
    page.wait_for_function("() => location.search === '?from=2015'")
    wait_for(page, "years 2015–")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2015"})
    page.locator("#f-to").click()
    page.keyboard.type("2010")
    page.wait_for_function("() => location.search === '?from=2010&to=2015'")  # the wrong way round, turned
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2010", "2015")


# --- the page fits, keeps still and passes axe --------------------------------------------------------------------------


def test_no_page_scrolls_sideways_at_320_px(new_context, real_build: ServedSite) -> None:
    from .test_reader import page_types

    timeline = real_build.timeline
    paths = list(page_types(timeline).values())
    paths += [f"sources/{seed}/" for seed in sorted(timeline.seeds)]
    paths += [f"events/{e.id}/" for e in timeline.events]
    page = new_context(SMALL).new_page()
    wide = {}
    for path in paths:
        page.goto(real_build.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SMALL["width"]:
            wide[path] = width
    page.goto(real_build.url + "?tag=cjng&from=2009&to=2026&q=cartel")
    wait_for_results(page)
    page.locator(".filters-toggle").tap()
    if (width := page.evaluate("document.documentElement.scrollWidth")) > SMALL["width"]:
        wide["filtered timeline"] = width
    assert wide == {}


# Reports every layout shift not caused by input, and their sum, from the start of the page.
SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push({ value: entry.value,
      nodes: entry.sources.map((s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?") });
  }
}).observe({ type: "layout-shift", buffered: true });
"""


def load_with_scripts_held(page: Page, url: str) -> None:
    """Open ``url`` with the site's deferred scripts held back until the page has painted, as on a slow network:
    what the scripts change when they run is then seen moving, if it moves. (early.js blocks the page by
    design, before the list is drawn, and is let through.)"""
    held: list[Route] = []
    released = False

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/static/(?!early\.js)[\w.-]+\.js(\?.*)?$"), hold)
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint')")
    page.wait_for_function("() => document.readyState !== 'loading'")
    assert held, "the page asked for no script before painting"
    released = True
    for route in held:
        route.continue_()
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.documentElement.classList.contains('js')")
    page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


@pytest.mark.parametrize(
    ("path", "size"),
    [("", PHONE), ("", DESKTOP), ("event", PHONE), ("?tag=cjng&q=cartel", PHONE), ("?from=2009&to=2015", DESKTOP)],
    ids=["timeline-phone", "timeline-desktop", "event-phone", "search-link-phone", "years-link-desktop"],
)
def test_nothing_moves_while_the_page_loads_and_its_scripts_start(
    new_context, real_build: ServedSite, path: str, size: dict
) -> None:
    if path == "event":
        path = f"events/{real_build.timeline.events[5].id}/"
    page = new_context(size).new_page()
    page.add_init_script(SHIFTS)
    load_with_scripts_held(page, real_build.url + path)
    if "?" in path:
        wait_for_results(page)
        page.wait_for_function(
            "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
        )
    shifts = page.evaluate("window.__shifts")
    assert sum(s["value"] for s in shifts) < 0.02, shifts


@pytest.mark.parametrize(("scheme", "size"), [("light", PHONE), ("dark", DESKTOP)], ids=["light-phone", "dark-desktop"])
def test_axe_finds_nothing_with_the_new_controls_in_use(new_context, real_build: ServedSite, scheme: str, size: dict) -> None:
    page = new_context(size, color_scheme=scheme).new_page()
    page.goto(real_build.url + "?q=cartel&tag=cjng&from=2009&to=2022&order=newest")
    wait_for_results(page)
    read_why(page)  # every excerpt in
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".filters-toggle").click()
    page.locator("nav.axis [role=option][aria-selected=true]").first.focus()  # its name shown
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, f"controls-{scheme}-{name(size)}")
    page.locator(".timeline section.year:visible").last.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.axis-strip').classList.contains('is-stuck')")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    screenshot(page, f"strip-{scheme}-{name(size)}", full_page=False)


def test_print_of_a_search_says_what_it_shows(new_context, real_build: ServedSite) -> None:
    page = new_context({"width": 800, "height": 1100}).new_page()
    page.goto(real_build.url + "?q=helicopter&tag=cjng")
    wait_for_results(page)
    page.emulate_media(media="print")
    summary = page.locator("#results")
    assert summary.is_visible()
    n = len(visible_ids(page))
    assert summary.inner_text().startswith(f"{n} event") and "“helicopter”, tag cjng" in summary.inner_text()
    assert not page.locator(".order").is_visible() and not page.locator("#timeline-tools").is_visible()
    screenshot(page, "print-search")


# --- at any size: a node per year, never per event ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sized_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, ServedSite]]:
    """The same generated timeline at 150 and 3,000 events (years 1990-2024), 60 events on the front page; the
    smaller with its search index."""
    sites = {}
    stack = []
    for n in (150, 3000):
        www, timeline = build_fixture_site(tmp_path_factory.mktemp(f"sized-{n}"), generated_files(n), inline_limit=60)
        if n == 150:
            index_documents(www, search_documents(timeline.events, Markdown().plain))
        context = served(Path(www))
        stack.append(context)
        sites[n] = ServedSite(context.__enter__() + "/", timeline)
    yield sites
    for context in stack:
        context.__exit__(None, None, None)


def test_the_overview_holds_a_node_per_year_whatever_the_number_of_events(
    new_context, sized_sites: dict[int, ServedSite]
) -> None:
    counts = {}
    for n, site in sized_sites.items():
        page = new_context(PHONE).new_page()
        page.goto(site.url + "?tag=cjng")
        wait_for(page, "tag cjng")
        counts[n] = page.evaluate(
            "[document.querySelectorAll('nav.axis *').length, document.querySelectorAll('.axis-strip *').length]"
        )
        # The matches of years not on the page are drawn too: the bars are the model's counts.
        assert_overview_draws(page, site.timeline, expected(site.timeline, tag="cjng"))
        assert page.locator("#search-more li").count() > 0
    assert counts[150] == counts[3000]


def test_matches_listed_from_other_years_show_why_too(new_context, sized_sites: dict[int, ServedSite]) -> None:
    site = sized_sites[150]
    page = new_context(PHONE).new_page()
    page.goto(site.url + "?q=michoacan")  # an actor of a third of the events ("Michoacán police")
    wait_for_results(page)
    rows = page.locator("#search-more li")
    assert rows.count() > 0
    rows.first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#search-more li .why mark')")
    line = rows.first.locator(".why")
    assert line.inner_text().startswith("Actors: ") and plain(line.locator("mark").first.inner_text()) == "michoacan"


# --- the search's script, fetched when the reader reaches for it ---------------------------------------------------


def test_the_search_script_comes_when_reached_for_and_what_was_pressed_meanwhile_is_done(
    new_context, real_build: ServedSite
) -> None:
    page = new_context(PHONE).new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    held: list[Route] = []
    page.route(re.compile(r"/static/search\.js(\?.*)?$"), lambda route: held.append(route))
    page.goto(real_build.url, wait_until="networkidle")
    lazy = (page.get_attribute("#timeline-tools", "data-scripts") or "").split()  # query.js, the search's parts, search.js
    assert any(re.search(r"/static/search\.js\?", src) for src in lazy)
    assert not [u for u in requested if any(u.endswith(src) for src in lazy)]  # not in the first view
    # Filters pressed and a year tapped while the script that starts it (search.js, the last) is on its way:
    # both done once it runs.
    page.locator(".filters-toggle").tap()
    page.wait_for_function("() => document.querySelectorAll('script[src*=\"/static/search.js\"]').length === 1")
    assert page.locator(".filters-toggle").get_attribute("aria-expanded") == "false"
    page.locator("nav.axis a[data-year='2011']").tap()
    assert page.evaluate("location.search") == ""
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function("() => location.search === '?from=2011&to=2011'")
    assert page.locator(".filters-toggle").get_attribute("aria-expanded") == "true"
    wait_for(page, "year 2011")
    assert visible_ids(page) == expected(real_build.timeline, **{"from": "2011", "to": "2011"})
    assert (page.input_value("#f-from"), page.input_value("#f-to")) == ("2011", "2011")


def test_words_typed_before_the_search_script_runs_are_searched(new_context, real_build: ServedSite) -> None:
    page = new_context(PHONE).new_page()
    held: list[Route] = []
    page.route(re.compile(r"/static/search\.js(\?.*)?$"), lambda route: held.append(route))
    page.goto(real_build.url, wait_until="networkidle")
    page.locator("#q").tap()
    page.keyboard.type("tapalpa")
    page.wait_for_function("() => document.querySelectorAll('script[src*=\"/static/search.js\"]').length === 1")
    held[0].continue_()
    wait_for(page, "“tapalpa”")
    assert page.evaluate("location.search") == "?q=tapalpa"
    assert page.input_value("#q") == "tapalpa"
