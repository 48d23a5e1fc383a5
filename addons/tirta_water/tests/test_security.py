from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import TirtaWaterCommon


@tagged("post_install", "-at_install")
class TestSecurity(TirtaWaterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.reader_a = new_test_user(
            cls.env,
            "reader_a",
            groups="tirta_water.group_water_reader",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.reader_b = new_test_user(
            cls.env,
            "reader_b",
            groups="tirta_water.group_water_reader",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.cashier = new_test_user(
            cls.env,
            "cashier",
            groups="tirta_water.group_water_cashier",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        # Contact Creation comes with the default user template, not the group.
        cls.manager = new_test_user(
            cls.env,
            "water_manager",
            groups="tirta_water.group_water_manager,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.route_a.user_id = cls.reader_a
        cls.route_b.user_id = cls.reader_b
        cls.connection_a = cls._create_connection(opening=100, route=cls.route_a)
        cls.connection_b = cls._create_connection(opening=200, route=cls.route_b)
        cls.reading_a = cls._read(cls.connection_a, cls.period_sep, validate=False)
        cls.reading_b = cls._read(cls.connection_b, cls.period_sep, validate=False)
        cls.readings = cls.reading_a + cls.reading_b

    def _search_readings(self, user):
        return (
            self.env["water.meter.reading"]
            .with_user(user)
            .search([("period_id", "=", self.period_sep.id)])
        )

    # ------------------------------------------------------------------
    # Readers
    # ------------------------------------------------------------------

    def test_reader_sees_the_readings_of_their_route(self):
        self.assertEqual(self._search_readings(self.reader_a), self.reading_a)
        self.assertEqual(self._search_readings(self.reader_b), self.reading_b)
        with self.assertRaises(AccessError):
            self.reading_b.with_user(self.reader_a).current_index  # noqa: B018
        # connections, tariffs and periods are readable for the reading sheet
        connection = self.connection_b.with_user(self.reader_a)
        self.assertEqual(connection.tariff_id.code, "RT")

    def test_reader_enters_readings_of_their_route_only(self):
        self.reading_a.with_user(self.reader_a).current_index = 112
        self.assertRecordValues(
            self.reading_a, [{"status": "read", "consumption": 12, "state": "draft"}]
        )
        with self.assertRaises(AccessError):
            self.reading_b.with_user(self.reader_a).current_index = 212
        self.assertEqual(self.reading_b.current_index, 0)

        other = self._create_connection(opening=0, route=self.route_b)
        with self.assertRaises(AccessError):
            self.env["water.meter.reading"].with_user(self.reader_a).create(
                {
                    "connection_id": other.id,
                    "period_id": self.period_sep.id,
                    "current_index": 5,
                }
            )
        own = self._create_connection(opening=0, route=self.route_a)
        created = (
            self.env["water.meter.reading"]
            .with_user(self.reader_a)
            .create(
                {
                    "connection_id": own.id,
                    "period_id": self.period_sep.id,
                    "current_index": 5,
                }
            )
        )
        self.assertEqual((created.reader_id, created.consumption), (self.reader_a, 5))

    def test_reader_cannot_change_a_validated_reading(self):
        self.reading_a.current_index = 112
        self.reading_a.action_validate()
        with self.assertRaisesRegex(UserError, "Only a water manager"):
            self.reading_a.with_user(self.reader_a).current_index = 150
        self.assertEqual(self.reading_a.current_index, 112)

    def test_reader_cannot_create_connections_nor_bill(self):
        with self.assertRaises(AccessError):
            self.env["water.connection"].with_user(self.reader_a).create(
                {
                    "name": "TM-0999",
                    "partner_id": self.partner_a.id,
                    "tariff_id": self.tariff_rt.id,
                }
            )
        self.reading_a.current_index = 112
        self.reading_a.action_validate()
        with self.assertRaises(AccessError):
            self.period_sep.with_user(self.reader_a).action_run_billing()
        self.assertFalse(self.reading_a.invoice_id)
        self.assertEqual(self.period_sep.state, "open")

    # ------------------------------------------------------------------
    # Cashiers
    # ------------------------------------------------------------------

    def test_cashier_reads_but_does_not_manage(self):
        self.assertEqual(self._search_readings(self.cashier), self.readings)
        connections = self.env["water.connection"].with_user(self.cashier).search([])
        self.assertEqual(connections, self.connection_a + self.connection_b)
        with self.assertRaises(AccessError):
            self.tariff_rt.with_user(self.cashier).name = "Household 2027"
        with self.assertRaises(AccessError):
            self.version_rt_b.with_user(self.cashier).fixed_charge = 0
        with self.assertRaises(AccessError):
            self.reading_a.with_user(self.cashier).current_index = 112
        with self.assertRaises(AccessError):
            self.connection_a.with_user(self.cashier).state = "closed"
        with self.assertRaises(AccessError):
            self.period_sep.with_user(self.cashier).action_run_billing()

    def test_cashier_cancels_a_bill(self):
        self.reading_a.current_index = 112
        self.reading_b.current_index = 215
        self.readings.action_validate()
        self.assertEqual(len(self._bill(self.period_sep)), 2)
        invoice = self.reading_a.invoice_id

        invoice.with_user(self.cashier).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertRecordValues(
            self.reading_a, [{"state": "validated", "invoice_id": False}]
        )

    def test_cashier_resets_and_posts_a_bill_again(self):
        self.reading_a.current_index = 112
        self.reading_b.current_index = 215
        self.readings.action_validate()
        self._bill(self.period_sep)
        invoice = self.reading_a.invoice_id.with_user(self.cashier)
        invoice.button_draft()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertRecordValues(
            self.reading_a, [{"state": "billed", "invoice_id": invoice.id}]
        )

    # ------------------------------------------------------------------
    # Managers
    # ------------------------------------------------------------------

    def test_manager_runs_the_whole_month(self):
        env = self.env(user=self.manager)
        tariff = env["water.tariff"].create(
            {
                "name": "Special",
                "code": "KHUSUS",
                "version_ids": [
                    Command.create(
                        {
                            "date_start": date(2026, 1, 1),
                            "admin_fee": 2000,
                            "block_ids": [Command.create({"price": 1200})],
                        }
                    )
                ],
            }
        )
        partner = env["res.partner"].create({"name": "Village hall"})
        connection = env["water.connection"].create(
            {
                "name": "TM-0500",
                "partner_id": partner.id,
                "tariff_id": tariff.id,
                "route_id": self.route_b.id,
            }
        )
        env["water.meter"].create(
            {"name": "MTR-0500", "connection_id": connection.id, "initial_index": 40}
        )
        connection.action_activate()
        self.assertEqual(connection.state, "active")

        readings = env["water.meter.reading"].search(
            [("period_id", "=", self.period_sep.id)]
        )
        self.assertEqual(readings, self.readings)
        readings.filtered(lambda r: r.route_id == self.route_a).current_index = 112
        readings.filtered(lambda r: r.route_id == self.route_b).current_index = 215
        reading = env["water.meter.reading"].create(
            {
                "connection_id": connection.id,
                "period_id": self.period_sep.id,
                "current_index": 30,
            }
        )
        (readings + reading).action_validate()
        self.assertEqual(reading.anomaly, "lower")
        reading._correct(50, "Reading taken from the wrong meter")

        invoices = self._bill(self.period_sep.with_user(self.manager))
        self.assertEqual(len(invoices), 3)
        bill = reading.invoice_id
        self.assertEqual((bill.state, bill.amount_total), ("posted", 14000))
        self.assertEqual(bill.create_uid, self.manager)
        # and a validated reading stays open to corrections by a manager
        self.reading_a.invoice_id.with_user(self.manager).button_cancel()
        self.reading_a.with_user(self.manager).current_index = 113
        self.assertEqual(self.reading_a.consumption, 13)

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------

    def test_companies_do_not_see_each_other(self):
        env = self.env(su=True)
        company_b = env["res.company"].create(
            {"name": "Village B water board", "currency_id": self.currency_idr.id}
        )
        tariff_b = env["water.tariff"].create(
            {"name": "Household", "code": "RT", "company_id": company_b.id}
        )
        connection_b = env["water.connection"].create(
            {
                "name": "TM-0001",
                "partner_id": self.partner_b.id,
                "tariff_id": tariff_b.id,
                "company_id": company_b.id,
            }
        )
        manager_b = new_test_user(
            self.env,
            "manager_b",
            groups="tirta_water.group_water_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )

        connections = self.env["water.connection"].with_user(manager_b)
        self.assertEqual(connections.search([]), connection_b)
        with self.assertRaises(AccessError):
            self.connection_a.with_user(manager_b).name  # noqa: B018
        self.assertFalse(self._search_readings(manager_b))
        self.assertEqual(
            self.env["water.tariff"].with_user(manager_b).search([]), tariff_b
        )
        self.assertEqual(
            self.env["water.connection"].with_user(self.manager).search([]),
            self.connection_a + self.connection_b,
        )
