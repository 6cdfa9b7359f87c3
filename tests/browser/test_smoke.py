"""A reader opens the timeline and an event, with and without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from .conftest import screenshot


def test_timeline_opens_and_links_to_an_event(page: Page, real_site: str) -> None:
    page.goto(real_site + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    first = page.locator("article.event .event-title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("ol.sources li").count() >= 1
    screenshot(page, "smoke-event")


def test_every_event_is_reachable_without_javascript(browser: Browser, real_site: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(real_site + "/")
    hrefs = page.locator("article.event .event-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 4
    for href in hrefs:
        response = page.request.get(real_site + href)
        assert response.status == 200, href
    screenshot(page, "smoke-timeline-phone-nojs")
    context.close()
