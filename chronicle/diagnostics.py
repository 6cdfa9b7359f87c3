"""Diagnostics: what is wrong with the content, where, and how to fix it.

Every stage reports problems as :class:`Diagnostic` values instead of raising on
the first one, so that a contributor sees every error of every file in one run.
A stage that cannot go on raises :class:`ContentErrors` carrying them all.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a 1-based line and column of a file: an error, or a warning that does not stop the build."""

    path: Path
    line: int
    column: int
    message: str
    severity: str = "error"  # or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self, style: str = "text") -> str:
        shown = display_path(self.path)
        if style == "github":
            # A GitHub workflow command: an annotation on that line of the pull request. Every property and
            # the message are escaped, so that no file name or text can end the command or start another.
            return f"::{self.severity} file={_property(shown)},line={self.line},col={self.column}::{_data(visible(self.message))}"
        return f"{visible(shown)}:{self.line}:{self.column}: {self.severity}: {visible(self.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


#: Characters never printed as they are: control characters (a terminal's escape sequences among them),
#: and invisible or direction-changing ones that would make a message read other than it is.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def visible(text: str) -> str:
    """``text`` with control and invisible characters shown as ``<U+001B>``, so a message shows what is there."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def count(diagnostics: Iterable[Diagnostic]) -> str:
    """'2 errors and 1 warning in 3 files', for the last line of a report."""
    found = list(diagnostics)
    errors = sum(d.is_error for d in found)
    warnings = len(found) - errors
    files = len({d.path for d in found})
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n or word == "error"]
    return f"{' and '.join(parts)} in {files} file{'s' * (files != 1)}"


class ContentErrors(Exception):
    """The content cannot be built; carries every diagnostic found (warnings too, for the report)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(diagnostics))
        super().__init__(f"{len(self.diagnostics)} problem(s) in the content")


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """' Did you mean 'x'?' for the closest choice, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def one_of(choices: Iterable[str]) -> str:
    """A readable list of allowed values: 'a', 'b' or 'c'."""
    quoted = [f"'{c}'" for c in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
