"""The main window: search box, filters, results list, detail pane, menus and shortcuts."""

from __future__ import annotations

import html
import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..data.database import CodePage, DatabaseError, load_code, open_database, release_info
from ..data.errors import ReleaseError
from ..data.changes import code_history
from ..data.locations import CMS_RELEASES_URL, bridge_sources, documents
from ..data.release_store import ReleaseStore, StoredRelease
from ..search import SearchEngine, SearchResult
from ..search.messages import folded, hidden_text, skipped_texts
from ..search.query import Query, QueryKind
from . import copy_text
from .about_dialog import AboutDialog
from .changes_dialog import ChangesDialog
from .detail_view import DetailView
from .filter_bar import FilterBar
from .navigation import Navigation
from .results_model import ResultsModel
from .results_view import ResultsView
from .user_state import UserState

MIN_ZOOM, MAX_ZOOM = -4, 12


class MainWindow(QMainWindow):
    """One window on one database (or on a page that says why there is none)."""

    def __init__(self, db_path: Path, state: UserState, conn: sqlite3.Connection | None = None,
                 problem: str | None = None, store: ReleaseStore | None = None):
        super().__init__()
        self.state = state
        self.store = store or ReleaseStore()
        self.known_releases: list[StoredRelease] = []
        self._release_connections: list[sqlite3.Connection] = []  # for code histories, opened once
        self._histories: dict[str, list[str]] = {}
        self.db_path = db_path
        self.conn: sqlite3.Connection | None = None
        self.engine: SearchEngine | None = None
        self.release: dict = {}
        self.navigation = Navigation()
        self._pages: dict[str, CodePage] = {}
        self._base_font_size = self.font().pointSizeF()
        self._build_ui()
        self._build_menus()
        self._restore_layout()
        if conn is not None:
            self.set_database(conn, db_path)
        else:
            self.show_problem(problem or f"No database at {db_path}.")

    # ----- building the window
    def _build_ui(self) -> None:
        self.searchBox = QLineEdit(objectName="searchBox", clearButtonEnabled=True)
        self.searchBox.setAccessibleName("searchBox")
        self.searchBox.setPlaceholderText("Code, prefix, range, list of codes, or words — e.g. S9353, E0100-E0105, insulin pump")
        self.searchBox.textChanged.connect(self.run_search)
        self.searchBox.returnPressed.connect(self.open_current)
        self.searchBox.installEventFilter(self)

        self.filterBar = FilterBar()
        self.filterBar.changed.connect(self.run_search)

        top = QHBoxLayout()
        top.addWidget(self.searchBox, 1)
        top.addWidget(self.filterBar)
        self.countLabel = QLabel(objectName="countLabel", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.countLabel.linkActivated.connect(self._count_link)
        self._uncorrected: str | None = None  # text the coder asked to search as typed

        self.model = ResultsModel(self)
        self.resultsView = ResultsView(self.model)
        self.resultsView.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.resultsView.activated.connect(self.open_current)
        self.resultsView.installEventFilter(self)

        self.detailView = DetailView()
        self.detailView.copyRequested.connect(self.copy_field)
        self.detailView.codeRequested.connect(self.open_code)
        self.detailView.starRequested.connect(lambda code: self.toggle_favorite())
        self.detailView.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.splitter = QSplitter(objectName="splitter")
        self.splitter.addWidget(self.resultsView)
        self.splitter.addWidget(self.detailView)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 520])

        browser = QWidget()
        layout = QVBoxLayout(browser)
        layout.addLayout(top)
        layout.addWidget(self.countLabel)
        layout.addWidget(self.splitter, 1)

        self.problemView = QTextBrowser(objectName="problemView", openLinks=False)
        self.problemView.anchorClicked.connect(self._problem_link)
        self.pages = QStackedWidget()
        self.pages.addWidget(browser)
        self.pages.addWidget(self.problemView)
        self.setCentralWidget(self.pages)

        self.releaseLabel = QLabel()
        self.statusBar().addPermanentWidget(self.releaseLabel)
        self.resize(1180, 760)

    def _action(self, menu, text, slot, shortcuts=(), checkable=False) -> QAction:
        action = QAction(text, self, checkable=checkable)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Open database…", self.choose_database, ["Ctrl+O"])
        self._action(file, "&Import CMS release…", self.import_release, ["Ctrl+I"])
        self.releasesMenu = file.addMenu("&Releases")
        self.releasesMenu.aboutToShow.connect(self._fill_releases_menu)
        file.addSeparator()
        self._action(file, "&Quit", self.close, [QKeySequence.StandardKey.Quit])

        edit = bar.addMenu("&Edit")
        self.copyCodeAction = self._action(edit, "Copy &code", self.copy_codes, ["Ctrl+C"])
        self.copyLongAction = self._action(edit, "Copy &long description", self.copy_long, ["Ctrl+Shift+C"])
        self.copyShortAction = self._action(edit, "Copy &short description", self.copy_short, ["Ctrl+Alt+C"])
        self.copyBothAction = self._action(edit, "Copy code &and long description", self.copy_code_and_long)
        self.copyAllAction = self._action(edit, "Copy all &fields", self.copy_all_fields)
        edit.addSeparator()
        self._action(edit, "&Find", self.focus_search, ["Ctrl+L", "Ctrl+F", "F3"])
        for action in (self.copyCodeAction, self.copyLongAction, self.copyShortAction,
                       self.copyBothAction, self.copyAllAction):
            self.resultsView.addAction(action)
            self.detailView.addAction(action)
        # Ctrl+C in the search box and the detail pane copies their selected text
        # first: the event filter decides, so the action itself must not grab the key.
        self.copyCodeAction.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

        view = bar.addMenu("&View")
        self._action(view, "&What changed between releases…", self.show_changes, ["Ctrl+Shift+W"])
        view.addSeparator()
        self.showEmptyAction = self._action(view, "Show &empty fields", self.set_show_empty, checkable=True)
        view.addSeparator()
        self._action(view, "Zoom &in", lambda: self.zoom(1), ["Ctrl+=", "Ctrl++"])
        self._action(view, "Zoom &out", lambda: self.zoom(-1), ["Ctrl+-"])
        self._action(view, "&Reset zoom", lambda: self.zoom(None), ["Ctrl+0"])

        go = bar.addMenu("&Go")
        self.backAction = self._action(go, "&Back", self.go_back, ["Alt+Left"])
        self.forwardAction = self._action(go, "&Forward", self.go_forward, ["Alt+Right"])
        self.starAction = self._action(go, "&Star / unstar code", self.toggle_favorite, ["Ctrl+D"])
        go.addSeparator()
        self.favoritesMenu = go.addMenu("F&avorites")
        self.recentMenu = go.addMenu("&Recent codes")
        self.favoritesMenu.aboutToShow.connect(lambda: self._fill_codes_menu(self.favoritesMenu, self.state.favorites))
        self.recentMenu.aboutToShow.connect(lambda: self._fill_codes_menu(self.recentMenu, self.state.recent))

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About HCPCS Desktop", self.show_about)
        self._update_navigation_actions()

    def _fill_codes_menu(self, menu, codes) -> None:
        menu.clear()
        if not codes:
            menu.addAction("(none yet)").setEnabled(False)
        for code in codes:
            page = self._page(code)
            text = f"{code}  {page.short_description}" if page else code
            menu.addAction(text, lambda c=code: self.open_code(c))

    def _fill_releases_menu(self) -> None:
        """Every known release; the one shown is checked."""
        self.releasesMenu.clear()
        for release in reversed(self.known_releases or self.store.releases()):
            action = self.releasesMenu.addAction(f"{release.name} ({release.release_date})",
                                                 lambda path=release.path: self.open_database_file(path))
            action.setCheckable(True)
            action.setChecked(release.path.resolve() == self.db_path.resolve())

    # ----- database
    def set_database(self, conn: sqlite3.Connection, db_path: Path) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn, self.db_path = conn, db_path
        self.engine = SearchEngine(conn)
        self.release = release_info(conn)
        self._pages.clear()
        self._histories.clear()
        self.known_releases = self.store.releases()
        for old in self._release_connections:
            old.close()
        self._release_connections = []
        self.detailView.release_name = self.release["name"]
        self.filterBar.set_choices(self.engine)
        counts = f"{self.release['procedures'] + self.release['modifiers']:,} codes"
        self.releaseLabel.setText(f"CMS HCPCS {self.release['name']} ({counts})")
        self.setWindowTitle(f"HCPCS Desktop — CMS HCPCS Level II, {self.release['name']}")
        self.pages.setCurrentIndex(0)
        self.run_search()

    def show_problem(self, problem: str) -> None:
        """The page shown instead of the browser when there is no usable database."""
        self.engine = None
        self.setWindowTitle("HCPCS Desktop — no database")
        self.releaseLabel.setText("No database")
        self.problemView.setHtml(
            f"<h2>HCPCS Desktop has no code set to show yet</h2>"
            f"<p><b>{html.escape(problem)}</b></p>"
            "<h3>Get the code set</h3>"
            "<ol><li>Download the <i>Alpha-Numeric HCPCS File</i> (a .zip) of the current quarter "
            f'from CMS: <a href="{CMS_RELEASES_URL}">{CMS_RELEASES_URL}</a></li>'
            '<li>Choose <a href="action:import"><b>File → Import CMS release…</b></a> (Ctrl+I) and pick '
            "the downloaded .zip, or its ANWEB .txt / .xlsx file.</li></ol>"
            "<p>Or, from a terminal: <tt>hcpcs-desktop build-db PATH/TO/RELEASE.zip</tt></p>"
            '<p>Already have a database file? Choose <a href="action:open"><b>File → Open database…</b></a> '
            "(Ctrl+O).</p>"
        )
        self.pages.setCurrentIndex(1)

    def _problem_link(self, url: QUrl) -> None:
        actions = {"action:import": self.import_release, "action:open": self.choose_database}
        if url.toString() in actions:
            actions[url.toString()]()
        else:
            QDesktopServices.openUrl(url)

    def choose_database(self) -> None:
        # Not the open database's folder: for a bundled database that is inside the app.
        name, _ = QFileDialog.getOpenFileName(self, "Open HCPCS database", str(Path.home()),
                                              "SQLite databases (*.sqlite *.db);;All files (*)")
        if name:
            self.open_database_file(Path(name))

    def open_database_file(self, path: Path) -> bool:
        try:
            conn = open_database(path)
        except DatabaseError as exc:
            QMessageBox.warning(self, "Cannot open database", str(exc))
            return False
        self.set_database(conn, path)
        return True

    def import_release(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import CMS HCPCS release", str(Path.home()),
                                              "CMS release (*.zip *.txt *.xlsx *.xls);;All files (*)")
        if name:
            self.import_release_file(Path(name))

    def import_release_file(self, release: Path) -> bool:
        """Import `release` into the store of releases (atomically) and switch to it."""
        progress = QProgressDialog("Importing release…", None, 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def report(fraction, message):
            progress.setLabelText(message)
            progress.setValue(int(fraction * 100))
            QGuiApplication.processEvents()

        try:
            stored = self.store.import_release(
                release, progress=report, **documents(), bridges=bridge_sources(previous=self.db_path)
            )
        except (ReleaseError, OSError) as exc:
            QMessageBox.warning(self, "Cannot import release", f"{exc}\n\nNothing was changed.")
            return False
        finally:
            progress.close()
        self.open_database_file(stored.path)
        self.statusBar().showMessage(f"Imported {stored.name}; earlier releases stay available", 8000)
        return True

    def show_changes(self) -> None:
        if len(self.known_releases) < 2:
            QMessageBox.information(
                self, "What changed",
                "Only one release is known. Import another (File → Import CMS release…) to compare them.",
            )
            return
        dialog = ChangesDialog(self.known_releases, self)
        dialog.codeChosen.connect(self.open_code)
        dialog.show()

    def history(self, code: str) -> list[str]:
        """The code's history across the known releases (empty with only one release)."""
        if len(self.known_releases) < 2:
            return []
        if code not in self._histories:
            if not self._release_connections:
                self._release_connections = [open_database(r.path) for r in self.known_releases]
            events = code_history(self._release_connections, code)
            self._histories[code] = [event.text for event in events]
        return self._histories[code]

    # ----- searching
    def run_search(self) -> None:
        if self.engine is None:
            return
        text = self.searchBox.text()
        result = self.engine.search(text, self.filterBar.filters(), correct=text != self._uncorrected)
        if result.query.kind == QueryKind.EMPTY:
            result = self.engine.lookup(self.state.favorites + self.state.recent, self.filterBar.filters())
            result.unknown.clear()  # codes of an older release are no news here
            result.hidden.clear()
            result.query = Query(QueryKind.EMPTY)
        self.model.set_result(result, self.engine.fetch_more)
        self.countLabel.setText(self._count_text(result))
        if self.model.rowCount():
            self.resultsView.select_row(0)
            self.resultsView.scrollToTop()
        elif self.navigation.current is None:
            self.detailView.show_page(None)

    def _count_link(self, href: str) -> None:
        """The count line's "exact:TEXT" link: search TEXT as typed, uncorrected."""
        _, _, text = href.partition(":")
        self._uncorrected = text
        if text == self.searchBox.text():
            self.run_search()
        else:
            self.searchBox.setText(text)

    def _count_text(self, result: SearchResult) -> str:
        if result.query.kind == QueryKind.EMPTY:
            hint = "Type a code, a range such as E0100-E0105, a list of codes, or words."
            return f"Favorites and recent codes. {hint}" if result.hits else hint
        parts = [f"{result.total:,} code{'s' if result.total != 1 else ''}" if result.total else "No match"]
        if result.corrections:
            fixed, typed = html.escape(result.corrected_text), html.escape(self.searchBox.text())
            parts.append(f'Showing results for <b>{fixed}</b> — search for <a href="exact:{typed}">{typed}</a> instead')
        if result.ignored:
            parts.append("no code has " + html.escape(", ".join(result.ignored)))
        if result.unknown:
            parts.append("not in this release: " + html.escape(folded(result.unknown)))
        if result.skipped:
            parts.append("skipped: " + html.escape("; ".join(skipped_texts(result.skipped, shown=4))))
        if result.hidden:
            parts.append(html.escape(folded(
                [hidden_text(hit.code, hit.status, hit.termination_date, by) for hit, by in result.hidden], 3)))
        return " · ".join(parts)

    # ----- showing and opening codes
    def _page(self, code: str) -> CodePage | None:
        if self.conn is None:
            return None
        if code not in self._pages:
            page = load_code(self.conn, code)
            if page is None:
                return None
            self._pages[code] = page
        return self._pages[code]

    def show_code(self, code: str, matched: str = "") -> None:
        page = self._page(code)
        if page is not None:
            self.detailView.show_page(page, starred=code in self.state.favorites, history=self.history(code),
                                      matched=matched)

    def current_code(self) -> str | None:
        return self.detailView.page.code if self.detailView.page else None

    def _current_row_changed(self, current, previous) -> None:
        if current.isValid():
            hit = self.model.hit(current.row())
            self.show_code(hit.code, hit.reason)

    def open_current(self) -> None:
        """Enter: the shown code becomes part of the history."""
        code = self.current_code()
        if code:
            self._visit(code)

    def open_code(self, code: str) -> None:
        """Open `code` from a link or a menu: search for it and record the visit."""
        if self._page(code) is None:
            self.statusBar().showMessage(f"{code} is not in this release", 5000)
            return
        self.searchBox.setText(code)
        self.run_search()
        self.show_code(code)
        self._visit(code)

    def _visit(self, code: str) -> None:
        self.navigation.open(code)
        self.state.visited(code)
        self._update_navigation_actions()

    def _go(self, code: str | None) -> None:
        if code:
            row = self.model.row_of(code)
            if row >= 0:
                self.resultsView.select_row(row)
            self.show_code(code, self.model.hit(row).reason if row >= 0 else "")
        self._update_navigation_actions()

    def go_back(self) -> None:
        self._go(self.navigation.back())

    def go_forward(self) -> None:
        self._go(self.navigation.forward())

    def _update_navigation_actions(self) -> None:
        self.backAction.setEnabled(self.navigation.can_go_back())
        self.forwardAction.setEnabled(self.navigation.can_go_forward())

    def toggle_favorite(self) -> None:
        code = self.current_code()
        if not code:
            return
        starred = self.state.toggle_favorite(code)
        self.detailView.starred = starred
        self.detailView.refresh()
        self.statusBar().showMessage(f"{code} {'added to' if starred else 'removed from'} favorites", 4000)

    # ----- copying
    def _selected_hits(self):
        rows = sorted({i.row() for i in self.resultsView.selectionModel().selectedRows()})
        hits = [self.model.hit(r) for r in rows]
        if not hits and self.detailView.page is not None:
            code = self.detailView.page.code
            row = self.model.row_of(code)
            hits = [self.model.hit(row)] if row >= 0 else []
        return hits

    def _copy(self, text: str, what: str) -> None:
        if not text:
            self.statusBar().showMessage("Nothing to copy", 3000)
            return
        QGuiApplication.clipboard().setText(text)
        preview = text if len(text) <= 60 and "\n" not in text else text.splitlines()[0][:57] + "…"
        self.statusBar().showMessage(f'Copied {what}: "{preview}"', 6000)

    def copy_codes(self) -> None:
        hits = self._selected_hits()
        if len(hits) > 1:
            self._copy(copy_text.hits_as_rows(hits), f"{len(hits)} rows")
        elif self.detailView.page:
            self._copy(self.detailView.page.code, "code")

    def copy_long(self) -> None:
        hits = self._selected_hits()
        if len(hits) > 1:
            self._copy(copy_text.hits_long(hits), f"{len(hits)} long descriptions")
        elif self.detailView.page:
            self._copy(self.detailView.page.long_description, "long description")

    def copy_short(self) -> None:
        if self.detailView.page:
            self._copy(self.detailView.page.short_description, "short description")

    def copy_code_and_long(self) -> None:
        if self.detailView.page:
            self._copy(copy_text.code_and_long(self.detailView.page), "code and long description")

    def copy_all_fields(self) -> None:
        if self.detailView.page:
            self._copy(copy_text.all_fields(self.detailView.page), "all fields")

    def copy_field(self, key: str) -> None:
        page = self.detailView.page
        if page:
            self._copy(copy_text.field_line(page, key), page[key].label.lower())

    # ----- keyboard
    def focus_search(self) -> None:
        self.searchBox.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.searchBox.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and watched is self.searchBox:
            # The line edit would take Ctrl+D (delete a character) from the star shortcut.
            if event.keyCombination() == self.starAction.shortcut()[0]:
                return True
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.searchBox:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                    self._move_selection(key)
                    return True
                if key == Qt.Key.Key_Escape:
                    self.searchBox.clear()
                    return True
                if event.matches(QKeySequence.StandardKey.Copy) and not self.searchBox.hasSelectedText():
                    self.copy_codes()
                    return True
            elif watched is self.resultsView:
                if key == Qt.Key.Key_Escape:
                    self.focus_search()
                    return True
                if event.matches(QKeySequence.StandardKey.Copy):
                    self.copy_codes()
                    return True
        return super().eventFilter(watched, event)

    def _move_selection(self, key) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.resultsView.currentIndex().row()
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}[key]
        row = min(max(current + step, 0), rows - 1)
        self.resultsView.select_row(row)

    # ----- view
    def set_show_empty(self, checked: bool) -> None:
        self.detailView.show_empty = checked
        self.detailView.refresh()
        self.state.set_value("showEmpty", checked)

    def zoom(self, step: int | None) -> None:
        level = 0 if step is None else int(self.state.value("zoom", 0)) + step
        level = min(max(level, MIN_ZOOM), MAX_ZOOM)
        self.state.set_value("zoom", level)
        self._apply_zoom(level)

    def _apply_zoom(self, level: int) -> None:
        for widget in (self.resultsView, self.detailView, self.searchBox, self.countLabel):
            font = widget.font()
            font.setPointSizeF(max(self._base_font_size + level, 6))
            widget.setFont(font)

    def show_about(self) -> None:
        AboutDialog(self.release, self).exec()

    # ----- remembering the layout
    def _restore_layout(self) -> None:
        geometry = self.state.value("geometry")
        if geometry:
            self.restoreGeometry(geometry)
        splitter = self.state.value("splitter")
        if splitter:
            self.splitter.restoreState(splitter)
        show_empty = str(self.state.value("showEmpty", "false")).lower() == "true"
        self.showEmptyAction.setChecked(show_empty)
        self.detailView.show_empty = show_empty
        self._apply_zoom(int(self.state.value("zoom", 0)))

    def closeEvent(self, event) -> None:
        self.state.set_value("geometry", self.saveGeometry())
        self.state.set_value("splitter", self.splitter.saveState())
        self.state.settings.sync()
        super().closeEvent(event)
