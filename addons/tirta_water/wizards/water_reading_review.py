from odoo import api, fields, models
from odoo.exceptions import UserError


class WaterReadingReview(models.TransientModel):
    _name = "water.reading.review"
    _description = "Review Flagged Readings"

    reading_ids = fields.Many2many(
        "water.meter.reading",
        string="Readings",
        default=lambda self: self._default_reading_ids(),
    )
    decision = fields.Selection(
        [
            ("accept", "Accept as read"),
            ("correct", "Correct the index"),
            ("estimate", "Bill on an estimate"),
        ],
        required=True,
        default="accept",
    )
    current_index = fields.Integer(string="Corrected Index")
    estimate_mode = fields.Selection(
        [("average", "Average of the last 3 months"), ("manual", "This volume")],
        default="average",
    )
    estimated_consumption = fields.Integer(string="Estimate (m³)")
    reason = fields.Char(required=True)

    @api.model
    def _default_reading_ids(self):
        if self.env.context.get("active_model") != "water.meter.reading":
            return []
        return self.env.context.get("active_ids", [])

    def action_apply(self):
        self.ensure_one()
        readings = self.reading_ids
        if not readings:
            raise UserError(self.env._("Select the readings to review."))
        if self.decision == "accept":
            readings._accept(self.reason)
        elif self.decision == "correct":
            if len(readings) > 1:
                raise UserError(self.env._("Correct one reading at a time."))
            readings._correct(self.current_index, self.reason)
        else:
            consumption = (
                self.estimated_consumption if self.estimate_mode == "manual" else None
            )
            readings._estimate(self.reason, consumption=consumption)
        return {"type": "ir.actions.act_window_close"}
