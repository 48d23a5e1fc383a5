from datetime import date

from odoo.tests import tagged

from .common import ADMIN_FEE, FLAT_AMOUNT, TirtaWaterCommon

BILL = FLAT_AMOUNT + ADMIN_FEE


@tagged("post_install", "-at_install")
class TestAdvance(TirtaWaterCommon):
    def _advance(self, partner, amount, day):
        payment = self.env["account.payment"].create(
            {
                "amount": amount,
                "date": day,
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        return payment

    def _credit_line(self, payment):
        return payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_advance_paid_into_next_bills(self):
        """Credits pay the new bills, oldest first, when the run posts them."""
        connection = self._create_connection(billing_type="flat")
        other = self._create_connection(billing_type="flat")
        partner = connection.partner_id
        first = self._advance(partner, 50000, date(2026, 8, 25))
        second = self._advance(partner, 10000, date(2026, 9, 1))
        first_line, second_line = self._credit_line(first), self._credit_line(second)

        september = self._bill(self.period_sep)
        bill = september.filtered(lambda b: b.water_connection_id == connection)
        receivable = bill.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(bill.amount_residual, 0)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(receivable.matched_credit_ids.credit_move_id, first_line)
        self.assertEqual(first_line.amount_residual, -(50000 - BILL))
        self.assertEqual(second_line.amount_residual, -10000)
        # another customer's bill is untouched
        self.assertEqual((september - bill).amount_residual, BILL)

        october = self._bill(self.period_oct)
        bill = october.filtered(lambda b: b.water_connection_id == connection)
        receivable = bill.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(bill.amount_residual, 0)
        self.assertEqual(
            sorted(receivable.matched_credit_ids.mapped("amount")),
            [BILL - (50000 - BILL), 50000 - BILL],
        )
        self.assertEqual(
            receivable.matched_credit_ids.credit_move_id, first_line | second_line
        )
        self.assertTrue(first_line.reconciled)
        self.assertEqual(second_line.amount_residual, -(60000 - 2 * BILL))

        november = self._bill(self.period_nov)
        bill = november.filtered(lambda b: b.water_connection_id == connection)
        self.assertRecordValues(
            bill,
            [
                {
                    "payment_state": "partial",
                    "amount_residual": BILL - (60000 - 2 * BILL),
                }
            ],
        )
        self.assertTrue(second_line.reconciled)
        self.assertEqual(other.invoice_ids.mapped("amount_residual"), [BILL] * 3)
