"""Where a window of its own is put: the Table of Drugs and What changed where the code they open in
the main window stays in sight, beside the main window when the screen has room, else over the
main window's results side, never over its code page; any other within the screen."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

MIN_WIDTH = 320  # narrower than this, a window beside the main one is of no use


def place_beside(dialog: QWidget, window: QWidget, page: QWidget) -> None:
    """Move and size `dialog` (not shown yet, at the size it would like) so that `page`, the main
    `window`'s code page, stays in sight."""
    screen = window.screen().availableGeometry()
    main = window.frameGeometry()
    frame = main.size() - window.geometry().size()  # what the window manager adds around a window
    wanted = dialog.size() + frame
    height = min(wanted.height(), screen.height())
    right_room, left_room = screen.right() - main.right(), main.left() - screen.left()
    if max(right_room, left_room) >= MIN_WIDTH:
        width = min(wanted.width(), max(right_room, left_room))
        x = main.right() + 1 if right_room >= left_room else main.left() - width
        y = max(screen.top(), min(main.top(), screen.bottom() + 1 - height))
        placed = QRect(x, y, width, height)
    else:
        page_left = page.mapToGlobal(QPoint(0, 0)).x()
        placed = QRect(main.left(), main.top(), max(page_left - main.left(), MIN_WIDTH), main.height())
    dialog.resize(placed.size() - frame)
    dialog.move(placed.topLeft())


def fit_on_screen(dialog: QWidget, window: QWidget) -> None:
    """Shrink `dialog` (not shown yet) to the screen of the main `window` where it would not fit in
    it whole (a small screen, a large zoom): its buttons stay in sight."""
    frame = window.frameGeometry().size() - window.geometry().size()
    dialog.resize(dialog.size().boundedTo(window.screen().availableGeometry().size() - frame))
