"""The libraries a Qt platform plugin needs that this machine lacks (Linux): a build without them would
bundle an xcb plugin that cannot load on a desktop, so the spec stops and names them instead.

PyInstaller bundles what a plugin links to when it finds it, and only warns about what it does not;
Qt then aborts at start on the desktop, naming the first library of several it could not load.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries `plugin` links to, directly or through another, that the dynamic loader
    cannot find here (`ldd` says "not found"), in its order."""
    output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    return list(dict.fromkeys(re.findall(r"^\s*(\S+) => not found", output, re.MULTILINE)))


def debian_package(library: str) -> str:
    """The Debian and Ubuntu package that ships `library` by their naming rule: libxcb-icccm.so.4 is
    libxcb-icccm4, libxkbcommon-x11.so.0 is libxkbcommon-x11-0 (a name ending in a digit takes a dash)."""
    name, _, version = library.partition(".so.")
    version = version.split(".")[0]
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def stop_message(plugin_name: str, missing: list[str]) -> str:
    """One line: what is missing and how to install it."""
    return (f"build stopped: the Qt {plugin_name} platform plugin needs {', '.join(missing)}, missing on this "
            f"machine; install {' '.join(debian_package(m) for m in missing)} (Debian, Ubuntu) and build again")
