"""Searching the database users get: the newest real release with every vocabulary source and
every Medicare payment file beside the releases folder (skipped when missing, a failure under
CI=true), built once per module as `build-db` builds it.
"""

from __future__ import annotations

import pytest

from conftest import real_file
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.locations import bridge_sources
from hcpcs_desktop.data.payment import crosswalk_drug_names
from hcpcs_desktop.search import SearchEngine

NEWEST = "2026-apr/hcpc2026_apr_anweb_0/HCPC2026_APR_ANWEB.txt"


@pytest.fixture(scope="module")
def engine(releases_dir, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("HCPCS_RELEASES", str(releases_dir))
    release = real_file(releases_dir, NEWEST)
    db = tmp_path_factory.mktemp("newest_real") / "hcpcs.sqlite"
    build_database(release, db, layout=release.with_name("HCPC2026_recordlayout.txt"),
                   notes=release.with_name("proc_notes_APR2026.txt"), bridges=bridge_sources(),
                   payment=releases_dir.parent / "payment")
    return SearchEngine(open_database(db))


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def top(engine, text, n=5):
    return [hit.code for hit in engine.search(text, limit=n).hits]


def test_every_drug_name_of_the_crosswalk_finds_its_code_in_the_top_five(engine):
    names: dict[str, set[str]] = {}
    for name, code, _ in crosswalk_drug_names(engine.conn):
        names.setdefault(name.lower(), set()).add(code)
    missed = {name: codes for name, codes in names.items() if not codes & set(top(engine, name))}
    assert len(names) > 1_000
    assert len(missed) <= len(names) // 100, sorted(missed.items())[:20]


@pytest.mark.parametrize(("typed", "code"), [("vueway", "A9573"), ("humulin r", "J1817"), ("zyprexa relprevv", "J2358")])
def test_a_drug_name_cms_crosswalk_knows_finds_its_code_and_says_where_from(engine, typed, code):
    first = engine.search(typed, limit=5).hits[0]
    assert first.code == code and "CMS NDC–HCPCS crosswalk" in first.reason


@pytest.mark.parametrize("typed", ["ozempic", "wegovy"])
def test_a_drug_no_code_names_is_answered_with_the_unclassified_drug_codes(engine, typed):
    result = engine.search(typed, limit=5)
    assert [h.code for h in result.hits][:2] == ["J3490", "J3590"]
    assert result.noc_listed and result.uncoded_drugs == [(typed, "semaglutide")]


def test_a_biosimilar_brand_no_source_ties_to_its_product_lists_every_product_and_says_so(engine):
    result = engine.search("yuflyma", limit=20)
    codes = {h.code for h in result.hits}
    assert {"J0139", "Q5141"} <= codes and all("reference product or a biosimilar" in h.reason for h in result.hits)


def test_a_question_lists_the_thing_it_asks_for_first(engine):
    assert top(engine, "patient sent home with a walker which code", n=3)[0].startswith("E01")


def test_a_product_name_finds_the_kind_of_item_and_says_so(engine):
    first = engine.search("oxymizer at home").hits[0]
    assert first.code == "A4615" and first.reason == "oxymizer → oxygen cannula (product name)"


def test_a_word_naming_nothing_beside_words_of_the_situation_lists_no_answers(engine):
    result = engine.search("zyxorb at home")  # no code, product or drug has that name
    assert (result.unnamed, result.total, result.matching_only) == (["zyxorb"], 0, ["home"])
    assert result.withheld > 100


def test_a_real_word_is_never_corrected_to_an_abbreviation(engine):
    assert engine.search("trampoline").corrections == []


@pytest.mark.parametrize(("typed", "code"), [
    ("ns 250 cc", "J7050"), ("lr 1000 ml", "J7120"), ("poc rental", "E1392"), ("hhn compressor", "E0570"),
    ("ifobt", "G0328"), ("cpm knee", "E0935"), ("glucomiter", "E0607"), ("prafo", "L4396"),
])
def test_an_abbreviation_coders_type_a_size_and_a_misspelled_coder_word_find_the_code(engine, typed, code):
    assert code in top(engine, typed, 3)


@pytest.mark.parametrize(("typed", "section"), [
    ("which wheelchair code for a 400 lb patient", ("E1", "K0")),  # wheelchairs, never oxygen by the pound
    ("what code is billed for a hinged knee brace after acl surgery", ("L1", "E18")),  # knee orthoses, devices
    ("fake breast after mastectomy", ("L80",)),  # breast prostheses
    ("o2 tank", ("E04",)),  # gaseous oxygen
])
def test_details_and_words_of_the_situation_never_outweigh_the_thing_asked_for(engine, typed, section):
    assert all(code.startswith(section) for code in top(engine, typed, 3))


def test_the_supplies_of_a_tens_unit_come_first_when_supplies_are_asked_for(engine):
    assert top(engine, "how do you bill monthly supplies for a tens unit", 1) == ["A4595"]
