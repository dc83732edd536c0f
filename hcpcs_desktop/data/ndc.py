"""National Drug Codes: every form a coder may type or paste, to the 11-digit 5-4-2 normal form.

An NDC is a labeler, a product and a package number. Printed on labels it has 10 digits in a
4-4-2, 5-3-2 or 5-4-1 grouping; billing uses 11 digits (5-4-2), padding the short part with a
leading zero. A 10-digit NDC typed without dashes does not say which part is short, so it stands
for up to three 11-digit NDCs.
"""

from __future__ import annotations

import re

_GROUPS = {(4, 4, 2): 0, (5, 3, 2): 1, (5, 4, 1): 2, (5, 4, 2): None}  # which part gets the leading zero
_SEPARATORS = re.compile(r"[-\s]+")


class NdcError(ValueError):
    """Text that is not an NDC in any of its forms; the message says why."""


def ndc_candidates(text: str) -> list[str]:
    """The 11-digit NDCs `text` may stand for: one, or up to three for 10 bare digits.

    Accepts 4-4-2, 5-3-2, 5-4-1 and 5-4-2 with dashes (or spaces), 11 digits, 10 digits, an
    "NDC" prefix, and the "N4" qualifier a claim writes before the 11 digits (N400409000925).
    Eleven digits grouped otherwise (5-3-3, 6-4-1, as people mistype them) are the 11 digits.
    """
    cleaned = re.sub(r"^\s*NDC[:#\s]*", "", text.strip(), flags=re.IGNORECASE).strip()
    cleaned = re.sub(r"^N4(?=[\d-]{11,13}$)", "", cleaned, flags=re.IGNORECASE)
    parts = [p for p in _SEPARATORS.split(cleaned) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise NdcError(f"{text!r} is not an NDC: an NDC has only digits and dashes")
    if len(parts) > 1 and sum(map(len, parts)) == 11:
        return ["".join(parts)]
    if len(parts) == 3:
        shape = tuple(len(p) for p in parts)
        if shape not in _GROUPS:
            raise NdcError(f"{text!r} is not an NDC: its parts have {'-'.join(map(str, shape))} digits "
                           "(expected 4-4-2, 5-3-2, 5-4-1 or 5-4-2)")
        short = _GROUPS[shape]
        if short is not None:
            parts[short] = "0" + parts[short]
        return ["".join(parts)]
    if len(parts) != 1:
        raise NdcError(f"{text!r} is not an NDC: expected three parts separated by dashes, or 10 or 11 digits")
    digits = parts[0]
    if len(digits) == 11:
        return [digits]
    if len(digits) == 10:
        return ["0" + digits, digits[:5] + "0" + digits[5:], digits[:9] + "0" + digits[9:]]
    raise NdcError(f"{text!r} is not an NDC: it has {len(digits)} digits (an NDC has 10 or 11)")


def normal_ndc(text: str) -> str:
    """The one 11-digit NDC `text` names; NdcError when it is not an NDC or is ambiguous (10 bare digits)."""
    found = ndc_candidates(text)
    if len(found) > 1:
        raise NdcError(f"{text!r} has 10 digits and no dashes: it may be {', '.join(dashed(n) for n in found)}")
    return found[0]


def dashed(ndc11: str) -> str:
    """"00409000925" -> "00409-0009-25"."""
    return f"{ndc11[:5]}-{ndc11[5:9]}-{ndc11[9:]}"
