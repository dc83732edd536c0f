"""Draws description cells with the words that matched the query in bold."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .results_model import TERMS_ROLE


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern:
    words = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})", re.IGNORECASE)


def segments(text: str, terms) -> list[tuple[str, bool]]:
    """`text` cut into (piece, matched) runs: a piece is matched where a word starts with a term."""
    if not terms:
        return [(text, False)] if text else []
    pieces, last = [], 0
    for match in _pattern(tuple(terms)).finditer(text):
        if match.start() > last:
            pieces.append((text[last:match.start()], False))
        pieces.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


class HighlightDelegate(QStyledItemDelegate):
    """Paints runs of normal and bold text straight with QPainter (fast enough per keystroke)."""

    def paint(self, painter, option, index):
        terms = index.data(TERMS_ROLE)
        if not terms:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget).adjusted(2, 0, -2, 0)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        if selected:
            color = opt.palette.color(QPalette.ColorRole.HighlightedText)
        else:
            color = foreground.color() if foreground else opt.palette.color(QPalette.ColorRole.Text)
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(color)
        x = rect.left()
        for piece, matched in segments(text, terms):
            font = bold if matched else opt.font
            metrics = QFontMetrics(font)
            width = metrics.horizontalAdvance(piece)
            room = rect.right() - x
            if width > room:
                piece = metrics.elidedText(piece, Qt.TextElideMode.ElideRight, room)
                width = room
            painter.setFont(font)
            painter.drawText(QRect(x, rect.top(), width + 1, rect.height()),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, piece)
            x += width
            if x >= rect.right():
                break
        painter.restore()
