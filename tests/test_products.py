"""The reviewed list of device and supply products (hcpcs_desktop/data/products.py).

Each product, brand or maker name ("dreamwear") is tied to the kind of item it is
("cpap nasal mask"), and each kind to the phrases CMS writes for it ("nasal interface (mask
or cannula type) used with positive airway pressure device"). These tests check the list's
shape, and, on the real April 2026 release, that every CMS phrase occurs in the short or long
description of some code and that no kind's phrases spread over more codes than that kind of
item has.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from conftest import real_file
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.products import PRODUCT_KINDS, PRODUCTS

APRIL_2026 = "2026-apr/hcpc2026_apr_anweb_0"

# The search index's own tokenizer (see schema.py), to split phrases exactly as it does.
_TOKENIZER = sqlite3.connect(":memory:")
_TOKENIZER.execute("CREATE VIRTUAL TABLE text USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
_TOKENIZER.execute("CREATE VIRTUAL TABLE words USING fts5vocab(text, instance)")


def index_words(phrase: str) -> tuple[str, ...]:
    """The words the search index makes of `phrase`, in order ("bi-level" -> bi, level)."""
    with _TOKENIZER:
        _TOKENIZER.execute("DELETE FROM text")
        _TOKENIZER.execute("INSERT INTO text VALUES (?)", (phrase,))
        return tuple(term for (term,) in _TOKENIZER.execute("SELECT term FROM words ORDER BY offset"))


# The list's shape ---------------------------------------------------------------------------------


def test_the_lists_hold_several_hundred_products_of_named_kinds():
    assert len(PRODUCTS) >= 400
    for entry in PRODUCTS:
        assert isinstance(entry, tuple) and len(entry) == 3, entry
        assert all(isinstance(text, str) and text for text in entry), entry
    for kind, phrases in PRODUCT_KINDS.items():
        assert isinstance(kind, str) and kind, kind
        assert isinstance(phrases, tuple) and phrases, f"{kind}: no CMS phrase"
        assert all(isinstance(phrase, str) and phrase for phrase in phrases), f"{kind}: an empty phrase"


def test_every_product_is_of_a_kind_the_list_names():
    unknown = sorted({kind for _, kind, _ in PRODUCTS if kind not in PRODUCT_KINDS})
    assert not unknown, f"kinds no PRODUCT_KINDS entry names: {unknown}"


def test_every_kind_names_some_product():
    used = {kind for _, kind, _ in PRODUCTS}
    assert not [kind for kind in PRODUCT_KINDS if kind not in used]


def test_names_kinds_and_phrases_are_lower_case_without_stray_spaces():
    for name, kind, maker in PRODUCTS:
        for text in (name, kind):
            assert text == text.lower(), f"{name}: {text!r} is not lower case"
            assert text == " ".join(text.split()), f"{name}: {text!r} has stray spaces"
        assert maker == " ".join(maker.split()), f"{name}: maker {maker!r} has stray spaces"
    for kind, phrases in PRODUCT_KINDS.items():
        for text in (kind, *phrases):
            assert text == text.lower() and text == " ".join(text.split()), f"{kind}: {text!r}"


def test_no_name_is_listed_twice_for_one_kind():
    """Duplicates as the search reads them: "fisher & paykel" and "fisher paykel" are the same name."""
    seen: dict[tuple[tuple[str, ...], str], str] = {}
    for name, kind, _ in PRODUCTS:
        key = (index_words(name), kind)
        assert index_words(name), f"{name!r} has no words the search can match"
        assert key not in seen, f"{name!r} repeats {seen[key]!r} as a {kind}"
        seen[key] = name


def test_a_name_has_one_maker():
    makers: dict[str, set[str]] = {}
    for name, _, maker in PRODUCTS:
        makers.setdefault(name, set()).add(maker)
    assert not {name: found for name, found in makers.items() if len(found) > 1}


def test_no_kind_repeats_a_phrase():
    for kind, phrases in PRODUCT_KINDS.items():
        split = [index_words(phrase) for phrase in phrases]
        assert all(split), f"{kind}: a phrase with no words to match"
        assert len(set(split)) == len(split), f"{kind}: a CMS phrase twice"


def test_the_index_splits_names_and_phrases_on_punctuation():
    assert index_words("t:slim") == index_words("t slim") == ("t", "slim")
    assert index_words("v.a.c.") == ("v", "a", "c")
    assert index_words("combination oral/nasal mask") == ("combination", "oral", "nasal", "mask")


# On the real April 2026 release -------------------------------------------------------------------

# How many codes a kind's phrases may match together. CMS splits one kind of item into several
# codes by size, weight capacity, length, group, rental or purchase, prefabricated or custom
# fabricated; a kind's bound is that split with a little room, so that a phrase that drifts onto
# unrelated codes (as "mask" would onto anesthesia and oxygen masks) fails here. Kinds not named
# here are one item in a handful of codes.
DEFAULT_BOUND = 12
BOUNDS = {
    # Power wheelchairs: groups 1 to 5, each by seat type and patient weight.
    "power wheelchair": 60,
    # Ostomy pouches: closed, drainable, urinary; one or two piece; flange, filter, convexity.
    "ostomy pouch": 55,
    # Orthoses: each design in off-the-shelf, prefabricated-fitted and custom fabricated codes,
    # with the additions CMS describes by the orthosis they add to.
    "ankle foot orthosis": 50,
    "tlso": 40,
    "back brace": 30,
    "wrist brace": 30,
    "knee brace": 25,
    "hand brace": 25,
    "scoliosis brace": 20,
    "hip brace": 15,
    "shoulder brace": 15,
    # Stockings and cushions: by length and pressure, by width and purpose.
    "compression stocking": 30,
    "wheelchair seat cushion": 16,
    # Beds by height, electric or not, rails, mattress; dynamic splints by joint and motion.
    "hospital bed": 25,
    "dynamic splint": 25,
    # Manual wheelchairs by weight class and arms and leg rests; skin barriers by size and wear;
    # bandaging supplies by material.
    "manual wheelchair": 22,
    "ostomy skin barrier": 20,
    "compression bandage system": 18,
    "cros hearing aid": 14,
    "compression wrap": 14,
}


@pytest.fixture(scope="module")
def april_2026(releases_dir, tmp_path_factory) -> Iterator[sqlite3.Connection]:
    """April 2026 with its own layout and notes, built once for this module."""
    release = real_file(releases_dir, f"{APRIL_2026}/HCPC2026_APR_ANWEB.txt")
    layout = real_file(releases_dir, f"{APRIL_2026}/HCPC2026_recordlayout.txt")
    notes = real_file(releases_dir, f"{APRIL_2026}/proc_notes_APR2026.txt")
    db = tmp_path_factory.mktemp("products") / "hcpcs.sqlite"
    build_database(release, db, layout=layout, notes=notes)
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


def codes_described(conn: sqlite3.Connection, phrase: str) -> set[str]:
    """The codes that have `phrase`, words in sequence, in their short or long description."""
    expression = '{short_description long_description} : "' + " ".join(index_words(phrase)) + '"'
    return {code for (code,) in conn.execute(
        "SELECT codes.code FROM codes_fts JOIN codes ON codes.rowid = codes_fts.rowid WHERE codes_fts MATCH ?",
        (expression,),
    )}


@pytest.mark.parametrize("kind", PRODUCT_KINDS)
def test_every_phrase_of_a_kind_occurs_in_april_2026(april_2026, kind):
    missing = [phrase for phrase in PRODUCT_KINDS[kind] if not codes_described(april_2026, phrase)]
    assert not missing, f"{kind}: no code of April 2026 is described with {missing}"


@pytest.mark.parametrize("kind", PRODUCT_KINDS)
def test_a_kinds_phrases_match_no_more_codes_than_the_kind_has(april_2026, kind):
    codes = set().union(*(codes_described(april_2026, phrase) for phrase in PRODUCT_KINDS[kind]))
    assert len(codes) <= BOUNDS.get(kind, DEFAULT_BOUND), f"{kind}: {len(codes)} codes {sorted(codes)}"


def test_every_bound_is_of_a_listed_kind():
    assert not [kind for kind in BOUNDS if kind not in PRODUCT_KINDS]


def test_the_real_data_checks_can_fail(april_2026):
    """A bare word drags in unrelated codes; words out of order match nothing."""
    assert len(codes_described(april_2026, "mask")) > DEFAULT_BOUND
    assert codes_described(april_2026, "continuous positive airway pressure (cpap) device") == {"E0601"}
    assert not codes_described(april_2026, "device pressure airway positive continuous")
