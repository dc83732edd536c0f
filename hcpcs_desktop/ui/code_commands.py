"""Commands on the code shown (or the selected rows, or a favorites list): copy, print, preview, PDF,
CSV, the coder's note and favorite list, and looking up the clipboard. The window connects its menus
to them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMessageBox

from ..user_files import write_text
from ..wording import (CLIPBOARD_EMPTY, NO_CODE_TO_PRINT, imported_notes_text, list_prompt, listed_text,
                       printed_codes_title, printed_title, shared_text)
from . import copy_text
from .code_page_html import PAGE_BREAK


class CodeCommands(QObject):
    """The window's commands on codes; `window` gives the panes, the session and the status bar."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._preview = None  # the print preview dialog, while open

    def _say(self, message: str, ms: int) -> None:
        self.window.statusBar().showMessage(message, ms)

    # ----- copying
    def _copied_pages(self) -> list:
        """The pages every copy command acts on: the selected rows when several, else the code shown."""
        hits = self.window.pane.selected_hits()
        if len(hits) > 1:
            return [page for page in map(self.window.session.page, (h.code for h in hits)) if page]
        page = self.window.detailView.page
        return [page] if page else []

    def _copy(self, command) -> None:
        text, what = command(self._copied_pages())
        if not text:
            self._say("Nothing to copy", 3000)
            return
        QGuiApplication.clipboard().setText(text)
        preview = text if len(text) <= 60 and "\n" not in text else text.splitlines()[0][:57] + "…"
        self._say(f'Copied {what}: "{preview}"', 6000)

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
        page = self.window.detailView.page
        if page:
            self._copy(lambda pages: (copy_text.field_line(page, key), page[key].label.lower()))

    def copy_with_source(self) -> None:
        release = self.window.session.release.get("name", "")
        self._copy(lambda pages: copy_text.copy_with_source(pages, release))

    # ----- printing and exporting: the selected rows when several, else the code shown, or a favorites list
    def _pages_of(self, codes: list[str] | None) -> list:
        if codes is None:
            return self._copied_pages()
        return [page for page in map(self.window.session.page, codes) if page]

    def _printed(self, codes: list[str] | None = None) -> tuple[str, str, str] | None:
        """(HTML for paper, title, file name) of the pages, each on a page of its own, or None (and a word
        why) when there is none. Each is the page the detail pane shows (`DetailView.page_html`), for paper."""
        detail, session = self.window.detailView, self.window.session
        views = [view for view in (session.code_view(page.code) for page in self._pages_of(codes)) if view]
        if not views:
            self._say(NO_CODE_TO_PRINT, 4000)
            return None
        release = session.release["name"]
        html = PAGE_BREAK.join(detail.page_html(view, printed=True) for view in views)
        pages = [view.page for view in views]
        if len(pages) == 1:
            return html, printed_title(pages[0].code, pages[0].short_description, release), pages[0].code
        return html, printed_codes_title(len(pages), release), f"hcpcs-{len(pages)}-codes"

    def print_page(self) -> None:
        from . import printing  # Qt's printing module loads when a page is printed, not at start-up

        printed = self._printed()
        if printed and printing.print_page(self.window, *printed[:2]):
            self._say(f"Sent {printed[1]} to the printer", 5000)

    def preview_page(self) -> None:
        from . import printing

        printed = self._printed()
        if printed:
            self._preview = printing.preview_dialog(self.window, *printed[:2])
            self._preview.open()

    def save_pdf(self) -> None:
        self.save_codes_pdf(None)

    def save_codes_pdf(self, codes: list[str] | None, name: str = "") -> None:
        """Save the pages of `codes` (None: the selected rows, or the code shown) in one PDF."""
        printed = self._printed(codes)
        if not printed:
            return
        path = self._ask_path("Save as PDF", f"{name or printed[2]}.pdf", "PDF files (*.pdf)")
        if path is None:
            return
        from . import printing

        try:
            printing.save_pdf(*printed[:2], path)
        except OSError as exc:
            QMessageBox.warning(self.window, "Cannot save PDF", f"{exc}\n\nNothing was saved.")
            return
        self._say(f"Saved {path}", 8000)

    def export_csv(self) -> None:
        self.export_codes_csv(None)

    def export_codes_csv(self, codes: list[str] | None, name: str = "") -> None:
        """Every field of the pages of `codes` (None: the selected rows, or the code shown) as a spreadsheet
        reads them: a row per code, a column per field."""
        pages = self._pages_of(codes)
        if not pages:
            self._say(NO_CODE_TO_PRINT, 4000)
            return
        default = name or (pages[0].code if len(pages) == 1 else f"hcpcs-{len(pages)}-codes")
        path = self._ask_path("Export as CSV", f"{default}.csv", "CSV files (*.csv)")
        if path is None:
            return
        try:
            write_text(path, copy_text.pages_csv(pages))
        except OSError as exc:
            QMessageBox.warning(self.window, "Cannot export", f"{exc}\n\nNothing was saved.")
            return
        self._say(f"Saved {len(pages)} code{'s' if len(pages) != 1 else ''} to {path}", 8000)

    def _ask_path(self, title: str, proposed: str, kinds: str) -> Path | None:
        """The file the coder names (its extension added when left out), or None when cancelled."""
        suffix = proposed.rpartition(".")[2]
        name, _ = QFileDialog.getSaveFileName(self.window, title, str(Path.home() / proposed), kinds)
        if not name:
            return None
        return Path(name) if name.lower().endswith(f".{suffix}") else Path(f"{name}.{suffix}")

    # ----- the coder's own words
    def edit_note(self) -> None:
        window = self.window
        code = window.current_code()
        if code is None:
            return
        from .note_dialog import NoteDialog

        dialog = NoteDialog(code, window.session.notes.get(code), window)
        if dialog.exec() and window.save(lambda: window.session.set_note(code, dialog.text()), "the note"):
            window.detailView.refresh()

    def export_notes_and_lists(self) -> None:
        """Save every note and favorites list to a file to share with the team."""
        path = self._ask_path("Export notes and lists", "hcpcs-notes-and-lists.json", "Notes and lists (*.json)")
        if path is None:
            return
        try:
            notes, lists = self.window.session.export_notes_and_lists(path)
        except OSError as exc:
            QMessageBox.warning(self.window, "Cannot export", f"{exc}\n\nNothing was saved.")
            return
        self._say(shared_text(notes, lists, path), 8000)

    def import_notes_and_lists(self) -> None:
        """Read a file of notes and lists shared by the team into the coder's own."""
        window = self.window
        name, _ = QFileDialog.getOpenFileName(window, "Import notes and lists", str(Path.home()),
                                              "Notes and lists (*.json);;All files (*)")
        if not name:
            return
        try:
            done = window.session.import_notes_and_lists(Path(name))
        except (ValueError, OSError) as exc:
            QMessageBox.warning(window, "Cannot import notes and lists", f"{exc}\n\nNothing was changed.")
            return
        window.show_current(window.current_code())
        window.detailView.refresh()
        self._say(imported_notes_text(done), 10000)

    def set_favorite_list(self) -> None:
        window = self.window
        code = window.current_code()
        if code is None:
            return
        if code not in window.state.favorites and not window.save(lambda: window.session.toggle_favorite(code),
                                                                  "favorites"):
            return
        codes = window.session.codes
        names = ["", *codes.list_names()]
        current = codes.lists.get(code, "")
        dialog = _input_dialog(window, "Favorite list", list_prompt(code))
        dialog.setComboBoxItems(names)
        dialog.setComboBoxEditable(True)
        dialog.setTextValue(current)
        name = dialog.textValue() if dialog.exec() else None
        if name is not None and window.save(lambda: codes.set_list(code, name), "favorites"):
            window.show_current(code)
            self._say(listed_text(code, name.strip()), 4000)

    def look_up_clipboard(self) -> None:
        """Search whatever code or list of codes is on the clipboard."""
        text = QGuiApplication.clipboard().text().strip()
        if not text:
            self._say(CLIPBOARD_EMPTY, 4000)
            return
        self.window.search_for(text)

    def page_link(self, kind: str, value: str) -> None:
        """A link of the code's page other than copy, code, star and help."""
        if kind == "note":
            self.edit_note()
        elif kind == "search":
            self.window.search_for(value)


def _input_dialog(window, title: str, prompt: str) -> QInputDialog:
    """An input dialog whose prompt (it names a code read from the database) is plain text."""
    dialog = QInputDialog(window)
    dialog.setWindowTitle(title)
    dialog.setLabelText(prompt)
    dialog.findChild(QLabel).setTextFormat(Qt.TextFormat.PlainText)
    return dialog
