"""Diagnostics: what is wrong with the content, where, and how to fix it.

Every stage reports problems as :class:`Diagnostic` values instead of raising on
the first one, so that a contributor sees every error of every file in one run.
A stage that cannot go on raises :class:`ContentErrors` carrying them all.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a 1-based line and column of a file."""

    path: Path
    line: int
    column: int
    message: str

    def format(self, style: str = "text") -> str:
        shown = display_path(self.path)
        if style == "github":
            # GitHub workflow command: becomes an annotation on that line of the PR.
            message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::error file={shown},line={self.line},col={self.column}::{message}"
        return f"{shown}:{self.line}:{self.column}: error: {self.message}"


class ContentErrors(Exception):
    """The content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(diagnostics))
        super().__init__(f"{len(self.diagnostics)} error(s) in the content")


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
