from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WaterProductionReading(models.Model):
    _name = "water.production.reading"
    _description = "Production Meter Reading"
    _order = "date desc, id desc"

    meter_id = fields.Many2one(
        "water.production.meter",
        string="Production Meter",
        required=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(related="meter_id.company_id", store=True)
    period_id = fields.Many2one(
        "water.billing.period",
        string="Billing Period",
        required=True,
        ondelete="restrict",
        domain="[('company_id', '=', company_id)]",
        index=True,
    )
    date = fields.Date(
        string="Reading Date", required=True, default=fields.Date.context_today
    )
    current_index = fields.Integer(required=True, aggregator=None)
    previous_index = fields.Integer(
        compute="_compute_produced", store=True, aggregator=None
    )
    produced = fields.Integer(
        string="Produced (m³)",
        compute="_compute_produced",
        store=True,
        help="Current index minus the previous reading of the same meter (or its "
        "initial index).",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "meter_period_uniq",
            "unique(meter_id, period_id)",
            "This production meter already has a reading for this billing period.",
        ),
    ]

    @api.depends(
        "current_index",
        "date",
        "meter_id.initial_index",
        "meter_id.reading_ids.current_index",
        "meter_id.reading_ids.date",
    )
    def _compute_produced(self):
        for reading in self:
            previous = reading._get_previous_reading()
            start = (
                previous.current_index if previous else reading.meter_id.initial_index
            )
            reading.previous_index = start
            reading.produced = reading.current_index - start

    def _get_previous_reading(self):
        """The reading of the same meter just before this one."""
        self.ensure_one()
        earlier = self.meter_id.reading_ids.filtered(
            lambda r: r != self
            and r.date
            and self.date
            and (r.date, r._origin.id or 0) < (self.date, self._origin.id or 0)
        )
        return earlier.sorted(lambda r: (r.date, r._origin.id or 0))[-1:]

    @api.constrains("current_index", "date", "meter_id")
    def _check_index(self):
        for reading in self.meter_id.reading_ids:
            if reading.produced < 0:
                raise ValidationError(
                    self.env._(
                        "The index %(index)s of production meter %(meter)s on "
                        "%(date)s is lower than the previous index %(previous)s.",
                        index=reading.current_index,
                        meter=reading.meter_id.name,
                        date=reading.date,
                        previous=reading.previous_index,
                    )
                )
