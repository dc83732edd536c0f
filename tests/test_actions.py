"""One table of commands feeds the menus, the welcome page and the README: they agree."""

from __future__ import annotations

import re
from operator import attrgetter

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from conftest import REPO_ROOT
from hcpcs_desktop.ui.actions import ACTIONS, MENUS, PANE_KEYS, Command, commands, key_list
from hcpcs_desktop.ui.code_page_html import welcome
from hcpcs_desktop.ui.main_window import MainWindow


def readme_keys() -> list[tuple[str, str]]:
    """The rows of the README's key table."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Keys", 1)[1].split("\n## ", 1)[0]
    return [(keys.strip(), does.strip()) for keys, does in re.findall(r"^\| (.+?) \| (.+?) \|$", section, re.M)
            if keys.strip() != "Keys"]


def test_the_readme_lists_every_key_and_no_other():
    assert readme_keys() == key_list()


def test_every_shortcut_is_documented():
    documented = {key for keys, _ in readme_keys() for key in keys.split(", ")}
    shortcuts = {key for command in commands() for key in command.shortcuts}
    assert shortcuts <= documented
    pane_keys = {key for keys, _ in PANE_KEYS for key in keys}
    assert documented == shortcuts | pane_keys  # nothing documented that does not exist


def test_the_welcome_page_lists_every_key():
    page = welcome("October 2025")
    for keys, does in key_list():
        assert f"<b>{keys}</b>" in page and does in page


def test_shortcuts_are_read_back_as_written():
    for command in commands():
        for key in command.shortcuts:
            assert QKeySequence(key).toString() == key, key


def test_every_command_is_in_its_menu_with_its_shortcuts(qapp, tmp_path):
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.ui.user_state import UserState
    from PySide6.QtCore import QSettings

    state = UserState(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Session(state.codes), state)
    try:
        menus = {menu.title(): menu for menu in (a.menu() for a in window.menuBar().actions())}
        for entry in ACTIONS:
            in_menu = [a.text() for a in menus[entry.menu].actions()]
            assert entry.text in in_menu, entry
            if isinstance(entry, Command):
                action = getattr(window, entry.name)
                assert isinstance(action, QAction) and action.text() == entry.text
                assert [s.toString() for s in action.shortcuts()] == list(entry.shortcuts)
                assert callable(attrgetter(entry.slot)(window))
        assert len({entry.name for entry in ACTIONS}) == len(ACTIONS)
    finally:
        window.close()
        window.deleteLater()


def letters(widget) -> list[str]:
    """The Alt+letter keys of the labels (with a buddy) and buttons in `widget`."""
    texts = [label.text() for label in widget.findChildren(QLabel) if label.buddy() is not None]
    texts += [button.text() for button in widget.findChildren(QAbstractButton)]
    return [key for key in map(mnemonic, texts) if key]


def mnemonic(text: str) -> str:
    return QKeySequence.mnemonic(text).toString()


def clashes(keys: list[str]) -> set[str]:
    return {key for key in keys if keys.count(key) > 1}


def test_every_menu_and_every_label_has_a_letter_of_its_own(qapp, tmp_path):
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.ui.claim_lines_dialog import ClaimLinesDialog
    from hcpcs_desktop.ui.drug_table_dialog import DrugTableDialog
    from hcpcs_desktop.ui.note_dialog import NoteDialog
    from hcpcs_desktop.ui.state_dialog import StateDialog
    from hcpcs_desktop.ui.user_state import UserState
    from PySide6.QtCore import QSettings

    state = UserState(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Session(state.codes), state)
    try:
        # Alt+letter opens a menu of the bar, or goes to a field of the window: one of them, never both.
        in_window = [mnemonic(action.text()) for action in window.menuBar().actions()] + letters(window)
        assert len(in_window) > 5 and not clashes(in_window)
        menus = window.menuBar().findChildren(QMenu)  # every menu and submenu
        assert len(menus) >= len(MENUS)
        for menu in menus:
            keys = [mnemonic(action.text()) for action in menu.actions() if not action.isSeparator()]
            assert not clashes([key for key in keys if key]), menu.title()
        for dialog in (NoteDialog("S9353", "", window), DrugTableDialog([], "", window),
                       StateDialog(["PA", "NY"], "", window), ClaimLinesDialog(window.session, state, window)):
            assert not clashes(letters(dialog)), dialog.objectName()
    finally:
        window.close()
        window.deleteLater()


def test_f1_shows_every_key_by_menu(qtbot, tmp_path):
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.ui.shortcuts_dialog import ShortcutsDialog
    from hcpcs_desktop.ui.user_state import UserState
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    state = UserState(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(Session(state.codes), state)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    for keys, does in key_list():
        assert f"{keys}\n{does}" in text
    assert text.index("Edit menu") < text.index("Ctrl+Shift+N") < text.index("View menu")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
