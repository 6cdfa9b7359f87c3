"""Workers: run one function over a few parts at once, this process taking the first part.

The parts go to processes forked from this one, so they start with everything
this process holds (the function, the seeds, the templates) without sending it
to them; only each part's result comes back, pickled. This process does the
first part itself meanwhile, so ``n`` parts keep ``n`` cores busy with ``n - 1``
forks. An exception in a part is raised here, as it would be without workers.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")

#: What forked workers run: set just before the pool forks, so that they inherit it.
_function: Callable[[Any], Any] | None = None


def cores() -> int:
    """The cores this process may use (``CHRONICLE_JOBS`` overrides); 1 where processes cannot be forked."""
    wanted = os.environ.get("CHRONICLE_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(function: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """``[function(part) for part in parts]``, the parts after the first in forked processes, all at once."""
    global _function
    if len(parts) < 2:
        return [function(part) for part in parts]
    _function = function
    gc.freeze()  # the collector leaves this process's objects alone in the workers, so their pages stay shared
    try:
        with ProcessPoolExecutor(
            max_workers=len(parts) - 1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            others = [pool.submit(_run, part) for part in parts[1:]]
            first = function(parts[0])
            return [first, *(future.result() for future in others)]
    finally:
        _function = None
        gc.unfreeze()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed when ``parent`` dies, so that no worker outlives a killed build.

    A worker left behind would go on holding the build's standard output open
    (``build | tee`` would never end). Linux only (``prctl``); elsewhere workers
    end when their parent's pool does.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _run(part: Any) -> Any:
    assert _function is not None, "workers are forked with the function in place"
    return _function(part)
