from odoo import api, models
from odoo.exceptions import UserError


class WaterWhatsappGateway(models.AbstractModel):
    """How a WhatsApp message of a bill delivery leaves.

    A provider module adds its value to ``res.company.whatsapp_gateway`` with
    ``selection_add`` and implements ``_whatsapp_send_<value>(delivery)`` on
    this model: it sends ``delivery.message`` to ``delivery.phone`` and returns
    True, or raises an exception with a readable message, which marks the
    delivery failed.
    """

    _name = "water.whatsapp.gateway"
    _description = "WhatsApp Gateway"

    @api.model
    def _get_whatsapp_gateway(self, company):
        """The gateway of ``company``; a hook for tests and provider modules."""
        return company.whatsapp_gateway or "manual"

    @api.model
    def _whatsapp_send(self, delivery):
        """Send ``delivery`` through its company's gateway.

        :return: True when the message left, False when it waits for staff
        """
        gateway = self._get_whatsapp_gateway(delivery.company_id)
        method = getattr(self, f"_whatsapp_send_{gateway}", None)
        if method is None:
            raise UserError(
                self.env._(
                    "WhatsApp gateway %(gateway)s cannot send messages: the module "
                    "that provides it is missing.",
                    gateway=gateway,
                )
            )
        return method(delivery)

    @api.model
    def _whatsapp_send_manual(self, delivery):
        """Click-to-chat: staff send the prepared wa.me link themselves."""
        return False
