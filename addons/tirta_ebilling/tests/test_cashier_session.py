from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_counter import TirtaCounterCommon


@tagged("post_install", "-at_install")
class TestCashierSession(TirtaCounterCommon):
    def _take_day(self):
        """Two cash payments and one transfer in the cashier's session."""
        self._pay(amount=20000)
        self._pay(amount=10000)
        counter = self._pay(amount=30000, journal_id=self.bank_journal.id)
        return counter.payment_id.water_cashier_session_id

    def test_recap_equals_journal_items(self):
        session = self._take_day()
        payments = session.payment_ids
        self.assertEqual(len(payments), 3)

        items = payments.move_id.line_ids
        cash_items = items.filtered(lambda line: line.account_id == self.cash_account)
        bank_items = payments.filtered(
            lambda p: p.journal_id == self.bank_journal
        ).move_id.line_ids.filtered(lambda line: line.account_id != self.receivable)
        self.assertEqual(sum(cash_items.mapped("debit")), 30000)
        self.assertEqual(sum(bank_items.mapped("debit")), 30000)
        self.assertRecordValues(
            session,
            [
                {
                    "payment_count": 3,
                    "cash_count": 2,
                    "cash_amount": sum(cash_items.mapped("balance")),
                    "transfer_count": 1,
                    "transfer_amount": sum(bank_items.mapped("balance")),
                    "amount_total": 60000,
                }
            ],
        )
        # the receivable credited by the session equals what it recaps
        receivable_items = items.filtered(
            lambda line: line.account_id == self.receivable
        )
        self.assertEqual(sum(receivable_items.mapped("credit")), session.amount_total)
        self.assertEqual(self.bills.mapped("amount_residual"), [0, 9000, 23000])

    def test_cancelled_payment_leaves_the_recap(self):
        session = self._take_day()
        session.payment_ids.filtered(lambda p: p.amount == 10000).action_cancel()
        self.assertEqual(session.cash_count, 1)
        self.assertEqual(session.cash_amount, 20000)
        self.assertEqual(session.amount_total, 50000)

    def test_close_with_shortage(self):
        session = self._take_day().with_user(self.cashier)
        session.write({"opening_cash": 50000, "counted_cash": 79000})
        self.assertEqual(session.expected_cash, 80000)
        self.assertEqual(session.cash_difference, -1000)
        session.action_close()

        self.assertEqual(session.state, "closed")
        self.assertTrue(session.date_closed)
        move = session.difference_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.cash_journal)
        self.assertRecordValues(
            move.line_ids.sorted("debit", reverse=True),
            [
                {"account_id": self.loss_account.id, "debit": 1000, "credit": 0},
                {"account_id": self.cash_account.id, "debit": 0, "credit": 1000},
            ],
        )
        self.assertTrue(
            any("cash difference" in (m.body or "") for m in session.message_ids)
        )

    def test_close_without_email(self):
        """A cashier made in the user form has no e-mail: the closing note
        goes to the session's history all the same."""
        self.cashier.partner_id.email = False
        session = self._take_day().with_user(self.cashier)
        session.write({"opening_cash": 50000, "counted_cash": 80000})
        session.action_close()
        self.assertEqual(session.state, "closed")
        self.assertIn(
            "counted cash equals the expected cash", session.message_ids[0].body
        )

    def test_close_with_surplus(self):
        session = self._take_day()
        session.counted_cash = 30500
        session.action_close()
        self.assertRecordValues(
            session.difference_move_id.line_ids.sorted("debit", reverse=True),
            [
                {"account_id": self.cash_account.id, "debit": 500, "credit": 0},
                {"account_id": self.gain_account.id, "debit": 0, "credit": 500},
            ],
        )

    def test_close_without_difference(self):
        session = self._take_day()
        session.counted_cash = 30000
        session.action_close()
        self.assertEqual(session.state, "closed")
        self.assertFalse(session.difference_move_id)

    def test_difference_recorded_without_account(self):
        self.cash_journal.loss_account_id = False
        session = self._take_day()
        session.counted_cash = 25000
        session.action_close()
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.cash_difference, -5000)
        self.assertFalse(session.difference_move_id)
        self.assertTrue(
            any("recorded here only" in (m.body or "") for m in session.message_ids)
        )

    def test_closed_session_is_read_only(self):
        session = self._take_day()
        session.counted_cash = 30000
        session.action_close()
        payment = session.payment_ids[0]
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            session.counted_cash = 31000
        with self.assertRaisesRegex(UserError, "closed cashier session"):
            payment.action_draft()
        with self.assertRaisesRegex(UserError, "closed cashier session"):
            payment.action_cancel()
        with self.assertRaisesRegex(UserError, "already closed"):
            session.action_close()
        self.assertEqual(payment.state, "paid")

        # the next payment of the day opens a new session
        counter = self._pay(amount=1000)
        new_session = counter.payment_id.water_cashier_session_id
        self.assertNotEqual(new_session, session)
        self.assertEqual(new_session.state, "open")

    def test_cashiers_see_their_own_sessions(self):
        own = self._take_day()
        other = self._pay(user=self.cashier_2, amount=1000).session_id
        sessions = self.env["water.cashier.session"]
        self.assertEqual(sessions.with_user(self.cashier).search([]), own)
        self.assertEqual(sessions.with_user(self.cashier_2).search([]), other)
        with self.assertRaises(AccessError):
            other.with_user(self.cashier).read(["amount_total"])
        # the manager sees both
        self.assertEqual(
            sessions.search([("id", "in", (own | other).ids)]), own | other
        )

    def test_recap_report(self):
        session = self._take_day()
        cancelled = session.payment_ids.filtered(lambda p: p.amount == 10000)
        cancelled.action_cancel()
        session.write({"opening_cash": 50000, "counted_cash": 69000})
        session.action_close()
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "tirta_ebilling.action_report_water_cashier_session", session.ids
        )
        html = html.decode()
        methods = html.split("o_water_session_methods", 1)[1].split("</table>", 1)[0]
        # cash: one receipt of 20,000; transfer: one of 30,000; total two
        for text in ("20,000", "30,000", "50,000", "Siti Kasir"):
            self.assertIn(text, html)
        self.assertIn("<span>2</span>", methods)
        drawer = html.split("o_water_session_drawer", 1)[1].split("</table>", 1)[0]
        # expected 50,000 + 20,000 in cash, counted 69,000: 1,000 short
        self.assertEqual(session.cash_difference, -1000)
        for text in ("70,000", "69,000", "1,000"):
            self.assertIn(text, drawer)
        receipts = html.split("o_water_session_receipts", 1)[1]
        for payment in session.payment_ids - cancelled:
            self.assertIn(payment.name, receipts)
        self.assertNotIn(cancelled.name, receipts)
