"""`python build.py import timelinejs FILE`: hand-made TimelineJS JSON and Google Sheets CSV files into event files."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.build import check, site_files
from chronicle.cli import main
from chronicle.config import BuildConfig, SiteConfig
from chronicle.content.model import Event, Timeline
from chronicle.diagnostics import ContentErrors

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

TIMELINE_JSON = {
    "title": {"text": {"headline": "Women in computing", "text": "<p>A sample.</p>"}},
    "eras": [{"start_date": {"year": "1939"}, "end_date": {"year": "1945"}, "text": {"headline": "The war"}}, {"text": {}}],
    "events": [
        {  # to the day, with media, a caption with a link, a group and a valid unique_id
            "start_date": {"year": "1815", "month": "12", "day": "10"},
            "text": {
                "headline": "Ada Lovelace is born",
                "text": "<p>Daughter of <a href='https://en.wikipedia.org/wiki/Lord_Byron'>Lord Byron</a>.</p>"
                "<p>She wrote the <strong>first</strong> program.</p><script>alert(1)</script>",
            },
            "media": {
                "url": "https://example.org/ada.jpg",
                "credit": "Wikimedia Commons",
                "caption": "Portrait, <a href='https://example.org/about-portrait'>details</a>",
                "thumbnail": "https://example.org/ada-small.jpg",
            },
            "group": "Pioneers",
            "unique_id": "ada-lovelace",
        },
        {  # a span of months, with times of day and a unique_id that is not an id
            "start_date": {"year": 1943, "month": 7, "hour": "9", "minute": "30"},
            "end_date": {"year": "1946", "month": "2"},
            "text": {"headline": "The ENIAC is built", "text": "Programmed by six women. <a href='mailto:x@example.org'>x</a>"},
            "group": "Machines",
            "unique_id": "ENIAC!",
        },
        {  # the year only, approximate as its date's own display text says, with no text
            "start_date": {"year": "1,850", "display_text": "c. 1850"},
            "text": {"headline": "Punched cards spread"},
        },
        {  # a month only, uncertain; no headline
            "start_date": {"year": "1952", "month": "5"},
            "display_date": "May 1952?",
            "text": {"text": "<p>Grace Hopper's compiler runs. It reads English-like words.</p>"},
            "background": {"color": "#333"},
        },
        {  # a span still open; a display date the date cannot say
            "start_date": {"year": "1990"},
            "display_date": "1990 onward",
            "text": {"headline": "The web grows", "text": "<p>Still growing.</p>"},
            "group": "Machines",
        },
        {  # a display date with words the date cannot hold
            "start_date": {"year": "1969", "month": "7"},
            "display_date": "Summer of 1969",
            "text": {"headline": "Apollo 11 software", "text": "<p>Margaret Hamilton's team.</p>"},
        },
    ],
}

SHEET = """\
headline, year ,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Text,Media,Media Credit,Media Caption,Media Thumbnail,Alt Text,Type,Group,Background,Notes
Women in computing,,,,,,,,,,<p>Intro</p>,,,,,,title,,,
The war,1939,,,,1945,,,,,,,,,,,era,,,
Ada Lovelace is born,1815,12,10,,,,,,,"<p>Daughter of Lord Byron.</p>
<p>She wrote the first program.</p>",https://example.org/ada.jpg,Wikimedia Commons,Portrait,,A portrait,,Pioneers,,a note
,,,,,,,,,,,,,,,,,,,
The ENIAC is built,1943,7,,9:30,1946,2,,,,Programmed by six women.,,,,,,,Machines,,
Punched cards spread,1850,,,,,,,,c. 1850,,,,,,,,,,
"""

LEGACY_SHEET = """\
Start Date,End Date,Headline,Text,Media,Tag,Type
,,A title,Intro,,,title
12/10/1815,,Ada Lovelace is born,<p>Daughter of Lord Byron.</p>,https://example.org/ada.jpg,Pioneers,
1943-07,1946-02,The ENIAC is built,Programmed by six women.,,Machines,
1850,,Punched cards spread,<p>Looms.</p>,,,
"""


def events_of(timeline: Timeline) -> dict[str, Event]:
    return {e.id: e for e in timeline.events}


@pytest.fixture
def site(tmp_path: Path) -> BuildConfig:
    """An empty timeline: no events yet, no seeds, no vocabulary."""
    (tmp_path / "events").mkdir()
    return BuildConfig(tmp_path / "events", tmp_path / "seeds", TEMPLATES, tmp_path / "output", SiteConfig(title="Imported"))


def run_import(config: BuildConfig, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", "timelinejs", str(path), "--events", str(config.events_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text) if not text.startswith("{") else text, encoding="utf-8")
    return path


def test_a_timelinejs_json_file_imports_and_builds_at_once(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_import(site, write(tmp_path, "women.json", json.dumps(TIMELINE_JSON)), capsys)
    assert (code, err) == (0, "")
    timeline = check(site)  # no error: it builds as it is
    events = events_of(timeline)
    assert {e.id: e.date.text for e in timeline.events} == {
        "1850-punched-cards-spread": "1850~",
        "ada-lovelace": "1815-12-10",
        "1943-1946-the-eniac-is-built": "1943-07/1946-02",
        "1952-05-grace-hopper-s-compiler-runs-it-reads-english": "1952-05?",
        "1969-07-apollo-11-software": "1969-07",
        "1990-the-web-grows": "1990/..",
    }
    ada = events["ada-lovelace"]
    assert (ada.title, ada.status, ada.imported, ada.tags) == ("Ada Lovelace is born", "reported", "timelinejs", ("pioneers",))
    assert ada.summary == "Daughter of [Lord Byron](https://en.wikipedia.org/wiki/Lord_Byron)."
    assert ada.body == "She wrote the **first** program."  # the script is gone
    assert [(s.url, s.title, s.publisher, s.quote) for s in ada.sources] == [
        ("https://example.org/ada.jpg", "Portrait, details", "Wikimedia Commons", None),
        ("https://en.wikipedia.org/wiki/Lord_Byron", "Lord Byron", None, None),
        ("https://example.org/about-portrait", "details", None, None),
    ]
    assert events["1850-punched-cards-spread"].summary == "Punched cards spread"  # no text: the headline
    assert events["1850-punched-cards-spread"].sources == ()
    hopper = events["1952-05-grace-hopper-s-compiler-runs-it-reads-english"]
    assert hopper.title == "Grace Hopper's compiler runs. It reads English-like words."
    assert timeline.tags == {"pioneers": "Pioneers", "machines": "Machines"}
    # One warning per imported event, saying what it lacks; the build goes on.
    assert [d.severity for d in timeline.warnings] == ["warning"] * 6
    warning = next(d for d in timeline.warnings if d.path.name == "ada-lovelace.yaml")
    assert (warning.line, warning.column) == (7, 1)
    assert warning.message == (
        "imported from TimelineJS and not yet checked: 3 of its 3 sources have no quote: add the passage that supports "
        "the event; check the status ('reported' until you have), then remove the line 'imported: timelinejs'"
    )
    files = site_files(timeline, site, provenance={})
    assert b"has not yet been checked against its sources" in files["events/ada-lovelace/index.html"]
    assert b"No source has been added to this entry yet." in files["events/1850-punched-cards-spread/index.html"]
    # What was written, and what was not carried over, is said.
    assert "Imported 6 events from" in out and "events[0] -> " in out and "ada-lovelace.yaml" in out
    assert "Added 2 tags to" in out and ": pioneers, machines" in out
    for expected in (
        "title: the title slide 'Women in computing' is not an event",
        "eras[0]: the era 'The war' is a period, not an event",
        "eras[1]: the era is a period, not an event",
        "events[0] (ada-lovelace): its media thumbnail was not imported",
        "events[1] (1943-1946-the-eniac-is-built): its time of day (9:30) was left out",
        "events[1] (1943-1946-the-eniac-is-built): its unique_id 'ENIAC!' is not an id",
        "events[1] (1943-1946-the-eniac-is-built): the link 'mailto:x@example.org' is not an http(s) address",
        "events[2] (1850-punched-cards-spread): no text: the summary repeats the headline",
        "events[3] (1952-05-grace-hopper-s-compiler-runs-it-reads-english): no headline",
        "events[3] (1952-05-grace-hopper-s-compiler-runs-it-reads-english): its background was not imported",
        "events[5] (1969-07-apollo-11-software): its display date 'Summer of 1969' was not kept",
    ):
        assert expected in out, expected


def test_the_google_sheets_template_as_csv_imports_by_header_name(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Columns in another order and case, an unknown column, a blank row, a cell over two lines, title and era rows."""
    code, out, err = run_import(site, write(tmp_path, "sheet.csv", SHEET), capsys)
    assert (code, err) == (0, "")
    events = events_of(check(site))
    assert {e.id: e.date.text for e in events.values()} == {
        "1815-12-10-ada-lovelace-is-born": "1815-12-10",
        "1943-1946-the-eniac-is-built": "1943-07/1946-02",
        "1850-punched-cards-spread": "1850~",
    }
    ada = events["1815-12-10-ada-lovelace-is-born"]
    assert (ada.summary, ada.body) == ("Daughter of Lord Byron.", "She wrote the first program.")
    assert [(s.url, s.title, s.publisher) for s in ada.sources] == [
        ("https://example.org/ada.jpg", "Portrait", "Wikimedia Commons")
    ]
    assert ada.tags == ("pioneers",)
    for expected in (
        "the column 'Notes' is not one of TimelineJS's: it was not imported",
        "row 2: the title slide 'Women in computing' is not an event",
        "row 3: the era 'The war' is a period, not an event",
        "row 6 (1943-1946-the-eniac-is-built): its time of day (9:30) was left out",
    ):
        assert expected in out, expected


def test_the_first_templates_columns_import_too(site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Tag for Group, Start Date and End Date (month/day/year, or ISO) for the date columns."""
    code, _, err = run_import(site, write(tmp_path, "legacy.csv", LEGACY_SHEET), capsys)
    assert (code, err) == (0, "")
    events = events_of(check(site))
    assert {e.id: (e.date.text, e.tags) for e in events.values()} == {
        "1815-12-10-ada-lovelace-is-born": ("1815-12-10", ("pioneers",)),
        "1943-1946-the-eniac-is-built": ("1943-07/1946-02", ("machines",)),
        "1850-punched-cards-spread": ("1850", ()),
    }


def test_an_import_never_overwrites_a_file_or_reuses_an_id(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = site.events_dir / "2001" / "ada-lovelace.yaml"
    taken.parent.mkdir()
    taken.write_text("kept as it is\n", encoding="utf-8")
    source = write(tmp_path, "women.json", json.dumps(TIMELINE_JSON))
    assert run_import(site, source, capsys)[0] == 0
    assert taken.read_text(encoding="utf-8") == "kept as it is\n"
    assert (site.events_dir / "1815" / "1815-12-10-ada-lovelace-is-born.yaml").exists()
    before = {p: p.read_bytes() for p in site.events_dir.rglob("*.yaml")}
    code, out, _ = run_import(site, source, capsys)  # the same file again: new ids, nothing overwritten
    assert code == 0 and "its unique_id 'ada-lovelace' is already taken" in out
    after = {p: p.read_bytes() for p in site.events_dir.rglob("*.yaml") if p in before}
    assert after == before
    assert (site.events_dir / "1815" / "1815-12-10-ada-lovelace-is-born-2.yaml").exists()
    assert (site.events_dir / "1990" / "1990-the-web-grows-2.yaml").exists()


def test_new_tags_are_added_to_the_vocabulary_as_it_is(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vocabulary = site.events_dir / "tags.yaml"
    vocabulary.write_text("# Our tags\npioneers: People who came first\n", encoding="utf-8")
    assert run_import(site, write(tmp_path, "women.json", json.dumps(TIMELINE_JSON)), capsys)[0] == 0
    text = vocabulary.read_text(encoding="utf-8")
    assert text.startswith("# Our tags\npioneers: People who came first\n")
    assert text.endswith('machines: "Machines"\n') and "pioneers:" not in text.split("\n", 2)[2]
    assert check(site).tags == {"pioneers": "People who came first", "machines": "Machines"}


BROKEN = [
    (
        "bad.json",
        '{"events": [\n  {"start_date": {"year": "1990"},}\n]}',
        ["line 2, column 35: not valid JSON: Expecting property name enclosed in double quotes"],
    ),
    ("list.json", "[1, 2]", ['the top level must be an object with an "events" list']),
    (
        "dates.json",
        json.dumps(
            {
                "events": [
                    {"text": {"headline": "no date"}},
                    {"start_date": {"year": "199O"}},
                    {"start_date": {"year": "1990", "month": "13"}},
                    {"start_date": {"year": "2023", "month": "2", "day": "29"}},
                    {"start_date": {"year": "1990", "day": "3"}},
                    {"start_date": {"year": "1995"}, "end_date": {"year": "1990"}},
                    {"start_date": "1990"},
                    "a slide",
                ],
                "scale": "cosmological",
            }
        ),  # fmt: skip
        [
            "scale is 'cosmological': only 'human' (calendar dates) can be imported",
            "events[0] has no start_date: every event needs one with at least a year",
            "events[1].start_date.year is '199O': it must be a whole number",
            "events[2].start_date.month is 13: a month is 1 to 12",
            "events[3].start_date.day is 29: that month has 28 days",
            "events[4].start_date has a day (3) but no month",
            "events[5]: the end date is before the start date",
            'events[6].start_date must be an object like {"year": "1998"}, not text',
            "events[7] must be an object (a slide), not text",
        ],
    ),
    ("empty.csv", "", ["row 1: the file is empty"]),
    ("nodate.csv", "Headline,Text\nA,B\n", ["row 1: no 'Year' column (nor the first template's 'Start Date')"]),
    (
        "rows.csv",
        "Year,Month,Day,End Year,Headline\n19x0,,,,A\n1990,,,,B\n,5,,,C\n1990,2,30,,D\n1990,,,1989,E\n,,,,\n1990,,,,F,extra\n",
        [
            "row 2, Year/Month/Day.year is '19x0': it must be a whole number",
            "row 4, Month: '5' is given without a Year",
            "row 5, Year/Month/Day.day is 30: that month has 28 days",
            "row 6: the end date is before the start date",
            "row 8: 1 more cell(s) than the header has columns: 'extra'",
        ],
    ),
    ("quote.csv", 'Year,Headline\n1990,"unclosed\n', ["line 2: not valid CSV"]),
    ("legacy.csv", "Start Date,Headline\nMarch 3rd,A\n", ["row 2, Start Date: 'March 3rd' is not a date TimelineJS reads"]),
    ("dupe.csv", "Year,Headline,year\n1990,A,1991\n", ["row 1: the column 'Year' appears twice (columns 1 and 3)"]),
]


@pytest.mark.parametrize(("name", "text", "messages"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_names_every_problem_and_writes_nothing(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, messages: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = run_import(site, path, capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == len(messages) + 1
    for line, message in zip(lines, messages, strict=False):
        assert line.startswith(f"{path}: error: {message}"), line
    assert lines[-1].endswith("nothing was written")
    assert list(site.events_dir.iterdir()) == []


def test_a_file_that_is_not_utf8_or_not_there(site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Year,Headline\n1990,Michoacán\n".encode("latin-1"))
    code, _, err = run_import(site, latin, capsys)
    assert code == 1 and "latin.csv: error: line 2, column 13: the file is not UTF-8 text; save it as UTF-8" in err
    code, _, err = run_import(site, tmp_path / "missing.json", capsys)
    assert code == 1 and "missing.json: no such file; nothing was written" in err
    assert list(site.events_dir.iterdir()) == []


def test_a_broken_vocabulary_is_reported_before_anything_is_written(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site.events_dir / "tags.yaml").write_text("pioneers: [unclosed\n", encoding="utf-8")
    code, _, err = run_import(site, write(tmp_path, "women.json", json.dumps(TIMELINE_JSON)), capsys)
    assert code == 1 and "events/tags.yaml:2:1: error: YAML does not parse" in err
    assert [p.name for p in site.events_dir.iterdir()] == ["tags.yaml"]


def test_imported_text_is_sanitised_and_cannot_break_the_yaml(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str], make_site: Callable[..., BuildConfig]
) -> None:
    slide = {
        "start_date": {"year": "2001"},
        "text": {
            "headline": "yes: no # not a comment",
            "text": "<p onclick='x()'>1998. A year, not a list; <img src='https://tracker.example/x.gif'> "
            "<iframe src='https://e.org'></iframe>&lt;b&gt;literal&lt;/b&gt; - [not] a *link*</p>",
        },
        "group": "---",
    }
    code, out, _ = run_import(site, write(tmp_path, "odd.json", json.dumps({"events": [slide]})), capsys)
    assert code == 0 and "its group '---' has no letters or digits a tag can keep" in out
    (event,) = check(site).events
    assert event.title == "yes: no # not a comment"
    assert event.summary == "1998\\. A year, not a list; &lt;b\\>literal&lt;/b\\> \\- \\[not\\] a \\*link\\*"
    html = site_files(check(site), site, provenance={})[f"events/{event.id}/index.html"].decode()
    assert "1998. A year, not a list; &lt;b&gt;literal&lt;/b&gt; - [not] a *link*" in html
    assert "tracker.example" not in html and "onclick" not in html


def test_only_an_imported_event_may_cite_a_source_without_a_quote_or_have_none(make_site: Callable[..., BuildConfig]) -> None:
    unquoted = "title: T\ndate: 2015\nstatus: reported\nsummary: S\nsources:\n  - url: https://example.org\n    title: E\n"
    none = "title: N\ndate: 2015\nstatus: reported\nsummary: S\nsources: []\n"
    with pytest.raises(ContentErrors) as errors:
        check(make_site({"events/2015/2015-t.yaml": unquoted, "events/2015/2015-n.yaml": none}))
    assert [(d.path.name, d.message) for d in errors.value.diagnostics if d.is_error] == [
        ("2015-n.yaml", "sources must have at least 1 item(s): add a source with a quote"),
        (
            "2015-t.yaml",
            "sources[0] has no quote: add 'quote:' with the passage of the source that supports the event, copied exactly",
        ),
    ]
    marked = {
        "events/2015/2015-t.yaml": unquoted.replace("status: reported\n", "status: reported\nimported: timelinejs\n"),
        "events/2015/2015-n.yaml": none.replace("status: reported\n", "status: reported\nimported: timelinejs\n"),
    }
    timeline = check(make_site(marked))
    assert sorted((d.path.name, d.line, d.severity) for d in timeline.warnings) == [
        ("2015-n.yaml", 4, "warning"),
        ("2015-t.yaml", 4, "warning"),
    ]
    imported = {e.id: e.imported for e in timeline.events}
    assert (imported["2015-t"], imported["2015-n"]) == ("timelinejs", "timelinejs")


def test_validate_counts_the_imported_events_still_to_check(
    site: BuildConfig, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(site, write(tmp_path, "sheet.csv", SHEET), capsys)[0] == 0
    code = main(
        ["validate", "--events", str(site.events_dir), "--seeds", str(site.seeds_dir), "--config", str(tmp_path / "none.yaml")]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert err.count(": warning: imported from TimelineJS and not yet checked") == 3
    assert out.strip().endswith("; 3 warnings (above); 3 imported events still to check")
