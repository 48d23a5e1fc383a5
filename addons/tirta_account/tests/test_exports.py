import io
from datetime import date

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TirtaAccountCommon


@tagged("post_install", "-at_install")
class TestExports(TirtaAccountCommon):
    def _xlsx_cells(self, wizard):
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "tirta_account.report_water_table_xlsx", wizard.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def _html(self, report, wizard):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            report, wizard.ids
        )
        return html.decode()

    def test_collection_xlsx(self):
        wizard = self._wizard("collection", date(2026, 9, 1), date(2026, 10, 31))
        rows = self._xlsx_cells(wizard)
        self.assertEqual(rows[0][0], "Billing and Collection")
        totals = next(row for row in rows if row[0] == "Total")
        self.assertEqual(totals[1:5], [8, 292500, 157000, 53.68])

    def test_arrears_xlsx(self):
        wizard = self._wizard("arrears", date(2026, 1, 1), date(2026, 11, 10))
        rows = self._xlsx_cells(wizard)
        c2 = next(row for row in rows if row[0] == self.c2.name)
        self.assertEqual(c2[3:8], [0, 15500, 14500, 0, 30000])

    def test_every_report_exports(self):
        for report in ("consumption", "nrw", "cash_book", "lpj"):
            wizard = self._wizard(report, date(2026, 9, 1), date(2026, 10, 31))
            rows = self._xlsx_cells(wizard)
            self.assertTrue(rows[0][0], report)
        wizard = self._wizard("nrw", date(2026, 9, 1), date(2026, 10, 31))
        rows = self._xlsx_cells(wizard)
        totals = next(row for row in rows if row[0] == "Total")
        self.assertEqual(totals[1:5], [150, 80, 70, 46.67])

    def test_collection_pdf(self):
        wizard = self._wizard("collection", date(2026, 9, 1), date(2026, 10, 31))
        html = self._html("tirta_account.report_water_table", wizard)
        self.assertIn("Billing and Collection", html)
        self.assertIn("163,000", html)
        self.assertIn("66.87", html)
        self.assertIn("292,500", html)
        action = wizard.with_context(discard_logo_check=True).action_print_pdf()
        self.assertEqual(action["report_name"], "tirta_account.report_water_table")

    def test_cash_book_pdf(self):
        wizard = self._wizard(
            "cash_book",
            date(2026, 10, 1),
            date(2026, 10, 31),
            journal_ids=self.journal_cash.ids,
        )
        html = self._html("tirta_account.report_water_table", wizard)
        self.assertIn("59,000", html)
        self.assertIn("87,000", html)

    def test_lpj_month(self):
        wizard = self.env["water.report.wizard"].create(
            {"report": "lpj", "range_type": "month", "month": date(2026, 10, 15)}
        )
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2026, 10, 1), date(2026, 10, 31))
        )
        values = wizard._get_lpj_values()
        self.assertEqual(
            (values["billed"], values["collected"], values["efficiency"]),
            (129500, 48000, 37.07),
        )
        self.assertEqual((values["produced"], values["billed_m3"]), (50, 35))
        self.assertEqual(values["nrw_rate"], 30.0)
        # both months billed (292,500) less all payments made by 31 October
        self.assertEqual(values["arrears"], 292500 - 157000)
        self.assertEqual(
            (values["total_income"], values["total_expense"], values["result"]),
            (129500, 20000, 109500),
        )
        html = self._html("tirta_account.report_water_lpj", wizard)
        self.assertIn("Accountability Report", html)
        self.assertIn("129,500", html)
        self.assertIn("109,500", html)
        self.assertEqual(html.count("<rect"), 4)  # 1 month x 2 bars x 2 charts
        action = wizard.with_context(discard_logo_check=True).action_print_pdf()
        self.assertEqual(action["report_name"], "tirta_account.report_water_lpj")

    def test_lpj_year(self):
        wizard = self.env["water.report.wizard"].create(
            {"report": "lpj", "range_type": "year", "year": 2026}
        )
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2026, 1, 1), date(2026, 12, 31))
        )
        values = wizard._get_lpj_values()
        self.assertEqual((values["billed"], values["collected"]), (292500, 157000))
        self.assertEqual(values["arrears"], 135500)
        self.assertEqual(values["result"], 292500 - 20000)
        self.assertEqual(values["cash_total"], 87000 + 50000)
        self.assertEqual([m["label"] for m in values["months"]], ["09/2026", "10/2026"])
        html = self._html("tirta_account.report_water_lpj", wizard)
        self.assertEqual(html.count("<rect"), 8)
        self.assertIn("157,000", html)
        self.assertIn("137,000", html)

    def test_lpj_in_the_board_language(self):
        """The LPJ is printed in the company's language, Indonesian here."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["tirta_account"], ["id_ID"], overwrite=True
        )
        self.company.partner_id.lang = "id_ID"
        wizard = self.env["water.report.wizard"].create(
            {"report": "lpj", "range_type": "month", "month": date(2026, 10, 1)}
        )
        html = self._html("tirta_account.report_water_lpj", wizard)
        self.assertIn("Laporan Pertanggungjawaban Pengelola Air Minum", html)
        self.assertIn("Efisiensi penagihan (%)", html)
        self.assertIn("129.500", html)  # Indonesian thousands separator
        self.assertIn("01-10-2026 s.d. 31-10-2026", html)
        wizard.report = "arrears"
        rows = self._xlsx_cells(wizard)
        self.assertEqual(rows[0][0], "Umur Tunggakan")

    def test_range_refused(self):
        wizard = self._wizard("collection", date(2026, 10, 31), date(2026, 10, 1))
        with self.assertRaisesRegex(UserError, "cannot start"):
            wizard.action_print_xlsx()
