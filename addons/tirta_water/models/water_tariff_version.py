from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class WaterTariffVersion(models.Model):
    _name = "water.tariff.version"
    _description = "Tariff Version"
    _order = "tariff_id, date_start desc"

    tariff_id = fields.Many2one(
        "water.tariff", string="Tariff Group", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="tariff_id.company_id", store=True)
    currency_id = fields.Many2one(related="tariff_id.currency_id")
    date_start = fields.Date(
        string="Valid From",
        required=True,
        help="The version valid on the first day of a billing period applies to it.",
    )
    date_end = fields.Date(string="Valid Until", compute="_compute_date_end")
    fixed_charge = fields.Monetary(help="Fixed monthly charge (abonemen).")
    admin_fee = fields.Monetary(string="Administration Fee", help="Added to each bill.")
    min_consumption = fields.Integer(
        string="Minimum Billed (m³)",
        help="A metered bill charges at least this volume.",
    )
    block_mode = fields.Selection(
        [
            ("cumulative", "Progressive (each block at its own price)"),
            ("non_cumulative", "Whole volume at the price of its block"),
        ],
        required=True,
        default="cumulative",
    )
    block_ids = fields.One2many(
        "water.tariff.block", "version_id", string="Blocks", copy=True
    )
    flat_amount = fields.Monetary(
        string="Flat Monthly Amount", help="Monthly amount of unmetered connections."
    )
    note = fields.Text()

    _sql_constraints = [
        (
            "tariff_date_uniq",
            "unique(tariff_id, date_start)",
            "A tariff group cannot have two versions starting on the same day.",
        ),
        (
            "amounts_positive",
            "CHECK(fixed_charge >= 0 AND admin_fee >= 0 AND flat_amount >= 0 "
            "AND min_consumption >= 0)",
            "Tariff amounts and the minimum cannot be negative.",
        ),
    ]

    @api.depends("tariff_id.version_ids.date_start", "date_start")
    def _compute_date_end(self):
        for version in self:
            later = version.tariff_id.version_ids.filtered(
                lambda v, version=version: version.date_start
                and v.date_start
                and v.date_start > version.date_start
            )
            first_later = min(later.mapped("date_start"), default=False)
            version.date_end = first_later and first_later - timedelta(days=1)

    @api.depends("tariff_id", "date_start")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(tariff)s from %(date)s",
                tariff=version.tariff_id.code or "",
                date=format_date(self.env, version.date_start),
            )

    @api.constrains("fixed_charge", "admin_fee", "flat_amount")
    def _check_whole_rupiah(self):
        for version in self:
            amounts = (version.fixed_charge, version.admin_fee, version.flat_amount)
            if any(amount != round(amount) for amount in amounts):
                raise ValidationError(
                    self.env._("Tariff amounts must be whole Rupiah, without cents.")
                )

    @api.constrains("block_ids")
    def _check_blocks(self):
        for version in self:
            blocks = version._sorted_blocks()
            limits = [block.upper_limit for block in blocks if block.upper_limit]
            if len(limits) != len(set(limits)):
                raise ValidationError(
                    self.env._(
                        "Two blocks of tariff %(version)s end at the same volume.",
                        version=version.display_name,
                    )
                )
            if len(blocks) - len(limits) > 1:
                raise ValidationError(
                    self.env._(
                        "Only the last block of tariff %(version)s may be open-ended.",
                        version=version.display_name,
                    )
                )

    def _sorted_blocks(self):
        """Blocks by increasing upper limit, the open-ended block last."""
        self.ensure_one()
        return self.block_ids.sorted(lambda b: (not b.upper_limit, b.upper_limit))

    def _billed_volume(self, consumption):
        self.ensure_one()
        return max(consumption, self.min_consumption)

    def _block_label(self, index, lower, upper):
        if upper is None and not lower:
            return self.env._("Water consumption")
        if upper is None:
            return self.env._(
                "Water, block %(index)s (above %(lower)s m³)", index=index, lower=lower
            )
        return self.env._(
            "Water, block %(index)s (%(lower)s–%(upper)s m³)",
            index=index,
            lower=lower + 1 if lower else 0,
            upper=upper,
        )

    def _compute_block_lines(self, consumption):
        """Split a consumption into priced block lines.

        :param int consumption: cubic metres used in the period
        :return: list of dicts with ``name``, ``quantity`` and ``price_unit``
        """
        self.ensure_one()
        volume = self._billed_volume(consumption)
        if volume <= 0:
            return []
        lines = []
        lower = 0
        for index, block in enumerate(self._sorted_blocks(), start=1):
            upper = block.upper_limit or None
            if self.block_mode == "non_cumulative":
                if upper is None or volume <= upper:
                    return [
                        {
                            "name": self._block_label(index, lower, upper),
                            "quantity": volume,
                            "price_unit": block.price,
                        }
                    ]
            else:
                quantity = (volume if upper is None else min(volume, upper)) - lower
                if quantity > 0:
                    lines.append(
                        {
                            "name": self._block_label(index, lower, upper),
                            "quantity": quantity,
                            "price_unit": block.price,
                        }
                    )
            if upper is None or volume <= upper:
                break
            lower = upper
        if sum(line["quantity"] for line in lines) != volume:
            raise ValidationError(
                self.env._(
                    "The blocks of tariff %(version)s do not cover %(volume)s m³: "
                    "add an open-ended last block.",
                    version=self.display_name,
                    volume=volume,
                )
            )
        return lines

    def _prepare_bill_lines(self, consumption=None):
        """Return the invoice line values of one bill.

        :param consumption: billed cubic metres, or None for a flat-rate bill
        :return: list of dicts for ``account.move.line`` creation
        """
        self.ensure_one()
        tariff = self.tariff_id
        lines = []
        if consumption is None:
            lines.append(
                {
                    "product_id": tariff.product_flat_id.id,
                    "name": self.env._("Water, flat monthly rate"),
                    "quantity": 1,
                    "price_unit": self.flat_amount,
                }
            )
        else:
            for line in self._compute_block_lines(consumption):
                lines.append(dict(line, product_id=tariff.product_water_id.id))
            if self.fixed_charge:
                lines.append(
                    {
                        "product_id": tariff.product_fixed_id.id,
                        "name": self.env._("Fixed charge"),
                        "quantity": 1,
                        "price_unit": self.fixed_charge,
                    }
                )
        if self.admin_fee:
            lines.append(
                {
                    "product_id": tariff.product_admin_id.id,
                    "name": self.env._("Administration fee"),
                    "quantity": 1,
                    "price_unit": self.admin_fee,
                }
            )
        return lines

    def _compute_amount(self, consumption=None):
        """Total of a bill, for previews and checks."""
        return sum(
            line["quantity"] * line["price_unit"]
            for line in self._prepare_bill_lines(consumption)
        )
