"""The main window: the search pane and the detail pane side by side, the menus, and the
page that says why there is no database. What it shows comes from a `Session`.

The window builds the widgets and the menus (from `actions`) and wires them; the commands live
in small controllers it holds: `codes` (code_commands), `releases` (release_commands), `payment`
(payment_links), `view` (view_commands) and `codeMenus` (code_menus)."""

from __future__ import annotations

import gc
from operator import attrgetter

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..session import Session
from ..wording import favorite_text, not_saved_text
from .actions import ACTIONS, MENUS, Command
from .code_commands import CodeCommands
from .code_menus import CodeMenus
from .code_page_html import problem_html
from .detail_view import DetailView
from .elided_label import ElidedLabel
from .focus_frame import FocusFrame
from .legible_colors import legible_link
from .navigation import Navigation
from .page_find import PageFind
from .payment_links import PaymentLinks
from .release_banner import ReleaseBanner
from .release_commands import ReleaseCommands
from .search_pane import SearchPane
from .service_date_field import ServiceDateField
from .units_line import UnitsLine
from .user_state import UserState
from .view_commands import ViewCommands


DEFAULT_SIZE = (1180, 760)
READ_AHEAD_MS = 200  # after a release is shown and the search box rests this long, the first page's needs are read


class MainWindow(QMainWindow):
    """One window on the session's release (or on a page that says why there is none)."""

    def __init__(self, session: Session, state: UserState):
        super().__init__()
        self.session, self.state = session, state
        self.navigation = Navigation()

        self.pane = SearchPane(session)
        self.detailView = DetailView()
        self.detailView.view_of = session.code_view
        self.unitsLine = UnitsLine()
        self.unitsLine.escape_leaves = True
        self.unitsLine.setVisible(False)
        self.detailPane = detail = QWidget(objectName="detailPane")  # the units line and the code page
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.unitsLine)
        detail_layout.addWidget(FocusFrame(self.detailView), 1)
        self.pageFind = PageFind(self.detailView)
        detail_layout.addWidget(self.pageFind)
        self.detailView.findRequested.connect(self.pageFind.open)
        # A damaged page met while searching or reading a code: the problem page, after the read.
        session.on_problem = lambda: QTimer.singleShot(0, self.show_session)
        self.splitter = QSplitter(objectName="splitter")
        self.splitter.addWidget(self.pane)
        self.splitter.addWidget(detail)
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
        self.releaseLabel = ElidedLabel("releaseLabel")  # cut, not clipped, at a large zoom
        self.staleLabel = QLabel(objectName="staleLabel")
        self.statusBar().addPermanentWidget(self.staleLabel)
        self.statusBar().addPermanentWidget(self.releaseLabel)
        self.codes = CodeCommands(self)
        self.releases = ReleaseCommands(self)
        self.payment = PaymentLinks(self)
        self.view = ViewCommands(self)
        self.codeMenus = CodeMenus(self)
        self._build_menus()
        self._fit_to_screen()

        self._readAhead = QTimer(self, singleShot=True, interval=READ_AHEAD_MS)
        self._readAhead.timeout.connect(self._read_ahead)
        # Typing puts the read-ahead off: it never lands between two keys.
        self.pane.searchBox.textChanged.connect(
            lambda: self._readAhead.start() if self._readAhead.isActive() else None)
        self.pane.currentCodeChanged.connect(self.show_current)
        self.pane.codeActivated.connect(self._visit)
        self.pane.copyRequested.connect(self.codes.copy_codes)
        self.pane.resultsView.painted.connect(self.detailView.after_frame)
        self.detailView.rendering.connect(self.payment.page_rendering)
        self.pane.passed_keys = [self.starAction.shortcut()[0]]
        self.unitsLine.passed_keys = self.pane.passed_keys
        self.detailView.copyRequested.connect(self.codes.copy_field)
        self.detailView.codeRequested.connect(self.open_code)
        self.detailView.starRequested.connect(lambda code: self.toggle_favorite())
        self.detailView.linkRequested.connect(self.codes.page_link)
        self.pane.remember_searches(lambda: self.session.searches.searches,
                                    lambda text: self.save(lambda: self.session.searched(text), "searches"))
        self.detailView.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.detailView.anchorClicked.connect(self.payment.payment_link)
        self.unitsLine.left.connect(self.focus_search)
        self.pane.send_keys_from(self.detailView)
        self.pane.reset_keys = self.resetFiltersAction.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        # Tab: search box → results → code page → the filters.
        QWidget.setTabOrder(self.pane.resultsView, self.detailView)
        QWidget.setTabOrder(self.detailView, self.pane.filterBar.sectionBox)
        # The mouse's back and forward buttons, over the lists that would take the press for themselves.
        for viewport in (self.pane.resultsView.viewport(), self.detailView.viewport()):
            viewport.installEventFilter(self)
        self._legible_links()
        self._restore_layout()
        self.show_session()
        self.tell_notices()

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
            action.triggered.connect(attrgetter(entry.slot)(self))
            menu.addAction(action)
            setattr(self, entry.name, action)
            if entry.on_codes:
                self.pane.resultsView.addAction(action)
                self.detailView.addAction(action)
            if entry.every_window:
                action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        # Ctrl+C in the search box and the detail pane copies their selected text first:
        # the search pane decides, so the action itself must not grab the key.
        self.copyCodeAction.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.releasesMenu.aboutToShow.connect(self.releases.fill_releases_menu)
        self.favoritesMenu.aboutToShow.connect(self.codeMenus.fill_favorites_menu)
        self.recentMenu.aboutToShow.connect(self.codeMenus.fill_recent_menu)
        self.searchesMenu.aboutToShow.connect(self.codeMenus.fill_searches_menu)
        self._update_navigation_actions()

    # ----- the release shown
    def show_session(self) -> None:
        """Show what the session has open, or the page that says why nothing is."""
        release = self.session.release
        if self.session.problem:
            self.setWindowTitle("HCPCS Desktop — no database")
            self.releases.show_release(None)
            self.problemView.setHtml(problem_html(self.session.problem))
            self.pages.setCurrentWidget(self.problemView)
            return
        self.detailView.release_name = release["name"]
        self.releases.show_release(release)
        self.setWindowTitle(f"HCPCS Desktop — CMS HCPCS Level II, {release['name']} release")
        self.pages.setCurrentWidget(self.splitter)
        self.session.guarded(self.pane.session_changed)  # the filter values are read here
        if self.session.problem:
            return
        self.releases.check_newer_later()
        self._readAhead.start()
        self._keep_collector_off_the_release()

    def _read_ahead(self) -> None:
        """Once the window is drawn and the search box has rested a moment: the first code's page
        then comes as fast as the next ones, and what was read for it stays out of full garbage
        collections too."""
        self.session.read_ahead()
        gc.freeze()

    @staticmethod
    def _keep_collector_off_the_release() -> None:
        """Set aside what the open release and the window hold for as long as they are shown.

        Python's full garbage collection walks every object; with a release's vocabulary loaded that
        took 40-60 ms, and it came whenever a search made many objects (a keystroke that matched
        thousands of codes). Frozen objects are not walked; the previous release's are collected
        first, when another release opens (the first release opened has none: the start-up does not
        wait for a walk over everything it has imported)."""
        if gc.get_freeze_count():
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def show_shortcuts(self) -> None:
        from .placing import fit_on_screen
        from .shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        fit_on_screen(dialog, self)
        dialog.show()

    def show_claim_lines(self) -> None:
        """The Check claim lines window (one: asked again, it comes to the front)."""
        from .claim_lines_dialog import ClaimLinesDialog
        from .placing import place_beside

        dialog = self.findChild(ClaimLinesDialog)
        if dialog is None:
            dialog = ClaimLinesDialog(self.session, self.state, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.codeChosen.connect(self.open_code)
            dialog.stateChosen.connect(self.payment.choose_payment_state)
            place_beside(dialog, self, self.detailPane)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def show_about(self) -> None:
        from .about_dialog import AboutDialog

        AboutDialog(self.session.release, self, self.session.db_path).exec()

    # ----- the code shown
    def show_current(self, code: str | None) -> None:
        """The pane's current code goes to the detail pane (None: the welcome page)."""
        page = self.session.page(code) if code else None
        hit = self.pane.current_hit() if page else None
        if page is None or page is not self.detailView.page:
            self.payment.all_ndcs = self.payment.all_states = False
        self.detailView.show_page(page, starred=code in self.state.favorites, matched=hit.reason if hit else "",
                                  modifiers=self.pane.modifiers_typed(code) if page else ())

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
        self.save(lambda: self.session.visited(code), "recent codes")
        self._update_navigation_actions()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._reread_user_files()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._legible_links()

    @staticmethod
    def _legible_links() -> None:
        """Links (field labels, copy icons, the status bar's) in a blue that reads on the background: a
        dark theme may keep Qt's own dark blue. Qt colours a page's links from the application's palette."""
        palette = QApplication.palette()
        link = legible_link(palette)
        if link != palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Link):
            palette.setColor(QPalette.ColorRole.Link, link)
            QApplication.setPalette(palette)

    def _reread_user_files(self) -> None:
        """Back in this window: a star or a note made in another one is shown here too."""
        code = self.current_code()
        said = lambda: (code in self.state.favorites, self.session.notes.get(code),  # noqa: E731
                        self.session.codes.lists.get(code, ""))
        before = said() if code else None
        self.session.reread_user_files()
        self.tell_notices()
        if code and said() != before:
            self.show_current(code)
            self.detailView.refresh()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress and self._mouse_back_forward(event):
            return True
        return super().eventFilter(watched, event)

    def mousePressEvent(self, event) -> None:
        if not self._mouse_back_forward(event):
            super().mousePressEvent(event)

    def _mouse_back_forward(self, event) -> bool:
        """The mouse's back and forward buttons go back and forward, as in a web browser."""
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
        elif event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
        else:
            return False
        return True

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
        if code and self.save(lambda: self.session.toggle_favorite(code), "favorites"):
            starred = code in self.state.favorites
            self.show_current(code)
            self.statusBar().showMessage(favorite_text(code, starred), 4000)

    def save(self, change, what: str) -> bool:
        """Run `change` of the coder's codes; if it could not be saved, say so."""
        try:
            change()
        except OSError as exc:
            self.statusBar().showMessage(not_saved_text(what, exc), 10000)
            return False
        finally:
            self.tell_notices()
        return True

    def tell_notices(self) -> None:
        """Say in the banner, once, what became of a file of the coder's that could not be read."""
        notices = self.session.notices()
        if notices:
            self.banner.add_report(notices)

    def search_for(self, text: str) -> None:
        """Search `text` as if typed, kept among the searches."""
        self.pane.searchBox.setText(text)
        self.pane.focus_search()
        self.save(lambda: self.session.searched(text), "searches")

    # ----- view
    def focus_search(self) -> None:
        self.pane.focus_search()

    def reset_filters(self) -> None:
        self.pane.filterBar.reset()

    def _fit_to_screen(self) -> None:
        """The default size: 1180×760, or nine tenths of a smaller screen (as it is at a scale factor)."""
        screen = self.screen().availableGeometry()
        self.resize(min(DEFAULT_SIZE[0], int(screen.width() * 0.9)), min(DEFAULT_SIZE[1], int(screen.height() * 0.9)))

    # ----- remembering the layout
    def _restore_layout(self) -> None:
        geometry = self.state.layout("geometry")
        if geometry is not None and not self.restoreGeometry(geometry):
            self.state.drop("geometry")
        splitter = self.state.layout("splitter")
        if splitter is not None and not self.splitter.restoreState(splitter):
            self.state.drop("splitter")
        columns = self.state.layout("columns")
        if columns is not None and not self.pane.resultsView.restore_columns(columns):
            self.state.drop("columns")
        show_empty = self.state.show_empty()
        self.showEmptyAction.setChecked(show_empty)
        self.detailView.show_empty = show_empty
        self.view.apply_zoom(self.state.zoom())

    def closeEvent(self, event) -> None:
        self.state.set_layout("geometry", self.saveGeometry())
        self.state.set_layout("splitter", self.splitter.saveState())
        self.state.set_layout("columns", self.pane.resultsView.header().saveState())
        self.state.settings.sync()
        super().closeEvent(event)
