"""The Check claim lines window: claim lines pasted or typed, each checked against the open release
and its payment files (`claim_checks`), one row per line with its verdict and reasons.

The state (for DMEPOS fees) is the one the code page prices by, and the MUE setting is remembered:
both are chosen once. Lines are checked a slice at a time between events (`ClaimLinesModel`), so
10,000 pasted lines leave the window answering keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import claim_wording as say
from ..claim_checks import SETTINGS
from ..claim_lines import read_lines
from ..search.query import PROCEDURE
from ..wording import setting_name
from .claim_lines_model import AMOUNT, CODE, DATE, HEADERS, LINE, MODIFIERS, NDC, PASTED, REASONS, UNITS, \
    VERDICT, ClaimLinesModel, results_text
from .user_state import STATES, state_label

OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TYPING_PAUSE_MS = 250  # the lines are checked once typing rests this long (a paste: at once)


class ClaimLinesDialog(QDialog):
    """Paste claim lines, read each one's verdict and reasons; a click or Enter on a line emits
    `codeChosen` with its code, a state chosen emits `stateChosen`.

    `session` makes the checker (`Session.line_checker`); `state` (a UserState) remembers the state
    and the setting."""

    codeChosen = Signal(str)
    stateChosen = Signal(str)

    def __init__(self, session, state, parent=None):
        super().__init__(parent)
        self.setObjectName("claimLinesDialog")
        self.setWindowTitle(say.WINDOW_TITLE)
        self.session, self.state = session, state
        self.model = ClaimLinesModel(self)

        self.stateBox = QComboBox(objectName="claimStateBox")
        chosen = state.payment_state()
        if not chosen:
            self.stateBox.addItem(say.NONE_CHOSEN, "")
        for code in sorted(STATES, key=STATES.get):
            self.stateBox.addItem(state_label(code), code)
        self.stateBox.setCurrentIndex(self.stateBox.findData(chosen))
        self.settingBox = QComboBox(objectName="claimSettingBox")
        for key, setting in SETTINGS.items():
            self.settingBox.addItem(setting_name(setting), key)
        self.settingBox.setCurrentIndex(self.settingBox.findData(state.claim_setting()))
        self.copyButton = QPushButton("Copy &results", objectName="claimCopyButton", autoDefault=False)
        self.linesEdit = QPlainTextEdit(objectName="claimLinesEdit")
        self.linesEdit.setPlaceholderText(say.PASTE_HINT)
        self.linesEdit.setTabChangesFocus(True)
        self.linesEdit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.linesEdit.setAccessibleName("Claim lines")
        self.summaryLabel = QLabel(objectName="claimSummary", textFormat=Qt.TextFormat.PlainText)
        self.summaryLabel.setWordWrap(True)
        self.view = QTableView(objectName="claimResultsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(REASONS, QHeaderView.ResizeMode.Stretch)
        self._fit_columns()
        for column in (NDC, PASTED):  # in the line's reasons below and in what is copied; the reasons need the room
            self.view.setColumnHidden(column, True)
        self.reasonsLabel = QLabel(objectName="claimReasons", textFormat=Qt.TextFormat.PlainText)
        self.reasonsLabel.setWordWrap(True)
        self.reasonsLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(say.TABLE_HINT, objectName="claimHint")
        hint.setWordWrap(True)

        choices = QHBoxLayout()
        for text, box in (("&State:", self.stateBox), ("&MUEs of:", self.settingBox)):
            choices.addWidget(QLabel(text, buddy=box))
            choices.addWidget(box)
        choices.addStretch(1)
        choices.addWidget(self.copyButton)
        pasted = QWidget()
        pasted_layout = QVBoxLayout(pasted)
        pasted_layout.setContentsMargins(0, 0, 0, 0)
        pasted_layout.addWidget(QLabel("Claim &lines:", buddy=self.linesEdit))
        pasted_layout.addWidget(self.linesEdit)
        checked = QWidget()
        checked_layout = QVBoxLayout(checked)
        checked_layout.setContentsMargins(0, 0, 0, 0)
        checked_layout.addWidget(self.summaryLabel)
        checked_layout.addWidget(self.view, 1)
        checked_layout.addWidget(self.reasonsLabel)
        splitter = QSplitter(Qt.Orientation.Vertical, childrenCollapsible=False)
        splitter.addWidget(pasted)
        splitter.addWidget(checked)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        self.resize(1100, 700)

        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.check)
        self._slices = QTimer(self, singleShot=True, interval=0)
        self._slices.timeout.connect(self._check_more)
        self.linesEdit.textChanged.connect(self._typing.start)
        self.stateBox.activated.connect(self._state_chosen)
        self.settingBox.activated.connect(self._setting_chosen)
        self.copyButton.clicked.connect(self.copy_results)
        self.view.clicked.connect(lambda index: self.open_line(index.row()))
        self.view.selectionModel().currentRowChanged.connect(lambda current, _: self._show_reasons(current.row()))
        self.view.installEventFilter(self)
        self.linesEdit.installEventFilter(self)
        self.check()
        self.linesEdit.setFocus()

    def _fit_columns(self) -> None:
        """Rows as tall as a line of text and columns as wide as their widest text, at this zoom."""
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for column, widest in ((LINE, "Line"), (VERDICT, "⚠ warning"), (CODE, "E0601"), (MODIFIERS, "RR KX GA"),
                               (UNITS, "Units"), (DATE, "2026-02-01"), (AMOUNT, "$50.04 ($91.18 rural)")):
            font = self.model.mono_font() if column in (CODE, MODIFIERS) else self.font()
            header.resizeSection(column, max(QFontMetrics(font).horizontalAdvance(widest),
                                             self.fontMetrics().horizontalAdvance(HEADERS[column])) + 14)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the zoom
            self._fit_columns()

    # ----- checking
    def check(self) -> None:
        """Check the lines as they stand now, with the state and setting chosen (from the first line)."""
        self._typing.stop()
        pasted = read_lines(self.linesEdit.toPlainText())
        checker = self.session.line_checker(self.stateBox.currentData(), self.settingBox.currentData()) \
            if pasted.lines else None
        self.model.start(pasted.lines, checker, pasted.beyond)
        self.reasonsLabel.clear()
        self._check_more()

    def _check_more(self) -> None:
        """Check a slice of the lines left; the next one after the events waiting (keys stay answered)."""
        if self.model.pending:
            more = self.session.guarded(self.model.check_more, False)
            if self.session.conn is None:  # the database was found damaged: the main window says so
                self.model.stop()
            elif more:
                self.summaryLabel.setText(say.checking(self.model.rowCount(), self.model.rowCount()
                                                       + len(self.model.pending)))
                self._slices.start()
                return
        self._say_done()
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.selectRow(0)

    def checking(self) -> bool:
        """Whether lines are still to be checked."""
        return bool(self.model.pending) or self._typing.isActive()

    def _say_done(self) -> None:
        checker = self.model.checker
        if checker is None:
            has_lines = bool(self.linesEdit.toPlainText().strip())
            self.summaryLabel.setText(say.NOTHING_OPEN if has_lines and self.session.conn is None else say.NO_LINES)
            return
        said = [say.checked_with(checker.release_name, checker.state, checker.setting),
                say.summary(self.model.counts())]
        if not checker.has_payment:
            said.append(say.NO_PAYMENT_FILES)
        if self.model.beyond:
            said.append(say.beyond(self.model.beyond))
        self.summaryLabel.setText("\n".join(said))

    def _state_chosen(self) -> None:
        state = self.stateBox.currentData()
        if state:
            none = self.stateBox.findData("")
            if none >= 0:
                self.stateBox.removeItem(none)
            self.stateChosen.emit(state)
        self.check()

    def _setting_chosen(self) -> None:
        self.state.set_claim_setting(self.settingBox.currentData())
        self.check()

    # ----- the lines checked
    def _show_reasons(self, row: int) -> None:
        self.reasonsLabel.setText("\n".join(say.text_lines(self.model.result(row))) if row >= 0 else "")

    def open_line(self, row: int) -> None:
        """Open the code of the line at `row` in the main window (a HCPCS Level II code only)."""
        if 0 <= row < self.model.rowCount():
            code = self.model.result(row).line.code
            if PROCEDURE.match(code):
                self.codeChosen.emit(code)

    def selected_results(self) -> list:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.result(row) for row in rows]

    def copy_selected(self) -> None:
        self._copy(self.selected_results())

    def copy_results(self) -> None:
        self._copy(self.model.rows)

    def _copy(self, results: list) -> None:
        if results:
            QGuiApplication.clipboard().setText(results_text(results))
            self._say_done()
            self.summaryLabel.setText(f"{self.summaryLabel.text()}\n{say.copied(len(results))}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            if watched is self.view and event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selected()
                return True
            if watched is self.view and event.key() in OPEN_KEYS:
                self.open_line(self.view.currentIndex().row())
                return True
            if watched is self.linesEdit and event.key() in OPEN_KEYS and \
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.check()  # Ctrl+Enter: now, not when typing rests
                return True
        return super().eventFilter(watched, event)
