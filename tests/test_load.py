from pathlib import Path

from chronicle.content.yamldoc import Position, parse_yaml


def test_values_keep_positions_and_dates_stay_text() -> None:
    text = "title: X\ndate: 2015-05-01\nsources:\n  - seed: s1\n    quote: 'q'\nlat: 19.5\nn: 3\nflag: true\nnothing:\n"
    document, problems = parse_yaml(Path("e.yaml"), text)
    assert problems == [] and document is not None
    assert document.data == {
        "title": "X", "date": "2015-05-01", "sources": [{"seed": "s1", "quote": "q"}],
        "lat": 19.5, "n": 3, "flag": True, "nothing": None,
    }  # fmt: skip
    assert document.position(("sources", 0, "quote")) == Position(5, 12)
    assert document.key_position(("sources", 0, "quote")) == Position(5, 5)
    assert document.position(("sources", 0, "missing")) == Position(4, 5)  # nearest written parent


def test_duplicate_keys_are_reported_not_overwritten() -> None:
    document, problems = parse_yaml(Path("e.yaml"), "a: 1\nb: 2\na: 3\n")
    assert document is not None and document.data == {"a": 1, "b": 2}
    assert [(p.line, p.column) for p in problems] == [(3, 1)]
    assert problems[0].message.startswith("duplicate key 'a' (first written at line 1)")


def test_syntax_error_has_line_and_column() -> None:
    document, problems = parse_yaml(Path("e.yaml"), "a: 1\nb: [1, 2\n")
    assert document is None
    assert [(p.line, p.column) for p in problems] == [(3, 1)]


def test_tabs_get_a_hint() -> None:
    _, problems = parse_yaml(Path("e.yaml"), "a:\n\t- 1\n")
    assert "indent with spaces, not tabs" in problems[0].message


def test_fast_path_and_positions_path_agree() -> None:
    from chronicle.content.yamldoc import parse_yaml_with_positions

    text = "a: yes\nb: no\nc: true\nd: 2015-05-01\ne: ~\nf: 1.5\ng: [x, 'y']\nh: >\n  folded\n  text\n"
    fast, _ = parse_yaml(Path("e.yaml"), text)
    slow, _ = parse_yaml_with_positions(Path("e.yaml"), text)
    assert fast is not None and slow is not None
    assert fast.data == slow.data == {
        "a": "yes", "b": "no", "c": True, "d": "2015-05-01", "e": None, "f": 1.5, "g": ["x", "y"], "h": "folded text\n",
    }  # fmt: skip
    assert fast.position(("g", 1)) == slow.position(("g", 1)) == Position(7, 8)
