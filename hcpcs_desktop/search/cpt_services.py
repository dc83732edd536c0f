"""Services coders bill with CPT codes, which HCPCS Level II does not list: the words a coder types
for them, and the range of CPT codes they fall in.

A reviewed list of CPT's own section and subsection ranges (code numbers only: CPT's descriptors
are the AMA's and are not carried). A search that names one of these services says so above the
HCPCS codes its words match: a coder who types "office visit" learns that the visit itself is a
CPT code before reading a list of HCPCS codes that merely mention visits. Only services billed
with CPT codes in general are listed; where Medicare has HCPCS codes of the service for a
particular case (the EKG of the Welcome to Medicare visit, critical care by telehealth), those
codes are listed under the sentence as for any search.
"""

from __future__ import annotations

from typing import NamedTuple

from ..data.text import word_forms
from ..data.text import words as text_words


class CptService(NamedTuple):
    """A service billed with CPT codes: what to call it, the range of codes."""

    name: str  # plural, as a sentence begins with it: "Office and outpatient visits"
    codes: str  # the CPT range: "99202–99215"


# (ways coders write it, the service). Each way is matched as whole words in a row, a plural as well.
SERVICES: list[tuple[tuple[str, ...], CptService]] = [
    (("office visit", "outpatient visit", "new patient visit", "established patient visit",
      "office e/m", "e/m visit", "evaluation and management visit"),
     CptService("Office and outpatient visits", "99202–99215")),
    (("emergency room visit", "emergency department visit", "er visit", "ed visit"),
     CptService("Emergency department visits", "99281–99285")),
    (("consultation", "consult visit", "office consult", "inpatient consult"),
     CptService("Consultations", "99242–99255")),
    (("hospital visit", "inpatient visit", "hospital admission visit", "hospital discharge visit",
      "observation visit"),
     CptService("Hospital inpatient and observation visits", "99221–99239")),
    (("nursing home visit", "nursing facility visit", "snf visit"),
     CptService("Nursing facility visits", "99304–99310")),
    (("critical care",), CptService("Critical care services", "99291–99292")),
    (("x-ray", "xray", "radiograph", "mri", "ct scan", "cat scan"),
     CptService("Imaging studies (radiology)", "70010–79999")),
    (("lab test", "lab work", "blood work", "laboratory test"),
     CptService("Laboratory tests", "80047–89398")),
    (("ekg", "ecg", "electrocardiogram"), CptService("Electrocardiograms", "93000–93010")),
    (("psychotherapy",), CptService("Psychotherapy sessions", "90832–90853")),
    (("physical therapy evaluation", "pt evaluation", "pt eval"),
     CptService("Physical therapy evaluations", "97161–97163")),
    (("chiropractic manipulation", "chiropractic adjustment"),
     CptService("Chiropractic manipulative treatments", "98940–98943")),
    (("osteopathic manipulation",), CptService("Osteopathic manipulative treatments", "98925–98929")),
]


def _singular(word: str) -> str:
    """`word`, or its singular when it is a plural ("visits": visit, "therapies": therapy)."""
    return min(word_forms(word), key=len)


def _key(text: str) -> str:
    return " " + " ".join(_singular(w) for w in text_words(text.replace("/", " "))) + " "


_WAYS = [(_key(way), service) for ways, service in SERVICES for way in ways]


def cpt_service(text: str) -> CptService | None:
    """The CPT service `text` names ("what is the code for an office visit"), if any."""
    said = _key(text)
    return next((service for way, service in _WAYS if way in said), None)
