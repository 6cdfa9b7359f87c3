"""Event files written by the importer: YAML a contributor can read and edit, read back exactly as meant.

Each text is written plainly when YAML reads it back unchanged (checked with
the same YAML 1.2 parser the build uses), as a ``|-`` block when it has
several lines, and double-quoted otherwise: nothing an imported headline or
text holds can change its meaning in the file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml_rs

MODELINE = "# yaml-language-server: $schema=../event.schema.json"
#: The order of an event file's fields, as CONTRIBUTING.md shows them.
FIELD_ORDER = ("title", "date", "status", "imported", "summary", "body", "tags", "actors", "places", "sources", "related")


def event_file_text(fields: Mapping[str, Any], comment: Sequence[str] = ()) -> str:
    """The text of an event file holding ``fields``, after the schema modeline and ``comment`` lines."""
    lines = [MODELINE, *(f"# {line}" for line in comment)]
    for name in sorted(fields, key=FIELD_ORDER.index):
        value = fields[name]
        if isinstance(value, list) and not value:
            lines.append(f"{name}: []")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            lines.append(f"{name}: [{', '.join(scalar(v, flow=True) for v in value)}]")
        elif isinstance(value, list):
            lines.append(f"{name}:")
            for item in value:
                entries = [f"{key}: {scalar(str(v), indent=6)}" for key, v in item.items()]
                lines.append(f"  - {entries[0]}")
                lines.extend(f"    {entry}" for entry in entries[1:])
        elif name == "date":  # quoted, as `build.py new` writes it, so that any YAML reader keeps it as text
            lines.append(f"{name}: {json.dumps(value)}")
        else:
            lines.append(f"{name}: {scalar(str(value), indent=2)}")
    text = "\n".join(lines) + "\n"
    if yaml_rs.loads(text, parse_datetime=False) != dict(fields):  # pragma: no cover - scalar() checks each value
        raise AssertionError(f"an imported event file does not read back as written:\n{text}")
    return text


def scalar(text: str, *, indent: int = 2, flow: bool = False) -> str:
    """``text`` as a YAML value: plain, else a ``|-`` block (lines or a long text, not in a flow list), else double-quoted.

    Each is used only when YAML reads it back unchanged.
    """
    if "\n" not in text and text == text.strip() and _reads_back(text, text, flow):
        return text
    if ("\n" in text or len(text) > 60) and not flow:
        block = "|-\n" + "\n".join((" " * indent + line) if line else "" for line in text.split("\n"))
        if _reads_back(block, text, flow):
            return block
    return json.dumps(text, ensure_ascii=False)


def _reads_back(written: str, text: str, flow: bool) -> bool:
    if flow and any(c in written for c in ",[]{}"):
        return False
    try:
        return bool(yaml_rs.loads(f"k: {written}\n", parse_datetime=False) == {"k": text})
    except Exception:  # noqa: BLE001 - yaml_rs raises its own errors for text that is not YAML: not that way, then
        return False
