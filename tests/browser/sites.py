"""A generated fixture timeline of any size, for render and browser tests.

Deterministic for a given ``n``: events spread over 1990-2024 with every kind of
date (day, month, year; approximate, uncertain; spans, one still open), every
status, sources that support and dispute, and actor and place names that fold
to the same slug ("Michoacán police" and "Michoacan police"). Every quote is
taken from the seed of ``tests/conftest.py``, so the files merge into its
``make_site`` fixture.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

STATUSES = ("confirmed", "reported", "alleged", "disputed")
TAGS = ("cjng", "heavy-weapons", "training", "smuggling")
ACTORS = ("CJNG", "Mexican Army", "Michoacán police", "Michoacan police", "ATF", "Joaquín Guzmán")
PLACES = ("Tapalpa, Jalisco", "Morelia, Michoacán", "El Paso, Texas", "Mexico")
QUOTES = (
    "having shot down Mexican military helicopters in 2015",
    "El Mencho, 59, was killed on February 22, 2026",
)
VOCABULARY = """\
cjng: The Jalisco New Generation Cartel.
heavy-weapons: Rifles, launchers and other military-grade arms.
training: Military-style training of cartel fighters.
smuggling: Moving weapons across the border.
"""


def _date(i: int) -> tuple[str, int]:
    """The i-th event's EDTF date and start year: a mix of every form the timeline supports."""
    year = 1990 + (i * 13) % 35
    month = 1 + (i * 5) % 12
    day = 1 + (i * 3) % 28
    forms = (
        f"{year}-{month:02d}-{day:02d}",
        f"{year}-{month:02d}",
        f"{year}",
        f"{year}~",
        f"{year}-{month:02d}?",
        f"{year}/{min(year + 1 + i % 4, 2024)}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}~/{min(year + 3, 2024)}",
    )
    if i == 3:
        return f"{year}/..", year  # one span still open
    return forms[i % len(forms)], year


def event_id(i: int) -> str:
    date, year = _date(i)
    return f"{year}-event-{i:03d}"


def event_yaml(i: int) -> str:
    date, _year = _date(i)
    status = STATUSES[i % len(STATUSES)]
    tags = [TAGS[i % len(TAGS)]] + ([TAGS[(i + 1) % len(TAGS)]] if i % 3 == 0 else [])
    actors = [ACTORS[i % len(ACTORS)], ACTORS[(i + 2) % len(ACTORS)]]
    place = PLACES[i % len(PLACES)]
    sources = [f'  - seed: s1\n    quote: "{QUOTES[i % 2]}"\n']
    if status == "disputed":
        sources.append(
            f"  - url: https://example.org/rebuttal/{i}\n"
            f"    title: A rebuttal of event {i}\n"
            "    publisher: Example Gazette\n"
            "    published: 2020-01-02\n"
            "    kind: opinion\n"
            f"    archive_url: https://web.archive.org/web/2020/https://example.org/rebuttal/{i}\n"
            '    quote: "This never happened as described."\n'
            "    stance: disputes\n"
        )
    related = f"related: [{event_id(i - 1)}]\n" if i > 0 and i % 5 == 0 else ""
    return (
        f"title: Generated event number {i} about weapons\n"
        f'date: "{date}"\n'
        f"status: {status}\n"
        f"summary: Something happened, *number {i}*, with weapons and money.\n"
        f"tags: [{', '.join(tags)}]\n"
        f"actors: [{', '.join(actors)}]\n"
        f"places:\n  - name: {place}\n"
        "sources:\n" + "".join(sources) + related
    )


def generated_site(n: int) -> dict[str, str | None]:
    """Files for ``make_site``: ``n`` generated events in place of the two good ones."""
    files: dict[str, str | None] = {
        "events/tags.yaml": VOCABULARY,
        "events/2015/2015-05-01-helicopter-shot-down.yaml": None,
        "events/2026/2026-02-22-el-mencho-killed.yaml": None,
    }
    for i in range(n):
        _date_text, year = _date(i)
        files[f"events/{year}/{event_id(i)}.yaml"] = event_yaml(i)
    return files


def write_tree(root: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
