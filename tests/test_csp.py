"""Every built page carries the Content-Security-Policy and nothing the policy would refuse.

The policy lets a page run only the site's own script files: an inline script, an ``on…=`` attribute
or a ``style=`` attribute would be refused in the browser (tests/browser/test_csp.py watches that
happen, or not, in Chromium); here each page's HTML is parsed so that a template or an event's
Markdown that brings one in fails at once, naming the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from chronicle.build import build
from chronicle.config import BuildConfig, load_site_config

ROOT = Path(__file__).resolve().parent.parent
#: Only these sources: the site's own origin, nothing at all, and compiling WebAssembly (Pagefind).
ALLOWED_SOURCES = {"'self'", "'none'", "'wasm-unsafe-eval'"}
EVIL_EVENT = """\
title: An event whose Markdown tries everything
date: 2015-06
status: reported
summary: 'Hi <script>alert(1)</script><span style="color: red" onmouseover="x()">red</span> [bad](javascript:alert(1))'
body: |
  <style>body { display: none }</style>
  <p style="color: red" onclick="x()">styled</p>
  <img src="https://tracker.example/x.gif" onerror="x()">
  <iframe src="https://example.org"></iframe>
sources:
  - url: https://example.org
    title: Example
    quote: Q
"""


def is_policy(tag: Tag) -> bool:
    return tag.name == "meta" and str(tag.get("http-equiv", "")).lower() == "content-security-policy"


def policy_of(page: BeautifulSoup) -> str:
    metas = page.find_all(is_policy)
    assert len(metas) == 1, "one Content-Security-Policy <meta>"
    return str(metas[0]["content"])


def problems(page: BeautifulSoup, policy: str) -> list[str]:
    """What in this page the policy would refuse, or would not cover."""
    found = []
    metas = page.find_all(is_policy)
    if [str(meta.get("content")) for meta in metas] != [policy]:
        found.append(f"a different policy: {[meta.get('content') for meta in metas]}")
    # A policy applies to what follows it: in the head, only <meta charset> may come before it.
    head = [tag for tag in page.head.children if isinstance(tag, Tag)] if page.head else []
    policies = [i for i, tag in enumerate(head) if is_policy(tag)]
    if not policies or any(not tag.has_attr("charset") for tag in head[: policies[0]]):
        found.append("the policy comes after other elements of the head, or outside it")
    for script in page.find_all("script"):
        if script.get("type") == "application/ld+json":
            if script.get("src"):
                found.append("a JSON-LD block with src")
            json.loads(script.string or "")  # a data block: JSON, not script
        elif not script.get("src") or (script.string or "").strip():
            found.append(f"an inline script: {str(script)[:80]}")
        elif not str(script["src"]).startswith("/") or str(script["src"]).startswith("//"):
            found.append(f"a script from elsewhere: {script['src']}")
    if page.find("style"):
        found.append("a <style> element")
    for tag in page.find_all(True):
        assert isinstance(tag, Tag)
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"an event handler attribute: <{tag.name} {name}>")
            if name.lower() == "style":
                found.append(f"a style attribute: <{tag.name} style={value!r}>")
            if name in ("href", "src", "action", "formaction") and str(value).strip().lower().startswith("javascript:"):
                found.append(f"a javascript: address: <{tag.name} {name}>")
    return found


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("csp") / "output"
    site = load_site_config(ROOT / "site.yaml", base_url="https://example.org/timeline/")  # canonical links too
    build(BuildConfig(ROOT / "events", ROOT / "seeds", ROOT / "site_templates", output, site))
    return output


def the_policy(output: Path) -> str:
    return policy_of(BeautifulSoup((output / "index.html").read_text("utf-8"), "html.parser"))


def test_the_policy_is_strict(real_site: Path) -> None:
    directives = dict(
        (name, sources) for name, *sources in (part.split() for part in the_policy(real_site).split(";") if part.strip())
    )
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["base-uri"] == ["'none'"]
    assert "frame-ancestors" not in directives  # ignored in a <meta>, with a warning: only a header sets it
    assert {source for sources in directives.values() for source in sources} <= ALLOWED_SOURCES


def test_readme_gives_the_same_policy_as_a_header(real_site: Path) -> None:
    headers = re.findall(r"^Content-Security-Policy: (.+)$", (ROOT / "README.md").read_text("utf-8"), re.MULTILINE)
    assert headers == [the_policy(real_site) + "; frame-ancestors 'none'"]


def test_every_page_carries_the_policy_and_nothing_it_refuses(real_site: Path) -> None:
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 100 and (real_site / "404.html") in pages
    policy = the_policy(real_site)
    found = {}
    for path in pages:
        if path.is_relative_to(real_site / "pagefind"):
            continue
        if page_problems := problems(BeautifulSoup(path.read_text("utf-8"), "html.parser"), policy):
            found[path.relative_to(real_site).as_posix()] = page_problems
    assert found == {}


def test_an_events_markdown_cannot_bring_in_what_the_policy_refuses(make_site: Callable[..., BuildConfig]) -> None:
    config = make_site({"events/2015/2015-06-evil.yaml": EVIL_EVENT})
    build(config)
    policy = the_policy(config.output_dir)
    page = BeautifulSoup((config.output_dir / "events/2015-06-evil/index.html").read_text("utf-8"), "html.parser")
    assert "styled" in page.get_text() and "red" in page.get_text()  # the text stays, the rest goes
    assert problems(page, policy) == []
    for path in config.output_dir.rglob("*.html"):
        assert problems(BeautifulSoup(path.read_text("utf-8"), "html.parser"), policy) == [], path


def test_the_checks_find_what_they_look_for(real_site: Path) -> None:
    """Each check above fails on a page that breaks it."""
    policy = the_policy(real_site)
    text = (real_site / "about/index.html").read_text("utf-8")
    assert problems(BeautifulSoup(text, "html.parser"), policy) == []
    broken = {
        "an inline script": text.replace("</body>", "<script>alert(1)</script></body>"),
        "a <style> element": text.replace("</head>", "<style>p{}</style></head>"),
        "an event handler attribute": text.replace("<main ", '<main onclick="x()" '),
        "a style attribute": text.replace("<main ", '<main style="color: red" '),
        "a javascript: address": text.replace("</main>", '<a href="javascript:x()">x</a></main>'),
        "a different policy": text.replace("'self'", "'self' https:", 1),
        "the policy comes after": text.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<link rel="icon" href="/x">'),
        "a script from elsewhere": text.replace("</body>", '<script src="https://cdn.example/x.js"></script></body>'),
    }
    for what, html in broken.items():
        assert html != text, what
        assert any(p.startswith(what) for p in problems(BeautifulSoup(html, "html.parser"), policy)), what
