"""Render workers: every page rendered and written straight to disk, on every core.

Speed machinery for ``build``: pages are shared out among forked worker
processes in batches (an event's page with its year's, which show the same
Markdown), largest first, each worker writing its pages itself, so that no
page crosses between processes and memory stays flat whatever the size of the
site. The bytes of a page do not depend on which process renders it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from ..diagnostics import ContentErrors, Diagnostic
from ..workers import cores, die_with_parent
from .pages import Page
from .render import Renderer
from .write import write_file

Result = TypeVar("Result")

#: Below this many pages, forking workers costs more than it saves.
PARALLEL_MIN_PAGES = 2000


def default_jobs(pages: int) -> int:
    """How many processes render: every core this process may use (``CHRONICLE_JOBS`` overrides), one for a small site."""
    wanted = os.environ.get("CHRONICLE_JOBS", "")
    if pages < PARALLEL_MIN_PAGES and not (wanted.isdigit() and int(wanted) > 0):
        return 1
    return cores()


def write_pages(renderer: Renderer, root: Path, *, jobs: int | None = None) -> int:
    """Render every page and write it under ``root`` as it is rendered; returns the number of pages.

    With more than one job, pages are shared out among forked worker processes,
    each writing its pages itself, so that no page crosses between processes
    and memory stays flat whatever the size of the site. The bytes of a page do
    not depend on which process renders it, or in what order.
    """
    write_pages_while(renderer, root, lambda: None, jobs=jobs)
    return len(renderer.pages)


def write_pages_while(renderer: Renderer, root: Path, meanwhile: Callable[[], Result], *, jobs: int | None = None) -> Result:
    """:func:`write_pages`, calling ``meanwhile()`` in this process while the workers render; returns what it returns.

    This process would otherwise only wait for its workers. With one job,
    ``meanwhile()`` is called after the pages are written.
    """
    jobs = jobs or default_jobs(len(renderer.pages))
    tasks = plan(renderer.pages, jobs)
    if jobs > 1:
        return _run_in_workers(renderer, root, tasks, jobs, meanwhile)
    for task in tasks:
        _render_task(renderer, root, task)
    return meanwhile()


def plan(pages: Sequence[Page], jobs: int) -> list[list[int]]:
    """Pages (by position) in batches, largest first, so that workers finish together.

    Pages sharing a batch name (an event's page and its year's page show the
    same Markdown) stay together, cut into pieces of at most ``_TASK_PAGES``.
    """
    batches: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        batches[page.batch or f"page:{i}"].append(i)
    tasks = [members[at : at + _TASK_PAGES] for members in batches.values() for at in range(0, len(members), _TASK_PAGES)]
    if jobs > 1:
        tasks.sort(key=lambda task: -sum(pages[i].weight for i in task))
    return tasks


_TASK_PAGES = 500

#: What forked workers render: set just before the pool forks, so that they inherit it.
_job: tuple[Renderer, Path] | None = None


def _run_in_workers(renderer: Renderer, root: Path, tasks: list[list[int]], jobs: int, meanwhile: Callable[[], Result]) -> Result:
    global _job
    _job = (renderer, root)
    gc.freeze()  # the collector leaves the parent's objects alone in the workers, so their pages stay shared
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            futures = [pool.submit(_worker_task, task) for task in tasks]  # the workers are forked by now
            try:
                result = meanwhile()
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
            outcomes = [future.result() for future in futures]
    finally:
        _job = None
        gc.unfreeze()
    problems = [d for outcome in outcomes if isinstance(outcome, tuple) for d in outcome]
    if problems:
        raise ContentErrors(sorted(set(problems)))
    crashes = [outcome for outcome in outcomes if isinstance(outcome, str)]
    if crashes:
        raise RuntimeError(f"a worker rendering pages failed:\n{crashes[0]}")
    return result


def _worker_task(task: list[int]) -> tuple[Diagnostic, ...] | str | None:
    """In a worker: render and write some pages. Problems come back as values (exceptions pickle poorly)."""
    assert _job is not None, "workers are forked with the job in place"
    try:
        _render_task(*_job, task)
    except ContentErrors as errors:
        return errors.diagnostics
    except Exception:  # noqa: BLE001 - reported by the parent, with the worker's traceback
        return traceback.format_exc()
    return None


def _render_task(renderer: Renderer, root: Path, task: list[int]) -> None:
    for i in task:
        page = renderer.pages[i]
        write_file(root, page.path, renderer.render(page))
    renderer.fragments.forget_cards()
