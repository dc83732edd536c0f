"""The build cache: what a build derives from files that do not change, kept between builds,
never trusted unchecked."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

from hcpcs_desktop.data import bridges, build_cache, payment_files, pdf_reading, records
from hcpcs_desktop.data.bridges import BridgeSources
from hcpcs_desktop.data.build import build_database
from hcpcs_desktop.data.payment_files import read_payment_file
from hcpcs_desktop.data.release_files import SourceFile
from payment_files import write_dmepos_xlsx, write_drug_limits
from pdf_files import write_pdf
from release_files import record, txt_bytes, write_txt

RECORDS = [
    record("E0130", "Walker, rigid (pickup), adjustable or fixed height", "Walker rigid adjust/fixed ht"),
    record("J3245", "Injection, tildracumab, 1 mg", "Inj tildracumab"),
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own (for the process that reads the PDFs too)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert build_cache.folder() == tmp_path / "cache" / "hcpcs-desktop" / "build"
    return build_cache.folder()


class Deriving:
    """A value to derive, counting how often it is."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


VALUE = {"rows": [{"code": "E0130", "term": "Zimmer frame"}], "count": 1}


def test_a_value_is_derived_once_then_taken_from_the_cache(cache):
    derive = Deriving(VALUE)
    assert build_cache.cached("pdf", ["a", "b"], derive) == VALUE
    assert build_cache.cached("pdf", ["a", "b"], derive) == VALUE
    assert derive.calls == 1
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["pdf"]


def test_other_inputs_or_another_version_of_the_code_derive_it_again(cache, monkeypatch):
    derive = Deriving(VALUE)
    build_cache.cached("pdf", ["a", "b"], derive)
    build_cache.cached("pdf", ["a", "c"], derive)
    build_cache.cached("release", ["a", "b"], derive)
    assert derive.calls == 3
    monkeypatch.setattr(build_cache, "code_version", lambda: "a parser changed")
    build_cache.cached("pdf", ["a", "b"], derive)
    assert derive.calls == 4
    assert len(list(cache.iterdir())) == 3  # the new version wrote over the entry of the same inputs


def test_the_version_of_the_code_is_its_source_and_the_packages_it_reads_with():
    version = build_cache.code_version()
    assert version and len(version) == 64
    assert build_cache.PACKAGES == ("pypdf", "python-calamine", "drug-named-entity-recognition", "wordfreq", "rapidfuzz")


def _flip_payload_byte(data: bytes) -> bytes:
    at = len(data) - 5
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    _flip_payload_byte,  # one bit of the payload changed
    lambda data: b"",  # emptied
    lambda data: b"not a header\n" + data.partition(b"\n")[2],
    lambda data: data.partition(b"\n")[0] + b"\n" + b"[" * 100_000,  # not the payload its header names
])
def test_a_damaged_entry_is_passed_over_and_written_anew(cache, damage):
    derive = Deriving(VALUE)
    build_cache.cached("pdf", ["a"], derive)
    (entry,) = cache.iterdir()
    entry.write_bytes(damage(entry.read_bytes()))
    assert build_cache.cached("pdf", ["a"], derive) == VALUE
    assert derive.calls == 2
    assert build_cache.load("pdf", ["a"]) == (VALUE,)  # whole again


def test_an_entry_that_is_not_what_its_reader_expects_is_derived_again(cache):
    build_cache.store("release", ["a"], {"not": "records"})
    derive = Deriving([{"code": "E0130"}])

    def decode(value):
        return [dict(row) for row in value]  # a dict of strings is no list of rows: ValueError

    assert build_cache.cached("release", ["a"], derive, decode=decode) == [{"code": "E0130"}]
    assert derive.calls == 1


def test_a_cache_that_cannot_be_written_costs_time_never_the_value(cache):
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder should be")
    derive = Deriving(VALUE)
    assert build_cache.cached("pdf", ["a"], derive) == VALUE
    assert build_cache.cached("pdf", ["a"], derive) == VALUE
    assert derive.calls == 2


def test_a_value_that_is_no_json_is_returned_and_not_kept(cache):
    derive = Deriving({"set": {1, 2}})
    assert build_cache.cached("pdf", ["a"], derive) == {"set": {1, 2}}
    assert build_cache.load("pdf", ["a"]) is None
    assert not cache.exists() or not list(cache.iterdir())


def test_without_the_source_of_the_code_nothing_is_kept(cache, monkeypatch):
    monkeypatch.setattr(build_cache, "code_version", lambda: None)  # the standalone executable
    derive = Deriving(VALUE)
    build_cache.cached("pdf", ["a"], derive)
    build_cache.cached("pdf", ["a"], derive)
    assert derive.calls == 2 and not cache.exists()


def test_an_entry_is_renamed_into_place_whole_and_a_killed_builds_partial_is_removed(cache):
    build_cache.store("pdf", ["a"], VALUE)
    (entry,) = cache.iterdir()
    stale = cache / f".{entry.name}.killed.partial"
    running = cache / f".{entry.name}.running.partial"
    stale.write_text("{")
    running.write_text("{")
    old = time.time() - build_cache.STALE_PARTIAL_SECONDS - 60
    os.utime(stale, (old, old))
    build_cache.store("pdf", ["a"], VALUE)
    assert sorted(p.name for p in cache.iterdir()) == sorted([entry.name, running.name])


def test_an_earlier_release_is_read_once(cache, monkeypatch):
    source = SourceFile("HCPC2029_JAN_ANWEB.txt", txt_bytes(RECORDS))
    first = records.kept_release_data(source)
    monkeypatch.setattr(records, "parse_release_data", lambda source: pytest.fail("read again"))
    assert records.kept_release_data(source) == first
    assert [r["code"] for r in first] == ["E0130", "J3245"]


@pytest.mark.parametrize("write", [
    write_drug_limits,
    lambda folder: write_dmepos_xlsx(folder / "DMEPOS30_JAN.xlsx"),  # each row's fees kept as their doubles
])
def test_a_payment_file_is_read_once_by_name_and_content(cache, monkeypatch, tmp_path, write):
    path = write(tmp_path)
    first = read_payment_file(path)
    real_parse = payment_files.parse_payment_file
    monkeypatch.setattr(payment_files, "parse_payment_file", lambda name, data: pytest.fail("read again"))
    assert read_payment_file(path) == first
    renamed = path.rename(path.with_name(f"renamed {path.name}"))  # named otherwise: read as such
    monkeypatch.setattr(payment_files, "parse_payment_file", real_parse)
    assert read_payment_file(renamed).name == renamed.name


def _tables(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'release'")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr) for name in names}
    finally:
        conn.close()


def test_a_build_with_the_pdfs_kept_reads_no_pdf_and_builds_the_same_database(cache, tmp_path, monkeypatch):
    folder = tmp_path / "2029-jan"
    folder.mkdir()
    write_txt(folder / "HCPC2029_JAN_ANWEB.txt", RECORDS)
    index = write_pdf(folder / "2029-HCPCS-Index.pdf", [["Z", "Zimmer frame, E0130", "Tirofiban, J3245"]])
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    sources = BridgeSources(index=index, pdfs_named=True)

    first = build_database(release, tmp_path / "first.sqlite", bridges=sources)
    assert first.bridges["index_terms"] == 2
    with monkeypatch.context() as patched:
        patched.setattr(pdf_reading.subprocess, "Popen", lambda *a, **k: pytest.fail("the PDFs were read again"))
        patched.setattr(bridges, "_read_pdf", lambda *a, **k: pytest.fail("the PDFs were read again"))
        kept = build_database(release, tmp_path / "kept.sqlite", bridges=sources)
    assert kept.bridges == first.bridges
    assert _tables(kept.db_path) == _tables(first.db_path)

    for entry in cache.glob("pdf-*.json"):  # damaged: read again, and the same database
        entry.write_bytes(entry.read_bytes()[:-10])
    again = build_database(release, tmp_path / "again.sqlite", bridges=sources)
    assert _tables(again.db_path) == _tables(first.db_path)


def test_a_changed_pdf_is_read_again(cache, tmp_path):
    folder = tmp_path / "2029-jan"
    folder.mkdir()
    write_txt(folder / "HCPC2029_JAN_ANWEB.txt", RECORDS)
    index = write_pdf(folder / "2029-HCPCS-Index.pdf", [["Z", "Zimmer frame, E0130"]])
    release = write_txt(tmp_path / "HCPC2030_JAN_ANWEB.txt", RECORDS)
    sources = BridgeSources(index=index, pdfs_named=True)
    assert build_database(release, tmp_path / "a.sqlite", bridges=sources).bridges["index_terms"] == 1
    write_pdf(index, [["Z", "Zimmer frame, E0130", "Tirofiban, J3245"]])
    assert build_database(release, tmp_path / "b.sqlite", bridges=sources).bridges["index_terms"] == 2
