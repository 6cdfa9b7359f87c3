"""Names: how names and ids are written in URLs and compared.

A slug is what a name becomes in an address (``El Mencho`` -> ``el-mencho``).
"""

from __future__ import annotations

import re
import unicodedata

#: An event id, a tag: lowercase letters and digits in words joined by hyphens.
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """'El Mencho Killed!' -> 'el-mencho-killed' (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
