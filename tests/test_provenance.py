"""Provenance: last-changed dates from git history, links from the repository URL, clean fallbacks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from chronicle.content.provenance import Provenance, event_provenance

REPO = "https://github.com/example/timeline"
A = "events/2015/2015-a.yaml"
B = "events/2016/2016-b.yaml"


def git(root: Path, *args: str, date: str = "2024-01-02T10:00:00+00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "C",
        "GIT_COMMITTER_EMAIL": "c@example.org",
        "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+00:00",  # the author date is not the one shown
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=root, env=env, check=True, capture_output=True)


def write(root: Path, name: str, text: str = "title: x\n") -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def no_repository_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git must not find a repository above tmp_path, whatever machine this runs on."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose history is: a (2024-01-02), b (2024-06-30, late at night in UTC-5), a again (2025-03-04)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, A)
    write(root, "events/tags.yaml", "cjng: x\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a")
    write(root, B)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "b", date="2024-06-30T23:30:00-05:00")
    write(root, A, "title: y\n")
    git(root, "commit", "-q", "-am", "a again", date="2025-03-04T08:00:00+00:00")
    write(root, "README.md", "changes outside events/ do not count\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "readme", date="2026-01-01T08:00:00+00:00")
    return root


def test_dates_come_from_the_last_commit_of_each_file(repo: Path) -> None:
    found = event_provenance(repo / "events", repository_url=REPO)
    assert found == {
        "2015-a": Provenance(A, "2025-03-04", f"{REPO}/commits/main/{A}", f"{REPO}/edit/main/{A}", added="2024-01-02"),
        "2016-b": Provenance(B, "2024-06-30", f"{REPO}/commits/main/{B}", f"{REPO}/edit/main/{B}", added="2024-06-30"),
    }  # 2024-06-30 as committed, although it was already 1 July in UTC; a is added in its first commit
    assert found["2015-a"].last_changed_label == "4 March 2025"


def test_same_commit_same_answer(repo: Path) -> None:
    assert event_provenance(repo / "events", repository_url=REPO) == event_provenance(repo / "events", repository_url=REPO)


def test_uncommitted_files_have_no_date_and_edits_keep_the_committed_one(repo: Path) -> None:
    write(repo, "events/2017/2017-c.yaml")
    write(repo, A, "title: edited, not committed\n")
    found = event_provenance(repo / "events", repository_url=REPO)
    assert found["2017-c"] == Provenance("events/2017/2017-c.yaml", None, f"{REPO}/commits/main/events/2017/2017-c.yaml",
                                         f"{REPO}/edit/main/events/2017/2017-c.yaml")  # fmt: skip
    assert found["2015-a"].last_changed == "2025-03-04"


def test_no_links_without_a_repository_url(repo: Path) -> None:
    found = event_provenance(repo / "events")
    assert found["2015-a"] == Provenance(A, "2025-03-04", None, None, added="2024-01-02")


def test_branch_and_url_spelling(repo: Path) -> None:
    found = event_provenance(repo / "events", repository_url=REPO + ".git/", branch="gh-pages")
    assert found["2015-a"].edit_url == f"{REPO}/edit/gh-pages/{A}"
    assert found["2015-a"].history_url == f"{REPO}/commits/gh-pages/{A}"


def test_events_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, "timeline/events/2015/2015-a.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a", date="2023-05-06T12:00:00+00:00")
    found = event_provenance(root / "timeline" / "events", repository_url=REPO)
    assert found["2015-a"] == Provenance(
        "timeline/events/2015/2015-a.yaml",
        "2023-05-06",
        f"{REPO}/commits/main/timeline/events/2015/2015-a.yaml",
        f"{REPO}/edit/main/timeline/events/2015/2015-a.yaml",
        "2023-05-06",
    )


def test_a_merged_branch_counts_from_its_merge(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "contributor")
    write(repo, B, "title: fixed\n")
    git(repo, "commit", "-q", "-am", "fix b", date="2025-05-01T12:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "contributor", date="2025-05-09T12:00:00+00:00")
    assert event_provenance(repo / "events")["2016-b"].last_changed == "2025-05-09"


def test_a_plain_folder_has_no_dates_but_still_links(tmp_path: Path) -> None:
    write(tmp_path, "site/" + A)
    found = event_provenance(tmp_path / "site" / "events", repository_url=REPO)
    assert found == {"2015-a": Provenance(A, None, f"{REPO}/commits/main/{A}", f"{REPO}/edit/main/{A}")}
    assert found["2015-a"].last_changed_label is None
    assert event_provenance(tmp_path / "site" / "events") == {"2015-a": Provenance(A)}


def test_a_shallow_clone_has_no_dates(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    found = event_provenance(clone / "events", repository_url=REPO)
    assert found["2015-a"] == Provenance(A, None, f"{REPO}/commits/main/{A}", f"{REPO}/edit/main/{A}")
    assert found["2016-b"].last_changed is None  # not the date of the one commit the clone has


def test_without_git_installed(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert event_provenance(repo / "events", repository_url=REPO)["2015-a"] == Provenance(
        A, None, f"{REPO}/commits/main/{A}", f"{REPO}/edit/main/{A}"
    )


def test_a_git_hook_environment_does_not_mislead_it(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    assert event_provenance(repo / "events")["2015-a"].last_changed == "2025-03-04"


def test_no_events_no_git_call(tmp_path: Path) -> None:
    assert event_provenance(tmp_path / "missing") == {}
    assert shutil.which("git"), "the tests above need git"


def test_an_events_folder_that_is_the_repository_itself(tmp_path: Path) -> None:
    root = tmp_path / "events"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, "2015/2015-a.yaml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a")
    assert event_provenance(root, repository_url=REPO)["2015-a"] == Provenance(
        "2015/2015-a.yaml",
        "2024-01-02",
        f"{REPO}/commits/main/2015/2015-a.yaml",
        f"{REPO}/edit/main/2015/2015-a.yaml",
        "2024-01-02",
    )
