"""static/query.js, the query parsing that the timeline's search, the widget and the embed dialog share, run with Node.

Also that the pages built for one tag, actor, place or year agree with it: the same title and
the same query string for the view on the site (chronicle/site/embed.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chronicle.site.embed import TITLES, form_encode, view_query

QUERY_JS = Path(__file__).resolve().parent.parent / "site_templates" / "static" / "query.js"


def node(expression: str) -> Any:
    """The JSON value of a JavaScript expression in which ``Q`` is query.js."""
    binary = shutil.which("node")
    if binary is None:
        pytest.fail("these tests run static/query.js with Node: install nodejs (apt-get install nodejs)", pytrace=False)
    script = f"const Q = require({json.dumps(str(QUERY_JS))});\nprocess.stdout.write(JSON.stringify({expression}));"
    done = subprocess.run([binary, "-e", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def nodes(*expressions: str) -> list[Any]:
    """Several expressions in one run of Node."""
    return node("[" + ", ".join(expressions) + "]")  # type: ignore[no-any-return]


EMPTY = {"q": "", "tag": "", "actor": "", "place": "", "status": "", "from": "", "to": ""}


def test_a_shared_url_is_read_field_by_field_trimmed_and_unknown_parameters_ignored() -> None:
    state = node('Q.parse("?q=%20helicopter%20&tag=cjng&from=2009&to=2015&sort=date&utm_source=x")')
    assert state == {**EMPTY, "q": "helicopter", "tag": "cjng", "from": "2009", "to": "2015"}
    assert node('Q.parse("")') == EMPTY
    assert node('Q.parse("actor=Garc%C3%ADa+Luna&place=Tapalpa%2C+Jalisco")') == {
        **EMPTY,
        "actor": "García Luna",
        "place": "Tapalpa, Jalisco",
    }


def test_a_widget_address_adds_ids_and_a_theme() -> None:
    state = node('Q.parseEmbed("?tag=cjng&ids=a,%20b,,a,c&theme=DARK")')
    assert state == {**EMPTY, "tag": "cjng", "ids": ["a", "b", "c"], "theme": "dark"}
    assert node('Q.parseEmbed("?theme=purple").theme') == "auto"  # an unknown theme follows the reader's setting
    assert node('Q.parseEmbed("").ids') == []
    many = ",".join(f"e{i}" for i in range(150))
    assert node(f'Q.parseEmbed("?ids={many}").ids.length') == 100  # at most MAX_IDS


def test_a_view_is_written_back_in_a_fixed_order_and_read_back_the_same() -> None:
    assert node('Q.toSearch({to: "2015", q: "a b", tag: "cjng", from: "2009"})') == "?q=a+b&tag=cjng&from=2009&to=2015"
    assert node("Q.toSearch({})") == ""
    assert node('Q.toSearch({tag: "x", ids: ["a", "b"], theme: "dark"})') == "?tag=x"  # ids and theme belong to widgets
    assert node('Q.toSearch({tag: "x", ids: ["a", "b"], theme: "dark"}, true)') == "?tag=x&ids=a%2Cb&theme=dark"
    assert node('Q.toSearch({tag: "x", theme: "auto"}, true)') == "?tag=x"
    round_trip = node(
        'Q.parseEmbed(Q.toSearch({actor: "Joaquín Guzmán", place: "a&b=c", ids: ["x-1", "y"], theme: "light"}, true))'
    )
    assert round_trip == {**EMPTY, "actor": "Joaquín Guzmán", "place": "a&b=c", "ids": ["x-1", "y"], "theme": "light"}


def test_empty_and_filtering_views() -> None:
    assert node('[Q.isEmpty(Q.parse("")), Q.isEmpty(Q.parse("?q=x")), Q.isEmpty(Q.parseEmbed("?ids=a"))]') == [True, False, False]
    assert node(
        '[Q.isFiltering(Q.parse("?q=x")), Q.isFiltering(Q.parse("?status=alleged")), Q.isFiltering(Q.parse("?to=1990"))]'
    ) == [
        False,
        True,
        True,
    ]


def test_years_are_read_as_the_timeline_reads_them() -> None:
    assert node('[Q.year("2015"), Q.year(" 1990 "), Q.year("2015x"), Q.year(""), Q.year("abc")]') == [
        2015,
        1990,
        2015,
        None,
        None,
    ]


def test_text_queries_match_the_start_of_words_accents_and_case_ignored() -> None:
    assert node('Q.words("  Michoacán  POLICE ")') == ["michoacan", "police"]
    cases = [
        (["michoacan"], "Morelia, Michoacán", True),
        (["micho"], "Morelia, Michoacán", True),  # the start of a word
        (["choacan"], "Morelia, Michoacán", False),  # not the middle of one
        (["garcia", "luna"], "Genaro García Luna", True),
        (["garcia", "lopez"], "Genaro García Luna", False),  # every word must be there
        (["50"], "a .50-calibre rifle", True),
        ([], "anything", True),
    ]
    found = node(f"{json.dumps([[words, text] for words, text, _ in cases])}.map(([w, t]) => Q.hasWords(t, w))")
    assert found == [expected for _, _, expected in cases]


def test_a_view_of_one_tag_actor_place_or_year_is_named_for_its_own_page() -> None:
    assert node('Q.single(Q.parse("?tag=cjng"))') == {"kind": "tag", "value": "cjng"}
    assert node('Q.single(Q.parse("?actor=ATF"))') == {"kind": "actor", "value": "ATF"}
    assert node('Q.single(Q.parse("?from=2015&to=2015"))') == {"kind": "year", "value": "2015"}
    others = ("?tag=cjng&status=alleged", "?from=2015", "?from=2015&to=2016", "?from=2015x&to=2015x", "?q=x", "")
    assert nodes(*(f"Q.single(Q.parse({json.dumps(other)}))" for other in others)) == [None] * len(others)
    assert node('Q.single(Q.parseEmbed("?tag=cjng&ids=a"))') is None


def test_titles_say_what_a_view_shows() -> None:
    titles = {
        "": "All events",
        "?status=disputed": "Disputed events",
        "?q=helicopter&tag=cjng": "Events matching “helicopter”, tagged cjng",
        "?status=confirmed&place=Tapalpa%2C+Jalisco&from=2009&to=2015": "Confirmed events in Tapalpa, Jalisco, from 2009 to 2015",
        "?from=2009": "Events from 2009 on",
        "?to=1990": "Events up to 1990",
        "?ids=a,b": "Selected events",
        "?ids=a&status=alleged&actor=ATF": "Selected alleged events involving ATF",
    }
    found = nodes(*(f"Q.title(Q.parseEmbed({json.dumps(search)}))" for search in titles))
    assert dict(zip(titles, found, strict=True)) == titles


@pytest.mark.parametrize(
    ("kind", "value"),
    [("tag", "cjng"), ("actor", "Joaquín Guzmán"), ("place", "Tapalpa, Jalisco"), ("place", "a~b*c&d=e/f"), ("year", "2015")],
)
def test_the_pages_of_one_view_agree_with_the_script(kind: str, value: str) -> None:
    """A built page's title and its link to the site are what query.js makes of the same view."""
    query = view_query(kind, value)
    fields = {"from": value, "to": value} if kind == "year" else {kind: value}
    written, title, read, encoded = nodes(
        f"Q.toSearch({json.dumps(fields)})",
        f"Q.title(Q.parse({json.dumps(query)}))",
        f"Q.parse({json.dumps(query)})",
        f"new URLSearchParams({{v: {json.dumps(value)}}}).toString().slice(2)",
    )
    assert (query, TITLES[kind].format(value), {**EMPTY, **fields}, form_encode(value)) == (written, title, read, encoded)
