from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WaterTariffBlock(models.Model):
    _name = "water.tariff.block"
    _description = "Tariff Block"
    _order = "version_id, sequence, upper_limit"

    version_id = fields.Many2one(
        "water.tariff.version", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="version_id.currency_id")
    sequence = fields.Integer(default=10)
    upper_limit = fields.Integer(
        string="Up To (m³)",
        help="Upper end of the block in cubic metres; leave 0 for the last, "
        "open-ended block.",
    )
    price = fields.Monetary(string="Price per m³", required=True)

    _sql_constraints = [
        (
            "limit_price_positive",
            "CHECK(upper_limit >= 0 AND price >= 0)",
            "Block limits and prices cannot be negative.",
        ),
    ]

    @api.constrains("price")
    def _check_whole_rupiah(self):
        for block in self:
            if block.price != round(block.price):
                raise ValidationError(
                    self.env._("Block prices must be whole Rupiah, without cents.")
                )
