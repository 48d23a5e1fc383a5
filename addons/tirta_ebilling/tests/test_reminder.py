from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .delivery_common import TirtaDeliveryCommon


@tagged("post_install", "-at_install")
class TestReminder(TirtaDeliveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.conn_wa_2 = cls._create_connection(name="TM-0105", opening=0)
        cls.conn_wa_2.partner_id.write({"name": "Wati", "mobile": "0857 0000 1111"})
        cls.conn_wa_3 = cls._create_connection(name="TM-0106", opening=0)
        cls.conn_wa_3.partner_id.write({"name": "Joko", "mobile": "0878 2222 3333"})

    def _bill_october(self):
        self._read(self.conn_wa_2, self.period_oct, 8)
        self._read(self.conn_wa_3, self.period_oct, 10)
        return super()._bill_october()

    def _pay(self, bill, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bill.ids
        ).create({"payment_date": day, "amount": amount})._create_payments()

    def _run_cron(self, day):
        """Run the daily reminder job on ``day``; return the new reminders."""
        model = self.env["water.bill.delivery"]
        before = model.search([])
        with freeze_time(day), self._no_iap():
            model._cron_send_reminders()
        return model.search([]) - before

    def _summary(self, deliveries):
        return sorted(
            (d.connection_id.name, d.stage, d.channel, d.state) for d in deliveries
        )

    def test_reminders_once_per_stage_for_unpaid_bills(self):
        self.assertEqual(
            (
                self.company.water_reminder_before_days,
                self.company.water_reminder_after_days,
            ),
            (3, 3),
        )
        bills = self._bill_october()
        self.assertEqual(self.period_oct.date_due, date(2026, 10, 20))
        bill_wa, bill_wa_2, bill_wa_3 = (
            bills[self.conn_wa],
            bills[self.conn_wa_2],
            bills[self.conn_wa_3],
        )
        # paid in full before the first reminder: gets none
        self._pay(bills[self.conn_sms], 23000, date(2026, 10, 10))
        # partly paid: reminded of what is left
        self._pay(bill_wa_2, 10000, date(2026, 10, 10))

        self.assertFalse(self._run_cron(date(2026, 10, 16)), "4 days before: none")

        with self._fake_gateway() as sent:
            before = self._run_cron(date(2026, 10, 17))
        self.assertEqual(
            self._summary(before),
            [
                ("TM-0101", "before_due", "whatsapp", "sent"),
                ("TM-0103", "before_due", "email", "sent"),
                ("TM-0105", "before_due", "whatsapp", "sent"),
                ("TM-0106", "before_due", "whatsapp", "sent"),
            ],
        )
        link = bill_wa_2._get_water_bill_link()
        self.assertIn(
            (
                "6285700001111",
                "Dear Wati,\n"
                "a reminder: your water bill for connection TM-0105, period 2026-10, "
                "of Rp\xa010,000 is due on 10/20/2026.\n"
                f"View and pay: {link}\n"
                "Please ignore this message if you have already paid.\n"
                f"{self.company.name}",
            ),
            sent,
        )
        self.assertEqual(
            sorted(number for number, _text in sent),
            ["6281234567890", "6285700001111", "6287822223333"],
        )
        mail_message = before.filtered(lambda d: d.channel == "email").mail_message_id
        self.assertIn("is due soon", mail_message.body)
        self.assertIn("Rp&nbsp;28,000", mail_message.body)

        # the same day again, and the next days: nothing more
        self.assertFalse(self._run_cron(date(2026, 10, 17)))
        self.assertFalse(self._run_cron(date(2026, 10, 19)))
        self.assertFalse(self._run_cron(date(2026, 10, 22)), "due + 2 days: none")

        # paid between the two reminders: no reminder after the due date
        self._pay(bill_wa_3, bill_wa_3.amount_residual, date(2026, 10, 21))

        with self._fake_gateway() as sent:
            after = self._run_cron(date(2026, 10, 23))
        self.assertEqual(
            self._summary(after),
            [
                ("TM-0101", "after_due", "whatsapp", "sent"),
                ("TM-0103", "after_due", "email", "sent"),
                ("TM-0105", "after_due", "whatsapp", "sent"),
            ],
        )
        self.assertEqual(
            sent[0],
            (
                "6281234567890",
                "Dear Suparman Hadi,\n"
                "your water bill for connection TM-0101, period 2026-10, of "
                "Rp\xa058,500 was due on 10/20/2026 and is still unpaid.\n"
                f"Please pay it soon: {bill_wa._get_water_bill_link()}\n"
                "Please ignore this message if you have already paid.\n"
                f"{self.company.name}",
            ),
        )
        self.assertFalse(self._run_cron(date(2026, 10, 23)))
        self.assertFalse(self._run_cron(date(2026, 10, 24)))
        # the paper customer is never reminded
        self.assertFalse(
            self._deliveries(bills[self.conn_paper]).filtered(
                lambda d: d.stage != "bill"
            )
        )

    def test_click_to_chat_reminder_cancelled_when_paid(self):
        bills = self._bill_october()
        reminders = self._run_cron(date(2026, 10, 17))
        pending = reminders.filtered(lambda d: d.channel == "whatsapp")
        self.assertEqual(len(pending), 3)
        self.assertEqual(set(pending.mapped("state")), {"pending"})
        self.assertIn(
            "wa.me/6287822223333?text=",
            pending.filtered(lambda d: d.connection_id == self.conn_wa_3).whatsapp_url,
        )

        bill_wa_3 = bills[self.conn_wa_3]
        self._pay(bill_wa_3, bill_wa_3.amount_residual, date(2026, 10, 18))
        self.assertFalse(self._run_cron(date(2026, 10, 18)))
        self.assertEqual(
            sorted((d.connection_id.name, d.state) for d in pending),
            [("TM-0101", "pending"), ("TM-0105", "pending"), ("TM-0106", "cancel")],
        )

    def test_no_late_catch_up_and_zero_days_disable(self):
        self._bill_october()
        # a job that has not run for weeks sends no month-old reminders
        self.assertFalse(self._run_cron(date(2026, 11, 15)))

        self.company.water_reminder_before_days = 0
        self.assertFalse(self._run_cron(date(2026, 10, 19)))
        self.assertEqual(len(self._run_cron(date(2026, 10, 23))), 5)

    def test_settings(self):
        settings = self.env["res.config.settings"].create(
            {"water_reminder_before_days": 5, "water_reminder_after_days": 7}
        )
        settings.execute()
        self.assertEqual(
            (
                self.company.water_reminder_before_days,
                self.company.water_reminder_after_days,
                self.company.whatsapp_gateway,
            ),
            (5, 7, "manual"),
        )
        with self.assertRaises(ValidationError):
            self.company.water_reminder_after_days = -1
