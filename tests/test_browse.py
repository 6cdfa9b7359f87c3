"""Browse: grouping events by tag, actor, place and year; slugs; the overview axis; the inline years."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from chronicle.content.dates import parse_date
from chronicle.content.model import Event, Place
from chronicle.site.browse import (
    LEVELS,
    browse,
    by_year,
    continuing,
    inline_years,
    overview,
    unique_slugs,
    year_range,
)


def ev(event_id: str, date: str, **fields: object) -> Event:
    return Event(
        id=event_id,
        path=Path(f"events/{date[:4]}/{event_id}.yaml"),
        title=f"Event {event_id}",
        date=parse_date(date),
        status=str(fields.pop("status", "confirmed")),
        summary="Summary.",
        **fields,  # type: ignore[arg-type]
    )


def timeline(*events: Event) -> tuple[Event, ...]:
    return tuple(sorted(events, key=lambda e: e.sort_key))


# --- slugs -----------------------------------------------------------------------


def test_slugs_fold_accents_and_punctuation() -> None:
    assert unique_slugs(["Joaquín Guzmán", "Villa Purificación, Jalisco", "US Senate"]) == {
        "Joaquín Guzmán": "joaquin-guzman",
        "Villa Purificación, Jalisco": "villa-purificacion-jalisco",
        "US Senate": "us-senate",
    }


def test_names_folding_to_one_slug_are_told_apart_whatever_the_order() -> None:
    names = ["Michoacán", "Michoacan", "MICHOACAN", "Michoacan 2"]
    expected = {"MICHOACAN": "michoacan", "Michoacan": "michoacan-3", "Michoacán": "michoacan-4", "Michoacan 2": "michoacan-2"}
    for _ in range(5):
        random.shuffle(names)
        assert unique_slugs(names) == expected
    assert len(set(expected.values())) == len(expected)


def test_a_name_without_latin_letters_gets_the_fallback() -> None:
    assert unique_slugs(["北京", "東京", "Tokyo"], fallback="place") == {"北京": "place", "東京": "place-2", "Tokyo": "tokyo"}


# --- groups ------------------------------------------------------------------------


def test_groups_by_tag_actor_place_and_year_with_counts() -> None:
    events = timeline(
        ev("a", "2009/2011", tags=("cjng", "heavy-weapons"), actors=("ATF", "CJNG"), places=(Place("Arizona"),)),
        ev("b", "2010-12-14", tags=("cjng",), actors=("CJNG", "CJNG"), places=(Place("Peck Canyon, Arizona"),)),
        ev("c", "1989~", tags=("training",), actors=("Yair Klein",), places=(Place("Arizona"), Place("Colombia"))),
    )
    groups = browse(events)
    assert [(g.slug, g.count) for g in groups.tags] == [("cjng", 2), ("heavy-weapons", 1), ("training", 1)]
    assert [(g.name, g.slug, [e.id for e in g.events]) for g in groups.actors] == [
        ("ATF", "atf", ["a"]),
        ("CJNG", "cjng", ["a", "b"]),  # listed once although named twice
        ("Yair Klein", "yair-klein", ["c"]),
    ]
    assert [(g.slug, g.count) for g in groups.places] == [("arizona", 2), ("colombia", 1), ("peck-canyon-arizona", 1)]
    assert [(g.slug, g.count) for g in groups.years] == [("1989", 1), ("2009", 1), ("2010", 1)]
    assert groups.actor_slugs["Yair Klein"] == "yair-klein"
    assert groups.tags[0].first_year == 2009 and groups.tags[0].last_year == 2010


def test_events_of_a_group_stay_in_time_order() -> None:
    events = timeline(ev("late", "2020", tags=("x",)), ev("early", "1990", tags=("x",)), ev("mid", "2005-05", tags=("x",)))
    assert [e.id for e in browse(events).tags[0].events] == ["early", "mid", "late"]


def test_spans_continue_into_the_years_after_they_start() -> None:
    events = timeline(ev("ff", "2009/2011"), ev("open", "2012/.."), ev("point", "2013"), ev("short", "2026-02-10/2026-02-11"))
    assert year_range(events) == (2009, 2026)
    under_way = continuing(events, 2014)
    assert {y: [e.id for e in found] for y, found in under_way.items()} == {
        2010: ["ff"],
        2011: ["ff"],
        2013: ["open"],
        2014: ["open"],
    }


# --- the front page's inline years ------------------------------------------------------


def years_of(counts: dict[int, int]) -> tuple:
    events = [ev(f"{y}-{i:02d}", str(y)) for y, n in counts.items() for i in range(n)]
    return by_year(timeline(*events))


def test_a_small_timeline_is_shown_whole() -> None:
    sections = inline_years(years_of({2000: 3, 2001: 4}), limit=7)
    assert [(s.year, len(s.events), s.truncated) for s in sections] == [(2000, 3, False), (2001, 4, False)]


def test_a_large_timeline_shows_the_latest_whole_years_that_fit() -> None:
    years = years_of({2000: 5, 2001: 3, 2002: 4, 2003: 2})
    assert [s.year for s in inline_years(years, limit=8)] == [2002, 2003]  # with 2001 it would be 9
    assert [s.year for s in inline_years(years, limit=9)] == [2001, 2002, 2003]
    assert [s.year for s in inline_years(years, limit=13)] == [2001, 2002, 2003]  # with 2000 it would be 14


def test_a_year_larger_than_the_limit_shows_its_latest_events() -> None:
    (section,) = inline_years(years_of({2000: 2, 2001: 30}), limit=10)
    assert section.year == 2001 and len(section.events) == 10 and section.total == 30 and section.truncated
    assert [e.id for e in section.events] == [f"2001-{i:02d}" for i in range(20, 30)]


def test_the_inline_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        inline_years(years_of({2000: 1}), limit=0)


# --- the overview axis ----------------------------------------------------------------------


def test_overview_counts_each_year_and_draws_spans_in_lanes() -> None:
    events = timeline(
        ev("exports", "2006/2018"),
        ev("ff", "2009/2011"),
        ev("veracruz", "2011/2014"),
        ev("open", "2012/.."),
        ev("c1989", "1989~"),
        ev("maybe", "2022-01?"),
        ev("day", "2015-05-01"),
        ev("two-days", "2015-02-10/2015-02-11"),
    )
    axis = overview(events)
    assert axis is not None
    assert (axis.first, axis.last) == (1989, 2022)
    assert [y.year for y in axis.years] == list(range(1989, 2023))
    by_year_ = {y.year: y for y in axis.years}
    assert by_year_[2015].count == 2 and by_year_[2015].level == LEVELS  # the busiest year is full height
    assert by_year_[1989].count == 1 and by_year_[1989].loose == 1 and by_year_[1989].loose_level == by_year_[1989].level
    assert by_year_[1990].count == 0 and by_year_[1990].level == 0
    # exports (lane 0), ff (lane 1), veracruz overlaps both (lane 2), open reuses lane 1 after ff ends
    assert axis.lanes == 3 and axis.spans == 4 and axis.hidden_spans == 0
    lanes_2011 = by_year_[2011].lanes
    assert lanes_2011[0] is not None and not lanes_2011[0].starts and not lanes_2011[0].ends
    assert lanes_2011[1] is not None and lanes_2011[1].ends
    assert lanes_2011[2] is not None and lanes_2011[2].starts
    assert by_year_[2012].lanes[1] is not None and by_year_[2012].lanes[1].starts
    last = by_year_[2022].lanes[1]
    assert last is not None and last.open and not last.ends  # the open span runs on past the axis
    assert by_year_[2015].lanes[1] is not None  # a short span inside one year is not a lane of its own
    assert by_year_[2011].ongoing == 3
    assert axis.open_spans and not axis.loose_spans and axis.loose_years


def test_overview_marks_approximate_spans_and_counts_spans_it_cannot_draw() -> None:
    events = timeline(*(ev(f"s{i}", f"{2000 + i}~/2010") for i in range(6)))
    axis = overview(events, max_lanes=4)
    assert axis is not None and axis.lanes == 4 and axis.spans == 4 and axis.hidden_spans == 2
    assert axis.loose_spans
    assert all(seg is None or seg.loose for y in axis.years for seg in y.lanes)


def test_overview_lays_years_out_by_decade() -> None:
    axis = overview(timeline(ev("a", "1988"), ev("b", "2026")))
    assert axis is not None
    assert [d.start for d in axis.decades] == [1980, 1990, 2000, 2010, 2020]
    assert [d.visible for d in axis.decades] == [2, 10, 10, 10, 7]
    assert axis.decades[0].years[:8] == (None,) * 8 and axis.decades[0].years[8] is not None


def test_no_events_no_overview() -> None:
    assert overview(()) is None and year_range(()) is None


def test_overview_gives_the_position_of_each_years_first_event() -> None:
    """The browser counts any search's matches per year from these: year first + i holds starts[i] to starts[i+1] - 1."""
    events = timeline(*(ev(f"e{i}", f"{1990 + (i * 7) % 23}-0{1 + i % 9}") for i in range(60)), ev("late", "2030"))
    axis = overview(events)
    assert axis is not None
    assert len(axis.starts) == axis.last - axis.first + 2 and axis.starts[0] == 0 and axis.starts[-1] == len(events)
    for i, year in enumerate(range(axis.first, axis.last + 1)):
        held = events[axis.starts[i] : axis.starts[i + 1]]
        assert [e.date.year for e in held] == [year] * len(held)
        assert len(held) == axis.years[i].count


def test_each_span_line_names_its_event_where_it_starts() -> None:
    events = timeline(ev("before", "2000"), ev("ff", "2009/2011"), ev("veracruz", "2011~/2014"))
    axis = overview(events)
    assert axis is not None
    by_year_ = {y.year: y for y in axis.years}
    starts = {seg.event.id: (y.year, seg.position) for y in axis.years for seg in y.lanes if seg is not None and seg.event}
    assert starts == {"ff": (2009, 1), "veracruz": (2011, 2)}
    assert all(seg.position == 1 for y in (2009, 2010, 2011) if (seg := by_year_[y].lanes[0]) is not None)
    assert by_year_[2010].lanes[0] is not None and by_year_[2010].lanes[0].event is None  # named only where it starts
