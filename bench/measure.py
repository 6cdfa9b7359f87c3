"""Run a command and measure its wall time and the peak memory of its whole process tree.

Memory is the largest sum, over the process and every descendant alive at one
moment, of the proportional set size (PSS, from ``/proc/<pid>/smaps_rollup``),
sampled every 20 ms. PSS divides a page shared by several processes (a forked
worker's copy-on-write pages) between them, so the sum is the memory the tree
really holds, where summing resident sizes would count shared pages twice.
A peak shorter than one sampling period can be missed; ``ru_maxrss`` of the
main process is kept as a cross-check.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time, process start to exit
    peak_mb: float  # peak PSS of the process tree, MiB
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            found += [int(c) for c in text.split()]
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(command: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``command`` to completion; raise ``CalledProcessError`` (with its output) when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(env) if env else None, cwd=cwd
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(p) for p in _tree(process.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, list(command), stdout, stderr)
    return Run(seconds, peak / 1024, stdout, stderr)


def own_peak_mb() -> float:
    """ru_maxrss of this process, MiB (a cross-check for the sampled figure)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
