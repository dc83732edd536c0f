"""Learning the abbreviations of short descriptions from their long descriptions.

`mine_abbreviations` aligns each (short description, long description) pair word by
word, left to right, and keeps the abbreviations that enough records agree on. The
unit tests use invented pairs; the last test mines the real October 2025 release
through the `releases_dir` fixture (skipped when the folder is missing, a failure under
CI=true).
"""

from __future__ import annotations

import random

import pytest

from hcpcs_desktop.data.abbreviation_mining import MinedAbbreviation, mine_abbreviations, words
from hcpcs_desktop.data.records import parse_release_data
from hcpcs_desktop.data.release_files import find_release_files

OCT_2025 = "2025-oct/HCPC2025_OCT_ANWEB.xlsx"


def mined(pairs, min_count: int = 2) -> dict[tuple[str, str], int]:
    """{(short, long): count} of what the pairs teach."""
    return {(a.short, a.long): a.count for a in mine_abbreviations(pairs, min_count=min_count)}


# What a pair teaches ------------------------------------------------------------------------------


def test_an_acronym_stands_for_consecutive_long_words():
    pairs = [
        ("Hit pump rental", "Home infusion therapy, pump rental"),
        ("Hit per diem", "Home infusion therapy, per diem"),
    ]
    assert mined(pairs) == {("hit", "home infusion therapy"): 2}


def test_an_acronym_may_leave_out_inner_and_or_of():
    pairs = [
        ("E/m visit new", "Evaluation and management visit, new patient"),
        ("E/m visit est", "Evaluation and management visit, established patient"),
    ]
    assert ("e/m", "evaluation and management") in mined(pairs)


def test_an_acronym_never_spans_a_comma():
    together = [("Rb pad", "Red blue pad"), ("Rb mat", "Red blue mat")]
    apart = [("Rb pad", "Red, blue pad"), ("Rb mat", "Red, blue mat")]
    assert ("rb", "red blue") in mined(together)
    assert ("rb", "red blue") not in mined(apart)


def test_a_truncation_is_a_prefix_of_the_long_word():
    pairs = [
        ("Cont glucose sensor", "Continuous glucose sensor, each"),
        ("Cont heat pad", "Continuous heat pad"),
    ]
    assert mined(pairs) == {("cont", "continuous"): 2}


def test_a_consonant_skeleton_keeps_the_letters_in_order():
    pairs = [
        ("Whlchr seat", "Wheelchair seat, each"),
        ("Whlchr tray", "Wheelchair tray"),
        ("Mgmt visit", "Management visit"),
        ("Mgmt call", "Management call"),
    ]
    assert mined(pairs) == {("whlchr", "wheelchair"): 2, ("mgmt", "management"): 2}


def test_with_and_without_in_slash_forms():
    pairs = [
        ("Walker w/ wheels", "Walker with wheels"),
        ("Walker w/seat", "Walker with seat"),
        ("Cane w/o tip", "Cane without tip"),
        ("Cane w/o strap", "Cane without strap"),
    ]
    assert mined(pairs) == {("w/", "with"): 2, ("w/o", "without"): 2}


def test_a_one_letter_form_never_displaces_a_longer_match():
    # "w/" could be the "w" of "wrist", but that would leave "who" unaligned.
    pairs = [
        ("Who w/joint cf", "Wrist hand orthosis, includes joints, custom fabricated"),
        ("Who w/joint ots", "Wrist hand orthosis, includes joints, off the shelf"),
    ]
    found = mined(pairs)
    assert found[("who", "wrist hand orthosis")] == 2
    assert ("w/", "wrist") not in found


def test_a_digit_form_is_learned_from_its_position_over_many_records():
    # "o2" shares no letters with "oxygen": only its place between the words around it
    # says what it stands for, so it takes five records, not two.
    items = ["tank", "mask", "tubing", "regulator", "cart", "tent"]
    pairs = [(f"Portable o2 {item}", f"Portable oxygen {item}") for item in items]
    assert mined(pairs) == {("o2", "oxygen"): 6}
    assert mined(pairs[:4]) == {}


def test_counts_are_records_and_min_count_drops_the_rare_ones():
    pairs = [
        ("Cath kit", "Catheter kit"),
        ("Cath tray", "Catheter tray"),
        ("Cath set", "Catheter set"),
        ("Orthot shoe", "Orthotic shoe"),
    ]
    assert mined(pairs) == {("cath", "catheter"): 3}
    assert mined(pairs, min_count=1) == {("cath", "catheter"): 3, ("orthot", "orthotic"): 1}
    assert mined(pairs, min_count=4) == {}


def test_one_record_counts_a_pairing_once():
    pairs = [("Cath cath adapter", "Catheter to catheter adapter"), ("Cath kit", "Catheter kit")]
    assert mined(pairs) == {("cath", "catheter"): 2}


# Ambiguity, ordinary words, order -----------------------------------------------------------------


def test_of_several_meanings_the_dominant_ones_are_kept():
    # "cont" stands for "contrast" in nine records and "continuous" in three: both are
    # kept (three is a third of nine). "contents" in two records is dropped.
    body = ["head", "neck", "chest", "abdomen", "pelvis", "spine", "hand", "foot", "knee"]
    pairs = [(f"Mri w/cont {part}", f"Mri with contrast, {part}") for part in body]
    pairs += [(f"Cont {thing} pump", f"Continuous {thing} pump") for thing in ["insulin", "pain", "feeding"]]
    pairs += [(f"Oxygen cont {form}", f"Oxygen contents, {form}") for form in ["gaseous", "liquid"]]
    found = mined(pairs)
    assert found[("cont", "contrast")] == 9
    assert found[("cont", "continuous")] == 3
    assert ("cont", "contents") not in found


def test_an_ordinary_word_of_the_long_descriptions_is_not_an_abbreviation():
    # "cap" reads as "capsule" in two short descriptions, but the long descriptions use
    # "cap" as a word of its own: it is not consistently an abbreviation.
    pairs = [
        ("Drug cap oral", "Drug capsule, oral"),
        ("Vitamin cap oral", "Vitamin capsule, oral"),
        ("Knee cap pad", "Knee cap pad, each"),
        ("Cervical cap", "Cervical cap, contraceptive"),
        ("Stoma cap", "Stoma cap"),
    ]
    assert mined(pairs) == {}


def test_an_ordinary_word_used_consistently_as_an_abbreviation_is_kept():
    # "pt" appears once as a word of a long description, but stands for "patient" in
    # three short descriptions: at least three times as often, so it is kept.
    pairs = [
        ("Pt education", "Patient education"),
        ("Pt transport", "Patient transport"),
        ("Pt lift", "Patient lift"),
        ("Prothrombin time", "Prothrombin time (pt)"),
    ]
    assert mined(pairs) == {("pt", "patient"): 3}


def test_an_inflection_is_not_an_abbreviation():
    pairs = [
        ("Home service", "Home services"),
        ("Office service", "Office services"),
        ("Screen visit", "Screening visit"),
        ("Screen call", "Screening call"),
    ]
    assert mined(pairs) == {}


def test_a_split_compound_is_not_an_abbreviation():
    # "Ft rest" spells "footrests" in two words: "ft" alone does not stand for it.
    pairs = [("Ft rest pad", "Footrests pad"), ("Ft rest cover", "Footrests cover")]
    assert mined(pairs) == {}


def test_order_matters_the_short_description_never_crosses_the_long_one():
    # "pwr" comes before "chair" in the short description but after it in the long one:
    # the alignment keeps the anchor "chair" and cannot use "power" as well.
    crossed = [("Pwr chair", "Chair, power operated"), ("Pwr chair lift", "Chair lift, power operated")]
    in_order = [("Chair pwr", "Chair, power operated"), ("Chair lift pwr", "Chair lift, power operated")]
    assert mined(crossed) == {}
    assert mined(in_order) == {("pwr", "power"): 2}


def test_an_acronym_follows_the_order_of_the_long_words():
    pairs = [("Lso brace", "Orthosis, lumbar sacral, brace"), ("Lso belt", "Orthosis, lumbar sacral, belt")]
    assert mined(pairs) == {}


def test_the_alignment_prefers_the_compact_reading():
    # "pnl" could be the "pendulous" or the "panel" between "lo" and "prefab": both skip
    # four long words, but the "panel" reading skips them in one run, and wins.
    pairs = [
        ("Lo pnl prefab", "Lumbar orthosis, for pendulous abdomen, rigid panel, prefabricated"),
        ("Lo pnl prefab ots", "Lumbar orthosis, for pendulous abdomen, soft panel, prefabricated, off the shelf"),
    ]
    found = mined(pairs)
    assert found[("pnl", "panel")] == 2
    assert ("pnl", "pendulous") not in found


# Words, punctuation, output -----------------------------------------------------------------------


def test_words_keep_slash_forms_and_split_other_slashes():
    assert words("Mri w/o fol w/cont, f/u") == ["mri", "w/o", "fol", "w/", "cont", "f/u"]
    assert words("Seat/back, W/C cushion") == ["seat", "back", "w/c", "cushion"]
    assert words("Inj., 0.5 mg; patient's") == ["inj", "0.5", "mg", "patients"]


def test_punctuation_and_case_do_not_matter():
    pairs = [
        ("INJ., DRUG A", "Injection, drug a, 1 mg"),
        ("Inj: drug b", "INJECTION (DRUG B), 5 MG"),
    ]
    assert mined(pairs) == {("inj", "injection"): 2}


def test_the_output_is_sorted_and_does_not_depend_on_input_order():
    pairs = [
        ("Whlchr seat", "Wheelchair seat"),
        ("Whlchr tray", "Wheelchair tray"),
        ("Cath kit", "Catheter kit"),
        ("Cath tray", "Catheter tray"),
        ("Hit pump", "Home infusion therapy pump"),
        ("Hit diem", "Home infusion therapy, per diem"),
    ]
    first = mine_abbreviations(pairs)
    shuffled = pairs[:]
    random.Random(7).shuffle(shuffled)
    assert mine_abbreviations(shuffled) == first
    assert first == sorted(first)
    assert [a.short for a in first] == ["cath", "hit", "whlchr"]
    assert all(isinstance(a, MinedAbbreviation) for a in first)


def test_no_pairs_no_abbreviations():
    assert mine_abbreviations([]) == []
    assert mine_abbreviations([("", ""), ("Cane", ""), ("", "Cane")]) == []


# The real October 2025 release --------------------------------------------------------------------

KNOWN = [
    ("hit", "home infusion therapy"),
    ("whlchr", "wheelchair"),
    ("wc", "wheelchair"),
    ("w/c", "wheelchair"),
    ("o2", "oxygen"),
    ("cont", "continuous"),
    ("cont", "contrast"),
    ("inj", "injection"),
    ("w/", "with"),
    ("w/o", "without"),
    ("pt", "patient"),
    ("sup", "supplies"),
    ("noc", "not otherwise classified"),
    ("ots", "off the shelf"),
    ("afo", "ankle foot orthosis"),
    ("mra", "magnetic resonance angiography"),
    ("f/u", "follow up"),
    ("mgmt", "management"),
    ("eval", "evaluation"),
    ("repl", "replacement"),
    ("cath", "catheter"),
    ("ped", "pediatric"),
]

WRONG = [
    ("cap", "capsule"),
    ("cap", "captains"),
    ("set", "settings"),
    ("no", "not"),
    ("per", "period"),
    ("in", "inches"),
    ("mg", "measures group"),
    ("or", "operating room"),
    ("post", "posterior"),
    ("w/", "who"),
    ("w/", "wrist"),
    ("cont", "contents"),
    ("pnl", "pendulous"),
    ("op", "operative pulmonary"),
]


@pytest.fixture(scope="module")
def oct_2025_pairs(releases_dir):
    records = parse_release_data(find_release_files(releases_dir / OCT_2025).data)
    return [(r["short_description"], r["long_description"]) for r in records]


@pytest.fixture(scope="module")
def oct_2025_mined(oct_2025_pairs):
    return mine_abbreviations(oct_2025_pairs)


def test_oct_2025_finds_the_well_known_abbreviations(oct_2025_mined):
    found = {(a.short, a.long) for a in oct_2025_mined}
    assert [pair for pair in KNOWN if pair not in found] == []


def test_oct_2025_does_not_find_known_wrong_pairs(oct_2025_mined):
    found = {(a.short, a.long) for a in oct_2025_mined}
    assert [pair for pair in WRONG if pair in found] == []


def test_oct_2025_output_is_clean(oct_2025_mined):
    found = oct_2025_mined
    assert len(found) > 1_000
    assert found == sorted(found)
    for a in found:
        assert a.short == a.short.lower() and a.long == a.long.lower()
        assert a.short != a.long and a.count >= 2
