"""Words of a description as the search index splits them."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text`, lower case, letters and digits (FTS5's unicode61 tokenizer splits so)."""
    return TOKEN.findall(text.lower())
