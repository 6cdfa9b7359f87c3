"""Reading: a content file's text, read as safely as a stranger's pull request requires.

Every file of the content (event files, seeds, the tag vocabulary,
``site.yaml``) is read here, and only here:

- **never through a link**: a symbolic link is refused, not followed, so no
  file outside the repository (``/etc/passwd``, a key) can be read, quoted,
  published or shown in an error message; the file is opened with
  ``O_NOFOLLOW``, so a link swapped in after a check is refused too;
- **only regular files**: a named pipe or a device would block or never end;
- **bounded**: a file larger than its limit is refused before it is read whole;
- **text as written**: UTF-8 (a leading byte-order mark dropped, as editors
  hide it), with no control characters but tab and line ends, which YAML
  parsers treat differently (one stops at a NUL byte and ignores the rest).
  Each problem is a diagnostic at the line and column of the first bad byte.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from ..diagnostics import Diagnostic

#: Limits, in bytes: an event file is a few KB; an archived document can be a long report.
YAML_LIMIT = 256 * 1024
DOCUMENT_LIMIT = 16 * 1024 * 1024

#: Characters no content file may hold: C0 controls but tab, line feed and carriage return; DEL and C1
#: controls; lone surrogates; and the direction overrides that make text read other than it is stored.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_BOM = "\ufeff"


def read_text(path: Path, limit: int = YAML_LIMIT) -> tuple[str | None, list[Diagnostic]]:
    """The file as text, or a diagnostic saying why it cannot be read and what to do."""
    try:
        data = _read_bytes(path, limit)
    except _Refused as refused:
        return None, [Diagnostic(path, 1, 1, str(refused))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _where(data, exc.start)
        return None, [
            Diagnostic(path, line, column, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")
        ]
    text = text.removeprefix(_BOM)
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        char = bad.group()
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        name = unicodedata.name(char, "a control character")
        message = f"the file contains U+{ord(char):04X} ({name}), which is not allowed in text; remove it"
        if char == "\x00":
            message += " (a NUL byte: the file may have been saved in another encoding, or be binary)"
        return None, [Diagnostic(path, line, column, message)]
    return text, []


def peek(path: Path, limit: int = YAML_LIMIT) -> str | None:
    """The file's text as far as it can be shown (for an error's excerpt): never through a link, bad bytes replaced."""
    try:
        data = _read_bytes(path, limit)
    except _Refused:
        return None
    return data.decode("utf-8", "replace").removeprefix(_BOM)


class _Refused(Exception):
    """Why a file is not read, in words for the contributor."""


def _read_bytes(path: Path, limit: int) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise _Refused("the file is a symbolic link, which is not followed; put the file itself here") from None
        raise _Refused(f"cannot read the file: {exc.strerror}") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        raise _Refused("this is not a regular file (a folder, pipe or device); content files must be plain files")
    with os.fdopen(handle, "rb") as file:
        if info.st_size > limit:
            raise _Refused(f"the file is {info.st_size:,} bytes, more than the {limit:,} allowed; is it the right file?")
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise _Refused(f"the file is more than the {limit:,} bytes allowed; is it the right file?")
    return data


def _where(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1
