from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TirtaWaterCommon


@tagged("post_install", "-at_install")
class TestAccounts(TirtaWaterCommon):
    def test_account_set(self):
        """Loading the Indonesian chart gives the board's accounts by code."""
        expected = {
            "41100010": ("Pendapatan Air", "income"),
            "41100020": ("Pendapatan Abonemen", "income"),
            "41100030": ("Pendapatan Administrasi", "income"),
            "41100040": ("Pendapatan Denda", "income"),
            "41100050": ("Pendapatan Sambungan Baru", "income"),
            "41100060": ("Pendapatan Penyambungan Kembali", "income"),
            "11110100": ("Kas Loket", "asset_cash"),
            "11110200": ("Kas Penagih", "asset_cash"),
            "61200010": ("Listrik Pompa", "expense"),
            "61200020": ("Perbaikan dan Pemeliharaan Jaringan", "expense"),
            "61200030": ("Bahan Kimia (Kaporit)", "expense"),
            "61200040": ("Honor Pengurus dan Operator", "expense"),
            "61200050": ("Biaya Kantor dan ATK", "expense"),
        }
        for code, (name, account_type) in expected.items():
            account = self._account(code)
            self.assertRecordValues(
                account,
                [
                    {
                        "code": code,
                        "name": name,
                        "account_type": account_type,
                        "company_ids": self.company.ids,
                    }
                ],
            )
        # the chart's receivable stays the customers' account
        self.assertEqual(
            self.company_data["default_account_receivable"].code, "11210010"
        )
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("code", "in", ("KLKT", "KPNG"))],
            order="code",
        )
        self.assertRecordValues(
            journals,
            [
                {
                    "code": "KLKT",
                    "name": "Kas Loket",
                    "type": "cash",
                    "default_account_id": self._account("11110100").id,
                    "loss_account_id": self._account("99900001").id,
                    "profit_account_id": self._account("99900002").id,
                },
                {
                    "code": "KPNG",
                    "name": "Kas Penagih",
                    "type": "cash",
                    "default_account_id": self._account("11110200").id,
                    "loss_account_id": self._account("99900001").id,
                    "profit_account_id": self._account("99900002").id,
                },
            ],
        )
        for journal in journals:
            methods = (
                journal.inbound_payment_method_line_ids
                | journal.outbound_payment_method_line_ids
            )
            # cash payments post to the drawer's account, not to outstanding
            self.assertEqual(methods.payment_account_id, journal.default_account_id)
        products = {
            "product_water_consumption": "41100010",
            "product_water_fixed_charge": "41100020",
            "product_water_admin_fee": "41100030",
            "product_water_flat_rate": "41100010",
            "product_water_penalty": "41100040",
            "product_water_connection_fee": "41100050",
            "product_water_reconnection_fee": "41100060",
        }
        for xmlid, code in products.items():
            product = self.env.ref(f"tirta_water.{xmlid}").with_company(self.company)
            self.assertEqual(product._get_product_accounts()["income"].code, code)

    def test_account_set_idempotent(self):
        """Setting the set up again creates no second account or journal."""
        accounts = self.env["account.account"].search_count([])
        journals = self.env["account.journal"].search_count([])
        self.company._setup_water_accounts()
        self.assertEqual(self.env["account.account"].search_count([]), accounts)
        self.assertEqual(self.env["account.journal"].search_count([]), journals)

    def test_bill_income_accounts(self):
        """A metered bill credits water, fixed charge and admin fee apart."""
        connection = self._create_connection(opening=1348)
        self._read(connection, self.period_oct, 1371)
        invoice = self._bill(self.period_oct)
        revenue = invoice.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(
            [(line.account_id.code, line.credit) for line in revenue.sorted("id")],
            [
                ("41100010", 15000),
                ("41100010", 25000),
                ("41100010", 10500),
                ("41100020", 6000),
                ("41100030", 2000),
            ],
        )
        receivable = invoice.line_ids - revenue
        self.assertEqual(receivable.account_id.code, "11210010")
        self.assertEqual(receivable.debit, 58500)

    def test_expense_entry(self):
        """An operating expense is one posted entry: expense against cash."""
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("code", "=", "KLKT")]
        )
        wizard = self.env["water.expense.entry"].create(
            {
                "date": "2026-10-15",
                "account_id": self._account("61200010").id,
                "journal_id": journal.id,
                "amount": 350000,
                "note": "Tagihan listrik pompa Oktober",
            }
        )
        self.assertEqual(
            sorted(wizard.allowed_account_ids.mapped("code")),
            ["61200010", "61200020", "61200030", "61200040", "61200050"],
        )
        action = wizard.action_confirm()
        move = self.env["account.move"].browse(action["res_id"])
        self.assertRecordValues(
            move,
            [
                {
                    "state": "posted",
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "ref": "Tagihan listrik pompa Oktober",
                }
            ],
        )
        self.assertEqual(
            sorted(
                (line.account_id.code, line.debit, line.credit)
                for line in move.line_ids
            ),
            [("11110100", 0, 350000), ("61200010", 350000, 0)],
        )

    def test_expense_entry_refuses_bad_amount(self):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("code", "=", "KPNG")]
        )
        wizard = self.env["water.expense.entry"].create(
            {
                "account_id": self._account("61200030").id,
                "journal_id": journal.id,
                "amount": 0,
                "note": "Kaporit",
            }
        )
        moves = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "must be positive"):
            wizard.action_confirm()
        self.assertEqual(self.env["account.move"].search_count([]), moves)

    def test_company_without_indonesian_chart(self):
        """Another chart gets no account with the board's codes."""
        company = self.env["res.company"].create({"name": "Other Board"})
        self.env.user.company_ids = [Command.link(company.id)]
        company._setup_water_accounts()
        self.assertFalse(company._get_water_account("41100010"))
