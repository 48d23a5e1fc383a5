from urllib.parse import unquote

from odoo.tests import tagged

from .common_counter import TirtaCounterCommon

REPORT_ROLL = "tirta_ebilling.action_report_water_receipt_roll"
REPORT_A4 = "tirta_ebilling.action_report_water_receipt_a4"


@tagged("post_install", "-at_install")
class TestReceipt(TirtaCounterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # September and part of October paid; 42,000 still owed
        cls.payment = cls._pay_class(50000)

    @classmethod
    def _pay_class(cls, amount):
        counter = (
            cls.env["water.counter"]
            .with_user(cls.cashier)
            .create({"search_code": cls.connection.name})
        )
        counter.flush_recordset()
        counter.amount = amount
        counter.action_pay()
        return counter.payment_id

    def _render(self, report):
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(
            report, self.payment.ids
        )
        self.assertEqual(report_type, "html")
        return html.decode()

    def test_receipt_values(self):
        values = self.payment._get_water_receipt_values()
        self.assertEqual(
            [(line["label"], line["amount"]) for line in values["lines"]],
            [("2026-09", 26000), ("2026-10", 24000)],
        )
        self.assertEqual(values["amount_applied"], 50000)
        self.assertEqual(values["amount_credit"], 0)
        self.assertEqual(values["amount_owed"], 42000)
        self.assertEqual(values["connection"], self.connection)
        self.assertEqual(values["cashier"], self.cashier)

    def test_paper_formats_are_bound(self):
        roll = self.env.ref(REPORT_ROLL)
        a4 = self.env.ref(REPORT_A4)
        for report in roll | a4:
            self.assertEqual(report.model, "account.payment")
            self.assertEqual(report.binding_model_id.model, "account.payment")
            self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(roll.paperformat_id.format, "custom")
        self.assertEqual(roll.paperformat_id.page_width, 58)
        self.assertEqual(a4.paperformat_id.format, "A4")
        self.assertNotEqual(roll.paperformat_id, a4.paperformat_id)

    def test_receipts_render(self):
        for report in (REPORT_ROLL, REPORT_A4):
            with self.subTest(report=report):
                html = self._render(report)
                self.assertIn(self.payment.name, html)
                self.assertIn("TM-0042", html)
                self.assertIn("Suparman Hadi", html)
                self.assertIn("Siti Kasir", html)
                for text in ("2026-09", "26,000", "2026-10", "24,000", "50,000"):
                    self.assertIn(text, html)
                self.assertNotIn("2026-11", html)
                owed = html.split("o_water_receipt_owed", 1)[1]
                self.assertIn("42,000", owed.split("</tr>", 1)[0])

    def test_receipt_by_whatsapp(self):
        url = self.payment._get_water_receipt_whatsapp_url()
        prefix = "https://wa.me/6281234567890?text="
        self.assertTrue(url.startswith(prefix), url)
        text = unquote(url[len(prefix) :])
        self.assertIn(f"Receipt: {self.payment.name}", text)
        self.assertIn("Connection: TM-0042", text)
        self.assertIn("Customer: Suparman Hadi", text)
        self.assertIn("- 2026-09: Rp\xa026,000", text)
        self.assertIn("- 2026-10: Rp\xa024,000", text)
        self.assertIn("Amount paid: Rp\xa050,000", text)
        self.assertIn("Still owed: Rp\xa042,000", text)
        self.assertNotIn("credit", text)

        action = self.payment.action_water_receipt_whatsapp()
        self.assertEqual(action["url"], url)
        self.assertEqual(action["target"], "new")

        # no phone: WhatsApp lets the cashier pick the contact
        self.partner.mobile = False
        self.assertTrue(
            self.payment._get_water_receipt_whatsapp_url().startswith(
                "https://wa.me/?text="
            )
        )

    def test_phone_numbers(self):
        number = self.env["account.payment"]._water_whatsapp_number
        self.assertEqual(number("0812-3456-7890"), "6281234567890")
        self.assertEqual(number("+62 812 3456 7890"), "6281234567890")
        self.assertEqual(number("812 3456 7890"), "6281234567890")
        self.assertEqual(number(False), "")
        self.assertEqual(number("12"), "")

    def test_receipt_of_a_payment_outside_the_counter(self):
        """A payment registered on the bill has a receipt too; what is still
        owed is read when it is printed."""
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=self.bill_nov.ids)
            .create({"journal_id": self.bank_journal.id})
        )
        payment = wizard._create_payments()
        values = payment._get_water_receipt_values()
        self.assertEqual(values["connection"], self.connection)
        self.assertEqual(
            [(line["label"], line["amount"]) for line in values["lines"]],
            [("2026-11", 23000)],
        )
        # October's rest after the counter payment of the class
        self.assertEqual(values["amount_owed"], 19000)
        self.assertFalse(payment.water_cashier_session_id)
