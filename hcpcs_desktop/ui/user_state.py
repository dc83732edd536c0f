"""What the app remembers between runs: window layout and column widths, zoom, empty fields, the
state for DMEPOS fees and the MUE setting claim lines are checked for; favorites and recent codes.

Layout and view settings live in QSettings; every value read back is checked, and one that
is not what this version writes (edited by hand, left by another version) is dropped and
replaced by its default instead of stopping the window. Favorites and recent codes live in
`codes.json` beside the settings file (see `user_codes`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..user_codes import UserCodes

MIN_ZOOM, MAX_ZOOM = -4, 12
# The states and territories a DMEPOS fee schedule has columns for: postal abbreviation -> name.
STATES = {
    "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AS": "American Samoa", "AZ": "Arizona", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DC": "District of Columbia", "DE": "Delaware", "FL": "Florida",
    "GA": "Georgia", "GU": "Guam", "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine",
    "MI": "Michigan", "MN": "Minnesota", "MO": "Missouri", "MP": "Northern Mariana Islands", "MS": "Mississippi",
    "MT": "Montana", "NC": "North Carolina", "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NV": "Nevada", "NY": "New York", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia",
    "VI": "U.S. Virgin Islands", "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin", "WV": "West Virginia",
    "WY": "Wyoming",
}


def state_label(state: str) -> str:
    """"Pennsylvania (PA)"."""
    return f"{STATES[state]} ({state})" if state in STATES else state


def _list(value) -> list[str]:
    if isinstance(value, str):  # QSettings gives a bare string for a one-item list
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


class UserState:
    """The settings (validated on reading) and the coder's codes."""

    def __init__(self, settings: QSettings | None = None):
        self.settings = settings or QSettings()
        earlier = {key: _list(self.settings.value(key)) for key in ("favorites", "recent")}
        self.codes = UserCodes(Path(self.settings.fileName()).with_name("codes.json"), earlier)

    @property
    def favorites(self) -> list[str]:
        return self.codes.favorites

    @property
    def recent(self) -> list[str]:
        return self.codes.recent

    def _drop(self, key: str, default):
        self.settings.remove(key)
        return default

    def zoom(self) -> int:
        """The zoom step, MIN_ZOOM..MAX_ZOOM (0 when unset or unreadable)."""
        value = self.settings.value("zoom", 0)
        try:
            level = int(value)
        except (TypeError, ValueError):
            return self._drop("zoom", 0)
        if not MIN_ZOOM <= level <= MAX_ZOOM:
            return self._drop("zoom", 0)
        return level

    def set_zoom(self, level: int) -> int:
        level = min(max(level, MIN_ZOOM), MAX_ZOOM)
        self.settings.setValue("zoom", level)
        return level

    def show_empty(self) -> bool:
        return self._flag("showEmpty")

    def set_show_empty(self, shown: bool) -> None:
        self.settings.setValue("showEmpty", bool(shown))

    def _flag(self, key: str) -> bool:
        value = self.settings.value(key, False)
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "false"):
            return str(value).lower() == "true"
        return self._drop(key, False)

    def payment_tables(self) -> bool:
        """The code page's Medicare payment section shows its tables (else the line that sums them up)."""
        return self._flag("paymentTables")

    def set_payment_tables(self, shown: bool) -> None:
        self.settings.setValue("paymentTables", bool(shown))

    def payment_state(self) -> str:
        """The state whose DMEPOS fees the detail pane shows ("PA"), or "" until one is chosen."""
        value = self.settings.value("paymentState", "")
        if isinstance(value, str) and (value == "" or value in STATES):
            return value
        return self._drop("paymentState", "")

    def set_payment_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"{state!r} is not a state abbreviation")
        self.settings.setValue("paymentState", state)

    def claim_setting(self) -> str:
        """Whose MUEs claim lines are checked against: "dme", "practitioner" or "outpatient" (see
        `claim_checks.SETTINGS`); "practitioner" until one is chosen."""
        from ..claim_checks import DEFAULT_SETTING, SETTINGS  # with the first check, not at start-up

        value = self.settings.value("claimSetting", DEFAULT_SETTING)
        if isinstance(value, str) and value in SETTINGS:
            return value
        return self._drop("claimSetting", DEFAULT_SETTING)

    def set_claim_setting(self, setting: str) -> None:
        from ..claim_checks import SETTINGS

        if setting not in SETTINGS:
            raise ValueError(f"{setting!r} is not an MUE setting")
        self.settings.setValue("claimSetting", setting)

    def layout(self, key: str) -> QByteArray | None:
        """A saved geometry, splitter or results-header state ("geometry", "splitter", "columns"), or None."""
        value = self.settings.value(key)
        if value is None:
            return None
        if isinstance(value, (QByteArray, bytes)) and len(value):
            return QByteArray(value)
        return self._drop(key, None)

    def drop(self, key: str) -> None:
        """Forget a saved value that turned out unusable."""
        self.settings.remove(key)

    def set_layout(self, key: str, value: QByteArray) -> None:
        self.settings.setValue(key, value)
