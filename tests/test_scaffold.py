"""``python build.py new``: a new event file that validate accepts once it has a source."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.content.dates import parse_date
from chronicle.content.yamldoc import load_yaml
from chronicle.scaffold import MODELINE, EventExists, ScaffoldError, default_id, interpret_date, scaffold_event

ROOT = Path(__file__).resolve().parent.parent
SOURCE = 'sources:\n  - seed: s1\n    quote: "having shot down Mexican military helicopters in 2015"\n'


def new(args: list[str], site: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``new`` on the fixture site given by ``site`` (its --events and --seeds)."""
    code = main(["new", *site[:4], *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_new_end_to_end_without_a_terminal(site_args: Callable[..., list[str]]) -> None:
    args = site_args()
    events = Path(args[1])
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "new", "--events", str(events), "--seeds", args[3],
         "--title", "Gunmen ambush a police convoy", "--date", "2015-04-06", "--status", "reported"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, cwd=events.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    path = events / "2015/2015-04-06-gunmen-ambush-a-police-convoy.yaml"
    assert done.stdout.splitlines()[0] == "Created events/2015/2015-04-06-gunmen-ambush-a-police-convoy.yaml"
    assert "python build.py validate" in done.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert "\ntitle: Gunmen ambush a police convoy\n" in text
    assert '\ndate: "2015-04-06"  # EDTF: ' in text
    assert "\nstatus: reported  #" in text
    assert "#   s1  A test article, Test Wire, 2026-03-03\n" in text  # the seeds one can cite


def test_scaffold_plus_a_source_validates(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    site = site_args()
    code, out, err = new(["--title", "A helicopter falls", "--date", "2015-05", "--status", "confirmed",
                          "--summary", "An army helicopter came down in Jalisco."], site, capsys)  # fmt: skip
    assert code == 0, err
    path = Path(site[1], "2015", "2015-05-a-helicopter-falls.yaml")
    assert path.is_file()
    # As scaffolded, the one thing missing is a source, and validate says so precisely.
    assert main(["validate", *site]) == 1
    err_lines = capsys.readouterr().err.splitlines()
    assert len(err_lines) == 2, err_lines
    assert err_lines[0].startswith(f"{path}:5:1: error: missing required key 'sources': add 'sources:")
    with path.open("a", encoding="utf-8") as file:
        file.write(SOURCE)
    assert main(["validate", *site]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out == "OK: 3 events, 1 seeds, 2 tags\n"


def test_uncommented_examples_are_valid_yaml(tmp_path: Path) -> None:
    new_event = scaffold_event(tmp_path / "events", title="T", date="2015", status="alleged", seeds={"s1": "A test article"})
    lines = new_event.text.splitlines()
    # The examples: from 'body' to 'related', and the sources block (without its '# or ...' aside).
    examples = [
        *range(lines.index("# body: |"), lines.index("# sources:") - 3),
        *range(lines.index("# sources:"), len(lines) - 2),
    ]
    uncommented = [line[2:] if i in examples and not line.startswith("# or ") else line for i, line in enumerate(lines)]
    assert uncommented[-2:] == ["# Documents archived in seeds/ that you can cite:", "#   s1  A test article"]
    path = tmp_path / "x.yaml"
    path.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    document, problems = load_yaml(path)
    assert problems == []
    assert document is not None
    assert set(document.data) == {"title", "date", "status", "summary", "body", "tags", "actors", "places", "related", "sources"}
    assert document.data["sources"][0] == {"seed": "s1", "quote": "a passage copied exactly from seeds/s1.txt"}
    assert document.data["sources"][1]["stance"] == "supports"


def test_refuses_an_id_used_in_another_year(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    site = site_args()
    existing = Path(site[1], "2026", "2026-02-22-el-mencho-killed.yaml")
    before = existing.read_bytes()
    code, _, err = new(
        ["--title", "x", "--date", "2015", "--status", "reported", "--id", "2026-02-22-el-mencho-killed"], site, capsys
    )
    assert code == 1
    assert err == (f"error: {existing} already exists with the id '2026-02-22-el-mencho-killed': ids must be unique. "
                   "Edit that file if it is the same event, or choose another id with --id\n")  # fmt: skip
    assert existing.read_bytes() == before
    assert not Path(site[1], "2015", "2026-02-22-el-mencho-killed.yaml").exists()


def test_running_twice_does_not_overwrite(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    site = site_args()
    flags = ["--title", "A raid", "--date", "2026-02-22", "--status", "confirmed"]
    assert new(flags, site, capsys)[0] == 0
    path = Path(site[1], "2026", "2026-02-22-a-raid.yaml")
    path.write_text("edited\n", encoding="utf-8")
    code, _, err = new(flags, site, capsys)
    assert code == 1
    assert "2026-02-22-a-raid.yaml already exists" in err
    assert path.read_text(encoding="utf-8") == "edited\n"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--title", "x", "--date", "2015-02-30", "--status", "reported"],
         "error: date: '2015-02-30' is not a valid calendar date: February 2015 has 28 days\n"),
        (["--title", "x", "--date", "May 2015", "--status", "reported"], "error: date: 'May 2015' is not a date of the form"),
        (["--title", "x", "--date", "2015", "--status", "reported", "--id", "My Event"],
         "error: the id 'My Event' is not valid: use lowercase letters, digits and hyphens, e.g. 'my-event'\n"),
        (["--title", "  ", "--date", "2015", "--status", "reported"], "error: the title is empty"),
    ],
)  # fmt: skip
def test_bad_values_are_usage_errors(
    flags: list[str], message: str, site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = new(flags, site_args(), capsys)
    assert (code, out) == (2, "")
    assert err.startswith(message)


def test_unknown_status_is_rejected_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["new", "--title", "x", "--date", "2015", "--status", "confimed"])
    assert excinfo.value.code == 2
    assert "invalid choice: 'confimed'" in capsys.readouterr().err


def test_missing_flags_without_a_terminal_exit_2(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, err = new(["--title", "x"], site_args(), capsys)
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith("usage: build.py new [-h]")
    assert err.splitlines()[-1] == "build.py new: error: --date --status needed: there is no terminal to ask for them"


def test_asks_for_what_is_missing_at_a_terminal(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = "\n".join(["", "El Mencho is killed", "22 Feb", "22 Feb 2026", "certain", "1", "Special forces killed him.", ""])
    monkeypatch.setattr("sys.stdin", FakeTerminal(answers))
    site = site_args()
    code, out, err = new(["--id", "2026-02-22-mencho-killed-again"], site, capsys)
    assert code == 0, err
    assert "A title is needed" in out
    assert "date: '22 Feb' has no year" in out
    assert "Read as 2026-02-22." in out
    assert "Choose one of confirmed, reported, alleged, disputed (or its number)." in out
    text = Path(site[1], "2026", "2026-02-22-mencho-killed-again.yaml").read_text(encoding="utf-8")
    assert '\ntitle: El Mencho is killed\ndate: "2026-02-22"' in text
    assert "\nstatus: confirmed  #" in text
    assert "\nsummary: >\n  Special forces killed him.\n" in text


def test_end_of_input_at_a_prompt_writes_nothing(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("A title\n"))
    site = site_args()
    code, _, err = new([], site, capsys)
    assert code == 2
    assert "nothing was written" in err
    assert sorted(p.name for p in Path(site[1]).rglob("*.yaml")) == [
        "2015-05-01-helicopter-shot-down.yaml", "2026-02-22-el-mencho-killed.yaml", "tags.yaml",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2015-05-01", ("2015-05-01", False)),
        ("1989~", ("1989~", False)),
        ("2009-10/2011-01", ("2009-10/2011-01", False)),
        ("22 Feb 2026", ("2026-02-22", True)),
        ("February 22, 2026", ("2026-02-22", True)),
        ("Feb 2026", ("2026-02", True)),
    ],
)
def test_interpret_date(typed: str, expected: tuple[str, bool]) -> None:
    assert interpret_date(typed) == expected


def test_interpret_date_needs_a_year_and_a_date() -> None:
    with pytest.raises(ScaffoldError, match="has no year"):
        interpret_date("22 February")
    with pytest.raises(ScaffoldError, match="a date in words like '22 February 2026' also works here"):
        interpret_date("last Tuesday")


@pytest.mark.parametrize(
    ("date", "title", "expected"),
    [
        (
            "2015-05-01",
            "CJNG gunmen shoot down a military helicopter!",
            "2015-05-01-cjng-gunmen-shoot-down-a-military-helicopter",
        ),
        ("1988-11", "IMI's payment, routed through US banks", "1988-11-imi-s-payment-routed-through-us-banks"),
        ("1989~", "Yair Klein trains paramilitaries", "1989-yair-klein-trains-paramilitaries"),
        ("2009-10/2011-01", "Operation Fast and Furious", "2009-2011-operation-fast-and-furious"),
        ("2012/..", "Mexico's open-ended war", "2012-mexico-s-open-ended-war"),
        (
            "2026-02-22",
            "El Mencho is killed in Tapalpa, Jalisco, after a long raid",
            "2026-02-22-el-mencho-is-killed-in-tapalpa-jalisco-after",
        ),
        ("2015", "Ataque en Michoacán", "2015-ataque-en-michoacan"),
    ],
)
def test_default_id(date: str, title: str, expected: str) -> None:
    assert default_id(parse_date(date), title) == expected


@pytest.mark.parametrize("title", ["Raid: what followed", "# not a comment", "1989", "yes", "“Quoted” and 'single'", "- a dash"])
def test_any_title_survives_yaml(title: str, tmp_path: Path) -> None:
    new_event = scaffold_event(tmp_path / "events", title=title, date="2015", status="reported")
    new_event.path.parent.mkdir(parents=True)
    new_event.path.write_text(new_event.text, encoding="utf-8")
    document, problems = load_yaml(new_event.path)
    assert problems == []
    assert document is not None and document.data["title"] == title


def test_collision_is_its_own_error(tmp_path: Path) -> None:
    (tmp_path / "events/2015").mkdir(parents=True)
    (tmp_path / "events/2015/2015-x.yml").write_text("", encoding="utf-8")
    with pytest.raises(EventExists):
        scaffold_event(tmp_path / "events", title="x", date="2016", status="reported", event_id="2015-x")


def test_new_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(["new", "--help"])
    assert excinfo.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: build.py new [-h] [--title TITLE] [--date EDTF]")
    assert "Exit status: 0 created, 1 an event with that id exists" in out
