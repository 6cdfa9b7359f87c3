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
from chronicle.content.model import Source, Timeline
from chronicle.content.names import slugify
from chronicle.content.quotes import fold

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


# --- The sourcing standard (CONTRIBUTING.md, "Sourcing standard") ---------------------------------

#: Words of the project's workings that mean nothing to a reader of the published pages. Kept here,
#: independent of the validator's own list, so that the published content is held to them even if
#: the warning changes.
INTERNAL_WORDS = [
    r"\bseeds?\b",
    r"\barchived\s+here\b",
    r"\b(?:this|the)\s+repository\b",
    r"\bthis\s+timeline['’]s\s+reading\b",
    r"\bknown\s+here\s+only\b",
    r"\brecorded\s+(?:here\s+)?as\b",
    r"\bstored\s+(?:public\s+)?cop(?:y|ies)\b",
]


def _public_texts(timeline: Timeline) -> list[tuple[str, str, str]]:
    """(where, field, text) for every text that the site shows in its own words."""
    texts = []
    for event in timeline.events:
        for field in ("title", "summary", "body"):
            texts.append((event.id, field, getattr(event, field) or ""))
    for seed in timeline.seeds.values():
        texts.append((f"seeds/{seed.id}.yaml", "notes", seed.notes or ""))
    return texts


@pytest.mark.parametrize("pattern", INTERNAL_WORDS)
def test_public_text_speaks_to_readers_not_of_the_project(timeline: Timeline, pattern: str) -> None:
    found = [
        (where, field, match.group())
        for where, field, text in _public_texts(timeline)
        if (match := re.search(pattern, " ".join(text.split()), re.IGNORECASE))
    ]
    assert found == []


def test_the_content_gives_no_warnings(timeline: Timeline) -> None:
    assert [str(w) for w in timeline.warnings] == []


def test_every_disagreement_is_explained_to_readers(timeline: Timeline) -> None:
    """A source cited against the event is explained in the body, and a disputed event cites both sides."""
    unexplained = [e.id for e in timeline.events if any(s.stance == "disputes" for s in e.sources) and not (e.body or "").strip()]
    one_sided = [e.id for e in timeline.events if e.status == "disputed" and not any(s.stance != "disputes" for s in e.sources)]
    assert (unexplained, one_sided) == ([], [])


def _kind(source: Source) -> str | None:
    return source.seed.kind if source.seed else source.kind


def _outlet(source: Source) -> str:
    """The publication that did the reporting: 'Reuters (via The Star)' and 'Reuters (via Devdiscourse)' are one voice."""
    publisher = (source.seed.publisher if source.seed else source.publisher) or source.url or ""
    return publisher.split(" (")[0].strip().lower()


def test_confirmed_events_rest_on_a_record_or_independent_sources(timeline: Timeline) -> None:
    """Confirmed: an official record, or at least two outlets that did their own reporting; never an opinion piece alone."""
    weak = []
    for event in timeline.events:
        if event.status != "confirmed":
            continue
        support = [s for s in event.sources if s.stance != "disputes" and _kind(s) not in ("opinion", "advocacy", "industry")]
        official = any(_kind(s) in ("government", "court") for s in support)
        if not official and len({_outlet(s) for s in support}) < 2:
            weak.append(event.id)
    assert weak == []


ATTRIBUTION = re.compile(r"according to|\bsaid\b|\bsays?\b|alleg|claim|charg|accus|\btold\b|indict|prosecutors", re.IGNORECASE)


def test_allegations_say_who_makes_them(timeline: Timeline) -> None:
    unattributed = [e.id for e in timeline.events if e.status == "alleged" and not ATTRIBUTION.search(e.summary)]
    assert unattributed == []


def test_outside_sources_name_their_publisher_and_kind(timeline: Timeline) -> None:
    """Readers weigh a wire report, a ministry's statement and a column differently: each outside source says which it is."""
    unnamed = [(e.id, s.url) for e in timeline.events for s in e.sources if not s.seed and not (s.publisher and s.kind)]
    assert unnamed == []


#: Words run together in copying, as they appear in the archived texts: a quote shows the words as published.
COPY_DAMAGE = re.compile(r"\b[a-z]{2,}[A-Z][a-z]+|indeath|Springsto\b")


def test_quotes_read_as_published_not_as_damaged_in_copying(timeline: Timeline) -> None:
    damaged = [
        (e.id, m.group()) for e in timeline.events for s in e.sources if s.seed and (m := COPY_DAMAGE.search(s.quote or ""))
    ]
    assert damaged == []
