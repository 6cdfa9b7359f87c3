"""The same synthetic events as a Hugo site, for a side-by-side build time.

Same pages as Chronicle builds: the timeline (every event, grouped by year),
one page per event (summary, body, sources with quotes), and term pages for
tags, actors, places and years. Layouts are in ``bench/hugo_layouts/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml_rs

LAYOUTS = Path(__file__).parent / "hugo_layouts"

CONFIG = """\
baseURL = "http://localhost/"
languageCode = "en"
title = "Benchmark timeline"
disableKinds = ["RSS"]
[taxonomies]
tag = "tags"
actor = "actors"
place = "places"
year = "years"
[markup.goldmark.renderer]
unsafe = false
"""


def make_hugo_site(events_dir: Path, root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    content = root / "content" / "events"
    content.mkdir(parents=True)
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(LAYOUTS, root / "layouts")
    for path in sorted(events_dir.glob("*/*.yaml")):
        data = yaml_rs.loads(path.read_text("utf-8"), parse_datetime=False)
        if not isinstance(data, dict):
            raise ValueError(f"{path} is not a mapping of fields")
        start = str(data["date"]).split("/")[0].rstrip("~?%")
        iso = (start + "-01-01")[:10] if len(start) == 4 else (start + "-01")[:10]
        front = {
            "title": data["title"],
            "date": iso,
            "edtf": str(data["date"]),
            "status": data["status"],
            "tags": data.get("tags", []),
            "actors": data.get("actors", []),
            "places": [p["name"] for p in data.get("places", [])],
            "years": [start[:4]],
            "sources": data["sources"],
            "slug": path.stem,
        }
        body = data["summary"] + "\n\n" + data.get("body", "")
        (content / f"{path.stem}.md").write_text(json.dumps(front, ensure_ascii=False) + "\n\n" + body, encoding="utf-8")
    return root
