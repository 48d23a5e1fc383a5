from odoo import api, fields, models
from odoo.exceptions import UserError


class WaterMeterReplace(models.TransientModel):
    _name = "water.meter.replace"
    _description = "Replace a Water Meter"

    connection_id = fields.Many2one("water.connection", required=True)
    old_meter_id = fields.Many2one(
        "water.meter",
        compute="_compute_old_meter_id",
        store=True,
        readonly=False,
    )
    old_closing_index = fields.Integer(
        string="Old Meter Closing Index", help="Index shown when it was removed."
    )
    date = fields.Date(
        string="Replaced On", required=True, default=fields.Date.context_today
    )
    new_meter_serial = fields.Char(required=True)
    new_meter_digits = fields.Integer(default=5)
    new_opening_index = fields.Integer()
    reason = fields.Char()

    @api.depends("connection_id")
    def _compute_old_meter_id(self):
        for wizard in self:
            wizard.old_meter_id = wizard.connection_id.meter_id

    def action_replace(self):
        self.ensure_one()
        old = self.old_meter_id
        if old and old.connection_id != self.connection_id:
            raise UserError(
                self.env._(
                    "Meter %(meter)s is not on connection %(connection)s.",
                    meter=old.name,
                    connection=self.connection_id.name,
                )
            )
        if old:
            old.write(
                {"closing_index": self.old_closing_index, "date_removal": self.date}
            )
        new = self.env["water.meter"].create(
            {
                "name": self.new_meter_serial.strip(),
                "digits": self.new_meter_digits,
                "initial_index": self.new_opening_index,
                "date_install": self.date,
                "connection_id": self.connection_id.id,
                "company_id": self.connection_id.company_id.id,
            }
        )
        self.connection_id.message_post(
            body=self.env._(
                "Meter %(old)s (closing index %(closing)s) replaced by %(new)s "
                "(opening index %(opening)s). %(reason)s",
                old=old.name or "-",
                closing=self.old_closing_index,
                new=new.name,
                opening=self.new_opening_index,
                reason=self.reason or "",
            )
        )
        self.env["water.meter.reading"].search(
            [("connection_id", "=", self.connection_id.id), ("state", "=", "draft")]
        ).write({"meter_id": new.id})
        return {"type": "ir.actions.act_window_close"}
