"""A reader on a phone or a desktop, with a keyboard, with JavaScript on or off, in light or dark, on paper.

Runs in Debian's Chromium against the project's own timeline (``real_build``) and
a generated one too large for its front page (``large_site``: 50 events, an inline
limit of 10, published under a sub-path). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page

from chronicle.content.model import Timeline
from chronicle.site import pages as pages_module
from chronicle.site.browse import browse

from .conftest import ServedSite, build_fixture_site, generated_files, screenshot, served

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
AXE = Axe()
#: WCAG 2.2's target size (24px) is off by default in axe-core; this site meets it, so it is checked.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def page_types(timeline: Timeline) -> dict[str, str]:
    """One address of every kind of page, below the site's base URL."""
    groups = browse(timeline.events)
    disputed = next((e for e in timeline.events if any(s.stance == "disputes" for s in e.sources)), timeline.events[0])
    seed = next(s.seed for e in timeline.events for s in e.sources if s.seed)
    return {
        "timeline": "",
        "event": f"events/{disputed.id}/",
        "years": "years/",
        "year": f"years/{groups.years[-1].slug}/",
        "tags": "tags/",
        "tag": f"tags/{groups.tags[0].slug}/",
        "actors": "actors/",
        "actor": f"actors/{groups.actors[0].slug}/",
        "places": "places/",
        "place": f"places/{groups.places[0].slug}/",
        "sources": "sources/",
        "source": f"sources/{seed.id}/",
        "about": "about/",
        "404": "404.html",
    }


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """50 generated events, at most 10 on the front page, published at https://example.org/timeline/."""
    www, timeline = build_fixture_site(
        tmp_path_factory.mktemp("large"), generated_files(50), base_url="https://example.org/timeline/", inline_limit=10
    )
    with served(www) as url:
        yield ServedSite(url + "/timeline/", timeline)


@pytest.fixture
def new_context(browser: Browser) -> Iterator:
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        options.setdefault("reduced_motion", "reduce")
        contexts.append(browser.new_context(**options))  # type: ignore[arg-type]
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def active(page: Page, expression: str = "el => el") -> object:
    return page.evaluate(f"({expression})(document.activeElement)")


def axe_report(page: Page) -> str:
    results = AXE.run(page, options=AXE_OPTIONS)
    return results.generate_report() if results.violations_count else ""


# --- reading on a phone and a desktop ---------------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL_PHONE, PHONE, DESKTOP], ids=["small-phone", "phone", "desktop"])
def test_the_timeline_fits_the_screen_and_its_axis_is_easy_to_hit(new_context, real_build: ServedSite, size: dict) -> None:
    page = new_context(viewport=size).new_page()
    page.goto(real_build.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]  # no sideways scrolling
    years = page.locator("nav.axis a")
    assert years.count() == len({e.date.year for e in real_build.timeline.events})
    for box in years.evaluate_all("links => links.map(a => a.getBoundingClientRect().toJSON())"):
        assert box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.2 target size
    name = {SMALL_PHONE["width"]: "small-phone", PHONE["width"]: "phone", DESKTOP["width"]: "desktop"}[size["width"]]
    screenshot(page, f"timeline-{name}", full_page=False)
    page.locator("#y2009").scroll_into_view_if_needed()
    screenshot(page, f"timeline-{name}-2009", full_page=False)


def test_the_event_page_sets_disputing_sources_beside_supporting_ones(new_context, real_build: ServedSite) -> None:
    path = page_types(real_build.timeline)["event"]
    desktop = new_context(viewport=DESKTOP).new_page()
    desktop.goto(real_build.url + path)
    supporting, disputing = (
        desktop.locator("section.stance-supports").bounding_box(),
        desktop.locator("section.stance-disputes").bounding_box(),
    )
    assert supporting and disputing
    assert abs(supporting["y"] - disputing["y"]) < 2 and disputing["x"] > supporting["x"] + supporting["width"]
    screenshot(desktop, "event-desktop")
    phone = new_context(viewport=PHONE).new_page()
    phone.goto(real_build.url + path)
    supporting, disputing = (
        phone.locator("section.stance-supports").bounding_box(),
        phone.locator("section.stance-disputes").bounding_box(),
    )
    assert supporting and disputing and disputing["y"] >= supporting["y"] + supporting["height"]  # one after the other
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "event-phone")


def test_a_reader_opens_an_event_and_its_sources(new_context, real_build: ServedSite) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto(real_build.url)
    card = page.locator("article.event").nth(3)
    title = card.locator(".event-title a").inner_text()
    card.locator(".event-title a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    event = real_build.timeline.by_id[urlsplit(page.url).path.strip("/").split("/")[-1]]
    assert page.locator("ol.sources > li").count() == len(event.sources)
    assert page.locator(".source-card .quote").count() == sum(1 for s in event.sources if s.quote)
    screenshot(page, "event-opened-phone", full_page=False)


def test_the_status_explanation_is_one_click_away(new_context, real_build: ServedSite) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto(real_build.url)
    badge = page.locator("article.event a.status").first
    status = badge.locator(".status-word").text_content()
    badge.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/about/#status-{status}")
    explanation = page.locator(f"#status-{status}")
    assert explanation.is_visible() and f"{status.capitalize()}:" in explanation.inner_text()
    screenshot(page, "status-explained-phone", full_page=False)


# --- the keyboard ------------------------------------------------------------------------------------------


def test_keyboard_path_through_the_axis_to_an_event(new_context, real_build: ServedSite) -> None:
    """The overview is one tab stop; Enter picks the year focused, and Tab goes on to its events."""
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(real_build.url)
    page.keyboard.press("Tab")
    assert "skip-link" in str(active(page, "el => el.className"))
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # type: ignore[index]  # shown when focused
    page.keyboard.press("Enter")
    assert active(page, "el => el.id") == "main"
    years = sorted({e.date.year for e in real_build.timeline.events})
    for _ in range(20):  # past the introduction, the search tools and browse links, into the axis: one tab stop
        page.keyboard.press("Tab")
        if active(page, "el => el.dataset.year"):
            break
    assert active(page, "el => el.dataset.year") == str(years[0])
    assert active(page, "el => el.getAttribute('role')") == "option"
    assert active(page, "el => getComputedStyle(el).outlineStyle") != "none"  # visible focus
    screenshot(page, "keyboard-axis-focus", full_page=False)
    page.keyboard.press("ArrowRight")
    assert active(page, "el => el.dataset.year") == str(years[1])
    page.keyboard.press("End")
    assert active(page, "el => el.dataset.year") == str(years[-1])
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    target = years[2]
    assert active(page, "el => el.dataset.year") == str(target)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.search === '?from={target}&to={target}'")
    page.wait_for_function(f"() => document.getElementById('search-status').textContent.includes('year {target}')")
    assert active(page, "el => el.dataset.year") == str(target)  # the keys leave the focus where it was
    assert active(page, "el => el.getAttribute('aria-selected')") == "true"
    for _ in range(6):  # on from the overview: the order of the list, then the first event of the year picked
        page.keyboard.press("Tab")
        if active(page, "el => el.matches('.event-title a')"):
            break
    assert active(page, "el => el.closest('section.year').id") == f"y{target}"
    title = str(active(page, "el => el.textContent"))
    box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
    sticky = page.evaluate(f"document.querySelector('#y{target} .year-head').getBoundingClientRect().toJSON()")
    assert box["top"] >= sticky["bottom"] - 1  # the sticky year heading does not hide the focused link
    strip = page.evaluate("document.querySelector('.axis-strip').getBoundingClientRect().toJSON()")
    assert box["top"] >= strip["bottom"] - 1  # nor does the strip above it
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title


def test_without_javascript_every_year_of_the_axis_is_a_tab_stop(new_context, real_build: ServedSite) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(real_build.url)
    years = sorted({e.date.year for e in real_build.timeline.events})
    page.locator(f"nav.axis a[data-year='{years[0]}']").focus()
    page.keyboard.press("Tab")
    assert active(page, "el => el.dataset.year") == str(years[1])
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => location.hash === '#y{years[1]}'")
    assert page.locator("button[data-copy]").count() == 0 or not page.locator("button[data-copy]").first.is_visible()


# --- everyone: axe-core on every page type ------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "size"), [("light", PHONE), ("dark", DESKTOP)], ids=["light-phone", "dark-desktop"])
def test_every_page_type_passes_axe_and_fits_the_screen(new_context, real_build: ServedSite, scheme: str, size: dict) -> None:
    page = new_context(viewport=size, color_scheme=scheme).new_page()
    reports = {}
    for kind, path in page_types(real_build.timeline).items():
        page.goto(real_build.url + path)
        assert page.locator("h1").count() == 1, kind
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], kind  # no sideways scrolling
        screenshot(page, f"page-{kind}-{scheme}-{'phone' if size is PHONE else 'desktop'}", full_page=False)
        report = axe_report(page)
        if report:
            reports[kind] = report
    assert reports == {}, "\n\n".join(f"{kind}:\n{report}" for kind, report in reports.items())


def test_axe_finds_no_violation_on_a_large_timeline(new_context, large_site: ServedSite) -> None:
    page = new_context(viewport=PHONE).new_page()
    for path in ("", f"years/{large_site.timeline.events[0].date.year}/"):
        page.goto(large_site.url + path)
        assert axe_report(page) == "", path


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """330 generated events: each tag holds more than a page of events; smaller pages make the other lists paged too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages_module, "YEAR_PAGE_SIZE", 3)
        patch.setattr(pages_module, "QUOTES_PAGE_SIZE", 50)
        patch.setattr(pages_module, "SOURCES_PAGE_SIZE", 40)
        www, timeline = build_fixture_site(tmp_path_factory.mktemp("paged"), generated_files(330), base_url="/")
    with served(www) as url:
        yield ServedSite(url + "/", timeline)


def busiest_year(timeline: Timeline) -> int:
    years = [e.date.year for e in timeline.events]
    return max(set(years), key=years.count)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paged_lists_pass_axe(new_context, paged_site: ServedSite, scheme: str) -> None:
    page = new_context(viewport=SMALL_PHONE, color_scheme=scheme).new_page()
    year = busiest_year(paged_site.timeline)
    paths = (
        "tags/cjng/",
        "tags/cjng/page/2/",
        f"years/{year}/",
        f"years/{year}/page/2/",
        "sources/page/2/",
        "sources/s1/page/2/",
    )
    for path in paths:
        response = page.goto(paged_site.url + path)
        assert response is not None and response.ok, path
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"], path
        assert axe_report(page) == "", path
    screenshot(page, f"paged-seed-{scheme}")


def test_a_paged_tag_is_walked_by_keyboard_without_javascript(new_context, paged_site: ServedSite) -> None:
    page = new_context(viewport=SMALL_PHONE, java_script_enabled=False).new_page()
    page.goto(paged_site.url + "tags/cjng/")
    pager = page.locator("nav.pager")
    current = pager.locator("a[aria-current=page]")
    assert current.count() == 1 and current.get_attribute("href") == "/tags/cjng/"
    second = pager.locator("a").nth(1)
    label = second.inner_text()
    second.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tags/cjng/page/2/")
    assert page.locator("nav.pager a[aria-current=page]").inner_text() == label
    assert page.title().startswith(f"cjng · Tags · {label} (page 2 of ")
    page.locator(".prev-next a[rel=prev]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/tags/cjng/")


# --- no other host ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["real", "large"])
def test_no_page_requests_another_host(new_context, real_build: ServedSite, large_site: ServedSite, which: str) -> None:
    site = real_build if which == "real" else large_site
    context = new_context(viewport=PHONE)
    requests: list[str] = []
    failed: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    # a favicon still loading when the next page is opened is aborted: that is not a failure
    context.on("requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "") and failed.append(request.url))
    context.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page = context.new_page()
    for path in page_types(site.timeline).values():
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(site.url))
    assert [url for url in requests if not url.startswith(origin)] == []
    assert failed == []
    assert any(url.split("?")[0].endswith("/static/style.css") for url in requests)


# --- without JavaScript, every event ---------------------------------------------------------------------------


def test_without_javascript_the_timeline_lists_every_event(new_context, real_build: ServedSite) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(real_build.url)
    ids = page.locator(".timeline article.event").evaluate_all("cards => cards.map(c => c.id)")
    assert ids == [e.id for e in real_build.timeline.events]
    for href in page.locator(".timeline .event-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.request.get(urljoin(real_build.url, href)).status == 200, href
    screenshot(page, "timeline-phone-nojs", full_page=False)


def test_without_javascript_a_large_timeline_reaches_every_event_through_its_year_pages(
    new_context, large_site: ServedSite
) -> None:
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(large_site.url)
    assert page.locator("article.event").count() <= 10
    reached = set(page.locator(".event-title a").evaluate_all("links => links.map(a => a.href)"))
    year_pages = [h for h in page.locator(".year-index a").evaluate_all("links => links.map(a => a.href)") if "#" not in h]
    assert year_pages
    screenshot(page, "large-timeline-phone-nojs", full_page=False)
    for url in year_pages:  # fetched, not opened: only the plain links matter here, and it is quicker
        year_page = BeautifulSoup(page.request.get(url).text(), "html.parser")
        reached |= {urljoin(url, a["href"]) for a in year_page.select(".event-title a")}
    assert reached == {f"{large_site.url}events/{e.id}/" for e in large_site.timeline.events}


# --- JavaScript adds: the citation's copy button ------------------------------------------------------------------


def test_the_citation_copies_with_its_full_address(new_context, real_build: ServedSite) -> None:
    context = new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    event = real_build.timeline.events[0]
    page.goto(real_build.url + f"events/{event.id}/")
    citation = page.locator("#cite-text")
    assert citation.inner_text().endswith(f"{real_build.url}events/{event.id}/")  # the path, completed in the browser
    page.get_by_role("button", name="Copy citation").click()
    page.wait_for_function("() => document.querySelector('.copy-status').textContent !== ''")
    assert page.locator(".copy-status").inner_text() == "Citation copied."
    assert page.evaluate("navigator.clipboard.readText()") == " ".join(citation.inner_text().split())


# --- light, dark, motion, print ---------------------------------------------------------------------------------------


def luminance(rgb: str) -> float:
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_mode_and_reduced_motion_are_respected(new_context, real_build: ServedSite) -> None:
    dark = new_context(viewport=PHONE, color_scheme="dark").new_page()
    dark.goto(real_build.url)
    assert luminance(dark.evaluate("getComputedStyle(document.body).backgroundColor")) < 0.15
    assert luminance(dark.evaluate("getComputedStyle(document.body).color")) > 0.8
    assert dark.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"  # reduced motion
    screenshot(dark, "timeline-phone-dark", full_page=False)
    dark.goto(real_build.url + page_types(real_build.timeline)["event"])
    screenshot(dark, "event-phone-dark", full_page=False)
    light = new_context(viewport=DESKTOP, color_scheme="light", reduced_motion="no-preference").new_page()
    light.goto(real_build.url)
    assert luminance(light.evaluate("getComputedStyle(document.body).backgroundColor")) > 0.9
    assert light.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"


def test_print_shows_the_page_and_its_source_addresses(new_context, real_build: ServedSite) -> None:
    page = new_context(viewport={"width": 800, "height": 1100}).new_page()
    page.emulate_media(media="print")
    page.goto(real_build.url + page_types(real_build.timeline)["event"])
    assert page.locator(".site-nav").is_hidden() and page.locator(".prev-next").is_hidden()
    assert page.locator(".source-card").first.is_visible()
    after = page.locator(".source-links a[href^=http]").first.evaluate("a => getComputedStyle(a, '::after').content")
    assert "http" in after  # the address is printed after the link
    screenshot(page, "print-event")
    page.pdf(path=str(Path(screenshot(page, "print-event-first-page", full_page=False)).with_suffix(".pdf")))
    page.goto(real_build.url)
    assert page.locator("nav.axis").is_hidden()
    visible = page.locator(".timeline article.event").evaluate_all("cards => cards.filter(c => c.offsetParent).length")
    assert visible == len(real_build.timeline.events)
    screenshot(page, "print-timeline-first-page", full_page=False)
