from odoo import api, fields, models
from odoo.exceptions import ValidationError


class WaterMeter(models.Model):
    _name = "water.meter"
    _description = "Water Meter"
    _inherit = ["mail.thread"]
    _order = "date_install desc, id desc"

    name = fields.Char(string="Serial Number", required=True, tracking=True)
    digits = fields.Integer(
        aggregator=None,
        default=5,
        required=True,
        help="Number of digits on the dial: the index starts again at 0 after "
        "the largest number it can show.",
    )
    connection_id = fields.Many2one(
        "water.connection", index=True, tracking=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_install = fields.Date(string="Installed On", tracking=True)
    date_removal = fields.Date(string="Removed On", tracking=True, copy=False)
    initial_index = fields.Integer(
        aggregator=None,
        string="Opening Index",
        tracking=True,
        help="Index when it was installed.",
    )
    closing_index = fields.Integer(tracking=True, copy=False, aggregator=None)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        [("available", "In Stock"), ("installed", "Installed"), ("removed", "Removed")],
        compute="_compute_state",
        store=True,
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A meter with this serial number already exists.",
        ),
        (
            "digits_range",
            "CHECK(digits BETWEEN 3 AND 9)",
            "A meter dial has between 3 and 9 digits.",
        ),
    ]

    @api.depends("connection_id", "date_removal")
    def _compute_state(self):
        for meter in self:
            if meter.date_removal:
                meter.state = "removed"
            elif meter.connection_id:
                meter.state = "installed"
            else:
                meter.state = "available"

    @api.constrains("initial_index", "closing_index", "digits")
    def _check_indexes(self):
        for meter in self:
            for index in (meter.initial_index, meter.closing_index):
                if index < 0 or index >= meter._dial_size():
                    raise ValidationError(
                        self.env._(
                            "Index %(index)s does not fit on the %(digits)s-digit dial "
                            "of meter %(meter)s.",
                            index=index,
                            digits=meter.digits,
                            meter=meter.name,
                        )
                    )

    def _dial_size(self):
        """The first index the dial cannot show (10000 for four digits)."""
        self.ensure_one()
        return 10**self.digits

    def _is_rollover(self, previous, current):
        """A lower reading is a rollover only near the top of the dial."""
        self.ensure_one()
        size = self._dial_size()
        return current < previous and previous >= size * 0.9 and current < size * 0.1

    def _get_last_index(self):
        """Index of the meter's last trusted reading, else its opening index."""
        self.ensure_one()
        readings = self.env["water.meter.reading"].search(
            [("meter_id", "=", self.id)], order="period_date desc, id desc"
        )
        last = readings._last_actual(readings)
        return last.current_index if last else self.initial_index

    def _consumption_between(self, previous, current):
        """Cubic metres between two indexes, or None when it cannot be told."""
        self.ensure_one()
        if current >= previous:
            return current - previous
        if self._is_rollover(previous, current):
            return self._dial_size() - previous + current
        return None
