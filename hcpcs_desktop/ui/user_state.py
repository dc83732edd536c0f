"""What the app remembers between runs: history, favorites, window layout, zoom.

Kept in the user's config folder through QSettings, never in the database.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

MAX_RECENT = 50


def _list(settings: QSettings, key: str) -> list[str]:
    value = settings.value(key, [])
    if isinstance(value, str):  # QSettings gives a bare string for a one-item list
        return [value] if value else []
    return [str(v) for v in value or []]


class UserState:
    """Recent codes (newest first) and favorites, saved as they change."""

    def __init__(self, settings: QSettings | None = None):
        self.settings = settings or QSettings()
        self.recent = _list(self.settings, "recent")
        self.favorites = _list(self.settings, "favorites")

    def visited(self, code: str) -> None:
        self.recent = [code, *(c for c in self.recent if c != code)][:MAX_RECENT]
        self.settings.setValue("recent", self.recent)

    def toggle_favorite(self, code: str) -> bool:
        """Star or unstar `code`; True when it is now a favorite."""
        if code in self.favorites:
            self.favorites.remove(code)
        else:
            self.favorites.append(code)
        self.settings.setValue("favorites", self.favorites)
        return code in self.favorites

    def value(self, key: str, default=None):
        return self.settings.value(key, default)

    def set_value(self, key: str, value) -> None:
        self.settings.setValue(key, value)
