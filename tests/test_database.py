"""The database that scripts/test builds: what every other suite stands on."""

import ast
import os
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ADDONS_DIR = Path(
    os.environ.get("TIRTA_ADDONS_DIR") or Path(__file__).resolve().parents[1] / "addons"
)


def installable_addons():
    names = []
    for manifest in ADDONS_DIR.glob("*/__manifest__.py"):
        if ast.literal_eval(manifest.read_text()).get("installable", True):
            names.append(manifest.parent.name)
    return names


# Suites outside an addon must be tagged: Odoo tags only addon tests by itself.
@tagged("post_install", "-at_install")
class TestDatabase(TransactionCase):
    def test_main_company_is_indonesian(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id.code, "ID")
        self.assertEqual(company.currency_id.name, "IDR")

    def test_indonesian_chart_of_accounts(self):
        if "chart_template" not in self.env["res.company"]._fields:
            self.skipTest("account is not installed")
        self.assertEqual(self.env.ref("base.main_company").chart_template, "id")

    def test_our_addons_are_installed(self):
        names = installable_addons()
        installed = self.env["ir.module.module"].search(
            [("name", "in", names), ("state", "=", "installed")]
        )
        self.assertCountEqual(installed.mapped("name"), names)
