import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.tirta_ebilling.models.water_connection import normalize_phone
from odoo.addons.tirta_ebilling.models.whatsapp_gateway import WaterWhatsappGateway

from .delivery_common import DELIVERY_LOGGER, TirtaDeliveryCommon


@tagged("post_install", "-at_install")
class TestDelivery(TirtaDeliveryCommon):
    def test_phone_normalisation(self):
        cases = {
            "0812-3456-7890": "6281234567890",
            "+62 812 3456 7890": "6281234567890",
            "62 812 3456 7890": "6281234567890",
            "+62 (0)812 3456 7890": "6281234567890",
            "812 3456 7890": "6281234567890",
            "(0341) 123456": "62341123456",
            "+60 12 345 6789": "60123456789",
            "12345": False,
            "": False,
            False: False,
        }
        for number, expected in cases.items():
            with self.subTest(number=number):
                self.assertEqual(normalize_phone(number), expected)

    def test_default_channel(self):
        self.assertEqual(self.conn_wa.delivery_channel, "whatsapp")
        self.assertEqual(self.conn_sms.delivery_channel, "sms")
        self.assertEqual(self.conn_mail.delivery_channel, "email")
        self.assertEqual(self.conn_paper.delivery_channel, "paper")

        # a landline reaches neither WhatsApp nor SMS
        landline = self._create_connection()
        landline.partner_id.phone = "(0341) 123456"
        self.assertEqual(landline.delivery_channel, "paper")
        landline.partner_id.email = "rumah@example.com"
        self.assertEqual(landline.delivery_channel, "paper", "a choice stays")

        # a channel that no longer reaches the customer falls back
        self.conn_wa.partner_id.email = "suparman@example.com"
        self.conn_wa.partner_id.mobile = False
        self.assertEqual(self.conn_wa.delivery_channel, "email")

    def test_billing_run_delivers_each_bill_once(self):
        bills = self._bill_october()
        self.assertEqual(len(bills), 4)
        deliveries = self.env["water.bill.delivery"].search(
            [("period_id", "=", self.period_oct.id)]
        )
        self.assertEqual(
            sorted(
                (d.connection_id.name, d.move_id, d.stage, d.channel, d.state)
                for d in deliveries
            ),
            [
                ("TM-0101", bills[self.conn_wa], "bill", "whatsapp", "pending"),
                ("TM-0102", bills[self.conn_sms], "bill", "sms", "sent"),
                ("TM-0103", bills[self.conn_mail], "bill", "email", "sent"),
                ("TM-0104", bills[self.conn_paper], "bill", "paper", "pending"),
            ],
        )
        self.assertEqual(
            [bills[c].amount_total for c in self.conn_wa | self.conn_sms],
            [58500, 23000],
        )
        sms_count = self.env["sms.sms"].search_count([])
        mail_count = self.env["mail.mail"].search_count([])

        # a second pass bills nothing, and nothing goes out again
        with self._no_iap():
            self.assertFalse(self._bill(self.period_oct))
            again = self.env["water.bill.delivery"]._deliver(
                self.env["account.move"].concat(*bills.values()), "bill"
            )
        self.assertFalse(again)
        self.assertEqual(
            self.env["water.bill.delivery"].search_count(
                [("period_id", "=", self.period_oct.id)]
            ),
            4,
        )
        self.assertEqual(self.env["sms.sms"].search_count([]), sms_count)
        self.assertEqual(self.env["mail.mail"].search_count([]), mail_count)

    def test_send_bills_posted_before(self):
        """Bills posted without a delivery (e-billing installed later, or a
        lost row) go out from the period's button, once."""
        bills = self._bill_october()
        wa_delivery = self._deliveries(bills[self.conn_wa])
        wa_delivery.unlink()
        self.assertFalse(self._deliveries(bills[self.conn_wa]))

        with self._no_iap():
            self.period_oct.action_deliver_bills()
            self.period_oct.action_deliver_bills()
        again = self._deliveries(bills[self.conn_wa])
        self.assertEqual(len(again), 1)
        self.assertRecordValues(
            again, [{"stage": "bill", "channel": "whatsapp", "state": "pending"}]
        )
        self.assertEqual(
            self.env["water.bill.delivery"].search_count(
                [("period_id", "=", self.period_oct.id)]
            ),
            4,
        )

    def test_paid_bill_message_is_not_sent(self):
        """A bill paid after its message was prepared: staff are not sent to
        ask for money already paid."""
        bill = self._bill_october()[self.conn_wa]
        delivery = self._deliveries(bill)
        to_send = self.env["water.bill.delivery"].search(
            [("move_id", "=", bill.id), ("state", "=", "pending")]
        )
        self.assertEqual(to_send, delivery)
        self._pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

        action = delivery.action_open_whatsapp()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(bill.name, action["params"]["message"])
        self.assertEqual(delivery.state, "cancel")
        self.assertFalse(delivery.date_sent)

    def test_whatsapp_link(self):
        bill = self._bill_october()[self.conn_wa]
        delivery = self._deliveries(bill)
        link = bill._get_water_bill_link()
        self.assertEqual(
            link,
            f"{bill.get_base_url()}{bill.access_url}?access_token={bill.access_token}",
        )
        self.assertTrue(
            delivery.whatsapp_url.startswith("https://wa.me/6281234567890?text=")
        )
        self.assertEqual(
            self._whatsapp_text(delivery),
            "Dear Suparman Hadi,\n"
            "your water bill for connection TM-0101, period 2026-10:\n"
            "consumption 23 m³, amount Rp\xa058,500, due 10/20/2026.\n"
            f"View and pay: {link}\n"
            f"{self.company.name}",
        )
        self.assertFalse(bill.is_move_sent)

        action = delivery.action_open_whatsapp()
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_url",
                "url": delivery.whatsapp_url,
                "target": "new",
            },
        )
        self.assertEqual(delivery.state, "sent")
        self.assertTrue(delivery.date_sent)
        self.assertTrue(bill.is_move_sent)
        self.assertIn(
            "Sent by WhatsApp to 6281234567890", delivery.mail_message_id.body
        )
        self.assertEqual(delivery.mail_message_id.res_id, bill.id)
        with self.assertRaises(UserError):
            delivery.action_open_whatsapp()

    def test_sms(self):
        bill = self._bill_october()[self.conn_sms]
        delivery = self._deliveries(bill)
        sms = self.env["sms.sms"].search(
            [("mail_message_id", "=", delivery.mail_message_id.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.number, "+6281311112222")
        self.assertEqual(sms.partner_id, self.conn_sms.partner_id)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(
            sms.body,
            f"{self.company.name}: water bill TM-0102 2026-10 Rp\xa023,000, due "
            f"10/20/2026. Pay: {bill._get_water_bill_link()}",
        )
        self.assertEqual(delivery.state, "sent")
        self.assertTrue(bill.is_move_sent)

    def test_email(self):
        bill = self._bill_october()[self.conn_mail]
        delivery = self._deliveries(bill)
        message = delivery.mail_message_id
        self.assertEqual(message.model, "account.move")
        self.assertEqual(message.res_id, bill.id)
        self.assertEqual(
            message.subject,
            f"{self.company.name}: water bill TM-0103 for 2026-10",
        )
        self.assertIn(bill._get_water_bill_link().replace("&", "&amp;"), message.body)
        self.assertIn("Rp&nbsp;28,000", message.body)
        self.assertEqual(message.partner_ids, self.conn_mail.partner_id)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.conn_mail.partner_id)
        self.assertEqual(mail.state, "outgoing")
        report = self.env.ref("tirta_ebilling.action_report_water_bill")
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertEqual(message.attachment_ids, mail.attachment_ids)
        # the PDF engine renders HTML in test mode: same report, other suffix
        attachment = message.attachment_ids
        self.assertEqual(attachment.name.rsplit(".", 1)[0], "TM-0103 - 2026-10")
        self.assertEqual(
            self.env.ref("tirta_ebilling.mail_template_water_bill").report_template_ids,
            report,
        )
        self.assertIn(b"TM-0103", attachment.raw)
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("account.move", bill.id)
        )
        self.assertEqual(delivery.state, "sent")

    def test_failure_marks_its_row_and_others_go(self):
        # an e-mail customer whose address was removed after choosing e-mail
        self.conn_mail.partner_id.email = False
        self.conn_mail.delivery_channel = "email"
        second_wa = self._create_connection(name="TM-0105", opening=0)
        second_wa.partner_id.write({"name": "Wati", "mobile": "0857 0000 1111"})
        self._read(second_wa, self.period_oct, 8)
        with (
            self._fake_gateway(fail_numbers=("6281234567890",)) as sent,
            self.assertLogs(DELIVERY_LOGGER, level=logging.INFO) as logs,
        ):
            bills = self._bill_october()
        moves = self.env["account.move"].concat(*bills.values())
        by_connection = {d.connection_id: d for d in self._deliveries(moves)}
        failed_wa = by_connection[self.conn_wa]
        self.assertEqual(failed_wa.state, "failed")
        self.assertEqual(failed_wa.error, "Provider refused 6281234567890")
        failed_mail = by_connection[self.conn_mail]
        self.assertEqual(failed_mail.state, "failed")
        self.assertEqual(
            failed_mail.error,
            "Customer Budi Santoso of connection TM-0103 has no e-mail address.",
        )
        self.assertFalse(failed_mail.mail_message_id)
        self.assertEqual(by_connection[second_wa].state, "sent")
        self.assertEqual(by_connection[self.conn_sms].state, "sent")
        self.assertEqual(sent, [("6285700001111", by_connection[second_wa].message)])
        self.assertIn(
            "Bill deliveries: 2 sent, 2 failed, 1 waiting for staff",
            "\n".join(logs.output),
        )

        # fixed address: a retry sends it
        self.conn_mail.partner_id.email = "budi@example.com"
        failed_mail.action_retry()
        self.assertEqual(failed_mail.state, "sent")
        self.assertEqual(failed_mail.recipient, "budi@example.com")
        self.assertFalse(failed_mail.error)

    def test_gateway_sends_exact_messages(self):
        with self._fake_gateway() as sent:
            bill = self._bill_october()[self.conn_wa]
        delivery = self._deliveries(bill)
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(sent, [("6281234567890", delivery.message)])
        self.assertIn("amount Rp\xa058,500, due 10/20/2026", delivery.message)

    def test_missing_gateway_module(self):
        with patch.object(
            WaterWhatsappGateway, "_get_whatsapp_gateway", lambda gw, company: "gone"
        ):
            bill = self._bill_october()[self.conn_wa]
        delivery = self._deliveries(bill)
        self.assertEqual(delivery.state, "failed")
        self.assertIn("WhatsApp gateway gone cannot send messages", delivery.error)

    def test_access(self):
        bill = self._bill_october()[self.conn_wa]
        delivery = self._deliveries(bill)
        reader = new_test_user(
            self.env, "reader", groups="tirta_water.group_water_reader"
        )
        cashier = new_test_user(
            self.env, "cashier", groups="tirta_water.group_water_cashier"
        )
        with self.assertRaises(AccessError):
            delivery.with_user(reader).read(["state"])
        # the cashier at the office sends the click-to-chat messages
        action = delivery.with_user(cashier).action_open_whatsapp()
        self.assertEqual(action["url"], delivery.whatsapp_url)
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.mail_message_id.author_id, cashier.partner_id)
        with self.assertRaises(AccessError):
            self.env["water.bill.delivery"].with_user(cashier).create(
                {"move_id": bill.id, "stage": "after_due", "channel": "sms"}
            )

    def test_paper_bills_printed_and_marked_sent(self):
        bill = self._bill_october()[self.conn_paper]
        delivery = self._deliveries(bill)
        self.assertEqual((delivery.channel, delivery.state), ("paper", "pending"))
        # a company without a document layout is first asked to pick one
        self.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        action = delivery.action_print_bills()
        self.assertEqual(action["report_name"], "tirta_ebilling.report_water_bill")
        self.assertEqual(action["context"]["active_ids"], bill.ids)
        delivery.action_mark_sent()
        self.assertEqual(delivery.state, "sent")
        self.assertTrue(bill.is_move_sent)
        with self.assertRaises(UserError):
            delivery.action_mark_sent()
        action = self.conn_paper.action_view_deliveries()
        self.assertEqual(
            self.env["water.bill.delivery"].search(action["domain"]), delivery
        )
