from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo.addons.sms.models.sms_sms import SmsApi
from odoo.addons.tirta_ebilling.models.whatsapp_gateway import WaterWhatsappGateway
from odoo.addons.tirta_water.tests.common import TirtaWaterCommon

DELIVERY_LOGGER = "odoo.addons.tirta_ebilling.models.water_bill_delivery"


class TirtaDeliveryCommon(TirtaWaterCommon):
    """Customers reached by each channel: WhatsApp, SMS, e-mail and paper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"email": "air@tirta-lestari.example"})
        cls.conn_wa = cls._create_connection(name="TM-0101", opening=1348)
        cls.conn_wa.partner_id.write(
            {"name": "Suparman Hadi", "mobile": "0812-3456-7890"}
        )
        cls.conn_sms = cls._create_connection(name="TM-0102", opening=100)
        cls.conn_sms.partner_id.write(
            {"name": "Siti Aminah", "mobile": "+62 813 1111 2222"}
        )
        cls.conn_sms.delivery_channel = "sms"
        cls.conn_mail = cls._create_connection(name="TM-0103", opening=200)
        cls.conn_mail.partner_id.write(
            {"name": "Budi Santoso", "email": "budi@example.com"}
        )
        cls.conn_paper = cls._create_connection(name="TM-0104", opening=300)

    def _bill_october(self):
        """Bill October: 23, 10, 12 and 5 m³ (household tariff, version B)."""
        self._read(self.conn_wa, self.period_oct, 1371)
        self._read(self.conn_sms, self.period_oct, 110)
        self._read(self.conn_mail, self.period_oct, 212)
        self._read(self.conn_paper, self.period_oct, 305)
        with self._no_iap():
            invoices = self._bill(self.period_oct)
        return {move.water_connection_id: move for move in invoices}

    @contextmanager
    def _no_iap(self):
        """SMS are queued for Odoo's SMS cron: nothing may call IAP here."""
        with patch.object(SmsApi, "_contact_iap") as contact_iap:
            yield
        contact_iap.assert_not_called()

    @contextmanager
    def _fake_gateway(self, fail_numbers=()):
        """A WhatsApp provider that records what it sends; it fails for
        ``fail_numbers``. Yields the list of (number, text) sent."""
        sent = []

        def _whatsapp_send_fake(gateway, delivery):
            if delivery.recipient in fail_numbers:
                raise ConnectionError(f"Provider refused {delivery.recipient}")
            sent.append((delivery.recipient, delivery.message))
            return True

        with (
            patch.object(
                WaterWhatsappGateway,
                "_get_whatsapp_gateway",
                lambda gateway, company: "fake",
            ),
            patch.object(
                WaterWhatsappGateway,
                "_whatsapp_send_fake",
                _whatsapp_send_fake,
                create=True,
            ),
        ):
            yield sent

    def _deliveries(self, bills):
        return self.env["water.bill.delivery"].search([("move_id", "in", bills.ids)])

    def _whatsapp_text(self, delivery):
        """The prefilled text of a wa.me link."""
        query = parse_qs(urlsplit(delivery.whatsapp_url).query)
        return query["text"][0]
