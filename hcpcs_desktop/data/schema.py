"""The database schema: one `codes` row per code, plus lookup and release tables."""

from .fields import FIELDS

VERSION = 1

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
CREATE INDEX codes_status ON codes(status);
CREATE TABLE fields (
    key TEXT PRIMARY KEY, position INTEGER, label TEXT, group_name TEXT, kind TEXT,
    code_table TEXT, start_column INTEGER, end_column INTEGER, workbook_column TEXT,
    layout_number INTEGER, help TEXT
);
CREATE TABLE code_values (
    code_table TEXT, value TEXT, description TEXT, PRIMARY KEY (code_table, value)
);
CREATE TABLE processing_notes (number TEXT PRIMARY KEY, text TEXT);
CREATE VIRTUAL TABLE codes_fts USING fts5(
    code, short_description, long_description,
    content='codes', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
CREATE TABLE vocabulary (term TEXT PRIMARY KEY, documents INTEGER) WITHOUT ROWID;
"""

FILL_SEARCH_INDEX = "INSERT INTO codes_fts(codes_fts) VALUES ('rebuild')"

FILL_VOCABULARY = """
CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, codes_fts, row);
INSERT INTO vocabulary SELECT term, doc FROM temp.terms;
DROP TABLE temp.terms;
"""
