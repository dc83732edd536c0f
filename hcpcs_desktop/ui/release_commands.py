"""Commands on the release shown: open or choose a database, import a release or a payment file
(on a worker thread, behind a progress dialog, with its report in the banner), the Releases menu,
the newer-release banner and the age line, what changed between releases, and the date of service."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from ..data.locations import CMS_RELEASES_URL
from ..session import ImportOutcome
from ..wording import (
    IMPORT_TITLE,
    IMPORTING,
    STALE_LINK,
    STALE_MONTHS,
    STALE_TEXT,
    import_report_lines,
    import_unopenable_text,
    imported_text,
    newer_release_text,
    no_browser_text,
    older_kept_text,
    payment_import_lines,
    release_age_label,
)

NEWER_CHECK_MS = 250  # after the window is shown: whether the store holds a newer release


def warn(parent, title: str, text: str) -> None:
    """A warning whose `text` (a problem naming files and what they hold) is plain text, whatever
    it holds: Qt reads a message that looks like markup as rich text."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


class ReleaseCommands(QObject):
    """The window's commands on releases; `window` gives the session, the banner and the status bar."""

    _importProgress = Signal(float, str)  # from the import worker, delivered on the window's thread
    _importFinished = Signal(object)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self._importProgress.connect(self._import_progressed)
        self._importFinished.connect(self._import_finished)
        window.banner.switchRequested.connect(self._switch_to_newer)
        window.problemView.anchorClicked.connect(self._problem_link)
        window.staleLabel.linkActivated.connect(lambda url: self.open_web_page(QUrl(url)))
        window.serviceDate.dateChanged.connect(self._service_date_changed)
        window.pane.model.validities_of = self.session.validities

    # ----- the release shown
    def show_release(self, release: dict | None) -> None:
        """The status bar's release line and its age (`release` None: no database); the banner's
        word on a newer release comes once the window is drawn."""
        window = self.window
        if release is None:
            window.releaseLabel.say("No database")
            window.staleLabel.clear()
            window.banner.clear()
            return
        months = self.session.release_age()
        stale = months > STALE_MONTHS
        window.releaseLabel.say(release_age_label(release, months))
        window.staleLabel.setText(f'<small>{STALE_TEXT} <a href="{CMS_RELEASES_URL}">{STALE_LINK}</a></small>'
                                  if stale else "")
        window.staleLabel.setToolTip(CMS_RELEASES_URL if stale else "")

    def check_newer_later(self) -> None:
        self.window.banner.set_newer("", "")  # said of the release shown before, if anything
        # Reading the other releases (the store, each database's release row) waits until the
        # window is drawn and typing has started: the start-up does not pay for it.
        QTimer.singleShot(NEWER_CHECK_MS, self._show_newer_release)

    def _show_newer_release(self) -> None:
        """The banner says when the store holds a release newer than the one shown."""
        newer = self.session.newer_release() if self.session.problem is None else None
        self.window.banner.set_newer(newer_release_text(newer.name, self.session.release["name"]) if newer else "",
                                     newer.name if newer else "")

    def _switch_to_newer(self) -> None:
        newer = self.session.newer_release()
        if newer is not None:
            self.open_database_file(newer.path)

    def fill_releases_menu(self) -> None:
        """Every known release with a database of its own (those carried inside one are compared
        and dated, not opened); the one shown is checked."""
        menu = self.window.releasesMenu
        menu.clear()
        for release in reversed([r for r in self.session.releases() if not r.carried]):
            action = menu.addAction(f"{release.name} ({release.release_date})",
                                    lambda path=release.path: self.open_database_file(path))
            action.setCheckable(True)
            action.setChecked(self.session.shows(release))

    def _problem_link(self, url: QUrl) -> None:
        actions = {"action:import": self.import_release, "action:open": self.choose_database}
        if url.toString() in actions:
            actions[url.toString()]()
        else:
            self.open_web_page(url)

    def open_web_page(self, url: QUrl) -> None:
        """Open `url` in the web browser; without one, copy the address and say so."""
        if not QDesktopServices.openUrl(url):
            QGuiApplication.clipboard().setText(url.toString())
            self.window.statusBar().showMessage(no_browser_text(url.toString()), 15000)

    # ----- opening and importing
    def choose_database(self) -> None:
        # Not the open database's folder: for a bundled database that is inside the app.
        name, _ = QFileDialog.getOpenFileName(self.window, "Open HCPCS database", str(Path.home()),
                                              "SQLite databases (*.sqlite *.db);;All files (*)")
        if name:
            self.open_database_file(Path(name))

    def open_database_file(self, path: Path) -> bool:
        """Show the database at `path`; if it cannot be opened, say so and keep what is shown."""
        problem = self.session.switch(path)
        if problem:
            warn(self.window, "Cannot open database", problem)
            return False
        self.window.banner.set_report([])
        self.window.show_session()
        return True

    def import_release(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import CMS HCPCS release or Medicare payment file",
                                              str(Path.home()),
                                              "CMS release or payment file (*.zip *.txt *.xlsx *.xls *.csv);;"
                                              "All files (*)")
        if name:
            self.import_release_file(Path(name))

    def import_release_file(self, release: Path) -> bool:
        """Import `release` into the store of releases and switch to it; True when it is shown.
        A release older than the one shown is stored and the newer one stays shown, the bar
        saying where the older one is. A Medicare payment file is added to every stored release
        instead, and the release shown is read again. A failure is a dialog, and the release
        shown stays.

        The work runs on a worker thread beside a progress window that blocks nothing: the coder
        goes on searching and reading codes; only what would change the release shown waits."""
        window = self.window
        waiting = (window.importAction, window.openAction, window.releasesMenu.menuAction(), window.changesAction)
        for action in waiting:
            action.setEnabled(False)
        self._progress = QProgressDialog(IMPORTING, None, 0, 100, window)
        self._progress.setWindowTitle(IMPORT_TITLE)
        self._progress.setWindowModality(Qt.WindowModality.NonModal)
        # It takes no keyboard when it appears: the coder types on in the window behind it.
        self._progress.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._progress.setMinimumWidth(self._progress.fontMetrics().averageCharWidth() * 60)  # never cut short
        self._progress.setMinimumDuration(0)
        self._import_loop, self._import_outcome = QEventLoop(), None
        try:
            self.session.start_import(release, self._importProgress.emit, self._importFinished.emit)
            self._import_loop.exec()
        finally:
            self._progress.close()
            for action in waiting:
                action.setEnabled(True)
        outcome: ImportOutcome = self._import_outcome
        if outcome.payment:
            return self._payment_imported(outcome.payment)
        if outcome.stored is None:
            warn(window, "Cannot import release", outcome.problem)
            return False
        shown = self.session.release if self.session.problem is None else {}
        if shown and outcome.stored.release_date < shown["release_date"]:
            self.session.forget_releases()
            window.banner.set_report([*import_report_lines(outcome.stored),
                                      older_kept_text(outcome.stored, shown["name"])])
            window.statusBar().showMessage(imported_text(outcome.stored.name), 8000)
            return False
        problem = self.session.switch(outcome.stored.path)
        if problem:
            warn(window, "Cannot import release", import_unopenable_text(outcome.stored.name, problem))
            return False
        window.show_session()
        window.banner.set_report(import_report_lines(outcome.stored))
        window.statusBar().showMessage(imported_text(outcome.stored.name), 8000)
        return True

    def _payment_imported(self, added: list) -> bool:
        """A payment file was added: read the release shown again (its file was replaced)."""
        window = self.window
        if self.session.db_path is not None and self.session.problem is None:
            problem = self.session.open(self.session.db_path)
            if problem:
                warn(window, "Cannot open database", problem)
            window.show_session()
        window.banner.set_report(payment_import_lines(added))
        window.statusBar().showMessage(payment_import_lines(added)[0], 8000)
        return True

    def _import_progressed(self, fraction: float, message: str) -> None:
        self._progress.setLabelText(message)
        self._progress.setValue(int(fraction * 100))

    def _import_finished(self, outcome: ImportOutcome) -> None:
        self._import_outcome = outcome
        self._import_loop.quit()

    def show_changes(self) -> None:
        from .changes_dialog import ChangesDialog
        from .placing import place_beside

        releases = self.session.releases()
        if len(releases) < 2:
            QMessageBox.information(
                self.window, "What changed",
                "Only one release is known. Import another (File → Import CMS release…) to compare them.",
            )
            return
        dialog = ChangesDialog(releases, self.window)
        dialog.codeChosen.connect(self.window.open_code)
        place_beside(dialog, self.window, self.window.detailPane)
        dialog.show()

    # ----- the date of service
    def focus_service_date(self) -> None:
        edit = self.window.serviceDate.edit
        edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        edit.selectAll()

    def _service_date_changed(self, date) -> None:
        self.session.service_date = date
        pane = self.window.pane
        pane.model.set_date(date)  # each row says whether its code was valid then
        pane.resultsView.fit_columns()
        self.window.detailView.refresh()
