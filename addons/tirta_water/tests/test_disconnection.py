from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ADMIN_FEE, FLAT_AMOUNT, TirtaWaterCommon

BILL = FLAT_AMOUNT + ADMIN_FEE


@tagged("post_install", "-at_install")
@freeze_time("2026-12-10")
class TestDisconnection(TirtaWaterCommon):
    def setUp(self):
        super().setUp()
        self.company.water_reconnection_fee = 30000
        self.three = self._create_connection(billing_type="flat")
        self.two = self._create_connection(billing_type="flat")
        self.paying = self._create_connection(billing_type="flat")
        self.bills = self.env["account.move"]
        for period in (self.period_sep, self.period_oct, self.period_nov):
            self.bills |= self._bill(period)
        self._pay(self._bills_of(self.two, self.period_sep))
        self._pay(self._bills_of(self.paying))
        self.connections = self.three | self.two | self.paying

    def _bills_of(self, connection, period=None):
        return self.bills.filtered(
            lambda b: b.water_connection_id == connection
            and (not period or b.water_period_id == period)
        )

    def test_arrears_list(self):
        """Connections with N or more overdue unpaid bills are listed."""
        self.assertEqual(
            [(c.unpaid_bill_count, c.amount_arrears) for c in self.connections],
            [(3, 3 * BILL), (2, 2 * BILL), (0, 0)],
        )
        self.assertEqual(self.company.water_disconnect_threshold, 3)
        listed = self.env["water.connection"].search(
            [("id", "in", self.connections.ids), ("is_disconnect_candidate", "=", True)]
        )
        self.assertEqual(listed, self.three)
        self.company.water_disconnect_threshold = 2
        listed = self.env["water.connection"].search(
            [("id", "in", self.connections.ids), ("is_disconnect_candidate", "=", True)]
        )
        self.assertEqual(listed, self.three | self.two)
        self.assertEqual(
            self.env["water.connection"].search(
                [("id", "in", self.connections.ids), ("unpaid_bill_count", "=", 0)]
            ),
            self.paying,
        )
        # a bill not yet due is no arrears
        with freeze_time("2026-11-20"):
            self.three.invalidate_recordset(["unpaid_bill_count"])
            self.assertEqual(self.three.unpaid_bill_count, 2)

    def test_disconnect_and_reconnect(self):
        """Order → disconnected → fee invoice → reconnection after payment."""
        action = self.three.action_create_disconnection()
        order = self.env["water.disconnection"].search(action["domain"])
        self.assertRecordValues(
            order,
            [
                {
                    "connection_id": self.three.id,
                    "company_id": self.company.id,
                    "state": "draft",
                    "amount_arrears": 3 * BILL,
                }
            ],
        )
        self.assertTrue(order.name.startswith("PTS/2026/"))
        # a second order is not drafted while one is open
        self.three.action_create_disconnection()
        self.assertEqual(len(self.three.disconnection_ids), 1)

        with self.assertRaisesRegex(UserError, "planned date and an officer"):
            order.action_plan()
        order.write({"date_planned": date(2026, 12, 12), "user_id": self.env.uid})
        order.action_plan()
        order.write({"date_done": date(2026, 12, 12), "final_index": 0})
        order.action_done()
        self.assertEqual(order.state, "done")
        self.assertRecordValues(
            self.three,
            [{"state": "disconnected", "date_disconnected": date(2026, 12, 12)}],
        )
        with self.assertRaisesRegex(UserError, "still owes"):
            order.action_reconnect()
        self._pay(self._bills_of(self.three))
        with self.assertRaisesRegex(UserError, "Invoice the reconnection fee"):
            order.action_reconnect()

        order.action_invoice_reconnection_fee()
        fee = order.reconnection_invoice_id
        self.assertRecordValues(
            fee,
            [
                {
                    "state": "posted",
                    "amount_total": 30000,
                    "partner_id": self.three.partner_id.id,
                    "water_connection_id": self.three.id,
                    "water_period_id": False,
                }
            ],
        )
        self.assertEqual(fee.invoice_line_ids.account_id, self._account("41100060"))
        with self.assertRaisesRegex(UserError, "is not paid yet"):
            order.action_reconnect()
        self.assertEqual(self.three.state, "disconnected")
        self._pay(fee)
        order.action_reconnect()
        self.assertRecordValues(
            self.three, [{"state": "active", "date_disconnected": False}]
        )
        self.assertEqual(order.date_reconnected, date(2026, 12, 10))

    def test_activate_button_also_checks(self):
        """The connection's own Activate button refuses a debtor too."""
        order = self.env["water.disconnection"].create({"connection_id": self.two.id})
        order.action_done()
        with self.assertRaisesRegex(UserError, "still owes"):
            self.two.action_activate()

    def test_cancel(self):
        order = self.env["water.disconnection"].create({"connection_id": self.three.id})
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.three.state, "active")
        with self.assertRaisesRegex(UserError, "is not open"):
            order.action_done()
