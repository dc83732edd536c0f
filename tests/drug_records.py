"""Made-up drug codes for the dose, units and Table of Drugs tests (the drugs are invented;
J1650 and J1200 carry the two descriptions the dose examples are about)."""

from __future__ import annotations

from release_files import record

DRUG_RECORDS = [
    record("A4233", "Replacement battery for a made-up monitor, each", "Monitor battery"),
    record("A9901", "Zorbium zr-99 gluceptide, diagnostic, per study dose, up to 25 millicuries", "Zorbium dx"),
    record("C9901", "Injection, quexlimab-abcd, 0.5 mg", "Quexlimab"),
    record("J1200", "Injection, diphenhydramine hcl, up to 50 mg", "Diphenhydramine"),
    record("J1650", "Injection, enoxaparin sodium, 10 mg", "Enoxaparin"),
    record("J9901", "Injection, plumbanol, per single use vial", "Plumbanol vial"),
    record("J9902", "Widget factor ix (antihemophilic factor, made up) per i.u.", "Widget factor ix"),
    record("J9903", "Injection, gizmotide 5 mg and frobnase 2 mg", "Gizmotide/frobnase"),
    record("J9904", "Unclassified widget drugs", "Widget drugs"),
    record("J9905", "Injection, zorbafenib, 10 mg", "Zorbafenib", termination_date="20241231"),
    record("Q9901", "Injection, brandexin, 1 microgram (for made-up use)", "Brandexin"),
    record("S9901", "Saline widget flush, 10 ml", "Widget flush"),
]
