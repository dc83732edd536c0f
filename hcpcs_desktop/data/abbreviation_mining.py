"""Learn the abbreviations of short descriptions by aligning them with the long descriptions.

Every CMS record has a short description (at most 28 characters) that abbreviates its
long description, keeping the order of its words and dropping many of them:

    "Hit cont insulin diem"  <->  "Home infusion therapy, continuous insulin infusion therapy; ..."

`mine_abbreviations(pairs)` reads (short, long) description pairs and returns the
abbreviations they use, each with the number of records that support it.

How one pair is read
--------------------
Both descriptions are lower-cased and cut into words. "w/o", "w/" and slash groups of
one- or two-letter parts ("w/c", "f/u", "d/c") stay single words; other slash groups
are split ("seat/back", and "w/cont" into "w/" and "cont"). A record whose short words
all appear in its long description teaches nothing and is skipped.

The short words are aligned with the long words left to right, never crossing: the best
monotone alignment, by dynamic programming. A short word may match:

- the same word, an *anchor*: not an abbreviation, but it holds the alignment in place;
- one long word it abbreviates by its letters: a *prefix* ("cont" -> "continuous") or a
  *consonant skeleton*, its letters in order from the same first letter ("whlchr" ->
  "wheelchair", "w/o" -> "without"). A word of one letter ("w/" -> "with") weighs less
  than any other match, so it never displaces one;
- an *acronym* of consecutive long words, inner "and", "of", "or", "the" optional
  ("hit" -> "home infusion therapy", "e/m" -> "evaluation and management"), never across
  a comma, semicolon, colon or bracket, never starting on a stop word.

Anchors weigh most, then prefixes, acronyms and skeletons. Every run of skipped long
words costs a little, growing with the square root of its length, so that of two
otherwise equal alignments the compact one wins ("pnl" after "rigid posterior" is the
"panel" that follows, not a "pendulous" further on).

Letters-and-digits words ("o2", "tc99m") and ordinals ("2nd") share no letters with what
they stand for and are read by position instead: when one is left unaligned, the content
words of the gap it sits in (one to three long words between the neighbouring aligned
words) are its candidates.

A short word followed by the rest of its long word ("ft rest" for "footrests") is a
split compound, not an abbreviation, and is not counted.

Which pairings are kept
-----------------------
Counts are records, each record counting a pairing once.

1. At least `min_count` records.
2. Not an inflection: the long form is not the short form plus "s", "es", "d", "ed",
   "ing" or "ly" ("service" -> "services", "screen" -> "screening").
3. A short form that is itself a word of the long descriptions ("cap", "no", "per",
   "set") is kept only when consistently an abbreviation: its count is at least three
   times the number of long descriptions in which it appears as a word. "pt" ->
   "patient" is kept (hundreds of records against a few long descriptions that say
   "pt"); "no" -> "not" and "cap" -> "capsule" are not ("no" and "cap" are common words
   of the long descriptions).
4. Dominance: of the long forms a short form aligns to, those with at least a third of
   the count of the most frequent one are kept. "cont" keeps "contrast" and
   "continuous"; an occasional "contents" or "compartmental" is dropped.
5. Position-only forms need more evidence: one long word only, in at least 5 records
   (or `min_count` if higher), in more records than any other candidate, and in at
   least 60 % of the records where the form was left unaligned.

The output is sorted by short form, then long form. Mining the ~9,000 records of a
release takes a few hundred milliseconds.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class MinedAbbreviation:
    """One abbreviation of short descriptions and what it stands for."""

    short: str  # lower case, as in short descriptions, e.g. "whlchr", "hit", "w/o", "o2"
    long: str  # lower case word or phrase from long descriptions, e.g. "home infusion therapy"
    count: int  # how many records support this pairing


STOPWORDS = frozenset("a an and or of the to in on by for at as is be per".split())
# Stop words a short form may still stand for: "w/" -> "with", "w/o" -> "without".
TARGET_STOPWORDS = frozenset({"with", "without"})
# Inner words an acronym may leave out: "e/m" -> "evaluation and management".
SKIPPABLE = frozenset({"and", "of", "or", "the"})
INFLECTIONS = ("s", "es", "d", "ed", "ing", "ly")
NORMAL_WORD_FACTOR = 3
DOMINANCE = 1 / 3
POSITION_MIN_COUNT = 5
POSITION_SHARE = 0.6
MAX_ACRONYM = 6
MAX_POSITION_GAP = 3

EXACT, PREFIX, ACRONYM, SKELETON = "exact", "prefix", "acronym", "skeleton"
_WEIGHT = {EXACT: 3.0, PREFIX: 2.2, ACRONYM: 2.1, SKELETON: 2.0}
_WEIGHT_ONE_LETTER = 1.0  # "w/" -> "with" must not displace a better match
# Skipping long words between two aligned words costs a little, growing with the square
# root of the gap, so that of two otherwise equal alignments the more compact one wins.
_GAP_PENALTY = [0.01 * math.sqrt(gap) for gap in range(1000)]
_UNKNOWN = object()

_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?(?:/[a-z0-9]+)*/?")
_BREAK = re.compile(r"[,;:()\[\]]|\.\s")  # punctuation an acronym does not span
_POSITIONAL = re.compile(r"[a-z]+[0-9][a-z0-9]*|[0-9]+(?:st|nd|rd|th)")


def words(text: str) -> list[str]:
    """The lower-case words of a description, as the alignment sees them."""
    return _words(text)[0]


def _words(text: str) -> tuple[list[str], list[bool]]:
    """(words, breaks): breaks[j] tells whether punctuation separates word j from the one before."""
    out: list[str] = []
    breaks: list[bool] = []
    for n, segment in enumerate(_BREAK.split(text.lower().replace("'", ""))):
        found = _WORD.findall(segment)
        if not found:
            continue
        first = len(out)
        if "/" in segment:
            for word in found:
                out.extend(_split_slashes(word) if "/" in word else (word,))
        else:
            out.extend(found)
        breaks.extend([False] * (len(out) - first))
        breaks[first] = n > 0
    return out, breaks


def _split_slashes(word: str) -> list[str]:
    """"w/o", "w/c", "f/u" stay whole; "seat/back" -> seat, back; "w/cont" -> w/, cont."""
    parts = [part for part in word.split("/") if part]
    if len(parts) > 1 and all(len(part) <= 2 for part in parts):
        return ["/".join(parts)]
    last = len(parts) - 1
    return ["w/" if part == "w" and (k < last or word.endswith("/")) else part for k, part in enumerate(parts)]


def _is_skeleton(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(ch in rest for ch in letters)


class _Aligner:
    """Aligns one short description with its long description; remembers word comparisons."""

    def __init__(self) -> None:
        self._kinds: dict[tuple[str, str], str | None] = {}
        self._letters: dict[str, str | None] = {}

    def kind(self, letters: str, word: str) -> str | None:
        """PREFIX, SKELETON or None: how `letters` (of a short word) abbreviate `word`."""
        key = (letters, word)
        if key not in self._kinds:
            kind = None
            if (
                len(letters) < len(word)
                and word.isalpha()
                and (word not in STOPWORDS or word in TARGET_STOPWORDS)
            ):
                if word.startswith(letters):
                    kind = PREFIX
                elif _is_skeleton(letters, word):
                    kind = SKELETON
            self._kinds[key] = kind
        return self._kinds[key]

    def letters(self, word: str) -> str | None:
        """The letters a short word abbreviates with ("w/o" -> "wo"); None for digits or a lone letter."""
        if word not in self._letters:
            letters = word.replace("/", "")
            ok = letters.isalpha() and (len(letters) >= 2 or "/" in word)
            self._letters[word] = letters if ok else None
        return self._letters[word]

    def candidates(self, short: list[str], long: list[str], breaks: list[bool]) -> list[list[tuple]]:
        """For each short word, its possible matches: (start, end, weight, long phrase, kind)."""
        firsts = {word[0] for word in short}
        by_letter: dict[str, list[int]] = {}
        for j, word in enumerate(long):
            if word[0] in firsts:
                by_letter.setdefault(word[0], []).append(j)
        initials = "".join([word[0] for word in long])
        content = [j for j, word in enumerate(long) if word not in SKIPPABLE]
        content_initials = "".join([long[j][0] for j in content]) if len(content) < len(long) else ""
        kinds = self._kinds
        found = []
        for word in short:
            matches: list[tuple] = []
            letters = self.letters(word)
            for j in by_letter.get(word[0], ()):
                other = long[j]
                if other == word:
                    matches.append((j, j, _WEIGHT[EXACT], None, EXACT))
                elif letters:
                    kind = kinds.get((letters, other), _UNKNOWN)
                    if kind is _UNKNOWN:
                        kind = self.kind(letters, other)
                    if kind:
                        weight = _WEIGHT[kind] if len(letters) > 1 else _WEIGHT_ONE_LETTER
                        matches.append((j, j, weight, other, kind))
            if letters and 2 <= len(letters) <= MAX_ACRONYM and (letters in initials or letters in content_initials):
                matches.extend(self.acronyms(letters, long, breaks, initials, content, content_initials))
            found.append(matches)
        return found

    @staticmethod
    def acronyms(letters, long, breaks, initials, content, content_initials) -> list[tuple]:
        size = len(letters) - 1
        spans = {(start, start + size) for start in _find_all(initials, letters)}
        spans.update((content[k], content[k + size]) for k in _find_all(content_initials, letters))
        found = []
        for start, end in sorted(spans):
            phrase = long[start : end + 1]
            if (
                phrase[0] not in STOPWORDS
                and not any(breaks[start + 1 : end + 1])
                and all(len(w) >= 2 and w.isalpha() for w in phrase)
            ):
                found.append((start, end, _WEIGHT[ACRONYM], " ".join(phrase), ACRONYM))
        return found

    def align(self, short: list[str], long: list[str], breaks: list[bool]) -> list[tuple]:
        """[(short index, start, end, long phrase or None for an anchor, kind)], left to right."""
        # states: (end of the last long word used, score, (previous state, short index, match))
        states: list[tuple] = [(-1, 0.0, None)]
        best = 0
        penalty = _GAP_PENALTY
        for i, matches in enumerate(self.candidates(short, long, breaks)):
            new = []
            for match in matches:
                start = match[0]
                top, top_state = None, -1
                for k, (end, score, _) in enumerate(states):
                    if end < start:
                        gap = start - end - 1
                        value = score + match[2] - (penalty[gap] if gap < len(penalty) else penalty[-1])
                        if top is None or value > top:
                            top, top_state = value, k
                if top is not None:
                    new.append((match[1], top, (top_state, i, match)))
            for state in new:
                states.append(state)
                if state[1] > states[best][1]:
                    best = len(states) - 1
        chain = []
        k = best
        while states[k][2] is not None:
            k, i, match = states[k][2]
            chain.append((i, match[0], match[1], match[3], match[4]))
        chain.reverse()
        return chain


def _find_all(text: str, part: str):
    start = text.find(part)
    while start >= 0:
        yield start
        start = text.find(part, start + 1)


def _split_compound(short: list[str], i: int, phrase: str) -> bool:
    """True when the next short word is the rest of the long word: "ft rest" for "footrests"."""
    if i + 1 == len(short) or " " in phrase:
        return False
    rest = short[i + 1]
    return (
        len(rest) >= 3
        and (phrase.endswith(rest) or phrase.endswith(rest + "s"))
        and _is_skeleton(short[i].replace("/", "") + rest, phrase)
    )


def _gap_words(short: list[str], long: list[str], chain: list[tuple]):
    """(short word, set of candidate long words) for each position-only form left unaligned."""
    spans = {i: (start, end) for i, start, end, _, _ in chain}
    for i, word in enumerate(short):
        if i in spans or not _POSITIONAL.fullmatch(word):
            continue
        before = [spans[k][1] for k in range(i) if k in spans]
        after = [spans[k][0] for k in range(i + 1, len(short)) if k in spans]
        lo = before[-1] + 1 if before else 0
        hi = after[0] if after else min(lo + 2, len(long))
        if 1 <= hi - lo <= MAX_POSITION_GAP:
            yield word, {w for w in long[lo:hi] if w.isalpha() and len(w) >= 3 and w not in STOPWORDS}


def mine_abbreviations(pairs: Iterable[tuple[str, str]], min_count: int = 2) -> list[MinedAbbreviation]:
    """The abbreviations that (short description, long description) pairs use; see the module doc."""
    aligner = _Aligner()
    letter_counts: Counter = Counter()
    position_counts: Counter = Counter()
    position_seen: Counter = Counter()
    long_df: Counter = Counter()
    for short_text, long_text in pairs:
        short = words(short_text)
        long, breaks = _words(long_text)
        vocabulary = set(long)
        long_df.update(vocabulary)
        if vocabulary.issuperset(short):
            continue  # every short word is spelled out: nothing to learn
        chain = aligner.align(short, long, breaks)
        letter_counts.update({
            (short[i], phrase)
            for i, _, _, phrase, kind in chain
            if kind != EXACT and not _split_compound(short, i, phrase)
        })
        seen_here = set()
        for word, candidates in _gap_words(short, long, chain):
            if word not in seen_here:
                seen_here.add(word)
                position_seen[word] += 1
                position_counts.update((word, c) for c in candidates)

    found = _select_letter_forms(letter_counts, long_df, min_count)
    found += _select_position_forms(position_counts, position_seen, min_count)
    return sorted(found)


def _select_letter_forms(counts: Counter, long_df: Counter, min_count: int) -> list[MinedAbbreviation]:
    top: Counter = Counter()
    for (short, _), count in counts.items():
        top[short] = max(top[short], count)
    kept = []
    for (short, long), count in counts.items():
        if (
            count >= min_count
            and count >= DOMINANCE * top[short]
            and count >= NORMAL_WORD_FACTOR * long_df[short]
            and not any(long == short + ending for ending in INFLECTIONS)
        ):
            kept.append(MinedAbbreviation(short, long, count))
    return kept


def _select_position_forms(counts: Counter, seen: Counter, min_count: int) -> list[MinedAbbreviation]:
    readings: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for (short, long), count in counts.items():
        readings[short].append((count, long))
    kept = []
    for short, found in readings.items():
        found.sort(key=lambda reading: (-reading[0], reading[1]))
        count, long = found[0]
        runner_up = found[1][0] if len(found) > 1 else 0
        if count > runner_up and count >= max(min_count, POSITION_MIN_COUNT) and count >= POSITION_SHARE * seen[short]:
            kept.append(MinedAbbreviation(short, long, count))
    return kept
