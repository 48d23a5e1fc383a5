"""Village A's books after its first quarter, as the treasurer reads them.

The sample village is billed for September to November 2026; a cashier takes
payments at the counter (three months at once, a partial one), a customer
pays ahead before November's run, and the treasurer records the pump's
electricity. Every figure of the income statement, balance sheet, cash book,
arrears and collection reports, and of the village-meeting report, must equal
what the journal items say.
"""

from datetime import date

from test_village_a import PERIODS, VillageACase

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.tirta_account.tests.common import mis_kpis

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
AS_OF = date(2026, 12, 31)


@tagged("post_install", "-at_install")
class TestVillageABooks(VillageACase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env(su=True),
            "village_a_cashier",
            name="Kasir Desa A",
            groups="tirta_water.group_water_cashier",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.cash_journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("code", "=", "KLKT")]
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _lines(self, **domain):
        """Posted journal items of the village, filtered by ``domain``."""
        return self.env["account.move.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                *[(name, op, value) for name, (op, value) in domain.items()],
            ]
        )

    def _balance(self, **domain):
        return sum(self._lines(**domain).mapped("balance"))

    def _counter_pay(self, connection, amount=None):
        counter = (
            self.env["water.counter"]
            .with_user(self.cashier)
            .create({"search_code": connection.name})
        )
        # as the screen does: the bills are listed before the cashier edits
        counter.flush_recordset()
        if amount is not None:
            counter.amount = amount
        counter.action_pay()
        return counter.payment_id

    def _unpaid_connections(self, count):
        """Metered connections with ``count`` unpaid bills, by number."""
        bills = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("water_reading_id", "!=", False),
                ("state", "=", "posted"),
                ("payment_state", "=", "not_paid"),
            ]
        )
        by_connection = {}
        for bill in bills:
            by_connection.setdefault(bill.water_connection_id, []).append(bill)
        return sorted(
            (c for c, found in by_connection.items() if len(found) == count),
            key=lambda c: c.name,
        )

    def _mis(self, xmlid, date_from, date_to):
        # the treasurer's preview, computed as the accountant would
        return mis_kpis(self.env.ref(xmlid).sudo(), self.company, date_from, date_to)

    def _wizard(self, report, **vals):
        return self.env["water.report.wizard"].create(
            {
                "report": report,
                "company_id": self.company.id,
                "range_type": "custom",
                "date_from": YEAR_START,
                "date_to": YEAR_END,
                **vals,
            }
        )

    # ------------------------------------------------------------------
    # The quarter
    # ------------------------------------------------------------------

    def test_treasurer_books(self):
        self._run_billing(self.periods["2026-09"])
        self._run_billing(self.periods["2026-10"])

        # A customer with two unpaid bills pays 100,000 ahead of November.
        ahead = self._unpaid_connections(2)[0]
        advance = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": ahead.partner_id.id,
                "amount": 100000,
                "journal_id": self.cash_journal.id,
                "date": date(2026, 11, 25),
            }
        )
        advance.action_post()
        self._run_billing(self.periods["2026-11"])
        ahead_bills = self.env["account.move"].search(
            [("water_connection_id", "=", ahead.id), ("state", "=", "posted")],
            order="invoice_date",
        )
        # The credit pays the bills posted after it, November's included.
        self.assertEqual(ahead_bills[-1].water_period_id.name, "2026-11")
        self.assertEqual(ahead_bills[-1].amount_residual, 0)
        self.assertEqual(ahead_bills[-1].payment_state, "paid")

        # The counter: three months at once, then a partial payment.
        three, partial = self._unpaid_connections(3)[:2]
        three_bills = self.env["account.move"].search(
            [("water_connection_id", "=", three.id), ("state", "=", "posted")]
        )
        paid_three = self._counter_pay(three)
        self.assertEqual(paid_three.amount, sum(three_bills.mapped("amount_total")))
        self.assertEqual(set(three_bills.mapped("payment_state")), {"paid"})
        partial_bills = self.env["account.move"].search(
            [("water_connection_id", "=", partial.id), ("state", "=", "posted")],
            order="invoice_date",
        )
        paid_partial = self._counter_pay(
            partial, amount=partial_bills[0].amount_total + 1000
        )
        self.assertEqual(partial_bills[0].payment_state, "paid")
        self.assertEqual(
            partial_bills[1].amount_residual, partial_bills[1].amount_total - 1000
        )

        # The pump's electricity, paid from the counter's cash.
        power = self.env["account.account"].search(
            [
                *self.env["account.account"]._check_company_domain(self.company),
                ("code", "=", "61200010"),
            ]
        )
        self.env["water.expense.entry"].create(
            {
                "company_id": self.company.id,
                "date": date(2026, 11, 30),
                "account_id": power.id,
                "journal_id": self.cash_journal.id,
                "amount": 350000,
                "note": "Listrik pompa November",
            }
        ).action_confirm()

        # What the advance has not paid yet stays as the customer's credit.
        credit_left = -sum(
            advance.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).mapped("amount_residual")
        )
        self.assertEqual(credit_left, 100000 - ahead_bills[-1].amount_total)
        received = advance.amount + paid_three.amount + paid_partial.amount

        self._assert_income_statement()
        self._assert_balance_sheet(credit_left)
        self._assert_cash_book(received, 350000)
        self._assert_arrears()
        self._assert_collection(received - credit_left)
        self._assert_village_meeting_report()

    def _bills(self):
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("water_period_id.name", "in", PERIODS),
            ]
        )

    def _assert_income_statement(self):
        kpis = self._mis(
            "tirta_account.mis_report_income_statement", YEAR_START, YEAR_END
        )
        bills = self._bills()
        billed = sum(bills.mapped("amount_untaxed"))
        income = -self._balance(
            **{"account_id.account_type": ("in", ("income", "income_other"))}
        )
        expense = self._balance(**{"account_id.account_type": ("like", "expense")})
        # revenue is exactly what the bills charge, and nothing else
        self.assertEqual(income, billed)
        self.assertEqual(kpis["total_income"], income)
        self.assertEqual(
            kpis["water_revenue"],
            -self._balance(**{"account_id.code": ("=", "41100010")}),
        )
        self.assertEqual(
            kpis["water_revenue"] + kpis["fixed_charges"] + kpis["admin_fees"], billed
        )
        self.assertEqual(kpis["exp_power"], 350000)
        self.assertEqual(kpis["total_expenses"], expense)
        self.assertEqual(kpis["profit"], income - expense)

    def _assert_balance_sheet(self, credit_left):
        kpis = self._mis("tirta_account.mis_report_balance_sheet", YEAR_START, AS_OF)
        receivable = self._balance(
            **{"account_id.account_type": ("=", "asset_receivable")}
        )
        # receivables: what the bills still owe, less the advance left over
        self.assertEqual(
            receivable, sum(self._bills().mapped("amount_residual")) - credit_left
        )
        self.assertEqual(kpis["receivables"], receivable)
        # the counter's cash is in the drawer's account, not in transit
        cash = self._balance(**{"account_id.account_type": ("=", "asset_cash")})
        self.assertEqual(
            cash,
            self._balance(
                **{"account_id": ("=", self.cash_journal.default_account_id.id)}
            ),
        )
        self.assertEqual(kpis["cash"] + kpis["bank"], cash)
        self.assertEqual(
            kpis["current_result"],
            -self._balance(
                **{"account_id.internal_group": ("in", ("income", "expense"))}
            ),
        )
        self.assertEqual(kpis["total_assets"], kpis["total_liabilities_equity"])

    def _assert_cash_book(self, received, paid_out):
        wizard = self._wizard(
            "cash_book", journal_ids=[Command.set(self.cash_journal.ids)]
        )
        [row] = wizard._get_cash_book_rows()
        _name, opening, amount_in, amount_out, closing = row
        self.assertEqual(opening, 0)
        self.assertEqual(amount_in, received)
        self.assertEqual(amount_out, paid_out)
        self.assertEqual(
            closing,
            self._balance(
                **{"account_id": ("=", self.cash_journal.default_account_id.id)}
            ),
        )

    def _assert_arrears(self):
        wizard = self._wizard("arrears")
        lines = wizard._get_arrears_lines(as_of=AS_OF)
        self.assertEqual(
            sum(line["residual"] for line in lines),
            sum(self._bills().mapped("amount_residual")),
        )
        # three unpaid months or more: the disconnection list's candidates
        overdue = {line["connection_id"] for line in lines if line["aging"] == "3"}
        self.assertTrue(overdue)

    def _assert_collection(self, collected):
        """Collected: what payments settled of the bills, the advance's share
        included, its unused credit not."""
        wizard = self._wizard("collection")
        [(bills, billed, found)] = wizard._get_collection_figures(None)
        posted = self._bills()
        self.assertEqual(bills, len(posted))
        self.assertEqual(billed, sum(posted.mapped("amount_total")))
        self.assertEqual(found, collected)
        self.assertEqual(
            found,
            sum(posted.mapped("amount_total")) - sum(posted.mapped("amount_residual")),
        )

    def _assert_village_meeting_report(self):
        wizard = self._wizard("lpj")
        values = wizard._get_lpj_values()
        income = -self._balance(
            **{"account_id.account_type": ("in", ("income", "income_other"))}
        )
        self.assertEqual(values["total_income"], income)
        self.assertEqual(values["total_expense"], 350000)
        self.assertEqual(values["result"], income - 350000)
        self.assertEqual(
            values["arrears"], sum(self._bills().mapped("amount_residual"))
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("tirta_account.action_report_water_lpj", wizard.ids)[0]
            .decode()
        )
        self.assertIn("<svg", html)
