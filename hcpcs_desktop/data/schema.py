"""The database schema: one `codes` row per code, plus lookup and release tables."""

from .fields import FIELDS

VERSION = 3

_FIELD_COLUMNS = ",\n    ".join(
    f"{f.key} TEXT NOT NULL" + (" PRIMARY KEY" if f.key == "code" else "") for f in FIELDS
)

DDL = f"""
CREATE TABLE codes (
    {_FIELD_COLUMNS},
    kind TEXT NOT NULL,      -- procedure | modifier
    status TEXT NOT NULL,    -- active | terminated
    section TEXT NOT NULL    -- first letter of a procedure code, or 'modifier'
);
CREATE TABLE fields (
    key TEXT PRIMARY KEY, position INTEGER, label TEXT, group_name TEXT, kind TEXT,
    code_table TEXT, start_column INTEGER, end_column INTEGER, workbook_column TEXT,
    layout_number INTEGER, help TEXT
);
CREATE TABLE code_values (
    code_table TEXT, value TEXT, description TEXT, PRIMARY KEY (code_table, value)
);
CREATE TABLE processing_notes (number TEXT PRIMARY KEY, text TEXT);
-- The search index: each code's own text plus the words bridged to it (code_terms).
CREATE VIRTUAL TABLE codes_fts USING fts5(
    code, short_description, long_description, terms,
    content='', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
-- The vocabulary bridges (see bridges.py), each row with its source.
CREATE TABLE brand_names (name TEXT NOT NULL, generic TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE index_terms (
    term TEXT NOT NULL, via TEXT NOT NULL, code TEXT NOT NULL, described_as TEXT NOT NULL, source TEXT NOT NULL
);
CREATE TABLE abbreviations (short TEXT NOT NULL, long TEXT NOT NULL, count INTEGER NOT NULL, source TEXT NOT NULL);
CREATE TABLE synonyms (word TEXT NOT NULL, alternative TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE code_terms (code TEXT NOT NULL, term TEXT NOT NULL, source TEXT NOT NULL, via TEXT NOT NULL);
CREATE INDEX code_terms_code ON code_terms(code);
CREATE TABLE vocabulary (term TEXT PRIMARY KEY, documents INTEGER) WITHOUT ROWID;
-- Drug codes (see drug_codes.py): the dose one unit bills ("10 mg", "up to 50 mg", "per vial"),
-- or why the description gives none; routes from CMS's Table of Drugs.
CREATE TABLE drug_codes (
    code TEXT PRIMARY KEY, drug TEXT NOT NULL, amount TEXT, unit TEXT, up_to INTEGER NOT NULL,
    dose TEXT, no_dose TEXT, routes TEXT NOT NULL
);
"""

FILL_SEARCH_INDEX = """
INSERT INTO codes_fts(rowid, code, short_description, long_description, terms)
SELECT c.rowid, c.code, c.short_description, c.long_description, coalesce(t.terms, '')
FROM codes c LEFT JOIN (SELECT code, group_concat(term, ' ; ') AS terms FROM code_terms GROUP BY code) t USING (code)
"""

FILL_VOCABULARY = """
CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, codes_fts, row);
INSERT INTO vocabulary SELECT term, doc FROM temp.terms;
DROP TABLE temp.terms;
"""
