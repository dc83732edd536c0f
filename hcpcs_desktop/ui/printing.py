"""Print a code's page, preview the print, or save it as a PDF (coders attach pages to appeals).

The page printed is the page the detail pane shows, rendered for paper from the same assembled page
(`DetailView.page_html(view, printed=True)`): no copy links or stars, every help text, every referring
code and every payment table shown, and the units line's words for the dose given.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

POINT_SIZE = 10
# No margins of the paper's own: Qt prints a document inside 2 cm margins it adds, with the page number in
# the bottom one (margins of 18 mm around those left the page 60 % of the paper's width).
MARGINS_MM = QMarginsF(0, 0, 0, 0)
PDF_DPI = 300


def page_document(page_html: str, title: str) -> QTextDocument:
    """The page as a document laid out for paper."""
    document = QTextDocument()
    document.setDefaultFont(QFont(QFont().family(), POINT_SIZE))
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    document.setHtml(page_html)
    return document


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    return printer


def print_page(parent: QWidget, page_html: str, title: str) -> bool:
    """Ask for a printer and print the page; False when the coder cancelled."""
    printer = _printer()
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {title}")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    page_document(page_html, title).print_(printer)
    return True


def preview_dialog(parent: QWidget, page_html: str, title: str) -> QPrintPreviewDialog:
    """A print preview of the page (shown by the caller), from which it can be printed."""
    printer = _printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer = printer  # the dialog draws on it: it lives as long as the dialog
    dialog.setWindowTitle(f"Print preview — {title}")
    dialog.paintRequested.connect(lambda target: page_document(page_html, title).print_(target))
    return dialog


def save_pdf(page_html: str, title: str, path: Path) -> None:
    """Write the page to `path` as a PDF. Raises OSError when the file could not be written."""
    path = Path(path)
    scratch = path.with_name(f".{path.name}.partial")
    writer = QPdfWriter(str(scratch))
    writer.setTitle(title)
    writer.setCreator("HCPCS Desktop")
    writer.setResolution(PDF_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    writer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    page_document(page_html, title).print_(writer)
    del writer  # the file is complete once the writer is gone
    if not scratch.is_file() or scratch.stat().st_size == 0:
        scratch.unlink(missing_ok=True)
        raise OSError(f"{path} could not be written")
    os.replace(scratch, path)
