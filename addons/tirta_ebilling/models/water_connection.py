import re

from odoo import api, fields, models

INDONESIA_CODE = "62"


def normalize_phone(number):
    """Return ``number`` as Indonesian international digits (62...), or False.

    Staff type numbers as 0812-..., +62 812 ..., 62812... or 812...; wa.me and
    the SMS gateway need the country code without the trunk zero.
    """
    if not number:
        return False
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+") and not digits.startswith(INDONESIA_CODE):
        # a foreign number: keep its own country code
        return digits if 8 <= len(digits) <= 15 else False
    if digits.startswith(INDONESIA_CODE + "0"):
        # "+62 (0)812...": the trunk zero written after the country code
        digits = INDONESIA_CODE + digits[3:]
    elif digits.startswith("0"):
        digits = INDONESIA_CODE + digits[1:]
    elif digits.startswith("8"):
        digits = INDONESIA_CODE + digits
    if not digits.startswith(INDONESIA_CODE) or not 10 <= len(digits) <= 15:
        return False
    return digits


def is_mobile(number):
    """Indonesian mobile numbers (the ones WhatsApp and SMS reach) are 628..."""
    return bool(number) and number.startswith(INDONESIA_CODE + "8")


class WaterConnection(models.Model):
    _inherit = "water.connection"

    delivery_channel = fields.Selection(
        [
            ("whatsapp", "WhatsApp"),
            ("sms", "SMS"),
            ("email", "E-mail"),
            ("paper", "Paper"),
        ],
        string="Bill Delivery",
        compute="_compute_delivery_channel",
        store=True,
        readonly=False,
        help="How this connection's bills and reminders reach the customer. "
        "Set from the customer's mobile number or e-mail; paper bills are "
        "printed and brought by the collector.",
    )
    delivery_ids = fields.One2many("water.bill.delivery", "connection_id")

    @api.depends("partner_id.mobile", "partner_id.phone", "partner_id.email")
    def _compute_delivery_channel(self):
        for connection in self:
            # a channel chosen by staff stays while the customer can still be
            # reached by it
            if not connection.delivery_channel or not connection._can_deliver_by(
                connection.delivery_channel
            ):
                connection.delivery_channel = connection._get_default_delivery_channel()

    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_ebilling.water_bill_delivery_action"
        )
        action["domain"] = [("connection_id", "=", self.id)]
        action["context"] = {}
        return action

    def _get_mobile_number(self):
        """The customer's mobile number as 62..., or False."""
        self.ensure_one()
        for number in (self.partner_id.mobile, self.partner_id.phone):
            normalized = normalize_phone(number)
            if is_mobile(normalized):
                return normalized
        return False

    def _can_deliver_by(self, channel):
        """Whether the customer has the address ``channel`` needs."""
        self.ensure_one()
        if channel in ("whatsapp", "sms"):
            return bool(self._get_mobile_number())
        if channel == "email":
            return bool(self.partner_id.email)
        return True

    def _get_default_delivery_channel(self):
        """WhatsApp for a mobile number, else e-mail, else paper."""
        self.ensure_one()
        for channel in ("whatsapp", "email"):
            if self._can_deliver_by(channel):
                return channel
        return "paper"
