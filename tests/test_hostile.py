"""Hostile content: files made to hang, crash, leak or mislead, each with its exact message.

Every case is a fixture site with one file changed, checked through the
command line as a contributor (or an attacker) runs it: the exit status, and
every line of the report, exactly. No case may raise, hang or print a
traceback; a case that reads outside the site would show the secret's text.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.content.yamldoc import parse_yaml

BASE = "title: T\ndate: 2015\nstatus: reported\nsummary: S\nsources:\n  - seed: s1\n    quote: having shot down\n"
EVENT = "events/2015/2015-x.yaml"


def _bomb(levels: int) -> str:
    names = [chr(ord("a") + i) for i in range(levels + 1)]
    lines = [f"{names[0]}: &{names[0]} [x,x,x,x,x,x,x,x,x,x]"]
    lines += [f"{n}: &{n} [{','.join(['*' + p] * 10)}]" for p, n in zip(names, names[1:], strict=False)]
    return "\n".join(lines) + "\n"


CASES: dict[str, tuple[dict[str, str | None], list[str]]] = {
    "a billion laughs (ten chained aliases)": (
        {EVENT: BASE + _bomb(9)},
        [
            "events/2015/2015-x.yaml:8:4: error: YAML anchors ('&name') are not supported; write the value out in full "
            "(and 9 more in this file)",
            "events/2015/2015-x.yaml:9:8: error: YAML aliases ('*name') are not supported; write the value out in full "
            "(and 89 more in this file)",
        ],
    ),
    "one alias": (
        {EVENT: BASE.replace("summary: S", "summary: &s S\nbody: *s")},
        [
            "events/2015/2015-x.yaml:4:10: error: YAML anchors ('&name') are not supported; write the value out in full",
            "events/2015/2015-x.yaml:5:7: error: YAML aliases ('*name') are not supported; write the value out in full",
        ],
    ),
    "flow nesting 1,200 deep": (
        {EVENT: BASE + "extra: " + "[" * 1200 + "]" * 1200 + "\n"},
        ["events/2015/2015-x.yaml:8:27: error: nested more than 20 levels deep; an event needs 4 at most"],
    ),
    "block nesting 600 deep": (
        {EVENT: BASE + "x:\n" + "".join(" " * i + "- \n" for i in range(1, 600))},
        ["events/2015/2015-x.yaml:28:21: error: nested more than 20 levels deep; an event needs 4 at most"],
    ),
    "a NUL byte hiding the rest of the file": (
        {EVENT: BASE + "# \x00\nstatus: wrong\n"},
        [
            "events/2015/2015-x.yaml:8:3: error: the file contains U+0000 (a control character), which is not allowed in "
            "text; remove it (a NUL byte: the file may have been saved in another encoding, or be binary)"
        ],
    ),
    "a terminal escape in a value": (
        {EVENT: BASE.replace("summary: S", 'actors: ["\x1b[2Jevil"]\nsummary: S')},
        [
            "events/2015/2015-x.yaml:4:11: error: the file contains U+001B (a control character), which is not allowed in text; remove it"
        ],
    ),
    "a right-to-left override": (
        {EVENT: BASE.replace("title: T", "title: T \u202eevil")},
        [
            "events/2015/2015-x.yaml:1:10: error: the file contains U+202E (RIGHT-TO-LEFT OVERRIDE), which is not allowed in "
            "text; remove it"
        ],
    ),
    "a number as a key": (
        {EVENT: BASE + "1: a\n"},
        [
            "events/2015/2015-x.yaml:8:1: error: the key '1' must be text, not a number, date or true/false: quote it, or check the indentation"
        ],
    ),
    "true as a key": (
        {EVENT: BASE + "true: a\n"},
        [
            "events/2015/2015-x.yaml:8:1: error: the key 'true' must be text, not a number, date or true/false: quote it, or check the indentation"
        ],
    ),
    "a number as a tag in the vocabulary": (
        {"events/tags.yaml": "cjng: The cartel.\nheavy-weapons: Arms.\n1: y\n"},
        [
            "events/tags.yaml:3:1: error: the key '1' must be text, not a number, date or true/false: quote it, or check the indentation"
        ],
    ),
    "sources: 5": (
        {EVENT: BASE.split("sources:")[0] + "sources: 5\n"},
        ["events/2015/2015-x.yaml:5:10: error: sources must be a list, not a number"],
    ),
    "sources: [1, 2]": (
        {EVENT: BASE.split("sources:")[0] + "sources: [1, 2]\n"},
        [
            "events/2015/2015-x.yaml:5:11: error: sources[0] must be a mapping, not a number",
            "events/2015/2015-x.yaml:5:14: error: sources[1] must be a mapping, not a number",
        ],
    ),
    "the year 0000": (
        {"events/0000/0000-x.yaml": BASE.replace("date: 2015", "date: '0000'")},
        [
            "events/0000/0000-x.yaml:2:7: error: date: '0000' is not a valid calendar date: there is no year 0 "
            "(1 BC is followed by AD 1); dates start at 0001"
        ],
    ),
    "full-width digits": (
        {EVENT: BASE.replace("date: 2015", "date: '２０１５'")},
        [
            "events/2015/2015-x.yaml:2:7: error: date: '２０１５' uses digits other than 0-9; write the date with the digits 0 to 9, e.g. 2015-05-01"
        ],
    ),
    "Arabic-Indic digits": (
        {EVENT: BASE.replace("date: 2015", "date: '٢٠١٥'")},
        [
            "events/2015/2015-x.yaml:2:7: error: date: '٢٠١٥' uses digits other than 0-9; write the date with the digits 0 to 9, e.g. 2015-05-01"
        ],
    ),
    "an outside source without a quote": (
        {EVENT: BASE.split("sources:")[0] + "sources:\n  - url: https://example.org\n    title: X\n"},
        [
            "events/2015/2015-x.yaml:6:5: error: sources[0] has no quote: add 'quote:' with the passage of the source that "
            "supports the event, copied exactly"
        ],
    ),
    "an id with a trailing line break": (
        {EVENT: BASE.replace("summary: S", 'summary: S\nrelated: ["2026-02-22-el-mencho-killed\\n"]')},
        ["events/2015/2015-x.yaml:5:11: error: related[0] must be an event's id: its file name without .yaml"],
    ),
    "a URL with a trailing line break": (
        {EVENT: BASE.split("sources:")[0] + 'sources:\n  - url: "https://example.org\\n"\n    title: X\n    quote: q\n'},
        ["events/2015/2015-x.yaml:6:10: error: sources[0].url must be one http:// or https:// address"],
    ),
    "a latitude that is not a number": (
        {EVENT: BASE + "places:\n  - name: X\n    lat: .nan\n    lon: 1\n"},
        ["events/2015/2015-x.yaml:10:10: error: lat must be a number from -90 to 90, not nan"],
    ),
    "a binary tag": (
        {EVENT: BASE.replace("title: T", "title: !!binary aGVsbG8=")},
        [
            "events/2015/2015-x.yaml:1:8: error: YAML tags ('!!binary', '!name') are not supported; write plain text, numbers, "
            "lists and mappings"
        ],
    ),
    "a directive": (
        {EVENT: "%YAML 1.1\n---\n" + BASE},
        ["events/2015/2015-x.yaml:1:1: error: YAML directives ('%YAML', '%TAG') are not supported; remove the line"],
    ),
    "an actor of white space": (
        {EVENT: BASE + "actors: ['  ']\n"},
        ["events/2015/2015-x.yaml:8:10: error: the actor '  ' is empty; write the name, or remove the entry"],
    ),
    "an actor written another way": (
        {EVENT: BASE + "actors: [cjng]\n"},
        [
            "events/2015/2015-x.yaml:8:10: error: the actor 'cjng' is written 'CJNG' in 1 other place "
            "(e.g. events/2015/2015-05-01-helicopter-shot-down.yaml); write it one way, or it becomes two pages"
        ],
    ),
    "an actor with a zero-width space": (
        {EVENT: BASE + 'actors: ["CJ\u200bNG"]\n'},
        ["events/2015/2015-x.yaml:8:10: error: the actor 'CJ<U+200B>NG' holds an invisible character (U+200B); retype the name"],
    ),
    "an actor with a Cyrillic look-alike": (
        {EVENT: BASE + 'actors: ["\u0421JNG"]\n'},
        [
            "events/2015/2015-x.yaml:8:10: error: the actor 'СJNG' mixes letters of the Cyrillic and Latin alphabets, "
            "which look alike; retype the name in one alphabet"
        ],
    ),
    "a place of full-width letters": (
        {EVENT: BASE + "places:\n  - name: Ｖｉｌｌａ Purificación, Jalisco\n"},
        [
            "events/2015/2015-x.yaml:9:11: error: the place 'Ｖｉｌｌａ Purificación, Jalisco' is written 'Villa Purificación, "
            "Jalisco' in 1 other place (e.g. events/2015/2015-05-01-helicopter-shot-down.yaml); write it one way, "
            "or it becomes two pages"
        ],
    ),
    "four required keys missing": (
        {EVENT: "title: T\n"},
        [
            "events/2015/2015-x.yaml:1:1: error: missing required key 'date': add 'date: \"2015-05-01\"'",
            "events/2015/2015-x.yaml:1:1: error: missing required key 'sources': add 'sources: [{seed: <seed-id>, quote: "
            '"a passage copied from the seed"}]\'',
            "events/2015/2015-x.yaml:1:1: error: missing required key 'status': add 'status: reported'",
            "events/2015/2015-x.yaml:1:1: error: missing required key 'summary': add 'summary: \"One paragraph in your own "
            "words.\"'",
        ],
    ),
    "no seeds folder": (
        {"seeds/s1.txt": None, "seeds/s1.yaml": None},
        [
            "seeds:1:1: error: the seeds folder does not exist, and 2 event files cite seeds "
            "(e.g. events/2015/2015-05-01-helicopter-shot-down.yaml); add the folder with the archived documents"
        ],
    ),
    "a tag vocabulary that does not parse": (
        {"events/tags.yaml": "cjng: [\n"},
        ["events/tags.yaml:2:1: error: YAML does not parse: did not find expected node content (while parsing a flow node)"],
    ),
    "a key with an escape sequence": (
        {EVENT: BASE + '"k\x1b[31m": 1\n'},
        [
            "events/2015/2015-x.yaml:8:3: error: the file contains U+001B (a control character), which is not allowed in text; remove it"
        ],
    ),
    "an over-long file": (
        {EVENT: BASE + "body: |\n" + "  x\n" * 100_000},
        [
            f"events/2015/2015-x.yaml:1:1: error: the file is {len(BASE) + 8 + 400_000:,} bytes, more than the 262,144 allowed; "
            "is it the right file?"
        ],
    ),
}


def _tidy(line: str, root: str) -> str:
    return line.replace(root + "/", "").replace(root, ".")


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_content_gets_its_exact_message(
    name: str, make_site: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    files, expected = CASES[name]
    config = make_site(files)
    root = str(config.events_dir.parent)  # type: ignore[attr-defined]
    for relative, text in files.items():
        if text is None:
            (Path(root) / relative).unlink(missing_ok=True)
    seeds = Path(root) / "seeds"
    if seeds.is_dir() and not any(seeds.iterdir()):
        seeds.rmdir()
    code = main(["validate", "--events", f"{root}/events", "--seeds", f"{root}/seeds", "--config", f"{root}/site.yaml"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert [_tidy(line, root) for line in err[:-1]] == expected
    assert "Traceback" not in "\n".join(err)


def test_a_byte_order_mark_is_dropped_as_editors_hide_it(
    make_site: Callable[..., object], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_site({EVENT: "\ufeff" + BASE})
    root = config.events_dir.parent  # type: ignore[attr-defined]
    assert main(["validate", "--events", f"{root}/events", "--seeds", f"{root}/seeds"]) == 0


# --- links, and files that are not files ----------------------------------------------------


@pytest.fixture
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the site that no command may read: its words must never appear."""
    path = tmp_path_factory.mktemp("elsewhere") / "passwd"
    path.write_text("root:x:0:0:SECRET-WORD:/root:/bin/bash\nhaving shot down and more SECRET-WORD\n", encoding="utf-8")
    return path


def run(root: Path, capsys: pytest.CaptureFixture[str], command: str = "validate") -> tuple[int, str]:
    args = [command, "--events", f"{root}/events", "--seeds", f"{root}/seeds", "--config", f"{root}/site.yaml"]
    if command == "build":
        args += ["--output", f"{root}/output", "--no-search"]
    code = main(args)
    captured = capsys.readouterr()
    return code, _tidy(captured.err + captured.out, str(root))


def test_a_seed_linked_to_a_file_outside_is_refused_not_quoted(
    make_site: Callable[..., object], secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site().events_dir.parent  # type: ignore[attr-defined]
    (root / "seeds/s1.txt").unlink()
    (root / "seeds/s1.txt").symlink_to(secret)
    code, out = run(root, capsys, "build")
    assert code == 1 and "SECRET-WORD" not in out
    assert out.splitlines()[:-1] == [
        "seeds/s1.txt:1:1: error: a symbolic link, which is not followed; put the file or folder itself here"
    ]
    assert not (root / "output").exists()


def test_an_event_linked_to_a_file_outside_is_refused(
    make_site: Callable[..., object], secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site().events_dir.parent  # type: ignore[attr-defined]
    (root / EVENT).symlink_to(secret)
    code, out = run(root, capsys)
    assert code == 1 and "SECRET-WORD" not in out
    assert out.splitlines()[:-1] == [
        "events/2015/2015-x.yaml:1:1: error: a symbolic link, which is not followed; put the file or folder itself here"
    ]


def test_the_preview_shows_no_lines_of_a_linked_file(make_site: Callable[..., object], secret: Path) -> None:
    from chronicle.preview.errorpage import error_page
    from chronicle.preview.live import LiveSite

    config = make_site()
    root = config.events_dir.parent  # type: ignore[attr-defined]
    (root / "events/tags.yaml").unlink()
    (root / "events/tags.yaml").symlink_to(secret)
    outcome = LiveSite(config).rebuild()  # type: ignore[arg-type]
    assert outcome.state.failed
    assert "SECRET-WORD" not in error_page(outcome.state)


def test_a_linked_folder_and_a_named_pipe_are_reported(make_site: Callable[..., object], tmp_path_factory: pytest.TempPathFactory,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = make_site().events_dir.parent  # type: ignore[attr-defined]
    elsewhere = tmp_path_factory.mktemp("more-events")
    (root / "events/2014").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(root / "events/2016.yaml")  # opening it to read would wait for ever
    code, out = run(root, capsys)
    assert code == 1
    assert out.splitlines()[:-1] == [
        "events/2014:1:1: error: a symbolic link, which is not followed; put the file or folder itself here",
        "events/2016.yaml:1:1: error: not a regular file (a pipe or device)",
    ]


def test_an_events_folder_that_is_a_file_or_a_link_says_so(make_site: Callable[..., object], tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (tmp_path / "events-file").write_text("x", encoding="utf-8")
    assert main(["validate", "--events", str(tmp_path / "events-file"), "--seeds", str(tmp_path)]) == 1
    assert "the events folder is a file, not a folder" in capsys.readouterr().err
    (tmp_path / "events-link").symlink_to(tmp_path)
    assert main(["validate", "--events", str(tmp_path / "events-link"), "--seeds", str(tmp_path)]) == 1
    assert "the events folder is a symbolic link, which is not followed" in capsys.readouterr().err


# --- the fast path never reads what the careful one refuses -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "- &x a\n- *x\n",
        "a: [&x 1, *x]\n",
        "a:\n  - b: &x 1\n    c: *x\n",
        "a: |\n  text *not an alias*\nb: &x 1\n",  # a block scalar ends: what follows is looked at
        "summary: >\n  x\nsources:\n  - seed: s\n    quote: &q text\n",
        "? &k key\n: value\n",
    ],
)
def test_anchors_aliases_and_tags_never_reach_the_fast_parser(text: str) -> None:
    document, problems = parse_yaml(Path("x.yaml"), text)
    assert document is None and problems and "not supported" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "summary: >\n  *Emphasis* and **bold** & more!\n  - a list * star\n",
        "body: |\n  * item\n  * &amp; !important\ntitle: T\n",
        "title: 'Barrett & Co'\n",
        "title: Wow! *really*\n",
    ],
)
def test_markdown_that_looks_like_yaml_properties_reads_as_text(text: str) -> None:
    document, problems = parse_yaml(Path("x.yaml"), text)
    assert problems == [] and document is not None
