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
are split ("seat/back"). The short words are then aligned with the long words, left to
right, never crossing (the best monotone alignment, by dynamic programming). A short
word may match:

- the same word (an *anchor*: it is not an abbreviation);
- one long word it abbreviates by its letters: a *prefix* ("cont" -> "continuous",
  "w/" -> "with") or a *consonant skeleton*, its letters in order starting with the
  same letter ("whlchr" -> "wheelchair", "w/o" -> "without");
- an *acronym* of consecutive long words, inner "of", "and", ... optional ("hit" ->
  "home infusion therapy", "e/m" -> "evaluation and management"), not across a comma,
  semicolon, colon or bracket.

Anchors weigh most, then prefixes and acronyms, then skeletons; among alignments of
equal weight the one that skips fewest long words wins. Letters-and-digits forms
("o2", "h2o") and ordinals ("2nd") share no letters with what they stand for: they are
read by position instead. When such a word is left unaligned, the content words of the
gap it sits in (at most three long words between the neighbouring aligned words) are
its candidates.

Which pairings are kept
-----------------------
Counts are records, each record counting a pairing once.

1. At least `min_count` records.
2. The short form is not the long form with an inflection ("service" -> "services",
   "screen" -> "screening").
3. A short form that is itself a word of the long descriptions ("cap", "no", "per",
   "set") is kept only when its abbreviating use is at least three times as frequent
   as its plain use: count >= 3 x (long descriptions holding the word).
4. Dominance: of the long forms a short form aligns to, keep those with a count of at
   least a third of the most frequent one's. "cont" keeps "contrast" and "continuous"
   but not the occasional "contents".
5. Position-only forms need more evidence: at least 5 records, the most frequent
   candidate, and present in at least 60 % of the records where the form was left
   unaligned.

The output is sorted by short form, then long form.
"""

from __future__ import annotations

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
_WEIGHT = {EXACT: 3.0, PREFIX: 2.2, ACRONYM: 2.2, SKELETON: 2.0}
_GAP_PENALTY = 0.01  # per long word skipped between two aligned words
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

    def candidates(self, short: list[str], long: list[str], breaks: list[bool]) -> list[list[tuple]]:
        """For each short word, its possible matches: (start, end, weight, long phrase, kind)."""
        firsts = {word[0] for word in short}
        by_letter: dict[str, list[int]] = {}
        for j, word in enumerate(long):
            if word[0] in firsts:
                by_letter.setdefault(word[0], []).append(j)
        initials = "".join([word[0] for word in long])
        content = [j for j, word in enumerate(long) if word not in SKIPPABLE]
        content_initials = "".join([long[j][0] for j in content])
        kinds = self._kinds
        found = []
        for word in short:
            matches: list[tuple] = []
            letters = word.replace("/", "") if "/" in word else word
            letter_form = letters.isalpha() and (len(letters) >= 2 or "/" in word)
            for j in by_letter.get(word[0], ()):
                other = long[j]
                if other == word:
                    matches.append((j, j, _WEIGHT[EXACT], None, EXACT))
                elif letter_form:
                    kind = kinds.get((letters, other), _UNKNOWN)
                    if kind is _UNKNOWN:
                        kind = self.kind(letters, other)
                    if kind:
                        matches.append((j, j, _WEIGHT[kind], other, kind))
            if letter_form and 2 <= len(letters) <= MAX_ACRONYM:
                size = len(letters) - 1
                spans = {(start, start + size) for start in _find_all(initials, letters)}
                spans.update((content[k], content[k + size]) for k in _find_all(content_initials, letters))
                for start, end in sorted(spans):
                    phrase = long[start : end + 1]
                    if (
                        phrase[0] not in STOPWORDS
                        and not any(breaks[start + 1 : end + 1])
                        and all(len(w) >= 2 and w.isalpha() for w in phrase)
                    ):
                        matches.append((start, end, _WEIGHT[ACRONYM], " ".join(phrase), ACRONYM))
            found.append(matches)
        return found

    def align(self, short: list[str], long: list[str], breaks: list[bool]) -> list[tuple]:
        """[(short index, start, end, long phrase or None for an anchor, kind)], left to right."""
        # states: (end of the last long word used, score, (previous state, short index, match))
        states: list[tuple] = [(-1, 0.0, None)]
        best = 0
        for i, matches in enumerate(self.candidates(short, long, breaks)):
            new = []
            for match in matches:
                top, top_state = None, -1
                for k, (end, score, _) in enumerate(states):
                    if end < match[0]:
                        value = score + match[2] - _GAP_PENALTY * (match[0] - end - 1)
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
        long_df.update(set(long))
        if not short or not long:
            continue
        chain = aligner.align(short, long, breaks)
        letter_counts.update(
            {(short[i], phrase) for i, _, _, phrase, kind in chain if kind != EXACT and not _split_compound(short, i, phrase)}
        )
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
    best: dict[str, tuple[int, str]] = {}
    for (short, long), count in counts.items():
        if short not in best or (-count, long) < (-best[short][0], best[short][1]):
            best[short] = (count, long)
    kept = []
    for short, (count, long) in best.items():
        tied = sum(1 for (s, _), c in counts.items() if s == short and c == count) > 1
        if count >= max(min_count, POSITION_MIN_COUNT) and count >= POSITION_SHARE * seen[short] and not tied:
            kept.append(MinedAbbreviation(short, long, count))
    return kept
