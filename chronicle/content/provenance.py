"""Provenance: when each event file last changed, and where to see its history and edit it.

The dates come from git, in one ``git log`` over the events folder, newest
commit first: the first commit that names a file is its last change, and the
last one that names it is when it was added (the feed's order). The date
is the committer date as written in that commit (``%cs``), so two builds of the
same commit give the same bytes, whatever the clock or time zone of the machine.
Only the first-parent history is read: a merged pull request counts from the
day it reached the branch.

There is no date, and no error, when git is missing, the folder is not in a
repository (an unpacked tarball), the clone is shallow (CI's default: every file
would seem to have changed in the one commit it has), or the file was never
committed. The links need a repository URL (``repository_url`` in site.yaml)
and follow GitHub's addresses: ``<repo>/edit/<branch>/<path>`` and
``<repo>/commits/<branch>/<path>``. Without a URL there are no links.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .dates import DateError, parse_date
from .files import event_files

#: Variables a git hook sets; they would point git at another repository than the events folder's.
_GIT_HOOK_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an event file lives in the repository, when it last changed, and links to it."""

    path: str  # in the repository, with '/': "events/2015/2015-05-01-x.yaml"
    last_changed: str | None = None  # "2026-02-23", or None when git cannot say
    history_url: str | None = None
    edit_url: str | None = None
    added: str | None = None  # when the file was first committed ("2024-01-02"), or None when git cannot say

    @property
    def last_changed_label(self) -> str | None:
        """'23 February 2026', for readers."""
        if self.last_changed is None:
            return None
        try:
            return parse_date(self.last_changed).label()
        except DateError:  # pragma: no cover - git always gives YYYY-MM-DD
            return self.last_changed


def event_provenance(events_dir: Path, *, repository_url: str = "", branch: str = "main") -> dict[str, Provenance]:
    """Event id -> :class:`Provenance`, for every ``events/<YYYY>/<id>.yaml``."""
    files, _ = event_files(events_dir)  # misplaced files are validate's to report
    if not files:
        return {}
    resolved = events_dir.resolve()
    toplevel = _repository_root(resolved)
    # The folder is resolved once; the files below it are not (git names a symbolic link by its own path).
    prefix = (resolved.relative_to(toplevel) if toplevel is not None else Path(resolved.name)).as_posix()
    paths: dict[str, str] = {}
    for path in files:  # two files with one id are validate's to report; the first is kept
        year, name = os.fspath(path).rsplit(os.sep, 2)[-2:]
        paths.setdefault(name.removesuffix(".yaml"), f"{year}/{name}" if prefix == "." else f"{prefix}/{year}/{name}")
    dates, added = _commit_dates(toplevel, prefix) if toplevel else ({}, {})
    repo = repository_url.strip().rstrip("/").removesuffix(".git")
    return {
        event_id: Provenance(
            path=path,
            last_changed=dates.get(path),
            added=added.get(path),
            history_url=f"{repo}/commits/{quote(branch)}/{quote(path)}" if repo else None,
            edit_url=f"{repo}/edit/{quote(branch)}/{quote(path)}" if repo else None,
        )
        for event_id, path in sorted(paths.items())
    }


def _git(args: list[str], cwd: Path) -> str | None:
    """git's output, or None when git is missing or fails."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_HOOK_VARIABLES}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def _repository_root(folder: Path) -> Path | None:
    """The work tree holding ``folder``, when it is a full (not shallow) git clone."""
    out = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder)
    if out is None:
        return None
    lines = out.splitlines()
    if len(lines) != 2 or lines[1] != "false":
        return None  # shallow, or a git too old to say: no dates rather than wrong ones
    return Path(lines[0]).resolve()


def _commit_dates(toplevel: Path, events: str) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """Repository path ("events/2015/x.yaml") -> committer date of the last first-parent commit that changed it; and of the first.

    One pass over one ``git log``, newest commit first.
    """
    out = _git(
        ["-c", "core.quotepath=off", "log", "--first-parent", "--no-renames", "--name-only", "-z",
         "--format=%x1e%cs", "--", events],
        toplevel,
    )  # fmt: skip
    last: dict[str, str] = {}
    first: dict[str, str] = {}
    for commit in (out or "").split("\x1e")[1:]:
        date, *names = commit.split("\0")
        for name in names:
            if name.strip("\n"):
                last.setdefault(name.strip("\n"), date.strip())
                first[name.strip("\n")] = date.strip()  # older commits come later: the last one seen is the first
    return last, first


def repository_head(folder: Path) -> str | None:
    """The checked-out commit (provenance shows its dates), or None outside a git repository."""
    return _git(["rev-parse", "HEAD"], folder)
