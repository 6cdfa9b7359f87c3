"""Write: put the site on disk without ever leaving half a site.

The site is written into a fresh sibling folder of ``output/`` (the staging
folder), then swapped into place with two renames on the same file system. If
anything fails before the swap (a write, the search indexer), the previous
``output/`` is untouched and the staging folder is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


@contextmanager
def staged_output(output_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``output_dir``."""
    output_dir = output_dir.absolute()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a web server must read it
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_files(files: Mapping[str, bytes], root: Path) -> None:
    """Write ``{"relative/path": bytes}`` under ``root``, in a stable order."""
    for name in sorted(files):
        write_file(root, name, files[name])


def write_file(root: Path, name: str, data: bytes) -> None:
    """Write one file at the relative path ``name`` under ``root``, making its folders."""
    target = root / _safe_relative(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _swap(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    retired.rmdir()
    output_dir.rename(retired)
    try:
        staging.rename(output_dir)
    except BaseException:
        retired.rename(output_dir)  # put the previous site back
        raise
    shutil.rmtree(retired)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {name!r}")
    return path
