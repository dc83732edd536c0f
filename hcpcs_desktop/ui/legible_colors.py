"""Colours that stay legible on the palette's background, light or dark: WCAG contrast, the muted text
of terminated codes, and links (a dark theme that keeps Qt's own dark blue for links is common)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

MIN_CONTRAST = 4.5  # WCAG AA for text


def _luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def muted_text(palette: QPalette) -> QColor:
    """A colour between the text and the background, as far from the text as 4.5:1 contrast on
    both row backgrounds allows: terminated rows look muted and stay legible."""
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    backgrounds = [palette.color(QPalette.ColorGroup.Active, role)
                   for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)]
    base = backgrounds[0]
    for step in range(60, -1, -5):  # percent of the way towards the background
        f = step / 100
        color = QColor.fromRgbF(text.redF() + (base.redF() - text.redF()) * f,
                                text.greenF() + (base.greenF() - text.greenF()) * f,
                                text.blueF() + (base.blueF() - text.blueF()) * f)
        if all(contrast(color, background) >= MIN_CONTRAST for background in backgrounds):
            return color
    return text


LIGHT_LINK, DARK_LINK = QColor("#8ab4f8"), QColor("#0b4fa8")  # a link on a dark, and on a light background


def legible_link(palette: QPalette) -> QColor:
    """The palette's link colour when it meets 4.5:1 on the background, else a blue that does."""
    link = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Link)
    base = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Base)
    if contrast(link, base) >= MIN_CONTRAST:
        return link
    return max((LIGHT_LINK, DARK_LINK), key=lambda color: contrast(color, base))
