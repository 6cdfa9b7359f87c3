"""Generate a synthetic timeline of N realistic events in Chronicle's format.

Deterministic for a given N and seed: dates spread over decades (day, month and
year precision, some approximate, some spans), tags from a vocabulary, actors
and places, one or two sources quoting seed documents, a Markdown paragraph.

    python bench/generate.py 10000 /tmp/site10k
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

WORDS = (
    "cartel weapons rifles border trafficking police army federal investigation report seized shipment "
    "smuggling arms dealer court ruling lawsuit training militia governor minister embassy intelligence "
    "ammunition network routes cocaine fentanyl helicopter ambush convoy operation prosecutors indictment "
    "checkpoint warehouse testimony export licence manufacturer brokers violence state municipal"
).split()
ACTORS = [f"Actor {name}" for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel")] + [
    "CJNG", "Sinaloa Cartel", "Mexican Army", "ATF", "US Senate", "SEDENA", "García Luna", "Michoacán police",
]  # fmt: skip
PLACES = ["Tapalpa, Jalisco", "Guadalajara, Jalisco", "Culiacán, Sinaloa", "Morelia, Michoacán", "Tucson, Arizona",
          "El Paso, Texas", "Monterrey, Nuevo León", "Mexico City", "Medellín, Colombia", "Phoenix, Arizona"]  # fmt: skip
TAGS = [f"tag-{i:02d}" for i in range(30)]
SEEDS = 20


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def seed_text(rng: random.Random) -> str:
    return "\n\n".join(" ".join(sentence(rng, rng.randint(8, 20)) for _ in range(5)) for _ in range(12))


def date_text(rng: random.Random) -> str:
    year = rng.randint(1970, 2026)
    kind = rng.random()
    if kind < 0.55:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind < 0.8:
        return f"{year}-{rng.randint(1, 12):02d}"
    if kind < 0.9:
        return f"{year}~"
    return f"{year}/{min(2026, year + rng.randint(1, 5))}"


def event_text(rng: random.Random, index: int, date: str, seed_texts: list[str], ids: list[str]) -> str:
    seed_no = rng.randrange(SEEDS)
    words = seed_texts[seed_no].split()
    start = rng.randrange(len(words) - 12)
    quote = " ".join(words[start : start + rng.randint(6, 12)])
    tags = sorted(rng.sample(TAGS, rng.randint(1, 4)))
    actors = sorted(rng.sample(ACTORS, rng.randint(1, 3)))
    places = rng.sample(PLACES, rng.randint(0, 2))
    related = sorted(rng.sample(ids, 2)) if ids and rng.random() < 0.3 and len(ids) >= 2 else []
    lines = [
        "# yaml-language-server: $schema=../event.schema.json",
        f"title: {sentence(rng, rng.randint(5, 10))[:-1]} {index}",
        f'date: "{date}"',
        f"status: {rng.choice(['confirmed', 'reported', 'alleged', 'disputed'])}",
        "summary: >",
        textwrap.indent(
            textwrap.fill(f"{sentence(rng, 25)} Some *emphasis* and a [link](https://example.org/{index}).", 88), "  "
        ),
        "body: |",
        textwrap.indent(textwrap.fill(" ".join(sentence(rng, 18) for _ in range(4)), 88), "  "),
        f"tags: [{', '.join(tags)}]",
        f"actors: [{', '.join(actors)}]",
    ]
    if places:
        lines.append("places:")
        lines += [f'  - name: "{p}"' for p in places]
    lines += ["sources:", f"  - seed: seed-{seed_no:02d}", f'    quote: "{quote}"']
    if rng.random() < 0.4:
        lines += [
            f"  - url: https://example.org/news/{index}",
            f"    title: Report {index}",
            "    publisher: Example News",
            f'    quote: "{sentence(rng, 8)}"',
        ]
    if related:
        lines.append(f"related: [{', '.join(related)}]")
    return "\n".join(lines) + "\n"


def generate(count: int, root: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "events").mkdir(parents=True, exist_ok=True)
    seed_texts = [seed_text(rng) for _ in range(SEEDS)]
    for i, text in enumerate(seed_texts):
        (root / "seeds" / f"seed-{i:02d}.txt").write_text(text, encoding="utf-8")
        (root / "seeds" / f"seed-{i:02d}.yaml").write_text(
            f'title: "Synthetic document {i}"\npublisher: "Bench Press"\nauthor: null\npublished: "2020-01-{i + 1:02d}"\n'
            "kind: news\nurl: null\n",
            encoding="utf-8",
        )
    (root / "events" / "tags.yaml").write_text("".join(f"{t}: Synthetic tag {t}.\n" for t in TAGS), encoding="utf-8")
    dates = [date_text(rng) for _ in range(count)]
    ids = [f"{d.split('/')[0].rstrip('~')}-event-{i}" for i, d in enumerate(dates)]
    for i, (date, event_id) in enumerate(zip(dates, ids, strict=True)):
        folder = root / "events" / date[:4]
        folder.mkdir(exist_ok=True)
        earlier = ids[max(0, i - 50) : i]
        (folder / f"{event_id}.yaml").write_text(event_text(rng, i, date, seed_texts, earlier), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.root, args.seed)


if __name__ == "__main__":
    main()
