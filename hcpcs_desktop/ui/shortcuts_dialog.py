"""Help → Keyboard shortcuts: every key of the window, from the command table (`actions`), by menu."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .actions import MENUS, PANE_KEYS, commands


def shortcuts_html() -> str:
    """The keys of the panes, then each menu's commands with their keys."""
    def table(rows) -> str:
        return '<table cellpadding="3">' + "".join(
            f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(does)}</td></tr>" for keys, does in rows
        ) + "</table>"

    parts = ["<h3>In the search box, the results and the code page</h3>",
             table((", ".join(keys), does) for keys, does in PANE_KEYS)]
    for menu in MENUS:
        rows = [(", ".join(c.shortcuts), c.does or c.text.replace("&", "").rstrip("…").lower())
                for c in commands() if c.menu == menu and c.shortcuts]
        if rows:
            parts += [f"<h3>{html.escape(menu.replace('&', ''))} menu</h3>", table(rows)]
    return "".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.text = QTextBrowser(objectName="shortcutsText")
        self.text.setHtml(shortcuts_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 620)
