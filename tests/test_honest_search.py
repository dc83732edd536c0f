"""Search that knows what it does not know: questions written as sentences, drug names only CMS's
NDC-HCPCS crosswalk knows, drugs no code names, words no code names, spellings, NDCs and units.

The database is built from a few invented records, with the build-time vocabulary (the drug
dictionary's names and the English word list) taken from a "previous" database, as the
standalone executable's build takes them, and an invented NDC-HCPCS crosswalk.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from hcpcs_desktop.cli import main
from hcpcs_desktop.data.bridges import BridgeSources
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.search import SearchEngine
from hcpcs_desktop.search.messages import result_notes, said_first
from payment_files import write_crosswalk
from release_files import record, write_txt
from test_window import click_label_link, open_window, shown_codes, type_query

RECORDS = [
    record("A4253", "Blood glucose test or reagent strips for home blood glucose monitor, per 50 strips",
           "Blood glucose/reagent strips"),
    record("A6530", "Gradient compression stocking, below knee, 18-30 mmhg, each", "Compression stocking bk18-30"),
    record("A9573", "Injection, gadopiclenol, 1 ml", "Inj, gadopiclenol, 1 ml"),
    record("E0130", "Walker, rigid (pickup), adjustable or fixed height", "Walker rigid adjust/fixed ht"),
    record("E0143", "Walker, folding, wheeled, adjustable or fixed height", "Walker folding wheeled"),
    record("E0570", "Nebulizer, with compressor", "Nebulizer with compressor"),
    record("E0601", "Continuous positive airway pressure (cpap) device", "Cont airway pressure device"),
    record("E1390", "Oxygen concentrator, single delivery port, capable of delivering 85 percent or greater "
                    "oxygen concentration at the prescribed flow rate", "Oxygen concentrator"),
    record("E2100", "Blood glucose monitor with integrated voice synthesizer", "Bld glucose monitor w voice"),
    record("E2323", "Special joystick handle for hand control interface or chin control interface",
           "Special joyst handle"),
    record("G8880", "Sentinel lymph node biopsy procedure not performed", "Sen lym p node biop not perf"),
    record("G9785", "Pathology report sent to the physician who performed the biopsy", "Path report sent"),
    record("J0139", "Injection, adalimumab, 1 mg", "Inj, adalimumab, 1 mg"),
    record("J1650", "Injection, enoxaparin sodium, 10 mg", "Inj enoxaparin sodium"),
    record("J3490", "Unclassified drugs", "Drugs unclassified injection"),
    record("J3590", "Unclassified biologics", "Unclassified biologics"),
    record("J7999", "Compounded drug, not otherwise classified", "Compounded drug, noc"),
    record("Q5001", "Hospice or home health care provided in patient's home/residence", "Hospice or home hlth in home"),
    record("Q5141", "Injection, adalimumab-aaty, biosimilar, 1 mg", "Inj adalimumab-aaty, 1 mg"),
    record("S0514", "Color contact lens, per lens", "Color contact lens"),
    record("S5165", "Home modifications; per service", "Home modifications per serv"),
    record("V2520", "Contact lens, hydrophilic, spherical, per lens", "Contact lens hydrophilic"),
    record("X4", "Episodic/focused services", "Episodic/focused services"),
]
# What the build's packages would give (the drug dictionary, the English word list): written into a
# previous database, where a build without the packages takes them from.
DICTIONARY = [("yuflyma", "adalimumab", "brand"), ("lovenox", "enoxaparin sodium", "brand")]
UNCODED = [("ozempic", "semaglutide")]
ENGLISH = {"what": 30, "which": 50, "with": 20, "home": 148, "went": 299, "sent": 721, "patient": 1768,
           "walker": 3537, "colour": 4210, "lens": 6002, "trampoline": 24340}  # word -> rank, as in the real list
# The crosswalk: Vueway is only named there; Yuflyma's NDC is billed under its own biosimilar code.
CROSSWALK = [
    ("A9573", "Invented Imaging Inc", "00000-1111-01", "Vueway", "1 ML", "10", "1", "10", "10"),
    ("Q5141", "Invented Biologics Inc", "00000-2222-01", "Yuflyma", "1 MG", "40", "1", "40", "40"),
    ("J1650", "Invented Labs Inc", "00000-3333-01", "Enoxaparin Sodium", "10 MG", "1", "10", "4", "40"),
]


def _build(folder, payment=None):
    release = write_txt(folder / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    previous = folder / "previous.sqlite"
    build_database(release, previous)
    conn = sqlite3.connect(previous)
    with conn:
        conn.executemany("INSERT INTO brand_names VALUES (?, ?, ?, 'drug dictionary')", DICTIONARY)
        conn.executemany("INSERT INTO uncoded_drugs VALUES (?, ?, 'drug dictionary')", UNCODED)
        conn.executemany("INSERT INTO english_words VALUES (?, ?)", ENGLISH.items())
    conn.close()
    db = folder / "hcpcs.sqlite"
    build_database(release, db, bridges=BridgeSources(previous=previous), payment=payment)
    return db


@pytest.fixture(scope="module")
def honest_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("honest")
    (folder / "payment").mkdir()
    write_crosswalk(folder / "payment", rows=CROSSWALK)
    return _build(folder, payment=folder / "payment")


@pytest.fixture(scope="module")
def engine(honest_db):
    return SearchEngine(open_database(honest_db))


@pytest.fixture(scope="module")
def no_crosswalk(tmp_path_factory):
    return SearchEngine(open_database(_build(tmp_path_factory.mktemp("no_crosswalk"))))


def codes(result) -> list[str]:
    return [hit.code for hit in result.hits]


def reasons(result) -> dict[str, str]:
    return {hit.code: hit.reason for hit in result.hits}


# Questions written as sentences -----------------------------------------------------------------


def test_a_question_puts_the_thing_it_names_first_not_what_its_other_words_start(engine):
    result = engine.search("patient sent home with a walker which code")
    assert set(codes(result)[:2]) == {"E0130", "E0143"}
    assert "G8880" not in codes(result)  # "sent" is no start of "sentinel"
    assert "Q5001" not in codes(result)[:2] and "G9785" not in codes(result)[:2]


def test_a_code_whose_description_the_question_says_comes_first(engine):
    result = engine.search("what is the code for a blood glucose monitor with integrated voice synthesizer")
    assert codes(result)[0] == "E2100"


def test_context_words_alone_are_still_searched(engine):
    assert "Q5001" in codes(engine.search("home"))


# Honest misses ------------------------------------------------------------------------------------


def test_a_word_naming_the_thing_that_no_code_has_is_said_first_and_incidental_matches_are_not_answers(engine):
    result = engine.search("oxymizer at home")
    assert (result.unnamed, result.matching_only, result.total) == (["oxymizer"], ["home"], 0)
    assert result.withheld == 3  # A4253, Q5001 and S5165 match "home" only
    notes = result_notes(result)
    assert "No code names oxymizer" in notes and "3 codes match only: home, not listed" in notes


def test_with_a_word_that_names_something_the_codes_listed_say_what_they_match(engine):
    result = engine.search("oxymizer concentrator")
    assert codes(result) == ["E1390"] and result.unnamed == ["oxymizer"]
    assert "the codes listed match only: concentrator" in result_notes(result)


def test_everyday_words_no_code_has_are_left_out_quietly(engine):
    result = engine.search("walker went")
    assert result.unnamed == [] and result.ignored == ["went"] and codes(result)[:2] in (["E0130", "E0143"],
                                                                                      ["E0143", "E0130"])
    assert "left out: went" in result_notes(result)


def test_a_drug_no_code_names_is_answered_with_the_unclassified_drug_codes(engine):
    result = engine.search("ozempic")
    assert codes(result)[:2] == ["J3490", "J3590"] and "J7999" in codes(result)
    assert result.noc_listed and result.uncoded_drugs == [("ozempic", "semaglutide")]
    assert result_notes(result)[1].startswith("No code names ozempic (semaglutide): a drug with no code of its own "
                                              "is billed with a not-otherwise-classified code")


# Spelling ------------------------------------------------------------------------------------------


def test_a_real_english_word_is_never_corrected(engine):
    result = engine.search("trampoline")
    assert (result.corrections, result.unnamed, codes(result)) == ([], ["trampoline"], [])


def test_a_correction_is_never_an_abbreviation_of_the_short_descriptions(engine):
    result = engine.search("jobst walker")
    assert ("jobst", "joyst") not in result.corrections and "E2323" not in codes(result)


def test_a_british_spelling_finds_the_american_one_and_says_so(engine):
    result = engine.search("colour contact lens")
    assert codes(result)[0] == "S0514" and "colour → color (US spelling)" in reasons(result)["S0514"]


def test_word_forms_meet_through_their_stem(engine):
    assert codes(engine.search("nebulizing"))[:1] == ["E0570"]


# Device and supply products ------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "code", "kind"), [("respironics", "E0601", "cpap device"),
                                                     ("jobst", "A6530", "compression stocking")])
def test_a_product_or_maker_name_finds_the_kind_of_item_and_says_so(engine, typed, code, kind):
    result = engine.search(typed)
    assert codes(result) == [code] and result.corrections == []
    assert reasons(result)[code] == f"{typed} → {kind} (product name)"


# Drug names CMS's crosswalk knows ----------------------------------------------------------------


def test_a_drug_name_only_the_crosswalk_knows_finds_its_code_and_says_where_from(engine):
    result = engine.search("vueway")
    assert codes(result) == ["A9573"]
    assert reasons(result)["A9573"] == "vueway → A9573 (CMS NDC–HCPCS crosswalk, January 2030)"


def test_a_biosimilar_brand_the_crosswalk_knows_reaches_its_own_code_not_the_reference_product(engine):
    assert codes(engine.search("yuflyma")) == ["Q5141"]


def test_without_the_crosswalk_a_biologic_brand_lists_every_product_and_says_it_cannot_tell(no_crosswalk):
    result = no_crosswalk.search("yuflyma")
    assert set(codes(result)) == {"J0139", "Q5141"}
    assert reasons(result)["J0139"] == "yuflyma → adalimumab, reference product or a biosimilar (brand name)"


# NDCs and units however written --------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["N400000111101", "n4 00000-1111-01", "00000-1111-01 ML10", "0000-0111-101",
                                   "000001-1110-1", "NDC 00000111101"])
def test_an_ndc_as_a_claim_or_a_person_writes_it(engine, typed):
    result = engine.search(typed)
    assert result.query.kind == "ndc" and codes(result) == ["A9573"]


def test_several_ndcs_pasted_list_their_codes_and_one_no_crosswalk_lists_says_so(engine):
    result = engine.search("N400000111101 ML10, N400000222201 UN1\nN499999999999")
    assert codes(result) == ["A9573", "Q5141"]
    assert [(ndc, bool(packages)) for ndc, packages in result.packages] == [
        ("00000111101", True), ("00000222201", True), ("99999999999", False)]


@pytest.mark.parametrize("typed", ["J1650 x4", "j1650 x 4", "J1650 4 units"])
def test_units_beside_a_code_are_units_not_the_x4_modifier(engine, typed):
    result = engine.search(typed)
    assert codes(result) == ["J1650"] and result.query.units == 4
    assert "J1650 × 4 units" in result_notes(result)


def test_the_x4_modifier_is_still_found_in_capitals(engine):
    assert codes(engine.search("J1650-X4")) == ["J1650", "X4"]


# The command line -----------------------------------------------------------------------------------


def test_search_json_tells_the_words_no_code_names_and_what_the_codes_not_listed_match(honest_db, capsys):
    assert main(["--db", str(honest_db), "search", "--json", "oxymizer at home"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["ignored_words"], out["unnamed_words"], out["matching_only"], out["not_listed"], out["results"]) == (
        ["oxymizer"], ["oxymizer"], ["home"], 3, [])


def test_search_says_first_that_no_code_names_the_drug(honest_db, capsys):
    assert main(["--db", str(honest_db), "search", "ozempic"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0].startswith("No code names ozempic (semaglutide)")
    assert captured.out.splitlines()[0].startswith("J3490")


@pytest.mark.parametrize(("typed", "said"), [
    ("office visit", "Office and outpatient visits are usually CPT codes 99202–99215"),
    ("what code for an established patient office visits", "Office and outpatient visits are usually CPT codes 99202–99215"),
    ("ER visit", "Emergency department visits are usually CPT codes 99281–99285"),
    ("chest x-ray portable", "Imaging studies (radiology) are usually CPT codes 70010–79999"),
    ("EKG", "Electrocardiograms are usually CPT codes 93000–93010"),
    ("psychotherapies", "Psychotherapy sessions are usually CPT codes 90832–90853"),
])
def test_a_service_billed_with_cpt_codes_is_said_first_with_its_range(engine, typed, said):
    result = engine.search(typed)
    assert said_first(result)[0].startswith(said + ", which HCPCS Level II does not list: ")
    assert result_notes(result)[1] == said_first(result)[0]


@pytest.mark.parametrize("typed", ["walker", "home visit by a nurse", "consultant", "office", "blood glucose test strips"])
def test_words_that_name_no_service_billed_with_cpt_codes_say_nothing_of_cpt(engine, typed):
    assert engine.search(typed).query.cpt_service is None


def test_search_says_first_that_a_service_is_billed_with_cpt_codes(honest_db, capsys):
    assert main(["--db", str(honest_db), "search", "walker office visit"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == ("Office and outpatient visits are usually CPT codes 99202–99215, which "
                                            "HCPCS Level II does not list: below, the HCPCS codes the words match")
    assert captured.out.splitlines()[0].startswith(("E0130", "E0143"))  # the walkers: the words match them
    assert main(["--db", str(honest_db), "search", "--json", "psychotherapy"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["cpt_service"], out["total"]) == ({"name": "Psychotherapy sessions", "codes": "90832–90853"}, 0)


# The window ----------------------------------------------------------------------------------------


@pytest.fixture
def honest_window(qtbot, honest_db, settings_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HCPCS_RELEASES", str(tmp_path / "no-releases"))
    return open_window(qtbot, honest_db, ReleaseStore(tmp_path / "store", extra=[honest_db]))


def test_the_window_says_what_no_code_names_and_lists_the_incidental_matches_only_when_asked(qtbot, honest_window):
    window = honest_window
    type_query(qtbot, window, "oxymizer at home")
    label = window.pane.countLabel
    assert label.text().startswith("No code names oxymizer · 3 codes match only: home, not listed")
    assert shown_codes(window) == []
    click_label_link(qtbot, label, "search:home")
    assert window.pane.searchBox.text() == "home"
    assert set(shown_codes(window)) == {"A4253", "Q5001", "S5165"}


def test_the_window_answers_a_drug_no_code_names_with_the_unclassified_codes(qtbot, honest_window):
    type_query(qtbot, honest_window, "ozempic")
    assert shown_codes(honest_window)[:2] == ["J3490", "J3590"]
    assert "No code names ozempic (semaglutide)" in honest_window.pane.countLabel.text()


def test_the_window_says_first_that_a_service_is_billed_with_cpt_codes(qtbot, honest_window):
    type_query(qtbot, honest_window, "ekg")
    assert honest_window.pane.countLabel.text().startswith(
        "Electrocardiograms are usually CPT codes 93000–93010, which HCPCS Level II does not list: "
        "no HCPCS code matches the words")


def test_the_window_says_why_a_crosswalk_name_matched(qtbot, honest_window):
    type_query(qtbot, honest_window, "vueway")
    assert shown_codes(honest_window) == ["A9573"]
    assert honest_window.pane.model.hit(0).reason == "vueway → A9573 (CMS NDC–HCPCS crosswalk, January 2030)"


def test_a_product_name_of_the_coders_own_is_added_with_a_note(honest_db, tmp_path):
    from hcpcs_desktop.session import Session
    from hcpcs_desktop.user_codes import UserCodes

    session = Session(UserCodes(tmp_path / "codes.json"))
    session.use(open_database(honest_db), honest_db)
    assert session.search("nitro").unnamed == ["nitro"]
    session.set_note("E0143", "Nitro rollator (Drive Medical) bills here")
    result = session.search("nitro")
    assert [h.code for h in result.hits] == ["E0143"] and result.hits[0].reason.startswith("your note: Nitro")
    assert (result.unnamed, result.matching_only, result.withheld, result_notes(result)[1:]) == ([], [], 0, [])


def test_the_window_finds_a_product_name_and_says_what_kind_of_item_it_is(qtbot, honest_window):
    type_query(qtbot, honest_window, "jobst")
    assert shown_codes(honest_window) == ["A6530"]
    assert honest_window.pane.model.hit(0).reason == "jobst → compression stocking (product name)"
    assert "joyst" not in honest_window.pane.countLabel.text()


def test_a_maker_finds_the_kinds_of_item_it_makes_and_a_model_number_is_a_detail(engine):
    result = engine.search("breas medical 1234xl")  # a maker, and a model number no code has
    assert codes(result) == ["E0601"] and result.unnamed == []
    assert reasons(result)["E0601"] == "breas medical → cpap device (maker)"


def test_a_name_and_its_model_number_typed_as_one_word_are_read_apart(engine):
    assert codes(engine.search("airsense10")) == ["E0601"]
