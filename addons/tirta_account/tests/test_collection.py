from datetime import date

from odoo.tests import tagged

from .common import TirtaAccountCommon


@tagged("post_install", "-at_install")
class TestCollection(TirtaAccountCommon):
    def _figures(self, domain, groupby):
        return {
            group: (count, billed, collected)
            for group, count, billed, collected in self.env[
                "water.collection.report"
            ]._read_group(
                [("connection_id", "in", self.connections.ids), *domain],
                [groupby],
                ["bill_count:sum", "amount_billed:sum", "amount_collected:sum"],
            )
        }

    def test_bills_amounts(self):
        """The scenario's bills are what village A's tariff says."""
        self.assertEqual(
            [self.bill[c, 9].amount_total for c in self.connections],
            [32000, 14500, 89500, 27000],
        )
        self.assertEqual(
            [self.bill[c, 10].amount_total for c in self.connections],
            [48000, 15500, 39000, 27000],
        )

    def test_billed_equals_receivable_debits(self):
        """Billed per period = the bills' receivable journal items."""
        figures = self._figures([], "period_id")
        for period, bills in (
            (self.period_sep, self.bills_sep),
            (self.period_oct, self.bills_oct),
        ):
            receivable = self._receivable_lines(move_id=("in", bills.ids))
            self.assertEqual(figures[period][0], 4)
            self.assertEqual(figures[period][1], sum(receivable.mapped("debit")))
        self.assertEqual(figures[self.period_sep][1], 163000)
        self.assertEqual(figures[self.period_oct][1], 129500)

    def test_collected_equals_payments(self):
        """Collected on a period's bills = the payments' receivable credits."""
        figures = self._figures([], "period_id")
        payment_lines = self._receivable_lines(
            move_id=("in", self.payments.move_id.ids)
        )
        self.assertEqual(
            sum(figures[p][2] for p in (self.period_sep, self.period_oct)),
            sum(payment_lines.mapped("credit")),
        )
        self.assertEqual(figures[self.period_sep][2], 32000 + 27000 + 50000)
        self.assertEqual(figures[self.period_oct][2], 48000)

    def test_collected_by_month_of_payment(self):
        """Grouped by date, collection falls in the month of the payment."""
        figures = self._figures([("kind", "=", "collection")], "date:month")
        self.assertEqual(
            {month.month: values[2] for month, values in figures.items()},
            {9: 32000 + 27000, 10: 50000 + 48000},
        )

    def test_collection_efficiency(self):
        """Efficiency is collected / billed of the group, not an average."""
        rows = self.env["water.collection.report"].read_group(
            [("connection_id", "in", self.connections.ids)],
            ["collection_rate"],
            ["period_id"],
        )
        rates = {row["period_id"][0]: row["collection_rate"] for row in rows}
        self.assertEqual(rates[self.period_sep.id], 66.87)  # 109,000 / 163,000
        self.assertEqual(rates[self.period_oct.id], 37.07)  # 48,000 / 129,500

    def test_by_route_and_tariff(self):
        by_route = self._figures([("period_id", "=", self.period_sep.id)], "route_id")
        self.assertEqual(by_route[self.route_a], (2, 32000 + 89500, 32000 + 50000))
        self.assertEqual(by_route[self.route_b], (2, 14500 + 27000, 27000))
        by_tariff = self._figures([("period_id", "=", self.period_sep.id)], "tariff_id")
        self.assertEqual(by_tariff[self.tariff_niaga], (1, 89500, 50000))

    def test_credit_note_is_not_collection(self):
        """A bill settled by a credit note is not collected money."""
        refund = self.bill[self.c2, 9]._reverse_moves(
            [{"date": date(2026, 10, 25)}], cancel=True
        )
        self.assertEqual(refund.state, "posted")
        figures = self._figures([], "period_id")
        self.assertEqual(figures[self.period_sep][2], 109000)

    def test_wizard_tables(self):
        """The printed table shows the same figures and the ratio of totals."""
        wizard = self._wizard("collection", date(2026, 9, 1), date(2026, 10, 31))
        data = wizard._get_report_data()
        by_period = data["tables"][0]
        self.assertEqual(
            [row[1:] for row in by_period["rows"]],
            [[4, 163000, 109000, 66.87], [4, 129500, 48000, 37.07]],
        )
        self.assertEqual(by_period["totals"][1:], [8, 292500, 157000, 53.68])
        # printed for September only, October's payment on its bill is outside
        wizard = self._wizard("collection", date(2026, 9, 1), date(2026, 9, 30))
        totals = wizard._get_report_data()["tables"][0]["totals"]
        self.assertEqual(totals[1:], [4, 163000, 59000, 36.2])
