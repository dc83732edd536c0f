"""The "What changed" window: codes added, terminated, reinstated and reworded between two releases.

A window of its own, not modal: choosing a code (double-click, Enter or "Open code") emits
`codeChosen(code)` and the dialog stays open beside the main window, which shows the code.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
)

from ..data.changes import KIND_LABELS, KINDS, compare, counts, filter_changes, to_csv
from ..data.release_store import StoredRelease
from ..wording import value_meaning
from .changes_model import SORT_ROLE, ChangesModel


def diff_html(change) -> str:
    """A change as HTML: removed words struck through, added words underlined and bold."""
    if change.diff:
        pieces = []
        for op, text in change.diff:
            text = html.escape(text)
            pieces.append(f"<s>{text}</s>" if op == "delete" else f"<u><b>{text}</b></u>" if op == "insert" else text)
        body = " ".join(pieces)
    else:
        old = html.escape(value_meaning(change.old, change.old_meaning) or "(none)")
        new = html.escape(value_meaning(change.new, change.new_meaning) or "(none)")
        body = f"<s>{old}</s><br><u><b>{new}</b></u>"
    return f"<p><b><tt>{html.escape(change.code)}</tt> {html.escape(change.label)}</b></p><p>{body}</p>"


class ChangesDialog(QDialog):
    """Pick two releases; list, filter, copy and export what changed."""

    codeChosen = Signal(str)

    def __init__(self, releases: list[StoredRelease], parent=None):
        super().__init__(parent)
        self.setWindowTitle("What changed between releases")
        self.setObjectName("changesDialog")
        self.setWindowFlag(Qt.WindowType.Window)  # a window of its own, which the main window can come in front of
        self.setModal(False)
        self.releases = releases
        self.changes = []
        self.oldBox, self.newBox = QComboBox(objectName="oldRelease"), QComboBox(objectName="newRelease")
        for box in (self.oldBox, self.newBox):
            for release in releases:  # its name says its date: the date in full is the item's tooltip
                box.addItem(release.name, release)
                box.setItemData(box.count() - 1, release.release_date, Qt.ItemDataRole.ToolTipRole)
        self.oldBox.setCurrentIndex(max(len(releases) - 2, 0))
        self.newBox.setCurrentIndex(len(releases) - 1)
        self.kindBox = QComboBox(objectName="kindFilter")
        self.kindBox.addItem("All kinds of change", None)
        for kind in KINDS:
            self.kindBox.addItem(KIND_LABELS[kind], kind)
        self.sectionBox = QComboBox(objectName="sectionFilter")
        self.codeFilter = QLineEdit(objectName="codeFilter", placeholderText="Filter by code", clearButtonEnabled=True)
        self.countsLabel = QLabel(objectName="countsLabel", wordWrap=True)
        self.model = ChangesModel(self)
        self.proxy = QSortFilterProxyModel(self, filterKeyColumn=0, sortRole=SORT_ROLE)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(objectName="changesView", sortingEnabled=True)
        self.view.setModel(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 70), (1, 190), (2, 210), (3, 210)):
            self.view.horizontalHeader().resizeSection(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._show_diff)
        self.view.activated.connect(self._choose)
        self.view.doubleClicked.connect(self._choose)
        self.diffView = QTextBrowser(objectName="diffView")
        self.openButton = QPushButton("Open code", objectName="openCode")
        self.openButton.clicked.connect(lambda: self._choose(self.view.currentIndex()))
        copy = QPushButton("Copy as CSV", objectName="copyChanges", shortcut=QKeySequence.StandardKey.Copy)
        copy.clicked.connect(self.copy_csv)
        export = QPushButton("Export CSV…", objectName="exportChanges")
        export.clicked.connect(self.export_csv)

        for box in (self.kindBox, self.sectionBox):  # narrow beside the main window
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
        for box in (self.oldBox, self.newBox):  # a release's name whole ("January 2026"), never cut
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        releases_row, filters_row = QHBoxLayout(), QHBoxLayout()  # two rows: narrow beside the main window
        for widget in (QLabel("From"), self.oldBox, QLabel("to"), self.newBox):
            releases_row.addWidget(widget)
        releases_row.addStretch(1)
        for widget in (self.kindBox, self.sectionBox, self.codeFilter):
            filters_row.addWidget(widget)
        filters_row.addStretch(1)
        hint = QLabel("Double-click a code, or press Enter, to open it in the main window. "
                      "Click a column heading to sort.", wordWrap=True)  # a row of its own: narrow, it wraps
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.openButton)
        buttons.addWidget(copy)
        buttons.addWidget(export)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.diffView)
        splitter.setSizes([420, 140])
        layout = QVBoxLayout(self)
        layout.addLayout(releases_row)
        layout.addLayout(filters_row)
        layout.addWidget(self.countsLabel)
        layout.addWidget(splitter, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        self.resize(1100, 680)

        for box in (self.oldBox, self.newBox):
            box.currentIndexChanged.connect(self.compare)
        for box in (self.kindBox, self.sectionBox):
            box.currentIndexChanged.connect(self.apply_filters)
        self.codeFilter.textChanged.connect(self.apply_filters)
        self.compare()

    def compare(self) -> None:
        old, new = self.oldBox.currentData(), self.newBox.currentData()
        self.changes = compare(old, new) if old and new and old != new else []
        sections = sorted({c.section for c in self.changes}, key=lambda s: (s == "modifier", s))
        self.sectionBox.blockSignals(True)
        self.sectionBox.clear()
        self.sectionBox.addItem("All sections", None)
        for section in sections:
            self.sectionBox.addItem("Modifiers" if section == "modifier" else f"Section {section}", section)
        self.sectionBox.blockSignals(False)
        self.apply_filters()

    def shown(self):
        kind, section = self.kindBox.currentData(), self.sectionBox.currentData()
        return filter_changes(self.changes, kinds=[kind] if kind else None, sections=[section] if section else None)

    def apply_filters(self) -> None:
        self.model.set_rows(self.shown())
        code = self.codeFilter.text().strip()
        self.proxy.setFilterRegularExpression(QRegularExpression(
            "^" + QRegularExpression.escape(code), QRegularExpression.PatternOption.CaseInsensitiveOption))
        shown = self.visible()
        if self.oldBox.currentData() == self.newBox.currentData():
            self.countsLabel.setText("Choose two different releases.")
        else:
            parts = [f"{KIND_LABELS[k]}: {n:,}" for k, n in counts(shown).items() if n]
            self.countsLabel.setText(f"{len(shown):,} changes — " + " · ".join(parts) if parts else "No changes.")
        if shown:
            self.view.selectRow(0)
        else:
            self.diffView.clear()

    def visible(self):
        """The changes the table shows, in its order: kind, section and code filters applied, sorted."""
        return [self._change(self.proxy.index(row, 0)) for row in range(self.proxy.rowCount())]

    def _change(self, index):
        return self.model.change(self.proxy.mapToSource(index).row())

    def _choose(self, index) -> None:
        if index.isValid():
            self.codeChosen.emit(self._change(index).code)

    def _show_diff(self, current, previous) -> None:
        if current.isValid():
            self.diffView.setHtml(diff_html(self._change(current)))

    def copy_csv(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        changes = [self._change(self.proxy.index(r, 0)) for r in rows] if len(rows) > 1 else self.visible()
        QGuiApplication.clipboard().setText(to_csv(changes))

    def export_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export changes", "hcpcs-changes.csv", "CSV files (*.csv)")
        if name:
            with open(name, "w", encoding="utf-8", newline="") as out:
                out.write(to_csv(self.visible()))
