"""Every command of the window, once: its menu, text, shortcuts and the method it runs
(the window's, or "controller.method" of one the window holds).

The menus are built from `ACTIONS`; the welcome page and the README list the same keys
(`key_list`), and a test holds the README to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str  # the window attribute holding the QAction, e.g. "copyCodeAction"
    menu: str  # the menu it is in
    text: str  # menu text, "&" before the accelerator letter
    slot: str  # the window method it runs, or "controller.method" of one of its controllers
    shortcuts: tuple[str, ...] = ()
    does: str = ""  # what the key list says it does; "" leaves it out of the list
    checkable: bool = False
    separator_before: bool = False
    on_codes: bool = False  # also in the context menus of the results and the detail pane
    every_window: bool = False  # its keys also work in the app's other windows (claim lines, Table of Drugs)


@dataclass(frozen=True)
class Submenu:
    name: str
    menu: str
    text: str
    separator_before: bool = False


MENUS = ("&File", "&Edit", "&View", "&Go", "&Help")

ACTIONS: tuple[Command | Submenu, ...] = (
    Command("openAction", "&File", "&Open database…", "releases.choose_database", ("Ctrl+O",), "open a database file"),
    Command("importAction", "&File", "&Import CMS release…", "releases.import_release", ("Ctrl+I",),
            "import a CMS release"),
    Submenu("releasesMenu", "&File", "&Releases"),
    Command("printAction", "&File", "&Print…", "codes.print_page", ("Ctrl+P",),
            "print the code page (several rows selected: the page of each)", separator_before=True),
    Command("printPreviewAction", "&File", "Print pre&view…", "codes.preview_page"),
    Command("savePdfAction", "&File", "Save as P&DF…", "codes.save_pdf", ("Ctrl+Shift+P",),
            "save the code page as a PDF (several rows selected: every page in one PDF)"),
    Command("exportCsvAction", "&File", "&Export as CSV…", "codes.export_csv", ("Ctrl+Shift+E",),
            "export every field of the code (or of the rows selected) as CSV"),
    Command("exportNotesAction", "&File", "E&xport notes and lists…", "codes.export_notes_and_lists",
            separator_before=True),
    Command("importNotesAction", "&File", "Import &notes and lists…", "codes.import_notes_and_lists"),
    Command("quitAction", "&File", "&Quit", "close", ("Ctrl+Q",), "quit", separator_before=True),
    Command("copyCodeAction", "&Edit", "Copy &code", "codes.copy_codes", ("Ctrl+C",),
            "copy the code (several rows: tab-separated lines)", on_codes=True),
    Command("copyLongAction", "&Edit", "Copy &long description", "codes.copy_long", ("Ctrl+Shift+C",),
            "copy the long description", on_codes=True),
    Command("copyShortAction", "&Edit", "Copy &short description", "codes.copy_short", ("Ctrl+Alt+C",),
            "copy the short description", on_codes=True),
    Command("copyBothAction", "&Edit", "Copy code &and long description", "codes.copy_code_and_long", on_codes=True),
    Command("copyAllAction", "&Edit", "Copy all fi&elds", "codes.copy_all_fields", on_codes=True),
    Command("copySourceAction", "&Edit", "Copy with s&ource", "codes.copy_with_source", ("Ctrl+Shift+S",),
            "copy the code, its short description and the release", on_codes=True),
    Command("noteAction", "&Edit", "&Note on code…", "codes.edit_note", ("Ctrl+Shift+N",),
            "write or change your note on the code", separator_before=True, on_codes=True),
    Command("findAction", "&Edit", "&Find", "focus_search", ("Ctrl+L", "Ctrl+F", "F3"), "go to the search box",
            separator_before=True),
    Command("resetFiltersAction", "&Edit", "&Reset filters", "reset_filters", ("Ctrl+R",),
            "reset the filters (all sections, coverage, BETOS; terminated codes included)"),
    Command("changesAction", "&View", "&What changed between releases…", "releases.show_changes", ("Ctrl+Shift+W",),
            "what changed between releases"),
    Command("drugTableAction", "&View", "Table of &Drugs…", "payment.show_drug_table", ("Ctrl+Shift+D",),
            "the Table of Drugs"),
    Command("claimLinesAction", "&View", "Check c&laim lines…", "show_claim_lines", ("Ctrl+Shift+L",),
            "check claim lines: code, modifiers, units, NDC and date of service"),
    Command("paymentStateAction", "&View", "&State for DMEPOS fees…", "payment.choose_state"),
    Command("fieldsSectionAction", "&View", "Code page: &fields", "view.go_to_fields", ("Ctrl+1",),
            "go to the fields of the code page", separator_before=True),
    Command("paymentSectionAction", "&View", "Code page: &payment", "view.go_to_payment", ("Ctrl+2",),
            "go to the Medicare payment of the code page"),
    Command("historySectionAction", "&View", "Code page: &history", "view.go_to_history", ("Ctrl+3",),
            "go to the history across releases of the code page"),
    Command("showEmptyAction", "&View", "Show &empty fields", "view.set_show_empty", (), checkable=True,
            separator_before=True),
    Command("zoomInAction", "&View", "Zoom &in", "view.zoom_in", ("Ctrl+=", "Ctrl++"), "zoom in",
            separator_before=True, every_window=True),
    Command("zoomOutAction", "&View", "Zoom &out", "view.zoom_out", ("Ctrl+-",), "zoom out", every_window=True),
    Command("resetZoomAction", "&View", "&Reset zoom", "view.reset_zoom", ("Ctrl+0",), "reset the zoom",
            every_window=True),
    Command("nextPaneAction", "&Go", "&Next pane", "view.next_pane", ("F6",),
            "go to the next pane: search box, results, code page"),
    Command("previousPaneAction", "&Go", "&Previous pane", "view.previous_pane", ("Shift+F6",), "go to the previous pane"),
    Command("backAction", "&Go", "&Back", "go_back", ("Alt+Left",), "back", separator_before=True),
    Command("forwardAction", "&Go", "&Forward", "go_forward", ("Alt+Right",), "forward"),
    Command("starAction", "&Go", "&Star / unstar code", "toggle_favorite", ("Ctrl+D",), "star or unstar the code",
            on_codes=True),
    Command("lookUpClipboardAction", "&Go", "Look up the &clipboard", "codes.look_up_clipboard", ("Ctrl+Shift+V",),
            "search the code or list of codes on the clipboard"),
    Command("favoriteListAction", "&Go", "Put favorite in a &list…", "codes.set_favorite_list"),
    Command("serviceDateAction", "&Go", "&Date of service…", "releases.focus_service_date", ("Ctrl+T",),
            "enter a date of service (was the code valid then?)"),
    Submenu("favoritesMenu", "&Go", "F&avorites", separator_before=True),
    Submenu("recentMenu", "&Go", "&Recent codes"),
    Submenu("searchesMenu", "&Go", "Recent s&earches"),
    Command("shortcutsAction", "&Help", "&Keyboard shortcuts", "show_shortcuts", ("F1",),
            "every keyboard shortcut, by menu"),
    Command("aboutAction", "&Help", "&About HCPCS Desktop", "show_about"),
)

# Keys of the search pane itself, not commands of a menu.
PANE_KEYS = (
    (("Down", "Up", "PgDown", "PgUp"), "move through the results"),
    (("Enter",), "open the code (it enters back/forward and the recent codes)"),
    (("Esc",), "clear the search (anywhere else: back to the search box)"),
    (("Tab",), "search box, then results, then code page, then filters"),
    (("Left", "Right"), "in the code page: the previous or next link (Enter follows it)"),
    (("Space", "Shift+Space"), "in the code page: a screen down or up"),
    (("Ctrl+Home", "Ctrl+End"), "in the code page: its top or its end"),
    (("Ctrl+F in the code page",), "find in the page (Enter, F3: the next; Shift+Enter, Shift+F3: the one before)"),
    (("Up on an empty search box", "Alt+Down"), "recall an earlier search"),
)


def commands() -> list[Command]:
    return [entry for entry in ACTIONS if isinstance(entry, Command)]


def key_list() -> list[tuple[str, str]]:
    """(keys, what they do) for every documented key, as the welcome page and the README list them."""
    keys = [(", ".join(keys), does) for keys, does in PANE_KEYS]
    keys += [(", ".join(c.shortcuts), c.does) for c in commands() if c.shortcuts and c.does]
    return keys
