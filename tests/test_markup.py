"""Markdown as contributors write it (GitHub's way), sanitised, converted once and cached safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from chronicle.site import markdown_cache
from chronicle.site.markdown_cache import convert_all
from chronicle.site.markup import Markdown, engine_key, to_html


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_tables_render() -> None:
    page = soup(to_html("| Year | Guns |\n|------|-----:|\n| 2009 | 2,000 |\n| 2011 | 1,400 |\n"))
    assert [th.get_text() for th in page.select("table thead th")] == ["Year", "Guns"]
    assert [[td.get_text() for td in tr.select("td")] for tr in page.select("table tbody tr")] == [
        ["2009", "2,000"],
        ["2011", "1,400"],
    ]
    assert not page.select("[style]")  # alignment styles would break the Content-Security-Policy


def test_lists_nest_by_two_spaces_as_on_github() -> None:
    page = soup(to_html("- guns\n  - rifles\n  - pistols\n- money\n\n1. first\n2. second\n"))
    assert [li.contents[0].strip() for li in page.find("ul").find_all("li", recursive=False)] == ["guns", "money"]
    assert [li.get_text() for li in page.select("ul ul li")] == ["rifles", "pistols"]
    assert [li.get_text() for li in page.select("ol li")] == ["first", "second"]


def test_fenced_code_renders_escaped() -> None:
    page = soup(to_html("```\n<b>not bold</b>\n```\n"))
    assert page.select_one("pre code").get_text() == "<b>not bold</b>\n"


def test_footnotes_render_with_ids_of_their_own_text() -> None:
    text = "The rifles were traced.[^atf] Others were not.[^2]\n\n[^atf]: ATF trace data.\n[^2]: Reuters.\n"
    page = soup(to_html(text))
    refs = page.select("sup a.footnote-ref")
    notes = page.select("div.footnote li")
    assert [a.get_text() for a in refs] == ["1", "2"]
    assert [a["href"].lstrip("#") for a in refs] == [li["id"] for li in notes]
    assert [li.get_text(" ", strip=True).split(" ↩")[0] for li in notes] == ["ATF trace data.", "Reuters."]
    other = soup(to_html("Another text.[^1]\n\n[^1]: A note.\n"))
    assert other.select_one("div.footnote li")["id"] not in {li["id"] for li in notes}  # one page can show both
    assert Markdown().plain(text) == "The rifles were traced. Others were not."  # descriptions leave notes out


def test_headings_start_at_h3() -> None:
    assert soup(to_html("# One\n\n## Two\n\n### Three\n")).select("h3")[2].get_text() == "Three"


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/x.gif">',
        "[x](javascript:alert(1))",
        '<a href="https://e.org" onclick="x()" id="main" class="skip-link" style="color:red">e</a>',
        '<div class="footnote" id="fn-00000000-1"><iframe src="https://e.org"></iframe></div>',
        '<sup id="main">1</sup>',
    ],
)
def test_only_the_allowlist_survives(hostile: str) -> None:
    page = soup(to_html(f"Text {hostile} end."))
    assert not page.select("script, img, iframe, [onclick], [style]")
    assert all(a["href"].startswith(("http", "#")) for a in page.select("a[href]"))
    assert not page.select("#main, .skip-link")  # a text cannot take an id or class of the page


def test_conversions_do_not_leak_into_each_other() -> None:
    first = to_html("See [the report][r].\n\n[r]: https://example.org/report")
    assert 'href="https://example.org/report"' in first
    assert "href" not in to_html("See [the report][r] again.")  # the reference belongs to the first text only


def test_plain_text() -> None:
    assert Markdown().plain("A *b* & [c](https://example.org).\n\n- d\n- e") == "A b & c. d e"


def test_each_text_is_converted_once_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Text *{n}*." for n in range(5)]
    converted: list[str] = []
    monkeypatch.setattr(markdown_cache, "to_html", lambda text: converted.append(text) or to_html(text))
    first = convert_all(texts, folder=tmp_path)
    assert converted == texts
    converted.clear()
    second = convert_all([*texts, "New *text*."], folder=tmp_path)
    assert converted == ["New *text*."]  # only the new text
    assert [second.html(t) for t in texts] == [first.html(t) for t in texts]
    assert (tmp_path / f"{engine_key()}.json").is_file()


def test_texts_converted_on_two_cores_are_those_converted_on_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown_cache, "PARALLEL_MIN_TEXTS", 2)
    texts = [f"Paragraph {n} with [a link](https://example.org/{n}).[^n]\n\n[^n]: Note {n}." for n in range(40)]
    one = convert_all(texts, jobs=1, folder=None, save=False)
    two = convert_all(texts, jobs=2, folder=None, save=False)
    assert [two.html(t) for t in texts] == [one.html(t) for t in texts] == [to_html(t) for t in texts]


def test_what_the_cache_holds_is_sanitised_again(tmp_path: Path) -> None:
    """A file planted in the cache folder cannot put script into the pages."""
    from chronicle.site.markdown_cache import _key

    text = "An innocent paragraph."
    (tmp_path / f"{engine_key()}.json").write_text(json.dumps({_key(text): "<p>x<script>alert(1)</script></p>"}))
    assert "script" not in convert_all([text], folder=tmp_path).html(text)


def test_a_broken_cache_file_is_no_cache(tmp_path: Path) -> None:
    (tmp_path / f"{engine_key()}.json").write_bytes(b"\x00not json")
    assert convert_all(["Some *text*."], folder=tmp_path).html("Some *text*.") == to_html("Some *text*.")


def test_wrapped_lines_of_a_list_item_lose_their_indent_as_on_github() -> None:
    html = to_html("- a long item that\n  wraps onto a second line\n\n```\n  kept as written\n```\n")
    assert "that\nwraps onto" in html and "<code>  kept as written" in html
