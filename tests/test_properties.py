"""Properties that hold for any event file: generated ones (hypothesis), valid and broken.

- a valid event file is checked and built, and shows up on its page;
- any file, however broken, gives located errors or passes; nothing raises,
  and an event is never dropped without an error saying why;
- any YAML shape at all (any keys, any types, any depth) is reported, not raised.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import textwrap
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.build import build, check
from chronicle.config import BuildConfig, SiteConfig
from chronicle.content.yamldoc import could_hold_refused
from chronicle.diagnostics import ContentErrors

ROOT = Path(__file__).resolve().parent.parent
SEED = "The CJNG, in particular, is notorious for its firepower, having shot down Mexican military helicopters in 2015.\n"
SEED_META = 'title: "A test article"\npublisher: "Test Wire"\nauthor: null\npublished: "2026-03-03"\nkind: news\nurl: null\n'
TAGS = {"cjng": "The cartel.", "arms": "Weapons.", "money": "Money."}
#: 40 examples a property in `make test` (the same ones each run: derandomized); set CHRONICLE_HYPOTHESIS_EXAMPLES
#: to search longer, with new examples each run.
EXAMPLES = int(os.environ.get("CHRONICLE_HYPOTHESIS_EXAMPLES", "0"))
PROFILE = settings(
    max_examples=EXAMPLES or 40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=not EXAMPLES
)


def site(root: Path, events: dict[str, str]) -> BuildConfig:
    (root / "seeds").mkdir(parents=True)
    (root / "seeds/s1.txt").write_text(SEED, encoding="utf-8")
    (root / "seeds/s1.yaml").write_text(SEED_META, encoding="utf-8")
    (root / "events").mkdir()
    (root / "events/tags.yaml").write_text(yaml.safe_dump(TAGS), encoding="utf-8")
    for name, text in events.items():
        path = root / "events" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return BuildConfig(root / "events", root / "seeds", ROOT / "site_templates", root / "out", SiteConfig(), search_index=False)


# --- valid events ---------------------------------------------------------------------------

words = st.text(alphabet=st.characters(categories=["L", "N"], exclude_characters="\u0130"), min_size=1, max_size=12)
sentence = st.lists(words, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
markdown = st.lists(
    st.one_of(
        sentence,
        sentence.map(lambda s: f"*{s}*"),
        sentence.map(lambda s: f"- {s}\n- {s}"),
        sentence.map(lambda s: f"[{s}](https://example.org/a)"),
    ),
    min_size=1,
    max_size=4,
).map("\n\n".join)


@st.composite
def dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1, 9999))
    text = f"{year:04d}"
    if draw(st.booleans()):
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if draw(st.booleans()):
            text += f"-{draw(st.integers(1, 28)):02d}"
    text += draw(st.sampled_from(["", "~", "?", "%"]))
    if draw(st.booleans()):
        text += "/.." if draw(st.booleans()) else f"/{min(year + draw(st.integers(0, 5)), 9999):04d}"
    return text


@st.composite
def events(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    date = draw(dates())
    data: dict[str, object] = {
        "title": draw(sentence)[:200],
        "date": date,
        "status": draw(st.sampled_from(["confirmed", "reported", "alleged", "disputed"])),
        "summary": draw(markdown),
        "sources": [{"seed": "s1", "quote": draw(st.sampled_from(["having shot down", "notorious for its firepower"]))}],
    }
    if draw(st.booleans()):
        data["body"] = draw(markdown)
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(st.sampled_from(sorted(TAGS)), unique=True, max_size=3))
    if draw(st.booleans()):
        data["actors"] = draw(st.lists(st.sampled_from(["CJNG", "ATF", "Mexican Army", "García Luna"]), unique=True, max_size=3))
    if draw(st.booleans()):
        data["places"] = [{"name": "Tapalpa, Jalisco", "lat": draw(st.floats(-90, 90)), "lon": draw(st.floats(-180, 180))}]
    if draw(st.booleans()):
        data["sources"].append(  # type: ignore[attr-defined]
            {"url": "https://example.org/r", "title": draw(sentence), "quote": draw(sentence), "stance": "disputes"}
        )
    name = f"{date[:4]}/{date[:4]}-generated-event.yaml"
    return name, data


@PROFILE
@given(events())
def test_any_valid_event_is_checked_and_built(event: tuple[str, dict[str, object]]) -> None:
    name, data = event
    with tempfile.TemporaryDirectory() as folder:
        config = site(Path(folder), {name: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)})
        result = build(config, jobs=1)
        assert [e.id for e in result.timeline.events] == [Path(name).stem]
        page = (config.output_dir / "events" / Path(name).stem / "index.html").read_text("utf-8")
        assert "<h1" in page


# --- broken events ----------------------------------------------------------------------------

VALID = textwrap.dedent(
    """\
    title: CJNG gunmen shoot down a military helicopter
    date: "2015-05-01"
    status: confirmed
    summary: >
      Gunmen brought down an army helicopter in *Jalisco*.
    tags: [cjng, arms]
    actors: [CJNG, Mexican Army]
    places:
      - name: Villa Purificación, Jalisco
        lat: 19.72
    sources:
      - seed: s1
        quote: "having shot down Mexican military helicopters in 2015"
      - url: https://example.org/report
        title: A report
        quote: a passage
    """
)
#: What a broken file is made of: YAML's own characters, control and invisible ones, other scripts, digits.
pieces = st.sampled_from(
    list(":-[]{},&*!|>'\"#%@`?\n\t ")
    + ["\x00", "\x1b", "\u200b", "\u202e", "\ufeff", "\u0421", "２", "٢", "0000", "\r\n", "  - ", ": ", "true", "1"]
)


@st.composite
def mutations(draw: st.DrawFn) -> str:
    text = VALID
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        text = text[:at] + "".join(draw(st.lists(pieces, max_size=4))) + text[at + cut :]
    return text


@PROFILE
@given(mutations())
def test_a_broken_event_gives_located_errors_or_passes_and_is_never_dropped(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = site(Path(folder), {"2015/2015-05-01-helicopter.yaml": text})
        try:
            timeline = check(config)
        except ContentErrors as errors:
            assert errors.diagnostics and any(d.is_error for d in errors.diagnostics)
            for diagnostic in errors.diagnostics:
                assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.message
                assert "\n" not in diagnostic.format() and "\x1b" not in diagnostic.format()
        else:  # it passed: then the event is there, not silently left out
            assert [e.id for e in timeline.events] == ["2015-05-01-helicopter"]


shapes = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=10)),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), children, max_size=4)
    ),
    max_leaves=30,
)


@PROFILE
@given(
    st.dictionaries(
        st.sampled_from(["title", "date", "status", "summary", "body", "tags", "actors", "places", "sources", "related", "x"]),
        shapes,
        max_size=8,
    )
)
def test_any_shape_of_yaml_is_reported_not_raised(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = site(Path(folder), {"2015/2015-x.yaml": yaml.safe_dump(data, allow_unicode=True)})
        try:
            check(config)
        except ContentErrors as errors:
            assert all(d.line >= 1 for d in errors.diagnostics)


# --- the scanner's pre-filter ---------------------------------------------------------------

#: Text made of what YAML's node starts, indicators and Markdown are made of.
yaml_ish = st.lists(
    st.sampled_from(
        ["a", "b", "1", " ", "  ", "\t", "\n", "\r", "-", "--- ", "?", ":", ": ", "- ", "&", "*", "!", "!!", "%",
         "[", "]", "{", "}", ",", "#", "'", '"', "|", ">", ".", "...", "key: ", "\u2028", "\u2029", "\x85", "\r\n", "@", "`", "~", "=", "\\"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=max(EXAMPLES, 500), deadline=None, derandomize=not EXAMPLES)
@given(yaml_ish)
def test_text_the_pre_filter_lets_through_holds_nothing_the_scanner_refuses(text: str) -> None:
    """The fast parser is given only text in which YAML's scanner finds no anchor, alias, tag or directive."""
    if could_hold_refused(text):
        return
    kinds = []
    with contextlib.suppress(yaml.YAMLError):  # the tokens read before an error are what the scanner found
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            kinds.append(type(token))
    refused = {yaml.AnchorToken, yaml.AliasToken, yaml.TagToken, yaml.DirectiveToken}
    assert not refused & set(kinds), text


def test_the_pre_filter_lets_markdown_emphasis_through_and_flags_node_properties() -> None:
    assert not could_hold_refused("summary: A *quoted* passage & 80% of it!\nbody: >\n  More **bold** text.\n")
    for text in ("a: *b\n", "a: &b c\n", "a: !!binary x\n", "- *a\n", "a: [b, *c]\n", "%YAML 1.2\n---\na: b\n",
                 "a:\n  *b\n", "--- !t\na: b\n", '{"a":*b}\n', "? &k a\n: b\n", "a: b\r*c: d\n"):  # fmt: skip
        assert could_hold_refused(text), text
