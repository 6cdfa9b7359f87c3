"""One build in a fresh process, as the benchmark times it: prints JSON.

python bench/build_once.py SITE_DIR OUTPUT_DIR [--search]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chronicle.build import build  # noqa: E402
from chronicle.config import BuildConfig, SiteConfig  # noqa: E402


def main() -> None:
    site, output = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    result = build(
        BuildConfig(
            events_dir=site / "events",
            seeds_dir=site / "seeds",
            templates_dir=ROOT / "site_templates",
            output_dir=output,
            site=SiteConfig(title="Benchmark timeline"),
            search_index="--search" in sys.argv,
        )
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "files": result.files, "events": result.events}))


if __name__ == "__main__":
    main()
