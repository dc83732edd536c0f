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

from . import build_cache
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
    Kept in the build cache under the dictionary file's content and the release's words.
    """
    path = _dictionary_file()
    inputs = [build_cache.content_key(path.read_bytes()), build_cache.content_key("\n".join(sorted(release_words)).encode())]
    return build_cache.cached("drug names", inputs, lambda: _drug_names(path, release_words), decode=_kept_names)


def _drug_names(path: Path, release_words: Collection[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    with bz2.open(path, "rb") as file:
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


def _kept_names(value) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """`drug_names` of a build cache entry; ValueError when it holds anything else."""
    named, uncoded = value
    named, uncoded = [tuple(row) for row in named], [tuple(row) for row in uncoded]
    if any(len(row) != 3 for row in named) or any(len(row) != 2 for row in uncoded):
        raise ValueError("not the drug dictionary's names")
    return named, uncoded
