from unittest.mock import patch

from lxml import html

from odoo.tests import tagged

from .common_portal import TirtaPortalCommon, digits

QRIS_REQUEST = "odoo.addons.l10n_id.models.res_bank._l10n_id_make_qris_request"


@tagged("post_install", "-at_install")
class TestBillLink(TirtaPortalCommon):
    def test_signed_link_points_to_the_bill_page(self):
        bill = self.bill_a_oct
        self.assertEqual(bill.access_url, f"/my/water/bills/{bill.id}")
        link = bill._get_water_bill_link()
        self.assertEqual(
            link,
            f"{bill.get_base_url()}/my/water/bills/{bill.id}"
            f"?access_token={bill.access_token}",
        )

    def test_link_opens_the_bill_without_login(self):
        bill = self.bill_a_oct
        tree = self._tree(self.url_open(bill._get_share_url()))

        self.assertEqual(digits(self._text(tree, ".o_water_amount_due")), "65500")
        self.assertEqual(digits(self._text(tree, ".o_water_total_open")), "91500")
        self.assertEqual(self._text(tree, ".o_water_consumption"), "25")
        self.assertEqual(self._text(tree, ".o_water_date_due"), "10/20/2026")
        lines = [
            [" ".join(td.text_content().split()) for td in row.cssselect("td")]
            for row in tree.cssselect("table.o_water_bill_lines tr")
        ]
        self.assertEqual(
            [digits(line[1]) for line in lines],
            ["15000", "25000", "17500", "6000", "2000", "65500"],
        )
        self.assertIn("block 1", lines[0][0])
        self.assertIn("10 m³", lines[0][0])
        others = tree.cssselect(".o_water_other_bills tr")
        self.assertEqual(len(others), 1)
        self.assertIn("September 2026", others[0].text_content())
        self.assertEqual(digits(others[0].cssselect("td")[1].text_content()), "26000")

        # the connection owes two months: the page offers to pay both at once
        form = tree.cssselect("form#o_payment_form")[0]
        self.assertEqual(float(form.get("data-amount")), 91500)
        self.assertEqual(
            form.get("data-transaction-route"), f"/my/water/transaction/{bill.id}"
        )
        self.assertEqual(form.get("data-access-token"), bill.access_token)
        self.assertEqual(
            [
                int(i.get("data-payment-option-id"))
                for i in tree.cssselect("input[name='o_payment_radio']")
            ],
            self.payment_method_demo.ids,
        )

        tree = self._tree(
            self.url_open(bill.get_portal_url(query_string="&scope=bill"))
        )
        form = tree.cssselect("form#o_payment_form")[0]
        self.assertEqual(float(form.get("data-amount")), 65500)
        self.assertEqual(
            form.get("data-transaction-route"), f"/invoice/transaction/{bill.id}"
        )

    def test_link_without_login_masks_the_customer(self):
        """The bill check hands the signed link to anybody who knows the
        number: without login the page masks the name and gives no PDF."""
        bill = self.bill_a_oct
        response = self.url_open(bill._get_share_url())
        tree = self._tree(response)
        self.assertEqual(self._text(tree, ".o_water_customer"), "SU****** HA**")
        for secret in ("SUPARMAN", "HADI", "Jalan Melati", "report_type=pdf"):
            self.assertNotIn(secret, response.text)
        pdf = self.url_open(
            bill.get_portal_url(report_type="pdf", download=True), allow_redirects=False
        )
        self.assertNotEqual(pdf.headers.get("Content-Type"), "application/pdf")
        self.assertNotIn("SUPARMAN", pdf.text)

        # the customer, logged in, sees the name and gets the printed bill
        self.authenticate("pel_a", "pel_apel_a")
        tree = self._tree(self.url_open(f"/my/water/bills/{bill.id}"))
        self.assertEqual(self._text(tree, ".o_water_customer"), "SUPARMAN HADI")
        self.assertTrue(tree.cssselect("a[href*='report_type=pdf']"))

    def test_tampered_or_missing_token_shows_nothing(self):
        bill = self.bill_a_oct
        token = bill._portal_ensure_token()
        for query in (f"?access_token={token[:-1]}x", "", "?access_token="):
            response = self.url_open(f"/my/water/bills/{bill.id}{query}")
            self.assertIn("/web/login", response.url)
            self.assertNotIn(bill.name, response.text)
            self.assertNotIn("SUPARMAN", response.text)
            self.assertNotIn("65,500", response.text)
        # the token of one bill opens no other bill
        response = self.url_open(
            f"/my/water/bills/{self.bill_b_oct.id}?access_token={token}"
        )
        self.assertIn("/web/login", response.url)
        self.assertNotIn("WARSITI", response.text)

    def test_qris_code_on_the_bill_page(self):
        self.company.qr_code = True
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "1234567890",
                "partner_id": self.company.partner_id.id,
                "l10n_id_qris_api_key": "key",
                "l10n_id_qris_mid": "mid",
            }
        )
        self.bill_a_oct.partner_bank_id = bank
        answer = {
            "status": "success",
            "data": {
                "qris_content": "00020101021226QRISTEST",
                "qris_request_date": "2026-12-04 10:00:00",
                "qris_invoiceid": "998877",
                "qris_nmid": "ID1020021181745",
            },
        }
        with patch(QRIS_REQUEST, return_value=answer) as qris:
            url = self.bill_a_oct.get_portal_url(query_string="&scope=bill")
            tree = self._tree(self.url_open(url))
        self.assertEqual(qris.call_count, 1)
        self.assertEqual(qris.call_args.args[1]["cliTrxAmount"], 65500)
        image = tree.cssselect(".o_water_qris img")[0]
        self.assertTrue(image.get("src").startswith("data:image/png;base64,"))
        transaction = self.bill_a_oct.l10n_id_qris_transaction_ids
        self.assertEqual(transaction.qris_amount, 65500)

        # without QRIS keys the page shows no code and asks nothing
        bank.l10n_id_qris_api_key = False
        with patch(QRIS_REQUEST) as qris:
            tree = self._tree(self.url_open(url))
        qris.assert_not_called()
        self.assertFalse(tree.cssselect(".o_water_qris"))

    def test_bill_report_figures(self):
        report = self.env.ref("tirta_ebilling.action_report_water_bill")
        self.assertEqual(report.model, "account.move")
        self.assertEqual(report.binding_model_id.model, "account.move")
        self.assertEqual(report.domain, "[('water_connection_id', '!=', False)]")

        bill = self.bill_a_oct
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            report.report_name, bill.ids
        )
        tree = html.fromstring(content)

        def text(selector):
            return " ".join(tree.cssselect(selector)[0].text_content().split())

        self.assertEqual(text(".o_water_connection_number"), self.connection_a.name)
        self.assertIn("SUPARMAN HADI", tree.text_content())
        self.assertIn("Jalan Melati 7", tree.text_content())
        self.assertIn("October 2026", text(".o_water_period"))
        self.assertEqual(text(".o_water_previous"), "112")
        self.assertEqual(text(".o_water_current"), "137")
        self.assertEqual(text(".o_water_consumption"), "25")
        rows = tree.cssselect("table.o_water_lines tbody tr")
        self.assertEqual(
            [
                (
                    digits(r.cssselect("td")[1].text_content()),
                    digits(r.cssselect("td")[3].text_content()),
                )
                for r in rows[:5]
            ],
            [
                ("10", "15000"),
                ("10", "25000"),
                ("5", "17500"),
                ("1", "6000"),
                ("1", "2000"),
            ],
        )
        self.assertEqual(digits(text(".o_water_amount_total")), "65500")
        arrears = tree.cssselect("table.o_water_arrears tr")
        self.assertIn("September 2026", arrears[0].text_content())
        self.assertEqual(digits(arrears[0].cssselect("td")[2].text_content()), "26000")
        self.assertEqual(digits(text(".o_water_arrears_total")), "26000")
        self.assertEqual(digits(text(".o_water_total_due")), "91500")
        self.assertEqual(text(".o_water_bill_link"), bill._get_water_bill_link())
        qr = tree.cssselect("img.o_water_bill_qr")[0]
        self.assertTrue(qr.get("src").startswith("data:image/png;base64,"))

        # the September bill has no arrears: nothing older is unpaid
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            report.report_name, self.bill_a_sep.ids
        )
        tree = html.fromstring(content)
        self.assertFalse(tree.cssselect("table.o_water_arrears"))
        self.assertEqual(digits(text(".o_water_total_due")), "26000")
