import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

_logger = logging.getLogger(__name__)

OPEN_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for move in self.filtered(lambda m: m._is_water_bill()):
            move.access_url = f"/my/water/bills/{move.id}"
        return res

    # ------------------------------------------------------------------
    # Open bills of a connection
    # ------------------------------------------------------------------

    @api.model
    def _get_water_open_bills_domain(self, connections):
        """Domain of the posted, not fully paid bills of ``connections``."""
        return [
            ("water_connection_id", "in", connections.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]

    @api.model
    def _get_water_open_bills(self, connections):
        """Posted, not fully paid bills of ``connections``, oldest first."""
        return self.search(
            self._get_water_open_bills_domain(connections),
            order="invoice_date_due, invoice_date, id",
        )

    def _get_water_arrears(self):
        """Unpaid bills of the same connection issued before or with this one.

        These are the arrears (tunggakan) printed on the bill, oldest first.
        """
        self.ensure_one()
        return self._get_water_open_bills(self.water_connection_id).filtered(
            lambda bill: bill != self
            and (bill.invoice_date or bill.date) <= (self.invoice_date or self.date)
        )

    def _get_water_bill_link(self):
        """Absolute signed link opening this bill without login."""
        self.ensure_one()
        return self.get_base_url() + self._get_share_url()

    def _get_water_bill_lang(self):
        """Language of the printed bill: Indonesian when installed."""
        self.ensure_one()
        return self.company_id._get_water_lang()

    def _get_water_usage_text(self):
        """The usage part of short messages: "consumption 23 m³, " for a
        metered bill, nothing for a flat-rate one."""
        self.ensure_one()
        if not self.water_reading_id:
            return ""
        return self.env._("consumption %(m3)s m³, ", m3=self.water_consumption)

    def _get_water_bill_period_label(self):
        """Month of the bill as staff and customers name it (e.g. Oktober 2026)."""
        self.ensure_one()
        period = self.water_period_id
        month = period.date_start if period else self.invoice_date
        return format_date(self.env, month, date_format="MMMM y") if month else ""

    def _prepare_water_bill_values(self):
        """Figures of one bill for its page and its printed form.

        Every amount comes from the bill's journal items, so what the customer
        sees equals the books.

        :return: dict with ``lines`` (name, quantity, price, subtotal),
            ``arrears`` (bills with their period and open amount),
            ``arrears_total``, ``amount_due`` (this bill's open amount) and
            ``total_due`` (this bill and the arrears)
        """
        self.ensure_one()
        lines = [
            {
                "name": line.name,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "subtotal": line.price_total,
                "is_water": line.product_id
                == self.water_tariff_version_id.tariff_id.product_water_id,
            }
            for line in self.invoice_line_ids.sorted("sequence")
            if line.display_type == "product"
        ]
        arrears = self._get_water_arrears()
        arrears_total = sum(arrears.mapped("amount_residual"))
        amount_due = self.amount_residual if self.state == "posted" else 0.0
        return {
            "lines": lines,
            "arrears": [
                {
                    "bill": bill,
                    "period": bill._get_water_bill_period_label(),
                    "amount": bill.amount_residual,
                }
                for bill in arrears
            ],
            "arrears_total": arrears_total,
            "amount_due": amount_due,
            "total_due": amount_due + arrears_total,
        }

    def _get_water_qris_image(self):
        """QRIS image (data URL) of this bill's open amount, or None.

        Only when the company prints QR codes and the bill's bank account has
        QRIS configured; the QR is asked from the QRIS service by ``l10n_id``.
        """
        self.ensure_one()
        if (
            not self.display_qr_code
            or not self.partner_bank_id
            or self.currency_id.is_zero(self.amount_residual)
        ):
            return None
        bank = self.partner_bank_id
        if bank._get_error_messages_for_qr("id_qr", self.partner_id, self.currency_id):
            return None
        try:
            return self.with_context(is_online_qr=True)._generate_qr_code(
                silent_errors=True
            )
        except (UserError, ValidationError) as error:
            # the bill stays payable by the other channels; staff see why
            _logger.warning("No QRIS code for bill %s: %s", self.name, error)
            return None
