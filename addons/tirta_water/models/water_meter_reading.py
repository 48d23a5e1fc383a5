import logging
from collections import defaultdict
from statistics import median

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

HIGH_USE_FACTOR = 3
AVERAGE_MONTHS = 3
# A connection that usually uses less than this may well read zero (empty house).
ZERO_USE_USUAL_MIN = 3
# Without history, use is compared with the median of the same tariff group in
# the period, provided enough readings make that median meaningful.
PEER_MIN_READINGS = 5


class WaterMeterReading(models.Model):
    _name = "water.meter.reading"
    _description = "Meter Reading"
    _inherit = ["mail.thread"]
    _order = "period_date desc, route_id, route_sequence, connection_id"

    connection_id = fields.Many2one(
        "water.connection", required=True, index=True, ondelete="restrict"
    )
    period_id = fields.Many2one(
        "water.billing.period",
        string="Billing Period",
        required=True,
        index=True,
        ondelete="restrict",
    )
    period_date = fields.Date(related="period_id.date_start", store=True)
    meter_id = fields.Many2one(
        "water.meter",
        compute="_compute_meter_id",
        store=True,
        readonly=False,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    partner_id = fields.Many2one(related="connection_id.partner_id")
    route_id = fields.Many2one(related="connection_id.route_id", store=True)
    route_sequence = fields.Integer(
        related="connection_id.route_sequence", store=True, aggregator=None
    )
    tariff_id = fields.Many2one(related="connection_id.tariff_id")
    date = fields.Date(
        string="Reading Date", default=fields.Date.context_today, tracking=True
    )
    reader_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    reader_name = fields.Char(
        string="Reader (as written)",
        help="Name of the reader on an imported sheet who is not a user.",
    )
    status = fields.Selection(
        [
            ("todo", "To read"),
            ("read", "Read"),
            ("missing", "Not read"),
            ("broken", "Meter broken"),
        ],
        default="todo",
        required=True,
        tracking=True,
        help="Not read: the reader could not see the meter (locked house, dog...).",
    )
    kind = fields.Selection(
        [
            ("actual", "Actual"),
            ("estimated", "Estimated"),
            ("customer", "Submitted by customer"),
        ],
        default="actual",
        required=True,
        tracking=True,
    )
    previous_index = fields.Integer(
        aggregator=None,
        compute="_compute_previous_index",
        store=True,
        readonly=False,
        help="Last actual reading of this meter, or its opening index.",
    )
    current_index = fields.Integer(tracking=True, aggregator=None)
    swap_consumption = fields.Integer(
        string="Replaced Meter Use (m³)",
        compute="_compute_previous_index",
        store=True,
        help="Cubic metres recorded by a meter replaced since the last reading.",
    )
    estimated_consumption = fields.Integer(string="Estimate (m³)", tracking=True)
    consumption = fields.Integer(
        string="Consumption (m³)", compute="_compute_consumption", store=True
    )
    average_consumption = fields.Float(
        aggregator="avg",
        string="3-Month Average (m³)",
        compute="_compute_anomaly",
        store=True,
        digits=(16, 1),
    )
    anomaly = fields.Selection(
        [
            ("missing", "No reading"),
            ("broken", "Meter broken"),
            ("lower", "Lower than previous"),
            ("zero", "Zero consumption"),
            ("high", "Far above usual"),
            ("inactive", "Connection not active"),
        ],
        compute="_compute_anomaly",
        store=True,
    )
    review_state = fields.Selection(
        [
            ("none", "Not needed"),
            ("pending", "To review"),
            ("accepted", "Accepted"),
            ("corrected", "Corrected"),
        ],
        compute="_compute_review_state",
        store=True,
        tracking=True,
        string="Review",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("validated", "Validated"), ("billed", "Billed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    invoice_id = fields.Many2one("account.move", string="Bill", copy=False, index=True)
    estimate_credit = fields.Integer(
        string="Already Billed by Estimates (m³)",
        copy=False,
        readonly=True,
        help="Cubic metres billed on estimates since the last actual reading, "
        "deducted from this bill.",
    )
    billed_consumption = fields.Integer(string="Billed (m³)", copy=False, readonly=True)
    photo = fields.Image(max_width=1920, max_height=1920)
    note = fields.Char()

    _sql_constraints = [
        (
            "connection_period_uniq",
            "unique(connection_id, period_id)",
            "A connection has one reading per billing period.",
        ),
        (
            "indexes_positive",
            "CHECK(current_index >= 0 AND previous_index >= 0 "
            "AND estimated_consumption >= 0)",
            "Meter indexes and estimates cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("connection_id")
    def _compute_meter_id(self):
        for reading in self:
            if not reading.meter_id or reading.meter_id.connection_id != (
                reading.connection_id
            ):
                reading.meter_id = reading.connection_id.meter_id

    def _get_history(self):
        """Earlier readings of the connections of ``self``, newest first.

        One search for the whole batch; returns {reading: earlier readings}.
        """
        connections = self.connection_id
        if not connections:
            return {reading: self.browse() for reading in self}
        earlier = self.search(
            [("connection_id", "in", connections.ids), ("id", "not in", self.ids)],
            order="period_date desc, id desc",
        )
        by_connection = defaultdict(lambda: self.browse())
        for reading in earlier:
            by_connection[reading.connection_id] |= reading
        return {
            reading: by_connection[reading.connection_id].filtered(
                lambda r, reading=reading: reading.period_date
                and r.period_date < reading.period_date
            )
            for reading in self
        }

    def _is_trusted_actual(self):
        """An index read on the meter and not waiting for review."""
        self.ensure_one()
        return (
            self.kind != "estimated"
            and self.status == "read"
            and self.review_state != "pending"
        )

    @staticmethod
    def _last_actual(history):
        return next((r for r in history if r._is_trusted_actual()), None)

    @api.depends("connection_id", "meter_id", "period_id")
    def _compute_previous_index(self):
        history = self._get_history()
        for reading in self:
            last = self._last_actual(history[reading])
            meter = reading.meter_id
            if last and last.meter_id == meter:
                reading.previous_index = last.current_index
            else:
                reading.previous_index = meter.initial_index
            reading.swap_consumption = reading._replaced_meters_consumption(last)

    def _replaced_meters_consumption(self, last):
        """Use recorded by meters removed since the last actual reading."""
        self.ensure_one()
        total = 0
        for old in self.connection_id.meter_ids:
            if old == self.meter_id or not old.date_removal:
                continue
            if (
                last
                and old != last.meter_id
                and (not old.date_install or old.date_install < last.period_date)
            ):
                continue
            if last and last.period_date and old.date_removal < last.period_date:
                continue
            start = (
                last.current_index
                if last and last.meter_id == old
                else old.initial_index
            )
            total += old._consumption_between(start, old.closing_index) or 0
        return total

    @api.depends(
        "status",
        "kind",
        "previous_index",
        "current_index",
        "swap_consumption",
        "estimated_consumption",
        "meter_id",
    )
    def _compute_consumption(self):
        for reading in self:
            if reading.kind == "estimated":
                reading.consumption = reading.estimated_consumption
            elif reading.status != "read" or not reading.meter_id:
                reading.consumption = 0
            else:
                used = reading.meter_id._consumption_between(
                    reading.previous_index, reading.current_index
                )
                reading.consumption = (used or 0) + reading.swap_consumption

    @api.depends("status", "kind", "consumption")
    def _compute_anomaly(self):
        history = self._get_history()
        peer_medians = self._get_peer_medians()
        for reading in self:
            actual = [
                r.consumption
                for r in history[reading]
                if r.kind == "actual" and r._is_trusted_actual()
            ][:AVERAGE_MONTHS]
            average = sum(actual) / len(actual) if actual else 0.0
            reading.average_consumption = average
            peer_median = peer_medians.get(
                (reading.period_id.id, reading.connection_id.tariff_id.id), 0.0
            )
            reading.anomaly = reading._detect_anomaly(
                average, has_history=bool(actual), peer_median=peer_median
            )

    def _get_peer_medians(self):
        """Median use per (period, tariff group) of the periods of ``self``."""
        if not self.period_id:
            return {}
        peers = self.search_read(
            [
                ("period_id", "in", self.period_id.ids),
                ("status", "=", "read"),
                ("kind", "=", "actual"),
            ],
            ["period_id", "connection_id", "consumption"],
        )
        tariff_of = {
            connection.id: connection.tariff_id.id
            for connection in self.env["water.connection"].browse(
                {peer["connection_id"][0] for peer in peers}
            )
        }
        values = defaultdict(list)
        for peer in peers:
            key = (peer["period_id"][0], tariff_of[peer["connection_id"][0]])
            values[key].append(peer["consumption"])
        return {
            key: median(uses)
            for key, uses in values.items()
            if len(uses) >= PEER_MIN_READINGS
        }

    def _detect_anomaly(self, average, has_history=True, peer_median=0.0):
        """Return the reason this reading needs a manager's look, or False.

        :param float average: the connection's recent average use
        :param bool has_history: whether that average rests on earlier readings
        :param float peer_median: median use of the tariff group in the period,
            the yardstick of a connection without history
        """
        self.ensure_one()
        if self.connection_id.state not in ("active", "draft"):
            return "inactive"
        if self.kind == "estimated":
            return False
        if self.status in ("todo", "missing"):
            return "missing"
        if self.status == "broken":
            return "broken"
        if self.meter_id and self.current_index < self.previous_index:
            if not self.meter_id._is_rollover(self.previous_index, self.current_index):
                return "lower"
        if self.consumption == 0:
            return "zero" if average >= ZERO_USE_USUAL_MIN else False
        usual = average if has_history else peer_median
        if usual and self.consumption > HIGH_USE_FACTOR * usual:
            return "high"
        return False

    @api.depends("anomaly", "state")
    def _compute_review_state(self):
        for reading in self:
            if reading.review_state in ("accepted", "corrected"):
                continue
            flagged = reading.anomaly and reading.state != "draft"
            reading.review_state = "pending" if flagged else "none"

    # ------------------------------------------------------------------
    # Constraints and CRUD
    # ------------------------------------------------------------------

    @api.constrains("meter_id", "current_index")
    def _check_index_fits(self):
        for reading in self:
            meter = reading.meter_id
            if meter and reading.current_index >= meter._dial_size():
                raise ValidationError(
                    self.env._(
                        "Index %(index)s does not fit on the %(digits)s-digit dial "
                        "of meter %(meter)s (connection %(connection)s).",
                        index=reading.current_index,
                        digits=meter.digits,
                        meter=meter.name,
                        connection=reading.connection_id.name,
                    )
                )

    @api.constrains("connection_id", "meter_id")
    def _check_meter_connection(self):
        for reading in self:
            if reading.connection_id.billing_type == "flat":
                raise ValidationError(
                    self.env._(
                        "Connection %(connection)s is billed at a flat rate and has "
                        "no meter to read.",
                        connection=reading.connection_id.name,
                    )
                )
            if reading.meter_id and reading.meter_id.connection_id != (
                reading.connection_id
            ):
                raise ValidationError(
                    self.env._(
                        "Meter %(meter)s is not installed on connection "
                        "%(connection)s.",
                        meter=reading.meter_id.name,
                        connection=reading.connection_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "current_index" in vals and "status" not in vals:
                vals["status"] = "read"
        return super().create(vals_list)

    def write(self, vals):
        if "current_index" in vals and "status" not in vals:
            vals["status"] = "read"
        if (
            not self.env.su
            and not self.env.user.has_group("tirta_water.group_water_manager")
            and (self.filtered(lambda r: r.state != "draft"))
        ):
            raise UserError(
                self.env._(
                    "Only a water manager can change a reading once it is validated."
                )
            )
        if self.filtered(lambda r: r.state == "billed") and (
            vals.keys() & self._billing_fields()
        ):
            raise UserError(
                self.env._(
                    "A billed reading cannot be changed. Cancel its bill first, "
                    "then correct the reading."
                )
            )
        res = super().write(vals)
        if vals.keys() & {"current_index", "status", "kind", "meter_id"}:
            self._recompute_later_readings()
        return res

    def _recompute_later_readings(self):
        """Carry a changed index into the next unbilled readings."""
        if not self:
            return
        later = self.search(
            [
                ("connection_id", "in", self.connection_id.ids),
                ("period_date", ">", min(self.mapped("period_date"))),
                ("state", "!=", "billed"),
                ("id", "not in", self.ids),
            ]
        )
        later._compute_previous_index()

    @api.model
    def _billing_fields(self):
        return {
            "current_index",
            "previous_index",
            "status",
            "kind",
            "estimated_consumption",
            "meter_id",
            "connection_id",
            "period_id",
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered(lambda r: r.state == "billed"):
            raise UserError(self.env._("A billed reading cannot be deleted."))

    @api.depends("connection_id", "period_id")
    def _compute_display_name(self):
        for reading in self:
            reading.display_name = (
                f"{reading.connection_id.name or ''} {reading.period_id.name or ''}"
            ).strip()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_validate(self):
        if not self.env.user.has_group("tirta_water.group_water_manager"):
            raise UserError(self.env._("Only a water manager can validate readings."))
        drafts = self.filtered(lambda r: r.state == "draft")
        drafts._compute_anomaly()
        drafts.write({"state": "validated"})
        flagged = drafts.filtered(lambda r: r.review_state == "pending")
        if flagged:
            _logger.info(
                "Validated %s readings, %s flagged for review",
                len(drafts),
                len(flagged),
            )
        return True

    def action_reset_draft(self):
        if self.filtered(lambda r: r.state == "billed"):
            raise UserError(self.env._("A billed reading cannot go back to draft."))
        self.write({"state": "draft"})

    def _check_reviewable(self):
        if not self.env.user.has_group("tirta_water.group_water_manager"):
            raise UserError(self.env._("Only a water manager can review readings."))
        if self.filtered(lambda r: r.state == "billed"):
            raise UserError(self.env._("A billed reading cannot be reviewed again."))

    def _accept(self, reason):
        """Accept flagged readings as they are, keeping the reason in history."""
        self._check_reviewable()
        for reading in self:
            reading._message_log(
                body=self.env._(
                    "Reading accepted (%(anomaly)s): %(reason)s",
                    anomaly=reading._anomaly_label(),
                    reason=reason,
                )
            )
        self.write({"review_state": "accepted", "state": "validated"})

    def _correct(self, current_index, reason):
        self._check_reviewable()
        for reading in self:
            reading._message_log(
                body=self.env._(
                    "Reading corrected from %(old)s to %(new)s: %(reason)s",
                    old=reading.current_index,
                    new=current_index,
                    reason=reason,
                )
            )
        self.write(
            {
                "current_index": current_index,
                "status": "read",
                "kind": "actual",
                "review_state": "corrected",
                "state": "validated",
            }
        )

    def _estimate(self, reason, consumption=None):
        """Bill a missing or broken reading on an estimate.

        Without ``consumption``, use the average of the last actual months.
        """
        self._check_reviewable()
        for reading in self:
            estimate = consumption
            if estimate is None:
                reading._compute_anomaly()
                if not reading.average_consumption:
                    raise UserError(
                        self.env._(
                            "Connection %(connection)s has no actual readings to "
                            "average: enter the estimate yourself.",
                            connection=reading.connection_id.name,
                        )
                    )
                estimate = round(reading.average_consumption)
            reading._message_log(
                body=self.env._(
                    "Estimated at %(m3)s m³: %(reason)s", m3=estimate, reason=reason
                )
            )
            reading.write(
                {
                    "kind": "estimated",
                    "estimated_consumption": estimate,
                    "review_state": "accepted",
                    "state": "validated",
                }
            )

    def _anomaly_label(self):
        self.ensure_one()
        return dict(self._fields["anomaly"]._description_selection(self.env)).get(
            self.anomaly, ""
        )

    def action_open_review(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review Readings"),
            "res_model": "water.reading.review",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------

    def _is_billable(self):
        self.ensure_one()
        return (
            self.state == "validated"
            and self.review_state != "pending"
            and not self.invoice_id
            and (self.kind == "estimated" or self.status == "read")
        )

    def _compute_estimate_credit(self):
        """Cubic metres billed on estimates since the last actual reading."""
        history = self._get_history()
        for reading in self:
            credit = 0
            if reading.kind != "estimated":
                for earlier in history[reading]:
                    if earlier.kind != "estimated" and earlier.status == "read":
                        break
                    if earlier.kind == "estimated" and earlier.state == "billed":
                        credit += earlier.billed_consumption
            reading.estimate_credit = credit
            reading.billed_consumption = max(reading.consumption - credit, 0)

    def _release_bill(self):
        """Make readings billable again after their bill was cancelled."""
        self.write(
            {
                "state": "validated",
                "invoice_id": False,
                "estimate_credit": 0,
                "billed_consumption": 0,
            }
        )
