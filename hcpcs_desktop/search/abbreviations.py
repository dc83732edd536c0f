"""Abbreviations coders meet in HCPCS short descriptions, and what they stand for.

A query word found here also matches its expansion (as a phrase), and the
other way round, so `hit` finds "home infusion therapy" and `oxygen` finds "o2".
"""

ABBREVIATIONS: dict[str, str] = {
    "w/": "with",
    "w/o": "without",
    "wo": "without",
    "hit": "home infusion therapy",
    "o2": "oxygen",
    "inj": "injection",
    "cont": "continuous",
    "dme": "durable medical equipment",
    "supp": "supply",
    "suppl": "supply",
    "sup": "supply",
    "eval": "evaluation",
    "mgmt": "management",
    "tx": "treatment",
    "dx": "diagnostic",
    "rx": "prescription",
    "bilat": "bilateral",
    "ea": "each",
    "misc": "miscellaneous",
    "noc": "not otherwise classified",
    "asc": "ambulatory surgical center",
    "esrd": "end stage renal disease",
    "tens": "transcutaneous electrical nerve stimulation",
    "cpap": "continuous positive airway pressure",
    "iv": "intravenous",
    "im": "intramuscular",
    "sc": "subcutaneous",
    "subq": "subcutaneous",
    "mg": "milligram",
    "mcg": "microgram",
    "ml": "milliliter",
    "hr": "hour",
    "hrs": "hours",
    "min": "minutes",
    "wc": "wheelchair",
    "whlchr": "wheelchair",
    "wheelchr": "wheelchair",
    "amb": "ambulance",
    "ambul": "ambulance",
    "thx": "therapy",
    "ther": "therapy",
    "prosth": "prosthetic",
    "orth": "orthotic",
    "ped": "pediatric",
    "adj": "adjustable",
    "disp": "disposable",
    "elec": "electric",
    "ext": "external",
    "repl": "replacement",
}

# Expansion -> abbreviations, so a spelled-out query also finds abbreviated short descriptions.
_BY_EXPANSION: dict[str, list[str]] = {}
for _short, _long in ABBREVIATIONS.items():
    _BY_EXPANSION.setdefault(_long, []).append(_short)


def alternatives(word: str) -> list[str]:
    """Other spellings of `word` (lower case) that should match too, phrases included."""
    found = []
    if word in ABBREVIATIONS:
        found.append(ABBREVIATIONS[word])
    found.extend(_BY_EXPANSION.get(word, []))
    return found


def abbreviated_phrase(words: list[str], start: int) -> tuple[int, list[str]]:
    """(n, abbreviations) when words[start:start + n] spell out a multi-word expansion, else (0, [])."""
    for expansion, shorts in sorted(_BY_EXPANSION.items(), key=lambda item: -len(item[0])):
        parts = expansion.split()
        if len(parts) > 1 and words[start : start + len(parts)] == parts:
            return len(parts), shorts
    return 0, []
