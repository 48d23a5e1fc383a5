from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TirtaWaterCommon

BILLING_MODULE = "odoo.addons.tirta_water.models.water_billing_period"

# Bills of village A taken from data/village-a/expected.json (computed there
# independently of Tirta), copied here so that the test needs no outside file:
# connection, period, group, meter digits, previous, current, m³, amount, version.
SAMPLE_BILLS = [
    ("TM-0002", "2026-09", "RT", 5, 4, 15, 11, 24000, "A"),
    ("TM-0004", "2026-09", "RT", 5, 1336, 1358, 22, 48000, "A"),
    ("TM-0008", "2026-09", "SOS", 5, 1434, 1478, 44, 46000, "A"),
    ("TM-0011", "2026-09", "NIAGA", 5, 2424, 2432, 8, 37000, "A"),
    ("TM-0015", "2026-09", "RT", 5, 2013, 2017, 4, 14500, "A"),
    ("TM-0017", "2026-09", "RT", 4, 9977, 7, 30, 72000, "A"),  # rollover
    ("TM-0139", "2026-09", "NIAGA", 5, 2777, 2791, 14, 51000, "A"),
    ("TM-0257", "2026-09", "NIAGA", 4, 9993, 14, 21, 75500, "A"),  # rollover
    ("TM-0332", "2026-09", "SOS", 4, 9992, 26, 34, 36000, "A"),  # rollover
    ("TM-0002", "2026-10", "RT", 5, 15, 25, 10, 23000, "B"),
    ("TM-0004", "2026-10", "RT", 5, 1358, 1375, 17, 40500, "B"),
    ("TM-0011", "2026-10", "NIAGA", 5, 2432, 2443, 11, 43000, "B"),
    ("TM-0015", "2026-10", "RT", 5, 2017, 2020, 3, 15500, "B"),
    ("TM-0139", "2026-10", "NIAGA", 5, 2791, 2812, 21, 83000, "B"),
    ("TM-0332", "2026-10", "SOS", 4, 26, 54, 28, 30000, "B"),
    ("TM-0002", "2026-11", "RT", 5, 25, 37, 12, 28000, "B"),
    ("TM-0004", "2026-11", "RT", 5, 1375, 1385, 10, 23000, "B"),
    ("TM-0008", "2026-11", "SOS", 5, 1478, 1526, 48, 50000, "B"),  # after a gap
    ("TM-0011", "2026-11", "NIAGA", 5, 2443, 2454, 11, 43000, "B"),
    ("TM-0015", "2026-11", "RT", 5, 2020, 2023, 3, 15500, "B"),
    ("TM-0017", "2026-11", "RT", 4, 7, 39, 32, 90000, "B"),  # after a gap
    ("TM-0139", "2026-11", "NIAGA", 5, 2812, 2840, 28, 111000, "B"),
    ("TM-0257", "2026-11", "NIAGA", 4, 14, 26, 12, 47000, "B"),  # after a gap
    ("TM-0332", "2026-11", "SOS", 4, 54, 72, 18, 20000, "B"),
]
# Not read in October 2026 (no bill in expected.json for that month).
SAMPLE_NOT_READ = {"2026-10": ["TM-0008", "TM-0017", "TM-0257"]}


@tagged("post_install", "-at_install")
class TestBilling(TirtaWaterCommon):
    def _reverse(self, invoice):
        """Draft credit note of ``invoice`` made by the reversal wizard."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Billed to the wrong customer",
                    "date": date(2026, 9, 25),
                    "journal_id": invoice.journal_id.id,
                }
            )
        )
        action = reversal.refund_moves()
        return self.env["account.move"].browse(action["res_id"])

    def _billed_once(self, connection, reading=None):
        """Bill ``connection`` in September, once."""
        reading = reading or self._read(connection, self.period_sep, 120)
        invoice = self._bill(self.period_sep)
        self.assertEqual(reading.invoice_id, invoice)
        return reading, invoice

    def test_worked_example_through_the_billing_run(self):
        """TARIF.md: household, version B, 1,348 → 1,371 = 23 m³ → Rp 58,500."""
        connection = self._create_connection(name="TM-0042", opening=1348)
        partner = connection.partner_id
        reading = self._read(connection, self.period_oct, 1371)
        self.assertEqual(self.period_oct.name, "2026-10")

        invoice = self._bill(self.period_oct)

        journal = self.company.water_journal_id
        self.assertEqual((journal.code, journal.type), ("AIR", "sale"))
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "currency_id": self.currency_idr.id,
                    "invoice_date": date(2026, 10, 5),
                    "invoice_date_due": date(2026, 10, 20),
                    "payment_reference": "TM-0042/2026-10",
                    "water_connection_id": connection.id,
                    "water_period_id": self.period_oct.id,
                    "water_reading_id": reading.id,
                    "water_tariff_version_id": self.version_rt_b.id,
                    "water_previous_index": 1348,
                    "water_current_index": 1371,
                    "water_consumption": 23,
                    "amount_untaxed": 58500,
                    "amount_tax": 0,
                    "amount_total": 58500,
                    "amount_residual": 58500,
                    "payment_state": "not_paid",
                }
            ],
        )
        self.assertEqual(
            self._line_values(invoice),
            [
                ("Water, block 1 (0–10 m³)", self.product_water, 10, 1500),
                ("Water, block 2 (11–20 m³)", self.product_water, 10, 2500),
                ("Water, block 3 (above 20 m³)", self.product_water, 3, 3500),
                ("Fixed charge", self.product_fixed, 1, 6000),
                ("Administration fee", self.product_admin, 1, 2000),
            ],
        )
        self.assertRecordValues(
            reading,
            [{"state": "billed", "invoice_id": invoice.id, "billed_consumption": 23}],
        )

        # The journal items: the customer owes the total, revenue is credited.
        receivable = partner.with_company(self.company).property_account_receivable_id
        self.assertEqual(receivable, self.company_data["default_account_receivable"])
        self.assertRecordValues(
            invoice.line_ids.filtered(lambda line: line.display_type == "payment_term"),
            [
                {
                    "account_id": receivable.id,
                    "partner_id": partner.id,
                    "debit": 58500,
                    "credit": 0,
                    "date_maturity": date(2026, 10, 20),
                }
            ],
        )
        revenue = invoice.line_ids.filtered(lambda line: line.display_type == "product")
        income = {
            product: product.with_company(self.company)._get_product_accounts()[
                "income"
            ]
            for product in (self.product_water, self.product_fixed, self.product_admin)
        }
        self.assertRecordValues(
            revenue.sorted("id"),
            [
                {
                    "product_id": product.id,
                    "account_id": income[product].id,
                    "debit": 0,
                    "credit": credit,
                    "tax_ids": [],
                }
                for product, credit in (
                    (self.product_water, 15000),
                    (self.product_water, 25000),
                    (self.product_water, 10500),
                    (self.product_fixed, 6000),
                    (self.product_admin, 2000),
                )
            ],
        )
        self.assertTrue(all(a.account_type == "income" for a in income.values()))
        self.assertEqual(
            invoice.line_ids - revenue,
            invoice.line_ids.filtered(lambda line: line.account_id == receivable),
        )
        self.assertFalse(invoice.line_ids.filtered(lambda line: line.tax_line_id))
        self.assertEqual(sum(invoice.line_ids.mapped("debit")), 58500)
        self.assertEqual(sum(invoice.line_ids.mapped("credit")), 58500)

        self.assertRecordValues(
            self.period_oct,
            [{"state": "billed", "invoice_count": 1, "amount_billed": 58500}],
        )

    def test_tariff_version_switch(self):
        """September uses version A, October version B; old bills keep A."""
        connection = self._create_connection(opening=100)
        self._read(connection, self.period_sep, 115)
        september = self._bill(self.period_sep)
        self._read(connection, self.period_oct, 130)
        october = self._bill(self.period_oct)

        self.assertRecordValues(
            september + october,
            [
                # 10 × 1,500 + 5 × 2,000 + fixed 5,000 + administration 2,000
                {
                    "water_tariff_version_id": self.version_rt_a.id,
                    "amount_total": 32000,
                },
                # 10 × 1,500 + 5 × 2,500 + fixed 6,000 + administration 2,000
                {
                    "water_tariff_version_id": self.version_rt_b.id,
                    "amount_total": 35500,
                },
            ],
        )
        self.assertEqual(
            [line[2:] for line in self._line_values(september)],
            [(10, 1500), (5, 2000), (1, 5000), (1, 2000)],
        )
        # A later change of version A does not touch the posted bill.
        self.version_rt_a.fixed_charge = 7000
        self.assertEqual(september.amount_total, 32000)
        self.assertEqual(self.version_rt_a._compute_amount(15), 34000)

    def test_flat_rate_connection(self):
        connection = self._create_connection(billing_type="flat")
        invoice = self._bill(self.period_sep)
        self.assertRecordValues(
            invoice,
            [
                {
                    "water_connection_id": connection.id,
                    "water_reading_id": False,
                    "amount_total": 27000,
                    "state": "posted",
                }
            ],
        )
        self.assertEqual(
            self._line_values(invoice),
            [
                ("Water, flat monthly rate", self.product_flat, 1, 25000),
                ("Administration fee", self.product_admin, 1, 2000),
            ],
        )
        self.assertFalse(self._bill(self.period_sep))

    def test_second_run_bills_nothing_twice(self):
        first = self._create_connection(opening=100)
        second = self._create_connection(opening=200)
        flat = self._create_connection(billing_type="flat")
        self._read(first, self.period_sep, 110)
        self._read(second, self.period_sep, 215)
        invoices = self._bill(self.period_sep)
        self.assertEqual(len(invoices), 3)
        self.assertEqual(invoices.water_connection_id, first + second + flat)

        self.assertFalse(self._bill(self.period_sep))
        self.assertEqual(self.period_sep.invoice_count, 3)

        # A connection added after the run is billed by a second pass, alone.
        late = self._create_connection(opening=300)
        self._read(late, self.period_sep, 305)
        added = self._bill(self.period_sep)
        self.assertEqual(added.water_connection_id, late)
        self.period_sep.invalidate_recordset(["invoice_count", "amount_billed"])
        self.assertEqual(self.period_sep.invoice_count, 4)
        self.assertEqual(self.period_sep.amount_billed, 22000 + 32000 + 27000 + 14500)

    def test_billing_in_chunks(self):
        connections = [self._create_connection(opening=100) for _i in range(5)]
        readings = [
            self._read(connection, self.period_sep, 110 + n)
            for n, connection in enumerate(connections)
        ]
        with patch(f"{BILLING_MODULE}.BILLING_CHUNK_SIZE", 2):
            invoices = self._bill(self.period_sep)
        self.assertEqual(len(invoices), 5)
        for n, reading in enumerate(readings):
            self.assertEqual(reading.invoice_id.water_reading_id, reading)
            self.assertEqual(reading.invoice_id.water_connection_id, connections[n])
            self.assertEqual(reading.billed_consumption, 10 + n)
        self.assertEqual(
            invoices.sorted("id").mapped("amount_total"),
            [22000, 24000, 26000, 28000, 30000],
        )

    def test_database_refuses_a_second_bill(self):
        connection = self._create_connection(opening=100)
        _reading, invoice = self._billed_once(connection)
        self.assertEqual(
            invoice.water_bill_key, f"{connection.id}-{self.period_sep.id}"
        )
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": connection.partner_id.id,
                    "journal_id": invoice.journal_id.id,
                    "water_connection_id": connection.id,
                    "water_period_id": self.period_sep.id,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.product_admin.id, "price_unit": 2000}
                        )
                    ],
                }
            )
            self.env.flush_all()
        self.assertEqual(self._live_bills(connection, self.period_sep), invoice)

    def test_run_racing_another_run(self):
        """A bill made by a run the search could not see yet stops the run."""
        connection = self._create_connection(billing_type="flat")
        invoice = self._bill(self.period_sep)
        period_class = type(self.env["water.billing.period"])
        with (
            patch.object(
                period_class,
                "_get_billed_connections",
                lambda period: period.env["water.connection"],
            ),
            self.assertRaisesRegex(UserError, "billed by another run at the same"),
            mute_logger("odoo.sql_db"),
        ):
            self.period_sep._run_billing()
        self.assertEqual(self._live_bills(connection, self.period_sep), invoice)
        self.assertEqual(
            self.env["account.move"].search_count(
                [("water_connection_id", "=", connection.id)]
            ),
            1,
        )

    def test_cancelled_bill_is_billed_again_once(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertFalse(invoice.water_bill_key)
        self.assertRecordValues(
            reading,
            [{"state": "validated", "invoice_id": False, "billed_consumption": 0}],
        )
        new = self._bill(self.period_sep)
        self.assertEqual(len(new), 1)
        self.assertNotEqual(new, invoice)
        self.assertRecordValues(
            reading,
            [{"state": "billed", "invoice_id": new.id, "billed_consumption": 20}],
        )
        self.assertEqual(new.amount_total, 42000)
        self.assertFalse(self._bill(self.period_sep))
        self.assertEqual(self._live_bills(connection, self.period_sep), new)

    def test_bill_reset_to_draft_is_billed_again_once(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        invoice.button_draft()
        self.assertEqual(invoice.state, "draft")
        self.assertFalse(invoice.water_bill_key)
        self.assertEqual((reading.state, reading.invoice_id.id), ("validated", False))
        new = self._bill(self.period_sep)
        self.assertEqual(len(new), 1)
        self.assertEqual(reading.invoice_id, new)
        self.assertFalse(self._bill(self.period_sep))
        self.assertEqual(self._live_bills(connection, self.period_sep), new)

    def test_bill_reset_to_draft_and_posted_again(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(
            invoice.water_bill_key, f"{connection.id}-{self.period_sep.id}"
        )
        self.assertEqual((reading.state, reading.invoice_id), ("billed", invoice))
        self.assertFalse(self._bill(self.period_sep))

    def test_old_draft_cannot_be_posted_beside_its_replacement(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        invoice.button_draft()
        new = self._bill(self.period_sep)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            invoice.action_post()
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(reading.invoice_id, new)
        self.assertEqual(self._live_bills(connection, self.period_sep), new)

    def test_full_credit_note_makes_the_reading_billable(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        refund = self._reverse(invoice)
        self.assertRecordValues(
            refund,
            [{"move_type": "out_refund", "state": "draft", "amount_total": 42000}],
        )
        # a draft credit note changes nothing yet
        self.assertTrue(invoice.water_bill_key)
        self.assertFalse(self._bill(self.period_sep))

        refund.action_post()
        self.assertFalse(invoice.water_bill_key)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual((reading.state, reading.invoice_id.id), ("validated", False))
        new = self._bill(self.period_sep)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.amount_total, 42000)
        self.assertEqual(reading.invoice_id, new)
        self.assertFalse(self._bill(self.period_sep))

    def test_partial_credit_note_keeps_the_bill(self):
        connection = self._create_connection(opening=100)
        reading, invoice = self._billed_once(connection)
        refund = self._reverse(invoice)
        admin_line = refund.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product_admin
        )
        refund.invoice_line_ids = [Command.delete(admin_line.id)]
        self.assertEqual(refund.amount_total, 40000)
        refund.action_post()
        self.assertEqual(refund.state, "posted")
        self.assertTrue(invoice.water_bill_key)
        self.assertEqual((reading.state, reading.invoice_id), ("billed", invoice))
        self.assertFalse(self._bill(self.period_sep))

    def test_closed_period_is_not_billed(self):
        self._read(self._create_connection(opening=100), self.period_sep, 110)
        self.period_sep.state = "closed"
        with self.assertRaisesRegex(UserError, "Period 2026-09 is closed"):
            self.period_sep._run_billing()
        self.assertFalse(self.period_sep.invoice_ids)

    def test_period_sheet_validation_and_state(self):
        """Unread rows stay with the readers; the period is billed when all is."""
        read = self._create_connection(opening=100)
        unread = self._create_connection(opening=200)
        period = self.period_sep
        period.action_prepare_readings()
        sheet = {r.connection_id: r for r in period.reading_ids}
        self.assertEqual(set(sheet), {read, unread})
        self.assertEqual(sheet[unread].previous_index, 200)

        sheet[read].current_index = 112
        period.action_validate_readings()
        self.assertEqual(sheet[read].state, "validated")
        self.assertRecordValues(
            sheet[unread],
            [{"state": "draft", "status": "todo", "review_state": "none"}],
        )
        self.assertEqual(period.review_count, 0)

        self._bill_skipping(period, unread)
        self.assertEqual(period.state, "open")

        sheet[unread].current_index = 215
        period.action_validate_readings()
        self.assertEqual(self._bill(period).water_connection_id, unread)
        self.assertEqual(period.state, "billed")

    def test_run_billing_action(self):
        self._read(self._create_connection(opening=100), self.period_sep, 110)
        skipped = self._create_connection(opening=100)
        with self.assertLogs(BILLING_MODULE, level="WARNING"):
            action = self.period_sep.action_run_billing()
        self.assertEqual(
            action["params"]["message"],
            "Bills posted: 1. Connections without a billable reading: 1.",
        )
        self.assertFalse(skipped.invoice_ids)

    def test_concurrent_run_is_refused(self):
        """A run while another transaction bills the period stops at once.

        The test transaction is never committed, so the other transactions
        cannot see its records: the period locked here is a committed one of
        the main company, removed at the end.
        """
        company_id = self.env.ref("base.main_company").id
        with self.registry.cursor() as setup_cr:
            setup_cr.execute("SET LOCAL lock_timeout = '10s'")
            setup_cr.execute(
                """
                INSERT INTO water_billing_period
                    (name, date_start, date_end, state, company_id)
                VALUES ('2099-01', '2099-01-01', '2099-01-31', 'open', %s)
                RETURNING id
                """,
                [company_id],
            )
            period_id = setup_cr.fetchone()[0]
        self.addCleanup(self._delete_committed_period, period_id)

        with (
            self.registry.cursor() as running_cr,
            self.registry.cursor() as second_cr,
        ):
            for cr in (running_cr, second_cr):
                cr.execute("SET LOCAL lock_timeout = '10s'")
            running = api.Environment(running_cr, SUPERUSER_ID, {})
            running["water.billing.period"].browse(period_id)._lock_for_billing()

            second = api.Environment(second_cr, SUPERUSER_ID, {})
            period = second["water.billing.period"].browse(period_id)
            with (
                self.assertRaisesRegex(UserError, "2099-01 is already in progress"),
                mute_logger("odoo.sql_db"),
            ):
                period._run_billing()
            second_cr.rollback()
            running_cr.rollback()

            # Once the first run is over, the period can be locked again.
            period._lock_for_billing()
            second_cr.rollback()

    def _delete_committed_period(self, period_id):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM water_billing_period WHERE id = %s", [period_id])


@tagged("post_install", "-at_install")
class TestBillingSample(TirtaWaterCommon):
    """Three months of village A billed by the real run, against expected.json."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sample_connections = {}
        for code, _period, group, digits, previous, *_rest in SAMPLE_BILLS:
            if code not in cls.sample_connections:
                cls.sample_connections[code] = cls._create_connection(
                    tariff=cls.tariffs[group],
                    name=code,
                    opening=previous,
                    digits=digits,
                )

    def test_sample_bills(self):
        versions = {"A": date(2026, 1, 1), "B": date(2026, 10, 1)}
        for period in (self.period_sep, self.period_oct, self.period_nov):
            expected = [bill for bill in SAMPLE_BILLS if bill[1] == period.name]
            readings = {
                code: self._read(self.sample_connections[code], period, current)
                for code, _p, _g, _d, _previous, current, *_rest in expected
            }
            not_read = self.env["water.connection"]
            for code in SAMPLE_NOT_READ.get(period.name, []):
                not_read |= self.sample_connections[code]
                self._read(not_read[-1], period, status="missing")

            if not_read:
                invoices = self._bill_skipping(period, not_read)
            else:
                invoices = self._bill(period)

            self.assertEqual(len(invoices), len(expected))
            for code, _p, _g, _d, previous, current, m3, amount, version in expected:
                reading = readings[code]
                invoice = reading.invoice_id
                self.assertEqual(
                    (
                        invoice.water_previous_index,
                        invoice.water_current_index,
                        reading.billed_consumption,
                        invoice.amount_total,
                        invoice.water_tariff_version_id.date_start,
                        invoice.payment_reference,
                        invoice.state,
                    ),
                    (
                        previous,
                        current,
                        m3,
                        amount,
                        versions[version],
                        f"{code}/{period.name}",
                        "posted",
                    ),
                    f"bill of {code} for {period.name}",
                )
            self.assertEqual(period.amount_billed, sum(bill[7] for bill in expected))
