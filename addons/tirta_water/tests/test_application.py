from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TirtaWaterCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-12-10")
class TestApplication(TirtaWaterCommon):
    def _application(self, **vals):
        return self.env["water.connection.application"].create(
            {
                "applicant_name": "Siti Aminah",
                "phone": "081234567890",
                "dusun": "Krajan",
                "rt": "02",
                "rw": "01",
                "street": "Jl. Mawar 5",
                "tariff_id": self.tariff_rt.id,
                "route_id": self.route_a.id,
                **vals,
            }
        )

    def test_new_number_steps_over_imported_numbers(self):
        """Numbers kept from an imported register don't block new ones."""
        Connection = self.env["water.connection"]
        vals = {
            "partner_id": self.env["res.partner"].create({"name": "Baru"}).id,
            "company_id": self.company.id,
            "tariff_id": self.tariff_rt.id,
        }
        first = Connection.create(dict(vals))
        number = int(first.name.split("-")[-1])
        # the register brought in the next two numbers of the sequence
        for taken in (number + 1, number + 2):
            self._create_connection(name=f"TM-{taken:04d}")
        after = Connection.create(dict(vals))
        self.assertEqual(after.name, f"TM-{number + 3:04d}")
        # and the sequence goes on from there
        self.assertEqual(Connection.create(dict(vals)).name, f"TM-{number + 4:04d}")

    def test_application_to_active_connection(self):
        """Survey → approval with instalment fee invoice → meter → active."""
        application = self._application()
        self.assertRecordValues(
            application,
            [
                {
                    "state": "draft",
                    "fee_amount": 1000000,
                    "payment_term_id": self.env.ref(
                        "tirta_water.account_payment_term_cicilan_3"
                    ).id,
                }
            ],
        )
        self.assertTrue(application.name.startswith("PSB/2026/"))
        with self.assertRaisesRegex(UserError, "survey note"):
            application.action_survey()
        with self.assertRaisesRegex(UserError, "current state"):
            application.action_approve()
        application.survey_note = "Pipa induk 30 m dari rumah; tekanan cukup."
        application.action_survey()
        self.assertRecordValues(
            application, [{"state": "surveyed", "survey_date": date(2026, 12, 10)}]
        )

        application.action_approve()
        partner = application.partner_id
        connection = application.connection_id
        self.assertRecordValues(
            partner,
            [{"name": "Siti Aminah", "phone": "081234567890", "street": "Jl. Mawar 5"}],
        )
        self.assertRecordValues(
            connection,
            [
                {
                    "state": "draft",
                    "partner_id": partner.id,
                    "tariff_id": self.tariff_rt.id,
                    "route_id": self.route_a.id,
                    "dusun": "Krajan",
                    "rt": "02",
                    "rw": "01",
                }
            ],
        )
        invoice = application.invoice_id
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "partner_id": partner.id,
                    "amount_total": 1000000,
                    "water_connection_id": connection.id,
                    "invoice_date": date(2026, 12, 10),
                    "invoice_date_due": date(2027, 2, 8),
                }
            ],
        )
        self.assertEqual(
            [(line.account_id.code, line.credit) for line in invoice.invoice_line_ids],
            [("41100050", 1000000)],
        )
        instalments = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).sorted("date_maturity")
        self.assertEqual(
            [(line.date_maturity, line.debit) for line in instalments],
            [
                (date(2026, 12, 10), 340000),
                (date(2027, 1, 9), 330000),
                (date(2027, 2, 8), 330000),
            ],
        )
        self.assertEqual(instalments.account_id.code, "11210010")

        with self.assertRaisesRegex(UserError, "serial number"):
            application.action_install()
        application.write(
            {
                "meter_serial": "SR-2026-0042",
                "initial_index": 3,
                "date_install": date(2026, 12, 14),
            }
        )
        application.action_install()
        self.assertEqual(application.state, "installed")
        self.assertRecordValues(
            connection,
            [{"state": "active", "date_start": date(2026, 12, 14)}],
        )
        self.assertRecordValues(
            connection.meter_id,
            [
                {
                    "name": "SR-2026-0042",
                    "initial_index": 3,
                    "date_install": date(2026, 12, 14),
                    "state": "installed",
                }
            ],
        )

    def test_existing_customer_flat_rate(self):
        """An existing customer's flat-rate connection needs no meter."""
        partner = self.env["res.partner"].create({"name": "Masjid Al-Ikhlas"})
        application = self._application(
            partner_id=partner.id,
            applicant_name=False,
            billing_type="flat",
            tariff_id=self.tariff_sos.id,
            fee_amount=450000,
            survey_note="Dekat pipa induk",
        )
        application.action_survey()
        application.action_approve()
        self.assertEqual(application.partner_id, partner)
        self.assertEqual(application.invoice_id.amount_total, 450000)
        application.action_install()
        self.assertRecordValues(
            application.connection_id,
            [{"state": "active", "billing_type": "flat", "partner_id": partner.id}],
        )

    def test_refuse(self):
        application = self._application()
        with self.assertRaisesRegex(UserError, "refused"):
            application.action_refuse()
        application.refuse_reason = "Di luar jangkauan jaringan"
        application.action_refuse()
        self.assertEqual(application.state, "refused")
        with self.assertRaisesRegex(UserError, "current state"):
            application.action_survey()
        self.assertFalse(application.connection_id)
        self.assertFalse(application.invoice_id)
