"""The pull-request checks: GitHub workflows, the pre-commit hook, and the annotations they show."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from chronicle.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def build_py_commands(data: dict[str, Any]) -> list[list[str]]:
    """The arguments of every `python build.py ...` a workflow runs, shell variables filled in."""
    commands = []
    for step in steps(data):
        for line in step.get("run", "").splitlines():
            words = shlex.split(re.sub(r"\$\{?([A-Z_]+)\}?", "https://example.github.io/timeline", line), comments=True)
            if "build.py" in words:
                commands.append([w for w in words[words.index("build.py") + 1 :] if w != "2>&1"])
    return commands


def test_pull_requests_are_validated_with_annotations_and_built() -> None:
    data = workflow("pr.yml")
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert build_py_commands(data) == [["validate", "--format", "github"], ["build", "--output", "output"]]
    python = next(s for s in steps(data) if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    install = next(s["run"] for s in steps(data) if s.get("name") == "Install")
    assert "-c requirements.lock" in install


def test_main_is_published_to_pages() -> None:
    data = workflow("pages.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # provenance dates need the history
    assert ["build", "--output", "output", "--base-url", "https://example.github.io/timeline/"] in build_py_commands(data)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


@pytest.mark.parametrize("name", ["pr.yml", "pages.yml"])
def test_workflow_commands_are_real_options(name: str) -> None:
    for args in build_py_commands(workflow(name)):
        _parser().parse_args(args)  # exits 2 on an unknown option or value


@pytest.mark.parametrize("name", ["pr.yml", "pages.yml"])
def test_actions_are_pinned_to_a_major_version(name: str) -> None:
    for step in steps(workflow(name)):
        if "uses" in step:
            assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_pre_commit_validates_when_content_changes() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["entry"].split()[0] == "make" and hook["entry"].split()[-1] == "validate"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for changed in ("events/2015/2015-05-01-x.yaml", "events/tags.yaml", "seeds/000_x.txt", "site.yaml"):
        assert files.search(changed), changed
    for unrelated in ("chronicle/cli.py", "README.md", "tests/events/x.yaml"):
        assert not files.search(unrelated), unrelated
    assert "validate:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_annotations_name_the_file_as_github_sees_it(
    site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the repository root as CI does: paths relative to it, one annotation per error, then the count."""
    broken = "title: T\ndate: 2015\nstatus: confimed\nsummary: S\nsources:\n  - seed: s1\n    quote: made up\nnot%e: x\n"
    args = site_args({"events/2015/2015-x.yaml": broken})
    monkeypatch.chdir(Path(args[1]).parent)
    assert main(["validate", "--format", "github", "--events", "events", "--seeds", "seeds", "--templates", args[5]]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        err
        == [
            "::error file=events/2015/2015-x.yaml,line=3,col=9::status is 'confimed', which is not allowed. "
            "Did you mean 'confirmed'? Use 'confirmed', 'reported', 'alleged' or 'disputed'",
            "::error file=events/2015/2015-x.yaml,line=7,col=12::the quote is not in seed s1 (compared with white space "
            "and typographic quotes folded). Copy a passage from seeds/s1.txt exactly",
            "::error file=events/2015/2015-x.yaml,line=8,col=1::unknown key 'not%25e' in an event. Allowed keys: 'actors', "
            "'body', 'date', 'imported', 'places', 'related', 'sources', 'status', 'summary', 'tags' or 'title'",  # '%' escaped as GitHub wants
            "3 errors in 1 file",
        ]
    )


def test_contributing_shows_real_commands() -> None:
    """Every `python build.py ...` in CONTRIBUTING.md parses, and every file it points to exists."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = re.findall(r"python build\.py ([^`\n]*)", text)
    assert {"new", "validate", "serve --port 8001"} <= {c.strip() for c in commands}
    for command in commands:
        args = shlex.split(command.split("#")[0].split("&&")[0])
        if args != ["COMMAND", "--help"]:
            _parser().parse_args(args)
    for path in ("events/tags.yaml", "events/event.schema.json", "Makefile", ".pre-commit-config.yaml"):
        assert (ROOT / path).exists(), path
    assert "PORT ?=" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "HOST ?=" in (ROOT / "Makefile").read_text(encoding="utf-8")
