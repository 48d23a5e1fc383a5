from datetime import date

from odoo.tests import tagged

from .common import TirtaAccountCommon


@tagged("post_install", "-at_install")
class TestCashBook(TirtaAccountCommon):
    def _money_lines(self, journal, date_to, date_from=None):
        """The journal's items on its own and outstanding accounts."""
        accounts = (
            journal.default_account_id
            | (
                journal.inbound_payment_method_line_ids
                | journal.outbound_payment_method_line_ids
            ).payment_account_id
        )
        domain = [
            ("journal_id", "=", journal.id),
            ("account_id", "in", accounts.ids),
            ("parent_state", "=", "posted"),
            ("date", "<=", date_to),
        ]
        if date_from:
            domain.append(("date", ">=", date_from))
        return self.env["account.move.line"].search(domain)

    def test_opening_receipts_payments_closing(self):
        wizard = self._wizard(
            "cash_book",
            date(2026, 10, 1),
            date(2026, 10, 31),
            journal_ids=(self.journal_cash | self.journal_bank).ids,
        )
        rows = {row[0]: row[1:] for row in wizard._get_cash_book_rows()}
        # counter: 32,000 + 27,000 in September; 48,000 in, 20,000 out in October
        self.assertEqual(
            rows[self.journal_cash.display_name], [59000, 48000, 20000, 87000]
        )
        self.assertEqual(rows[self.journal_bank.display_name], [0, 50000, 0, 50000])
        for journal in (self.journal_cash, self.journal_bank):
            opening, receipts, payments, closing = rows[journal.display_name]
            self.assertEqual(opening + receipts - payments, closing)
            self.assertEqual(
                closing,
                sum(self._money_lines(journal, date(2026, 10, 31)).mapped("balance")),
            )
            period_lines = self._money_lines(
                journal, date(2026, 10, 31), date(2026, 10, 1)
            )
            self.assertEqual(receipts, sum(period_lines.mapped("debit")))
            self.assertEqual(payments, sum(period_lines.mapped("credit")))

    def test_by_cashier_and_board_total(self):
        wizard = self._wizard(
            "cash_book",
            date(2026, 10, 1),
            date(2026, 10, 31),
            journal_ids=(self.journal_cash | self.journal_bank).ids,
        )
        journals, users = wizard._get_report_data()["tables"]
        self.assertEqual(journals["totals"][1:], [59000, 98000, 20000, 137000])
        receipts = {(row[0], row[1]): row[2:] for row in users["rows"]}
        self.assertEqual(
            receipts[self.journal_cash.display_name, self.cashier.name], [48000, 0]
        )
        self.assertEqual(
            receipts[self.journal_cash.display_name, self.env.user.name], [0, 20000]
        )

    def test_statement_match_counts_once(self):
        """A bank payment matched with its statement line is one receipt."""
        payment = self.payments.filtered(lambda p: p.journal_id == self.journal_bank)
        statement_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.journal_bank.id,
                "date": date(2026, 10, 12),
                "payment_ref": "Transfer c3",
                "amount": 50000,
            }
        )
        _liquidity, suspense, _other = statement_line._seek_for_lines()
        outstanding = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.outstanding_account_id
        )
        statement_line.move_id.button_draft()
        suspense.account_id = outstanding.account_id
        statement_line.move_id.action_post()
        (suspense | outstanding).reconcile()
        self.assertTrue(outstanding.reconciled)
        wizard = self._wizard(
            "cash_book",
            date(2026, 10, 1),
            date(2026, 10, 31),
            journal_ids=self.journal_bank.ids,
        )
        self.assertEqual(
            wizard._get_cash_book_rows(),
            [[self.journal_bank.display_name, 0, 50000, 0, 50000]],
        )
