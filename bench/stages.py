"""Where a cold build's time goes, stage by stage, and the floor of each stage: prints JSON.

python bench/stages.py SITE_DIR

A cold build (empty caches, no output) of the site, run stage by stage as
``build`` runs them, on every core, each stage timed (wall); beside each, its
*floor*: the least that stage could cost in Python on this machine, measured
here on the same content:

- **load**: reading every event file's bytes and parsing them with yaml-rs,
  nothing else (no checks, no positions);
- **validate**: jsonschema-rs's "valid?" for every event, nothing else;
- **markdown**: every distinct text converted by Python-Markdown, nothing else
  (sanitising and caching left out), on every core;
- **plan**: making the page list is bookkeeping; its floor
  is one ``dict`` per page;
- **render**: producing each page's bytes with one ``str.format`` of a template
  as long as the page (no Jinja), on every core;
- **write**: writing those bytes into a fresh folder, nothing else;
- **index**: Pagefind's service alone over the search documents (its own
  cost: what no change on our side can remove).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jsonschema_rs  # noqa: E402
import yaml_rs  # noqa: E402

from chronicle.build import check, plan_pages, provenance_of, publish, start_index, write_other_files  # noqa: E402
from chronicle.config import BuildConfig, SiteConfig  # noqa: E402
from chronicle.content.files import event_files  # noqa: E402
from chronicle.content.schema import schema  # noqa: E402
from chronicle.site import markup  # noqa: E402
from chronicle.site.markdown_cache import convert_all, markdown_texts  # noqa: E402
from chronicle.site.render_workers import write_pages_while  # noqa: E402
from chronicle.site.search import index_documents, search_documents  # noqa: E402
from chronicle.workers import cores, fork_map  # noqa: E402


def main() -> None:
    site = Path(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="chronicle-stages-"))
    os.environ["CHRONICLE_CACHE"] = str(work / "cache")
    config = BuildConfig(site / "events", site / "seeds", ROOT / "site_templates", work / "output", SiteConfig(title="Benchmark"))
    jobs = cores()
    times: dict[str, float] = {}
    clock = [time.perf_counter()]

    def mark(name: str) -> None:
        now = time.perf_counter()
        times[name] = times.get(name, 0.0) + now - clock[0]
        clock[0] = now

    timeline = check(config, jobs=jobs)
    mark("load and validate")
    provenance = provenance_of(config)
    markdown = convert_all(markdown_texts(timeline), jobs=jobs)
    mark("markdown")
    documents = search_documents(timeline.events, markdown.plain, config.site.language)
    index = start_index(config, documents, None)
    mark("search documents (indexing starts)")
    renderer = plan_pages(timeline, config, provenance=provenance, markdown=markdown)
    mark("plan")

    def write(staging: Path) -> list[str]:
        def meanwhile() -> list[str]:
            return write_other_files(staging, renderer, timeline, config, provenance=provenance)

        others = write_pages_while(renderer, staging, meanwhile, jobs=jobs)
        mark("render and write pages (the other files written meanwhile)")
        return [page.path for page in renderer.pages] + others

    publish(config, write, index)
    mark("index (waited for), list and swap")
    total = sum(times.values())

    floors = floor(config, timeline, markdown_texts(timeline), renderer, documents, work, jobs)
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"stages": times, "total": total, "floors": floors, "pages": len(renderer.pages)}))


def floor(
    config: BuildConfig, timeline: Any, texts: list[str], renderer: Any, documents: list[tuple[str, str]], work: Path, jobs: int
) -> dict[str, float]:
    found: dict[str, float] = {}
    paths, _ = event_files(config.events_dir)
    started = time.perf_counter()
    data = [yaml_rs.loads(path.read_bytes().decode(), parse_datetime=False) for path in paths]
    found["load"] = time.perf_counter() - started
    validator = jsonschema_rs.Draft7Validator(schema("event"))
    started = time.perf_counter()
    for item in data:
        validator.is_valid(item)
    found["validate"] = time.perf_counter() - started
    size = -(-len(texts) // jobs)
    parts = [texts[at : at + size] for at in range(0, len(texts), size)]
    engine_convert = lambda part: [markup._engine().reset().convert(text) for text in part]  # noqa: E731
    started = time.perf_counter()
    fork_map(engine_convert, parts)
    found["markdown"] = time.perf_counter() - started
    started = time.perf_counter()
    [{"path": page.path, "template": page.template} for page in renderer.pages]
    found["plan"] = time.perf_counter() - started
    average = 14_000  # bytes: about an event page
    template = "<!doctype html><title>{title}</title><h1>{title}</h1><p>{date}</p>" + "x" * average
    events = timeline.events
    pieces = [events[at : at + -(-len(events) // jobs)] for at in range(0, len(events), -(-len(events) // jobs))]
    started = time.perf_counter()
    fork_map(lambda part: len([template.format(title=e.title, date=e.date.text).encode() for e in part]), pieces)
    found["render"] = time.perf_counter() - started
    page = template.format(title="x", date="y").encode()
    target = work / "floor"
    started = time.perf_counter()
    for event in events:
        folder = target / "events" / event.id
        folder.mkdir(parents=True)
        (folder / "index.html").write_bytes(page)
    found["write"] = time.perf_counter() - started
    started = time.perf_counter()
    index_documents(work / "floor-index", documents)
    found["index"] = time.perf_counter() - started
    return found


if __name__ == "__main__":
    main()
