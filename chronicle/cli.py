"""The command line: ``python build.py [build|validate|serve] ...``.

Exit status: 0 success, 1 content errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .build import build, check
from .config import BuildConfig, load_site_config
from .diagnostics import ContentErrors, display_path

COMMANDS = ("build", "validate", "serve")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")  # `python build.py` and `python build.py --output x` build
    options = _parser().parse_args(args)
    try:
        return int(options.run(options))
    except ContentErrors as errors:
        style = getattr(options, "format", "text")
        for diagnostic in errors.diagnostics:
            print(diagnostic.format(style), file=sys.stderr)
        files = len({d.path for d in errors.diagnostics})
        count = len(errors.diagnostics)
        print(f"{count} error{'s' * (count != 1)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _config(options: argparse.Namespace) -> BuildConfig:
    site = load_site_config(options.config, base_url=getattr(options, "base_url", None))
    return BuildConfig(
        events_dir=options.events,
        seeds_dir=options.seeds,
        templates_dir=options.templates,
        output_dir=getattr(options, "output", Path("output")),
        site=site,
    )


def _build(options: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = _config(options)
    result = build(config)
    elapsed = time.perf_counter() - started
    print(
        f"Built {result.files} files from {len(result.timeline.events)} events "
        f"into {display_path(config.output_dir.absolute())}/ in {elapsed:.2f} s"
    )
    return 0


def _validate(options: argparse.Namespace) -> int:
    timeline = check(_config(options))
    print(f"OK: {len(timeline.events)} events, {len(timeline.seeds)} seeds, {len(timeline.tags)} tags")
    return 0


def _serve(options: argparse.Namespace) -> int:
    from .serve import serve  # livereload and tornado load only when serving

    return serve(_config(options), host=options.host, port=options.port)


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a sourced, interactive event timeline as a static site.",
        epilog="With no command, 'build' runs. Exit status: 0 success, 1 content errors, 2 wrong usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def content_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--events", type=Path, default=Path("events"), metavar="DIR", help="event files (default: events)")
        sub.add_argument("--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="archived sources (default: seeds)")
        sub.add_argument("--templates", type=Path, default=Path("site_templates"), metavar="DIR",
                         help="Jinja2 templates and static files (default: site_templates)")
        sub.add_argument("--config", type=Path, default=Path("site.yaml"), metavar="FILE",
                         help="site settings (default: site.yaml; defaults apply when it is missing)")

    def site_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--output", type=Path, default=Path("output"), metavar="DIR", help="where the site goes (default: output)")
        sub.add_argument("--base-url", metavar="URL",
                         help="where the site is published, e.g. https://example.org/timeline/ (default: from site.yaml, else /)")

    sub = commands.add_parser("build", help="build the site into output/", description="Check the content and build the site.")
    content_options(sub)
    site_options(sub)
    sub.set_defaults(run=_build)

    sub = commands.add_parser("validate", help="check everything, write nothing",
                              description="Check every event, seed and tag; report every problem at once; write nothing.")
    content_options(sub)
    sub.add_argument("--format", choices=("text", "github"), default="text",
                     help="text: path:line:col: error: message; github: workflow annotations (default: text)")
    sub.set_defaults(run=_validate)

    sub = commands.add_parser("serve", help="build, serve and rebuild on change (live reload)",
                              description="Build the site, serve it and rebuild it when content or templates change.")
    content_options(sub)
    site_options(sub)
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sub.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default: 8000)")
    sub.set_defaults(run=_serve)
    return parser
