"""The vocabulary bridges: the words coders use, tied to the codes of a release.

Four bridges, each kept as a table of the database with its source, so that a release
imported later (by an executable that carries neither the PDFs nor the drug dictionary)
gets the same bridges, read from the database it replaces:

- `brand_names`: brand and other names of drugs → the generic name CMS writes
  (the drug dictionary; CMS's Table of Drugs: "Lovenox, see Enoxaparin sodium");
- `index_terms`: CMS's HCPCS Index ("Ambulance › air: A0430, A0431") and Table of Drugs
  ("Adalimumab 20 mg SC: J0135"), each code with the description it had in the index's
  own release, so that a term is attached only while the code still means the same;
- `abbreviations`: learned from each record's short and long description, plus a
  reviewed list;
- `synonyms`: the reviewed list of coder and lay words;
- `product_names` and `product_kinds`: the reviewed list of device and supply products, each
  tied to the kind of item CMS words (a row of a product classification list, such as the PDAC
  list, would be tied to its code);
- `uncoded_drugs`: the drug dictionary's names of drugs no code of the release names
  ("ozempic": semaglutide), so that the search says so rather than correct them;
- `english_words`: the most common English words (`english_words.py`), so that the search
  knows a real word from a misspelling.

`code_terms` ties the first two to the codes of this release: the words are indexed for
search with each code, and the search tells why a code matched through them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from . import brand_names as drug_dictionary
from . import build_cache, english_words
from .abbreviation_mining import mine_abbreviations
from .abbreviations import ABBREVIATIONS
from .database import connect_read_only
from .errors import ReleaseError
from .pdf_text import MAX_PDF_BYTES
from .products import PRODUCT_KINDS, PRODUCTS
from .safe_files import read_file
from .synonyms import SYNONYMS
from .text import words

# Words of a salt or form that CMS and the drug lists write differently or leave out.
SALTS = frozenset({
    "hcl", "hydrochloride", "sodium", "sulfate", "sulphate", "acetate", "phosphate", "potassium", "calcium",
    "citrate", "mesylate", "tartrate", "maleate", "bromide", "chloride", "succinate", "besylate", "fumarate",
    "disodium", "dipropionate", "hydrobromide", "lactate", "gluconate", "magnesium", "tromethamine",
    "recombinant", "injection", "human",
})
# Words in a generic's name that name no drug.
NOT_A_DRUG = frozenset({"and", "or", "with", "of", "in", "for", "the"})
# Words of the index's own headings ("Injections (see also drug name)"): no drug's name.
INDEX_WORDS = frozenset({"injection", "injections", "see", "also", "drug", "drugs", "name", "oral", "inhalation"})
# A drug code: J section, or a description that gives a dose or a way of giving a drug.
DRUG_DESCRIPTION = re.compile(
    r"\b(injection|infusion|inhalation|oral|intravenous|subcutaneous|per vial|vaccine|"
    r"\d+(\.\d+)?\s?(mg|mcg|micrograms?|milligrams?|grams?|gm|ml|units?|iu))\b",
    re.IGNORECASE,
)
SEE_ALSO = re.compile(r"\s*\(\s*see\b[^)]*\)|;\s*see also\b[^)]*", re.IGNORECASE)
# Share of words an index-time description and today's must have in common to be the same code.
SAME_MEANING = 0.5
# A brand the drug dictionary gives for a biologic that CMS codes product by product (adalimumab,
# adalimumab-aaty, ...): the dictionary names the biologic, not which product the brand is.
BIOLOGIC_BRAND = "biologic brand"
BIOSIMILAR_NAME = re.compile(r"([a-z]+)-[a-z]{4}")
REFERENCE_OR_BIOSIMILAR = "reference product or a biosimilar"


@dataclass(frozen=True)
class BridgeSources:
    """Where the build-time bridges come from; a database to take them from when absent."""

    drug_table: Path | None = None  # CMS Table of Drugs PDF
    index: Path | None = None  # CMS HCPCS Index PDF
    drug_dictionary: bool = False  # use the drug dictionary package when installed
    word_list: bool = False  # use the English word list package when installed
    previous: Path | None = None  # a database whose bridge tables stand in for missing sources
    pdfs_named: bool = False  # the PDFs were asked for by name: one that cannot be read stops the build

    def pdfs(self) -> list[tuple[Path, str]]:
        """(path, source) of the CMS PDFs to read."""
        return [(Path(p), kind) for p, kind in ((self.index, INDEX), (self.drug_table, DRUG_TABLE)) if p]


INDEX, DRUG_TABLE = "cms index", "cms drug table"  # the sources of the PDFs' rows
TABLES = ("brand_names", "index_terms", "abbreviations", "synonyms", "uncoded_drugs", "english_words",
          "product_names", "product_kinds")


@dataclass
class Bridges:
    brand_names: list[dict] = field(default_factory=list)  # name, generic, kind, source
    index_terms: list[dict] = field(default_factory=list)  # term, via, code, described_as, source
    abbreviations: list[dict] = field(default_factory=list)  # short, long, count, source
    synonyms: list[dict] = field(default_factory=list)  # word, alternative, source
    uncoded_drugs: list[dict] = field(default_factory=list)  # name, generic, source
    english_words: list[dict] = field(default_factory=list)  # word, rank
    product_names: list[dict] = field(default_factory=list)  # name, kind, maker, model, code, source
    product_kinds: list[dict] = field(default_factory=list)  # kind, phrase, source
    read: list[str] = field(default_factory=list)  # the PDF sources read (INDEX, DRUG_TABLE)
    problems: list[str] = field(default_factory=list)  # sources that could not be read, and why

    def counts(self) -> dict[str, int]:
        return {table: len(getattr(self, table)) for table in TABLES}


def start_reading_pdfs(sources: BridgeSources):
    """Start reading the CMS PDFs of `sources` alongside the rest of the build.

    The PDFs and the release beside them take about as long to read as the rest of the
    build, so a second process reads them (`pdf_reading`). Returns None where there are
    no PDFs to read, or nothing here to read them with (the standalone executable).
    """
    if not sources.pdfs():
        return None
    if not _can_read_pdfs():
        if sources.pdfs_named:
            raise ReleaseError(sources.pdfs()[0][0].name, "reading a PDF needs the pypdf package (pip install pypdf)")
        return None
    from .pdf_reading import PdfReading

    return PdfReading(sources)


def read_pdfs(sources: BridgeSources, kept_only: bool = False) -> Bridges | None:
    """Index terms and brand names of the CMS PDFs of `sources`, each checked against its own release.

    A PDF that cannot be read stops the build when it was asked for by name; one found by
    looking is reported in `problems` and left out. What each PDF gives is kept in the build
    cache (`build_cache`) under its content and its release's; `kept_only` takes them from there
    alone: None when any is not kept.
    """
    found = Bridges()
    releases: dict[Path, dict[str, str]] = {}  # folder -> its release's descriptions, read once

    def described(path: Path) -> dict[str, str]:
        if path.parent not in releases:
            releases[path.parent] = _release_beside(path)
        return releases[path.parent]

    for path, kind in sources.pdfs():
        try:
            rows = _kept_pdf_rows(path, kind) if kept_only else _pdf_rows(path, kind, described)
        except ReleaseError as exc:
            if sources.pdfs_named:
                raise
            found.problems.append(f"{exc}; its terms come from the previous database, if any")
            continue
        if rows is None:
            return None
        found.brand_names += rows["brand_names"]
        found.index_terms += rows["index_terms"]
        found.read.append(kind)
    return found


def gather(records: list[dict], sources: BridgeSources, pdfs=None) -> Bridges:
    """Every bridge for a release of `records`: from `sources` (the PDFs' share from
    `pdfs`, see `start_reading_pdfs`), each one missing from the previous database (read only
    when one is missing)."""
    kept: list[Bridges] = []

    def previous() -> Bridges:
        if not kept:
            kept.append(_read_previous(sources.previous))
        return kept[0]

    bridges = Bridges(
        abbreviations=[
            {"short": m.short, "long": m.long, "count": m.count, "source": "release"}
            for m in mine_abbreviations((r["short_description"], r["long_description"]) for r in records)
        ] + [{"short": s, "long": long, "count": 0, "source": "reviewed"} for s, long in ABBREVIATIONS.items()],
        synonyms=[{"word": w, "alternative": a, "source": "reviewed"} for w, alts in SYNONYMS for a in alts],
        product_names=[{"name": name, "kind": kind, "maker": maker, "model": "", "code": "", "source": "reviewed"}
                       for name, kind, maker in PRODUCTS],
        product_kinds=[{"kind": kind, "phrase": cms_phrase, "source": "reviewed"}
                       for kind, phrases in PRODUCT_KINDS.items() for cms_phrase in phrases],
    )
    if sources.drug_dictionary and drug_dictionary.available():
        release_words = {w for r in records for w in words(r["long_description"])}
        named, uncoded = drug_dictionary.drug_names(release_words)
        bridges.brand_names = [{"name": name, "generic": generic, "kind": kind, "source": drug_dictionary.SOURCE}
                               for name, generic, kind in named]
        bridges.uncoded_drugs = [{"name": name, "generic": generic, "source": drug_dictionary.SOURCE}
                                 for name, generic in uncoded]
    else:
        bridges.brand_names = [r for r in previous().brand_names if r["source"] == drug_dictionary.SOURCE]
        bridges.uncoded_drugs = previous().uncoded_drugs
    if sources.word_list and english_words.available():
        bridges.english_words = english_words.common_words()
    else:
        bridges.english_words = previous().english_words
    from_pdfs = pdfs.result() if pdfs else Bridges()  # waited for last: it was read alongside the above
    bridges.problems = from_pdfs.problems
    for kind in (INDEX, DRUG_TABLE):
        source = from_pdfs if kind in from_pdfs.read else previous()
        bridges.index_terms += [r for r in source.index_terms if r["source"] == kind]
        bridges.brand_names += [r for r in source.brand_names if r["source"] == kind]
    return bridges


def code_terms(bridges: Bridges, records: list[dict]) -> list[dict]:
    """(code, term, source, via) for every bridged word of a code of this release."""
    by_code = {r["code"]: r for r in records}
    finder = _GenericFinder(records)
    generics = {row["name"].lower(): row["generic"] for row in bridges.brand_names}
    found: dict[tuple[str, str], dict] = {}
    for row in bridges.index_terms:
        record = by_code.get(row["code"])
        if (record and same_meaning(row["described_as"], record["long_description"])
                and finder.may_name(row["code"], row["term"], generics.get(row["term"].strip().lower()))):
            found.setdefault((row["code"], row["term"]), {
                "code": row["code"], "term": row["term"], "source": row["source"], "via": row["via"]})
    # CMS's Table of Drugs says which drug a brand is; the dictionary speaks for the brands it leaves out.
    tied_by_cms: set[str] = set()
    for row in sorted(bridges.brand_names, key=lambda r: r["source"] == drug_dictionary.SOURCE):
        name = row["name"].lower()
        from_cms = row["source"] != drug_dictionary.SOURCE
        if not from_cms and name in tied_by_cms:
            continue
        source, via, codes = "brand" if from_cms else row["kind"], row["generic"].lower(), finder.codes_naming(row["generic"])
        products = [] if from_cms else finder.biosimilars_of(row["generic"])
        if products:  # the dictionary cannot tell the reference product's brand from a biosimilar's
            source, via, codes = BIOLOGIC_BRAND, f"{via}, {REFERENCE_OR_BIOSIMILAR}", sorted({*codes, *products})
        for code in codes:
            found.setdefault((code, name), {"code": code, "term": name, "source": source, "via": via})
            if from_cms:
                tied_by_cms.add(name)
    return sorted(found.values(), key=lambda r: (r["code"], r["term"]))


def same_meaning(then: str, now: str) -> bool:
    """Whether two descriptions of one code describe the same thing (J3245: tirofiban, later tildrakizumab)."""
    old, new = set(words(then)), set(words(now))
    if not old or not new:
        return False
    return old <= new or new <= old or len(old & new) / len(old | new) >= SAME_MEANING


class _GenericFinder:
    """Drug codes whose long description names a generic drug, words in order: with its salt
    where a description names it ("methylprednisolone sodium succinate", not the acetate),
    else salts aside ("doxorubicin hcl" for "doxorubicin hydrochloride").

    Hyphenated names stay one word: "infliximab-dyyb" (a biosimilar) does not name
    infliximab, whose brand names belong to the reference product.
    """

    def __init__(self, records: list[dict]):
        self.texts: dict[str, list[str]] = {}  # code -> words of its description
        self.codes_with: dict[str, set[str]] = defaultdict(set)
        for record in records:
            if record["section"] != "J" and not DRUG_DESCRIPTION.search(record["long_description"]):
                continue
            text = _drug_words(record["long_description"])
            self.texts[record["code"]] = text
            for word in text:
                self.codes_with[word].add(record["code"])
        self.suffixed: dict[str, set[str]] = defaultdict(set)  # biologic -> codes of its biosimilars
        for word, codes in self.codes_with.items():
            biosimilar = BIOSIMILAR_NAME.fullmatch(word)
            if biosimilar:
                self.suffixed[biosimilar.group(1)] |= codes

    def may_name(self, code: str, term: str, generic: str | None) -> bool:
        """Whether an index term fits a code: any term for other codes; for a drug code, a term
        whose words its description uses, or a brand name of the drug it names (CMS's 2019
        index still lists Aggrastat under J3245, which was tildrakizumab by then)."""
        if code not in self.texts:
            return True
        own = {w for word in self.texts[code] for w in [word, *word.split("-")]}
        named = [w for w in words(term) if w not in SALTS and w not in INDEX_WORDS]
        if not named or own.intersection(named):
            return True
        return generic is not None and code in self.codes_naming(generic)

    def biosimilars_of(self, generic: str) -> list[str]:
        """Codes of the biosimilars of a biologic of one word, CMS writing its name with a suffix of
        four letters ("adalimumab-aaty" for adalimumab); none for any other drug."""
        name = [w for w in _drug_words(generic) if w not in SALTS]
        return sorted(self.suffixed.get(name[0], ())) if len(name) == 1 else []

    def codes_naming(self, generic: str) -> list[str]:
        named = [w for w in _drug_words(generic) if w not in NOT_A_DRUG]
        drug = [w for w in named if w not in SALTS]
        if not drug:  # "magnesium sulfate, potassium sulfate, and sodium sulfate": salts alone
            return []
        return self._codes_with_phrase(named, salts=True) or self._codes_with_phrase(drug, salts=False)

    def _codes_with_phrase(self, phrase: list[str], salts: bool) -> list[str]:
        if not phrase or not all(w in self.codes_with for w in phrase):
            return []
        n, found = len(phrase), []
        for code in set.intersection(*(self.codes_with[w] for w in phrase)):
            text = self.texts[code] if salts else [w for w in self.texts[code] if w not in SALTS]
            if any(text[i : i + n] == phrase for i in range(len(text) - n + 1)):
                found.append(code)
        return sorted(found)


def _drug_words(text: str) -> list[str]:
    """Words of a drug's name, hyphenated and slashed ones whole ("infliximab-dyyb", "buprenorphine/naloxone")."""
    return re.findall(r"[^\W_]+(?:[-/][^\W_]+)*", text.lower())


def _can_read_pdfs() -> bool:
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return False
    return True


def _read_pdf(path: Path, kind: str) -> tuple[list[tuple], list[dict]]:
    """(term, detail, codes, ranges) entries and brand name rows of one CMS PDF."""
    from .cms_index import read_index
    from .drug_table import read_drug_table

    if kind == INDEX:
        return [(e.term, e.subterm, e.codes, e.ranges) for e in read_index(path)], []
    table = read_drug_table(path)
    entries = [(d.name, " ".join(filter(None, [d.unit, ", ".join(d.routes)])), d.codes, ()) for d in table.drugs]
    return entries, [{"name": b.brand, "generic": b.generic, "kind": "brand", "source": kind} for b in table.brands]


def _index_rows(entries: list[tuple], kind: str, described: dict[str, str]) -> list[dict]:
    """`index_terms` rows: each code an entry names that its own release has (`described`)."""
    procedures = sorted(code for code in described if len(code) == 5)  # ranges hold no modifiers
    rows = []
    for term, detail, codes, ranges in entries:
        # "(see also drug name)": a pointer to look elsewhere, not words of the term
        term, detail = SEE_ALSO.sub("", term).strip(), SEE_ALSO.sub("", detail).strip()
        via = f"{term} › {detail}" if detail else term
        text = term if kind == DRUG_TABLE else f"{term} {detail}"
        listed = list(codes) + [c for low, high in ranges for c in procedures[bisect_left(procedures, low):]
                                if c <= high]
        rows += [{"term": text, "via": via, "code": code, "described_as": described[code], "source": kind}
                 for code in dict.fromkeys(listed) if code in described]
    return rows


def _pdf_rows(path: Path, kind: str, described) -> dict[str, list[dict]]:
    """{"brand_names", "index_terms"} of one CMS PDF, from the build cache when kept there;
    `described(path)` gives the descriptions of the release beside it."""
    def read() -> dict[str, list[dict]]:
        entries, brands = _read_pdf(path, kind)
        return {"brand_names": brands, "index_terms": _index_rows(entries, kind, described(path))}

    key = _pdf_key(path, kind)
    return read() if key is None else build_cache.cached("pdf", key, read, decode=_kept_pdf_rows_value)


def _kept_pdf_rows(path: Path, kind: str) -> dict[str, list[dict]] | None:
    """`_pdf_rows` when the build cache holds them, else None."""
    key = _pdf_key(path, kind)
    found = build_cache.load("pdf", key) if key else None
    try:
        return _kept_pdf_rows_value(found[0]) if found else None
    except (KeyError, TypeError, ValueError):
        return None


def _pdf_key(path: Path, kind: str) -> list[str] | None:
    """What a PDF's rows derive from: its content and the release beside it; None when either cannot
    be read (reading the PDF then says what is wrong)."""
    try:
        pdf = read_file(path, MAX_PDF_BYTES)
        return [kind, build_cache.content_key(pdf), _data_beside(path).sha256]
    except (ReleaseError, OSError):
        return None


def _kept_pdf_rows_value(value) -> dict[str, list[dict]]:
    """The rows of a cache entry; ValueError when it holds anything else."""
    rows = {"brand_names": list(value["brand_names"]), "index_terms": list(value["index_terms"])}
    if not all(isinstance(row, dict) for table in rows.values() for row in table):
        raise ValueError("not a PDF's rows")
    return rows


def _data_beside(path: Path):
    """The data file of the release in the PDF's own folder (the index's year)."""
    from .release_files import find_release_files

    return find_release_files(path.parent).data


def _release_beside(path: Path) -> dict[str, str]:
    """Code -> long description of the release in the PDF's own folder (the index's year)."""
    from .records import parse_release_data

    try:
        records = parse_release_data(_data_beside(path))
    except (ReleaseError, OSError) as exc:
        raise ReleaseError(path.name, f"needs the release of its own year beside it to check its codes ({exc})") from None
    return {r["code"]: r["long_description"] for r in records}


def _read_previous(path: Path | None) -> Bridges:
    if path is None or not Path(path).is_file():
        return Bridges()
    try:
        conn = connect_read_only(path)
        conn.row_factory = sqlite3.Row
        try:
            return Bridges(
                brand_names=[dict(r) for r in conn.execute("SELECT name, generic, kind, source FROM brand_names")],
                index_terms=[dict(r) for r in conn.execute(
                    "SELECT term, via, code, described_as, source FROM index_terms")],
                uncoded_drugs=_rows(conn, "SELECT name, generic, source FROM uncoded_drugs"),
                english_words=_rows(conn, "SELECT word, rank FROM english_words"),
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # an older or damaged database has none to give
        return Bridges()


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict]:
    """The rows of a table that a database of an older schema may lack (then none)."""
    try:
        return [dict(r) for r in conn.execute(sql)]
    except sqlite3.OperationalError:
        return []
