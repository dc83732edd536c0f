"""The reviewed list of coder and lay synonyms (hcpcs_desktop/data/synonyms.py).

Each entry ties what a coder or a patient types ("back brace") to the wording CMS uses
for it ("lumbar sacral orthosis"). These tests check the list's shape, that every
typed side can be typed (the query reader keeps all its words), that every CMS side is
something the search index can match as a phrase, and, on the real October 2025
release, that every CMS phrase occurs in the descriptions of at least one code.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.search.query import parse, words_of
from hcpcs_desktop.data.synonyms import SYNONYMS

OCT_2025 = "2025-oct/HCPC2025_OCT_ANWEB.xlsx"
LAYOUT_2026 = "2026-jan/HCPC2026_recordlayout.txt"
NOTES_2026 = "2026-jan/proc_notes_JAN2026.txt"

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


def entry_id(entry: tuple[str, tuple[str, ...]]) -> str:
    return entry[0]


# The list's shape ---------------------------------------------------------------------------------


def test_the_list_is_typed_words_each_with_cms_phrases():
    assert len(SYNONYMS) >= 100
    for typed, cms in SYNONYMS:
        assert isinstance(typed, str) and typed, typed
        assert isinstance(cms, tuple) and cms, f"{typed}: no CMS phrase"
        assert all(isinstance(phrase, str) and phrase for phrase in cms), f"{typed}: an empty CMS phrase"


def test_everything_is_lower_case_without_stray_spaces():
    for typed, cms in SYNONYMS:
        for text in (typed, *cms):
            assert text == text.lower(), f"{typed}: {text!r} is not lower case"
            assert text == " ".join(text.split()), f"{typed}: {text!r} has stray spaces"


def test_each_typed_word_has_one_entry():
    """Duplicates as the search reads them: "band-aid" and "band aid" are the same key."""
    seen: dict[tuple[str, ...], str] = {}
    for typed, _ in SYNONYMS:
        key = index_words(typed)
        assert key not in seen, f"{typed!r} repeats {seen[key]!r}"
        seen[key] = typed


def test_no_entry_maps_a_word_to_itself_or_repeats_a_phrase():
    for typed, cms in SYNONYMS:
        phrases = [index_words(phrase) for phrase in cms]
        assert index_words(typed) not in phrases, f"{typed}: maps to itself"
        assert len(set(phrases)) == len(phrases), f"{typed}: a CMS phrase twice"


def test_the_query_reader_keeps_every_typed_word():
    """No typed side holds a word the query reader drops ("use") or reads as a kind of code ("supplies")."""
    for typed, _ in SYNONYMS:
        query = parse(typed)
        assert query.words == words_of(typed), f"{typed}: the query reader keeps only {query.words}"
        assert not query.kind_words, f"{typed}: read as a kind of code {query.kind_words}"


@pytest.mark.parametrize("entry", SYNONYMS, ids=entry_id)
def test_every_cms_phrase_is_words_the_index_can_match(entry):
    typed, cms = entry
    assert index_words(typed), typed
    for phrase in cms:
        assert index_words(phrase), f"{typed}: {phrase!r} has no words to match"


def test_the_index_splits_phrases_on_punctuation():
    assert index_words("bi-level") == ("bi", "level")
    assert index_words("bath/shower chair") == ("bath", "shower", "chair")
    assert index_words("Lumbar-sacral orthosis") == ("lumbar", "sacral", "orthosis")


# On the real October 2025 release ----------------------------------------------------------------


@pytest.fixture(scope="module")
def october_2025(releases_dir, tmp_path_factory) -> Iterator[sqlite3.Connection]:
    """October 2025, with the January 2026 layout and notes, built once for this module."""
    db = tmp_path_factory.mktemp("synonyms") / "hcpcs.sqlite"
    build_database(releases_dir / OCT_2025, db, layout=releases_dir / LAYOUT_2026, notes=releases_dir / NOTES_2026)
    conn = sqlite3.connect(db)
    yield conn
    conn.close()


def codes_describing(conn: sqlite3.Connection, phrase: str) -> int:
    """How many codes have `phrase`, words in sequence, in their short or long description."""
    expression = '{short_description long_description} : "' + " ".join(index_words(phrase)) + '"'
    return conn.execute("SELECT count(*) FROM codes_fts WHERE codes_fts MATCH ?", (expression,)).fetchone()[0]


@pytest.mark.parametrize("entry", SYNONYMS, ids=entry_id)
def test_every_cms_phrase_occurs_in_the_october_2025_descriptions(october_2025, entry):
    typed, cms = entry
    missing = [phrase for phrase in cms if codes_describing(october_2025, phrase) == 0]
    assert not missing, f"{typed}: no code of October 2025 is described with {missing}"


def test_the_real_data_check_can_fail(october_2025):
    """A phrase CMS never writes, or words out of order, match nothing."""
    assert codes_describing(october_2025, "lumbar sacral orthosis") > 0
    assert codes_describing(october_2025, "orthosis sacral lumbar") == 0
    assert codes_describing(october_2025, "back brace") == 0
