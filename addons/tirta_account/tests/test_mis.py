from datetime import date

from odoo.tests import tagged

from .common import TirtaAccountCommon, mis_kpis


@tagged("post_install", "-at_install")
class TestFinancialStatements(TirtaAccountCommon):
    def _kpis(self, xmlid, date_from, date_to):
        return mis_kpis(self.env.ref(xmlid), self.company, date_from, date_to)

    def _sum(self, field, date_from, date_to, **domain):
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "=", self.company.id),
                ("parent_state", "=", "posted"),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                *[(name, op, value) for name, (op, value) in domain.items()],
            ]
        )
        return sum(lines.mapped(field))

    def test_income_statement(self):
        start, end = date(2026, 9, 1), date(2026, 10, 31)
        kpis = self._kpis("tirta_account.mis_report_income_statement", start, end)
        income = -self._sum(
            "balance",
            start,
            end,
            **{"account_id.account_type": ("in", ("income", "income_other"))},
        )
        expense = self._sum(
            "balance",
            start,
            end,
            **{
                "account_id.account_type": (
                    "in",
                    ("expense", "expense_depreciation", "expense_direct_cost"),
                )
            },
        )
        self.assertEqual(income, 292500)
        self.assertEqual(expense, 20000)
        self.assertAlmostEqual(kpis["total_income"], income)
        self.assertAlmostEqual(kpis["total_expenses"], expense)
        self.assertAlmostEqual(kpis["profit"], income - expense)
        self.assertAlmostEqual(kpis["exp_office"], 20000)
        self.assertAlmostEqual(kpis["exp_other"], 0)
        self.assertAlmostEqual(
            kpis["water_revenue"],
            -self._sum(
                "balance", start, end, account_id=("=", self.accounts["41100010"].id)
            ),
        )
        self.assertAlmostEqual(
            sum(
                kpis[name]
                for name in (
                    "water_revenue",
                    "fixed_charges",
                    "admin_fees",
                    "penalties",
                    "connection_fees",
                    "other_income",
                )
            ),
            income,
        )

    def test_balance_sheet(self):
        end = date(2026, 10, 31)
        kpis = self._kpis("tirta_account.mis_report_balance_sheet", end, end)
        receivable = self._sum(
            "balance",
            date(2000, 1, 1),
            end,
            **{"account_id.account_type": ("=", "asset_receivable")},
        )
        self.assertAlmostEqual(kpis["receivables"], receivable)
        self.assertAlmostEqual(
            kpis["cash"],
            self._sum(
                "balance",
                date(2000, 1, 1),
                end,
                account_id=("=", self.journal_cash.default_account_id.id),
            ),
        )
        self.assertAlmostEqual(kpis["cash"], 87000)
        self.assertAlmostEqual(kpis["total_assets"], kpis["total_liabilities_equity"])
        self.assertAlmostEqual(kpis["current_result"], 272500)
