"""Whether a code was valid on a date of service, and which stored release applied then.

January 2030 is SAMPLE_RECORDS; April 2030 adds E0102 (added 2030-04-01), terminates E0105
(2030-03-31) and leaves RT out; July 2030 terminates L1830 (2030-06-30). The real releases
of 2019, 2020 and October 2025 are checked at the end.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import real_file
from hcpcs_desktop.cli import main
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.data.validity import Reason, parse_date, validity_on
from release_files import SAMPLE_RECORDS, record, write_layout, write_notes, write_txt

E0102 = record("E0102", "Walking cane with a forearm cuff, adjustable height", "Cane w/ forearm cuff",
               added_date="20300401", action_code="A")
APRIL = sorted([*({**rec, "termination_date": "20300331", "action_code": "D"} if rec["code"] == "E0105" else rec
                  for rec in SAMPLE_RECORDS if rec["code"] != "RT"), E0102], key=lambda rec: rec["code"])
JULY = [{**rec, "termination_date": "20300630", "action_code": "D"} if rec["code"] == "L1830" else rec
        for rec in APRIL]


@pytest.fixture(scope="module")
def store_folder(tmp_path_factory):
    """A store holding the January, April and July 2030 releases."""
    folder = tmp_path_factory.mktemp("validity")
    docs = {"layout": write_layout(folder / "HCPC2030_recordlayout.txt"),
            "notes": write_notes(folder / "proc_notes_JAN2030.txt")}
    for month, date, records in (("JAN", "2030-01-01", SAMPLE_RECORDS), ("APR", "2030-04-01", APRIL),
                                 ("JUL", "2030-07-01", JULY)):
        release = write_txt(folder / f"HCPC2030_{month}_ANWEB.txt", records)
        build_database(release, folder / f"{date}.sqlite", **docs)
    return folder


@pytest.fixture(scope="module")
def releases(store_folder):
    return ReleaseStore(store_folder, extra=()).releases()


def on(releases, code, day):
    return validity_on(releases, code, dt.date.fromisoformat(day))


def names(facts):
    return (facts.release.name if facts.release else None, facts.in_release,
            facts.dates_from.name if facts.dates_from else None)


def test_a_code_in_effect_on_the_date(releases):
    facts = on(releases, "S9353", "2030-05-15")
    assert (facts.valid, facts.reason, facts.added_date, facts.termination_date) == (
        True, Reason.IN_EFFECT, "2002-01-01", "")
    assert names(facts) == ("April 2030", True, "July 2030")


def test_the_termination_date_is_the_last_valid_day(releases):
    assert (on(releases, "E0105", "2030-03-31").valid, on(releases, "E0105", "2030-03-31").reason) == (
        True, Reason.IN_EFFECT)
    facts = on(releases, "E0105", "2030-04-01")
    assert (facts.valid, facts.reason, facts.termination_date) == (False, Reason.TERMINATED, "2030-03-31")


def test_a_termination_published_later_counts_for_a_date_an_earlier_release_applied_to(releases):
    # The April release still lists L1830 as active; July's termination date says 2030-07-01 is past it.
    facts = on(releases, "l1830", "2030-07-01")
    assert (facts.code, facts.valid, facts.reason, facts.termination_date) == (
        "L1830", False, Reason.TERMINATED, "2030-06-30")
    assert names(facts) == ("July 2030", True, "July 2030")
    assert on(releases, "L1830", "2030-05-01").valid


def test_a_date_before_the_code_was_added(releases):
    facts = on(releases, "E0102", "2030-03-15")
    assert (facts.valid, facts.reason, facts.added_date) == (False, Reason.NOT_YET_ADDED, "2030-04-01")
    assert names(facts) == ("January 2030", False, "July 2030")
    assert on(releases, "E0102", "2030-04-01").valid


def test_a_code_left_out_of_the_release_that_applied_was_dropped(releases):
    facts = on(releases, "RT", "2030-04-01")
    assert (facts.valid, facts.reason, facts.termination_date) == (False, Reason.DROPPED, "")
    assert names(facts) == ("April 2030", False, "January 2030")
    before = on(releases, "RT", "2030-03-31")
    assert (before.valid, names(before)) == (True, ("January 2030", True, "January 2030"))


def test_a_date_before_every_stored_release(releases):
    facts = on(releases, "S9353", "2029-06-01")
    assert (facts.valid, facts.release, facts.in_release) == (True, None, False)


def test_a_code_no_release_lists(releases):
    facts = on(releases, "Z9999", "2030-05-01")
    assert (facts.valid, facts.reason, facts.added_date, facts.dates_from) == (False, Reason.UNKNOWN_CODE, "", None)
    assert facts.release.name == "April 2030"


def test_the_order_the_releases_come_in_does_not_matter(releases):
    for code, day in (("RT", "2030-05-01"), ("E0102", "2030-03-15"), ("L1830", "2030-07-01")):
        assert on(releases[::-1], code, day) == on(releases, code, day)


@pytest.mark.parametrize("text, date", [
    ("2024-03-15", dt.date(2024, 3, 15)), ("20240315", dt.date(2024, 3, 15)), ("3/5/2024", dt.date(2024, 3, 5)),
    (" 12/31/2019 ", dt.date(2019, 12, 31)), ("2/1/26", dt.date(2026, 2, 1)), ("02-01-26", dt.date(2026, 2, 1)),
    ("020126", dt.date(2026, 2, 1)), ("02012026", dt.date(2026, 2, 1)), ("10102010", dt.date(2010, 10, 10)),
    ("3/15/99", dt.date(1999, 3, 15)),
])
def test_dates_of_service_as_coders_write_them(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text, problem", [
    ("2019-02-30", "not a date of the calendar"), ("13/01/2024", "not a date of the calendar"),
    ("soon", "is not a date; write it as MM/DD/YY"), ("2024-3-15", "is not a date"), ("", "is not a date"),
])
def test_what_is_not_a_date_is_refused_with_the_reason(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_date(text)


# Command line -------------------------------------------------------------------------------------


@pytest.fixture
def cli(store_folder, tmp_path, monkeypatch, capsys):
    """Run `show ... --store STORE` with no default database; (exit code, stdout, stderr)."""
    monkeypatch.setenv("HCPCS_DESKTOP_DB", str(tmp_path / "no-default.sqlite"))

    def run(*args):
        code = main(["show", *args, "--store", str(store_folder)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_show_on_says_whether_the_code_was_valid_and_which_release_applied(cli):
    code, out, _ = cli("E0105", "--on", "04/01/2030")
    assert code == 0
    assert out.splitlines() == [  # as the window says it on the code's page
        "✖ Not valid on 2030-04-01: terminated 2030-03-31, before that date. Release in effect then: April 2030 "
        "(dates as of July 2030).",
    ]


def test_show_on_words_each_reason(cli):
    assert cli("S9353", "--on", "2030-07-01")[1].splitlines() == [
        "✔ Valid on 2030-07-01 (added 2002-01-01). Release in effect then: July 2030."]
    assert cli("E0102", "--on", "2030-03-15")[1].splitlines() == [
        "✖ Not valid on 2030-03-15: added 2030-04-01, after that date. Release in effect then: January 2030 "
        "(dates as of July 2030)."]
    assert cli("RT", "--on", "2030-05-01")[1].splitlines() == [
        "✖ Not valid on 2030-05-01: dropped from the code set (not in April 2030). Release in effect then: April 2030 "
        "(dates as of January 2030)."]
    assert cli("S9353", "--on", "2029-12-31")[1].splitlines() == [
        "✔ Valid on 2029-12-31 (added 2002-01-01). No stored release is as old as 2029-12-31 (dates as of July 2030)."]


def test_show_on_as_json(cli):
    code, out, _ = cli("L1830", "--on", "2030-07-01", "--json")
    assert code == 0
    assert json.loads(out) == {
        "code": "L1830", "date": "2030-07-01", "valid": False, "reason": "terminated",
        "added_date": "1982-01-01", "termination_date": "2030-06-30",
        "release": {"name": "July 2030", "date": "2030-07-01"}, "in_release": True,
        "dates_from": {"name": "July 2030", "date": "2030-07-01"},
        "payment": None,  # no database in use to read payment facts from: only the store's releases
    }


def test_show_on_an_unknown_code_or_a_bad_date_is_one_message(cli):
    code, out, err = cli("Z9999", "--on", "2030-05-01")
    assert (code, out) == (1, "")
    assert err == "error: Z9999 is not a code of any stored release (known: January 2030, April 2030, July 2030)\n"
    with pytest.raises(SystemExit) as exit_:
        cli("S9353", "--on", "2030-02-30")
    assert exit_.value.code == 2


def test_show_on_a_bad_date_names_it(store_folder, capsys):
    with pytest.raises(SystemExit):
        main(["show", "S9353", "--on", "yesterday", "--store", str(store_folder)])
    assert "argument --on: 'yesterday' is not a date" in capsys.readouterr().err


# The real releases --------------------------------------------------------------------------------

REAL = {
    "2019-01-01": "2019-jan/2019-Alpha-Numeric-HCPCS-File.zip",
    "2020-01-01": "2020-jan/2020-Alpha-Numeric-HCPCS-File.zip",
    "2025-10-01": "2025-oct/HCPC2025_OCT_ANWEB.xlsx",
}


@pytest.fixture(scope="module")
def real_releases(releases_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("real_validity")
    for date, release in REAL.items():
        build_database(real_file(releases_dir, release), folder / f"{date}.sqlite")
    return ReleaseStore(folder, extra=()).releases()


def test_real_a_code_added_and_ended_within_2019_was_valid_in_between(real_releases):
    # C9040 is not in the January 2019 file: added 2019-04-01 by a quarterly update, ended 2019-09-30.
    facts = on(real_releases, "C9040", "2019-06-01")
    assert (facts.valid, facts.added_date, facts.termination_date) == (True, "2019-04-01", "2019-09-30")
    assert names(facts) == ("January 2019", False, "October 2025")
    assert on(real_releases, "C9040", "2019-10-01").reason is Reason.TERMINATED


def test_real_a_code_the_2019_file_listed_as_active_was_ended_by_a_correction(real_releases):
    # C9034 is active in the January 2019 file; later files end it on 2018-12-31.
    facts = on(real_releases, "C9034", "2019-01-15")
    assert (facts.valid, facts.reason, names(facts)) == (False, Reason.TERMINATED, ("January 2019", True, "October 2025"))


def test_real_a_code_ended_at_the_end_of_2019(real_releases):
    assert on(real_releases, "G0515", "2019-12-31").valid
    facts = on(real_releases, "G0515", "2020-01-01")
    assert (facts.valid, facts.reason, names(facts)) == (False, Reason.TERMINATED, ("January 2020", True, "October 2025"))


def test_real_a_code_added_in_2020(real_releases):
    assert on(real_releases, "A4226", "2019-12-31").reason is Reason.NOT_YET_ADDED
    facts = on(real_releases, "A4226", "2025-12-01")
    assert (facts.valid, names(facts)) == (True, ("October 2025", True, "October 2025"))
