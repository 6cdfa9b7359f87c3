import datetime as dt

import pytest

from chronicle.content.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "label", "precision"),
    [
        ("1989", "1989", "year"),
        ("1988-11", "November 1988", "month"),
        ("2026-02-22", "22 February 2026", "day"),
        ("1989~", "c. 1989", "year"),
        ("2026-02?", "February 2026 (uncertain)", "month"),
        ("1989%", "c. 1989 (uncertain)", "year"),
    ],
)
def test_single_dates_keep_their_precision(text: str, label: str, precision: str) -> None:
    date = parse_date(text)
    assert date.label() == label
    assert date.start.precision == precision
    assert not date.is_span
    assert date.text == text


def test_span_has_both_ends_and_sorts_by_start() -> None:
    span = parse_date("2009-10/2011-01")
    assert span.is_span
    assert span.label() == "October 2009 – January 2011"
    assert span.start.earliest == dt.date(2009, 10, 1)
    assert span.end is not None and span.end.latest == dt.date(2011, 1, 31)
    assert parse_date("2009-10-15").sort_key > span.sort_key


def test_open_ended_span() -> None:
    since = parse_date("2012/..")
    assert since.is_span and since.open_end and since.end is None
    assert since.label() == "2012 onward"


def test_flags() -> None:
    assert parse_date("1989~").is_approximate and not parse_date("1989~").is_uncertain
    assert parse_date("2026-02?").is_uncertain
    assert parse_date("2009~/2011").is_approximate


def test_broader_dates_sort_before_the_details_they_contain() -> None:
    dates = ["2015-05-01", "2015", "2015-05", "2015/2016", "2014-12-31", "2015-05-02"]
    ordered = sorted(dates, key=lambda d: parse_date(d).sort_key)
    assert ordered == ["2014-12-31", "2015/2016", "2015", "2015-05", "2015-05-01", "2015-05-02"]


def test_leap_day() -> None:
    assert parse_date("2024-02-29").start.day == 29


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-31", "'2026-02-31' is not a valid calendar date: February 2026 has 28 days"),
        ("2023-02-29", "'2023-02-29' is not a valid calendar date: February 2023 has 28 days"),
        ("2015-13", "'2015-13' is not a valid calendar date: there is no month 13"),
        ("2011/2009", "the span '2011/2009' ends before it starts; write the earlier date first"),
        ("2015-5-1", "'2015-5-1' is not a date of the form 2015, 2015-05 or 2015-05-01"),
        ("May 2015", "'May 2015' is not a date of the form"),
        ("", "'' is not a date of the form"),
        ("198X", "'198X' is valid EDTF but not a form this timeline supports"),
        ("2015-12-31T10:00:00", "'2015-12-31T10:00:00' is valid EDTF but not a form"),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(DateError) as excinfo:
        parse_date(text)
    assert str(excinfo.value).startswith(message)
