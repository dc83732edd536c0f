"""The main window: the search pane and the detail pane side by side, the menus, and the
page that says why there is no database. What it shows comes from a `Session`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..session import ImportOutcome, Session
from ..data.locations import CMS_RELEASES_URL
from ..wording import (
    STALE_LINK,
    STALE_MONTHS,
    STALE_TEXT,
    date_of_service_text,
    favorite_text,
    import_report_lines,
    import_unopenable_text,
    imported_text,
    newer_release_text,
    not_saved_text,
    payment_import_lines,
    release_age_label,
)
from . import copy_text
from .about_dialog import AboutDialog
from .actions import ACTIONS, MENUS, Command
from .code_page_html import problem_html
from .detail_view import DetailView
from .navigation import Navigation
from .release_banner import ReleaseBanner
from .search_pane import SearchPane
from .service_date_field import ServiceDateField
from .user_state import UserState


NEWER_CHECK_MS = 250  # after the window is shown: whether the store holds a newer release


class MainWindow(QMainWindow):
    """One window on the session's release (or on a page that says why there is none)."""

    _importProgress = Signal(float, str)  # from the import worker, delivered on the window's thread
    _importFinished = Signal(object)

    def __init__(self, session: Session, state: UserState):
        super().__init__()
        self.session, self.state = session, state
        self.navigation = Navigation()
        self._base_font_size = self.font().pointSizeF()

        self.pane = SearchPane(session)
        self.detailView = DetailView()
        self.detailView.history_of = session.history
        self.detailView.service_date_of = self._service_date_line
        # A damaged page met while searching or reading a code: the problem page, after the read.
        session.on_problem = lambda: QTimer.singleShot(0, self.show_session)
        self.splitter = QSplitter(objectName="splitter")
        self.splitter.addWidget(self.pane)
        self.splitter.addWidget(self.detailView)
        self.splitter.setContentsMargins(6, 6, 6, 0)
        self.splitter.setSizes([640, 520])
        self.problemView = QTextBrowser(objectName="problemView", openLinks=False)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.problemView)
        self.banner = ReleaseBanner()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(6, 6, 6, 0)
        column.setSpacing(4)
        column.addWidget(self.banner)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.serviceDate = ServiceDateField()
        self.toolBar = QToolBar("Date of service", objectName="serviceDateBar", movable=False)
        self.toolBar.addWidget(self.serviceDate)
        self.addToolBar(self.toolBar)
        self.releaseLabel = QLabel(objectName="releaseLabel")
        self.staleLabel = QLabel(objectName="staleLabel", openExternalLinks=True)
        self.statusBar().addPermanentWidget(self.staleLabel)
        self.statusBar().addPermanentWidget(self.releaseLabel)
        self.resize(1180, 760)
        self._build_menus()

        self.pane.currentCodeChanged.connect(self._show_current)
        self.pane.codeActivated.connect(self._visit)
        self.pane.copyRequested.connect(self.copy_codes)
        self.pane.resultsView.painted.connect(self.detailView.after_frame)
        self.pane.passed_keys = [self.starAction.shortcut()[0]]
        self.detailView.copyRequested.connect(self.copy_field)
        self.detailView.codeRequested.connect(self.open_code)
        self.detailView.starRequested.connect(lambda code: self.toggle_favorite())
        self.detailView.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.problemView.anchorClicked.connect(self._problem_link)
        self._importProgress.connect(self._import_progressed)
        self._importFinished.connect(self._import_finished)
        self.banner.switchRequested.connect(self._switch_to_newer)
        self.serviceDate.dateChanged.connect(self._service_date_changed)
        self.serviceDate.refused.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self._restore_layout()
        self.show_session()

    # ----- menus
    def _build_menus(self) -> None:
        menus = {title: self.menuBar().addMenu(title) for title in MENUS}
        for entry in ACTIONS:
            menu = menus[entry.menu]
            if entry.separator_before:
                menu.addSeparator()
            if not isinstance(entry, Command):
                setattr(self, entry.name, menu.addMenu(entry.text))
                continue
            action = QAction(entry.text, self, checkable=entry.checkable)
            action.setShortcuts([QKeySequence(s) for s in entry.shortcuts])
            action.triggered.connect(getattr(self, entry.slot))
            menu.addAction(action)
            setattr(self, entry.name, action)
            if entry.on_codes:
                self.pane.resultsView.addAction(action)
                self.detailView.addAction(action)
        # Ctrl+C in the search box and the detail pane copies their selected text first:
        # the search pane decides, so the action itself must not grab the key.
        self.copyCodeAction.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.releasesMenu.aboutToShow.connect(self._fill_releases_menu)
        self.favoritesMenu.aboutToShow.connect(lambda: self._fill_codes_menu(self.favoritesMenu, self.state.favorites))
        self.recentMenu.aboutToShow.connect(lambda: self._fill_codes_menu(self.recentMenu, self.state.recent))
        self._update_navigation_actions()

    def _fill_codes_menu(self, menu, codes) -> None:
        menu.clear()
        if not codes:
            menu.addAction("(none yet)").setEnabled(False)
        for code in codes:
            page = self.session.page(code)
            menu.addAction(f"{code}  {page.short_description}" if page else code, lambda c=code: self.open_code(c))

    def _fill_releases_menu(self) -> None:
        """Every known release; the one shown is checked."""
        self.releasesMenu.clear()
        for release in reversed(self.session.releases()):
            action = self.releasesMenu.addAction(f"{release.name} ({release.release_date})",
                                                 lambda path=release.path: self.open_database_file(path))
            action.setCheckable(True)
            action.setChecked(self.session.shows(release))

    # ----- the release shown
    def show_session(self) -> None:
        """Show what the session has open, or the page that says why nothing is."""
        release = self.session.release
        if self.session.problem:
            self.setWindowTitle("HCPCS Desktop — no database")
            self.releaseLabel.setText("No database")
            self.staleLabel.clear()
            self.banner.clear()
            self.problemView.setHtml(problem_html(self.session.problem))
            self.pages.setCurrentWidget(self.problemView)
            return
        self.detailView.release_name = release["name"]
        months = self.session.release_age()
        self.releaseLabel.setText(release_age_label(release, months))
        self.staleLabel.setText(f'<small>{STALE_TEXT} <a href="{CMS_RELEASES_URL}">{STALE_LINK}</a></small>'
                                if months > STALE_MONTHS else "")
        self.staleLabel.setToolTip(CMS_RELEASES_URL if months > STALE_MONTHS else "")
        self.setWindowTitle(f"HCPCS Desktop — CMS HCPCS Level II, {release['name']} release")
        self.pages.setCurrentWidget(self.splitter)
        self.session.guarded(self.pane.session_changed)  # the filter values are read here
        if self.session.problem:
            return
        self.banner.set_newer("", "")  # said of the release shown before, if anything
        # Reading the other releases (the store, each database's release row) waits until the
        # window is drawn and typing has started: the start-up does not pay for it.
        QTimer.singleShot(NEWER_CHECK_MS, self._show_newer_release)

    def _show_newer_release(self) -> None:
        """The banner says when the store holds a release newer than the one shown."""
        newer = self.session.newer_release() if self.session.problem is None else None
        self.banner.set_newer(newer_release_text(newer.name, self.session.release["name"]) if newer else "",
                              newer.name if newer else "")

    def _switch_to_newer(self) -> None:
        newer = self.session.newer_release()
        if newer is not None:
            self.open_database_file(newer.path)

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
        """Show the database at `path`; if it cannot be opened, say so and keep what is shown."""
        problem = self.session.switch(path)
        if problem:
            QMessageBox.warning(self, "Cannot open database", problem)
            return False
        self.banner.set_report([])
        self.show_session()
        return True

    def import_release(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import CMS HCPCS release or Medicare payment file",
                                              str(Path.home()),
                                              "CMS release or payment file (*.zip *.txt *.xlsx *.xls *.csv);;"
                                              "All files (*)")
        if name:
            self.import_release_file(Path(name))

    def import_release_file(self, release: Path) -> bool:
        """Import `release` into the store of releases and switch to it; True when it is shown.
        A Medicare payment file is added to every stored release instead, and the release shown
        is read again. A failure is a dialog, and the release shown stays.

        The work runs on a worker thread; the window stays drawn behind a progress dialog."""
        self._progress = QProgressDialog("Importing release…", None, 0, 100, self)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(0)
        self._import_loop, self._import_outcome = QEventLoop(), None
        self.session.start_import(release, self._importProgress.emit, self._importFinished.emit)
        self._import_loop.exec()
        self._progress.close()
        outcome: ImportOutcome = self._import_outcome
        if outcome.payment:
            return self._payment_imported(outcome.payment)
        if outcome.stored is None:
            QMessageBox.warning(self, "Cannot import release", outcome.problem)
            return False
        problem = self.session.switch(outcome.stored.path)
        if problem:
            QMessageBox.warning(self, "Cannot import release", import_unopenable_text(outcome.stored.name, problem))
            return False
        self.show_session()
        self.banner.set_report(import_report_lines(outcome.stored))
        self.statusBar().showMessage(imported_text(outcome.stored.name), 8000)
        return True

    def _payment_imported(self, added: list) -> bool:
        """A payment file was added: read the release shown again (its file was replaced)."""
        if self.session.db_path is not None and self.session.problem is None:
            problem = self.session.open(self.session.db_path)
            if problem:
                QMessageBox.warning(self, "Cannot open database", problem)
            self.show_session()
        self.banner.set_report(payment_import_lines(added))
        self.statusBar().showMessage(payment_import_lines(added)[0], 8000)
        return True

    def _import_progressed(self, fraction: float, message: str) -> None:
        self._progress.setLabelText(message)
        self._progress.setValue(int(fraction * 100))

    def _import_finished(self, outcome: ImportOutcome) -> None:
        self._import_outcome = outcome
        self._import_loop.quit()

    def show_changes(self) -> None:
        from .changes_dialog import ChangesDialog

        releases = self.session.releases()
        if len(releases) < 2:
            QMessageBox.information(
                self, "What changed",
                "Only one release is known. Import another (File → Import CMS release…) to compare them.",
            )
            return
        dialog = ChangesDialog(releases, self)
        dialog.codeChosen.connect(self.open_code)
        dialog.show()

    def show_about(self) -> None:
        AboutDialog(self.session.release, self, self.session.db_path).exec()

    # ----- the date of service
    def focus_service_date(self) -> None:
        self.serviceDate.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.serviceDate.edit.selectAll()

    def _service_date_changed(self, date) -> None:
        self.session.service_date = date
        self.detailView.refresh()

    def _service_date_line(self, code: str) -> str:
        """What the detail pane says of `code` on the date of service entered ("" when none)."""
        facts = self.session.validity(code)
        return date_of_service_text(facts) if facts else ""

    # ----- the code shown
    def _show_current(self, code: str | None) -> None:
        """The pane's current code goes to the detail pane (None: the welcome page)."""
        page = self.session.page(code) if code else None
        hit = self.pane.current_hit() if page else None
        self.detailView.show_page(page, starred=code in self.state.favorites,
                                  matched=hit.reason if hit else "")

    def current_code(self) -> str | None:
        return self.detailView.page.code if self.detailView.page else None

    def open_code(self, code: str) -> None:
        """Open `code` from a link or a menu: list it, show it and record the visit."""
        if self.session.page(code) is None:
            self.statusBar().showMessage(f"{code} is not in this release", 5000)
            return
        self.pane.show_code(code)
        self._visit(code)

    def _visit(self, code: str) -> None:
        self.navigation.open(code)
        self._save(lambda: self.session.visited(code), "recent codes")
        self._update_navigation_actions()

    def go_back(self) -> None:
        self._go(self.navigation.back())

    def go_forward(self) -> None:
        self._go(self.navigation.forward())

    def _go(self, code: str | None) -> None:
        if code:
            self.pane.show_code(code)
        self._update_navigation_actions()

    def _update_navigation_actions(self) -> None:
        self.backAction.setEnabled(self.navigation.can_go_back())
        self.forwardAction.setEnabled(self.navigation.can_go_forward())

    def toggle_favorite(self) -> None:
        code = self.current_code()
        if code and self._save(lambda: self.session.toggle_favorite(code), "favorites"):
            starred = code in self.state.favorites
            self._show_current(code)
            self.statusBar().showMessage(favorite_text(code, starred), 4000)

    def _save(self, change, what: str) -> bool:
        """Run `change` of the coder's codes; if it could not be saved, say so."""
        try:
            change()
        except OSError as exc:
            self.statusBar().showMessage(not_saved_text(what, exc), 10000)
            return False
        return True

    # ----- copying
    def _copy(self, command) -> None:
        text, what = command(self.pane.selected_hits(), self.detailView.page)
        if not text:
            self.statusBar().showMessage("Nothing to copy", 3000)
            return
        QGuiApplication.clipboard().setText(text)
        preview = text if len(text) <= 60 and "\n" not in text else text.splitlines()[0][:57] + "…"
        self.statusBar().showMessage(f'Copied {what}: "{preview}"', 6000)

    def copy_codes(self) -> None:
        self._copy(copy_text.copy_codes)

    def copy_long(self) -> None:
        self._copy(copy_text.copy_long)

    def copy_short(self) -> None:
        self._copy(copy_text.copy_short)

    def copy_code_and_long(self) -> None:
        self._copy(copy_text.copy_code_and_long)

    def copy_all_fields(self) -> None:
        self._copy(copy_text.copy_all_fields)

    def copy_field(self, key: str) -> None:
        page = self.detailView.page
        if page:
            self._copy(lambda hits, page: (copy_text.field_line(page, key), page[key].label.lower()))

    # ----- view
    def focus_search(self) -> None:
        self.pane.focus_search()

    def set_show_empty(self, checked: bool) -> None:
        self.detailView.show_empty = checked
        self.detailView.refresh()
        self.state.set_show_empty(checked)

    def zoom_in(self) -> None:
        self._apply_zoom(self.state.set_zoom(self.state.zoom() + 1))

    def zoom_out(self) -> None:
        self._apply_zoom(self.state.set_zoom(self.state.zoom() - 1))

    def reset_zoom(self) -> None:
        self._apply_zoom(self.state.set_zoom(0))

    def _apply_zoom(self, level: int) -> None:
        for widget in (self.pane.resultsView, self.detailView, self.pane.searchBox, self.pane.countLabel):
            font = widget.font()
            font.setPointSizeF(max(self._base_font_size + level, 6))
            widget.setFont(font)

    # ----- remembering the layout
    def _restore_layout(self) -> None:
        geometry = self.state.layout("geometry")
        if geometry is not None and not self.restoreGeometry(geometry):
            self.state.drop("geometry")
        splitter = self.state.layout("splitter")
        if splitter is not None and not self.splitter.restoreState(splitter):
            self.state.drop("splitter")
        show_empty = self.state.show_empty()
        self.showEmptyAction.setChecked(show_empty)
        self.detailView.show_empty = show_empty
        self._apply_zoom(self.state.zoom())

    def closeEvent(self, event) -> None:
        self.state.set_layout("geometry", self.saveGeometry())
        self.state.set_layout("splitter", self.splitter.saveState())
        self.state.settings.sync()
        super().closeEvent(event)
