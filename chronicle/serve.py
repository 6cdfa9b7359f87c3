"""Serve: build, serve ``output/`` and rebuild when the content changes.

livereload watches the content folders, rebuilds and tells the open pages to
reload. A failed rebuild never stops the server: the errors are printed and the
previous site stays in place.
"""

from __future__ import annotations

import errno
import sys

from livereload import Server

from .build import build
from .config import BuildConfig
from .diagnostics import ContentErrors


def rebuild(config: BuildConfig) -> bool:
    try:
        result = build(config)
    except ContentErrors as errors:
        for diagnostic in errors.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print(f"{len(errors.diagnostics)} error(s); still serving the last good build", file=sys.stderr)
        return False
    print(f"Rebuilt {result.files} files from {len(result.timeline.events)} events", file=sys.stderr)
    return True


def serve(config: BuildConfig, *, host: str, port: int) -> int:
    if not rebuild(config) and not config.output_dir.exists():
        return 1
    server = Server()
    for watched in (config.events_dir, config.seeds_dir, config.templates_dir):
        server.watch(str(watched), lambda: rebuild(config), delay=0.2)
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve(host=host, port=port, root=str(config.output_dir), open_url_delay=None, restart_delay=0)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"error: port {port} on {host} is already in use; try --port {port + 1}", file=sys.stderr)
            return 2
        raise
    return 0
