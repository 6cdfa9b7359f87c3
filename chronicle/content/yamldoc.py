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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from ..diagnostics import Diagnostic

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
        try:
            node = yaml.compose(self.text, Loader=_Loader)
        except yaml.YAMLError:  # parsed by the fast path, not by PyYAML: no positions to give
            return {}, {}
        converter = _Converter(self.path)
        if node is not None:
            converter.convert(node, ())
        return converter.values, converter.keys

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


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The file as UTF-8 text, or a diagnostic saying why it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8"), []
    except UnicodeDecodeError as exc:
        data = path.read_bytes()
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic(path, line, column, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")
        ]
    except OSError as exc:
        return None, [Diagnostic(path, 1, 1, f"cannot read the file: {exc.strerror}")]


def parse_yaml(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse ``text``; all problems found are returned as diagnostics."""
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any failure: the positions path finds and explains it
        data = None
    if isinstance(data, dict):
        return Document(path, text, data), []
    return parse_yaml_with_positions(path, text)


def parse_yaml_with_positions(path: Path, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Compose ``text`` and convert it by hand, recording positions and problems."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        at = mark.index if mark and mark.index < len(text) else -1
        return None, [Diagnostic(path, line, column, _describe_yaml_error(exc, text[at] if at >= 0 else ""))]
    except yaml.YAMLError as exc:  # e.g. a control character the reader rejects
        return None, [Diagnostic(path, 1, 1, f"YAML does not parse: {exc}")]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "the file is empty; it must hold a YAML mapping of fields")]
    converter = _Converter(path)
    data = converter.convert(node, ())
    return Document(path, text, data, (converter.values, converter.keys)), converter.diagnostics


def load_yaml(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_yaml(path, text)


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
