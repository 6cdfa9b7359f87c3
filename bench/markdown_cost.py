"""What Markdown costs a build, and what converting each text once wins back.

    python bench/markdown_cost.py                        # 1,000 and 10,000 events
    python bench/markdown_cost.py --before /tmp/old --before-python /tmp/old/.venv/bin/python
    python bench/markdown_cost.py --write                # also rewrite the section in BENCHMARKS.md

For each size (the synthetic timelines of bench/generate.py, shared with
bench/run.py in bench/.work/) it times whole builds, each in a fresh process,
``--runs`` times in turn, and reports the medians:

- **no cache**: a cold build, ``CHRONICLE_CACHE`` pointing at an empty folder
  (no compiled templates, no converted Markdown);
- **Markdown cached**: the same, the output removed, but the cache folder
  kept from a previous build: every text is read, none converted;
- **before** (with ``--before``): the same cold build by another checkout of
  Chronicle (the commit before the Markdown engine changed, with its own
  Python), for the engine it used; ``--after`` names the checkout timed with
  Python-Markdown (default: this one; the commit that changed the engine
  compares the engines alone).

It also times the Markdown stage alone in this process: every distinct text
converted on one core, on every core (as a build does), and read from the
cache.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402
from measure import run  # noqa: E402

from chronicle.build import check  # noqa: E402
from chronicle.config import BuildConfig, SiteConfig  # noqa: E402
from chronicle.site.markdown_cache import convert_all, markdown_texts  # noqa: E402
from chronicle.site.markup import to_html  # noqa: E402
from chronicle.workers import cores  # noqa: E402

MARK_START, MARK_END = "<!-- markdown-cost -->", "<!-- /markdown-cost -->"


def timed_build(python: str, checkout: Path, site: Path, output: Path, cache: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "CHRONICLE_CACHE": str(cache)}
    done = run([python, str(checkout / "bench" / "build_once.py"), str(site), str(output)], env=env, cwd=checkout)
    return done.seconds


def stage(site: Path) -> dict[str, float]:
    """The Markdown stage alone, in this process."""
    config = BuildConfig(site / "events", site / "seeds", ROOT / "site_templates", WORK / "unused", SiteConfig())
    texts = markdown_texts(check(config))
    started = time.perf_counter()
    for text in texts:
        to_html(text)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    convert_all(texts, jobs=cores(), folder=None, save=False)
    parallel = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        convert_all(texts, jobs=cores(), folder=Path(folder))
        started = time.perf_counter()
        convert_all(texts, folder=Path(folder))
        cached = time.perf_counter() - started
    return {"texts": len(texts), "serial": serial, "parallel": parallel, "cached": cached}


def measure(size: int, runs: int, before: tuple[str, Path] | None, after: Path = ROOT) -> dict[str, Any]:
    site = WORK / f"site-{size}"
    if not (site / "events").is_dir():
        print(f"  generating {size:,} events...", file=sys.stderr)
        generate(size, site)
    output = WORK / f"markdown-output-{size}"
    times: dict[str, list[float]] = {"cold": [], "cached": [], "before": []}
    with tempfile.TemporaryDirectory() as warm:
        timed_build(sys.executable, after, site, output, Path(warm))  # fills the warm cache
        for n in range(runs):
            print(f"  {size:,} events, run {n + 1} of {runs}...", file=sys.stderr)
            with tempfile.TemporaryDirectory() as empty:
                times["cold"].append(timed_build(sys.executable, after, site, output, Path(empty)))
            shutil.rmtree(output, ignore_errors=True)
            times["cached"].append(timed_build(sys.executable, after, site, output, Path(warm)))
            if before is not None:
                with tempfile.TemporaryDirectory() as empty:
                    times["before"].append(timed_build(before[0], before[1], site, output, Path(empty)))
    shutil.rmtree(output, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items() if values}
    return {"events": size, **medians, "stage": stage(site)}


def report(results: list[dict[str, Any]], runs: int, before: bool) -> str:
    lines = [
        f"Whole builds, each in a fresh process, median of {runs} (seconds; {cores()} cores):",
        "",
        "| events | cmark-gfm, no cache | Python-Markdown, no cache | Python-Markdown, Markdown cached |",
        "|---:|---:|---:|---:|",
    ]
    for r in results:
        old = f"{r['before']:.2f} s" if before else "not measured"
        lines.append(f"| {r['events']:,} | {old} | {r['cold']:.2f} s | {r['cached']:.2f} s |")
    lines += [
        "",
        "The Markdown stage alone (every distinct summary and body), in one process:",
        "",
        "| events | texts | converted on 1 core | on every core | read from the cache |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        s = r["stage"]
        lines.append(f"| {r['events']:,} | {s['texts']:,} | {s['serial']:.2f} s | {s['parallel']:.2f} s | {s['cached']:.2f} s |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout of Chronicle to time (its bench/build_once.py)")
    parser.add_argument("--before-python", default=sys.executable, help="the Python with that checkout's dependencies")
    parser.add_argument("--after", type=Path, default=ROOT, help="the checkout to time with Python-Markdown (default: this one)")
    parser.add_argument("--write", action="store_true", help="rewrite the section in BENCHMARKS.md")
    options = parser.parse_args()
    before = (options.before_python, options.before.resolve()) if options.before else None
    results = [measure(size, options.runs, before, options.after.resolve()) for size in options.sizes]
    text = report(results, options.runs, before is not None)
    print(text)
    print(json.dumps(results), file=sys.stderr)
    if options.write:
        path = ROOT / "BENCHMARKS.md"
        page = path.read_text("utf-8")
        start, end = page.index(MARK_START), page.index(MARK_END)
        path.write_text(page[: start + len(MARK_START)] + "\n" + text + page[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
