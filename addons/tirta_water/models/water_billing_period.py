import calendar
import logging
from datetime import date

from psycopg2 import errors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import split_every

_logger = logging.getLogger(__name__)

BILLING_CHUNK_SIZE = 200


class WaterBillingPeriod(models.Model):
    _name = "water.billing.period"
    _description = "Billing Period"
    _inherit = ["mail.thread"]
    _order = "date_start desc"

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    date_start = fields.Date(string="Month", required=True)
    date_end = fields.Date(compute="_compute_dates", store=True, readonly=False)
    reading_date_start = fields.Date(
        string="Reading From", compute="_compute_dates", store=True, readonly=False
    )
    reading_date_end = fields.Date(
        string="Reading Until", compute="_compute_dates", store=True, readonly=False
    )
    invoice_date = fields.Date(
        string="Bill Date", compute="_compute_dates", store=True, readonly=False
    )
    date_due = fields.Date(
        string="Due Date", compute="_compute_dates", store=True, readonly=False
    )
    state = fields.Selection(
        [("open", "Reading"), ("billed", "Billed"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    reading_ids = fields.One2many("water.meter.reading", "period_id")
    invoice_ids = fields.One2many("account.move", "water_period_id")
    reading_count = fields.Integer(compute="_compute_figures")
    review_count = fields.Integer(compute="_compute_figures")
    invoice_count = fields.Integer(compute="_compute_figures")
    amount_billed = fields.Monetary(compute="_compute_figures")

    _sql_constraints = [
        (
            "date_company_uniq",
            "unique(date_start, company_id)",
            "This month already has a billing period.",
        ),
    ]

    @api.depends("date_start")
    def _compute_name(self):
        for period in self:
            period.name = period.date_start and period.date_start.strftime("%Y-%m")

    @api.depends("date_start")
    def _compute_dates(self):
        due_day = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("tirta_water.due_day", "20")
        )
        for period in self:
            if not period.date_start:
                continue
            start = period.date_start.replace(day=1)
            last_day = calendar.monthrange(start.year, start.month)[1]
            period.date_start = start
            period.date_end = start.replace(day=last_day)
            period.reading_date_start = start
            period.reading_date_end = start.replace(day=min(5, last_day))
            period.invoice_date = period.reading_date_end
            period.date_due = start.replace(day=min(due_day, last_day))

    def _compute_figures(self):
        readings = {
            (period, review): count
            for period, review, count in self.env["water.meter.reading"]._read_group(
                [("period_id", "in", self.ids)],
                ["period_id", "review_state"],
                ["__count"],
            )
        }
        invoices = {
            period: (count, total)
            for period, count, total in self.env["account.move"]
            .sudo()
            ._read_group(
                [("water_period_id", "in", self.ids), ("state", "=", "posted")],
                ["water_period_id"],
                ["__count", "amount_total:sum"],
            )
        }
        for period in self:
            period.reading_count = sum(
                count for (p, _review), count in readings.items() if p == period
            )
            period.review_count = readings.get((period, "pending"), 0)
            period.invoice_count, period.amount_billed = invoices.get(period, (0, 0))

    @api.constrains("date_start", "date_due", "invoice_date")
    def _check_dates(self):
        for period in self:
            if (
                period.date_due
                and period.invoice_date
                and (period.date_due < period.invoice_date)
            ):
                raise ValidationError(
                    self.env._("The due date cannot be before the bill date.")
                )

    @api.model
    def _get_or_create(self, month, company=None):
        """Return the period of the month of ``month`` (a date), creating it."""
        company = company or self.env.company
        start = date(month.year, month.month, 1)
        period = self.search(
            [("date_start", "=", start), ("company_id", "=", company.id)], limit=1
        )
        return period or self.create({"date_start": start, "company_id": company.id})

    # ------------------------------------------------------------------
    # Reading sheet
    # ------------------------------------------------------------------

    def action_prepare_readings(self):
        """Create a draft reading for every active metered connection."""
        self.ensure_one()
        connections = self.env["water.connection"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
                ("billing_type", "=", "metered"),
                ("id", "not in", self.reading_ids.connection_id.ids),
            ]
        )
        self.env["water.meter.reading"].with_context(tracking_disable=True).create(
            [
                {
                    "connection_id": connection.id,
                    "period_id": self.id,
                    "reader_id": connection.route_id.user_id.id or False,
                }
                for connection in connections
            ]
        )
        return self.action_view_readings()

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_water.water_meter_reading_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id, "search_default_route": 1}
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("water_period_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_validate_readings(self):
        self.ensure_one()
        # rows still "to read" stay open for the readers
        self.reading_ids.filtered(
            lambda r: r.state == "draft" and r.status != "todo"
        ).action_validate()

    # ------------------------------------------------------------------
    # Billing run
    # ------------------------------------------------------------------

    def action_run_billing(self):
        self.ensure_one()
        # only who may change the period bills it, before any work is done
        self.check_access("write")
        result = self._run_billing()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Billing run %(period)s", period=self.name),
                "message": self.env._(
                    "Bills posted: %(billed)s. Connections without a billable "
                    "reading: %(skipped)s.",
                    billed=len(result["invoices"]),
                    skipped=result["skipped"],
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _lock_for_billing(self):
        """Serialise billing runs of one period across transactions."""
        try:
            self.env.cr.execute(
                "SELECT id FROM water_billing_period WHERE id = %s FOR UPDATE NOWAIT",
                [self.id],
            )
        except errors.LockNotAvailable as error:
            raise UserError(
                self.env._(
                    "A billing run for %(period)s is already in progress. "
                    "Wait for it to finish, then run it again to bill what is left.",
                    period=self.name,
                )
            ) from error

    def _get_billed_connections(self):
        """Connections holding a live bill of this period."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .search(
                [("water_period_id", "=", self.id), ("water_bill_key", "!=", False)]
            )
            .water_connection_id
        )

    def _get_billable(self):
        """Return (readings, flat connections, skipped connections) to bill.

        A connection already billed for this period is never returned; skipped
        are the active metered connections without a billable reading.
        """
        self.ensure_one()
        billed = self._get_billed_connections()
        active = self.env["water.connection"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "active"),
                ("id", "not in", billed.ids),
            ]
        )
        readings = self.reading_ids.filtered(
            lambda r: r._is_billable()
            and r.connection_id in active
            and r.connection_id.billing_type == "metered"
        )
        flat = active.filtered(lambda c: c.billing_type == "flat")
        skipped = active - flat - readings.connection_id
        return readings, flat, skipped

    def _run_billing(self):
        """Bill every billable connection of the period, in chunks.

        Safe to run again: what was billed is skipped. Returns a dict with the
        new ``invoices`` and the number of ``skipped`` connections.
        """
        self.ensure_one()
        if self.state == "closed":
            raise UserError(
                self.env._("Period %(period)s is closed.", period=self.name)
            )
        self._lock_for_billing()
        readings, flat, skipped = self._get_billable()
        _logger.info(
            "Billing run %s (company %s): %s readings and %s flat-rate connections "
            "to bill",
            self.name,
            self.company_id.name,
            len(readings),
            len(flat),
        )
        invoices = self.env["account.move"]
        units = [("reading", r.id) for r in readings] + [("flat", c.id) for c in flat]
        for chunk in split_every(BILLING_CHUNK_SIZE, units, list):
            reading_ids = [res_id for kind, res_id in chunk if kind == "reading"]
            flat_ids = [res_id for kind, res_id in chunk if kind == "flat"]
            invoices |= self._bill_chunk(reading_ids, flat_ids)
        if skipped:
            _logger.warning(
                "Billing run %s: %s metered connections skipped, their reading is "
                "missing, not validated or waiting for review: %s",
                self.name,
                len(skipped),
                ", ".join(skipped[:20].mapped("name")),
            )
        else:
            self.state = "billed"
        _logger.info(
            "Billing run %s done: %s bills posted, total %s",
            self.name,
            len(invoices),
            sum(invoices.mapped("amount_total")),
        )
        return {"invoices": invoices, "skipped": len(skipped)}

    def _bill_chunk(self, reading_ids, flat_connection_ids):
        """Create and post the bills of one chunk; an independent unit of work.

        :param list reading_ids: ids of billable ``water.meter.reading``
        :param list flat_connection_ids: ids of flat-rate ``water.connection``
        :return: the posted ``account.move`` records
        """
        self.ensure_one()
        readings = self.env["water.meter.reading"].browse(reading_ids)
        readings._compute_estimate_credit()
        flats = self.env["water.connection"].browse(flat_connection_ids)
        penalties = self._get_pending_penalties(readings.connection_id | flats)
        vals_list = [
            self._prepare_invoice_vals(
                r.connection_id, r, penalties=penalties.get(r.connection_id)
            )
            for r in readings
        ]
        vals_list += [
            self._prepare_invoice_vals(c, penalties=penalties.get(c)) for c in flats
        ]
        try:
            with self.env.cr.savepoint():
                moves = (
                    self.env["account.move"]
                    .with_context(tracking_disable=True, skip_invoice_sync=False)
                    .create(vals_list)
                )
                moves.action_post()
        except errors.UniqueViolation as error:
            raise UserError(
                self.env._(
                    "Some connections of %(period)s were billed by another run at "
                    "the same moment. Run billing again to bill what is left.",
                    period=self.name,
                )
            ) from error
        # posting linked each bill's reading and marked its penalties charged
        # (account.move._post); customers who paid ahead are paid from it now
        moves._apply_outstanding_credits()
        _logger.debug("Billing run %s: chunk of %s bills posted", self.name, len(moves))
        return moves

    def _get_pending_penalties(self, connections):
        """Pending penalties to charge on the next bill, by connection."""
        penalties = (
            self.env["water.penalty"]
            .sudo()
            .search(
                [
                    ("connection_id", "in", connections.ids),
                    ("state", "=", "pending"),
                    ("charge_mode", "=", "next_bill"),
                ],
                order="date, id",
            )
        )
        return {
            connection: penalties.filtered(lambda p, c=connection: p.connection_id == c)
            for connection in penalties.connection_id
        }

    def _prepare_invoice_vals(self, connection, reading=None, penalties=None):
        """Values of one bill; ``reading`` is None for a flat-rate connection.

        ``penalties`` are pending ``water.penalty`` records charged on this bill.
        """
        self.ensure_one()
        version = connection.tariff_id._get_version(self.date_start)
        if not version:
            raise UserError(
                self.env._(
                    "Tariff group %(tariff)s has no version valid on %(date)s: "
                    "connection %(connection)s cannot be billed.",
                    tariff=connection.tariff_id.display_name,
                    date=self.date_start,
                    connection=connection.name,
                )
            )
        consumption = reading.billed_consumption if reading else None
        journal = self.company_id._get_water_journal()
        # Line labels in the language of the printed bill, whoever runs billing.
        lang = self.company_id._get_water_lang()
        version = version.with_context(lang=lang)
        penalties = (penalties or self.env["water.penalty"]).with_context(lang=lang)
        return {
            "move_type": "out_invoice",
            "partner_id": connection.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "currency_id": self.company_id.currency_id.id,
            "invoice_date": self.invoice_date,
            "invoice_date_due": self.date_due,
            "invoice_payment_term_id": False,
            "payment_reference": f"{connection.name}/{self.name}",
            "water_connection_id": connection.id,
            "water_period_id": self.id,
            "water_reading_id": reading.id if reading else False,
            "water_bill_key": self.env["account.move"]._compose_water_bill_key(
                connection.id, self.id
            ),
            "water_tariff_version_id": version.id,
            "invoice_line_ids": [
                Command.create(line)
                for line in version._prepare_bill_lines(consumption)
            ]
            + [
                Command.create(penalty._prepare_bill_line_vals())
                for penalty in penalties
            ],
        }
