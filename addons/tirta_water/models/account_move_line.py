from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    water_penalty_id = fields.Many2one(
        "water.penalty",
        string="Penalty",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
