"""A one-event edit as ``serve`` rebuilds it, in a fresh process: prints JSON.

python bench/edit_once.py SITE_DIR OUTPUT_DIR

The live preview's own object (:class:`chronicle.preview.live.LiveSite`) builds the
site once, as ``serve`` does when it starts; then one event file in the middle
of the timeline is edited (its title and its summary change) and the preview
rebuilds, told which file changed as ``serve``'s watcher tells it, which is
what a writer waits for before the browser reloads. The
file is put back as it was at the end (and rebuilt once more, timed too).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chronicle.config import BuildConfig, SiteConfig  # noqa: E402
from chronicle.preview.live import LiveSite  # noqa: E402


def main() -> None:
    site_dir, output = Path(sys.argv[1]), Path(sys.argv[2])
    config = BuildConfig(
        events_dir=site_dir / "events",
        seeds_dir=site_dir / "seeds",
        templates_dir=ROOT / "site_templates",
        output_dir=output,
        site=SiteConfig(title="Benchmark timeline"),
        search_index=False,
    )
    live = LiveSite(config)
    first = live.rebuild()
    assert not first.state.failed, first.state.diagnostics[:3] or first.state.crash
    events = sorted((site_dir / "events").glob("*/*.yaml"))
    path = events[len(events) // 2]
    original = path.read_bytes()
    text = original.decode("utf-8")
    edited = text.replace("title: ", "title: Edited - ", 1).replace("summary: >\n", "summary: >\n  A new first sentence.\n", 1)
    assert edited != text
    try:
        time.sleep(0.01)  # a new modification time, to the nanosecond, on any file system
        path.write_text(edited, encoding="utf-8")
        edit = live.rebuild({str(path)})  # as serve's watcher reports the change
        page = f"events/{path.stem}/index.html"
        assert not edit.state.failed, edit.state.diagnostics[:3] or edit.state.crash
        assert b"Edited - " in edit.state.files[page], "the edited event's page was not rebuilt"
    finally:
        path.write_bytes(original)
    back = live.rebuild({str(path)})
    assert not back.state.failed
    print(
        json.dumps(
            {
                "first_seconds": first.seconds,
                "edit_seconds": edit.seconds,
                "edit_changed": len(edit.changed),
                "edit_reread": edit.reread,
                "restore_seconds": back.seconds,
                "files": len(edit.state.files),
            }
        )
    )


if __name__ == "__main__":
    main()
