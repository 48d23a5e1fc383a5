from odoo import fields, models


class WaterProductionMeter(models.Model):
    _name = "water.production.meter"
    _description = "Production Meter"
    _order = "sequence, name"

    name = fields.Char(required=True)
    source = fields.Char(help="Spring, well or intake that this bulk meter measures.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    initial_index = fields.Integer(
        aggregator=None, help="Index of the meter before its first reading."
    )
    reading_ids = fields.One2many("water.production.reading", "meter_id")
