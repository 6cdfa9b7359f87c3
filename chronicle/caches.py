"""Caches: where speed caches live on disk between builds.

``.cache/`` beside the content by default; ``CHRONICLE_CACHE`` moves it, and
``CHRONICLE_CACHE=off`` turns every cache off (the site is the same bytes
either way). A folder that cannot be written (a read-only checkout) means no
cache, never a failed build.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_folder(name: str) -> Path | None:
    """``.cache/<name>/``, made if need be; None when caches are off or the folder cannot be written."""
    where = os.environ.get("CHRONICLE_CACHE", "").strip() or ".cache"  # set but empty: the default, not this folder
    if where == "off":
        return None
    folder = Path(where) / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def write_json(path: Path, value: Any) -> None:
    """Replace ``path`` with ``value`` as JSON in one rename; a failure leaves no file (or the old one), never an error."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(value, file, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
