"""The database schema: one `codes` row per code, plus lookup and release tables."""

from .fields import FIELDS

VERSION = 5

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
CREATE TABLE uncoded_drugs (
    name TEXT NOT NULL, generic TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (name, generic)
) WITHOUT ROWID;
CREATE TABLE english_words (word TEXT PRIMARY KEY, rank INTEGER NOT NULL) WITHOUT ROWID;
-- Device and supply products (see products.py): a name tied to the kind of item CMS words (the
-- phrases of product_kinds), or, for a row of a product classification list, to its code.
CREATE TABLE product_names (
    name TEXT NOT NULL, kind TEXT NOT NULL, maker TEXT NOT NULL, model TEXT NOT NULL, code TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE product_kinds (kind TEXT NOT NULL, phrase TEXT NOT NULL, source TEXT NOT NULL);
-- Each code's short description, and long description when short enough to be said in a query, by
-- the number text.said_key gives its words: the codes a query names in full.
CREATE TABLE said_descriptions (said INTEGER NOT NULL, code TEXT NOT NULL);
CREATE INDEX said_descriptions_said ON said_descriptions(said);
CREATE TABLE code_terms (code TEXT NOT NULL, term TEXT NOT NULL, source TEXT NOT NULL, via TEXT NOT NULL);
CREATE INDEX code_terms_code ON code_terms(code);
-- Each word of the search index: in how many codes, and in how many CMS spells it out (a long
-- description) or a bridged term names it; a word of short descriptions only is an abbreviation.
CREATE TABLE vocabulary (term TEXT PRIMARY KEY, documents INTEGER, spelled_out INTEGER) WITHOUT ROWID;
-- Drug codes (see drug_codes.py): the dose one unit bills ("10 mg", "up to 50 mg", "per vial"),
-- or why the description gives none; routes from CMS's Table of Drugs.
CREATE TABLE drug_codes (
    code TEXT PRIMARY KEY, drug TEXT NOT NULL, amount TEXT, unit TEXT, up_to INTEGER NOT NULL,
    dose TEXT, no_dose TEXT, routes TEXT NOT NULL
);
-- The not-otherwise-classified codes (see noc_codes.py), each with its source: CMS's NOC codes
-- workbook, or the release's own long descriptions when it ships none.
CREATE TABLE noc_codes (
    code TEXT PRIMARY KEY, description TEXT NOT NULL, added_date TEXT NOT NULL, termination_date TEXT NOT NULL,
    source TEXT NOT NULL
);
-- What CMS corrected in a release after publishing it (see corrections.py): the action in CMS's
-- words, its effective date as written, and the values given (JSON: column -> value).
CREATE TABLE corrections (
    release_date TEXT NOT NULL, code TEXT NOT NULL, action TEXT NOT NULL, effective TEXT NOT NULL,
    details TEXT NOT NULL, source TEXT NOT NULL
);
CREATE INDEX corrections_code ON corrections(code);
-- Earlier releases carried as differences from this one (see history.py): a release is this
-- release's codes with the values of history_values in place (field '' marks a code it lacks).
CREATE TABLE history_releases (
    release_date TEXT PRIMARY KEY, name TEXT NOT NULL, procedures INTEGER NOT NULL, modifiers INTEGER NOT NULL,
    terminated INTEGER NOT NULL, file_name TEXT NOT NULL, data_sha256 TEXT NOT NULL
);
CREATE TABLE history_values (
    code TEXT NOT NULL, release_date TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (code, release_date, field)
) WITHOUT ROWID;
"""

FILL_SEARCH_INDEX = """
INSERT INTO codes_fts(rowid, code, short_description, long_description, terms)
SELECT c.rowid, c.code, c.short_description, c.long_description, coalesce(t.terms, '')
FROM codes c LEFT JOIN (SELECT code, group_concat(term, ' ; ') AS terms FROM code_terms GROUP BY code) t USING (code)
"""

FILL_VOCABULARY = """
CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, codes_fts, row);
CREATE VIRTUAL TABLE temp.term_columns USING fts5vocab(main, codes_fts, col);
CREATE TEMP TABLE spelled (term TEXT PRIMARY KEY, documents INTEGER) WITHOUT ROWID;
INSERT INTO spelled SELECT term, sum(doc) FROM temp.term_columns WHERE col IN ('long_description', 'terms') GROUP BY term;
INSERT INTO vocabulary SELECT t.term, t.doc, coalesce(s.documents, 0) FROM temp.terms t LEFT JOIN spelled s USING (term);
DROP TABLE temp.terms;
DROP TABLE temp.term_columns;
DROP TABLE spelled;
"""

# Medicare payment facts (see payment_files.py), one row per file in payment_files; HCPCS Level II
# rows only. IF NOT EXISTS: a single payment file can be imported into a database built before.
PAYMENT_DDL = """
CREATE TABLE IF NOT EXISTS payment_files (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, section TEXT NOT NULL, name TEXT NOT NULL,
    sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, period_start TEXT NOT NULL, period_end TEXT,
    period TEXT NOT NULL, label TEXT NOT NULL, rows INTEGER NOT NULL, cpt_rows_dropped INTEGER NOT NULL,
    codes_not_in_release INTEGER NOT NULL DEFAULT 0,
    columns TEXT NOT NULL  -- JSON: DMEPOS, the states in the order of each row's fees; else []
);
CREATE TABLE IF NOT EXISTS dmepos_fees (
    file_id INTEGER NOT NULL, code TEXT NOT NULL, modifier TEXT NOT NULL, modifier2 TEXT NOT NULL,
    jurisdiction TEXT NOT NULL, category TEXT NOT NULL, ceiling REAL, floor REAL,
    fees BLOB NOT NULL  -- little-endian doubles: non-rural, rural fee of each state of payment_files.columns
);
CREATE INDEX IF NOT EXISTS dmepos_fees_code ON dmepos_fees(code);
CREATE TABLE IF NOT EXISTS drug_limits (
    file_id INTEGER NOT NULL, code TEXT NOT NULL, dosage TEXT NOT NULL, payment_limit REAL, coinsurance REAL,
    vaccine_awp REAL, vaccine_limit REAL, blood_awp REAL, blood_limit REAL, clotting_factor REAL, notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drug_limits_code ON drug_limits(code);
CREATE TABLE IF NOT EXISTS ndc_codes (
    file_id INTEGER NOT NULL, ndc TEXT NOT NULL, ndc_shipped TEXT NOT NULL, code TEXT NOT NULL,
    labeler TEXT NOT NULL, drug_name TEXT NOT NULL, dosage TEXT NOT NULL, package_size REAL,
    package_quantity REAL, billing_units REAL, billing_units_per_package REAL
);
CREATE INDEX IF NOT EXISTS ndc_codes_ndc ON ndc_codes(ndc);
CREATE INDEX IF NOT EXISTS ndc_codes_code ON ndc_codes(code);
CREATE TABLE IF NOT EXISTS mue (
    file_id INTEGER NOT NULL, code TEXT NOT NULL, units REAL, adjudication TEXT NOT NULL, rationale TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mue_code ON mue(code);
"""
