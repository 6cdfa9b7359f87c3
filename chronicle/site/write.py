"""Write: put the site on disk without ever leaving half a site.

The site is written into a fresh sibling folder of ``output/`` (the staging
folder, ``.output.new-<pid>-<random>``), checked, then swapped into place with
two renames on the same file system. If anything fails before the swap (a
write, the search indexer, the check, Ctrl+C or SIGTERM), the previous
``output/`` is untouched and the staging folder is removed. Before the swap the
previous site is checked to be removable, so that the swap cannot be followed
by an error. A build killed outright (SIGKILL, a power cut) cannot clean up:
the next build removes staging folders left by builds that are no longer
running (their process ids are in their names). A large previous site is
removed after the swap by a process of its own (:mod:`chronicle.site.removal`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .removal import remove


class OutputError(OSError):
    """The site cannot be written or swapped in; says which folder and why."""


@contextmanager
def staged_output(output_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``output_dir``."""
    output_dir = output_dir.absolute()
    if output_dir.exists() and not output_dir.is_dir():
        raise OutputError(f"{output_dir} is a file, not a folder; remove it or choose another --output")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep(output_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-{os.getpid()}-", dir=output_dir.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server must read it
        _check_removable(output_dir)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_files(files: Mapping[str, bytes], root: Path) -> None:
    """Write ``{"relative/path": bytes}`` under ``root``, in a stable order."""
    for name in sorted(files):
        write_file(root, name, files[name])


def write_file(root: Path, name: str, data: bytes) -> None:
    """Write one file at the relative path ``name`` under ``root``, making its folders; a failure names the file."""
    target = root / _safe_relative(name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror, str(target)) from exc


def write_chunks(root: Path, chunks: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write files under ``root`` from (relative path, piece) pairs, each file's pieces in order, files interleaved.

    A file is opened at its first piece and all are closed at the end, so
    that large files are never held whole; returns their paths, in the order
    first seen. A failure names the file.
    """
    opened: dict[str, BinaryIO] = {}
    name = ""
    try:
        with ExitStack() as stack:
            for name, chunk in chunks:
                handle = opened.get(name)
                if handle is None:
                    target = root / _safe_relative(name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    handle = opened[name] = stack.enter_context(target.open("wb"))
                handle.write(chunk)
            name = ""  # closing: the error names no one file
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror, str(root / name) if name else exc.filename) from exc
    return list(opened)


def join_chunks(chunks: Iterable[tuple[str, bytes]]) -> dict[str, bytes]:
    """The files of (relative path, piece) pairs, each joined in memory: what :func:`write_chunks` would write."""
    parts: dict[str, list[bytes]] = defaultdict(list)
    for name, chunk in chunks:
        parts[name].append(chunk)
    return {name: b"".join(pieces) for name, pieces in parts.items()}


def check_written(found: Collection[str], root: Path, names: Collection[str]) -> None:
    """Every file the site should have (``names``) is among those ``found`` in ``root``, before it is swapped in.

    Else :class:`OutputError`.
    """
    missing = sorted(set(names) - set(found))
    if missing:
        raise OutputError(f"the new site in {root} lacks {len(missing)} file(s), e.g. {missing[0]}; output/ was left as it was")


def sweep(output_dir: Path) -> list[Path]:
    """Remove staging folders beside ``output_dir`` left by builds that are no longer running; returns what was removed."""
    removed: list[Path] = []
    prefixes = (f".{output_dir.name}.new-", f".{output_dir.name}.old-")
    try:
        entries = list(os.scandir(output_dir.parent))
    except OSError:
        return removed
    for entry in entries:
        prefix = next((p for p in prefixes if entry.name.startswith(p)), None)
        if prefix is None or not entry.is_dir(follow_symlinks=False):
            continue
        owner = entry.name[len(prefix) :].split("-", 1)[0]  # a process id; none in folders of older versions
        if owner.isdigit() and _running(int(owner)):
            continue  # another build, still at work
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _check_removable(output_dir: Path) -> None:
    """The previous site can be removed once the new one is in place: every folder of it writable."""
    if not output_dir.exists():
        return
    for folder, _, _ in os.walk(output_dir):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(
                f"cannot replace {output_dir}: {folder} is not writable, so the previous site could not be removed; "
                "make it writable (chmod -R u+w) or choose another --output"
            )


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-{os.getpid()}-", dir=output_dir.parent))
    retired.rmdir()
    output_dir.rename(retired)
    try:
        staging.rename(output_dir)
    except BaseException:
        retired.rename(output_dir)  # put the previous site back
        raise
    remove(retired, f".{output_dir.name}.old-")  # checked removable; anything left is swept by the next build


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path
