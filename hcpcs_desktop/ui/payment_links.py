"""What the code page's Medicare payment brings to the window: the payment section and its links
(its tables or the line that sums them up, the state menu for DMEPOS fees, every NDC), the units line
above a drug code's page, and the Table of Drugs that opens codes in the window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl

from ..search.engine import Status
from ..wording import NO_FEE_SCHEDULE, state_chosen_text, status_text


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

    # ----- the payment section
    def _payment_html(self, code: str) -> str:
        from .payment_html import payment_section  # with the first code's page, not at start-up

        return payment_section(self.session.payment(code), self.state.payment_state(), self.all_ndcs,
                               self.window.detailView.modifiers, self.all_states, self.state.payment_tables())

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
    def page_rendering(self, page) -> None:
        """The detail pane draws `page`: its units line comes with it, after the frame with the results
        (shown or hidden, it resizes the pane, and reads the code's dose and payment limit)."""
        if page is None or page is not self._units_page:
            self._units_page = page
            self._show_units(page.code if page else None)

    def _show_units(self, code: str | None) -> None:
        """The units line of a drug code (hidden for any other code and the welcome page)."""
        line = self.window.unitsLine
        drug = self.session.drug(code) if code else None
        line.setVisible(drug is not None)
        if drug is None:
            return
        line.doseEdit.clear()
        facts = self.session.payment(code)
        limit = facts.drug_limits[0] if facts and facts.drug_limits else None
        line.set_payment_limit(limit.payment_limit if limit else None, limit.source.period if limit else "")
        mue = {}
        for edit in facts.mue if facts else []:  # newest first: the newest file of each setting
            if edit.units is not None:
                mue.setdefault(edit.setting, edit.units)
        page = self.session.page(code)
        ended = page is not None and page.status == Status.TERMINATED
        terminated = status_text(page.status, page["termination_date"].value) if ended else ""
        line.set_limits(list(mue.items()), terminated)
        line.set_dose(drug.dose, drug.no_dose)

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
