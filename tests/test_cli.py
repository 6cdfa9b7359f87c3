"""The command line as a contributor uses it: exit codes, help, output."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chronicle.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_build_writes_site_and_reports(
    site_args: Callable[..., list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["build", *site_args(), "--output", str(tmp_path / "site")])
    assert code == 0
    assert re.match(r"Built \d+ files from 2 events into .* in \d+\.\d\d s$", capsys.readouterr().out.strip())
    assert (tmp_path / "site/index.html").is_file()


def test_bare_options_mean_build(site_args: Callable[..., list[str]], tmp_path: Path) -> None:
    assert main([*site_args(), "--output", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site/index.html").is_file()


def test_content_errors_exit_1_with_a_count(site_args: Callable[..., list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", *site_args({"events/2015/2015-bad.yaml": "title: [\n"})])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[-1] == "1 error in 1 file"
    assert "2015-bad.yaml:2:1: error: YAML does not parse" in err[0]


@pytest.mark.parametrize("argv", [["validate", "--format", "xml"], ["frobnicate", "--nope"], ["serve", "--port", "eighty"]])
def test_wrong_usage_exits_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main(argv)
    assert excinfo.value.code == 2


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["serve"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        main([*command, "--help"])
    assert excinfo.value.code == 0
    assert "usage: build.py" in capsys.readouterr().out


def test_bad_site_config_is_a_content_error(
    site_args: Callable[..., list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = site_args()
    (tmp_path / "site.yaml").write_text("title: X\ntitel: Y\n", encoding="utf-8")
    assert main(["validate", *args]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(
        "site.yaml:2:1: error: unknown setting 'titel'. Did you mean 'title'? Allowed settings: 'base_url', "
        "'description', 'language', 'license', 'license_url', 'repository_branch', 'repository_url' or 'title'"
    )


def test_build_py_runs_as_a_script_without_traceback(site_args: Callable[..., list[str]]) -> None:
    args = site_args()
    Path(args[1], "2015", "2015-bad.yaml").write_bytes(b"title: caf\xe9\n")
    done = subprocess.run([sys.executable, "build.py", "validate", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "2015-bad.yaml:1:11: error: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8" in done.stderr
