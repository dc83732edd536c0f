"""Searching the database: what a coder types in, ranked codes out.

Most tests search a database built once from SAMPLE_RECORDS. A second small
database holds codes whose short descriptions are abbreviated while their long
descriptions avoid the spelled-out words, to show that a spelled-out query finds
the abbreviation itself.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.search import Filters, Hit, SearchEngine, SearchResult
from release_files import SAMPLE_RECORDS, record, write_txt

BY_CODE = {rec["code"]: rec for rec in SAMPLE_RECORDS}
TERMINATED = {rec["code"] for rec in SAMPLE_RECORDS if rec["termination_date"]}


@pytest.fixture(scope="module")
def engine(sample_db) -> SearchEngine:
    return SearchEngine(open_database(sample_db))


# Codes whose short description is the only place the abbreviation's meaning appears.
ABBREVIATED = [
    record("E0990", "Portable gas cylinder for use away from the residence", "Portable o2 cylinder"),
    record("L0990", "Knee brace lacking hinges, prefabricated", "Knee brace w/o hinges"),
    record("S0990", "Pump based drug delivery at the residence, per diem", "Hit pump per diem"),
]


def engine_of(tmp_path_factory, name: str, records: list[dict]) -> SearchEngine:
    """A search engine on a database built from `records` alone."""
    folder = tmp_path_factory.mktemp(name)
    build_database(write_txt(folder / "HCPC2030_JAN_ANWEB.txt", records), folder / "hcpcs.sqlite")
    return SearchEngine(open_database(folder / "hcpcs.sqlite"))


@pytest.fixture(scope="module")
def abbreviated_engine(tmp_path_factory) -> SearchEngine:
    return engine_of(tmp_path_factory, "abbreviated", ABBREVIATED)


# A thing and the parts of it, each named the way CMS names parts.
WITH_PARTS = [
    record("E0900", "Addition to a folding frame, glide brakes for the rear legs", "Add to frame glide brakes"),
    record("E0901", "Replacement handgrip for a folding frame, each", "Repl handgrip folding frame"),
    record("E0902", "Frame accessory, basket for a folding frame", "Frame accessory basket"),
    record("E0910", "Folding frame with glide brakes, adjustable height", "Folding frame glide brakes"),
]


@pytest.fixture(scope="module")
def parts_engine(tmp_path_factory) -> SearchEngine:
    return engine_of(tmp_path_factory, "parts", WITH_PARTS)


def codes(result: SearchResult) -> list[str]:
    return [hit.code for hit in result.hits]


def words_in(code: str) -> str:
    rec = BY_CODE[code]
    return f"{rec['short_description']} {rec['long_description']}".lower()


# Codes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["S9353", "s9353", " S9353 ", "s9353\n"])
def test_exact_code_in_any_case_comes_first(engine, typed):
    assert codes(engine.search(typed))[0] == "S9353"


def test_exact_modifier_comes_first(engine):
    assert codes(engine.search("ga"))[0] == "GA"


def test_code_prefix_lists_the_codes_that_start_with_it(engine):
    result = engine.search("E01")
    assert codes(result) == ["E0100", "E0101", "E0105"]
    assert result.total == 3


def test_one_letter_prefix_lists_its_whole_section(engine):
    expected = sorted(code for code in BY_CODE if code.startswith("A"))
    assert set(expected) <= set(codes(engine.search("A")))


def test_range_lists_the_codes_between_its_ends(engine):
    result = engine.search("E0100-E0105")
    assert codes(result) == ["E0100", "E0101", "E0105"]
    assert result.total == 3


@pytest.mark.parametrize("typed", ["E0105-E0100", "e0105 - e0100", "E0105..E0100", "E0105 to E0100"])
def test_range_written_backwards_or_otherwise_gives_the_same_codes(engine, typed):
    assert codes(engine.search(typed)) == ["E0100", "E0101", "E0105"]


@pytest.mark.parametrize("typed", [
    "S9353 E0100 G0001",
    "S9353, E0100, G0001",
    "S9353\nE0100\nG0001",
    "s9353,e0100\r\n  g0001",
])
def test_pasted_list_keeps_the_pasted_order(engine, typed):
    result = engine.search(typed)
    assert codes(result) == ["S9353", "E0100", "G0001"]
    assert result.unknown == []


@pytest.mark.parametrize("typed", ["E0100 Z9999 A4233 Y1234", "E0100, Z9999, A4233, Y1234", "E0100\nZ9999\nA4233\nY1234"])
def test_pasted_list_reports_the_codes_not_in_the_release(engine, typed):
    result = engine.search(typed)
    assert codes(result) == ["E0100", "A4233"]
    assert result.unknown == ["Z9999", "Y1234"]


def test_pasted_list_of_modifiers_with_commas(engine):
    assert codes(engine.search("RT, GA, 25")) == ["RT", "GA", "25"]


@pytest.mark.parametrize("typed", ["E0100-RT", "E0100RT", "e0100 rt", "E0100:RT", "E0100-rt"])
def test_code_with_its_modifier_lists_both(engine, typed):
    assert codes(engine.search(typed)) == ["E0100", "RT"]


def test_pasted_list_names_the_cpt_codes_and_non_codes_it_skipped(engine):
    result = engine.search("S9353, 99213, E0100, 0042T, XX999")
    assert codes(result) == ["S9353", "E0100"]
    assert result.skipped == [("99213", "cpt"), ("0042T", "cpt"), ("XX999", "not a code")]


def test_a_cpt_code_alone_is_named_as_one(engine):
    result = engine.search("99213")
    assert result.hits == [] and result.skipped == [("99213", "cpt")]


def test_a_list_of_thousands_of_codes_keeps_every_valid_one_in_order(engine):
    known = ["S9353", "E0100", "A4233", "G0001"]
    pasted = [known[i % 4] if i % 5 else f"Z{i:04d}" for i in range(5_000)]
    result = engine.search("\n".join(pasted))
    assert codes(result) == list(dict.fromkeys(c for c in pasted if c in known))
    assert result.unknown == [c for c in dict.fromkeys(pasted) if c.startswith("Z")]
    assert len(result.unknown) == 1_000


@pytest.mark.parametrize("typed", ["GA", "-GA", "ga", "-ga"])
def test_modifier_with_or_without_its_dash_finds_the_modifier(engine, typed):
    result = engine.search(typed)
    assert codes(result)[0] == "GA"
    assert result.hits[0].kind == "modifier"


# Words --------------------------------------------------------------------------------------------


def test_word_is_matched_as_a_prefix(engine):
    assert codes(engine.search("insul")) == ["S9353"]


def test_words_match_across_short_and_long_descriptions(engine):
    # "otc" is only in L1830's short description, "shel" only starts a word of its long one.
    assert "otc" in BY_CODE["L1830"]["short_description"] and "otc" not in BY_CODE["L1830"]["long_description"]
    assert codes(engine.search("shel otc")) == ["L1830"]


def test_codes_matching_every_word_come_first(engine):
    result = codes(engine.search("cane seat"))
    assert result[0] == "E0101"
    assert set(result[1:]) == {code for code in BY_CODE if "cane" in words_in(code) or "seat" in words_in(code)} - {"E0101"}


def test_codes_matching_some_words_follow_rarest_word_first(engine):
    # No code says both; "insulin" (one code) is rarer than "cane" (three).
    result = codes(engine.search("insulin cane"))
    assert result[0] == "S9353"
    assert set(result[1:]) == {"E0100", "E0101", "E0105"}


def test_ranked_codes_containing_every_word_precede_the_others(engine):
    result = engine.search("blood glucose")
    both = [code for code in codes(result) if "blood" in words_in(code) and "glucose" in words_in(code)]
    assert both and codes(result)[: len(both)] == both


def test_a_word_no_code_has_is_left_out_and_reported(engine):
    result = engine.search("qwxz insulin")
    assert codes(result) == ["S9353"] and result.ignored == ["qwxz"]


@pytest.mark.parametrize("typed", ["hcpcs code for insulin", "what is the cpt code for insulin", "insulin billing code"])
def test_words_about_the_lookup_itself_carry_no_weight(engine, typed):
    assert codes(engine.search(typed)) == ["S9353"]


def test_kind_word_steers_towards_that_kind_without_being_required(engine):
    # "same" is in a modifier's description and in no procedure's; "modifier" is in none.
    assert codes(engine.search("same modifier"))[0] == "25"


def test_the_thing_comes_before_additions_accessories_and_replacements_for_it(parts_engine):
    assert codes(parts_engine.search("folding frame"))[0] == "E0910"
    assert codes(parts_engine.search("glide brakes"))[0] == "E0910"


@pytest.mark.parametrize(("typed", "code"), [("frame addition", "E0900"), ("frame accessory", "E0902"),
                                             ("replacement frame", "E0901")])
def test_asking_for_a_part_lists_the_parts_as_ranked(parts_engine, typed, code):
    assert codes(parts_engine.search(typed))[0] == code


def test_asked_for_a_modifier_the_modifiers_come_first_even_matching_fewer_words(tmp_path_factory):
    engine = engine_of(tmp_path_factory, "modifiers", [
        record("S9152", "Speech therapy, re-evaluation", "Speech therapy, re-eval"),
        record("GN", "Services delivered under an outpatient speech language pathology plan of care", "Op speech"),
    ])
    assert codes(engine.search("speech therapy modifier")) == ["GN", "S9152"]
    assert codes(engine.search("speech therapy")) == ["S9152", "GN"]


def test_plural_query_finds_the_singular(engine):
    # A4300 says "catheter" only; A4233 says "battery" only.
    assert "A4300" in codes(engine.search("catheters"))
    assert "A4233" in codes(engine.search("batteries"))


def test_singular_query_finds_the_plural(engine):
    # A4355 says "catheters"; A4630 says "batteries" only, which "battery" is not a prefix of.
    assert "A4355" in codes(engine.search("catheter"))
    assert "A4630" in codes(engine.search("battery"))


@pytest.mark.parametrize(("typed", "code"), [("hit", "S9353"), ("w/o", "L1830"), ("o2", "E0431")])
def test_abbreviation_finds_the_code_whose_short_description_uses_it(engine, typed, code):
    assert code in codes(engine.search(typed))


def test_w_slash_o_in_a_phrase_finds_the_abbreviated_code(engine):
    assert codes(engine.search("knee w/o joints"))[0] == "L1830"


def test_spelled_out_oxygen_finds_o2(abbreviated_engine):
    assert codes(abbreviated_engine.search("oxygen")) == ["E0990"]


def test_spelled_out_without_finds_w_slash_o(abbreviated_engine):
    assert codes(abbreviated_engine.search("without hinges")) == ["L0990"]


def test_spelled_out_home_infusion_therapy_finds_hit(abbreviated_engine):
    assert codes(abbreviated_engine.search("home infusion therapy")) == ["S0990"]


def test_terminated_code_ranks_after_active_codes_in_word_results(engine):
    result = codes(engine.search("blood"))
    assert "G0001" in result and result[-1] == "G0001"
    assert len(result) > 1


def test_terminated_code_ranks_after_active_codes_in_prefix_results(engine):
    result = codes(engine.search("G0"))
    assert set(result) == {code for code in BY_CODE if code.startswith("G0")}
    assert result[-1] == "G0001"


def test_hits_say_which_codes_are_terminated(engine):
    statuses = {hit.code: hit.status for hit in engine.search("G0").hits}
    assert {code for code, status in statuses.items() if status == "terminated"} == TERMINATED


def test_limit_caps_the_hits_but_total_counts_every_match(engine):
    everything = engine.search("with")
    capped = engine.search("with", limit=2)
    assert len(everything.hits) > 2
    assert codes(capped) == codes(everything)[:2]
    assert capped.total == everything.total == len(everything.hits)


def test_code_prefix_total_counts_each_code_once(engine):
    everything = engine.search("G0")
    assert everything.total == len(everything.hits) == len(set(codes(everything)))
    assert engine.search("G0", limit=1).total == everything.total


# Filters ------------------------------------------------------------------------------------------


def test_status_filter(engine):
    assert codes(engine.search("blood", Filters(status="terminated"))) == ["G0001"]
    assert "G0001" not in codes(engine.search("blood", Filters(status="active")))


@pytest.mark.parametrize(("name", "value", "typed"), [
    ("status", "active", "blood"),
    ("section", "E", "with"),
    ("coverage", "C", "with"),
    ("betos", "D1E", "with"),
])
def test_filter_keeps_exactly_the_matching_codes(engine, name, value, typed):
    unfiltered = engine.search(typed).hits
    filtered = engine.search(typed, Filters(**{name: value}))
    expected = [hit.code for hit in unfiltered if getattr(hit, name) == value]
    assert expected and len(expected) < len(unfiltered)  # the filter has something to leave out
    assert sorted(codes(filtered)) == sorted(expected)
    assert filtered.total == len(expected)


def test_modifier_section_filter_keeps_only_modifiers(engine):
    hits = engine.search("s", Filters(section="modifier")).hits
    assert hits and all(hit.kind == "modifier" for hit in hits)
    assert codes(engine.search("same", Filters(section="modifier"))) == ["25"]


def test_a_code_asked_for_but_hidden_by_a_filter_is_reported(engine):
    result = engine.search("S9353", Filters(section="E"))
    assert "S9353" not in codes(result)
    assert [(hit.code, by) for hit, by in result.hidden] == [("S9353", "section")]


def test_a_terminated_code_hidden_by_the_status_filter_is_reported_with_its_date(engine):
    result = engine.search("G0001, S9353", Filters(status="active"))
    assert codes(result) == ["S9353"]
    ((hit, by),) = result.hidden
    assert (hit.code, hit.status, by) == ("G0001", "terminated", "status")


def test_every_match_is_reachable_a_page_at_a_time(engine):
    everything = codes(engine.search("with", limit=1_000))
    result = engine.search("with", limit=2)
    assert codes(result) == everything[:2] and result.total == len(everything)
    while len(result.hits) < result.total:
        assert engine.fetch_more(result, 2)
    assert codes(result) == everything
    assert engine.fetch_more(result, 2) == []


# What each sortable column orders by, as a coder reads the column (ties: rank order).
SORT_KEYS = {
    "code": lambda hit: hit.code,
    "short_description": lambda hit: hit.short_description.casefold(),
    "long_description": lambda hit: hit.long_description.casefold(),
    "status": lambda hit: (hit.status == "terminated", hit.termination_date),
}


@pytest.mark.parametrize("column", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("typed", ["with", "a", "E0100-E0999"])
def test_a_sorted_result_orders_every_match_and_reads_only_its_first_page(engine, column, descending, typed):
    everything = engine.search(typed, limit=1_000).hits
    result = engine.search(typed, limit=2)
    ordered = engine.sorted_by(result, column, descending, limit=2)
    expected = [hit.code for hit in sorted(everything, key=SORT_KEYS[column], reverse=descending)]
    assert len(ordered.hits) == 2 and ordered.total == result.total == len(expected)
    while engine.fetch_more(ordered, 2):
        pass
    assert codes(ordered) == expected
    assert codes(result) == [hit.code for hit in everything[:2]]  # the ranked result keeps its order


def test_a_result_sorted_by_why_it_matched_reads_every_row(abbreviated_engine):
    everything = abbreviated_engine.search("oxygen knee residence", limit=1_000).hits
    result = abbreviated_engine.search("oxygen knee residence", limit=1)
    ordered = abbreviated_engine.sorted_by(result, "reason")
    assert len(ordered.hits) == ordered.total == len(everything) == 3
    assert codes(ordered) == [hit.code for hit in sorted(everything, key=lambda hit: hit.reason)]
    assert ordered.hits[-1].reason == "oxygen → o2 (CMS abbreviation)"


def test_filters_apply_to_ranges_and_lists(engine):
    assert codes(engine.search("A4000-A4999", Filters(coverage="C"))) == ["A4355"]
    result = engine.search("A4233, A4355", Filters(coverage="C"))
    assert codes(result) == ["A4355"] and result.unknown == []  # filtered out is not unknown


# Misspellings ------------------------------------------------------------------------------------


def test_misspelled_word_is_corrected_and_the_results_shown_at_once(engine):
    result = engine.search("insulni")
    assert codes(result) == ["S9353"]
    assert result.corrections == [("insulni", "insulin")] and result.corrected_text == "insulin"
    assert result.hits[0].reason == "corrected: insulni → insulin"


def test_correction_can_be_turned_off(engine):
    result = engine.search("insulni", correct=False)
    assert result.hits == [] and result.corrections == [] and result.ignored == ["insulni"]


def test_a_word_being_typed_is_corrected_as_the_start_of_a_word(engine):
    assert codes(engine.search("insulen")) == ["S9353"]
    assert engine.search("insyl").corrections == [("insyl", "insul")]


def test_of_equally_close_corrections_the_one_that_goes_with_the_other_words_wins(tmp_path_factory):
    records = [record(f"A90{i:02d}", f"Dressing, color coded, size {i}", f"Dressing color {i}") for i in range(5)]
    records.append(record("L0120", "Cervical collar, foam, prefabricated", "Cervical collar foam"))
    engine = engine_of(tmp_path_factory, "collar", records)
    result = engine.search("cervical colar")
    assert result.corrections == [("colar", "collar")]  # not the commoner "color"
    assert codes(result)[0] == "L0120"
    assert engine.search("colar").corrections == [("colar", "color")]  # alone, the commoner word


@pytest.mark.parametrize("typed", ["qwertyuiop", "zzzzzz", "cane xyzzyq"])
def test_no_correction_without_a_close_word(engine, typed):
    assert engine.search(typed).corrections == []


def test_query_with_results_gets_no_correction(engine):
    assert engine.search("insulin").corrections == []


# Anything at all can be typed ---------------------------------------------------------------------

HOSTILE = [
    '"', '""', '"insulin', 'insulin"', "'", "*", "insulin*", "*insulin",
    "NEAR", "NEAR(insulin pump)", "NEAR(insulin pump, 3)", "AND", "OR", "NOT", "insulin AND",
    "AND insulin", "insulin NOT pump", "insulin OR cane", "-", "--", "-insulin", "- -GA",
    "(", ")", "()", "(insulin", "insulin)", ":", "code:", "code:S9353", "short_description:insulin",
    "{code}: insulin", "^", "^insulin", "+", "\x00", "insulin\x00pump", "\U0001f600", "\U0001f600 insulin",
    "a" * 10_000, "insulin " * 1_250, "-" * 10_000, '"' * 10_000, "(" * 10_000, "E0100 " * 2_000,
    "\u200b", "\ufb01", "\u0130", "\u00b2", "E0100--E0105", "w/", "/", "w/o/", "\\", "%", "_", "[", "]",
]


def check_result(result) -> None:
    assert isinstance(result, SearchResult)
    assert isinstance(result.hits, list) and all(isinstance(hit, Hit) for hit in result.hits)
    assert result.total >= len(result.hits)


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda text: repr(text[:20]) + (f"x{len(text)}" if len(text) > 20 else ""))
def test_hostile_query_gives_a_result_not_an_error(engine, typed):
    check_result(engine.search(typed))


@pytest.mark.parametrize("typed", ['"insulin', "insulin*", "(insulin", "^insulin", "-insulin", "insulin\x00pump",
                                   "\U0001f600 insulin"])
def test_query_syntax_characters_are_read_as_plain_text(engine, typed):
    assert codes(engine.search(typed)) == ["S9353"]


def test_empty_and_blank_queries_give_no_hits(engine):
    for typed in ("", "   ", "\n\t", "\x00"):
        result = engine.search(typed)
        assert result.hits == [] and result.total == 0


FTS5_SYNTAX = st.sampled_from([
    '"', "*", "NEAR", "NEAR(", "AND", "OR", "NOT", "-", "(", ")", ":", "^", "\x00", "\U0001f600",
    " ", ",", "\n", "+", "{", "}", "code:", "w/o", "w/", "hit", "o2", "insulin", "GA", "E0100", "E01", "..",
    "home infusion therapy", "without", "with", "oxygen", "end stage renal",
])
HOSTILE_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(FTS5_SYNTAX, st.text(max_size=4)), max_size=30).map("".join),
    st.builds(lambda piece, count: piece * count, st.one_of(FTS5_SYNTAX, st.text(min_size=1, max_size=3)),
              st.integers(min_value=1_000, max_value=10_000)),
)
PROPERTY = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(typed=st.text())
def test_any_text_gives_a_result_not_an_error(engine, typed):
    check_result(engine.search(typed))


@PROPERTY
@given(typed=HOSTILE_TEXT)
def test_any_mix_of_query_syntax_gives_a_result_not_an_error(engine, typed):
    check_result(engine.search(typed))


def test_filter_values_count_codes_per_coverage_with_meanings(engine):
    values = {value: (meaning, count) for value, meaning, count in engine.filter_values("coverage")}
    assert values["I"][1] == sum(r["coverage"] == "I" for r in SAMPLE_RECORDS)
    assert values["I"][0] == "Not payable by Medicare"
    with pytest.raises(ValueError):
        engine.filter_values("code; DROP TABLE codes")


# NDC -> code ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ndc_engine(sample_release, tmp_path_factory) -> SearchEngine:
    """The sample release with an NDC-HCPCS crosswalk (J0121: 12345-0678-90 and 01234-0567-08)."""
    from payment_files import write_crosswalk

    folder = tmp_path_factory.mktemp("ndc_search")
    write_crosswalk(folder)
    build_database(sample_release / "HCPC2030_JAN_ANWEB.txt", folder / "hcpcs.sqlite", payment=folder)
    return SearchEngine(open_database(folder / "hcpcs.sqlite"))


@pytest.mark.parametrize("typed", ["12345-0678-90", "12345067890", "1234567890", "12345-678-90", "ndc 12345-0678-90",
                                   "01234-567-08", "01234-0567-8", "0123456708"])
def test_an_ndc_in_any_form_lists_the_code_it_bills_under(ndc_engine, typed):
    result = ndc_engine.search(typed)
    assert result.query.kind == "ndc"
    assert codes(result) == ["J0121"]
    (ndc, packages), = result.packages
    assert packages[0].code == "J0121" and packages[0].billing_units_per_package in (100, 40)


def test_an_ndc_no_crosswalk_lists_finds_nothing_and_says_no_code(ndc_engine, engine):
    result = ndc_engine.search("99999-9999-99")
    assert (result.query.kind, codes(result), result.unknown) == ("ndc", [], [])
    assert codes(engine.search("12345-0678-90")) == []  # a database without payment files


@pytest.mark.parametrize("typed, kind", [("99213", "list"), ("12345 67890", "list"), ("E0100-E0105", "range"),
                                         ("123456789", "list"), ("1234567890123", "list"), ("J0121", "code"),
                                         ("12-3456-7890", "words")])
def test_numbers_that_are_no_ndc_are_read_as_before(ndc_engine, typed, kind):
    assert ndc_engine.search(typed).query.kind == kind


# Codes told apart by what their description sets aside, and by a size.
SET_ASIDE_AND_SIZES = [
    record("E0935", "Continuous passive motion exercise device for use on knee only", "Cont pas motion exercise dev"),
    record("E0936", "Continuous passive motion exercise device for use other than knee", "Cpm device, other than knee"),
    record("J7030", "Infusion, normal saline solution, 1000 cc", "Normal saline solution infus"),
    record("J7040", "Infusion, normal saline solution, sterile (500 ml=1 unit)", "Normal saline solution infus"),
    record("J7050", "Infusion, normal saline solution, 250 cc", "Normal saline solution infus"),
    record("E0607", "Home blood glucose monitor", "Home blood glucose monitor"),
    record("M1169", "Documentation of medical reason(s) for not administering influenza vaccine",
           "Doc med rsn no flu vax"),
    record("Q2039", "Influenza virus vaccine, not otherwise specified", "Influenza virus vaccine, nos",
           pricing_indicator_1="51"),
    record("J9190", "Injection, fluorouracil, 500 mg", "Fluorouracil injection", pricing_indicator_1="51"),
    record("K0001", "Standard wheelchair", "Standard wheelchair"),
    record("K0007", "Extra heavy duty wheelchair, patient weight capacity greater than 300 pounds",
           "Extra heavy duty wheelchair"),
    record("S8121", "Oxygen contents, liquid, 1 unit equals 1 pound", "O2 contents liquid lb"),
    record("E0430", "Portable gaseous oxygen system, purchase; includes regulator, flowmeter, humidifier, cannula "
                    "or mask, and tubing", "Oxygen system gas portable"),
    record("A0422", "Ambulance (als or bls) oxygen and oxygen supplies, life sustaining situation",
           "Ambulance 02 life sustaining"),
    record("L1832", "Knee orthosis, adjustable knee joints (unicentric or polycentric), positional orthosis, rigid "
                    "support, prefabricated item", "Ko adj jnt pos rigid support"),
    record("G0305", "Post discharge pulmonary surgery services after lvrs, minimum of 6 days",
           "Post op service lvrs min 6"),
    record("S0800", "Laser in situ keratomileusis (lasik) surgery", "Lasik"),
    record("S0810", "Photorefractive keratectomy (prk) surgery", "Photorefractive keratectomy"),
]


@pytest.fixture(scope="module")
def set_aside_engine(tmp_path_factory) -> SearchEngine:
    return engine_of(tmp_path_factory, "set-aside", SET_ASIDE_AND_SIZES)


def test_a_code_whose_description_sets_aside_the_word_asked_for_comes_after_one_for_it(set_aside_engine):
    assert codes(set_aside_engine.search("passive motion knee"))[:2] == ["E0935", "E0936"]
    assert codes(set_aside_engine.search("cpm knee"))[:2] == ["E0935", "E0936"]
    # Asked for what is set aside, it comes first.
    assert codes(set_aside_engine.search("passive motion other than knee"))[0] == "E0936"


def test_a_size_typed_orders_the_codes_that_match_the_thing(set_aside_engine):
    assert codes(set_aside_engine.search("normal saline 250 cc"))[0] == "J7050"
    assert codes(set_aside_engine.search("ns 1000 ml"))[0] == "J7030"  # ns: normal saline; ml: cc
    assert codes(set_aside_engine.search("normal saline 500"))[0] == "J7040"


def test_a_unit_typed_apart_from_its_number_qualifies_the_thing_and_never_names_it(set_aside_engine):
    # "lb" is no word naming what is asked for: the wheelchairs come first, never liquid oxygen by the pound.
    assert codes(set_aside_engine.search("which wheelchair for a 400 lb patient"))[:2] == ["K0001", "K0007"]
    # A detail CMS writes otherwise (400: "greater than 300") leaves the others to order the codes.
    assert codes(set_aside_engine.search("wheelchair 400 pounds"))[0] == "K0007"


def test_a_phrase_the_vocabulary_knows_is_known_with_an_abbreviation_typed_for_a_word(set_aside_engine):
    # "oxygen tank" is a coder's phrase for CMS's "gaseous oxygen"; o2 is oxygen.
    first = set_aside_engine.search("o2 tank").hits[0]
    assert (first.code, first.reason) == ("E0430", "o2 tank → gaseous oxygen (synonym)")


def test_words_of_when_it_happens_never_outweigh_the_thing_asked_for(set_aside_engine):
    # "after" and "surgery" together are commoner than "knee brace" is rare: "after" tells when, not what.
    assert codes(set_aside_engine.search("hinged knee brace after acl surgery"))[0] == "L1832"


def test_a_misspelled_coder_word_is_corrected_to_it_not_only_to_cms_words(set_aside_engine):
    result = set_aside_engine.search("glucomiter")
    assert codes(result) == ["E0607"]
    assert result.corrections == [("glucomiter", "glucometer")]


def test_a_code_that_reports_a_quality_measure_comes_after_the_item_unless_reporting_is_asked(set_aside_engine):
    assert codes(set_aside_engine.search("influenza vaccine")) == ["Q2039", "M1169"]
    # "flu", a word the vocabulary knows and typed whole, is no start of "fluorouracil".
    assert codes(set_aside_engine.search("flu shot")) == ["Q2039", "M1169", "J9190"]
    assert codes(set_aside_engine.search("influenza vaccine not given reason"))[0] == "M1169"


def test_a_word_matched_whole_is_shown_in_bold_whole_not_as_the_start_of_another(set_aside_engine):
    from hcpcs_desktop.ui.results_view import segments

    result = set_aside_engine.search("flu shot")
    bold = [piece for piece, matched in segments("Injection, fluorouracil, 500 mg", result.terms) if matched]
    assert bold == ["Injection"]  # "shot" found it through "injection"; "flu" is no start of "fluorouracil"
    assert [p for p, matched in segments("Influenza virus vaccine, nos", result.terms) if matched] == \
        ["Influenza", "vaccine"]
    typing = set_aside_engine.search("fluo")  # still being typed: the start of a word
    assert [p for p, matched in segments("Injection, fluorouracil", typing.terms) if matched] == ["fluo"]
