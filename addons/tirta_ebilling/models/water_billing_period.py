import logging

from odoo import models

_logger = logging.getLogger(__name__)


class WaterBillingPeriod(models.Model):
    _inherit = "water.billing.period"

    def _run_billing(self):
        result = super()._run_billing()
        self._deliver_bills(result["invoices"])
        return result

    def action_deliver_bills(self):
        """Send the period's posted bills that have not gone out yet: bills
        posted before e-billing was installed, or by hand. A bill already
        delivered is left alone."""
        for period in self:
            bills = self.env["account.move"].search(
                [
                    ("water_period_id", "=", period.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ]
            )
            period._deliver_bills(bills)
        return True

    def _deliver_bills(self, invoices):
        """Send the bills just posted by their connections' channels."""
        self.ensure_one()
        deliveries = self.env["water.bill.delivery"]._deliver(invoices, "bill")
        _logger.info(
            "Billing run %s: %s bill deliveries logged", self.name, len(deliveries)
        )
        return deliveries
