"""Brand and other names of drugs, from the `drug-named-entity-recognition` dictionary: those of the
drugs a release names, and those of the drugs it does not.

Used at build time only: the package (MIT licensed, about 100,000 drug names with their
brand names and synonyms, mapped to a generic name) is not carried by the standalone
executable, which takes the brand names from the database it ships with instead.
"""

from __future__ import annotations

import bz2
import importlib.util
import pickle
from collections.abc import Collection
from pathlib import Path

from rapidfuzz.distance import OSA

from .text import words

SOURCE = "drug dictionary"
PACKAGE = "drug_named_entity_recognition"
# The package's own dictionary file. Importing the package would also build a fuzzy-matching
# index of every name (about 1.5 s) that the build has no use for, so the file is read directly.
DICTIONARY = "drug_ner_dictionary.pkl.bz2"


def _dictionary_file() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / DICTIONARY
    return path if path.is_file() else None


def available() -> bool:
    return _dictionary_file() is not None


def drug_names(release_words: Collection[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The drug names of the dictionary, split by whether the release names their generic:

    - (name, generic, "brand" or "drug name") for every generic whose words the release uses;
    - (name, generic) for the drugs it does not name ("ozempic": semaglutide), so that the search
      can say that no code names them, rather than take them for a misspelling.

    Only names of one word (a brand, "solu-medrol"), four letters or more, that are no
    word of the release (CMS's own vocabulary) and no spelling of their generic in another
    language ("oxigeno", "heparine": they would only catch misspellings of CMS's words).
    """
    with bz2.open(_dictionary_file(), "rb") as file:
        dictionary = pickle.load(file)  # the package's own data file, installed with it
    variant_data = dictionary["drug_variant_to_variant_data"]
    names, uncoded = [], []
    for variant, generics in dictionary["drug_variant_to_canonical"].items():
        variant_words = words(variant)
        if (len(generics) > 2 or len(variant) < 4 or " " in variant or "," in variant or not variant[0].isalpha()
                or all(w in release_words for w in variant_words)):
            continue
        data = variant_data.get(variant) or {}
        kind = "brand" if data.get("is_brand") else "drug name"
        for generic in generics:
            generic_words = words(generic)
            if not generic_words:
                continue
            if not all(w in release_words for w in generic_words):
                uncoded.append((variant, generic))
            elif not any(OSA.distance(v, g) <= 2 for v in variant_words for g in generic_words):
                names.append((variant, generic, kind))
    return sorted(set(names)), sorted(set(uncoded))
