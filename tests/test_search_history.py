"""The searches typed: newest first, bounded, de-duplicated, saved atomically."""

from __future__ import annotations

import json

import pytest

from hcpcs_desktop.search_history import MAX_SEARCH_CHARS, MAX_SEARCHES, SearchHistory


def test_searches_are_kept_newest_first_without_repeats(tmp_path):
    history = SearchHistory(tmp_path / "searches.json")
    for text in ("insulin pump", "cane", "Insulin  Pump ", "S9353"):
        history.add(text)
    assert history.searches == ["S9353", "Insulin Pump", "cane"]
    assert SearchHistory(tmp_path / "searches.json").searches == history.searches


def test_a_search_that_extends_the_newest_replaces_it(tmp_path):
    history = SearchHistory(tmp_path / "searches.json")
    for text in ("cane", "ins", "insu", "insulin"):
        history.add(text)
    assert history.searches == ["insulin", "cane"]


def test_the_history_is_bounded(tmp_path):
    history = SearchHistory(tmp_path / "searches.json")
    for n in range(MAX_SEARCHES + 20):
        history.add(f"search {n} x")
    assert len(history.searches) == MAX_SEARCHES and history.searches[0] == f"search {MAX_SEARCHES + 19} x"


def test_blank_and_very_long_searches_are_not_kept(tmp_path):
    history = SearchHistory(tmp_path / "searches.json")
    assert not history.add("   ")
    assert not history.add("E0100 " * (MAX_SEARCH_CHARS // 6 + 1))
    assert history.searches == [] and not (tmp_path / "searches.json").exists()


def test_two_windows_keep_each_others_searches(tmp_path):
    first, second = SearchHistory(tmp_path / "searches.json"), SearchHistory(tmp_path / "searches.json")
    first.add("cane")
    second.add("walker")
    assert SearchHistory(tmp_path / "searches.json").searches == ["walker", "cane"]


@pytest.mark.parametrize("content", ["", "[]", '{"searches": "cane"}', '{"searches": [1, "cane", "CANE", " "]}'])
def test_a_damaged_file_keeps_what_it_can(tmp_path, content):
    path = tmp_path / "searches.json"
    path.write_text(content)
    history = SearchHistory(path)
    assert history.searches in ([], ["cane"])
    history.add("walker")
    assert json.loads(path.read_text())["searches"][0] == "walker"


def test_a_search_that_cannot_be_saved_raises_oserror(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        SearchHistory(blocker / "searches.json").add("cane")
