"""Embeds as a journalist and a reader meet them, in Chromium: a widget in someone else's article.

The article is a page served from another origin (another port on 127.0.0.1) that frames the
widget in both forms, the pasted iframe and the placeholder turned into a frame by /embed.js,
in the sandbox the snippets recommend. Sites: the project's own timeline (``real_build``) and a
generated one of 230 events (three data files of 100, tags of more events than a list shows).
"""

from __future__ import annotations

import html
import http.server
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, ElementHandle, Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from chronicle.site.browse import browse
from chronicle.site.embed import FRAME_HEIGHTS, iframe_snippet

from .conftest import Problems, QuietServer, ServedSite, build_fixture_site, generated_files, screenshot, served
from .sites import event_id
from .widgets import selected, shown

SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = Axe()
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


class Articles:
    """Pages of someone else's site, served from memory on an origin of their own."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        articles = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                if self.path == "/favicon.ico":
                    self.send_response(204)
                    self.end_headers()
                    return
                body = articles.pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode("utf-8"))

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, name: str, body: str, *, script: str = "") -> str:
        """An article at /<name>.html with ``body`` between two paragraphs; its address."""
        self.pages[f"/{name}.html"] = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>An article</title>"
            # A page's own styles that would spoil a frame: borders, border-box sizing, fixed heights.
            "<style>*{box-sizing:border-box} body{margin:0 auto;max-width:1300px;padding:8px;font:18px Georgia}"
            " iframe{border:6px solid red;height:150px;padding:4px} .box{width:100%}</style></head>"
            f"<body><h1>An article</h1><p>Before the widget.</p>{body}<p>After the widget.</p>{script}</body></html>"
        )
        return f"{self.origin}/{name}.html"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def articles() -> Iterator[Articles]:
    found = Articles()
    yield found
    found.close()


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    www, timeline = build_fixture_site(tmp_path_factory.mktemp("embed-site"), generated_files(230))
    # A page at a widget's address that sends wrong messages, to try embed.js's checks with.
    liar = www / "embed" / "liar" / "index.html"
    liar.parent.mkdir(parents=True)
    liar.write_text("<!doctype html><title>liar</title><script src='liar.js'></script>", encoding="utf-8")
    (liar.parent / "liar.js").write_text(
        "var send = function (m) { parent.postMessage(m, '*'); };\n"
        "send({type: 'chronicle-embed', version: 1, height: 123});\n"
        "[{type: 'chronicle-embed', version: 1, height: 7, extra: 1}, {type: 'chronicle-embed', version: 2, height: 8},\n"
        " {type: 'chronicle-embed', version: 1, height: '9'}, {type: 'chronicle-embed', version: 1, height: -10},\n"
        " {type: 'chronicle-embed', version: 1, height: 11.5}, {type: 'chronicle-embed', version: 1, height: 1e9},\n"
        " {type: 'other', version: 1, height: 12}, [13], 'height: 14', null].forEach(send);\n"
        "send('done');\n",
        encoding="utf-8",
    )
    with served(www) as url:
        yield ServedSite(url + "/", timeline)


def placeholder(src: str, title: str = "A timeline") -> str:
    return (
        f'<div class="box" data-chronicle-embed="{html.escape(src)}"><a href="{html.escape(src)}">{html.escape(title)}</a></div>'
    )


def pasted(src: str, *, sandbox: bool = True) -> str:
    """The iframe snippet, as the dialog and oEmbed give it; or the same without its sandbox."""
    snippet = iframe_snippet(src, "A timeline", FRAME_HEIGHTS["list"])
    return snippet if sandbox else snippet.replace(f' sandbox="{SANDBOX}"', "")


def host_script(site: ServedSite) -> str:
    return f'<script src="{site.url}embed.js" async></script>'


def frames(page: Page) -> list[ElementHandle]:
    return page.locator("iframe").element_handles()


def inside(handle: ElementHandle) -> Frame:
    frame = handle.content_frame()
    assert frame is not None
    return frame


def ready(frame: Frame) -> Frame:
    """Wait until the widget has shown what it shows (embed/?query lists its events after loading its data)."""
    # Predicates are functions: an expression would be evaluated with eval, which the widget's policy forbids.
    # Checked on a timer, not on animation frames (Playwright's default): a sandboxed frame is cross-origin, and
    # Chromium gives one that is out of sight (the dialog's preview on a phone) no frames, so the check never ran again.
    # The widget must be there: a frame given its address a moment ago may still hold about:blank, complete too.
    frame.wait_for_function(
        "() => document.readyState === 'complete' && document.getElementById('widget') && !document.querySelector('[aria-busy]')"
        " && !(document.getElementById('w-count') && !document.getElementById('w-count').textContent && !document.querySelector('.w-message'))",
        timeout=20_000,
        polling=100,
    )
    return frame


def content_height(frame: Frame) -> int:
    return int(frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)"))


def sized(page: Page, handle: ElementHandle) -> int:
    """Wait until the frame is as tall as its content, within 2 px, and stays so; its height.

    The content's height is read again on every try: the frame lays itself out on its own, so a
    change of width reaches it at some moment after the page's.
    """
    frame = inside(handle)
    deadline = time.monotonic() + 20
    while True:
        wanted = content_height(frame)
        try:
            page.wait_for_function(
                "([f, h]) => Math.abs(f.getBoundingClientRect().height - h) <= 2", arg=[handle, wanted], timeout=1000
            )
        except PlaywrightTimeout:
            assert time.monotonic() < deadline, f"the frame is {outer_height(handle)} px tall, its content {wanted} px"
            continue
        if content_height(frame) == wanted:
            return wanted


def outer_height(handle: ElementHandle) -> float:
    return float(handle.evaluate("f => f.getBoundingClientRect().height"))


def listed(frame: Frame) -> tuple[str, list[str], str]:
    """A list widget's title, the ids of the events it lists and its line saying how many."""
    ids = frame.locator(".w-event .w-more a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/').slice(-2)[0])"
    )
    return frame.locator("h1").inner_text(), ids, frame.locator(".w-count").inner_text()


def no_scrollbar(frame: Frame) -> bool:
    return bool(
        frame.evaluate(
            "(() => { const r = document.documentElement; return r.scrollWidth <= r.clientWidth && r.scrollHeight <= r.clientHeight; })()"
        )
    )


@pytest.fixture
def problems(context: BrowserContext) -> Problems:
    """What any page or frame of the context reported: refusals of the Content-Security-Policy, errors."""
    return Problems(context)


def nothing_wrong(problems: Problems) -> bool:
    return (problems.refused, problems.errors) == ([], [])


# --- what a widget shows ---------------------------------------------------------------------------


VIEWS = [
    ("embed/tags/cjng/", {"tag": "cjng"}),
    ("embed/?tag=cjng", {"tag": "cjng"}),
    ("embed/places/morelia-michoacan/", {"place": "Morelia, Michoacán"}),
    ("embed/?status=disputed&from=2000&to=2010", {"status": "disputed", "from": "2000", "to": "2010"}),
    ("embed/?q=number+7", {"q": "number 7"}),
    ("embed/?q=weapons+money&actor=ATF&to=2005", {"q": "weapons money", "actor": "ATF", "to": "2005"}),
    ("embed/years/1996/", {"from": "1996", "to": "1996"}),
    (f"embed/?ids={event_id(4)},{event_id(8)},{event_id(150)},nothing&status=confirmed", {"status": "confirmed"}),
]


def test_each_form_shows_exactly_the_events_its_view_selects(
    context: BrowserContext, generated_build: ServedSite, articles: Articles, problems: Problems
) -> None:
    site, timeline = generated_build, generated_build.timeline
    body = "".join(placeholder(site.url + src) if i % 2 else pasted(site.url + src) for i, (src, _) in enumerate(VIEWS))
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(articles.add("views", body, script=host_script(site)))
    handles = frames(page)
    assert len(handles) == len(VIEWS)
    for handle, (src, view) in zip(handles, VIEWS, strict=True):
        handle.scroll_into_view_if_needed()
        frame = ready(inside(handle))
        assert frame.evaluate("window.origin") == "null"  # the sandbox is in force
        if "ids=" in src:
            view = {**view, "ids": [event_id(4), event_id(8), event_id(150), "nothing"]}
        title, ids, count = listed(frame)
        assert (ids, count) == shown(timeline, **view), src
        assert ids, src
    assert len(selected(timeline, tag="cjng")) > 20  # a list cut to its latest events
    tag_page, tag_query = (listed(inside(h)) for h in handles[:2])
    assert tag_page == tag_query and tag_page[0] == "Events tagged cjng"  # the page of a view and the script agree
    assert nothing_wrong(problems), (problems.refused, problems.errors)


def test_the_script_builds_the_rows_the_page_of_a_view_has(context: BrowserContext, generated_build: ServedSite) -> None:
    page = context.new_page()
    rows = "[...document.querySelectorAll('.w-event')].map(li => li.innerHTML.replace(/\\n/g, ''))"
    found = []
    slug = browse(generated_build.timeline.events).actor_slugs["Michoacán police"]  # "Michoacan police" has its own
    for src in (f"embed/actors/{slug}/", "embed/?actor=Michoac%C3%A1n+police"):
        page.goto(generated_build.url + src)
        ready(page.main_frame)
        found.append(
            (
                page.title(),
                page.locator(".w-count").inner_text(),
                page.evaluate(rows),
                page.locator(".w-full").get_attribute("href"),
            )
        )
    assert found[0] == found[1]
    assert found[0][0] == "Events involving Michoacán police · Fixture timeline"


# --- height, width, links, messages ----------------------------------------------------------------------


def test_the_frame_is_as_tall_as_its_content_in_both_forms(
    context: BrowserContext, real_build: ServedSite, articles: Articles, problems: Problems
) -> None:
    timeline = real_build.timeline
    event = max(timeline.events, key=lambda e: max(len(s.quote or "") for s in e.sources))  # a quote of several lines
    body = (
        placeholder(real_build.url + "embed/tags/fast-and-furious/")
        + pasted(real_build.url + f"embed/events/{event.id}/")
        + pasted(real_build.url + "embed/?status=disputed", sandbox=False)
    )
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(articles.add("sizes", f"<div id='column'>{body}</div>", script=host_script(real_build)))
    handles = frames(page)
    assert len(handles) == 3
    for handle in handles:
        handle.scroll_into_view_if_needed()
        ready(inside(handle))
        sized(page, handle)
        assert no_scrollbar(inside(handle))
    screenshot(page, "embed-article-phone")
    before = [outer_height(h) for h in handles]
    page.evaluate("document.getElementById('column').style.width = '900px'")  # a wider column: shorter widgets
    after = [sized(page, h) for h in handles]
    assert all(a < b for a, b in zip(after, before, strict=True))
    for handle in handles:
        frame = inside(handle)
        height = sized(page, handle)
        handle.scroll_into_view_if_needed()
        longest = frame.evaluate(
            "[...document.querySelectorAll('summary')].reduce((a, s, i, all) => s.textContent.length > all[a].textContent.length ? i : a, 0)"
        )
        frame.locator("summary").nth(longest).click()  # an event, or the longest quote
        frame.wait_for_function("() => document.querySelector('details[open]') !== null")
        assert sized(page, handle) > height  # opened: taller, and the frame with it
        assert no_scrollbar(frame)
    assert nothing_wrong(problems), (problems.refused, problems.errors)


@pytest.mark.parametrize("width", [280, 320, 390, 600, 900, 1200])
def test_no_scrollbar_inside_the_frame_at_any_width(
    context: BrowserContext, real_build: ServedSite, articles: Articles, width: int
) -> None:
    event = max(real_build.timeline.events, key=lambda e: len(e.sources))
    body = f"<div style='width:{width}px'>{placeholder(real_build.url + 'embed/tags/israel/')}{placeholder(real_build.url + f'embed/events/{event.id}/')}</div>"
    page = context.new_page()
    page.set_viewport_size({"width": width + 40, "height": 900})
    page.goto(articles.add(f"width-{width}", body, script=host_script(real_build)))
    for handle in frames(page):
        handle.scroll_into_view_if_needed()
        frame = ready(inside(handle))
        sized(page, handle)
        assert handle.evaluate("f => f.getBoundingClientRect().width") == width
        assert no_scrollbar(frame), width
        frame.locator("summary").last.click()  # the longest line, opened
        sized(page, handle)
        assert no_scrollbar(frame), width


def test_links_open_outside_the_frame(context: BrowserContext, real_build: ServedSite, articles: Articles) -> None:
    page = context.new_page()
    address = articles.add("links", placeholder(real_build.url + "embed/tags/cjng/"), script=host_script(real_build))
    page.goto(address)
    handle = frames(page)[0]
    frame = ready(inside(handle))
    targets = frame.evaluate("[...document.links].map(a => a.target || document.querySelector('base').target)")
    assert targets and set(targets) == {"_blank"}
    widget_address = frame.url
    with context.expect_page() as opened:
        frame.locator(".w-full").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == real_build.url + "?tag=cjng"  # the same view, on the site, in a tab of its own
    assert tab.evaluate("window.origin") != "null"  # outside the sandbox
    frame.locator(".w-event summary").first.click()
    with context.expect_page() as opened:
        frame.locator(".w-more a").first.click()
    assert "/events/" in opened.value.url
    assert page.url == address and frame.url == widget_address


def wait_for_message(page: Page, count: int) -> None:
    page.wait_for_function("n => window.seen.length >= n", arg=count)


def test_forged_and_malformed_messages_are_ignored(
    context: BrowserContext, generated_build: ServedSite, real_build: ServedSite, articles: Articles, problems: Problems
) -> None:
    body = (
        placeholder(real_build.url + "embed/tags/cjng/")
        + pasted(generated_build.url + "embed/liar/")
        + "<iframe id='intruder' title='another frame' srcdoc='<p>x</p>'></iframe>"
    )
    page = context.new_page()
    page.goto(articles.add("forged", body, script=host_script(real_build) + host_script(generated_build)))
    widget, liar = frames(page)[:2]
    ready(inside(widget))
    height = sized(page, widget)
    page.wait_for_function("() => Object.keys(window.chronicleEmbeds || {}).length === 2")  # both sites' embed.js at work
    # Every message the page receives, noted after embed.js has seen it (listeners run in the order they were added).
    page.evaluate("window.seen = []; window.addEventListener('message', (e) => window.seen.push(e.data))")
    # The liar, loaded again now that every listener is in place, sends one good message at a widget's
    # address, then wrong ones, then 'done': only the good one counts.
    inside(liar).evaluate("setTimeout(() => location.reload(), 0)")
    page.wait_for_function("() => window.seen.includes('done')")
    assert outer_height(liar) == 123
    # The page itself, and another frame on it, send a well-formed message: not from the widget, so ignored.
    page.evaluate("window.postMessage({type: 'chronicle-embed', version: 1, height: 3}, '*')")
    page.evaluate(
        "document.getElementById('intruder').contentWindow.eval(\"parent.postMessage({type: 'chronicle-embed', version: 1, height: 4}, '*')\")"
    )
    page.wait_for_function("() => window.seen.filter(m => m && (m.height === 3 || m.height === 4)).length === 2")
    assert outer_height(widget) == height
    # Messages into the widget: wrong ones are ignored; a request for its height is answered, with the truth.
    inside_count = len(page.evaluate("window.seen"))
    page.evaluate(
        "f => { const w = f.contentWindow; w.postMessage({type: 'chronicle-embed', version: 1, height: 1}, '*');"
        " w.postMessage('height', '*'); w.postMessage({type: 'chronicle-embed', version: 1, request: 'height', x: 1}, '*');"
        " w.postMessage({type: 'chronicle-embed', version: 1, request: 'height'}, '*'); }",
        widget,
    )
    wait_for_message(page, inside_count + 1)
    answers = page.evaluate(f"window.seen.slice({inside_count})")
    assert answers == [{"type": "chronicle-embed", "version": 1, "height": height}]
    assert outer_height(widget) == height and inside(widget).locator("h1").inner_text() == "Events tagged cjng"
    assert nothing_wrong(problems), (problems.refused, problems.errors)


def test_a_hostile_host_that_squeezes_the_frame_to_nothing_breaks_nothing(
    context: BrowserContext, real_build: ServedSite, articles: Articles, problems: Problems
) -> None:
    page = context.new_page()
    page.goto(articles.add("squeeze", placeholder(real_build.url + "embed/tags/cjng/"), script=host_script(real_build)))
    handle = frames(page)[0]
    ready(inside(handle))
    height = sized(page, handle)
    page.evaluate("window.seen = []; window.addEventListener('message', (e) => window.seen.push(e.data))")
    handle.evaluate(
        "f => { f.style.setProperty('width', '0px', 'important'); f.style.setProperty('height', '0px', 'important'); }"
    )
    wait_for_message(page, 1)  # the widget, squeezed, says how tall it now is
    handle.evaluate("f => { f.style.removeProperty('width'); f.style.width = '100%'; }")
    page.wait_for_function("h => window.seen.some(m => m.height === h)", arg=height)
    assert sized(page, handle) == height  # back as it was
    assert inside(handle).locator(".w-event").count() > 0
    assert nothing_wrong(problems), (problems.refused, problems.errors)


def test_fifty_widgets_on_one_page(
    context: BrowserContext, real_build: ServedSite, articles: Articles, problems: Problems
) -> None:
    tags = sorted({t for e in real_build.timeline.events for t in e.tags})
    snippets = [placeholder(real_build.url + f"embed/tags/{tags[i % len(tags)]}/") + host_script(real_build) for i in range(50)]
    page = context.new_page()
    page.goto(articles.add("fifty", "".join(snippets)))
    page.wait_for_function("() => document.querySelectorAll('iframe').length === 50")
    assert page.evaluate("Object.keys(window.chronicleEmbeds).length") == 1  # fifty copies of the script, one at work
    for i, handle in enumerate(frames(page)):
        handle.scroll_into_view_if_needed()
        frame = ready(inside(handle))
        sized(page, handle)
        assert frame.locator("h1").inner_text() == f"Events tagged {tags[i % len(tags)]}"
    assert nothing_wrong(problems), (problems.refused, problems.errors)


# --- without JavaScript ----------------------------------------------------------------------------


def test_without_javascript_the_iframe_form_still_shows_its_events(
    browser: Browser, real_build: ServedSite, articles: Articles
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    body = (
        pasted(real_build.url + "embed/tags/fast-and-furious/")
        + pasted(real_build.url + "embed/?tag=cjng&status=confirmed")
        + placeholder(real_build.url + "embed/tags/cjng/", "Events tagged cjng")
    )
    page = context.new_page()
    page.goto(articles.add("no-script", body))
    static, narrowed = frames(page)
    inside(static).wait_for_selector(".w-event")
    assert listed(inside(static))[1:] == shown(real_build.timeline, tag="fast-and-furious")
    assert outer_height(static) == FRAME_HEIGHTS["list"]  # the height written in the snippet, whatever the page's styles
    message = inside(narrowed).wait_for_selector(".w-message")
    assert "needs JavaScript" in message.inner_text() and message.query_selector("a").get_attribute("href") == "/"
    assert page.locator(".box a").inner_text() == "Events tagged cjng"  # the placeholder's own link
    screenshot(page, "embed-article-no-javascript")
    context.close()


# --- everyone: axe-core -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_widgets(browser: Browser, real_build: ServedSite, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 400, "height": 700})
    page = context.new_page()
    event = next(e for e in real_build.timeline.events if any(s.stance == "disputes" for s in e.sources) and e.related)
    other = "dark" if scheme == "light" else "light"
    for src in (
        "embed/tags/fast-and-furious/",
        f"embed/events/{event.id}/",
        "embed/?q=helicopter&status=confirmed",
        f"embed/actors/atf/?theme={other}",  # the theme asked for, against the reader's setting
        "embed/?ids=nothing",
    ):
        page.goto(real_build.url + src)
        ready(page.main_frame)
        for summary in page.locator("summary").all()[:2]:
            summary.click()
        results = AXE.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, f"{src}\n{results.generate_report()}"
        theme = page.evaluate("getComputedStyle(document.documentElement).colorScheme")
        assert theme == (other if "theme=" in src else "light dark"), src
        screenshot(page, f"embed-widget-{scheme}-{src.split('/')[1].split('?')[0] or 'query'}")
    context.close()


# --- "Embed this view" --------------------------------------------------------------------------------


def test_a_view_picked_on_a_phone_pasted_into_an_article_works(
    browser: Browser, real_build: ServedSite, articles: Articles
) -> None:
    """The whole path: pick a view, press "Embed this view", copy a snippet, paste it into an article elsewhere."""
    context = browser.new_context(viewport=PHONE, permissions=["clipboard-read", "clipboard-write"])
    problems = Problems(context)  # the site's policy lets the dialog frame its preview; nothing is refused
    page = context.new_page()
    page.goto(real_build.url + "?tag=fast-and-furious")
    page.get_by_role("button", name="Embed this view").click()
    dialog = page.locator("dialog[open]")
    preview = dialog.locator("iframe")
    preview.wait_for()
    ready(inside(preview.element_handle()))
    sized(page, preview.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "embed-dialog-phone", full_page=False)
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    title = "Events tagged fast-and-furious · Arming the cartel wars"
    frame_code = dialog.locator("#embed-iframe").input_value()
    assert frame_code == iframe_snippet(real_build.url + "embed/tags/fast-and-furious/", title, FRAME_HEIGHTS["list"])
    dialog.get_by_role("button", name="Copy").first.click()
    dialog.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == frame_code
    dialog.get_by_role("button", name="Copy").nth(1).click()
    dialog.locator(".embed-code").nth(1).get_by_text("Copied.").wait_for()
    script_code = page.evaluate("navigator.clipboard.readText()")
    assert script_code == dialog.locator("#embed-script").input_value()
    assert f'<script src="{real_build.url}embed.js" async></script>' in script_code
    expected = shown(real_build.timeline, tag="fast-and-furious")
    for name, code in (("pasted-frame", frame_code), ("pasted-script", script_code)):
        article = context.new_page()
        article.goto(articles.add(name, code))
        handle = frames(article)[0]
        frame = ready(inside(handle))
        assert listed(frame)[1:] == expected
        if name == "pasted-script":
            sized(article, handle)
            assert no_scrollbar(frame)
        with context.expect_page() as opened:
            frame.locator(".w-full").click()
        assert opened.value.url == real_build.url + "?tag=fast-and-furious"
        screenshot(article, f"embed-{name}-phone")
    assert nothing_wrong(problems), (problems.refused, problems.errors)
    context.close()


def test_the_dialog_is_keyboard_friendly_and_its_colours_change_the_snippets(browser: Browser, real_build: ServedSite) -> None:
    context = browser.new_context(viewport=DESKTOP)
    problems = Problems(context)
    page = context.new_page()
    event = real_build.timeline.events[5]
    page.goto(real_build.url + f"events/{event.id}/")
    button = page.get_by_role("button", name="Embed this view")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[open]")
    dialog.wait_for()
    assert page.evaluate("!!document.activeElement.closest('dialog')")  # focus moved into the dialog
    src = f"{real_build.url}embed/events/{event.id}/"
    assert dialog.locator("#embed-iframe").input_value() == iframe_snippet(
        src, f"{event.title} · Arming the cartel wars", FRAME_HEIGHTS["event"]
    )
    dialog.get_by_label("Dark").check()
    assert f'src="{src}?theme=dark"' in dialog.locator("#embed-iframe").input_value()
    preview = dialog.locator("iframe")
    preview.wait_for()
    assert preview.get_attribute("src") == src + "?theme=dark"
    inside(preview.element_handle()).wait_for_function("() => document.documentElement.dataset.theme === 'dark'", polling=100)
    screenshot(page, "embed-dialog-desktop", full_page=False)
    for _ in range(12):  # the Copy buttons are reached with Tab
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Copy":
            break
    assert page.evaluate("document.activeElement.textContent") == "Copy"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    assert page.evaluate("document.activeElement.textContent") == "Embed this view"  # back where it started
    assert nothing_wrong(problems), (problems.refused, problems.errors)
    context.close()


def test_the_timeline_embeds_its_current_search_and_filters(browser: Browser, real_build: ServedSite) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    view = "?q=helicopter&status=confirmed&from=2010"
    page.goto(real_build.url + view)
    page.get_by_role("button", name="Embed this view").click()
    dialog = page.locator("dialog[open]")
    code = dialog.locator("#embed-iframe").input_value()
    assert f'src="{real_build.url}embed/{view.replace("&", "&amp;")}"' in code
    assert "Readers need JavaScript" in dialog.inner_text()
    frame = ready(inside(dialog.locator("iframe").element_handle()))
    assert listed(frame)[1:] == shown(real_build.timeline, q="helicopter", status="confirmed", **{"from": "2010"})
    assert listed(frame)[0] == "Confirmed events matching “helicopter”, from 2010 on"
    page.keyboard.press("Escape")
    page.goto(real_build.url + "?actor=" + quote("Genaro García Luna"))
    page.get_by_role("button", name="Embed this view").click()
    assert f'src="{real_build.url}embed/actors/genaro-garcia-luna/"' in page.locator("#embed-iframe").input_value()
    context.close()
