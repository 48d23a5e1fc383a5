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
    old_last_index = fields.Integer(
        string="Old Meter Last Reading",
        compute="_compute_old_last_index",
        help="Last index read on the old meter, or its opening index.",
    )
    old_closing_index = fields.Integer(
        string="Old Meter Closing Index",
        compute="_compute_old_closing_index",
        store=True,
        readonly=False,
        help="Index shown when it was removed.",
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

    @api.depends("old_meter_id")
    def _compute_old_last_index(self):
        for wizard in self:
            old = wizard.old_meter_id
            wizard.old_last_index = old._get_last_index() if old else 0

    @api.depends("old_last_index")
    def _compute_old_closing_index(self):
        for wizard in self:
            wizard.old_closing_index = wizard.old_last_index

    def _check_closing_index(self):
        old = self.old_meter_id
        start = self.old_last_index
        if old and old._consumption_between(start, self.old_closing_index) is None:
            raise UserError(
                self.env._(
                    "The closing index %(closing)s of meter %(meter)s is below its "
                    "last reading %(last)s.",
                    closing=self.old_closing_index,
                    meter=old.name,
                    last=start,
                )
            )

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
        self._check_closing_index()
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
        self.connection_id._message_log(
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
        self._move_readings_to(new)
        return {"type": "ir.actions.act_window_close"}

    def _move_readings_to(self, meter):
        """Unbilled readings taken after the replacement belong to the new meter."""
        readings = self.env["water.meter.reading"].search(
            [
                ("connection_id", "=", self.connection_id.id),
                ("state", "!=", "billed"),
                "|",
                ("period_date", ">=", self.date),
                ("date", ">", self.date),
            ]
        )
        readings.write({"meter_id": meter.id})
