"""A code's page as HTML for the detail pane: heading, then every field by group."""

from __future__ import annotations

import html

from ..data.database import CodePage, FieldValue
from ..data.fields import CLASSIFICATION, DATES, NOTES, OUTPATIENT, PAYMENT, REFERENCES
from ..wording import field_meaning, status_line, value_meaning
from .actions import key_list

# The order a coder checks things: can I bill it, how is it classified, notes, dates.
GROUP_ORDER = (PAYMENT, CLASSIFICATION, NOTES, DATES, REFERENCES, OUTPATIENT)
HEADER_KEYS = ("code", "long_description", "short_description")
COPY = "copy"


def _copy_link(key: str, what: str) -> str:
    return f'<a href="copy:{key}" style="text-decoration:none"><small>[{COPY}]</small></a>'


def _value_html(field: FieldValue) -> str:
    value = html.escape(field.value)
    if field.key.startswith("cross_reference") and field.value:
        value = f'<a href="code:{value}">{value}</a>'
    if field.kind == "code" or field.key.startswith("cross_reference"):
        value = f"<tt>{value}</tt>"
    return value_meaning(value, html.escape(field_meaning(field)))


def render(
    page: CodePage,
    release_name: str,
    *,
    show_empty: bool = False,
    expanded: frozenset[str] = frozenset(),
    starred: bool = False,
    history: list[str] = (),
    matched: str = "",
    service_date: str = "",
) -> str:
    """HTML for `page`; labels link to their help (`help:key`), copy links are `copy:key`.

    `matched` says why the code matched the search, when not by CMS's own words; `service_date`
    whether it was valid on the date of service entered."""
    star = "★" if starred else "☆"
    star_title = "Remove from favorites (Ctrl+D)" if starred else "Add to favorites (Ctrl+D)"
    coverage = page["coverage"]
    parts = [
        f'<p style="margin:0"><span style="font-size:x-large; font-weight:bold"><tt>{page.code}</tt></span>'
        f'&nbsp;{_copy_link("code", "code")}&nbsp;&nbsp;'
        f'<a href="star:{page.code}" title="{star_title}" style="text-decoration:none">{star}</a>'
        f'&nbsp;&nbsp;<span style="font-size:small">{html.escape(page.kind.capitalize())}</span></p>',
        f'<p style="font-size:large; font-weight:bold; margin-top:4px">{html.escape(page.long_description)}'
        f'&nbsp;{_copy_link("long_description", "long description")}</p>',
        f"<p>Short: {html.escape(page.short_description)}&nbsp;{_copy_link('short_description', 'short description')}</p>",
        *([f"<p><small>Matched by: {html.escape(matched)}</small></p>"] if matched else []),
        f"<p>{html.escape(status_line(page.status, page['termination_date'].value, page['added_date'].value))}"
        + (f" · Coverage {html.escape(value_meaning(coverage.value, field_meaning(coverage)))}" if coverage.value else "")
        + "</p>",
        *([f'<p id="serviceDate"><b>{html.escape(service_date)}</b></p>'] if service_date else []),
    ]
    for group in GROUP_ORDER:
        fields = [f for f in page.fields if f.group == group and f.key not in HEADER_KEYS]
        shown = [f for f in fields if f.value or show_empty]
        if not shown:
            continue
        parts.append(f'<h3 style="margin-top:14px; margin-bottom:4px">{html.escape(group)}</h3>')
        parts.append('<table cellspacing="0" cellpadding="3" width="100%">')
        for field in shown:
            label = f'<a href="help:{field.key}" style="text-decoration:none">{html.escape(field.label)}</a>'
            copy = _copy_link(field.key, field.label.lower()) if field.value else ""
            parts.append(
                f'<tr><td width="34%" valign="top">{label}</td>'
                f'<td valign="top">{_value_html(field) or "<i>—</i>"}</td>'
                f'<td width="44" valign="top" nowrap>{copy}</td></tr>'
            )
            if field.key in expanded and field.help:
                help_html = "<br>".join(html.escape(p) for p in field.help.split("\n"))
                parts.append(f'<tr><td></td><td colspan="2"><small><i>{help_html}</i></small></td></tr>')
        parts.append("</table>")
    if history:
        parts.append('<h3 style="margin-top:14px; margin-bottom:4px">History across releases</h3><ul>')
        parts += [f"<li>{html.escape(event)}</li>" for event in history]
        parts.append("</ul>")
    parts.append(
        f'<p style="margin-top:16px"><small>Source: CMS HCPCS {html.escape(release_name)}. '
        "Hover a label for the record layout's help; click it to keep the help open.</small></p>"
    )
    return "\n".join(parts)


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
