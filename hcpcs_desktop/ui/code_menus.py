"""The Go menu's lists of the coder's own: favorites (by list), recent codes and recent searches,
filled each time they open."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..wording import EXPORT_LIST_CSV, SAVE_LIST_PDF


class CodeMenus(QObject):
    """Fills the Favorites, Recent codes and Recent searches menus; `window` gives the menus,
    the session and what choosing an entry does (`open_code`, `search_for`)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session

    def _fill_codes_menu(self, menu, codes) -> None:
        menu.clear()
        if not codes:
            menu.addAction("(none yet)").setEnabled(False)
        for code in codes:
            page = self.session.page(code)
            menu.addAction(f"{code}  {page.short_description}" if page else code,
                           lambda c=code: self.window.open_code(c))

    def fill_recent_menu(self) -> None:
        self._fill_codes_menu(self.window.recentMenu, self.window.state.recent)

    def fill_favorites_menu(self) -> None:
        """Favorites in no list, then one submenu per named list."""
        menu, codes = self.window.favoritesMenu, self.session.codes
        unlisted = [c for c in codes.favorites if c not in codes.lists]
        self._fill_codes_menu(menu, unlisted)
        if codes.lists and not unlisted:
            menu.clear()  # no "(none yet)" above the lists
        for name in codes.list_names():
            listed = [c for c in codes.favorites if codes.lists.get(c) == name]
            submenu = menu.addMenu(name.replace("&", "&&"))
            self._fill_codes_menu(submenu, listed)
            submenu.addSeparator()  # the whole list on paper or in a spreadsheet
            commands = self.window.codes
            submenu.addAction(SAVE_LIST_PDF, lambda codes=listed, name=name: commands.save_codes_pdf(codes, name))
            submenu.addAction(EXPORT_LIST_CSV, lambda codes=listed, name=name: commands.export_codes_csv(codes, name))

    def fill_searches_menu(self) -> None:
        menu, searches = self.window.searchesMenu, self.session.searches.searches
        menu.clear()
        if not searches:
            menu.addAction("(none yet)").setEnabled(False)
        for text in searches[:30]:
            label = text if len(text) <= 60 else text[:59] + "…"
            menu.addAction(label.replace("&", "&&"), lambda t=text: self.window.search_for(t))
