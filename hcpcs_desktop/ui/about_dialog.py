"""Help → About: the release shown, where it came from, and the copyright notices."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from .. import __version__

NOTICE = (
    "CPT codes and descriptions are copyright the American Medical Association (AMA); all rights "
    "reserved. CDT codes and descriptions are copyright the American Dental Association (ADA); all "
    "rights reserved. The HCPCS Level II code set is published by the Centers for Medicare & "
    "Medicaid Services (CMS). Inclusion of a code does not imply any health insurance coverage or "
    "reimbursement policy."
)


def about_html(release: dict, path=None) -> str:
    """The About text for the release row of the open database at `path` (empty dict: none open)."""
    parts = [f"<h2>HCPCS Desktop {__version__}</h2>",
             "<p>An offline reference browser for the CMS HCPCS Level II code set.</p>"]
    if release:
        parts.append(
            f"<h3>Release shown: CMS HCPCS {html.escape(release['name'])}</h3>"
            f"<p>Release date {html.escape(release['release_date'])} · "
            f"{release['procedures']:,} procedure codes, {release['modifiers']:,} modifiers, "
            f"{release['terminated']:,} with a termination date · built {html.escape(release['built_at'])}"
            f" (schema {release['schema_version']})</p>"
            + (f"<p>Database file: <tt>{html.escape(str(path))}</tt></p>" if path else "")
        )
        if release.get("layout_title"):
            parts.append(f"<p>Record layout: {html.escape(release['layout_title'])}"
                         f"{', as of ' + html.escape(release['layout_as_of']) if release.get('layout_as_of') else ''}</p>")
        rows = "".join(
            f"<tr><td>{html.escape(f['role'])}</td><td>{html.escape(f['name'])}</td>"
            f"<td><tt>{f['sha256']}</tt></td></tr>"
            for f in release.get("source_files", [])
        )
        parts.append(f'<table cellpadding="3"><tr><th align="left">File</th><th align="left">Name</th>'
                     f'<th align="left">SHA-256</th></tr>{rows}</table>')
    parts.append(f"<p><small>{NOTICE}</small></p>")
    return "".join(parts)


class AboutDialog(QDialog):
    def __init__(self, release: dict, parent=None, path=None):
        super().__init__(parent)
        self.setWindowTitle("About HCPCS Desktop")
        self.setObjectName("aboutDialog")
        text = QTextBrowser(objectName="aboutText")
        text.setHtml(about_html(release, path))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(820, 460)
