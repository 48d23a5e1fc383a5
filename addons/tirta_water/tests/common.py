from datetime import date, timedelta

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

BILLING_LOGGER = "odoo.addons.tirta_water.models.water_billing_period"

# Village A's tariff regulation (data/village-a/TARIF.md): per group, the fixed
# charge, the minimum billed m³ and the blocks (upper limit, price; 0 = open).
TARIFF_A = {
    "RT": (5000, 5, [(10, 1500), (20, 2000), (0, 3000)]),
    "SOS": (0, 0, [(0, 1000)]),
    "NIAGA": (10000, 10, [(10, 2500), (0, 3500)]),
}
TARIFF_B = {
    "RT": (6000, 5, [(10, 1500), (20, 2500), (0, 3500)]),
    "SOS": (0, 0, [(0, 1000)]),
    "NIAGA": (12000, 10, [(10, 2500), (0, 4000)]),
}
TARIFF_NAMES = {"RT": "Household", "SOS": "Social", "NIAGA": "Business"}
ADMIN_FEE = 2000
FLAT_AMOUNT = 25000
DATE_A = date(2026, 1, 1)
DATE_B = date(2026, 10, 1)


class TirtaWaterCommon(AccountTestInvoicingCommon):
    """An Indonesian company with village A's tariff, routes and periods.

    Connections are created by each test class or test (``_create_connection``)
    because a billing run bills every active connection of the company.
    """

    @classmethod
    @AccountTestInvoicingCommon.setup_country("id")
    @AccountTestInvoicingCommon.setup_chart_template("id")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency_idr = cls.env.ref("base.IDR")
        cls.group_manager = cls.env.ref("tirta_water.group_water_manager")
        cls.env.user.groups_id = [Command.link(cls.group_manager.id)]

        cls.product_water = cls.env.ref("tirta_water.product_water_consumption")
        cls.product_fixed = cls.env.ref("tirta_water.product_water_fixed_charge")
        cls.product_admin = cls.env.ref("tirta_water.product_water_admin_fee")
        cls.product_flat = cls.env.ref("tirta_water.product_water_flat_rate")

        cls.tariffs = {}
        for sequence, code in enumerate(TARIFF_A, start=1):
            cls.tariffs[code] = cls.env["water.tariff"].create(
                {
                    "name": TARIFF_NAMES[code],
                    "code": code,
                    "sequence": sequence,
                    "version_ids": [
                        Command.create(
                            cls._tariff_version_vals(DATE_A, TARIFF_A[code])
                        ),
                        Command.create(
                            cls._tariff_version_vals(DATE_B, TARIFF_B[code])
                        ),
                    ],
                }
            )
        cls.tariff_rt = cls.tariffs["RT"]
        cls.tariff_sos = cls.tariffs["SOS"]
        cls.tariff_niaga = cls.tariffs["NIAGA"]
        cls.version_rt_a = cls.tariff_rt._get_version(DATE_A)
        cls.version_rt_b = cls.tariff_rt._get_version(DATE_B)

        cls.route_a, cls.route_b = cls.env["water.route"].create(
            [
                {"name": "Dusun Krajan", "code": "KRJ", "sequence": 1},
                {"name": "Dusun Sumber", "code": "SBR", "sequence": 2},
            ]
        )

        cls.periods = {
            month: cls.env["water.billing.period"]._get_or_create(date(2026, month, 1))
            for month in range(6, 12)
        }
        cls.period_sep = cls.periods[9]
        cls.period_oct = cls.periods[10]
        cls.period_nov = cls.periods[11]
        cls.next_number = 9000

    @classmethod
    def _tariff_version_vals(cls, date_start, figures):
        fixed_charge, minimum, blocks = figures
        return {
            "date_start": date_start,
            "fixed_charge": fixed_charge,
            "min_consumption": minimum,
            "admin_fee": ADMIN_FEE,
            "flat_amount": FLAT_AMOUNT,
            "block_mode": "cumulative",
            "block_ids": [
                Command.create(
                    {"sequence": index, "upper_limit": limit, "price": price}
                )
                for index, (limit, price) in enumerate(blocks)
            ],
        }

    @classmethod
    def _create_connection(
        cls,
        tariff=None,
        name=None,
        opening=0,
        digits=5,
        billing_type="metered",
        route=None,
        state="active",
        company=None,
    ):
        """An active connection with its own customer and, if metered, a meter."""
        if not name:
            cls.next_number += 1
            name = f"TM-{cls.next_number:04d}"
        company = company or cls.company
        partner = cls.env["res.partner"].create({"name": f"Customer {name}"})
        connection = cls.env["water.connection"].create(
            {
                "name": name,
                "partner_id": partner.id,
                "company_id": company.id,
                "tariff_id": (tariff or cls.tariff_rt).id,
                "billing_type": billing_type,
                "route_id": (route or cls.route_a).id,
                "state": state,
                "date_start": date(2025, 1, 1),
            }
        )
        if billing_type == "metered":
            cls.env["water.meter"].create(
                {
                    "name": f"MTR-{name}",
                    "digits": digits,
                    "initial_index": opening,
                    "date_install": date(2025, 1, 1),
                    "connection_id": connection.id,
                    "company_id": company.id,
                }
            )
        return connection

    @classmethod
    def _read(cls, connection, period, index=None, validate=True, **vals):
        """Enter the reading of ``connection`` for ``period``, validated."""
        vals = {
            "connection_id": connection.id,
            "period_id": period.id,
            "date": period.date_start + timedelta(days=2),
            **vals,
        }
        if index is not None:
            vals["current_index"] = index
        reading = cls.env["water.meter.reading"].create(vals)
        if validate:
            reading.action_validate()
        return reading

    def _bill(self, period):
        """Run billing of ``period``, which must skip no connection."""
        with self.assertNoLogs(BILLING_LOGGER, level="WARNING"):
            result = period._run_billing()
        self.assertEqual(result["skipped"], 0)
        return result["invoices"]

    def _bill_skipping(self, period, connections):
        """Run billing of ``period``; ``connections`` must be reported skipped."""
        with self.assertLogs(BILLING_LOGGER, level="WARNING") as logs:
            result = period._run_billing()
        self.assertEqual(result["skipped"], len(connections))
        self.assertEqual(len(logs.records), 1)
        message = logs.records[0].getMessage()
        self.assertIn(f"{len(connections)} metered connections skipped", message)
        for connection in connections:
            self.assertIn(connection.name, message)
        return result["invoices"]

    def _live_bills(self, connection, period):
        return self.env["account.move"].search(
            [
                ("water_connection_id", "=", connection.id),
                ("water_period_id", "=", period.id),
                ("state", "=", "posted"),
                ("water_bill_key", "!=", False),
            ]
        )

    def _line_values(self, invoice):
        """(name, product, quantity, unit price) of the invoice lines, in order."""
        return [
            (line.name, line.product_id, line.quantity, line.price_unit)
            for line in invoice.invoice_line_ids.sorted("sequence")
        ]

    def _pay(self, invoices, amount=None, date=None):
        """Register a customer payment of ``invoices`` (in full by default)."""
        vals = {"payment_date": date or invoices[0].invoice_date}
        if amount is not None:
            vals["amount"] = amount
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(vals)
            ._create_payments()
        )

    def _account(self, code):
        return self.company._get_water_account(code)
