"""YAML documents: read YAML files into plain values, keeping where each value was written.

Two paths, one result:

- **fast**: ``yaml_rs`` (a Rust YAML 1.2 parser) reads the file into plain
  values, with dates kept as text and duplicate keys rejected. Nearly every
  file takes only this path.
- **positions**: when a file does not parse, or when a later stage reports an
  error in it, the file is *composed* into PyYAML nodes (libyaml's C parser
  when available) and converted by hand, so that every value and key keeps its
  1-based line and column, a duplicate key is an error rather than a silent
  overwrite, and ``2015-05-01`` stays the string ``"2015-05-01"``. Booleans
  follow YAML 1.2 (only ``true``/``false``) on both paths, so the two agree.

PyYAML's own loaders would lose line numbers, keep the last of two duplicate
keys and turn dates into ``datetime.date``; none of that happens here.

Both paths are bounded, so that no file can make a build hang or exhaust
memory: anchors, aliases, tags and directives are refused (an alias repeats a
value, and ten chained ones make a billion; a tag changes what a value is),
nesting is limited to :data:`MAX_DEPTH` levels and a file to
:data:`MAX_NODES` values, and every key must be text. A file that could hold
any of those is scanned before either path reads it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from ..diagnostics import Diagnostic
from .reading import read_text

try:  # libyaml is several times faster; the pure-Python parser gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: A path into a document: mapping keys and sequence indexes, e.g. ("sources", 0, "quote").
Pointer = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_constructor = yaml.constructor.SafeConstructor()
# Called directly: SafeConstructor.construct_object would remember every node it saw.
_SCALARS = {
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Document:
    """One YAML file as plain values, with the position of every value and key.

    Positions are found only when asked for (an error is being reported):
    composing nodes costs more than parsing the file.
    """

    path: Path
    text: str
    data: Any
    found_positions: tuple[Mapping[Pointer, Position], Mapping[Pointer, Position]] | None = field(default=None, repr=False)

    @cached_property
    def id(self) -> str:
        """The event id the file name gives: "2015-05-01-x" for events/2015/2015-05-01-x.yaml."""
        return self.path.stem

    @cached_property
    def _positions(self) -> tuple[Mapping[Pointer, Position], Mapping[Pointer, Position]]:
        if self.found_positions is not None:
            return self.found_positions
        document, _ = parse_yaml_with_positions(self.path, self.text)
        if document is None or document.found_positions is None:  # read by the fast path only: no positions to give
            return {}, {}
        return document.found_positions

    @property
    def values(self) -> Mapping[Pointer, Position]:
        return self._positions[0]

    @property
    def keys(self) -> Mapping[Pointer, Position]:
        return self._positions[1]

    def position(self, pointer: Pointer) -> Position:
        """Where the value at ``pointer`` was written, or its nearest written parent."""
        while pointer not in self.values and pointer:
            pointer = pointer[:-1]
        return self.values.get(pointer, Position(1, 1))

    def key_position(self, pointer: Pointer) -> Position:
        """Where the key of the entry at ``pointer`` was written (its value's if none)."""
        return self.keys.get(pointer) or self.position(pointer)

    def error(self, pointer: Pointer, message: str, *, at_key: bool = False) -> Diagnostic:
        pos = self.key_position(pointer) if at_key else self.position(pointer)
        return Diagnostic(self.path, pos.line, pos.column, message)


def parse_yaml(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse ``text``; all problems found are returned as diagnostics.

    A file that could hold an anchor, an alias, a tag or a directive
    (:func:`could_hold_refused`) is first scanned (libyaml's scanner, in C,
    builds no values): the fast parser would expand aliases and drop tags
    without a word.
    """
    if not could_hold_refused(text) or not _scanned_refusals(path, text):
        try:
            data = yaml_rs.loads(text, parse_datetime=False)
        except Exception:  # noqa: BLE001 - any failure: the positions path finds and explains it
            data = None
        if isinstance(data, dict) and _well_formed(data):
            return Document(path, text, data), []
    return parse_yaml_with_positions(path, text)


_PROPERTY = re.compile(r"[&*!]")
_DIRECTIVE = re.compile(r"(?:^|[\r\x85\u2028\u2029])%", re.MULTILINE)
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
#: After these (and blanks), YAML's scanner may start a token: a line break, a value or key indicator, a flow
#: collection's bracket or comma, a quoted scalar's closing quote.
_TOKEN_BEFORE = _LINE_BREAKS + ":?[]{},\"'"


def could_hold_refused(text: str) -> bool:
    """Could YAML's scanner read an anchor (&), an alias (*), a tag (!) or a directive (%) in ``text``?

    False only when it could not (a superset of the scanner's findings, checked
    by tests/test_properties.py), so that such text can go straight to the fast
    parser. Inside plain text the scanner reads ``& * !`` as text: one is only
    flagged where a token may start, that is at the start of the text or of a
    line, or after one of ``: ? [ ] { } , " '``, with blanks and "- ", "--- "
    or "... " indicators between. So Markdown's *emphasis* within a sentence
    is not flagged; some text is (a Markdown list item starting with '*',
    "a, *b*"), and is then scanned. A directive is a '%' starting a line.
    """
    if "%" in text and _DIRECTIVE.search(text):
        return True
    for found in _PROPERTY.finditer(text):
        at = found.start() - 1
        while True:
            while at >= 0 and text[at] in " \t":
                at -= 1
            if at < 0 or text[at] in _TOKEN_BEFORE:
                return True
            mark = text[at]
            if mark not in "-." or text[at + 1] not in " \t":
                break  # plain text ends here: the scanner reads the character as text
            run = at
            while run >= 0 and text[run] == mark:
                run -= 1
            if at - run not in ((1, 3) if mark == "-" else (3,)):
                break
            at = run  # an indicator ("-", "---", "..."): look before it
    return False


def parse_yaml_with_positions(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Scan ``text`` for what is refused, then compose and convert it by hand, recording positions and problems."""
    try:
        refused = _refused(path, text)
        if refused:
            return None, refused
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        at = mark.index if mark and mark.index < len(text) else -1
        return None, [Diagnostic(path, line, column, _describe_yaml_error(exc, text[at] if at >= 0 else ""))]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, f"YAML does not parse: {exc}")]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "the file is empty; it must hold a YAML mapping of fields")]
    converter = _Converter(path)
    data = converter.convert(node, ())
    return Document(path, text, data, (converter.values, converter.keys)), converter.diagnostics


def load_yaml(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    """Read a YAML file safely (:func:`chronicle.content.reading.read_text`) and parse it."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_yaml(path, text)


# --- bounds ------------------------------------------------------------------

#: Deeper than any content file needs (an event is 4 levels deep), far from any parser's recursion limit.
MAX_DEPTH = 20
#: Values in one file: an event has a few dozen.
MAX_NODES = 20_000


def _well_formed(data: Any) -> bool:
    """Keys all text, nesting within :data:`MAX_DEPTH`, at most :data:`MAX_NODES` values (else: the positions path)."""
    todo: list[tuple[Any, int]] = [(data, 0)]
    nodes = 0
    while todo:
        value, depth = todo.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            return False
        if type(value) is dict:
            for key, item in value.items():
                if type(key) is not str:
                    return False
                todo.append((item, depth + 1))
        elif type(value) is list:
            todo.extend((item, depth + 1) for item in value)
    return True


_START = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_END = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_REFUSED_TOKENS = {
    yaml.AnchorToken: "YAML anchors ('&name') are not supported; write the value out in full",
    yaml.AliasToken: "YAML aliases ('*name') are not supported; write the value out in full",
    yaml.TagToken: "YAML tags ('!!binary', '!name') are not supported; write plain text, numbers, lists and mappings",
    yaml.DirectiveToken: "YAML directives ('%YAML', '%TAG') are not supported; remove the line",
}


def _scanned_refusals(path: Path, text: str) -> bool:
    """Does the scanner find anything refused (or not YAML at all)? Then the positions path says what."""
    try:
        return bool(_refused(path, text))
    except yaml.YAMLError:
        return True


def _refused(path: Path, text: str) -> list[Diagnostic]:
    """Anchors, aliases, tags and directives, nesting beyond :data:`MAX_DEPTH` and too many values, found by the scanner.

    The scanner reads the text once, in C where libyaml is present, and
    builds nothing: an alias bomb or a deeply nested file is refused before
    it can be composed.
    """
    problems: list[Diagnostic] = []
    seen: dict[type, int] = {}  # how many of each refused kind: the first is reported, with the count
    depth = 0
    for tokens, token in enumerate(yaml.scan(text, Loader=_Loader), 1):
        kind = type(token)
        mark = token.start_mark
        if kind in _START:
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(
                    Diagnostic(
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        f"nested more than {MAX_DEPTH} levels deep; an event needs 4 at most",
                    )
                )
                break
        elif kind in _END:
            depth -= 1
        elif kind in _REFUSED_TOKENS:
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] == 1:
                problems.append(Diagnostic(path, mark.line + 1, mark.column + 1, _REFUSED_TOKENS[kind]))
        if tokens > 4 * MAX_NODES:
            problems.append(
                Diagnostic(
                    path, mark.line + 1, mark.column + 1, f"more than {MAX_NODES:,} values in one file; is it the right file?"
                )
            )
            break
    return [_with_count(problem, seen) for problem in problems]


def _with_count(problem: Diagnostic, seen: dict[type, int]) -> Diagnostic:
    kind = next((k for k, message in _REFUSED_TOKENS.items() if message == problem.message), None)
    more = seen.get(kind, 1) - 1 if kind is not None else 0
    if more < 1:
        return problem
    return dataclasses.replace(problem, message=f"{problem.message} (and {more} more in this file)")


def _describe_yaml_error(exc: yaml.MarkedYAMLError, character: str) -> str:
    problem = exc.problem or "invalid YAML"
    hint = ""
    if character == "\t":
        hint = "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        hint = "; a value containing ': ' must be quoted, e.g. title: \"Raid: what followed\""
    elif "could not find expected ':'" in problem:
        hint = "; each line of a mapping needs 'key: value', or a multi-line text needs '>' or '|'"
    elif "expected <block end>" in problem:
        hint = "; check the indentation of this line against the lines above"
    context = f" ({exc.context})" if exc.context and exc.context not in problem else ""
    return f"YAML does not parse: {problem}{context}{hint}"


class _Converter:
    """Turns composed nodes into plain values, recording positions and problems."""

    def __init__(self, path: Path):
        self.path = path
        self.values: dict[Pointer, Position] = {}
        self.keys: dict[Pointer, Position] = {}
        self.diagnostics: list[Diagnostic] = []

    def convert(self, node: yaml.Node, pointer: Pointer) -> Any:
        self.values[pointer] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, pointer + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes only these three kinds
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, pointer: Pointer) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_pos, "YAML merge keys ('<<') are not supported; write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_pos, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag != _STR:
                self._problem(
                    key_pos,
                    f"the key '{key_node.value}' must be text, not a number, date or true/false: "
                    "quote it, or check the indentation",
                )
                continue
            key = key_node.value
            if key in result:
                first = self.keys[pointer + (key,)]
                self._problem(
                    key_pos,
                    f"duplicate key '{key}' (first written at line {first.line}); "
                    "YAML would silently keep only the last one: remove or merge one of them",
                )
                continue
            self.keys[pointer + (key,)] = key_pos
            result[key] = self.convert(value_node, pointer + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            return node.value  # dates stay as written
        if tag == _BOOL and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: 'yes', 'no', 'on' and 'off' are text
        if tag in _SCALARS:
            return _SCALARS[tag](node)
        pos = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        self._problem(pos, f"unsupported YAML tag '{tag}'; use plain text, numbers, lists and mappings")
        return node.value

    def _problem(self, pos: Position, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, pos.line, pos.column, message))
