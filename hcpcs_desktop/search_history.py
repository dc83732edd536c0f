"""The searches the coder typed, newest first, kept in `searches.json` beside the settings.

Bounded (MAX_SEARCHES) and de-duplicated (a search typed again moves to the top, whatever
its case or spacing); a search that only extends the newest one ("insu", then "insulin")
replaces it. Each change re-reads the file and writes it atomically (see `user_files`).
"""

from __future__ import annotations

from pathlib import Path

from .user_files import read_json, write_json

MAX_SEARCHES = 100
MAX_SEARCH_CHARS = 500  # a pasted list of codes longer than this is not worth recalling


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class SearchHistory:
    """The typed searches in `path`, newest first."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.searches: list[str] = []
        self.reload()

    def reload(self) -> None:
        value = read_json(self.path).get("searches")
        searches = [s for s in value if isinstance(s, str) and s.strip()] if isinstance(value, list) else []
        firsts = {}
        for search in searches:
            firsts.setdefault(_key(search), search)
        self.searches = list(firsts.values())[:MAX_SEARCHES]

    def add(self, text: str) -> bool:
        """Keep `text` as the newest search; False when there was nothing worth keeping.

        Raises OSError if not saved."""
        text = " ".join(text.split())
        if not text or len(text) > MAX_SEARCH_CHARS:
            return False
        self.reload()
        if self.searches and self.searches[0] == text:
            return False
        kept = self.searches
        if kept and _key(text).startswith(_key(kept[0])):
            kept = kept[1:]  # "insu" was on the way to "insulin"
        self.searches = [text, *(s for s in kept if _key(s) != _key(text))][:MAX_SEARCHES]
        write_json(self.path, {"searches": self.searches})
        return True
