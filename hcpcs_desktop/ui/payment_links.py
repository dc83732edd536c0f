"""What the code page's Medicare payment brings to the window: the payment section and its links
(its tables or the line that sums them up, the state menu for DMEPOS fees, every NDC), the units line
above a drug code's page, and the Table of Drugs that opens codes in the window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl

from ..code_view import CodeView, UnitsSaid
from ..wording import NO_FEE_SCHEDULE, state_chosen_text


class PaymentLinks(QObject):
    """The window's payment section, state menu, units line and Table of Drugs; `window` gives the
    session, the detail pane, the units line and the state menu."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.session, self.state = window.session, window.state
        self.all_ndcs = False  # the payment section lists every NDC of the code shown
        self.all_states = False  # and every state's DMEPOS fees
        self._units_page = None  # the page whose units line is shown
        window.detailView.payment_of = self._payment_html
        window.detailView.units_of = self._units_said

    # ----- the payment section
    def _payment_html(self, view: CodeView, printed: bool) -> str:
        """The section as the coder chose to see it; on paper, every table and NDC."""
        from .payment_html import payment_section  # with the first code's page, not at start-up

        return payment_section(view.payment, self.state.payment_state(), self.all_ndcs or printed,
                               self.window.detailView.modifiers, self.all_states, self.state.payment_tables() or printed,
                               printed)

    def payment_link(self, url: QUrl) -> None:
        if url.toString() == "payment:state":
            self.choose_state()
        elif url.toString() == "payment:ndcs":
            self.all_ndcs = not self.all_ndcs
            self.window.detailView.refresh()
        elif url.toString() == "payment:states":
            self.all_states = not self.all_states
            self.window.detailView.refresh()
        elif url.toString() == "payment:tables":  # the coder's choice, for every code until changed
            self.state.set_payment_tables(not self.state.payment_tables())
            self.window.detailView.refresh()

    def choose_state(self) -> None:
        """Ask for the state whose DMEPOS fees the page shows, among those of the newest fee schedule."""
        from .state_dialog import StateDialog

        states = self._fee_schedule_states()
        if not states:
            self.window.statusBar().showMessage(NO_FEE_SCHEDULE, 5000)
            return
        dialog = StateDialog(states, self.state.payment_state(), self.window)
        if dialog.exec():
            self.choose_payment_state(dialog.state())

    def _fee_schedule_states(self) -> list[str]:
        """The states of the newest DMEPOS fee schedule (of the code shown, else every state while the
        database has payment files)."""
        from .user_state import STATES

        code = self.window.current_code()
        facts = self.session.payment(code) if code else None
        fees = facts.dmepos[0].fees if facts and facts.dmepos else {}
        return [s for s in fees if s in STATES] or (sorted(STATES) if self.session.has_payment_files() else [])

    def choose_payment_state(self, state: str) -> None:
        self.state.set_payment_state(state)
        self.window.detailView.refresh()
        self.window.statusBar().showMessage(state_chosen_text(state), 4000)

    # ----- the units line
    def page_rendering(self, view: CodeView | None) -> None:
        """The detail pane draws `view`: its units line comes with it, after the frame with the results
        (shown or hidden, it resizes the pane)."""
        page = view.page if view else None
        if page is None or page is not self._units_page:
            self._units_page = page
            self._show_units(view)
        elif (billing := view.billing()) is not None and billing != self.window.unitsLine.billing:
            self.window.unitsLine.set_billing(billing)  # another date of service: the payment limit then

    def _show_units(self, view: CodeView | None) -> None:
        """The units line of a drug code (hidden for any other code and the welcome page)."""
        line = self.window.unitsLine
        billing = view.billing() if view else None
        line.setVisible(billing is not None)
        if billing is None:
            return
        line.doseEdit.clear()
        line.set_billing(billing)

    def _units_said(self, view: CodeView) -> UnitsSaid | None:
        """What the units line says of the dose given, for the code it is shown for."""
        line = self.window.unitsLine
        shown = self._units_page is not None and self._units_page.code == view.code
        return line.said if shown and line.isVisibleTo(self.window) else None

    # ----- the Table of Drugs
    def show_drug_table(self) -> None:
        from .drug_table_dialog import DrugTableDialog
        from .placing import place_beside

        if self.session.conn is None:
            return
        dialog = DrugTableDialog(self.session.drug_codes(), self.session.release.get("name", ""), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.codeChosen.connect(self.window.open_code)
        self.drugTable = dialog
        place_beside(dialog, self.window, self.window.detailPane)
        dialog.show()
