"""Removal: the previous site, once swapped out, removed without the build waiting for it (speed machinery).

Removing a folder costs a system call per file and per folder: at 10,000
events the retired site's 23,000 files took 3.8 s, a quarter of a rebuild
(profiled), and a site of 100,000 events has ten times the files. A large retired site is therefore removed by a
process of its own, started in a session of its own with no standard streams
(so that ``build | cat`` does not wait for it), which outlives the build if it
must. A small one is removed at once, as before. Either way the folder already
has its retired name (``.output.old-<pid>-…``): if the remover is stopped
first, the next build sweeps what is left (:func:`chronicle.site.write.sweep`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: A retired site holding more files and folders than this is removed in the background.
BACKGROUND_ABOVE = 2000

#: The removers started by this process and not yet seen to end (so that none is left a zombie).
_removers: list[subprocess.Popen[bytes]] = []


#: What a remover runs: it first puts its own process id after the folder's prefix (``.output.old-``), so that a
#: build starting meanwhile leaves the folder to it (:func:`chronicle.site.write.sweep` skips running owners).
_REMOVER = """
import os, shutil, sys
folder, prefix = sys.argv[1], sys.argv[2]
head, name = os.path.split(folder)
mine = os.path.join(head, prefix + str(os.getpid()) + "-" + name[len(prefix):])
try:
    os.rename(folder, mine)
except OSError:
    mine = folder
shutil.rmtree(mine, ignore_errors=True)
"""


def remove(folder: Path, prefix: str) -> None:
    """Remove ``folder``, whose name starts with ``prefix`` and an owner's process id: at once if small, else by a
    process of its own, which makes itself the owner; failures are left to the next sweep."""
    _removers[:] = [process for process in _removers if process.poll() is None]
    if not _holds_more_than(folder, BACKGROUND_ABOVE):
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", _REMOVER, str(folder), prefix],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _removers.append(process)


def wait_for_removals() -> int:
    """Wait until every remover this process started has ended; returns how many there were."""
    count = len(_removers)
    while _removers:
        _removers.pop().wait()
    return count


def _holds_more_than(folder: Path, limit: int) -> bool:
    """Whether ``folder`` holds more than ``limit`` entries, counted only that far."""
    seen = 0
    todo = [str(folder)]
    while todo:
        try:
            entries = os.scandir(todo.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                seen += 1
                if seen > limit:
                    return True
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
    return False
