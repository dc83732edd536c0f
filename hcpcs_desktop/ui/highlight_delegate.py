"""Draws result cells with the words that matched the query in bold."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .results_model import TERMS_ROLE


def highlighted_html(text: str, terms: list[str]) -> str:
    """`text` as HTML with every word that starts with one of `terms` in bold."""
    if not terms:
        return html.escape(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")",
                         re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[last:match.start()]))
        parts.append(f"<b>{html.escape(match.group(0))}</b>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


class HighlightDelegate(QStyledItemDelegate):
    """Rich-text painting of one line, elided by the view's column width."""

    def paint(self, painter, option, index):
        terms = index.data(TERMS_ROLE) or []
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if not terms:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        document = QTextDocument()
        document.setDefaultFont(opt.font)
        document.setDocumentMargin(0)
        document.setHtml(highlighted_html(elided, terms))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = index.data(Qt.ItemDataRole.ForegroundRole)
        context.palette.setColor(QPalette.ColorRole.Text, color.color() if color and not selected else opt.palette.color(role))
        painter.save()
        top = rect.top() + (rect.height() - document.size().height()) / 2
        painter.translate(rect.left(), top)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()
