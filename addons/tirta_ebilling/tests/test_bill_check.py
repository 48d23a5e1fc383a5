from datetime import timedelta

from werkzeug.urls import url_encode

from odoo.tests import tagged

from odoo.addons.tirta_ebilling.controllers.bill_check import mask_name

from .common_portal import TirtaPortalCommon, digits


@tagged("post_install", "-at_install")
class TestBillCheck(TirtaPortalCommon):
    def _check(self, number):
        return self.url_open("/cek-tagihan?" + url_encode({"number": number}))

    def test_mask_name(self):
        self.assertEqual(mask_name("SUPARMAN HADI"), "SU****** HA**")
        self.assertEqual(mask_name("  Siti  Aminah "), "Si** Am****")
        self.assertEqual(mask_name("Bu Ani"), "Bu An*")
        self.assertEqual(mask_name(False), "")

    def test_known_number_shows_months_owed_and_nothing_else(self):
        response = self._check(f" {self.connection_a.name.lower()} ")
        tree = self._tree(response)
        results = tree.cssselect(".o_water_check_result")
        self.assertEqual(len(results), 1)
        self.assertEqual(self._text(tree, ".o_water_check_name"), "SU****** HA**")
        months = [
            [" ".join(td.text_content().split()) for td in row.cssselect("td")]
            for row in tree.cssselect(".o_water_check_result tbody tr")
        ]
        self.assertEqual(
            [(m[0], digits(m[1])) for m in months],
            [("September 2026", "26000"), ("October 2026", "65500")],
        )
        self.assertEqual(digits(self._text(tree, ".o_water_check_total")), "91500")
        pay = tree.cssselect("a.o_water_check_pay")[0].get("href")
        self.assertEqual(pay, self.bill_a_oct.get_portal_url(query_string="&scope=all"))
        page = response.text
        for secret in (
            "SUPARMAN",
            "HADI",
            "Jalan Melati",
            "081234567890",
            self.bill_a_oct.name,
            self.connection_b.name,
        ):
            self.assertNotIn(secret, page)

    def test_paid_connection_shows_nothing_to_pay(self):
        bills = self.bill_b_sep + self.bill_b_oct
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bills.ids
        ).create({"group_payment": True})._create_payments()
        tree = self._tree(self._check(self.connection_b.name))
        self.assertEqual(self._text(tree, ".o_water_check_name"), "WA*****")
        self.assertFalse(tree.cssselect("a.o_water_check_pay"))
        self.assertFalse(tree.cssselect(".o_water_check_total"))

    def test_unknown_number_leaks_nothing(self):
        for number in ("TM-0000", "%", "TM-%", "_M-9001"):
            tree = self._tree(self._check(number))
            self.assertTrue(tree.cssselect(".o_water_check_unknown"), number)
            self.assertFalse(tree.cssselect(".o_water_check_result"), number)

    def test_rate_limit_per_address(self):
        Hit = self.env["water.bill.check.hit"]
        for _attempt in range(10):
            self.assertEqual(self._check("TM-0000").status_code, 200)
        response = self._check(self.connection_a.name)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many look-ups", response.text)
        self.assertNotIn("SU****** HA**", response.text)
        self.assertEqual(Hit.search_count([("address", "=", "127.0.0.1")]), 10)
        # another address is counted apart
        self.assertTrue(Hit._register_hit("10.1.2.3"))

        # a minute later the old look-ups are pruned and the client passes again
        hits = Hit.search([("address", "=", "127.0.0.1")])
        hits.write({"hit_time": hits[0].hit_time - timedelta(minutes=2)})
        response = self._check(self.connection_a.name)
        self.assertEqual(response.status_code, 200)
        self.assertIn("SU****** HA**", response.text)
        self.assertEqual(Hit.search_count([("address", "=", "127.0.0.1")]), 1)
        self.assertFalse(hits.exists())
