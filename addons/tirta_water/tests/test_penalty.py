from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ADMIN_FEE, FLAT_AMOUNT, TirtaWaterCommon

BILL = FLAT_AMOUNT + ADMIN_FEE  # 27,000 per flat-rate bill


@tagged("post_install", "-at_install")
class TestPenalty(TirtaWaterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "water_penalty_enabled": True,
                "water_penalty_mode": "fixed_bill",
                "water_penalty_amount": 5000,
                "water_penalty_rate": 10,
                "water_penalty_grace_days": 0,
                "water_penalty_charge": "next_bill",
            }
        )
        cls.penalty_product = cls.env.ref("tirta_water.product_water_penalty")

    def setUp(self):
        super().setUp()
        self.late = self._create_connection(billing_type="flat")
        self.payer = self._create_connection(billing_type="flat")
        bills = self._bill(self.period_sep)
        self.late_bill = bills.filtered(lambda b: b.water_connection_id == self.late)
        self.paid_bill = bills - self.late_bill
        self._pay(self.paid_bill, date=date(2026, 9, 15))

    def _apply(self, day):
        return self.env["water.penalty"]._apply_penalties(self.company, day)

    def _penalties(self):
        return self.env["water.penalty"].search(
            [("bill_id", "in", (self.late_bill | self.paid_bill).ids)],
            order="late_month",
        )

    def test_fixed_per_bill_once(self):
        """One penalty per late bill, however often the job runs; paid bills none."""
        self.assertFalse(self._apply(date(2026, 9, 20)), "not late on the due date")
        self._apply(date(2026, 9, 21))
        self._apply(date(2026, 9, 21))
        self._apply(date(2026, 10, 25))
        self.assertRecordValues(
            self._penalties(),
            [
                {
                    "bill_id": self.late_bill.id,
                    "connection_id": self.late.id,
                    "late_month": 1,
                    "date": date(2026, 9, 21),
                    "amount": 5000,
                    "state": "pending",
                    "charge_mode": "next_bill",
                }
            ],
        )

    def test_fixed_per_month_late(self):
        """Per-month mode: once per month late, never twice in one month."""
        self.company.water_penalty_mode = "fixed_month"
        self.company.water_penalty_amount = 3000
        self._apply(date(2026, 9, 21))
        self._apply(date(2026, 10, 20))
        self.assertEqual(len(self._penalties()), 1)
        self._apply(date(2026, 10, 21))
        self._apply(date(2026, 11, 2))
        self._apply(date(2026, 11, 21))
        self.assertRecordValues(
            self._penalties(),
            [
                {"late_month": 1, "amount": 3000, "date": date(2026, 9, 21)},
                {"late_month": 2, "amount": 3000, "date": date(2026, 10, 21)},
                {"late_month": 3, "amount": 3000, "date": date(2026, 11, 21)},
            ],
        )
        self.assertEqual(self._penalties().bill_id, self.late_bill)

    def test_per_month_catches_up(self):
        """A job that did not run for months adds each missed month once."""
        self.company.water_penalty_mode = "fixed_month"
        self._apply(date(2026, 11, 25))
        self._apply(date(2026, 11, 26))
        self.assertRecordValues(
            self._penalties(),
            [
                {"late_month": 1, "amount": 5000, "date": date(2026, 9, 21)},
                {"late_month": 2, "amount": 5000, "date": date(2026, 10, 21)},
                {"late_month": 3, "amount": 5000, "date": date(2026, 11, 21)},
            ],
        )

    def test_percentage_and_grace_days(self):
        """Percentage of the bill, after the grace days only."""
        self.company.water_penalty_mode = "percent"
        self.company.water_penalty_grace_days = 5
        self.assertFalse(self._apply(date(2026, 9, 25)))
        penalty = self._apply(date(2026, 9, 26))
        self.assertRecordValues(
            penalty, [{"bill_id": self.late_bill.id, "amount": 2700}]
        )
        self.assertEqual(BILL * 10 / 100, 2700)

    def test_charged_on_next_bill(self):
        """A pending penalty is a line of the next bill, on 41100040."""
        penalty = self._apply(date(2026, 9, 21))
        october = self._bill(self.period_oct)
        bill = october.filtered(lambda b: b.water_connection_id == self.late)
        self.assertEqual(bill.amount_total, BILL + 5000)
        line = bill.invoice_line_ids.filtered(
            lambda line: line.product_id == self.penalty_product
        )
        self.assertRecordValues(
            line,
            [
                {
                    "name": f"Late-payment penalty, bill {self.late_bill.name}",
                    "quantity": 1,
                    "price_unit": 5000,
                    "credit": 5000,
                    "water_penalty_id": penalty.id,
                }
            ],
        )
        self.assertEqual(line.account_id, self._account("41100040"))
        self.assertRecordValues(
            penalty,
            [
                {
                    "state": "charged",
                    "charge_line_id": line.id,
                    "charge_move_id": bill.id,
                }
            ],
        )
        # the payer's October bill has no penalty
        self.assertEqual((october - bill).amount_total, BILL)
        # charged once: November has none from September
        self._apply(date(2026, 9, 30))
        november = self._bill(self.period_nov).filtered(
            lambda b: b.water_connection_id == self.late
        )
        self.assertFalse(
            november.invoice_line_ids.filtered(
                lambda line: line.product_id == self.penalty_product
            )
        )

    def test_cancelled_bill_gives_penalty_back(self):
        penalty = self._apply(date(2026, 9, 21))
        bill = self._bill(self.period_oct).filtered(
            lambda b: b.water_connection_id == self.late
        )
        bill.button_cancel()
        self.assertRecordValues(
            penalty, [{"state": "pending", "charge_line_id": False}]
        )

    def test_charged_on_own_invoice(self):
        """Own-invoice mode: the job posts one penalty invoice per connection."""
        self.company.water_penalty_charge = "invoice"
        penalty = self._apply(date(2026, 9, 21))
        invoice = penalty.charge_move_id
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": self.late.partner_id.id,
                    "water_connection_id": self.late.id,
                    "water_period_id": False,
                    "invoice_date": date(2026, 9, 21),
                    "amount_total": 5000,
                }
            ],
        )
        self.assertEqual(penalty.state, "charged")
        self.assertEqual(
            sorted(
                (line.account_id.code, line.debit, line.credit)
                for line in invoice.line_ids
            ),
            [("11210010", 5000, 0), ("41100040", 0, 5000)],
        )
        # a penalty invoice is not a water bill: it gets no penalty itself
        self._apply(date(2026, 12, 1))
        self.assertFalse(
            self.env["water.penalty"].search([("bill_id", "=", invoice.id)])
        )
        # nor is it charged again on the next bill
        october = self._bill(self.period_oct)
        self.assertEqual(october.mapped("amount_total"), [BILL, BILL])

    def test_waive(self):
        """A waived penalty is never charged, nor created again."""
        penalty = self._apply(date(2026, 9, 21))
        wizard = self.env["water.penalty.waive"].create(
            {"penalty_ids": [(6, 0, penalty.ids)], "reason": " "}
        )
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_confirm()
        self.assertEqual(penalty.state, "pending")
        wizard.reason = "Pelanggan lansia, disetujui rapat pengurus"
        wizard.action_confirm()
        self.assertRecordValues(
            penalty,
            [
                {
                    "state": "waived",
                    "waive_reason": "Pelanggan lansia, disetujui rapat pengurus",
                }
            ],
        )
        self.assertIn(
            "Pelanggan lansia, disetujui rapat pengurus",
            penalty.message_ids[0].body,
        )
        self.assertFalse(self._apply(date(2026, 9, 22)))
        october = self._bill(self.period_oct)
        self.assertEqual(october.mapped("amount_total"), [BILL, BILL])
        with self.assertRaisesRegex(UserError, "Only pending penalties"):
            penalty._waive("again")

    def test_cron_uses_enabled_companies(self):
        """The daily job charges nothing while penalties are switched off."""
        self.company.water_penalty_enabled = False
        self.env["water.penalty"]._cron_apply_penalties()
        self.assertFalse(self._penalties())

    def test_access(self):
        """Cashiers read penalties; readers see none; only managers waive."""
        penalty = self._apply(date(2026, 9, 21))
        cashier = new_test_user(
            self.env,
            "penalty_cashier",
            groups="tirta_water.group_water_cashier",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        reader = new_test_user(
            self.env,
            "penalty_reader",
            groups="tirta_water.group_water_reader",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertEqual(penalty.with_user(cashier).amount, 5000)
        with self.assertRaises(AccessError):
            penalty.with_user(cashier).write({"amount": 0})
        with self.assertRaises(AccessError):
            self.env["water.penalty.waive"].with_user(cashier).create(
                {"penalty_ids": [(6, 0, penalty.ids)], "reason": "x"}
            )
        with self.assertRaises(AccessError):
            self.env["water.penalty"].with_user(reader).search([])
