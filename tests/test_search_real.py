"""Searching the real October 2025 release the way coders ask, with every vocabulary bridge.

The database is built once, as `hcpcs-desktop build-db` builds it: the January 2026
layout and notes, the drug dictionary's brand names and CMS's 2019 HCPCS Index and Table
of Drugs (checked against the 2019 release beside them). Skipped without the real
release folder, a failure under CI=true.
"""

from __future__ import annotations

import pytest

from hcpcs_desktop.data.bridges import BridgeSources
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.database import open_database
from hcpcs_desktop.search import Filters, SearchEngine


@pytest.fixture(scope="module")
def engine(releases_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("bridged_oct_2025") / "hcpcs.sqlite"
    sources = BridgeSources(drug_table=releases_dir / "2019-jan/2019-Table-of-Drugs.pdf",
                            index=releases_dir / "2019-jan/2019-HCPCS-Index.pdf", drug_dictionary=True,
                            word_list=True)
    build_database(releases_dir / "2025-oct/HCPC2025_OCT_ANWEB.xlsx", db,
                   layout=releases_dir / "2026-jan/HCPC2026_recordlayout.txt",
                   notes=releases_dir / "2026-jan/proc_notes_JAN2026.txt", bridges=sources)
    return SearchEngine(open_database(db))


def top(engine, text, n=5, **filters):
    return [hit.code for hit in engine.search(text, Filters(**filters), limit=n).hits]


def test_lovenox_lists_enoxaparin_first_and_says_why(engine):
    first = engine.search("lovenox").hits[0]
    assert first.code == "J1650"
    assert "lovenox → enoxaparin" in first.reason


def test_narcan_lists_the_active_naloxone_injection_before_the_terminated_one(engine):
    codes = [hit.code for hit in engine.search("narcan", limit=50).hits]
    assert "J2312" in codes[:3]
    assert codes.index("J2312") < codes.index("J2310")


@pytest.mark.parametrize(("typed", "wanted"), [
    ("left side modifier", {"LT"}),
    ("bipap", {"E0470", "E0471"}),
    ("keytruda", {"J9271"}),
    ("remicade", {"J1745"}),
    ("hcpcs code for shower chair", {"E0240"}),
    ("oxigen concentrator", {"E1390", "E1391", "E1392"}),
    ("catheder", {"A4351", "A4352", "A4338", "A4340", "A4344", "A4346", "A4300", "A4301", "A4349",
                  "C1751", "C1757", "C1887", "C2628", "C1754", "C1755", "C1758", "C1886"}),
    ("non-emergency transport", {"A0080", "A0090", "A0100", "A0110", "A0120", "A0130", "A0140", "A0160",
                                 "A0170", "A0180", "A0190", "A0200", "A0210", "T2001", "T2003", "T2005"}),
])
def test_what_a_coder_types_gives_the_code_they_want_in_the_top_five(engine, typed, wanted):
    assert wanted & set(top(engine, typed))


def test_back_brace_lists_spinal_orthoses_before_their_additions(engine):
    hits = engine.search("back brace", limit=5).hits
    assert len(hits) == 5
    for hit in hits:
        text = hit.long_description.lower()
        assert "tlso" in text or "lumbar-sacral orthosis" in text or "lumbar orthosis" in text
        assert not text.startswith("addition")


def test_a_code_cms_reused_keeps_no_term_of_its_old_meaning(engine):
    # J3245 was tirofiban (Aggrastat) in 2019 and is tildrakizumab now.
    assert "J3245" not in top(engine, "aggrastat", n=50)
    assert "J3245" not in top(engine, "tirofiban", n=50)


def test_a_cms_index_term_says_where_it_comes_from(engine):
    reasons = [hit.reason for hit in engine.search("alternating pressure mattress", limit=20).hits]
    assert any(reason.startswith("CMS Index: ") for reason in reasons)


@pytest.mark.parametrize("typed", ["E0601-RR", "E0601RR", "E0601 RR", "E0601:RR"])
def test_a_code_with_its_modifier_as_coders_write_it(engine, typed):
    assert top(engine, typed) == ["E0601", "RR"]


def test_the_status_filter_keeps_a_search_to_active_codes(engine):
    result = engine.search("home infusion therapy", Filters(status="active"), limit=1_000)
    assert result.total == len(result.hits) > 50
    assert {hit.status for hit in result.hits} == {"active"}


@pytest.mark.parametrize(("typed", "filters"), [
    ("catheter", {"section": "A"}),
    ("knee orthosis", {"coverage": "D"}),
    ("oxygen", {"status": "terminated"}),
    ("wheelchair cushion", {"section": "E", "coverage": "C"}),
])
def test_a_filter_leaves_codes_out_and_never_reorders_the_rest(engine, typed, filters):
    every = engine.search(typed, limit=1_000)
    kept = {hit.code for hit in every.hits if all(getattr(hit, k) == v for k, v in filters.items())}
    assert kept and len(kept) < every.total / 2  # few kept: only those are scored
    fresh = SearchEngine(engine.conn)  # asked first under the filter, as when the window opens filtered
    filtered = fresh.search(typed, Filters(**filters), limit=1_000)
    assert [hit.code for hit in filtered.hits] == [hit.code for hit in every.hits if hit.code in kept]
    assert [hit.reason for hit in filtered.hits] == [hit.reason for hit in every.hits if hit.code in kept]


def test_every_match_of_a_common_word_is_ranked_and_reachable(engine):
    result = engine.search("injection", limit=100)
    assert result.total > 1_000
    while len(result.hits) < result.total:
        engine.fetch_more(result)
    assert len({hit.code for hit in result.hits}) == result.total


@pytest.mark.parametrize("typed", ["oxigen concentrator", "insulen pump", "wheelchair cushion", "E0100-E0105",
                                   "home infusion therapy", "naloxone injection"])
def test_typing_letter_by_letter_ranks_as_a_fresh_search_does(engine, typed):
    """What the engine keeps from one keystroke to the next changes nothing: every prefix of the
    text ranks the same codes, corrections and ignored words as an engine that has searched nothing."""
    for n in range(1, len(typed) + 1):
        text = typed[:n]
        for filters in (Filters(), Filters(status="active")):
            warm, cold = engine.search(text, filters), SearchEngine(engine.conn).search(text, filters)
            assert (warm.ranked, warm.hits, warm.corrections, warm.ignored) == \
                   (cold.ranked, cold.hits, cold.corrections, cold.ignored), text


def test_a_reason_names_only_words_the_code_matched(engine):
    """"flu" typed in full is no start of "fluoxyprednisolone": the triamcinolone codes listed for
    "shot" do not say they matched flu through that drug name."""
    hits = engine.search("flu shot", limit=2000).hits
    shots = [hit for hit in hits if hit.code in ("J3300", "J3301")]
    assert shots and all(hit.reason == "shot → injection (synonym)" for hit in shots)
    assert not any("fluoxyprednisolone" in hit.reason for hit in hits)
