from datetime import date

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import TirtaWaterCommon


@tagged("post_install", "-at_install")
class TestMeterReading(TirtaWaterCommon):
    def _history(self, connection, indexes, months=(6, 7, 8)):
        """Actual readings of the months before September."""
        periods = self.env["water.billing.period"]
        return [
            self._read(connection, periods._get_or_create(date(2026, month, 1)), index)
            for month, index in zip(months, indexes, strict=True)
        ]

    def _chatter(self, record):
        messages = self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )
        return " | ".join(messages.mapped("body"))

    # ------------------------------------------------------------------
    # Rollover and lower readings
    # ------------------------------------------------------------------

    def test_rollover_of_a_four_digit_meter(self):
        connection = self._create_connection(opening=9977, digits=4)
        meter = connection.meter_id
        self.assertTrue(meter._is_rollover(9977, 7))
        self.assertEqual(meter._consumption_between(9977, 7), 30)

        reading = self._read(connection, self.period_sep, 7)
        self.assertRecordValues(
            reading,
            [
                {
                    "status": "read",
                    "previous_index": 9977,
                    "current_index": 7,
                    "consumption": 30,
                    "anomaly": False,
                    "review_state": "none",
                    "state": "validated",
                }
            ],
        )
        invoice = self._bill(self.period_sep)
        self.assertEqual(invoice.amount_total, 72000)
        self.assertEqual(reading.billed_consumption, 30)

    def test_lower_reading_is_not_a_rollover(self):
        meter = self._create_connection(opening=9977, digits=4).meter_id
        self.assertFalse(meter._is_rollover(5000, 4990))
        self.assertFalse(meter._is_rollover(9500, 2000))
        self.assertIsNone(meter._consumption_between(5000, 4990))
        # 9,977 is near the top of a 5-digit dial's range only for 4 digits.
        five_digits = self._create_connection(opening=9977).meter_id
        self.assertFalse(five_digits._is_rollover(9977, 7))

        for opening, index in ((5000, 4990), (9500, 2000)):
            connection = self._create_connection(opening=opening, digits=4)
            reading = self._read(connection, self.period_sep, index)
            self.assertRecordValues(
                reading,
                [
                    {
                        "previous_index": opening,
                        "consumption": 0,
                        "anomaly": "lower",
                        "review_state": "pending",
                    }
                ],
            )
        reading = self._read(self._create_connection(opening=9977), self.period_sep, 7)
        self.assertEqual(reading.anomaly, "lower")

    # ------------------------------------------------------------------
    # Anomalies
    # ------------------------------------------------------------------

    def test_anomaly_missing(self):
        connection = self._create_connection(opening=100)
        not_read = self._read(connection, self.period_sep, status="missing")
        self.assertRecordValues(
            not_read,
            [
                {
                    "anomaly": "missing",
                    "review_state": "pending",
                    "consumption": 0,
                    "state": "validated",
                }
            ],
        )
        # A reading sheet line left empty is as good as missing.
        todo = self._read(self._create_connection(opening=100), self.period_sep)
        self.assertEqual((todo.status, todo.anomaly), ("todo", "missing"))

    def test_anomaly_broken(self):
        reading = self._read(
            self._create_connection(opening=100), self.period_sep, status="broken"
        )
        self.assertEqual((reading.anomaly, reading.review_state), ("broken", "pending"))
        self.assertEqual(reading.consumption, 0)

    def test_anomaly_zero(self):
        """Zero is suspicious only where the connection usually uses water."""
        used = self._create_connection(opening=100)
        self._history(used, [110, 120, 130])
        reading = self._read(used, self.period_sep, 130)
        self.assertEqual((reading.anomaly, reading.review_state), ("zero", "pending"))
        self.assertEqual(reading.average_consumption, 10)

        # an empty house that read 0, 1 and 0 before: zero is its usual use
        empty = self._create_connection(opening=475)
        self._history(empty, [475, 476, 476])
        reading = self._read(empty, self.period_sep, 476)
        self.assertEqual((reading.anomaly, reading.review_state), (False, "none"))

        # without history there is nothing to compare with
        new = self._read(self._create_connection(opening=475), self.period_sep, 475)
        self.assertEqual((new.anomaly, new.review_state), (False, "none"))

    def test_anomaly_high_without_history(self):
        """A first reading is compared with its tariff group's median."""
        usual = [
            self._read(self._create_connection(opening=100), self.period_sep, index)
            for index in (110, 112, 114, 116, 120)
        ]
        self.assertEqual({r.anomaly for r in usual}, {False})
        # the group's median is 15 m³ with the outlier counted: flagged above 45
        outlier = self._read(
            self._create_connection(opening=2997), self.period_sep, 30122
        )
        self.assertEqual(
            (outlier.consumption, outlier.anomaly, outlier.review_state),
            (27125, "high", "pending"),
        )
        within = self._read(self._create_connection(opening=100), self.period_sep, 142)
        self.assertEqual((within.consumption, within.anomaly), (42, False))
        # another tariff group has its own yardstick: too few readings, no flag
        social = self._read(
            self._create_connection(opening=100, tariff=self.tariff_sos),
            self.period_sep,
            400,
        )
        self.assertEqual((social.consumption, social.anomaly), (300, False))

    def test_anomaly_high(self):
        """Flagged above three times the average of the last 3 actual months."""
        high = self._create_connection(opening=100)
        self._history(high, [110, 120, 130])
        usual = self._create_connection(opening=100)
        self._history(usual, [110, 120, 130])

        flagged = self._read(high, self.period_sep, 161)
        self.assertRecordValues(
            flagged,
            [
                {
                    "previous_index": 130,
                    "consumption": 31,
                    "average_consumption": 10.0,
                    "anomaly": "high",
                    "review_state": "pending",
                }
            ],
        )
        at_limit = self._read(usual, self.period_sep, 160)
        self.assertEqual((at_limit.consumption, at_limit.anomaly), (30, False))

    def test_anomaly_high_uses_only_three_months(self):
        connection = self._create_connection(opening=0)
        history = self._history(connection, [100, 102, 104, 106], months=(5, 6, 7, 8))
        self.assertEqual([r.consumption for r in history], [100, 2, 2, 2])
        reading = self._read(connection, self.period_sep, 113)
        # the 100 m³ of May are not part of the average
        self.assertEqual(reading.average_consumption, 2.0)
        self.assertEqual(reading.anomaly, "high")

    def test_anomaly_inactive(self):
        connection = self._create_connection(opening=100, state="disconnected")
        reading = self._read(connection, self.period_sep, 112)
        self.assertEqual(
            (reading.consumption, reading.anomaly, reading.review_state),
            (12, "inactive", "pending"),
        )
        # nor is it billed: the run only bills active connections
        self.assertFalse(self._bill(self.period_sep))
        self.assertFalse(reading.invoice_id)

    # ------------------------------------------------------------------
    # Review decisions
    # ------------------------------------------------------------------

    def test_flagged_reading_is_billed_only_once_accepted(self):
        connection = self._create_connection(opening=445)
        self._history(connection, [455, 465, 475])
        reading = self._read(connection, self.period_sep, 475)
        self.assertEqual(reading.review_state, "pending")
        self.assertFalse(self._bill_skipping(self.period_sep, connection))
        self.assertFalse(reading.invoice_id)

        review = (
            self.env["water.reading.review"]
            .with_context(active_model=reading._name, active_ids=reading.ids)
            .create({"decision": "accept", "reason": "Family away for the month"})
        )
        self.assertEqual(review.reading_ids, reading)
        review.action_apply()
        self.assertEqual(reading.review_state, "accepted")
        chatter = self._chatter(reading)
        self.assertIn("Reading accepted (Zero consumption)", chatter)
        self.assertIn("Family away for the month", chatter)

        invoice = self._bill(self.period_sep)
        self.assertEqual(reading.invoice_id, invoice)
        # zero use is billed at the 5 m³ minimum
        self.assertEqual(invoice.amount_total, 14500)

    def test_flagged_reading_is_billed_once_corrected(self):
        connection = self._create_connection(opening=5000)
        reading = self._read(connection, self.period_sep, 4009)
        self.assertEqual(reading.anomaly, "lower")
        self.assertFalse(self._bill_skipping(self.period_sep, connection))

        review = self.env["water.reading.review"].create(
            {
                "reading_ids": reading.ids,
                "decision": "correct",
                "current_index": 5009,
                "reason": "Reader swapped two digits",
            }
        )
        review.action_apply()
        self.assertRecordValues(
            reading,
            [
                {
                    "current_index": 5009,
                    "consumption": 9,
                    "review_state": "corrected",
                    "state": "validated",
                }
            ],
        )
        chatter = self._chatter(reading)
        self.assertIn("Reading corrected from 4009 to 5009", chatter)
        self.assertIn("Reader swapped two digits", chatter)

        invoice = self._bill(self.period_sep)
        # 9 × 1,500 + fixed 5,000 + administration 2,000
        self.assertEqual(invoice.amount_total, 20500)
        self.assertEqual(reading.billed_consumption, 9)

    def test_review_needs_a_manager(self):
        reading = self._read(
            self._create_connection(opening=5000), self.period_sep, 4009
        )
        clerk = new_test_user(
            self.env, "clerk", groups="tirta_water.group_water_cashier"
        )
        with self.assertRaisesRegex(UserError, "Only a water manager"):
            reading.with_user(clerk)._accept("no reason")
        self.assertEqual(reading.review_state, "pending")

    # ------------------------------------------------------------------
    # Meter replacement
    # ------------------------------------------------------------------

    def test_meter_swap_bills_both_meters(self):
        connection = self._create_connection(opening=100)
        old_meter = connection.meter_id
        september = self._read(connection, self.period_sep, 120)
        # 10 × 1,500 + 10 × 2,000 + fixed 5,000 + administration 2,000
        self.assertEqual(self._bill(self.period_sep).amount_total, 42000)

        wizard = self.env["water.meter.replace"].create(
            {
                "connection_id": connection.id,
                "old_closing_index": 125,
                "date": date(2026, 10, 3),
                "new_meter_serial": " NEW-0001 ",
                "new_meter_digits": 5,
                "new_opening_index": 0,
                "reason": "Dial cracked",
            }
        )
        self.assertEqual(wizard.old_meter_id, old_meter)
        wizard.action_replace()
        new_meter = connection.meter_id
        self.assertEqual(new_meter.name, "NEW-0001")
        self.assertRecordValues(
            old_meter,
            [
                {
                    "state": "removed",
                    "closing_index": 125,
                    "date_removal": date(2026, 10, 3),
                }
            ],
        )
        self.assertIn("Dial cracked", self._chatter(connection))

        october = self._read(connection, self.period_oct, 8)
        self.assertRecordValues(
            october,
            [
                {
                    "meter_id": new_meter.id,
                    "previous_index": 0,
                    "swap_consumption": 5,
                    "consumption": 13,
                    "anomaly": False,
                }
            ],
        )
        invoice = self._bill(self.period_oct)
        # 10 × 1,500 + 3 × 2,500 + fixed 6,000 + administration 2,000
        self.assertEqual(invoice.amount_total, 30500)
        self.assertEqual(october.billed_consumption, 13)
        self.assertEqual(september.billed_consumption, 20)

    def test_meter_swap_after_the_reading_was_entered(self):
        """A validated, unbilled reading follows the meter that was read."""
        connection = self._create_connection(opening=100)
        self._read(connection, self.period_sep, 120)
        self._bill(self.period_sep)
        # October was already read on the new meter before the swap was recorded
        october = self._read(connection, self.period_oct, 8)
        self.assertEqual(october.anomaly, "lower")

        wizard = self.env["water.meter.replace"].create(
            {
                "connection_id": connection.id,
                "date": date(2026, 9, 28),
                "new_meter_serial": "NEW-0002",
            }
        )
        # the closing index starts from the last reading of the old meter
        self.assertEqual((wizard.old_last_index, wizard.old_closing_index), (120, 120))
        wizard.old_closing_index = 119
        with self.assertRaisesRegex(UserError, "below its last reading 120"):
            wizard.action_replace()

        wizard.old_closing_index = 124
        wizard.action_replace()
        self.assertRecordValues(
            october,
            [
                {
                    "meter_id": connection.meter_id.id,
                    "previous_index": 0,
                    "swap_consumption": 4,
                    "consumption": 12,
                    "anomaly": False,
                    "review_state": "none",
                }
            ],
        )
        # 10 × 1,500 + 2 × 2,500 + fixed 6,000 + administration 2,000
        self.assertEqual(self._bill(self.period_oct).amount_total, 28000)

    # ------------------------------------------------------------------
    # Estimates
    # ------------------------------------------------------------------

    def _estimated_september(self):
        """A connection using 10, 12 and 14 m³, then not read in September."""
        connection = self._create_connection(opening=1000)
        self._history(connection, [1010, 1022, 1036])
        september = self._read(connection, self.period_sep, status="missing")
        self.assertEqual(september.anomaly, "missing")
        september._estimate("House locked, dog in the yard")
        self.assertRecordValues(
            september,
            [
                {
                    "kind": "estimated",
                    "estimated_consumption": 12,
                    "consumption": 12,
                    "review_state": "accepted",
                    "state": "validated",
                }
            ],
        )
        chatter = self._chatter(september)
        self.assertIn("Estimated at 12 m³", chatter)
        self.assertIn("House locked, dog in the yard", chatter)

        invoice = self._bill(self.period_sep)
        # version A: 10 × 1,500 + 2 × 2,000 + fixed 5,000 + administration 2,000
        self.assertEqual(invoice.amount_total, 26000)
        self.assertEqual(september.billed_consumption, 12)
        return connection, september

    def test_estimate_then_actual_reading(self):
        connection, september = self._estimated_september()
        october = self._read(connection, self.period_oct, 1061)
        self.assertRecordValues(
            october,
            [{"previous_index": 1036, "consumption": 25, "anomaly": False}],
        )
        invoice = self._bill(self.period_oct)
        self.assertRecordValues(
            october,
            [{"estimate_credit": 12, "billed_consumption": 13, "state": "billed"}],
        )
        # version B on 25 - 12 = 13 m³: 10 × 1,500 + 3 × 2,500 + 6,000 + 2,000
        self.assertEqual(invoice.amount_total, 30500)
        self.assertEqual(
            [line.quantity for line in invoice.invoice_line_ids], [10, 3, 1, 1]
        )
        self.assertEqual(september.invoice_id.amount_total, 26000)

    def test_estimate_credit_never_negative(self):
        connection, _september = self._estimated_september()
        october = self._read(connection, self.period_oct, 1044)
        self.assertEqual(october.consumption, 8)
        invoice = self._bill(self.period_oct)
        self.assertRecordValues(
            october, [{"estimate_credit": 12, "billed_consumption": 0}]
        )
        # nothing left to bill but the 5 m³ minimum
        self.assertEqual(invoice.amount_total, 15500)

    def test_estimate_needs_history_or_a_volume(self):
        connection = self._create_connection(opening=100)
        reading = self._read(connection, self.period_sep, status="broken")
        with self.assertRaisesRegex(UserError, "no actual readings to average"):
            reading._estimate("Meter broken")
        review = self.env["water.reading.review"].create(
            {
                "reading_ids": reading.ids,
                "decision": "estimate",
                "estimate_mode": "manual",
                "estimated_consumption": 7,
                "reason": "Neighbour's use",
            }
        )
        review.action_apply()
        self.assertEqual((reading.kind, reading.consumption), ("estimated", 7))
        self.assertEqual(self._bill(self.period_sep).amount_total, 17500)

    def test_billed_reading_is_locked(self):
        connection = self._create_connection(opening=100)
        reading = self._read(connection, self.period_sep, 110)
        self._bill(self.period_sep)
        with self.assertRaisesRegex(UserError, "A billed reading cannot be changed"):
            reading.current_index = 111
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            reading.unlink()
        with self.assertRaisesRegex(UserError, "cannot go back to draft"):
            reading.action_reset_draft()
