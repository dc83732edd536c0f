"""A database damaged on disk, table by table (the payment and drug tables as the others): the
window meets the damaged pages as the coder searches and moves onto a code whose page reads that
table, and shows the problem page naming the file, never an exception in a slot."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from test_payment_window import payment_db  # noqa: F401 - a release with every kind of payment file
from test_window import make_window, shown_codes, store, type_query  # noqa: F401


# What the coder types, each followed by Enter (the first code found opens), until the problem page shows.
TOUR = (
    "J1650",  # a drug code: its row, its dose, its payment limits, NDCs and MUEs, the earlier releases
    "portable o2 cylinder rental",  # E0431's description said in full; its DMEPOS fees for each state
    "12345-0000-10",  # an NDC: the crosswalk by NDC
    "ozempic",  # a word of no code: the spelling vocabulary and English words
)
# Tables and indexes whose pages no step of the tour reads in this database, and why.
NOT_READ = {
    "brand_names": "read by the build only (the window reads code_terms)",
    "index_terms": "read by the build only (the window reads code_terms)",
    "code_terms": "no row: the brands of a code are found by its index alone",
    "corrections": "no row: a code's corrections are found by its index alone",
    "noc_codes": "no row: a page finds whether its code is one by the index alone",
    "history_releases": "no earlier release carried: the table is read by its index alone",
    "history_values": "no earlier release carried",
    "sqlite_autoindex_fields_1": "the record layout is read whole, not by key",
    "sqlite_autoindex_processing_notes_1": "the processing notes are read whole, not by key",
}


def damaged_pages(db: Path, folder: Path, table: str) -> Path:
    """A copy of `db` with every page of `table` (a table or an index) overwritten by bytes no page holds."""
    conn = sqlite3.connect(db)
    pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,))]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    path = Path(shutil.copy(db, folder / "damaged.sqlite"))
    with path.open("r+b") as file:
        for page in pages:
            file.seek((page - 1) * size)
            file.write(b"\xff" * size)
    return path


def _tables() -> list[str]:
    """Every table and index a database of this schema with payment files has pages of."""
    from hcpcs_desktop.data import schema
    from hcpcs_desktop.data.database import RELEASE_COLUMNS

    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.DDL + schema.PAYMENT_DDL)
    names = {name for (name,) in conn.execute("SELECT name FROM dbstat")} - {"sqlite_schema"}
    conn.close()
    return sorted(names | set(RELEASE_COLUMNS))


TABLES = _tables()


def tour(qtbot, window) -> None:
    """Type each search of the tour and press Enter, until the problem page shows."""
    for typed in TOUR:
        if window.session.problem is not None:
            return
        type_query(qtbot, window, typed)
        qtbot.keyClick(window.pane.searchBox, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.session.problem is not None or not window.detailView.pending)


@pytest.mark.parametrize("table", TABLES)
def test_a_damaged_page_of_any_table_is_the_problem_page_never_an_exception(qtbot, make_window, payment_db,  # noqa: F811
                                                                          tmp_path, table):
    path = damaged_pages(payment_db, tmp_path, table)
    window = make_window(path)
    tour(qtbot, window)  # an exception in a slot fails the test
    if table in NOT_READ:  # the damage is never met: the release stays open and searched
        assert window.session.problem is None and window.pages.currentWidget() is window.splitter
        type_query(qtbot, window, "J1650")
        assert shown_codes(window) == ["J1650"]
        return
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.problemView)
    said = window.problemView.toPlainText()
    assert str(path) in said and "damaged" in said
    assert window.releaseLabel.whole == "No database"


def test_every_table_not_read_by_the_tour_is_one_of_the_schema():
    assert set(NOT_READ) < set(TABLES)
