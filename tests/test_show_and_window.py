"""`show CODE` and the window say the same thing of a code: for a sample of codes that covers each
section of a code's page (its fields decoded, the codes it names and those that name it, its history,
the verdict on a date of service, the payment facts with a state, a drug code's dose and units, a
terminated code, a modifier), the lines `show` prints are the lines the coder copies off the window's
page (Select all, Copy) and reads on its units line: none more, none fewer, none worded apart."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt

from conftest import open_window
from drug_records import DRUG_RECORDS
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.wording import ADD_NOTE, SHOW_TABLES, source_text
from payment_files import MUE_ROWS, write_crosswalk, write_dmepos_xlsx, write_drug_limits, write_mue
from release_files import SAMPLE_RECORDS, write_layout, write_notes, write_txt
from test_window import open_code

DRUGS = [r for r in DRUG_RECORDS if r["code"] in ("J1650", "J1200")]
LIMITS = [("J1650", "10 MG", "1.250", "20.000", "", "", "invented note")]
NDCS = [("J1650", "Invented Labs Inc", f"12345-0{i:03d}-10", "Inventoxaparin", "10 MG", "0.4", "10", "4", "40")
        for i in range(3)]
# October 2029 lacks G0511 and names E0431 otherwise: a history of more than one release.
OCTOBER = [{**r, "short_description": "Portable o2 cyl rental"} if r["code"] == "E0431" else r
           for r in SAMPLE_RECORDS + DRUGS if r["code"] != "G0511"]
STATE = "PA"
# (code, date of service or None): each section of the page is in one at least.
SAMPLE = [
    ("S9353", None),  # a processing note decoded
    ("G0306", None),  # a code another names (G0001's cross reference)
    ("GA", None),  # a modifier
    ("E0431", None),  # DMEPOS fees of the state, an MUE, a history of two releases
    ("E0100", None),  # equipment the DMEPOS fee schedule does not price
    ("J1650", None),  # a drug code: its dose, the units line, its payment limit, NDCs and MUE
    ("G0001", "2030-02-01"),  # terminated, replaced by two codes, not valid on the date of service
    ("J1650", "2030-02-15"),  # the payment facts of the date of service
]


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The January 2030 release with payment files (the one open) and a store holding October 2029."""
    folder = tmp_path_factory.mktemp("show_and_window")
    payment, store = folder / "payment", folder / "store"
    payment.mkdir()
    store.mkdir()
    write_dmepos_xlsx(payment / "DMEPOS30_JAN.xlsx")
    write_drug_limits(payment, rows=LIMITS)
    write_crosswalk(payment, rows=NDCS)
    write_mue(payment, rows=MUE_ROWS + [("J1650", "30", "3 Date of Service Edit: Clinical", "Prescribing Information")])
    docs = {"layout": write_layout(folder / "layout.txt"), "notes": write_notes(folder / "notes.txt")}
    build_database(write_txt(folder / "HCPC2029_OCT_ANWEB.txt", OCTOBER), store / "2029-10-01.sqlite", **docs)
    db = folder / "hcpcs.sqlite"
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", SAMPLE_RECORDS + DRUGS), db, payment=payment, **docs)
    return db, store


def facts(lines: list[str]) -> Counter:
    """The lines that say something, each with its blanks as one space."""
    return Counter(said for said in (" ".join(line.split()) for line in lines) if said)


def window_lines(qtbot, window, code: str) -> list[str]:
    """What the window says of `code`: its units line, and its page as Select all and Copy give it, less
    what only a screen has (the star, the folding arrows, the links to add a note or show the tables,
    the hint on hovering)."""
    open_code(qtbot, window, code)
    line = window.unitsLine
    units = [label.text() for label in (line.unitsLabel, line.limitsLabel)
             if line.isVisibleTo(window) and label.isVisibleTo(window)]
    view = window.detailView
    view.selectAll()
    page = re.sub("[☆★▾▸]", "", view.selected_text()).replace(f" · {SHOW_TABLES}", "").splitlines()
    source = source_text(window.session.release["name"])
    return units + [source if text.startswith(source) else text for text in page if text != ADD_NOTE]


def show_lines(capsys, db, store, code: str, day: str | None) -> list[str]:
    args = ["show", code, "--db", str(db), "--store", str(store), "--state", STATE] + (["--on", day] if day else [])
    assert main(args) == 0
    return capsys.readouterr().out.splitlines()


def test_show_says_what_the_window_says_of_each_code(qtbot, settings_dir, tmp_path, monkeypatch, capsys, databases):
    db, store = databases
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "no-default.sqlite"))
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    window = open_window(qtbot, db, ReleaseStore(store, extra=[db]))
    window.state.set_payment_state(STATE)
    compared = set()
    for code, day in sorted(SAMPLE, key=lambda sample: bool(sample[1])):  # the dates of service last
        if day:
            window.serviceDate.edit.clear()
            qtbot.keyClicks(window.serviceDate.edit, day)
            qtbot.keyClick(window.serviceDate.edit, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: str(window.session.service_date) == day)
        shown, printed = facts(window_lines(qtbot, window, code)), facts(show_lines(capsys, db, store, code, day))
        assert printed == shown, (code, day, {"window only": shown - printed, "show only": printed - shown})
        compared |= set(shown)
    window.close()
    # The sample reaches every section: fields decoded, names, history, the date, payment, units, a termination.
    for section in ("0088 — ", "Codes that refer to G0306", "Replaced by G0306", "History across releases",
                    "✖ Not valid on 2030-02-01", "DMEPOS PA non-rural: RR $20.04", "DMEPOS: not on the DMEPOS fee",
                    "1 unit = 10 mg", "Part B limit $1.250 per 10 MG", "Payment facts for the date of service",
                    "GA Modifier"):
        assert any(section in line for line in compared), section
