"""The coder's notes: kept atomically beside the settings, shared by two windows, found by their words."""

from __future__ import annotations

import json

import pytest

from hcpcs_desktop.search.query import words_of
from hcpcs_desktop.session import Session
from hcpcs_desktop.user_codes import UserCodes
from hcpcs_desktop.user_notes import MAX_NOTE_CHARS, UserNotes


def test_a_note_is_kept_changed_and_removed(tmp_path):
    notes = UserNotes(tmp_path / "notes.json")
    notes.set("S9353", "  Payer X wants KX here \n")
    assert UserNotes(tmp_path / "notes.json").get("S9353") == "Payer X wants KX here"
    notes.set("S9353", "Payer Y too")
    assert UserNotes(tmp_path / "notes.json").get("S9353") == "Payer Y too"
    notes.set("S9353", "   ")
    assert UserNotes(tmp_path / "notes.json").notes == {}
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == ["notes.json"]  # no scratch file left


def test_two_windows_keep_each_others_notes(tmp_path):
    first, second = UserNotes(tmp_path / "notes.json"), UserNotes(tmp_path / "notes.json")
    first.set("S9353", "one")
    second.set("E0100", "two")
    assert UserNotes(tmp_path / "notes.json").notes == {"S9353": "one", "E0100": "two"}


@pytest.mark.parametrize("content", ["", '{"notes": [1]}', '{"notes": {"S9353": 5, "": "x"}}'])
def test_values_that_are_no_notes_read_as_none(tmp_path, content):
    path = tmp_path / "notes.json"
    path.write_text(content)
    notes = UserNotes(path)
    assert notes.notes == {} and notes.file.notices == []
    notes.set("E0100", "kept")
    assert json.loads(path.read_text())["notes"] == {"E0100": "kept"}


def test_a_note_that_cannot_be_saved_raises_oserror(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        UserNotes(blocker / "notes.json").set("S9353", "x")


def test_a_long_note_is_cut(tmp_path):
    notes = UserNotes(tmp_path / "notes.json")
    notes.set("S9353", "x" * (MAX_NOTE_CHARS + 10))
    assert len(notes.get("S9353")) == MAX_NOTE_CHARS


def test_notes_are_found_by_the_starts_of_their_words(tmp_path):
    notes = UserNotes(tmp_path / "notes.json")
    notes.set("S9353", "Payer X wants KX here")
    notes.set("E0100", "KX always, payer Y")
    assert notes.matching(words_of("kx")) == ["E0100", "S9353"]
    assert notes.matching(words_of("pay wan")) == ["S9353"]
    assert notes.matching(words_of("insulin")) == []
    assert notes.matching([]) == []


def test_a_search_lists_the_noted_codes_first_and_goes_on_fetching_after_them(tmp_path, sample_db):
    from hcpcs_desktop.data.database import open_database

    session = Session(UserCodes(tmp_path / "codes.json"))
    session.use(open_database(sample_db), sample_db)
    plain = session.search("cane")
    session.set_note("E0105", "Quad canes need the KX modifier for payer X")
    result = session.search("cane")
    assert [h.code for h in result.hits][:1] == ["E0105"]
    assert result.hits[0].reason.startswith("your note: Quad canes need")
    assert sorted(h.code for h in result.hits) == sorted(h.code for h in plain.hits)
    assert result.total == plain.total
    for typed in ("S9353", "E0100-E0105", ""):  # codes, ranges and the empty search are not notes' business
        assert all(not h.reason.startswith("your note") for h in session.search(typed).hits)
    noted_only = session.search("quad kx")  # "kx" is in no description: it is in the note
    assert [h.code for h in noted_only.hits] == ["E0105"] and noted_only.ignored == []


@pytest.mark.parametrize("column", ["code", "short_description", "status", "reason"])
def test_a_noted_code_says_why_it_matched_in_a_sorted_list_too(tmp_path, sample_db, column):
    from hcpcs_desktop.data.database import open_database

    session = Session(UserCodes(tmp_path / "codes.json"))
    session.use(open_database(sample_db), sample_db)
    session.set_note("E0105", "Quad canes need the KX modifier for payer X")
    ordered = session.sorted_by(session.search("cane"), column, descending=True)
    while session.fetch_more(ordered):
        pass
    (noted,) = [hit for hit in ordered.hits if hit.code == "E0105"]
    assert noted.reason.startswith("your note: Quad canes need")
    assert not any(hit.reason.startswith("your note") for hit in ordered.hits if hit.code != "E0105")


def test_notes_live_beside_the_coders_codes(tmp_path):
    session = Session(UserCodes(tmp_path / "codes.json"))
    session.set_note("S9353", "x")
    session.searched("insulin pump")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".lock") == ["notes.json", "searches.json"]


def test_a_search_reads_no_note_again_once_the_notes_are_indexed(tmp_path, monkeypatch):
    from hcpcs_desktop import user_notes

    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"notes": {f"A{n:04d}": f"payer {n} wants KX on walkers" for n in range(2000)}}))
    notes = UserNotes(path)
    notes.read_ahead()
    read = []
    monkeypatch.setattr(user_notes, "words_of", lambda text: read.append(text) or words_of(text))
    for typed in ("w", "wa", "wal", "walk", "walker", "walkers kx"):
        assert len(notes.matching(words_of(typed))) == 2000
    assert notes.matching(words_of("payer 1999")) == ["A1999"]
    assert read == []  # a keystroke costs nothing that grows with the notes


def test_the_index_follows_every_change_of_the_notes(tmp_path):
    import random

    chance = random.Random(8)
    vocabulary = ["kx", "walker", "walkers", "payer", "pay", "insulin", "oxygen", "ox", "note", "no"]
    notes, other = UserNotes(tmp_path / "notes.json"), UserNotes(tmp_path / "notes.json")
    for step in range(120):
        code = f"E{chance.randrange(12):04d}"
        text = " ".join(chance.choice(vocabulary) for _ in range(chance.randrange(4)))
        (notes if step % 3 else other).set(code, text)  # another window's change comes in with the next one
        if step % 10 == 0:
            notes.reload()
        for typed in ("k", "walk", "pay", "o", "ox", "no", "kx walker", "zzz"):
            words = words_of(typed)
            expected = sorted(c for c, n in notes.notes.items()
                              if all(any(w.startswith(word) for w in words_of(n)) for word in words))
            assert notes.matching(words) == expected, (step, typed)
