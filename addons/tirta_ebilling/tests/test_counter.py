from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common_counter import TirtaCounterCommon


@tagged("post_install", "-at_install")
class TestCounter(TirtaCounterCommon):
    def test_bills_of_the_connection(self):
        """Village A's tariff: 12 m³ in September (version A), 18 and 10 m³
        in October and November (version B)."""
        self.assertEqual(self.bills.mapped("amount_total"), [26000, 43000, 23000])
        self.assertEqual(set(self.bills.mapped("payment_state")), {"not_paid"})

    def test_lookup_lists_unpaid_bills_oldest_first(self):
        counter_model = self.env["water.counter"].with_user(self.cashier)
        with Form(counter_model) as form:
            form.search_code = "  tm-0042 "
            self.assertEqual(form.connection_id, self.connection)
            self.assertFalse(form.lookup_message)
            self.assertEqual(form.amount_owed, 92000)
            self.assertEqual(form.amount, 92000)
            self.assertEqual(form.journal_id, self.cash_journal)
        counter = form.record
        self.assertEqual(counter.line_ids.invoice_id, self.bills)
        self.assertEqual(
            counter.line_ids.mapped("period_id.name"), ["2026-09", "2026-10", "2026-11"]
        )
        self.assertEqual(counter.line_ids.mapped("consumption"), [12, 18, 10])
        self.assertEqual(
            counter.line_ids.mapped("amount_residual"), [26000, 43000, 23000]
        )
        self.assertTrue(all(counter.line_ids.mapped("selected")))

        # a scanned bill number finds its connection too
        by_bill = counter_model.create({"search_code": self.bill_oct.name})
        self.assertEqual(by_bill.connection_id, self.connection)

        unknown = counter_model.create({"search_code": "TM-9999"})
        self.assertFalse(unknown.connection_id)
        self.assertFalse(unknown.line_ids)
        self.assertEqual(
            unknown.lookup_message, "No connection or bill with number TM-9999."
        )

    def test_pay_three_months_at_once(self):
        counter = self._pay()

        payment = counter.payment_id
        self.assertEqual(counter.state, "done")
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.state, "paid")
        self.assertEqual(payment.amount, 92000)
        self.assertEqual(payment.partner_id, self.partner)
        self.assertEqual(payment.journal_id, self.cash_journal)
        self.assertEqual(payment.water_connection_id, self.connection)
        self.assertEqual(payment.reconciled_invoice_ids, self.bills)
        self.assertEqual(set(self.bills.mapped("payment_state")), {"paid"})
        self.assertEqual(self.bills.mapped("amount_residual"), [0, 0, 0])

        # journal items: the cash in the drawer against the customer's receivable
        lines = payment.move_id.line_ids
        self.assertEqual(payment.move_id.state, "posted")
        self.assertRecordValues(
            lines.sorted("debit", reverse=True),
            [
                {"account_id": self.cash_account.id, "debit": 92000, "credit": 0},
                {"account_id": self.receivable.id, "debit": 0, "credit": 92000},
            ],
        )
        payment_line = self._receivable_lines(payment.move_id)
        self.assertTrue(payment_line.reconciled)
        self.assertEqual(
            payment_line.matched_debit_ids.debit_move_id,
            self._receivable_lines(self.bills),
        )
        self.assertEqual(
            sorted(payment_line.matched_debit_ids.mapped("amount")),
            [23000, 26000, 43000],
        )

        # the payment belongs to the cashier's session of today, opened for it
        session = payment.water_cashier_session_id
        self.assertEqual(session.user_id, self.cashier)
        self.assertEqual(session.state, "open")
        self.assertEqual(counter.session_id, session)
        self.assertEqual(payment.water_amount_owed_after, 0)
        self.assertEqual(counter.amount_remaining, 0)

        # the next customer's screen uses the same session
        counter_2 = self._counter()
        self.assertFalse(counter_2.line_ids)
        self.assertEqual(counter_2.session_id, session)

    def test_partial_payment_pays_the_oldest_bill_first(self):
        counter = self._counter()
        counter.amount = 50000
        # the screen shows how the amount will be spread before paying
        self.assertEqual(counter.line_ids.mapped("amount_applied"), [26000, 24000, 0])
        self.assertEqual(counter.amount_remaining, 42000)
        counter.action_pay()

        self.assertEqual(self.bills.mapped("amount_residual"), [0, 19000, 23000])
        self.assertEqual(
            self.bills.mapped("payment_state"), ["paid", "partial", "not_paid"]
        )
        payment = counter.payment_id
        self.assertEqual(payment.amount, 50000)
        self.assertTrue(self._receivable_lines(payment.move_id).reconciled)
        self.assertEqual(payment.water_amount_owed_after, 42000)

        # the next visit starts from what is left, still oldest first
        counter = self._pay(amount=19000)
        self.assertEqual(self.bills.mapped("amount_residual"), [0, 0, 23000])
        self.assertEqual(counter.payment_id.water_amount_owed_after, 23000)

    def test_unselected_bill_is_left_open(self):
        counter = self._pay(unselect=self.bill_oct)
        self.assertEqual(counter.payment_id.amount, 49000)
        self.assertEqual(self.bills.mapped("amount_residual"), [0, 43000, 0])
        self.assertEqual(counter.payment_id.water_amount_owed_after, 43000)

    def test_overpayment_refused_unless_kept_as_credit(self):
        payment_model = self.env["account.payment"]
        before = payment_model.search_count([])
        counter = self._counter()
        counter.amount = 100000
        self.assertEqual(counter.amount_credit, 8000)
        with self.assertRaisesRegex(UserError, "more than the selected bills"):
            counter.action_pay()
        self.assertEqual(payment_model.search_count([]), before)
        self.assertEqual(counter.state, "draft")

        counter.keep_credit = True
        counter.action_pay()
        payment = counter.payment_id
        self.assertEqual(payment.amount, 100000)
        self.assertEqual(set(self.bills.mapped("payment_state")), {"paid"})
        # the rest stays on the receivable as the customer's credit
        payment_line = self._receivable_lines(payment.move_id)
        self.assertEqual(payment_line.credit, 100000)
        self.assertEqual(payment_line.amount_residual, -8000)
        self.assertFalse(payment_line.reconciled)

    def test_bank_transfer(self):
        counter = self._pay(journal_id=self.bank_journal.id)
        payment = counter.payment_id
        self.assertEqual(payment.journal_id, self.bank_journal)
        self.assertEqual(set(self.bills.mapped("payment_state")), {"paid"})
        self.assertEqual(
            self._receivable_lines(payment.move_id).credit,
            92000,
        )

    def test_bad_input_is_refused(self):
        counter = self._counter()
        counter.amount = 0
        with self.assertRaisesRegex(UserError, "must be positive"):
            counter.action_pay()

        counter = self._counter()
        counter.line_ids.selected = False
        with self.assertRaisesRegex(UserError, "Select at least one bill"):
            counter.action_pay()

        other_cash = self.cash_journal.copy({"name": "Other Cash", "code": "OCSH"})
        counter = self._counter(journal_id=other_cash.id)
        with self.assertRaisesRegex(UserError, "cannot be used at the counter"):
            counter.action_pay()

        # a bill paid by another cashier after the screen was opened
        counter = self._counter()
        self._pay(user=self.cashier_2)
        with self.assertRaisesRegex(UserError, "paid or cancelled meanwhile"):
            counter.action_pay()
        self.assertEqual(
            self.env["account.payment"].search_count(
                [("water_connection_id", "=", self.connection.id)]
            ),
            1,
        )

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["water.counter"].with_user(self.reader).create(
                {"search_code": self.connection.name}
            )
        with self.assertRaises(AccessError):
            self.env["water.cashier.session"].with_user(self.reader).search([])

        counter = self._pay(user=self.cashier)
        self.assertEqual(counter.payment_id.create_uid, self.cashier)
        self.assertEqual(set(self.bills.mapped("payment_state")), {"paid"})


@tagged("post_install", "-at_install")
class TestCounterTour(TirtaCounterCommon, HttpCase):
    def test_counter_screen(self):
        """In the browser: the focus waits in the number field, Enter lists
        the bills, Pay takes the payment and offers the receipts."""
        self.start_tour(
            "/odoo/action-tirta_ebilling.water_counter_action",
            "tirta_ebilling_counter_tour",
            login=self.cashier.login,
        )
        payment = self.env["account.payment"].search(
            [("water_connection_id", "=", self.connection.id)]
        )
        self.assertEqual(payment.amount, 92000)
        self.assertEqual(payment.create_uid, self.cashier)
        self.assertEqual(set(self.bills.mapped("payment_state")), {"paid"})
