from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common_portal import TirtaPortalCommon


@tagged("post_install", "-at_install")
class TestPayment(TirtaPortalCommon):
    def _transaction_values(self, bill, amount, **values):
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.payment_method_demo.id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": bill.get_portal_url(),
            "is_validation": False,
            "access_token": bill._portal_ensure_token(),
            **values,
        }

    def _pay(self, route, values):
        """Create the transaction, let the demo provider confirm it, land back."""
        processing = self.make_jsonrpc_request(route, values)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": processing["reference"],
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        # the status page the customer lands on post-processes the transaction
        status = self.make_jsonrpc_request("/payment/status/poll", {})
        self.assertEqual(status["state"], "done")
        return self.env["payment.transaction"].search(
            [("reference", "=", processing["reference"])]
        )

    def test_pay_all_open_bills_in_one_transaction(self):
        bills = self.bill_a_sep + self.bill_a_oct
        receivable = self.partner_a.property_account_receivable_id

        tx = self._pay(
            f"/my/water/transaction/{self.bill_a_oct.id}",
            self._transaction_values(self.bill_a_oct, 91500.0),
        )

        self.assertEqual(tx.invoice_ids, bills)
        self.assertEqual(tx.amount, 91500)
        self.assertEqual(tx.partner_id, self.partner_a)
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(bills.mapped("payment_state"), ["paid", "paid"])
        self.assertEqual(bills.mapped("amount_residual"), [0.0, 0.0])

        payment = tx.payment_id
        self.assertEqual(payment.amount, 91500)
        self.assertEqual(payment.partner_id, self.partner_a)
        self.assertEqual(payment.journal_id, self.company_data["default_journal_bank"])
        self.assertEqual(bills._get_reconciled_payments(), payment)
        lines = payment.move_id.line_ids
        self.assertRecordValues(
            lines.sorted("balance"),
            [
                {
                    "account_id": receivable.id,
                    "debit": 0,
                    "credit": 91500,
                    "partner_id": self.partner_a.id,
                    "reconciled": True,
                },
                {
                    "account_id": payment.outstanding_account_id.id,
                    "debit": 91500,
                    "credit": 0,
                    "partner_id": self.partner_a.id,
                    "reconciled": False,
                },
            ],
        )
        bill_lines = bills.line_ids.filtered(lambda line: line.account_id == receivable)
        self.assertEqual(bill_lines.mapped("reconciled"), [True, True])
        self.assertEqual(
            sorted(bill_lines.matched_credit_ids.mapped("amount")), [26000, 65500]
        )
        self.assertEqual(
            bill_lines.matched_credit_ids.credit_move_id, lines.filtered("credit")
        )
        # the other customer's bills are untouched
        self.assertEqual(
            (self.bill_b_sep + self.bill_b_oct).mapped("payment_state"),
            ["not_paid", "not_paid"],
        )

    def test_pay_one_bill_with_the_standard_route(self):
        tx = self._pay(
            f"/invoice/transaction/{self.bill_a_oct.id}",
            self._transaction_values(self.bill_a_oct, 65500.0),
        )
        self.assertEqual(tx.invoice_ids, self.bill_a_oct)
        self.assertEqual(self.bill_a_oct.payment_state, "paid")
        self.assertEqual(self.bill_a_sep.payment_state, "not_paid")
        self.assertEqual(self.bill_a_sep.amount_residual, 26000)

        # after that, "pay all" asks for what is left: September only
        tx = self._pay(
            f"/my/water/transaction/{self.bill_a_oct.id}",
            self._transaction_values(self.bill_a_oct, 26000.0),
        )
        self.assertEqual(tx.invoice_ids, self.bill_a_sep)
        self.assertEqual(self.bill_a_sep.payment_state, "paid")

    @mute_logger("odoo.http")
    def test_pay_all_refuses_bad_requests(self):
        route = f"/my/water/transaction/{self.bill_a_oct.id}"
        Transaction = self.env["payment.transaction"]
        bad_requests = [
            # an amount that is not the open total
            self._transaction_values(self.bill_a_oct, 65500.0),
            # a tampered token
            self._transaction_values(
                self.bill_a_oct, 91500.0, access_token="not-the-token"
            ),
            # the token of another customer's bill
            self._transaction_values(
                self.bill_a_oct,
                91500.0,
                access_token=self.bill_b_oct._portal_ensure_token(),
            ),
            # values a client may not choose
            self._transaction_values(
                self.bill_a_oct, 91500.0, partner_id=self.partner_b.id
            ),
        ]
        for values in bad_requests:
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(route, values)
        self.assertFalse(
            Transaction.search([("invoice_ids", "in", self.bill_a_oct.ids)])
        )
