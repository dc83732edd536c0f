"""The coder's favorites (each in a named list or none) and recent codes, in a JSON file beside the settings.

Each change re-reads the file, applies itself and writes the file whole under the file's lock
(see `user_files`), so two windows open at once keep each other's stars and a crash mid-write
leaves the previous file whole. A failed write raises `OSError`; the caller says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .user_files import JsonFile

MAX_RECENT = 50


def _codes(value) -> list[str]:
    """A list of code strings from whatever the file held (anything else counts as none)."""
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v.strip().upper() for v in value if isinstance(v, str) and v.strip()))


def _lists(value, favorites: list[str]) -> dict[str, str]:
    """Favorite -> the name of its list, from whatever the file held."""
    if not isinstance(value, dict):
        return {}
    return {code: name.strip() for code, name in value.items()
            if code in favorites and isinstance(name, str) and name.strip()}


class UserCodes:
    """Favorites (in the order starred), their list names, and recent codes (newest first) in `path`."""

    def __init__(self, path: Path, initial: dict[str, list[str]] | None = None):
        self.file = JsonFile(path)
        self.favorites: list[str] = []
        self.recent: list[str] = []
        self.lists: dict[str, str] = {}  # favorite -> the name of the list it is in
        if not self.path.exists() and initial:  # codes remembered elsewhere by an earlier version
            self.favorites, self.recent = _codes(initial.get("favorites")), _codes(initial.get("recent"))
            try:
                self._change(lambda: None)
            except OSError:
                pass  # kept in memory; the next change tries again and says so if it fails
        else:
            self.reload()

    @property
    def path(self) -> Path:
        return self.file.path

    def reload(self) -> None:
        """Read the file again (a missing or unreadable file holds no codes)."""
        self._take(self.file.read())

    def _take(self, data: dict) -> None:
        self.favorites, self.recent = _codes(data.get("favorites")), _codes(data.get("recent"))
        self.lists = _lists(data.get("lists"), self.favorites)

    def list_names(self) -> list[str]:
        """The names of the favorites' lists, sorted."""
        return sorted(set(self.lists.values()), key=str.casefold)

    def set_list(self, code: str, name: str) -> None:
        """Put favorite `code` in the list `name` ("": in none). Raises OSError if not saved."""
        name = " ".join(name.split())

        def put() -> None:
            if code in self.favorites and name:
                self.lists[code] = name
            else:
                self.lists.pop(code, None)

        self._change(put)

    def put_in_lists(self, listed: dict[str, str]) -> None:
        """Star each code of `listed` (code -> list name) not yet a favorite and put it in its list, in one
        change. Raises OSError if not saved."""

        def put() -> None:
            for code, name in listed.items():
                if code not in self.favorites:
                    self.favorites.append(code)
                name = " ".join(name.split())
                if name:
                    self.lists[code] = name

        self._change(put)

    def toggle_favorite(self, code: str) -> bool:
        """Star or unstar `code`; True when it is now a favorite. Raises OSError if not saved."""
        starred = []

        def toggle() -> None:
            starred.append(code not in self.favorites)
            self.favorites = [*self.favorites, code] if starred[0] else [c for c in self.favorites if c != code]
            self.lists.pop(code, None)

        self._change(toggle)
        return starred[0]

    def visited(self, code: str) -> None:
        """`code` becomes the newest recent code. Raises OSError if not saved."""

        def visit() -> None:
            self.recent = [code, *(c for c in self.recent if c != code)][:MAX_RECENT]

        self._change(visit)

    def _change(self, apply: Callable[[], None]) -> None:
        """Under the file's lock: take what the file holds (what this object holds when it is
        new), `apply()` to it and write the result."""

        def change(data: dict) -> dict:
            if data or self.path.exists():
                self._take(data)
            apply()
            return {**data, "favorites": self.favorites, "recent": self.recent, "lists": self.lists}

        self._take(self.file.update(change))
