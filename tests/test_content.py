"""The published timeline's own content stays honest as it grows.

These run on the real events/ and seeds/, not on fixtures.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections import defaultdict
from pathlib import Path

import pytest

from chronicle.build import check
from chronicle.config import BuildConfig, SiteConfig
from chronicle.model import Timeline
from chronicle.validate import fold, slugify

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    return check(
        BuildConfig(
            events_dir=ROOT / "events",
            seeds_dir=ROOT / "seeds",
            templates_dir=ROOT / "site_templates",
            output_dir=ROOT / "output",
            site=SiteConfig(),
        )
    )


def test_every_seed_is_archived_as_received() -> None:
    """Each seed's text has the SHA-256 digest it had when received (seeds/SHA256SUMS, ``sha256sum`` format).

    ``cd seeds && sha256sum -c SHA256SUMS`` checks the same; a new seed's line is added to the file
    when it is archived (``sha256sum NEW.txt >> SHA256SUMS``), and an archived text is never edited.
    """
    lines = (ROOT / "seeds" / "SHA256SUMS").read_text("utf-8").splitlines()
    listed = {}
    for number, line in enumerate(lines, 1):
        found = re.fullmatch(r"([0-9a-f]{64})  (\S+\.txt)", line)
        assert found, f"seeds/SHA256SUMS:{number}: not '<sha256>  <name>.txt': {line!r}"
        listed[found[2]] = found[1]
    archived = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "seeds").glob("*.txt")}
    assert sorted(archived) == sorted(listed), "every seeds/*.txt has one line in seeds/SHA256SUMS, and no more"
    changed = sorted(name for name in archived if archived[name] != listed[name])
    assert changed == [], f"changed since received: {changed}"


def test_the_whole_story_is_covered(timeline: Timeline) -> None:
    assert len(timeline.events) >= 35
    years = {e.date.year for e in timeline.events}
    assert min(years) == 1988 and max(years) == 2026


def test_every_seed_is_cited(timeline: Timeline) -> None:
    cited = {s.seed.id for e in timeline.events for s in e.sources if s.seed}
    assert sorted(set(timeline.seeds) - cited) == []


def test_every_event_quotes_a_source(timeline: Timeline) -> None:
    unquoted = [e.id for e in timeline.events if not any(s.quote for s in e.sources)]
    assert unquoted == []


def test_every_vocabulary_tag_is_used(timeline: Timeline) -> None:
    used = {t for e in timeline.events for t in e.tags}
    assert sorted(set(timeline.tags) - used) == []


def test_disputed_events_cite_the_dispute(timeline: Timeline) -> None:
    silent = [e.id for e in timeline.events if e.status == "disputed" and not any(s.stance == "disputes" for s in e.sources)]
    assert silent == []


@pytest.mark.parametrize("field", ["actors", "places"])
def test_names_are_spelt_one_way(timeline: Timeline, field: str) -> None:
    """'Michoacán' and 'Michoacan', or 'CJNG' and 'Cjng', would split one browse page in two."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for event in timeline.events:
        for item in getattr(event, field):
            name = item if isinstance(item, str) else item.name
            spellings[slugify(name)].add(name)
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}


def test_no_two_events_describe_the_same_thing(timeline: Timeline) -> None:
    def words(text: str) -> str:
        return " ".join(sorted(set(slugify(text).split("-"))))

    twins = []
    for a, b in itertools.combinations(timeline.events, 2):
        same_title = difflib.SequenceMatcher(None, words(a.title), words(b.title)).ratio() > 0.85
        same_evidence = a.date.text == b.date.text and {fold(s.quote or "") for s in a.sources} & {
            fold(s.quote or "") for s in b.sources
        }
        if same_title or same_evidence:
            twins.append((a.id, b.id))
    assert twins == []
