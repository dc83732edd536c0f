"""The executable's build stops, naming them, when this machine lacks libraries the Qt xcb platform
plugin needs (build_spec/platform_libraries.py, used by the PyInstaller spec)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import PySide6

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "build_spec"))
from platform_libraries import debian_package, missing_libraries, stop_message  # noqa: E402

XCB_PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
linux_with_xcb = pytest.mark.skipif(not (sys.platform.startswith("linux") and XCB_PLUGIN.is_file()
                                         and shutil.which("ldd")), reason="Linux with ldd and PySide6's xcb plugin")


@linux_with_xcb
def test_the_plugin_where_its_qt_libraries_are_found_lacks_none_of_them():
    assert not [name for name in missing_libraries(XCB_PLUGIN) if name.startswith("libQt6")]


@linux_with_xcb
def test_a_plugin_away_from_its_libraries_names_each_missing_one_once(tmp_path):
    copy = tmp_path / "platforms" / XCB_PLUGIN.name
    copy.parent.mkdir()
    shutil.copy(XCB_PLUGIN, copy)  # its run path, $ORIGIN/../../lib, now leads nowhere
    missing = missing_libraries(copy)
    assert {"libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Core.so.6"} <= set(missing)
    assert len(missing) == len(set(missing))


def test_the_stop_message_is_one_line_naming_the_libraries_and_their_packages():
    message = stop_message("xcb", ["libxcb-icccm.so.4", "libxkbcommon-x11.so.0"])
    assert "\n" not in message
    assert "libxcb-icccm.so.4, libxkbcommon-x11.so.0" in message
    assert "install libxcb-icccm4 libxkbcommon-x11-0" in message


@pytest.mark.parametrize("library, package", [
    ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-render-util.so.0.0.0", "libxcb-render-util0"),
])
def test_debian_package_names(library, package):
    assert debian_package(library) == package
