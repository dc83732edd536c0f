"""A code's page as HTML for the detail pane: heading, then every field by group."""

from __future__ import annotations

import html
import re
from datetime import date

from ..code_view import GROUP_ORDER, HEADER_KEYS, CodeView, UnitsSaid
from ..data.database import CodePage, FieldValue
from ..data.references import Referral, mentions
from ..search.engine import Status
from ..wording import (
    ADD_NOTE,
    CORRECTIONS_TITLE,
    HISTORY_TITLE,
    EDIT_NOTE,
    FOLD,
    NOC_HINT,
    NOC_MARK,
    LETTER_O,
    REPLACED_BY,
    SUGGESTED,
    correction_text,
    dose_given_text,
    field_meaning,
    in_list_text,
    matched_text,
    note_title,
    page_status_text,
    referrals_title,
    short_text,
    show_all_text,
    source_text,
    status_text,
    value_meaning,
)
from .actions import key_list

REFERRALS = "referrals"  # the folded list of codes that refer to the code shown
GROUP_FOLD = "group:"  # "group:Dates & maintenance": a group of fields folded away
FOLDED_AFTER = 8
# The terminated banner and the note are light boxes whatever the palette: their links keep a dark blue.
BOX_LINK = ' style="color:#0b4fa8"'
PAGE_BREAK = '<p style="page-break-before:always"></p>'  # between the pages of several codes on paper
COPY_ICON = "icon:copy"  # an image the detail pane draws at the text's size (one piece: it never wraps)


def _copy_link(key: str, what: str) -> str:
    return (f'<a href="copy:{key}" style="text-decoration:none">'
            f'<img src="{COPY_ICON}" alt="copy {html.escape(what)}" title="Copy {html.escape(what)}"></a>')


def _code_link(code: str, named: dict[str, str], style: str = "") -> str:
    """A code as a link that opens it, with its short description when the release has it."""
    link = f'<a href="code:{html.escape(code)}"{style}><tt>{html.escape(code)}</tt></a>'
    return f"{link} {html.escape(named[code])}" if code in named else link


def linked_description(text: str, named: dict[str, str]) -> str:
    """`text` escaped, its code numbers linked to their pages (those in the release) and ranges
    linked to a search of the range."""
    parts, end = [], 0
    for mention in mentions(text):
        if not mention.high and mention.low not in named:
            continue  # a CPT code or a code of another release: nothing to open
        href = f"code:{mention.low}" if not mention.high else f"search:{mention.text}"
        parts += [html.escape(text[end:mention.start]),
                  f'<a href="{href}">{html.escape(text[mention.start:mention.end])}</a>']
        end = mention.end
    return "".join(parts) + html.escape(text[end:])


def _value_html(field: FieldValue, named: dict[str, str]) -> str:
    if field.key.startswith("cross_reference") and field.value:
        return _code_link(field.value, named)
    value = html.escape(field.value)
    if field.kind == "code":
        # A fixed-width O and 0 look alike: BETOS O1E (letter O) reads as 01E.
        value = f"<tt>{value}</tt>" + (f" <small>{LETTER_O}</small>" if "O" in field.value else "")
    return value_meaning(value, html.escape(field_meaning(field)))


def _heading(page: CodePage, starred: bool, favorite_list: str, links: bool) -> str:
    star = "★" if starred else "☆"
    star_title = "Remove from favorites (Ctrl+D)" if starred else "Add to favorites (Ctrl+D)"
    extra = (f'&nbsp;{_copy_link("code", "code")}&nbsp;&nbsp;'
             f'<a href="star:{page.code}" title="{star_title}" style="text-decoration:none">{star}</a>'
             if links else "")
    if starred and favorite_list and links:
        extra += f"&nbsp;<small>{html.escape(in_list_text(favorite_list))}</small>"
    return (f'<p style="margin:0"><span style="font-size:x-large; font-weight:bold"><tt>{page.code}</tt></span>'
            f'{extra}&nbsp;&nbsp;<span style="font-size:small">{html.escape(page.kind.capitalize())}</span></p>')


def _terminated_banner(page: CodePage, named: dict[str, str], suggested: list[tuple[str, str]]) -> str:
    """"Terminated 2016-12-31 · Replaced by A4467 Elastic garment/covering", at the very top; without a
    cross reference, the active codes suggested for the same item or drug, marked as a suggestion."""
    if page.status != Status.TERMINATED:
        return ""
    replacements = [f.value for f in page.fields if f.key.startswith("cross_reference") and f.value]
    text = f"<b>{html.escape(status_text(Status.TERMINATED, page['termination_date'].value))}</b>"
    if replacements:
        text += f" · {REPLACED_BY} " + ", ".join(_code_link(code, named, BOX_LINK) for code in replacements)
    elif suggested:
        text += f" · <i>{SUGGESTED}</i> " + ", ".join(_code_link(code, dict(suggested), BOX_LINK)
                                                       for code, _ in suggested)
    return (f'<table width="100%" cellpadding="6" style="margin-bottom:6px; background-color:#fde7ea">'
            f'<tr><td style="color:#8a0018">✖ {text}</td></tr></table>')


def _descriptions(page: CodePage, named: dict[str, str], links: bool) -> list[str]:
    copy = (lambda key, what: "&nbsp;" + _copy_link(key, what)) if links else (lambda key, what: "")
    return [
        f'<p style="font-size:large; font-weight:bold; margin-top:4px">'
        f'{linked_description(page.long_description, named)}{copy("long_description", "long description")}</p>',
        f"<p>{html.escape(short_text(page.short_description))}{copy('short_description', 'short description')}</p>",
    ]


def _status(page: CodePage) -> str:
    unclassified = (f'<br><b id="noc">{html.escape(NOC_MARK)}</b>: {html.escape(NOC_HINT)}'
                    if page.unclassified else "")
    return f"<p>{html.escape(page_status_text(page))}{unclassified}</p>"


def _corrections(page: CodePage) -> str:
    """What CMS corrected in the code after publishing a release, with when and what it gave."""
    if not page.corrections:
        return ""
    items = "".join(f"<li>{html.escape(correction_text(c))}</li>" for c in page.corrections)
    return (f'<table width="100%" cellpadding="6" style="margin-top:6px; background-color:#e8f1fb; color:#000">'
            f'<tr><td id="corrections"><b>{html.escape(CORRECTIONS_TITLE)}:</b><ul style="margin:0">{items}</ul>'
            f"</td></tr></table>")


def _note(page: CodePage, note: str, written: str, links: bool) -> str:
    """The coder's own note on the code, the day it was written, and a link to write or change it."""
    if not note:
        return f'<p><small><a href="note:{page.code}">{ADD_NOTE}</a></small></p>' if links else ""
    edit = f'<a href="note:{page.code}"{BOX_LINK}>{EDIT_NOTE}</a>' if links else ""
    text = "<br>".join(html.escape(line) for line in note.splitlines())
    return (f'<table width="100%" cellpadding="6" style="margin-top:6px; background-color:#fff8d6; color:#000">'
            f"<tr><td><b>{html.escape(note_title(written))}:</b> {text}" + (f"&nbsp;&nbsp;<small>{edit}</small>" if edit else "")
            + "</td></tr></table>")


def _fields(page: CodePage, named: dict[str, str], show_empty: bool, expanded: frozenset[str],
            links: bool) -> list[str]:
    parts = []
    for group in GROUP_ORDER:
        fields = [f for f in page.fields if f.group == group and f.key not in HEADER_KEYS]
        shown = [f for f in fields if f.value or show_empty]
        if not shown:
            continue
        folded = links and f"{GROUP_FOLD}{group}" in expanded
        title = html.escape(group)
        if links:  # a click on the arrow before the group's title folds it, or unfolds it
            arrow = "▸" if folded else "▾"
            title = f'<a href="fold:{GROUP_FOLD}{title}" style="text-decoration:none">{arrow}</a> {title}'
        anchor = "" if parts else '<a name="fields"></a>'  # Go → the fields: to the first group
        parts.append(f'<h3 style="margin-top:14px; margin-bottom:4px">{anchor}{title}</h3>')
        if folded:
            continue
        parts.append('<table cellspacing="0" cellpadding="3" width="100%">')
        for field in shown:
            label = (f'<a href="help:{field.key}" style="text-decoration:none">{html.escape(field.label)}</a>'
                     if links else html.escape(field.label))
            copy = _copy_link(field.key, field.label.lower()) if field.value and links else ""
            parts.append(
                f'<tr><td width="34%" valign="top">{label}</td>'
                f'<td valign="top">{_value_html(field, named) if field.value else "<i>—</i>"}</td>'
                f'<td width="44" valign="top" nowrap>{copy}</td></tr>'
            )
            if (field.key in expanded or not links) and field.help:
                help_html = "<br>".join(html.escape(p) for p in field.help.split("\n"))
                parts.append(f'<tr><td></td><td colspan="2"><small><i>{help_html}</i></small></td></tr>')
        parts.append("</table>")
    return parts


def _referrals(page: CodePage, referrals: list[Referral], expanded: frozenset[str], links: bool) -> list[str]:
    """The codes that refer to this one, folded after FOLDED_AFTER unless unfolded (`fold:referrals`)."""
    if not referrals:
        return []
    unfolded = REFERRALS in expanded or not links
    shown = referrals if unfolded or len(referrals) <= FOLDED_AFTER + 1 else referrals[:FOLDED_AFTER]
    parts = [f'<h3 style="margin-top:14px; margin-bottom:4px">{html.escape(referrals_title(page.code))}</h3><ul>']
    for referral in shown:
        status = f" <i>({html.escape(referral.status)})</i>" if referral.status != Status.ACTIVE else ""
        parts.append(f"<li>{_code_link(referral.code, {referral.code: referral.short_description})}{status}"
                     f" <small>— {html.escape(referral.how)}</small></li>")
    parts.append("</ul>")
    if len(shown) < len(referrals):
        parts.append(f'<p><a href="fold:{REFERRALS}">{html.escape(show_all_text(len(referrals)))}</a></p>')
    elif links and len(referrals) > FOLDED_AFTER + 1:
        parts.append(f'<p><a href="fold:{REFERRALS}">{FOLD}</a></p>')
    return parts


def _history(history: list[str]) -> list[str]:
    if not history:
        return []
    return [f'<h3 style="margin-top:14px; margin-bottom:4px"><a name="history"></a>{HISTORY_TITLE}</h3><ul>',
            *(f"<li>{html.escape(event)}</li>" for event in history), "</ul>"]


def _source(release_name: str, links: bool) -> str:
    hint = (" Hover a label for the record layout's help; click it to keep the help open." if links
            else f" Printed {date.today().isoformat()} with HCPCS Desktop.")
    return f'<p style="margin-top:16px"><small>{html.escape(source_text(release_name))}{hint}</small></p>'


def _units(units: UnitsSaid | None) -> str:
    """The units line on paper: the dose given, the units it bills, the code's termination and MUEs."""
    if units is None or not units.typed.strip():
        return ""
    said = html.escape(units.said)
    lines = [html.escape(dose_given_text(units.typed)), f"<b>{said}</b>" if units.answer else said]
    if units.limits:
        lines.append(f"<b>{html.escape(units.limits)}</b>" if units.warning else html.escape(units.limits))
    return f'<p id="units">{"<br>".join(lines)}</p>'


def render(
    view: CodeView,
    *,
    show_empty: bool = False,
    expanded: frozenset[str] = frozenset(),
    starred: bool = False,
    matched: str = "",
    payment: str = "",
    units: UnitsSaid | None = None,
    printed: bool = False,
) -> str:
    """HTML for the code page `view`; labels link to their help (`help:key`), copy links are `copy:key`,
    codes `code:CODE`, ranges `search:RANGE`, the note `note:CODE`, folded lists `fold:NAME`.

    `matched` says why the code matched the search, when not by CMS's own words; `payment` is
    the Medicare payment section (`payment_html`) of `view.payment`, placed after the fields; `units`
    what the units line says of the dose given, placed under the status (on paper: on the screen
    the units line is above the page).
    `printed` leaves out what only a screen can use (links to copy, star, fold, help on
    hover) and shows every help text and every referring code instead."""
    page, links, named = view.page, not printed, view.related.named
    parts = [
        _terminated_banner(page, named, view.suggested),
        _heading(page, starred, view.favorite_list, links),
        *_descriptions(page, named, links),
        *([f"<p><small>{html.escape(matched_text(matched))}</small></p>"] if matched else []),
        _status(page),
        *([f'<p id="serviceDate"><b>{html.escape(view.service_date)}</b></p>'] if view.service_date else []),
        _units(units),
        _corrections(page),
        _note(page, view.note, view.note_written, links),
        *_fields(page, named, show_empty, expanded, links),
        *_referrals(page, view.related.referrals, expanded, links),
        payment,
        *_history(view.history),
        _source(view.release_name, links),
    ]
    page_html = "\n".join(part for part in parts if part)
    return re.sub(r"</?a\b[^>]*>", "", page_html) if printed else page_html  # paper has nothing to click


def welcome(release_name: str) -> str:
    """What the detail pane shows before any code is open: how to search and the shortcuts."""
    rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in key_list())
    source = f"CMS HCPCS {html.escape(release_name)}" if release_name else "no release"
    return (
        "<h3>Look up a HCPCS Level II code</h3>"
        "<p>Type a code (<tt>S9353</tt>), a prefix (<tt>S93</tt>), a range (<tt>E0100-E0105</tt>), "
        "a pasted list of codes, a modifier (<tt>-GA</tt>), or words as you say them (<tt>insulin pump</tt>, "
        "<tt>hit</tt>, <tt>w/o</tt>, <tt>lovenox</tt>, <tt>back brace</tt>, <tt>left side modifier</tt>).</p>"
        f'<table cellpadding="3">{rows}</table>'
        f"<p><small>Data: {source}.</small></p>"
    )


def problem_html(problem: str) -> str:
    """The page shown instead of the browser when there is no usable database: why, and what to do."""
    from ..data.locations import CMS_RELEASES_URL  # finding releases is not needed to start

    return (
        f"<h2>HCPCS Desktop has no code set to show yet</h2>"
        f"<p><b>{html.escape(problem)}</b></p>"
        "<h3>Get the code set</h3>"
        "<ol><li>Download the <i>Alpha-Numeric HCPCS File</i> (a .zip) of the current quarter "
        f'from CMS: <a href="{CMS_RELEASES_URL}">{CMS_RELEASES_URL}</a></li>'
        '<li>Choose <a href="action:import"><b>File → Import CMS release…</b></a> (Ctrl+I) and pick '
        "the downloaded .zip, or its ANWEB .txt / .xlsx file.</li></ol>"
        "<p>Or, from a terminal: <tt>hcpcs-desktop build-db PATH/TO/RELEASE.zip</tt></p>"
        '<p>Already have a database file? Choose <a href="action:open"><b>File → Open database…</b></a> '
        "(Ctrl+O).</p>"
    )
