from odoo.tests import tagged

from .common_portal import TirtaPortalCommon


@tagged("post_install", "-at_install")
class TestTour(TirtaPortalCommon):
    def test_customer_pays_bill_link_with_demo_provider(self):
        """A customer opens the bill link without login and pays what is owed."""
        bills = self.bill_a_sep + self.bill_a_oct
        self.start_tour(
            self.bill_a_oct.get_portal_url(),
            "tirta_ebilling_pay_water_bill",
            login=None,
        )
        self.assertEqual(bills.mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(bills.mapped("amount_residual"), [0.0, 0.0])
        tx = bills.transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.payment_id.amount, 91500)
        receivable = bills.line_ids.filtered(
            lambda line: line.account_id
            == self.partner_a.property_account_receivable_id
        )
        self.assertTrue(all(receivable.mapped("reconciled")))
        self.assertEqual(
            receivable.matched_credit_ids.credit_move_id.move_id,
            tx.payment_id.move_id,
        )
