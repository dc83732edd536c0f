"""Brand and other names of the drugs a release names, from the `drug-named-entity-recognition` dictionary.

Used at build time only: the package (MIT licensed, about 100,000 drug names with their
brand names and synonyms, mapped to a generic name) is not carried by the standalone
executable, which takes the brand names from the database it ships with instead.
"""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz.distance import OSA

from .text import words

SOURCE = "drug dictionary"


def available() -> bool:
    try:
        import drug_named_entity_recognition  # noqa: F401
    except ImportError:
        return False
    return True


def brand_names(release_words: Collection[str]) -> list[tuple[str, str, str]]:
    """(name, generic, "brand" or "drug name") for every generic whose words the release uses.

    Only names of one word (a brand, "solu-medrol"), four letters or more, that are no
    word of the release (CMS's own vocabulary) and no spelling of their generic in another
    language ("oxigeno", "heparine": they would only catch misspellings of CMS's words).
    """
    from drug_named_entity_recognition import drugs_finder

    names = []
    for variant, generics in drugs_finder.drug_variant_to_canonical.items():
        variant_words = words(variant)
        if (len(generics) > 2 or len(variant) < 4 or " " in variant or "," in variant or not variant[0].isalpha()
                or all(w in release_words for w in variant_words)):
            continue
        data = drugs_finder.drug_variant_to_variant_data.get(variant) or {}
        kind = "brand" if data.get("is_brand") else "drug name"
        for generic in generics:
            generic_words = words(generic)
            if (generic_words and all(w in release_words for w in generic_words)
                    and not any(OSA.distance(v, g) <= 2 for v in variant_words for g in generic_words)):
                names.append((variant, generic, kind))
    return sorted(set(names))
