"""The command line: ``python build.py [build|validate|serve|new|import] ...``.

Exit status: 0 success, 1 content errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .build import build, check, check_templates
from .config import BuildConfig, load_site_config
from .diagnostics import ContentErrors, Diagnostic, count, display_path, visible
from .site.embed_data import oembed_notice
from .site.search import SearchIndexError

COMMANDS = ("build", "validate", "serve", "new", "import")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")  # `python build.py` and `python build.py --output x` build
    options = _parser().parse_args(args)
    previous = signal.signal(signal.SIGTERM, _terminate) if _in_main_thread() else None
    try:
        return int(options.run(options))
    except ContentErrors as errors:
        report(errors.diagnostics, getattr(options, "format", "text"))
        print(count(errors.diagnostics), file=sys.stderr)
        return 1
    except (SearchIndexError, OSError) as exc:  # the machine, not the content: output/ is left as it was
        print(f"error: {_machine_error(exc)}", file=sys.stderr)
        return 1
    except Terminated:
        print("Stopped (SIGTERM); output/ was left as it was.", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl+C is: what is being written is removed, output/ stays as it was."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _machine_error(exc: OSError | SearchIndexError) -> str:
    """An error of the machine in words, naming the file or folder when there is one."""
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        return f"{exc.strerror}: {visible(display_path(Path(str(exc.filename))))}"
    return visible(str(exc))


def report(diagnostics: Sequence[Diagnostic], style: str = "text") -> None:
    """Every diagnostic, one line each, on standard error."""
    for diagnostic in diagnostics:
        print(diagnostic.format(style), file=sys.stderr)


def _config(options: argparse.Namespace) -> BuildConfig:
    site = load_site_config(options.config, base_url=getattr(options, "base_url", None))
    return BuildConfig(
        events_dir=options.events,
        seeds_dir=options.seeds,
        templates_dir=options.templates,
        output_dir=getattr(options, "output", Path("output")),
        site=site,
        search_index=not getattr(options, "no_search", False),
    )


def _build(options: argparse.Namespace) -> int:
    started = time.perf_counter()
    config = _config(options)
    result = build(config, force=options.force)
    elapsed = time.perf_counter() - started
    report(result.warnings)
    notice = oembed_notice(config.site)
    if notice:
        print(f"warning: {notice}", file=sys.stderr)
    where = display_path(config.output_dir.absolute())
    if result.unchanged:
        print(f"Nothing changed since the last build: {where}/ holds its {result.files} files ({result.events} events); "
              f"checked in {elapsed:.2f} s (--force builds anyway)")  # fmt: skip
        return 0
    print(f"Built {result.files} files from {result.events} events into {where}/ in {elapsed:.2f} s")
    return 0


def _validate(options: argparse.Namespace) -> int:
    config = _config(options)
    timeline = check(config)
    check_templates(timeline, config)
    report(timeline.warnings, options.format)
    warned = len(timeline.warnings)
    also = f"; {warned} warning{'s' * (warned != 1)} (above)" if warned else ""
    imported = sum(1 for event in timeline.events if event.imported)
    if imported:
        also += f"; {imported} imported event{'s' * (imported != 1)} still to check"
    print(f"OK: {len(timeline.events)} events, {len(timeline.seeds)} seeds, {len(timeline.tags)} tags{also}")
    return 0


def _serve(options: argparse.Namespace) -> int:
    from .preview.serve import serve  # livereload and tornado load only when serving

    return serve(_config(options), host=options.host, port=options.port)


def _new(options: argparse.Namespace) -> int:
    """Scaffold an event file from flags, asking for what is missing only when a person is at a terminal."""
    from .scaffold import EventExists, ScaffoldError, scaffold_event, write_new_event

    missing = [name for name in ("title", "date", "status") if getattr(options, name) is None]
    if missing and not sys.stdin.isatty():
        flags = " ".join(f"--{name}" for name in missing)
        print(options.usage, file=sys.stderr)
        them = "it" if len(missing) == 1 else "them"
        print(f"build.py new: error: {flags} needed: there is no terminal to ask for {them}", file=sys.stderr)
        return 2
    try:
        if missing:
            _ask_for_missing(options)
        new = scaffold_event(
            options.events,
            title=options.title,
            date=options.date,
            status=options.status,
            event_id=options.id,
            summary=options.summary,
            seeds=_seed_descriptions(options.seeds),
        )
        write_new_event(new)
    except EventExists as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileExistsError as exc:  # created by someone else since the check
        print(f"error: {display_path(Path(exc.filename))} already exists; it was left as it is", file=sys.stderr)
        return 1
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EOFError:
        print("\nno answer: nothing was written", file=sys.stderr)
        return 2
    shown = display_path(new.path.absolute())
    steps = []
    if options.summary is None:
        steps.append("write the summary in your own words (it says TODO now)")
    steps += [
        "add at least one source under 'sources:', with a passage quoted exactly (see the examples in the file)",
        f"check it: python build.py validate  (errors name the line: {shown}:LINE:COL)",
        f"see it: make serve, then open http://127.0.0.1:8000/events/{new.id}/",
    ]
    print(f"Created {shown}\nNext:")
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}")
    return 0


def _import(options: argparse.Namespace) -> int:
    """Import a TimelineJS timeline: every problem of the file, or the event files written and what was left out."""
    from .exchange.importer import plan_import, read_timeline, write_import
    from .exchange.slides import FormatError

    source: Path = options.file
    shown = display_path(source.absolute())
    try:
        slides, notes = read_timeline(source)
        plan = plan_import(slides, options.events, origin=source.name)
        write_import(plan)
    except FormatError as exc:
        for problem in exc.problems:
            print(f"{shown}: error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem{'s' * (len(exc.problems) != 1)} in {shown}: nothing was written", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {display_path(Path(exc.filename or source))}: no such file; nothing was written", file=sys.stderr)
        return 1
    except FileExistsError as exc:  # made by someone else since the plan
        print(f"error: {display_path(Path(str(exc)))} appeared during the import; it was left as it is", file=sys.stderr)
        return 1
    events_dir = display_path(options.events.absolute())
    print(f"Imported {len(plan.events)} event{'s' * (len(plan.events) != 1)} from {shown} into {events_dir}/:")
    for event in plan.events:
        print(f"  {event.where} -> {display_path(event.path.absolute())}")
    if plan.tags:
        print(
            f"Added {len(plan.tags)} tag{'s' * (len(plan.tags) != 1)} to {display_path(plan.vocabulary.absolute())}: "
            + ", ".join(slug for slug, _ in plan.tags)
        )
    if plan.skipped:
        print(f"Skipped {len(plan.skipped)} slide{'s' * (len(plan.skipped) != 1)}:")
        print("".join(f"  {line}\n" for line in plan.skipped), end="")
    if notes or plan.not_converted:
        print("Not converted:")
        print("".join(f"  {line}\n" for line in [*notes, *plan.not_converted]), end="")
    if plan.events:
        print(
            "Each event is 'reported' and marked 'imported: timelinejs': validate warns about it until you have added\n"
            "the passage each source supports it with, checked the status and removed that line.\n"
            "Next: python build.py validate, then make serve."
        )
    return 0


def _ask_for_missing(options: argparse.Namespace) -> None:
    """Prompt for the title, date and status not given as flags; re-ask until each answer is usable."""
    from .content.model import STATUSES
    from .scaffold import STATUS_HELP, ScaffoldError, interpret_date

    print("New event: answer three questions (Ctrl+C to stop; flags skip them, see --help).")
    while not (options.title or "").strip():
        options.title = input("Title, what happened in a few words: ").strip() or None
        if options.title is None:
            print("  A title is needed, e.g.: CJNG gunmen shoot down a military helicopter")
    while options.date is None:
        answer = input("Date (2015-05-01, 'May 2015', 1989~ for about 1989, 2009-10/2011-01 for a span): ")
        try:
            options.date, reworded = interpret_date(answer)
        except ScaffoldError as exc:
            print(f"  {exc}")
            continue
        if reworded:
            print(f"  Read as {options.date}.")
    if options.status is None:
        for number, status in enumerate(STATUSES, 1):
            print(f"  {number}. {STATUS_HELP[status]}")
    while options.status is None:
        answer = input(f"Status, 1-{len(STATUSES)} or its name: ").strip().lower()
        if answer.isdigit() and 1 <= int(answer) <= len(STATUSES):
            options.status = STATUSES[int(answer) - 1]
        elif answer in STATUSES:
            options.status = answer
        else:
            print(f"  Choose one of {', '.join(STATUSES)} (or its number).")
    if options.summary is None:
        options.summary = input("Summary, one paragraph in your own words (Enter to write it later): ").strip() or None


def _seed_descriptions(seeds_dir: Path) -> dict[str, str]:
    """Seed id -> 'title, publisher, date' for the list of citable documents in a new event file.

    Problems with the seeds are not reported here: that is validate's job.
    """
    from .content.files import load_seeds

    seeds, _ = load_seeds(seeds_dir)
    described = {}
    for seed in seeds:
        data = seed.meta.data if seed.meta is not None else None
        parts = [data.get(key) for key in ("title", "publisher", "published")] if isinstance(data, dict) else []
        described[seed.id] = ", ".join(str(part) for part in parts if part) or "(no metadata)"
    return described


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
        sub.add_argument(
            "--templates",
            type=Path,
            default=Path("site_templates"),
            metavar="DIR",
            help="Jinja2 templates and static files (default: site_templates)",
        )
        sub.add_argument(
            "--config",
            type=Path,
            default=Path("site.yaml"),
            metavar="FILE",
            help="site settings (default: site.yaml; defaults apply when it is missing)",
        )

    def site_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--output", type=Path, default=Path("output"), metavar="DIR", help="where the site goes (default: output)"
        )
        sub.add_argument(
            "--base-url",
            metavar="URL",
            help="where the site is published, e.g. https://example.org/timeline/ (default: site.yaml's)",
        )
        sub.add_argument(
            "--no-search", action="store_true", help="skip the full-text search index (faster; search finds nothing)"
        )

    sub = commands.add_parser("build", help="build the site into output/", description="Check the content and build the site.")
    content_options(sub)
    site_options(sub)
    sub.add_argument(
        "--force", action="store_true", help="build even when nothing changed since the last build of this output folder"
    )
    sub.set_defaults(run=_build)

    sub = commands.add_parser(
        "validate",
        help="check everything, write nothing",
        description="Check every event, seed and tag; report every problem at once; write nothing.",
    )
    content_options(sub)
    sub.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text: path:line:col: error: message; github: workflow annotations (default: text)",
    )
    sub.set_defaults(run=_validate)

    sub = commands.add_parser(
        "serve",
        help="build, serve and rebuild on change (live reload)",
        description="Build the site, serve it and rebuild it when content or templates change.",
    )
    content_options(sub)
    site_options(sub)
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sub.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default: 8000)")
    sub.set_defaults(run=_serve)

    from .content.model import STATUSES

    sub = commands.add_parser(
        "new",
        help="create a new event file to fill in",
        description="Create events/<YYYY>/<id>.yaml with the given title, date and status filled in and every other "
        "field explained. At a terminal it asks for what is not given; without one (scripts) the three flags are needed.",
        epilog="Exit status: 0 created, 1 an event with that id exists (nothing written), 2 a missing or invalid value.",
    )
    sub.add_argument("--title", help="what happened, in a few words (plain text)")
    sub.add_argument(
        "--date",
        metavar="EDTF",
        help="when: 2015, 2015-05, 2015-05-01, 1989~ (approximate), 2026-02? (uncertain), 2009-10/2011-01 (a span)",
    )
    sub.add_argument("--status", choices=STATUSES, help="how sure the record is (see CONTRIBUTING.md)")
    sub.add_argument("--id", help="the file name without .yaml (default: the date and the first words of the title)")
    sub.add_argument("--summary", help="one paragraph in your own words (default: a TODO to replace)")
    sub.add_argument("--events", type=Path, default=Path("events"), metavar="DIR", help="event files (default: events)")
    sub.add_argument(
        "--seeds", type=Path, default=Path("seeds"), metavar="DIR", help="archived sources to list in the file (default: seeds)"
    )
    sub.set_defaults(run=_new, usage=sub.format_usage().rstrip())

    sub = commands.add_parser(
        "import",
        help="turn a TimelineJS timeline into event files",
        description="Write one event file per slide of a TimelineJS timeline: its JSON, or its Google Sheets template "
        "saved as CSV (File > Download > Comma-separated values). Imported events are 'reported' and marked "
        "'imported: timelinejs' until checked; title slides and eras are reported and skipped. Nothing is overwritten.",
        epilog="Exit status: 0 imported, 1 a problem with the file (every one is named, by JSON path or row; nothing written).",
    )
    sub.add_argument("format", choices=("timelinejs",), help="the format of FILE")
    sub.add_argument("file", type=Path, metavar="FILE", help="a TimelineJS .json file or the Google Sheets template as .csv")
    sub.add_argument("--events", type=Path, default=Path("events"), metavar="DIR", help="event files (default: events)")
    sub.set_defaults(run=_import)
    return parser
