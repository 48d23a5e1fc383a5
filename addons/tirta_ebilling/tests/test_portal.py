from urllib.parse import urlparse

from odoo.tests import tagged

from .common_portal import TirtaPortalCommon, digits


@tagged("post_install", "-at_install")
class TestPortal(TirtaPortalCommon):
    def test_my_water_shows_own_connection_bills_and_payments(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.bill_a_sep.ids
        ).create({"payment_date": "2026-09-15"})._create_payments()
        payment = self.bill_a_sep._get_reconciled_payments()
        self.assertEqual(payment.amount, 26000)

        self.authenticate("pel_a", "pel_apel_a")
        tree = self._tree(self.url_open("/my/water"))

        sections = tree.cssselect("section.o_water_connection")
        self.assertEqual(
            [s.get("data-connection") for s in sections], [self.connection_a.name]
        )
        self.assertEqual(digits(self._text(tree, ".o_water_amount_open")), "65500")
        rows = [
            [" ".join(td.text_content().split()) for td in row.cssselect("td")]
            for row in tree.cssselect("table.o_water_bills tbody tr")
        ]
        # unpaid first: October (112 -> 137), then the paid September
        self.assertEqual(
            [(r[1], r[2], r[3], digits(r[4]), digits(r[5])) for r in rows],
            [
                ("112", "137", "25", "65500", "65500"),
                ("100", "112", "12", "26000", "0"),
            ],
        )
        self.assertIn("October 2026", rows[0][0])
        self.assertIn("Paid", rows[1][6])
        payment_rows = tree.cssselect("table.o_water_payments tbody tr")
        self.assertEqual(len(payment_rows), 1)
        self.assertIn(payment.name, payment_rows[0].text_content())
        self.assertEqual(
            digits(payment_rows[0].cssselect("td")[3].text_content()), "26000"
        )
        bars = tree.cssselect(".o_water_chart > div")
        self.assertEqual(
            [digits(bar.cssselect("small")[0].text_content()) for bar in bars],
            ["12", "25"],
        )
        heights = [bar.cssselect(".bg-primary")[0].get("style") for bar in bars]
        self.assertEqual(heights, ["height: 48%;", "height: 100%;"])
        pay_all = tree.cssselect("section.o_water_connection a.btn-primary")[0]
        self.assertIn(f"/my/water/bills/{self.bill_a_oct.id}?", pay_all.get("href"))
        self.assertNotIn(self.connection_b.name, tree.text_content())

    def test_portal_home_counts_connections(self):
        self.authenticate("pel_a", "pel_apel_a")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["water_connection_count"]}
        )
        self.assertEqual(counters["water_connection_count"], 1)
        home = self.url_open("/my/home")
        self.assertIn('href="/my/water"', home.text)

    def test_other_customer_sees_nothing_of_a(self):
        self.authenticate("pel_b", "pel_bpel_b")
        tree = self._tree(self.url_open("/my/water"))
        page = tree.text_content()
        self.assertIn(self.connection_b.name, page)
        self.assertNotIn(self.connection_a.name, page)
        self.assertNotIn("SUPARMAN", page)

        for url in (
            f"/my/water/bills/{self.bill_a_oct.id}",
            f"/my/invoices/{self.bill_a_oct.id}",
            f"/my/water/bills/{self.bill_a_oct.id}?report_type=html",
        ):
            response = self.url_open(url)
            self.assertIn(urlparse(response.url).path, ("/my", "/my/home"), url)
            self.assertNotIn(self.bill_a_oct.name, response.text)
            self.assertNotIn("SUPARMAN", response.text)

        invoices = self.url_open("/my/invoices").text
        self.assertIn(self.bill_b_oct.name, invoices)
        self.assertNotIn(self.bill_a_oct.name, invoices)

    def test_portal_user_sees_own_bill_without_token(self):
        self.authenticate("pel_a", "pel_apel_a")
        tree = self._tree(self.url_open(f"/my/water/bills/{self.bill_a_oct.id}"))
        self.assertEqual(digits(self._text(tree, ".o_water_amount_due")), "65500")

    def test_anonymous_is_sent_to_login(self):
        response = self.url_open("/my/water")
        self.assertIn("/web/login", response.url)
        self.assertNotIn(self.connection_a.name, response.text)
