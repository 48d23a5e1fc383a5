from odoo import api, fields, models


class WaterTariff(models.Model):
    _name = "water.tariff"
    _description = "Tariff Group"
    _inherit = ["mail.thread"]
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True, tracking=True, help="Short code, as in the register: RT, SOS."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    version_ids = fields.One2many(
        "water.tariff.version", "tariff_id", string="Versions", copy=True
    )
    product_water_id = fields.Many2one(
        "product.product",
        string="Water Product",
        required=True,
        default=lambda self: self.env.ref(
            "tirta_water.product_water_consumption", raise_if_not_found=False
        ),
        help="Product of the consumption lines (one line per block).",
    )
    product_fixed_id = fields.Many2one(
        "product.product",
        string="Fixed Charge Product",
        required=True,
        default=lambda self: self.env.ref(
            "tirta_water.product_water_fixed_charge", raise_if_not_found=False
        ),
    )
    product_admin_id = fields.Many2one(
        "product.product",
        string="Administration Fee Product",
        required=True,
        default=lambda self: self.env.ref(
            "tirta_water.product_water_admin_fee", raise_if_not_found=False
        ),
    )
    product_flat_id = fields.Many2one(
        "product.product",
        string="Flat Rate Product",
        required=True,
        default=lambda self: self.env.ref(
            "tirta_water.product_water_flat_rate", raise_if_not_found=False
        ),
    )
    connection_count = fields.Integer(compute="_compute_connection_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A tariff group with this code already exists.",
        ),
    ]

    def _compute_connection_count(self):
        counts = dict(
            self.env["water.connection"]._read_group(
                [("tariff_id", "in", self.ids)], ["tariff_id"], ["__count"]
            )
        )
        for tariff in self:
            tariff.connection_count = counts.get(tariff, 0)

    @api.depends("code", "name")
    def _compute_display_name(self):
        for tariff in self:
            tariff.display_name = (
                f"[{tariff.code}] {tariff.name}" if tariff.code else tariff.name or ""
            )

    def _get_version(self, date):
        """Return the version of this tariff valid on ``date``, if any."""
        self.ensure_one()
        versions = self.version_ids.filtered(lambda v: v.date_start <= date)
        return versions.sorted("date_start")[-1:] if versions else versions
