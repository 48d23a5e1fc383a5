from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TirtaAccountCommon

REPORT_MODELS = [
    "water.collection.report",
    "water.arrears.report",
    "water.consumption.report",
    "water.nrw.report",
    "water.cash.book.report",
    "water.production.reading",
]


@tagged("post_install", "-at_install")
class TestReportAccess(TirtaAccountCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = cls.env["res.users"].create(
            {
                "name": "Petugas Baca",
                "login": "tirta_account_reader",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("tirta_water.group_water_reader").id])
                ],
            }
        )
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Ketua",
                "login": "tirta_account_manager",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("tirta_water.group_water_manager").id])
                ],
            }
        )

    def test_reader_and_cashier_cannot_read_reports(self):
        for user in (self.reader, self.cashier):
            for model in REPORT_MODELS + ["water.report.wizard"]:
                with self.assertRaises(AccessError, msg=f"{user.name} {model}"):
                    self.env[model].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["water.report.wizard"].with_user(user).create(
                    {"report": "collection"}
                )

    def test_manager_reads_reports_and_enters_production(self):
        env = self.env(user=self.manager)
        rows = env["water.collection.report"].search(
            [("connection_id", "in", self.connections.ids)]
        )
        self.assertEqual(sum(rows.mapped("amount_billed")), 292500)
        reading = env["water.production.reading"].create(
            {
                "meter_id": self.production_meter.id,
                "period_id": self.periods[11].id,
                "date": date(2026, 11, 30),
                "current_index": 1200,
            }
        )
        self.assertEqual(reading.produced, 50)
        wizard = env["water.report.wizard"].create(
            {"report": "lpj", "range_type": "year", "year": 2026}
        )
        self.assertEqual(wizard._get_lpj_values()["billed"], 292500)
