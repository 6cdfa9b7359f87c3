"""An archived text cut into the pieces its source page shows: quoted passages marked and anchored."""

from __future__ import annotations

from chronicle.content.model import Seed
from chronicle.site.passages import pieces, quote_anchor


def test_overlapping_and_repeated_quotes_are_marked_once_each() -> None:
    seed = Seed("x", "aaa bbb ccc ddd eee fff", "news")
    found = pieces(seed, ["bbb ccc", "ccc ddd", "fff", "“bbb ccc”", "not there"])
    assert [(p.text, p.quoted, p.anchors) for p in found] == [
        ("aaa ", False, ()),
        ("bbb ", True, (quote_anchor("bbb ccc"),)),
        ("ccc", True, (quote_anchor("ccc ddd"),)),
        (" ddd", True, ()),
        (" eee ", False, ()),
        ("fff", True, (quote_anchor("fff"),)),
    ]
    assert "".join(p.text for p in found) == seed.text  # the text is shown whole, unchanged
    assert quote_anchor("bbb ccc") == quote_anchor("“bbb ccc”")  # the same words, the same anchor


def test_a_passage_the_archive_lost_spaces_in_is_found_where_it_is() -> None:
    seed = Seed("x", "were used indeath\u2011squad operations in Veracruz.", "news")
    quoted = [p.text for p in pieces(seed, ["used in death-squad operations"]) if p.quoted]
    assert quoted == ["used indeath\u2011squad operations"]
