"""Every way an event file can be wrong: the exact message, file, line and column.

Each broken fixture site is built through the command line, as a contributor
runs it, and the full stderr is compared line by line.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chronicle.cli import main

BASE = "title: T\ndate: 2015\nstatus: reported\nsummary: S\nsources:\n  - seed: s1\n    quote: having shot down\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out


def errors_for(
    files: dict[str, str | None], site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], *, root: bool = False
) -> list[str]:
    args = site_args(files)
    code, err, _ = run(["validate", *args], capsys)
    assert code == 1, err
    events_dir = args[1]
    # Paths in messages are shown as given; make them short for the assertions.
    return [line.replace(events_dir + "/", "events/").replace(args[3] + "/", "seeds/") for line in err[:-1]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BASE.replace("title: T", "titel: T"),
            [
                "2015/2015-x.yaml:1:1: error: unknown key 'titel' in an event. Did you mean 'title'? Allowed keys: 'actors', "
                "'body', 'date', 'imported', 'places', 'related', 'sources', 'status', 'summary', 'tags' or 'title'",
            ],
        ),
        (
            BASE.replace("status: reported", "status: confimed"),
            [
                "2015/2015-x.yaml:3:9: error: status is 'confimed', which is not allowed. Did you mean 'confirmed'? "
                "Use 'confirmed', 'reported', 'alleged' or 'disputed'",
            ],
        ),
        (
            BASE.replace("date: 2015", "date: 2015-02-30"),
            [
                "2015/2015-x.yaml:2:7: error: date: '2015-02-30' is not a valid calendar date: February 2015 has 28 days",
            ],
        ),
        (
            BASE.replace("date: 2015", "date: 2015/2013"),
            [
                "2015/2015-x.yaml:2:7: error: date: the span '2015/2013' ends before it starts; write the earlier date first",
            ],
        ),
        (
            BASE.replace("date: 2015", "date: 2016"),
            [
                "2015/2015-x.yaml:2:7: error: the event starts in 2016 but its file is in events/2015/; move it to events/2016/2015-x.yaml",
            ],
        ),
        (
            BASE.replace("quote: having shot down", "quote: having shot up"),
            [
                "2015/2015-x.yaml:7:12: error: the quote is not in seed s1 (compared with white space and typographic quotes folded). "
                "Copy a passage from seeds/s1.txt exactly",
            ],
        ),
        (
            BASE.replace("quote: having shot down", "quote: having shot down Mexican military aircraft in 2015"),
            [
                "2015/2015-x.yaml:7:12: error: the quote is not in seed s1 (compared with white space and typographic quotes folded); "
                'the seed has here: "having shot down Mexican military helicopters in 2015.". Copy the passage exactly',
            ],
        ),
        (
            BASE.replace("seed: s1", "seed: s2"),
            [
                "2015/2015-x.yaml:6:11: error: no seed 's2' in seeds/. A seed is a document archived as seeds/<seed-id>.txt",
            ],
        ),
        (
            BASE + "related: [2015-y]\n",
            [
                "2015/2015-x.yaml:8:11: error: 'related' names '2015-y', but no event has that id. Did you mean '2015-x'? "
                "An id is an event's file name without .yaml",
            ],
        ),
        (
            BASE + "tags: [cjgn]\n",
            [
                "2015/2015-x.yaml:8:8: error: the tag 'cjgn' is not in the vocabulary events/tags.yaml. Did you mean 'cjng'? "
                "Use a listed tag, or add 'cjgn: <one-line description>' there",
            ],
        ),
        (
            BASE + "tags: [CJNG]\n",
            [
                "2015/2015-x.yaml:8:8: error: tags[0] 'CJNG' must be a lowercase slug (letters, digits, hyphens), e.g. 'cjng'",
            ],
        ),
        (BASE + "tags: cjng\n", ["2015/2015-x.yaml:8:7: error: tags must be a list, not text: write a list, e.g. [cjng]"]),
        (
            BASE + "actors: [CJNG, CJNG]\n",
            [
                "2015/2015-x.yaml:8:9: error: actors lists 'CJNG' more than once: remove the repeat",
            ],
        ),
        (
            BASE.replace(
                "  - seed: s1\n    quote: having shot down\n", "  - url: ftp://example.org/x\n    title: X\n    quote: Q\n"
            ),
            [
                "2015/2015-x.yaml:6:10: error: sources[0].url 'ftp://example.org/x' must be an http:// or https:// address",
            ],
        ),
        (
            BASE.replace("    quote: having shot down\n", "    publisher: Someone\n"),
            [
                "2015/2015-x.yaml:6:5: error: sources[0] cites seed 's1' without a quote: add 'quote:' with a passage copied from the seed",
            ],
        ),
        (
            BASE.replace("    quote: having shot down\n", "    quote: having shot down\n    publisher: Someone\n"),
            [
                "2015/2015-x.yaml:6:5: error: sources[0] cites a seed, so 'publisher' must go: a seed's title, publisher and date "
                "come from seeds/s1.yaml",
            ],
        ),
        (
            BASE.replace("    quote: having shot down\n", "    qoute: having shot down\n"),
            [
                "2015/2015-x.yaml:7:5: error: unknown key 'qoute' in a source. Did you mean 'quote'? Allowed keys: 'archive_url', "
                "'kind', 'published', 'publisher', 'quote', 'seed', 'stance', 'title' or 'url'",
            ],
        ),
        (
            BASE.replace("sources:\n  - seed: s1\n    quote: having shot down\n", "sources: []\n"),
            [
                "2015/2015-x.yaml:5:10: error: sources must have at least 1 item(s): add a source with a quote",
            ],
        ),
        (
            BASE.replace("summary: S", "summary: "),
            [
                "2015/2015-x.yaml:4:9: error: summary must be text, not empty (null): give it a value or remove the key",
            ],
        ),
        (
            BASE.replace("title: T", "title:"),
            [
                "2015/2015-x.yaml:1:7: error: title must be text, not empty (null): give it a value or remove the key",
            ],
        ),
        (
            BASE.replace("title: T", "tilte: T\nstatus: alleged"),
            [
                "2015/2015-x.yaml:1:1: error: unknown key 'tilte' in an event. Did you mean 'title'? Allowed keys: 'actors', "
                "'body', 'date', 'imported', 'places', 'related', 'sources', 'status', 'summary', 'tags' or 'title'",
                "2015/2015-x.yaml:4:1: error: duplicate key 'status' (first written at line 2); YAML would silently keep only the "
                "last one: remove or merge one of them",
            ],
        ),
        (
            BASE + "title: Again\n",
            [
                "2015/2015-x.yaml:8:1: error: duplicate key 'title' (first written at line 1); YAML would silently keep only the "
                "last one: remove or merge one of them",
            ],
        ),
        (
            BASE.replace("summary: S", "summary: Raid: what followed"),
            [
                "2015/2015-x.yaml:4:14: error: YAML does not parse: mapping values are not allowed in this context; a value containing ': ' "
                'must be quoted, e.g. title: "Raid: what followed"',
            ],
        ),
        (
            BASE + "places:\n  - name: Tapalpa\n    lat: 95\n",
            [
                "2015/2015-x.yaml:10:10: error: places[0].lat is 95, out of range: 95 is greater than the maximum of 90",
            ],
        ),
        (
            "- just\n- a list\n",
            ["2015/2015-x.yaml:1:1: error: an event file must be a YAML mapping of fields (title:, date:, ...)"],
        ),
        ("", ["2015/2015-x.yaml:1:1: error: the file is empty; it must hold a YAML mapping of fields"]),
    ],
)
def test_each_mistake_gets_one_precise_message(
    text: str, expected: list[str], site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    errors = errors_for({"events/2015/2015-x.yaml": text}, site_args, capsys)
    assert [e.removeprefix("events/") for e in errors] == expected


def test_all_errors_in_all_files_in_one_run(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    errors = errors_for(
        {
            "events/2015/2015-a.yaml": BASE.replace("status: reported", "status: rumoured"),
            "events/2015/2015-b.yaml": BASE.replace("quote: having shot down", "quote: nowhere in the seed"),
            "events/2016/2015-a.yaml": BASE.replace("date: 2015", "date: 2016"),
            "events/2015/Bad Name.yaml": BASE,
            "events/stray.yaml": BASE,
            "events/2015/2015-c.yml": BASE,
        },
        site_args,
        capsys,
    )
    assert errors == [
        "events/2015/2015-a.yaml:3:9: error: status is 'rumoured', which is not allowed. Use 'confirmed', 'reported', 'alleged' or 'disputed'",
        "events/2015/2015-b.yaml:7:12: error: the quote is not in seed s1 (compared with white space and typographic quotes folded). "
        "Copy a passage from seeds/s1.txt exactly",
        "events/2015/2015-c.yml:1:1: error: event files end in .yaml: rename it to 2015-c.yaml",
        "events/2015/Bad Name.yaml:1:1: error: the file name 'Bad Name.yaml' is not a valid id: use lowercase letters, digits and "
        "hyphens, e.g. 'bad-name.yaml'",
        "events/2016/2015-a.yaml:1:1: error: the id '2015-a' is already used by events/2015/2015-a.yaml; ids must be unique: "
        "rename one of the files",
        "events/stray.yaml:1:1: error: an event file belongs in a folder named after its year: events/<YYYY>/<id>.yaml",
    ]


def test_seed_metadata_is_checked(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    errors = errors_for(
        {
            "seeds/s1.yaml": 'title: null\npublisher: null\nauthor: null\npublished: "2026-13"\nkind: blog\nurl: null\n',
            "seeds/s2.txt": "orphan text",
            "seeds/s3.yaml": "title: null\n",
        },
        site_args,
        capsys,
    )
    seeds = [e for e in errors if e.startswith("seeds/")]
    assert seeds == [
        "seeds/s1.yaml:4:12: error: published: '2026-13' is not a valid calendar date: there is no month 13",
        "seeds/s1.yaml:5:7: error: kind is 'blog', which is not allowed. Use 'news', 'opinion', 'advocacy', 'industry', "
        "'government' or 'court'",
        "seeds/s2.txt:1:1: error: the seed has no metadata: add s2.yaml (title, publisher, author, published, kind, url)",
        "seeds/s3.yaml:1:1: error: metadata without a document: add the text as s3.txt or remove this file",
    ]


def test_github_format_gives_annotations(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    args = site_args({"events/2015/2015-x.yaml": BASE.replace("status: reported", "status: maybe")})
    code, err, _ = run(["validate", "--format", "github", *args], capsys)
    assert code == 1
    assert err[0] == (
        f"::error file={args[1]}/2015/2015-x.yaml,line=3,col=9::status is 'maybe', which is not allowed. "
        "Use 'confirmed', 'reported', 'alleged' or 'disputed'"
    )


def test_valid_site_passes_and_writes_nothing(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    code, err, out = run(["validate", *site_args()], capsys)
    assert (code, err) == (0, [])
    assert out.strip() == "OK: 2 events, 1 seeds, 2 tags"
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("broken", ["title: [unclosed\n", "title: T\x00\n"])
def test_an_event_file_that_cannot_be_read_is_reported_once_not_by_the_events_naming_it(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    # The helicopter event names el-mencho-killed in 'related'; that file is broken.
    found = errors_for({"events/2026/2026-02-22-el-mencho-killed.yaml": broken}, site_args, capsys)
    assert len(found) == 1 and found[0].startswith("events/2026/2026-02-22-el-mencho-killed.yaml:"), found
