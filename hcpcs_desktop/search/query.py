"""Read what a coder typed: a code, a code prefix, a range, a pasted list, or words."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from ..data.ndc import NdcError, ndc_candidates
from ..data.text import STOP_WORDS
from .cpt_services import CptService, cpt_service

# A pasted list of 10,000 codes still fits; words are read from the first MAX_WORD_CHARS only.
MAX_QUERY_CHARS = 100_000
MAX_WORD_CHARS = 2_000
MAX_WORDS = 12

PROCEDURE = re.compile(r"^[A-Z]\d{4}$")
CODE_PREFIX = re.compile(r"^[A-Z]\d{0,3}$")
MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
# CPT (AMA) codes: five digits, or four digits and a letter (0001F, 0042T, 0001U, 0001A).
CPT = re.compile(r"^\d{5}$|^\d{4}[A-Z]$")
# A code with its modifiers, as coders write it: E0601-RR, E0601RR, E0601:RR, E0601-RR-KX, 99213-25.
CODE_WITH_MODIFIERS = re.compile(r"^([A-Z]\d{4}|\d{5}|\d{4}[A-Z])((?:[-:]?[A-Z0-9]{2})+)$")
MODIFIERS = re.compile(r"[A-Z0-9]{2}")
# Something shaped like a code but none (XX999, A12): letters and digits with a digit in them.
CODE_SHAPED = re.compile(r"^(?=.*\d)[A-Z0-9]{3,7}$")
RANGE = re.compile(r"^([A-Z]\d{4})\s*(?:-|–|—|\.\.|TO)\s*([A-Z]\d{4})$")
# NDCs as printed or billed: 4-4-2, 5-3-2, 5-4-1 or 5-4-2 with dashes (or eleven digits grouped
# otherwise), 10 or 11 digits, an "NDC" before them or a claim's N4 qualifier (N400409000925), and after
# each the unit and quantity a claim gives (ML2, UN 1). No code, code list or word query has this shape.
NDC_UNITS = ("F2", "GR", "ME", "ML", "UN")  # international units, grams, milligrams, milliliters, units (each)
NDC_DIGITS = r"\d{4,6}-\d{3,4}-\d{1,3}|\d{10,11}"
NDC_QUANTITY = rf"(?:{'|'.join(NDC_UNITS)})\s?\d+(?:\.\d+)?"
NDC = re.compile(rf"N4|NDC[:#]?|({NDC_DIGITS})|{NDC_QUANTITY}")
NDC_SEPARATORS = re.compile(r"[\s,;|]+")
# Units a coder writes beside a code: "J1650 x4", "x 4", "4 units".
UNITS = re.compile(r"(?<![\w-])(?:x\s?(\d{1,5})|(\d{1,5})\s?units?)(?![\w-])")
LIST_SEPARATORS = re.compile(r"[\s,;|]+")
# A number, or a number with its unit or a size ("4x4").
MEASURE = re.compile(r"\d+(?:[.,]\d+)?(?:x\d+(?:[.,]\d+)?)*(?:mg|mcg|ml|cc|g|gm|kg|lb|lbs|in|cm|mm|oz|l|u|iu|"
                     r"units?|mmhg|hrs?|mins?|fr|percent|pct)?")
# "what's", "we'll", "didn't" (with a straight or a curly apostrophe).
CONTRACTION = re.compile(r"(\w+?)((?:n)?['’](?:t|s|re|ve|ll|d|m))\b")
# "j code", "g-codes", "which q code": the section a coder names by its letter.
SECTION_WORD = re.compile(r"(?<![\w/])([b-hj-v])[ -]?codes?\b", re.IGNORECASE)  # not "a code", "i code"
# Words as coders write them: w/ and w/o are words too.
WORD = re.compile(r"w/o(?![a-z0-9])|w/(?![a-z0-9])|[^\W_]+")
# Words about the lookup itself ("hcpcs code for ..."): they carry no weight in the search.
NOISE_WORDS = frozenset({
    "code", "codes", "hcpcs", "cpt", "billing", "bill", "billed", "what", "whats", "which", "how", "do",
    "does", "i", "use", "used", "should", "need", "find", "lookup", "search", "number", "please", "are",
})
# Words of the situation around the thing searched for, as people write a question ("patient sent home
# with a walker"): they order codes that match the words naming the thing, and never outweigh them.
CONTEXT_WORDS = frozenset({
    "patient", "patients", "beneficiary", "member", "person", "someone", "client", "resident",
    "home", "house", "sent", "send", "sending", "given", "gave", "give", "giving", "got", "get", "gets", "getting",
    "ordered", "order", "orders", "prescribed", "prescription", "dispensed", "dispense", "dispensing",
    "discharged", "discharge", "doctor", "doctors", "dr", "physician", "physicians", "provider", "providers",
    "medicare", "medicaid", "insurance", "insurer", "payer", "payor", "claim", "claims", "covered", "cover",
    "pay", "paid", "receive", "received", "receiving", "needs", "needed", "wants", "wanted", "uses", "using",
    "when", "where", "why", "who", "this", "that", "these", "those", "it", "his", "her",
    "their", "our", "we", "you", "they", "he", "she", "was", "were", "be", "been", "being", "has", "have",
    "had", "having", "will", "would", "can", "could", "correct", "right", "proper", "appropriate",
        "but", "if", "then", "so", "as", "be", "not", "now", "also", "just", "only", "still", "again",
    # when it happens: the situation, not the thing ("a knee brace after acl surgery")
    "after", "before", "during", "following", "while", "until", "since", "because", "due",
})
# Words that qualify the thing without naming it: they order the codes that match the naming words.
# Words for any thing at all are such: the word beside them names it ("suction machine", "tens unit").
QUALIFIER_WORDS = frozenset({
    "with", "without", "w/", "w/o", "machine", "machines", "item", "items", "product", "products", "thing",
    "things", "stuff", "unit", "units",
    # units of a measure typed apart from its number ("400 lb", "40 mg"): a detail of the thing
    "lb", "lbs", "pound", "pounds", "kg", "oz", "ounce", "ounces", "mg", "mcg", "ml", "cc", "gm", "mmhg",
})
# Words that name a kind of code: they steer the ranking towards it instead of being required.
KIND_WORDS = {
    "modifier": "modifier", "modifiers": "modifier", "mod": "modifier",
    "drug": "drug", "drugs": "drug", "medication": "drug", "medications": "drug", "med": "drug",
    "meds": "drug", "injection": "drug", "injections": "drug", "inj": "drug", "injectable": "drug",
    "supply": "supply", "supplies": "supply",
}


class QueryKind(str, Enum):
    EMPTY = "empty"
    RANGE = "range"
    LIST = "list"
    CODE = "code"
    WORDS = "words"
    NDC = "ndc"


@dataclass(frozen=True)
class Query:
    """A classified query."""

    kind: QueryKind
    text: str = ""  # what was typed, cleaned
    codes: list[str] = field(default_factory=list)  # list: codes in pasted order; range: [low, high]
    code: str = ""  # code: the code or code prefix typed; ndc: the first NDC as typed
    ndcs: list[str] = field(default_factory=list)  # ndc: every NDC typed, as typed
    units: int | None = None  # units written beside a code ("J1650 x4")
    words: list[str] = field(default_factory=list)  # lower-case search words that must match
    kind_words: list[str] = field(default_factory=list)  # words naming a kind of code ("modifier", "injection")
    in_order: list[list[str]] = field(default_factory=list)  # the words in the orders a description may use
    sections: list[str] = field(default_factory=list)  # sections named by their letter ("j code"): steered to
    skipped: list[tuple[str, str]] = field(default_factory=list)  # list: (token, "cpt" or "not a code")
    cpt_service: CptService | None = None  # a service billed with CPT codes that the words name ("office visit")


def clean(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """The query without control characters, accents folded, at most `limit` characters long."""
    text = unicodedata.normalize("NFKD", str(text)[:limit])
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "".join(c if c.isprintable() else " " for c in text).strip()


def words_of(text: str) -> list[str]:
    """Search words of `text`, lower case, stop words left out unless still being typed; a contraction
    is its first word ("what's": what; "didn't" says no more than its verb)."""
    words = WORD.findall(CONTRACTION.sub(lambda m: m.group(1) if m.group(2).lower() != "n't" else " ", text.lower()))
    kept = [w for i, w in enumerate(words) if w not in STOP_WORDS or i == len(words) - 1]
    return kept[:MAX_WORDS]


def is_detail(word: str) -> bool:
    """Whether a word is a number or a measure ("20", "4x4", "40mg", "1000ml", "2.5"): a detail of the
    thing asked for, not its name ("b12", "340b", "o2" are names)."""
    return bool(MEASURE.fullmatch(word))


def split_words(words: list[str]) -> tuple[list[str], list[str]]:
    """(words that must match, words naming a kind of code); noise words dropped while others remain."""
    meaningful = [w for w in words if w not in NOISE_WORDS and w not in STOP_WORDS]
    if not meaningful:
        return words, []
    kind_words = [w for w in meaningful if w in KIND_WORDS]
    required = [w for w in meaningful if w not in KIND_WORDS]
    if not required:  # "injection", "modifier": the word is all there is to search for
        return meaningful, []
    return required, kind_words


def word_orders(text: str, words: list[str]) -> list[list[str]]:
    """The words as typed, and for an index-style "orthosis, knee" also as CMS writes them: knee orthosis."""
    orders = [words]
    head, comma, rest = text.partition(",")
    if comma:
        inverted = [w for w in words_of(rest) + words_of(head) if w in words]
        if inverted != words:
            orders.append(inverted)
    return orders


def parse(text: str) -> Query:
    """Classify `text`; never raises."""
    text = clean(text)
    upper = text.upper()
    if not text:
        return Query(QueryKind.EMPTY)
    ndcs = _ndcs(upper)
    if ndcs:
        return Query(QueryKind.NDC, text, code=ndcs[0], ndcs=ndcs)
    units = UNITS.search(text)
    if units and _code_tokens(UNITS.sub(" ", upper)):
        bare = parse(UNITS.sub(" ", text))
        if bare.kind in (QueryKind.CODE, QueryKind.LIST):
            return dataclasses.replace(bare, text=text, units=int(units.group(1) or units.group(2)))
    matched = RANGE.match(upper)
    if matched:
        low, high = sorted(matched.groups())
        return Query(QueryKind.RANGE, text, codes=[low, high])
    tokens = _code_tokens(upper)
    if _is_code_list(tokens, upper):
        codes, skipped = [], []
        for token in tokens:
            why = not_a_code(token)
            if why:
                skipped.append((token, why))
            else:
                codes.append(token)
        return Query(QueryKind.LIST, text, codes=list(dict.fromkeys(codes)), skipped=list(dict.fromkeys(skipped)))
    text = text[:MAX_WORD_CHARS]
    sections = list(dict.fromkeys(m.group(1).upper() for m in SECTION_WORD.finditer(text)))
    words, kind_words = split_words(words_of(SECTION_WORD.sub(" code ", text) if sections else text))
    found = dict(words=words, kind_words=kind_words, in_order=word_orders(text, words), sections=sections,
                 cpt_service=cpt_service(text))
    if len(tokens) == 1:
        token = tokens[0]
        if PROCEDURE.match(token) or CODE_PREFIX.match(token) or MODIFIER.match(token):
            return Query(QueryKind.CODE, text, code=token, **found)
    return Query(QueryKind.WORDS, text, **found)


def _ndcs(upper: str) -> list[str]:
    """The NDCs of `upper` when it holds nothing else (see NDC), as typed; else none."""
    found = []
    for token in NDC_SEPARATORS.split(upper):
        pieces = [m for m in NDC.finditer(token)]
        if not token or "".join(m.group(0) for m in pieces) != token:
            return []  # something that is no part of an NDC
        found += [m.group(1) for m in pieces if m.group(1)]
    try:
        return [ndc for ndc in found if ndc_candidates(ndc)]
    except NdcError:
        return []


def not_a_code(token: str) -> str | None:
    """Why `token` (upper case) is no HCPCS Level II code or modifier ("cpt" or "not a code"),
    or None when it may be one."""
    if PROCEDURE.match(token) or MODIFIER.match(token):
        return None
    return "cpt" if CPT.match(token) else "not a code"


def _code_tokens(upper: str) -> list[str]:
    """The tokens of `upper`, a code written with its modifiers split into code and modifiers."""
    tokens = []
    for token in LIST_SEPARATORS.split(upper):
        token = token.lstrip("-")
        if not token.strip("-"):
            continue
        with_modifiers = CODE_WITH_MODIFIERS.match(token)
        if with_modifiers:
            code, modifiers = with_modifiers.groups()
            tokens += [code, *MODIFIERS.findall(modifiers.replace("-", "").replace(":", ""))]
        else:
            tokens.append(token)
    return tokens


def _is_code_list(tokens: list[str], text: str) -> bool:
    """Every token shaped like a code, and one that cannot be a word (or a list written with commas).

    A lone CPT code, or a code with its modifiers (E0601-RR), is a list too.
    """
    if not tokens or not all(PROCEDURE.match(t) or MODIFIER.match(t) or CODE_SHAPED.match(t) for t in tokens):
        return False
    if len(tokens) == 1:
        return bool(CPT.match(tokens[0]))
    return any(PROCEDURE.match(t) or CPT.match(t) for t in tokens) or bool(re.search(r"[,;\n|]|(^|\s)-", text))
