"""Reviewed coder and lay words for what CMS describes in its own words.

Each entry: a word or phrase a coder types -> the words CMS writes for the same thing.
"""

SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("brace", ("orthosis",)),
    ("bipap", ("bi-level", "respiratory assist device")),
)
