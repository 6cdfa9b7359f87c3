"""Embeds, as built: the widget pages, the data the widget's script narrows with, oEmbed and /embed.js.

The browser side (sizing, messages, the sandbox, the dialog) is in tests/browser/test_embed.py.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.sites import event_id, generated_site, write_tree
from browser.widgets import WIDGET_LIMIT, last_year, searchable, selected, shown
from bs4 import BeautifulSoup

from chronicle.build import check, site_files
from chronicle.cli import main
from chronicle.config import BuildConfig, SiteConfig
from chronicle.content.model import Timeline
from chronicle.site import embed
from chronicle.site.browse import browse
from chronicle.site.embed import ROW_CHUNK
from chronicle.site.embed_data import id_file
from chronicle.site.facets import manifest
from chronicle.site.markup import Markdown

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "site_templates"
FULL = "https://example.org/timeline/"
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"

Files = dict[str, bytes]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    """100 generated events: more than a list widget shows for every tag."""
    from conftest import GOOD_SITE

    root = tmp_path_factory.mktemp("embed")
    write_tree(root, {**GOOD_SITE, **generated_site(100)})
    return check(BuildConfig(root / "events", root / "seeds", TEMPLATES, root / "output", SiteConfig(), search_index=False))


def render(timeline: Timeline, base_url: str) -> Files:
    site = SiteConfig(title="Test timeline", description="Embeds.", base_url=base_url)
    config = BuildConfig(ROOT / "events", ROOT / "seeds", TEMPLATES, ROOT / "output", site)
    return site_files(timeline, config, provenance={})


@pytest.fixture(scope="module")
def site(timeline: Timeline) -> Files:
    return render(timeline, "/")


@pytest.fixture(scope="module")
def full_site(timeline: Timeline) -> Files:
    return render(timeline, FULL)


def html(files: Files, path: str) -> BeautifulSoup:
    return BeautifulSoup(files[path].decode("utf-8"), "html.parser")


def data(files: Files, name: str) -> object:
    """The value a data script hands to chronicleEmbedData."""
    text = files[f"embed/data/{name}.js"].decode("utf-8")
    prefix = f'chronicleEmbedData("{name}",'
    assert text.startswith(prefix) and text.endswith(");\n"), name
    return json.loads(text[len(prefix) : -3])


def row_ids(page: BeautifulSoup) -> list[str]:
    return [a["href"].split("/")[-2] for a in page.select(".w-event .w-more a")]


def test_the_limit_is_the_one_the_tests_assume() -> None:
    assert embed.WIDGET_LIMIT == WIDGET_LIMIT


def test_every_view_a_path_can_name_has_a_widget_page(site: Files, timeline: Timeline) -> None:
    groups = browse(timeline.events)
    wanted = {"embed/index.html"}
    for plural, found in (("tags", groups.tags), ("actors", groups.actors), ("places", groups.places)):
        wanted |= {f"embed/{plural}/{group.slug}/index.html" for group in found}
    first, last = (
        min(e.date.year for e in timeline.events),
        max(e.date.end.year if e.date.end else e.date.year for e in timeline.events),
    )
    years = {y for y in range(first, last + 1) if any(e.date.year <= y <= last_year(e) for e in timeline.events)}
    wanted |= {f"embed/years/{y}/index.html" for y in years}
    wanted |= {f"embed/events/{e.id}/index.html" for e in timeline.events}
    assert {name for name in site if name.startswith("embed/") and name.endswith(".html")} == wanted


@pytest.mark.parametrize("kind", ["tag", "actor", "place", "year"])
def test_a_list_widget_shows_the_latest_events_of_its_view_and_says_how_many(site: Files, timeline: Timeline, kind: str) -> None:
    groups = browse(timeline.events)
    if kind == "year":
        views = [(str(y), {"from": str(y), "to": str(y)}) for y in (1990, 1995, 2012, 2024)]
    else:
        found = {"tag": groups.tags, "actor": groups.actors, "place": groups.places}[kind]
        views = [(g.slug, {kind: g.name}) for g in found]
    plural = {"tag": "tags", "actor": "actors", "place": "places", "year": "years"}[kind]
    for slug, view in views:
        page = html(site, f"embed/{plural}/{slug}/index.html")
        ids, count = shown(timeline, **view)
        assert row_ids(page) == ids and ids, (slug, view)
        assert page.select_one(".w-count").get_text() == count
        assert page.select_one(".w-full")["href"] == "/" + embed.view_query(kind, next(iter(view.values())))
    if kind != "year":  # some list is cut to the latest (a year has fewer events than the limit here)
        assert any(len(selected(timeline, **view)) > WIDGET_LIMIT for _, view in views)


def test_an_actor_whose_name_has_accents_links_to_the_same_view_on_the_site(site: Files) -> None:
    page = html(site, "embed/actors/joaquin-guzman/index.html")
    assert page.select_one("h1").get_text() == "Events involving Joaquín Guzmán"
    assert page.select_one(".w-full")["href"] == "/?actor=Joaqu%C3%ADn+Guzm%C3%A1n"


def test_widget_pages_carry_no_site_chrome_and_nothing_a_strict_policy_would_block(site: Files) -> None:
    """The site's policy (tests/test_csp.py checks every page against it) and no chrome of the site."""
    policy = html(site, "index.html").select_one("meta[http-equiv=Content-Security-Policy]")["content"]
    for name in (n for n in site if n.startswith("embed/") and n.endswith(".html")):
        page = html(site, name)
        head = page.head
        assert head.select_one("meta[http-equiv=Content-Security-Policy]")["content"] == policy, name
        assert head.select_one("meta[name=robots]")["content"] == "noindex", name
        base = head.select_one("base")
        assert base is not None and base["target"] == "_blank" and not base.get("href"), name  # every link opens outside
        assert not page.select(".site-header, .site-footer, nav, form, body [target]"), name
        assert all(script.get("src", "").startswith("/static/") for script in page.select("script")), name
        assert not page.select("[style]") and not [a for el in page.find_all(True) for a in el.attrs if a.startswith("on")], name
        assert page.select_one(".w-full"), name  # the way back to the site


def test_the_event_widget_shows_the_event_its_sources_one_line_each_and_related_events(site: Files, timeline: Timeline) -> None:
    event = next(e for e in timeline.events if e.related and any(s.stance == "disputes" for s in e.sources))
    page = html(site, f"embed/events/{event.id}/index.html")
    assert page.select_one("h1 a")["href"] == f"/events/{event.id}/" and page.select_one("h1").get_text() == event.title
    assert page.select_one(".w-date").get_text() == event.date.label()
    assert page.select_one(".w-status-line .w-status").get_text() == f"Status: {event.status}"
    assert page.select_one(".w-summary em") is not None  # the summary's Markdown
    sources = page.select(".w-source")
    assert len(sources) == len(event.sources)
    quotes = [q.get_text() for q in page.select(".w-quote > summary > q")]
    assert quotes == [s.quote for s in event.sources if s.quote]
    assert len(page.select(".w-disputes .w-stance")) == sum(s.stance == "disputes" for s in event.sources)
    assert [a["href"] for a in page.select(".w-related a")] == [f"/events/{r}/" for r in event.related]
    assert page.select_one(".w-full")["href"] == f"/events/{event.id}/"


def test_the_data_scripts_hold_what_the_widget_narrows_with(site: Files, timeline: Timeline) -> None:
    events = timeline.events
    markdown = Markdown()
    files = -(-len(events) // ROW_CHUNK)
    assert files > 1  # the fixture spans several row files
    rows = [row for n in range(files) for row in data(site, f"rows/{n}")]  # type: ignore[attr-defined]
    assert rows == [[e.id, e.title, e.date.label(), e.status, markdown.plain(e.summary), len(e.sources)] for e in events]
    assert f"embed/data/rows/{files}.js" not in site
    texts = [text for n in range(-(-len(events) // 100)) for text in data(site, f"text/{n}")]  # type: ignore[attr-defined]
    assert texts == [" ".join(part for part in searchable(e).split(" ") if part) for e in events]
    names = data(site, "names")
    assert isinstance(names, dict)
    full = json.loads(json.dumps(manifest(timeline)))
    assert names["count"] == len(events) and names["statuses"] == full["statuses"]
    for facet in ("tags", "actors", "places"):
        assert names[facet] == full[facet]
        for n, value in enumerate(names[facet]):
            positions = list(itertools.accumulate(data(site, f"postings/{facet}/{n}")))  # type: ignore[arg-type]
            values = {"tags": lambda e: e.tags, "actors": lambda e: e.actors, "places": lambda e: [p.name for p in e.places]}[
                facet
            ]
            assert positions == [p for p, e in enumerate(events) if value in values(e)], (facet, value)
    assert data(site, "status") == "".join(str(names["statuses"].index(e.status)) for e in events)
    years = data(site, "years")
    assert isinstance(years, dict)
    assert list(itertools.accumulate(years["from"])) == [e.date.year for e in events]
    assert [start + span for start, span in zip(itertools.accumulate(years["from"]), years["span"], strict=True)] == [
        9999 if e.date.open_end else last_year(e) for e in events
    ]
    assert all(f"embed/actors/{slug}/index.html" in site for slug in names["slugs"]["actors"])
    assert all(f"embed/places/{slug}/index.html" in site for slug in names["slugs"]["places"])
    assert sorted(name.split("/")[2] for name in site if name.startswith("embed/years/")) == sorted(
        str(y) for y in names["years"]
    )
    files = embed.id_files(len(events))
    assert files == 2  # 100 events: two files of about 50 ids
    found: dict[str, int] = {}
    for n in range(files):
        part = data(site, f"ids/{n}")
        assert isinstance(part, dict) and all(id_file(i, files) == n for i in part)
        found |= part
    assert found == {e.id: p for p, e in enumerate(events)}


def test_ids_are_shared_out_among_their_files_by_a_hash_the_widget_computes_too() -> None:
    assert [embed.id_files(n) for n in (0, 39, 64, 65, 10_000, 100_000)] == [1, 1, 1, 2, 256, 2048]
    assert id_file("", 1) == 0 and id_file("2015-05-01-x", 1) == 0
    # FNV-1a of the UTF-16 code units, low byte first: the widget's idFile finds ids this way
    # (tests/browser/test_embed.py selects ids from several files of the 230-event site).
    assert [id_file(i, 256) for i in ("a", "2015-05-01-helicopter-shot-down", "é")] == [0x44, 0x3F, 0x0C]
    counts = [0] * 256
    for i in range(10_000):
        counts[id_file(f"{1970 + i % 57}-event-{i}", 256)] += 1
    assert max(counts) < 80  # about 39 a file


def test_embed_js_is_published_at_the_root(site: Files) -> None:
    assert site["embed.js"] == site["static/embed.js"]


# --- oEmbed ----------------------------------------------------------------------------------------


_links: dict[int, dict[str, str]] = {}


def oembed_links(files: Files) -> dict[str, str]:
    """Each page's oEmbed discovery link (the heads parsed once per rendered site)."""
    if id(files) not in _links:
        found = {}
        for name in files:
            if name.endswith(".html"):
                head = BeautifulSoup(files[name].split(b"</head>")[0].decode("utf-8"), "html.parser")
                link = head.select_one('link[rel=alternate][type="application/json+oembed"]')
                if link is not None:
                    found[name] = link["href"]
        _links[id(files)] = found
    return _links[id(files)]


def test_event_and_browse_pages_point_to_their_oembed_responses(full_site: Files, timeline: Timeline) -> None:
    groups = browse(timeline.events)
    expected = {"index.html": "embed/"}
    expected |= {f"events/{e.id}/index.html": f"embed/events/{e.id}/" for e in timeline.events}
    for plural, found in (("tags", groups.tags), ("actors", groups.actors), ("places", groups.places), ("years", groups.years)):
        expected |= {f"{plural}/{g.slug}/index.html": f"embed/{plural}/{g.slug}/" for g in found}
    links = oembed_links(full_site)
    assert links == {page: f"{FULL}{widget}oembed.json" for page, widget in expected.items()}


def test_oembed_responses_have_what_the_specification_requires(full_site: Files, timeline: Timeline) -> None:
    responses = {name: json.loads(data) for name, data in full_site.items() if name.endswith("oembed.json")}
    assert {FULL + name for name in responses} == set(oembed_links(full_site).values())
    for name, response in responses.items():
        # oembed.com, 2.3.4: version and type are required; for type "rich", html, width and height are.
        assert response["version"] == "1.0" and response["type"] == "rich", name
        assert isinstance(response["html"], str) and response["html"], name
        for size in ("width", "height"):
            assert isinstance(response[size], int) and not isinstance(response[size], bool) and response[size] > 0, name
        assert response["provider_url"] == FULL and response["provider_name"] == "Test timeline", name
        assert isinstance(response["title"], str) and response["title"].endswith(" · Test timeline"), name
        frames = BeautifulSoup(response["html"], "html.parser").find_all(True)
        assert [f.name for f in frames] == ["iframe"], name
        frame = frames[0]
        src = urlsplit(frame["src"])
        assert frame["src"] == FULL + name.removesuffix("oembed.json"), name
        assert src.path.removeprefix("/timeline/") + "index.html" in full_site, name
        assert " ".join(frame["sandbox"]) == SANDBOX and frame["title"] == response["title"], name
        assert frame["height"] == str(response["height"]) and frame["width"] == "100%", name
    event = timeline.by_id[event_id(7)]
    assert responses[f"embed/events/{event.id}/oembed.json"]["title"] == f"{event.title} · Test timeline"


def test_without_a_full_address_there_is_no_oembed_and_the_build_says_so_once(
    site: Files, make_site: Callable[..., BuildConfig], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not [name for name in site if name.endswith("oembed.json")] and not oembed_links(site)
    config = make_site()
    args = ["--events", str(config.events_dir), "--seeds", str(config.seeds_dir), "--config", str(tmp_path / "none.yaml")]
    assert main(["build", *args, "--output", str(tmp_path / "out"), "--no-search"]) == 0
    err = capsys.readouterr().err
    assert (
        err.count("warning: base_url is '/', not a full address, so no oEmbed responses were made") == 1 and "--base-url" in err
    )
    assert main(["build", *args, "--output", str(tmp_path / "out"), "--no-search", "--base-url", FULL]) == 0
    assert "oEmbed" not in capsys.readouterr().err
    assert (tmp_path / "out" / "embed" / "oembed.json").is_file()
