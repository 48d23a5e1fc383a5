import re

from lxml import html

from odoo import Command
from odoo.tests import HttpCase

from odoo.addons.tirta_water.tests.common import TirtaWaterCommon


def digits(text):
    """The digits of a displayed amount or number: 'Rp 91,500' -> '91500'."""
    return re.sub(r"\D", "", text or "")


class TirtaPortalCommon(TirtaWaterCommon, HttpCase):
    """Two customers with portal users; the first owes September and October.

    Customer A (SUPARMAN HADI), tariff RT, meter from 100:
      September (tariff A) 112 -> 12 m³: 10 x 1,500 + 2 x 2,000 + 5,000 fixed
      + 2,000 admin = 26,000;
      October (tariff B) 137 -> 25 m³: 10 x 1,500 + 10 x 2,500 + 5 x 3,500
      + 6,000 fixed + 2,000 admin = 65,500.
    Customer B, meter from 50: September 58 -> 19,000; October 61 (3 m³,
    minimum 5) -> 15,500.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection_a = cls._create_connection(opening=100)
        cls.connection_a.write({"street": "Jalan Melati 7", "rt": "02", "rw": "05"})
        cls.partner_a = cls.connection_a.partner_id
        cls.partner_a.write({"name": "SUPARMAN HADI", "phone": "081234567890"})
        cls.connection_b = cls._create_connection(opening=50)
        cls.partner_b = cls.connection_b.partner_id
        cls.partner_b.name = "WARSITI"

        for period, index_a, index_b in (
            (cls.period_sep, 112, 58),
            (cls.period_oct, 137, 61),
        ):
            cls._read(cls.connection_a, period, index_a)
            cls._read(cls.connection_b, period, index_b)
            period._run_billing()
        bills = cls.env["account.move"].search(
            [("water_connection_id", "in", (cls.connection_a + cls.connection_b).ids)]
        )
        cls.bill_a_sep, cls.bill_a_oct = bills.filtered(
            lambda b: b.water_connection_id == cls.connection_a
        ).sorted(lambda b: b.water_period_id.date_start)
        cls.bill_b_sep, cls.bill_b_oct = bills.filtered(
            lambda b: b.water_connection_id == cls.connection_b
        ).sorted(lambda b: b.water_period_id.date_start)

        group_portal = cls.env.ref("base.group_portal")
        cls.user_a, cls.user_b = cls.env["res.users"].create(
            [
                {
                    "name": partner.name,
                    "login": login,
                    "password": login * 2,
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "company_ids": [Command.set(cls.company.ids)],
                    "groups_id": [Command.set(group_portal.ids)],
                }
                for partner, login in (
                    (cls.partner_a, "pel_a"),
                    (cls.partner_b, "pel_b"),
                )
            ]
        )

        base_provider = cls.env.ref("payment.payment_provider_demo").sudo()
        cls.provider = base_provider.copy(
            {"company_id": cls.company.id, "name": "Demo Tirta"}
        )
        cls.provider.write(
            {
                "state": "test",
                "is_published": True,
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        cls.payment_method_demo = cls.env.ref("payment_demo.payment_method_demo")

    def _tree(self, response):
        self.assertEqual(response.status_code, 200, response.text[:500])
        return html.fromstring(response.content)

    def _text(self, tree, selector):
        nodes = tree.cssselect(selector)
        self.assertTrue(nodes, f"nothing matches {selector}")
        return " ".join(nodes[0].text_content().split())
