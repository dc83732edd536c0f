"""The coder's own files (notes.json, codes.json, searches.json) and the store's choice.json:
what cannot be read is set aside, never written over; what can be read is read; nothing waits
on a pipe; two writers at once lose nothing; a link stays a link."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import finishes
from hcpcs_desktop.data.release_store import ReleaseStore
from hcpcs_desktop.search_history import SearchHistory
from hcpcs_desktop.user_codes import UserCodes
from hcpcs_desktop.user_notes import UserNotes

# Each file: how it is opened, how one entry is added (n, a letter for the writer), what it holds.
KINDS = {
    "notes.json": (UserNotes, lambda kept, n, by: kept.set(f"{by}{n:04d}", f"note {n} by {by}"),
                   lambda kept: set(kept.notes)),
    "codes.json": (UserCodes, lambda kept, n, by: kept.toggle_favorite(f"{by}{n:04d}"),
                   lambda kept: set(kept.favorites)),
    "searches.json": (SearchHistory, lambda kept, n, by: kept.add(f"{by}{n:04d} walker"),
                      lambda kept: {s.split()[0] for s in kept.searches}),
}
# The same entries as a person (or another program) wrote them by hand.
BY_HAND = {
    "notes.json": ({"notes": {"S9353": "Payer Ü wants KX", "E0100": "ok"}}, {"S9353", "E0100"}),
    "codes.json": ({"favorites": ["S9353", "E0100"], "recent": [], "lists": {}}, {"S9353", "E0100"}),
    "searches.json": ({"searches": ["S9353 Ü", "E0100 cane"]}, {"S9353", "E0100"}),
}


def _filled(path: Path, kind: str) -> bytes:
    make, add, _ = KINDS[kind]
    kept = make(path)
    for n in range(20):
        add(kept, n, "A")
    return path.read_bytes()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("damage, problem", [
    (lambda whole: whole[: len(whole) // 2], "it is not JSON: "),  # cut short, as by a crash of another program
    (lambda whole: b"my notes, as I remember them", "it is not JSON: Expecting value: line 1 column 1"),
    (lambda whole: b"[" * 200_000, "it is nested too deeply"),
    (lambda whole: b"\x81\x8d\x8f\x90\x9d" * 10, "it is not text"),
    (lambda whole: b'["S9353", "E0100"]', "it holds no JSON object"),
])
def test_a_file_that_cannot_be_read_is_set_aside_and_never_written_over(tmp_path, kind, damage, problem):
    make, add, held = KINDS[kind]
    path = tmp_path / kind
    damaged = damage(_filled(path, kind))
    path.write_bytes(damaged)
    later = make(path)
    assert held(later) == set()
    (aside,) = tmp_path.glob(f"{kind}.unreadable-*")
    (notice,) = later.file.notices
    assert notice.startswith(f"Your {kind} could not be read ({problem}")
    assert notice.endswith(f"): it is kept as {aside.name} beside it, and a new {kind} is begun.")
    assert aside.read_bytes() == damaged
    add(later, 99, "B")
    again = make(path)
    assert held(again) == {"B0099"} and again.file.notices == []  # said once
    assert aside.read_bytes() == damaged


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_damaged_while_it_is_open_is_set_aside_by_the_next_change(tmp_path, kind, monkeypatch):
    from hcpcs_desktop import user_files

    monkeypatch.setattr(user_files, "LOCK_SECONDS", 0)  # a change that waited on its own lock would fail at once
    make, add, held = KINDS[kind]
    path = tmp_path / kind
    _filled(path, kind)
    kept = make(path)
    path.write_bytes(b'{"cut short by another program": [')
    add(kept, 99, "B")
    (aside,) = tmp_path.glob(f"{kind}.unreadable-*")
    assert aside.read_bytes() == b'{"cut short by another program": ['
    assert "B0099" in held(make(path)) and kept.file.notices[0].startswith(f"Your {kind} could not be read")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="mode 000 keeps out all but root")
@pytest.mark.parametrize("kind", KINDS)
def test_a_file_this_user_may_not_read_is_set_aside(tmp_path, kind):
    make, add, held = KINDS[kind]
    path = tmp_path / kind
    _filled(path, kind)
    path.chmod(0)
    later = make(path)
    (aside,) = tmp_path.glob(f"{kind}.unreadable-*")
    assert held(later) == set() and "Permission denied" in later.file.notices[0]
    aside.chmod(0o600)
    assert len(json.loads(aside.read_text())) >= 1


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("encode", [
    lambda text: "\ufeff".encode() + text.encode("utf-8"),  # Notepad's UTF-8, with a byte order mark
    lambda text: text.encode("cp1252"),  # Notepad's "ANSI"
    lambda text: text.replace("]", ",]").replace("}", ",}").encode("utf-8"),  # trailing commas of a hand edit
])
def test_what_a_hand_edit_leaves_readable_is_read_and_kept(tmp_path, kind, encode):
    make, add, held = KINDS[kind]
    data, codes = BY_HAND[kind]
    path = tmp_path / kind
    path.write_bytes(encode(json.dumps(data, ensure_ascii=False)))
    kept = make(path)
    assert held(kept) == codes and kept.file.notices == []
    add(kept, 1, "C")
    assert held(make(path)) == codes | {"C0001"}
    assert "Ü" in path.read_text(encoding="utf-8") or kind == "codes.json"
    assert list(tmp_path.glob("*.unreadable-*")) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
@pytest.mark.parametrize("kind", KINDS)
def test_a_file_that_is_a_link_stays_a_link(tmp_path, kind):
    make, add, held = KINDS[kind]
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / kind
    _filled(target, kind)
    path = tmp_path / "config" / kind
    path.parent.mkdir()
    path.symlink_to(target)
    add(make(path), 1, "D")
    assert path.is_symlink() and path.resolve() == target.resolve()
    assert len(held(make(target))) == 21


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("kind", KINDS)
def test_a_pipe_in_the_place_of_a_file_is_neither_waited_on_nor_written(tmp_path, kind):
    make, add, held = KINDS[kind]
    path = tmp_path / kind
    os.mkfifo(path)
    kept = finishes(lambda: make(path))
    assert held(kept) == set()
    assert kept.file.notices == [f"Your {kind} is left as it is (not a regular file (a pipe)): nothing is read "
                                 "from it or saved to it."]
    with pytest.raises(OSError, match="nothing is read from it or saved to it"):
        finishes(lambda: add(kept, 1, "E"))
    assert path.is_fifo() and list(tmp_path.glob("*.unreadable-*")) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_in_the_place_of_the_stores_choice_is_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "choice.json")
    store = ReleaseStore(tmp_path, extra=[])
    assert finishes(store.chosen) is None and finishes(store.to_open) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_smoke_does_not_wait_on_a_pipe_in_the_place_of_the_stores_choice(tmp_path):
    store = tmp_path / "data" / "hcpcs-desktop" / "releases"
    store.mkdir(parents=True)
    os.mkfifo(store / "choice.json")
    env = {key: value for key, value in os.environ.items() if key != "HCPCS_DESKTOP_DB"}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               HCPCS_RELEASES=str(tmp_path / "no-releases"))
    done = subprocess.run([sys.executable, "-m", "hcpcs_desktop", "--smoke"], capture_output=True, text=True,
                          env=env, timeout=60)  # it used to wait for a writer for ever
    assert done.returncode == 1 and "smoke: FAIL: No database at" in done.stderr


_WRITER = """
import sys
sys.path[:0] = [{tests!r}]
from test_user_files import KINDS
make, add, _ = KINDS[sys.argv[1]]
kept = make(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    add(kept, n, sys.argv[4])
"""


@pytest.mark.parametrize("kind", KINDS)
def test_two_processes_changing_a_file_at_once_lose_nothing(tmp_path, kind):
    make, _, held = KINDS[kind]
    path, count = tmp_path / kind, 45
    script = tmp_path / "writer.py"
    script.write_text(_WRITER.format(tests=str(Path(__file__).parent)))
    writers = [subprocess.Popen([sys.executable, str(script), kind, str(path), str(count), by],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for by in "AB"]
    for writer in writers:
        assert writer.stdout.readline() == "ready\n"
    for writer in writers:  # both start at once
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    assert held(make(path)) == {f"{by}{n:04d}" for by in "AB" for n in range(count)}
