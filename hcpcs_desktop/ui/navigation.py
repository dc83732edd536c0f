"""Back and forward through the codes a coder opened, like a web browser."""

from __future__ import annotations


class Navigation:
    """A list of opened codes and a position in it."""

    def __init__(self):
        self._codes: list[str] = []
        self._position = -1

    @property
    def current(self) -> str | None:
        return self._codes[self._position] if self._position >= 0 else None

    def open(self, code: str) -> None:
        """Record `code` as opened; forward history is dropped, as in a browser."""
        if code == self.current:
            return
        self._codes = self._codes[: self._position + 1] + [code]
        self._position += 1

    def can_go_back(self) -> bool:
        return self._position > 0

    def can_go_forward(self) -> bool:
        return self._position < len(self._codes) - 1

    def back(self) -> str | None:
        if self.can_go_back():
            self._position -= 1
        return self.current

    def forward(self) -> str | None:
        if self.can_go_forward():
            self._position += 1
        return self.current
