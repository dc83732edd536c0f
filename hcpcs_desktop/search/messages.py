"""What a search result tells the coder besides its rows, as plain sentences.

The command line prints these lines; the window shows the same facts with links.
"""

from __future__ import annotations

from .engine import SearchResult


def hidden_text(code: str, status: str, termination_date: str, hidden_by: str) -> str:
    """"S9353 — hidden by the section filter", "A4466 — terminated 2016-12-31, hidden"."""
    if hidden_by == "status" and status == "terminated":
        return f"{code} — terminated {termination_date}, hidden"
    return f"{code} — hidden by the {hidden_by} filter"


def folded(items: list[str], shown: int = 6) -> str:
    """"a, b, c" or, for a long list, "a, b, c … and 274 more"."""
    if len(items) <= shown:
        return ", ".join(items)
    return ", ".join(items[:shown]) + f" … and {len(items) - shown:,} more"


# Why a token of a pasted list was skipped: (said of one, said of several).
SKIPPED = {
    "cpt": ("a CPT code, not HCPCS Level II", "CPT codes, not HCPCS Level II"),
    "cpt modifier": ("a CPT modifier, not HCPCS Level II", "CPT modifiers, not HCPCS Level II"),
    "not a code": ("not a code", "not codes"),
}


def skipped_why(why: str) -> str:
    """"a CPT code, not HCPCS Level II" for "cpt"."""
    return SKIPPED[why][0]


def skipped_texts(skipped: list[tuple[str, str]], shown: int | None = None) -> list[str]:
    """Skipped tokens by why: "99213 is a CPT code, not HCPCS Level II", or for several
    "99213, 99214 are CPT codes, not HCPCS Level II" (folded after `shown` tokens)."""
    by_why: dict[str, list[str]] = {}
    for token, why in skipped:
        by_why.setdefault(why, []).append(token)
    texts = []
    for why, tokens in by_why.items():
        listed = folded(tokens, shown) if shown else ", ".join(tokens)
        one, several = SKIPPED[why]
        texts.append(f"{listed} is {one}" if len(tokens) == 1 else f"{listed} are {several}")
    return texts


def unnamed_text(result: SearchResult) -> str | None:
    """"No code names oxymizer"; for a drug no code names, with its generic name and, when the
    not-otherwise-classified codes are its answer, why."""
    if not result.unnamed:
        return None
    drugs = dict(result.uncoded_drugs)
    named = ", ".join(f"{word} ({drugs[word]})" if word in drugs else word for word in result.unnamed)
    if result.noc_listed:
        return (f"No code names {named}: a drug with no code of its own is billed with a "
                "not-otherwise-classified code, listed here")
    return f"No code names {named}"


def matching_only_text(result: SearchResult) -> str | None:
    """What the codes match when a word naming the thing matched nothing: "the codes listed match
    only: concentrator", or "318 codes match only: home, not listed"."""
    if not result.matching_only or result.noc_listed:
        return None
    words = ", ".join(result.matching_only)
    if result.withheld:
        return f"{result.withheld:,} code{'s' if result.withheld != 1 else ''} match only: {words}, not listed"
    return f"the codes listed match only: {words}"


def left_out_text(result: SearchResult) -> str | None:
    """"left out: sent, which": words of the question that no code has (the others are named by
    `unnamed_text`)."""
    left_out = [word for word in result.ignored if word not in result.unnamed]
    return "left out: " + ", ".join(left_out) if left_out else None


def units_text(result: SearchResult) -> str | None:
    """"J1650 × 4 units" for the units written beside a code."""
    if result.query.units is None or not result.hits:
        return None
    units = result.query.units
    return f"{result.hits[0].code} × {units} unit{'s' if units != 1 else ''}"


def cpt_text(result: SearchResult) -> str | None:
    """"Office and outpatient visits are usually CPT codes 99202–99215, which HCPCS Level II does not
    list: below, the HCPCS codes the words match" when the words name a service billed with CPT codes."""
    service = result.query.cpt_service
    if service is None:
        return None
    listed = "below, the HCPCS codes the words match" if result.total else "no HCPCS code matches the words"
    return f"{service.name} are usually CPT codes {service.codes}, which HCPCS Level II does not list: {listed}"


def said_first(result: SearchResult) -> list[str]:
    """What to say before the list, as the list does not answer what was asked: a service billed with
    CPT codes, words that no code names."""
    return [text for text in (cpt_text(result), unnamed_text(result)) if text]


def word_remarks(result: SearchResult) -> list[str]:
    """What the search made of the words typed, one sentence each, for the window and the terminal."""
    return [text for text in (cpt_text(result), unnamed_text(result), matching_only_text(result),
                              left_out_text(result), units_text(result)) if text]


def result_notes(result: SearchResult) -> list[str]:
    """One sentence per thing to know: the count, corrections, words and codes left out."""
    lines = [f"{result.total:,} match{'es' if result.total != 1 else ''}"]
    if result.corrections:
        lines.append(f"Showing results for: {result.corrected_text}")
    lines += word_remarks(result)
    if result.unknown:
        lines.append(f"Not in this release: {', '.join(result.unknown)}")
    lines += skipped_texts(result.skipped)
    lines += [hidden_text(hit.code, hit.status, hit.termination_date, by) for hit, by in result.hidden]
    return lines
