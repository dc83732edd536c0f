"""Draw the HCPCS Desktop icon and write resources/icon.png, icon.ico (Windows) and icon.icns (macOS).

    .venv/bin/python build_spec/make_icon.py

A code sheet under a magnifying glass, drawn with QPainter at every size; the files are
committed, so a build does not need to run this.
"""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPen

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def draw(size: int) -> QImage:
    """The icon at `size` pixels, drawn on a 256-unit canvas."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)
    background = QLinearGradient(0, 0, 0, 256)
    background.setColorAt(0, QColor("#1f6fb2"))
    background.setColorAt(1, QColor("#0d3f6e"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(background)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)
    p.setBrush(QColor("#ffffff"))  # the sheet of codes
    p.drawRoundedRect(QRectF(52, 36, 120, 160), 12, 12)
    for i, y in enumerate(range(62, 180, 24)):  # code column and description lines
        p.setBrush(QColor("#1f6fb2"))
        p.drawRoundedRect(QRectF(66, y, 22, 10), 3, 3)
        p.setBrush(QColor("#9fb7cc"))
        p.drawRoundedRect(QRectF(94, y, 64 - 12 * (i % 2), 10), 3, 3)
    p.setPen(QPen(QColor("#f2b134"), 18, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))  # the magnifying glass
    p.setBrush(QColor(255, 255, 255, 90))
    p.drawEllipse(QPointF(160, 152), 38, 38)
    p.drawLine(QPointF(188, 180), QPointF(218, 212))
    p.end()
    return image


def png(size: int) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    draw(size).save(buffer, "PNG")
    return bytes(buffer.data())


def ico(sizes=ICO_SIZES) -> bytes:
    """A Windows .ico of PNG images: header, one directory entry per image, then the images."""
    images = [png(s) for s in sizes]
    offset = 6 + 16 * len(sizes)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    for size, data in zip(sizes, images):
        header += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + b"".join(images)


def icns(types=ICNS_TYPES) -> bytes:
    """A macOS .icns of PNG images: 'icns', total length, then (type, length, PNG) per image."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data
                    for kind, data in ((kind, png(size)) for size, kind in types.items()))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "icon.png").write_bytes(png(256))
    (RESOURCES / "icon.ico").write_bytes(ico())
    (RESOURCES / "icon.icns").write_bytes(icns())
    for name in ("icon.png", "icon.ico", "icon.icns"):
        print(f"wrote {RESOURCES / name} ({(RESOURCES / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
