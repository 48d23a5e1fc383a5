from odoo import fields, models


class WaterPenaltyWaive(models.TransientModel):
    _name = "water.penalty.waive"
    _description = "Waive Penalties"

    penalty_ids = fields.Many2many("water.penalty", string="Penalties")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.penalty_ids._waive(self.reason)
        return {"type": "ir.actions.act_window_close"}
