"""The searches the coder typed, newest first, kept in `searches.json` beside the settings.

Bounded (MAX_SEARCHES) and de-duplicated (a search typed again moves to the top, whatever
its case or spacing); a search that only extends the newest one ("insu", then "insulin")
replaces it. Each change re-reads the file and writes it whole under the file's lock (see
`user_files`).
"""

from __future__ import annotations

from pathlib import Path

from .user_files import JsonFile

MAX_SEARCHES = 100
MAX_SEARCH_CHARS = 500  # a pasted list of codes longer than this is not worth recalling


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class SearchHistory:
    """The typed searches in `path`, newest first."""

    def __init__(self, path: Path):
        self.file = JsonFile(path)
        self.searches: list[str] = []
        self.reload()

    @property
    def path(self) -> Path:
        return self.file.path

    def reload(self) -> None:
        self.searches = _searches(self.file.read().get("searches"))

    def add(self, text: str) -> bool:
        """Keep `text` as the newest search; False when there was nothing worth keeping.

        Raises OSError if not saved."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_SEARCH_CHARS:
            return False
        added = []

        def change(data: dict) -> dict:
            kept = _searches(data.get("searches"))
            if kept and kept[0] == text:
                return data
            if kept and _key(text).startswith(_key(kept[0])):
                kept = kept[1:]  # "insu" was on the way to "insulin"
            added.append(text)
            return {**data, "searches": [text, *(s for s in kept if _key(s) != _key(text))][:MAX_SEARCHES]}

        self.searches = _searches(self.file.update(change).get("searches"))
        return bool(added)


def _searches(value) -> list[str]:
    """The searches, newest first, from whatever the file held (anything else counts as none)."""
    searches = [s for s in value if isinstance(s, str) and s.strip()] if isinstance(value, list) else []
    firsts: dict[str, str] = {}
    for search in searches:
        firsts.setdefault(_key(search), search)
    return list(firsts.values())[:MAX_SEARCHES]
