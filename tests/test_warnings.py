"""Warnings (which never stop a build), quotes as published, and messages that show exactly what is there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.content.quotes import locate, quote_found
from chronicle.diagnostics import Diagnostic, count

BASE = "title: T\ndate: 2015\nstatus: reported\nsummary: S\nsources:\n  - seed: s1\n    quote: having shot down\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out


def test_internal_words_are_warned_of_with_their_place_and_do_not_fail(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    text = BASE.replace(
        "summary: S", "summary: >\n  The seeds agree on the year; the date is\n  known here only from one report."
    )
    args = site_args({"events/2015/2015-x.yaml": text})
    code, err, out = run(["validate", *args], capsys)
    assert code == 0
    shown = [line.replace(args[1] + "/", "events/") for line in err]
    assert shown == [
        "events/2015/2015-x.yaml:5:7: warning: 'seeds' in summary is a word of this project's workings, not the reader's: "
        "say 'the sources', or name the publication (e.g. 'the TRT World article')",
        "events/2015/2015-x.yaml:6:3: warning: 'known here only' in summary is a word of this project's workings, "
        "not the reader's: say which source gives it ('only the TRT World article gives...')",
    ]
    assert out.startswith("OK: 3 events") and out.rstrip().endswith("; 2 warnings (above)")


def test_a_warning_is_an_annotation_of_its_own_kind(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = site_args({"events/2015/2015-x.yaml": BASE.replace("title: T", "title: As recorded as reported here")})
    code, err, _ = run(["validate", *args, "--format", "github"], capsys)
    assert code == 0
    assert len(err) == 1 and err[0].startswith("::warning file=") and ",line=1,col=" in err[0]


def test_warnings_are_reported_beside_errors(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    broken = BASE.replace("summary: S", "summary: The seed says so").replace("status: reported", "status: rumoured")
    code, err, _ = run(["validate", *site_args({"events/2015/2015-x.yaml": broken})], capsys)
    assert code == 1
    assert [line.split(": ")[1] for line in err[:-1]] == ["error", "warning"]
    assert err[-1] == "1 error and 1 warning in 1 file"


def test_seed_notes_are_checked_for_internal_words(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import SEED_META

    meta = SEED_META + 'notes: "Found through a stored copy of the page."\n'
    code, err, _ = run(["validate", *site_args({"seeds/s1.yaml": meta})], capsys)
    assert code == 0
    assert len(err) == 1 and ": warning: 'stored copy' in notes" in err[0]


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("used in death-squad operations", True),  # the archive lost the space and has a non-breaking hyphen
        ("used indeath\u2011squad operations", True),  # as archived
        ("“used in death-squad operations”", True),  # quotation marks around the whole quote are not part of it
        ("used in death squad operations", False),  # a word changed (the hyphen): not damage
        ("used in de ath-squad oper ations", True),  # only white space is folded: the same letters, in order
        ("used in deaths-quad operations", False),
        ("used in death-squad operation in", False),
        ("", False),
        ('""', False),
    ],
)
def test_quotes_tolerate_lost_spaces_but_not_other_words(quote: str, found: bool) -> None:
    archive = "Rifles that later appeared in cartel arsenals were allegedly used indeath\u2011squad operations in Veracruz."
    assert quote_found(quote, archive) is found


def test_a_quote_is_located_in_the_text_as_shown() -> None:
    archive = "Rifles were allegedly used indeath\u2011squad operations\n in Veracruzbetween 2011 and 2014."
    start, end = locate("used in death-squad operations in Veracruz between 2011", archive) or (0, 0)
    assert archive[start:end] == "used indeath\u2011squad operations\n in Veracruzbetween 2011"
    assert locate("not there at all", archive) is None


def test_annotation_properties_cannot_start_another_command() -> None:
    hostile = Path("events/2015/x\n::warning file=a.yaml::All checks passed.yaml")
    line = Diagnostic(hostile, 1, 1, "bad\n::notice::forged").format("github")
    assert "\n" not in line and "\r" not in line  # only a line break could end the command
    assert line.startswith("::error file=events/2015/x%0A%3A%3Awarning file=a.yaml%3A%3AAll checks passed.yaml,line=1,col=1::")


def test_control_and_invisible_characters_are_shown_not_printed() -> None:
    message = Diagnostic(Path("e\x1b[2J.yaml"), 2, 3, "actor 'Al\u200bpha' \u202eevil").format()
    assert message == "e<U+001B>[2J.yaml:2:3: error: actor 'Al<U+200B>pha' <U+202E>evil"


def test_the_count_names_errors_and_warnings() -> None:
    error, warning = Diagnostic(Path("a"), 1, 1, "x"), Diagnostic(Path("b"), 1, 1, "y", "warning")
    assert count([error]) == "1 error in 1 file"
    assert count([error, error, warning]) == "2 errors and 1 warning in 2 files"
    assert count([warning]) == "0 errors and 1 warning in 1 file"
