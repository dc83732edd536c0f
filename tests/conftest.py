"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def releases_dir() -> Path:
    """The folder of real CMS releases: $HCPCS_RELEASES, default ../shared/data/hcpcs.

    A relative path is taken from the repository root. Tests that need it are
    skipped when it is missing, except on CI (CI=true), where they fail.
    """
    path = REPO_ROOT / os.environ.get("HCPCS_RELEASES", "../shared/data/hcpcs")
    if not path.is_dir():
        message = f"CMS release folder not found: {path} (set HCPCS_RELEASES)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path.resolve()
