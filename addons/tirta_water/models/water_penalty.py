import logging

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class WaterPenalty(models.Model):
    _name = "water.penalty"
    _description = "Late-Payment Penalty"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    bill_id = fields.Many2one(
        "account.move",
        string="Late Bill",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    late_month = fields.Integer(
        string="Month Late",
        required=True,
        readonly=True,
        default=1,
        aggregator=None,
        help="1 for the first month after the due date (and its grace days), 2 "
        "for the second, and so on. A bill gets at most one penalty per month.",
    )
    connection_id = fields.Many2one(
        "water.connection", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(related="bill_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="bill_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    amount = fields.Monetary(readonly=True)
    charge_mode = fields.Selection(
        [("next_bill", "On the next bill"), ("invoice", "On its own invoice")],
        string="Charged",
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("pending", "Pending"), ("charged", "Charged"), ("waived", "Waived")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    charge_line_id = fields.Many2one(
        "account.move.line", string="Charged On Line", readonly=True, copy=False
    )
    charge_move_id = fields.Many2one(
        related="charge_line_id.move_id", string="Charged On", store=True
    )
    waive_reason = fields.Text(readonly=True, tracking=True)

    _sql_constraints = [
        (
            "bill_month_uniq",
            "unique(bill_id, late_month)",
            "A bill gets at most one penalty per month late.",
        ),
    ]

    @api.depends("bill_id", "late_month")
    def _compute_display_name(self):
        for penalty in self:
            penalty.display_name = self.env._(
                "Penalty %(bill)s, month %(month)s",
                bill=penalty.bill_id.name or "",
                month=penalty.late_month,
            )

    # ------------------------------------------------------------------
    # Scheduled application
    # ------------------------------------------------------------------

    @api.model
    def _cron_apply_penalties(self):
        """Apply the penalties due today in every company that charges them."""
        companies = self.env["res.company"].search(
            [("water_penalty_enabled", "=", True)]
        )
        for company in companies:
            today = fields.Date.context_today(self.with_company(company))
            self.with_company(company)._apply_penalties(company, today)

    @api.model
    def _get_late_bills_domain(self, company, date):
        """Unpaid posted water bills whose grace period ended before ``date``."""
        limit = date - relativedelta(days=company.water_penalty_grace_days + 1)
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("water_connection_id", "!=", False),
            ("water_period_id", "!=", False),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<=", limit),
        ]

    @api.model
    def _get_late_from(self, company, bill):
        """First day ``bill`` is late: after its due date and the grace days."""
        return bill.invoice_date_due + relativedelta(
            days=company.water_penalty_grace_days + 1
        )

    @api.model
    def _get_late_month(self, company, bill, date):
        """Number of the month late of ``bill`` on ``date`` (1 = first month)."""
        delta = relativedelta(date, self._get_late_from(company, bill))
        return delta.years * 12 + delta.months + 1

    @api.model
    def _compute_penalty_amount(self, company, bill):
        """Amount of one penalty of ``bill``, whole currency units."""
        if company.water_penalty_mode == "percent":
            amount = bill.amount_total * company.water_penalty_rate / 100
        else:
            amount = company.water_penalty_amount
        return company.currency_id.round(amount)

    @api.model
    def _prepare_penalty_vals(self, company, bill, late_month):
        late_from = self._get_late_from(company, bill)
        return {
            "bill_id": bill.id,
            "connection_id": bill.water_connection_id.id,
            "late_month": late_month,
            "date": late_from + relativedelta(months=late_month - 1),
            "amount": self._compute_penalty_amount(company, bill),
            "charge_mode": company.water_penalty_charge,
        }

    @api.model
    def _apply_penalties(self, company, date):
        """Create the penalties of ``company`` due on ``date``; run it any time.

        A bill gets one penalty, or one per month late in the per-month mode
        (months the job missed included); what exists already, waived or not,
        is never created again.
        """
        bills = (
            self.env["account.move"]
            .sudo()
            .search(self._get_late_bills_domain(company, date), order="id")
        )
        existing = set(
            self.sudo()
            .search([("bill_id", "in", bills.ids)])
            .mapped(lambda p: (p.bill_id.id, p.late_month))
        )
        per_month = company.water_penalty_mode == "fixed_month"
        vals_list = []
        for bill in bills:
            last = self._get_late_month(company, bill, date) if per_month else 1
            for late_month in range(1, last + 1):
                if (bill.id, late_month) in existing:
                    continue
                vals = self._prepare_penalty_vals(company, bill, late_month)
                if vals["amount"] > 0:
                    vals_list.append(vals)
        penalties = self.sudo().with_context(tracking_disable=True).create(vals_list)
        penalties.filtered(lambda p: p.charge_mode == "invoice")._invoice_penalties(
            date
        )
        _logger.info(
            "Penalties of %s on %s: %s new, total %s",
            company.name,
            date,
            len(penalties),
            sum(penalties.mapped("amount")),
        )
        return penalties

    # ------------------------------------------------------------------
    # Charging
    # ------------------------------------------------------------------

    def _prepare_bill_line_vals(self):
        """Values of the invoice line that charges this penalty."""
        self.ensure_one()
        return {
            "product_id": self.env.ref("tirta_water.product_water_penalty").id,
            "name": self.env._(
                "Late-payment penalty, bill %(bill)s", bill=self.bill_id.name
            ),
            "quantity": 1,
            "price_unit": self.amount,
            "water_penalty_id": self.id,
        }

    def _prepare_invoice_vals(self, date):
        """Values of the invoice of ``date`` charging these penalties of one
        connection."""
        connection = self.connection_id
        connection.ensure_one()
        company = connection.company_id
        return {
            "move_type": "out_invoice",
            "partner_id": connection.partner_id.id,
            "company_id": company.id,
            "journal_id": company._get_water_journal().id,
            "invoice_date": date,
            "water_connection_id": connection.id,
            "invoice_line_ids": [
                Command.create(penalty._prepare_bill_line_vals()) for penalty in self
            ],
        }

    def _invoice_penalties(self, date):
        """Charge pending penalties on their own invoice of ``date``, one per
        connection."""
        pending = self.filtered(lambda p: p.state == "pending")
        groups = [
            pending.filtered(lambda p, c=connection: p.connection_id == c)
            for connection in pending.connection_id
        ]
        if not groups:
            return self.env["account.move"]
        moves = (
            self.env["account.move"]
            .sudo()
            .with_context(tracking_disable=True)
            .create([group._prepare_invoice_vals(date) for group in groups])
        )
        moves.action_post()
        return moves

    def _mark_charged(self, lines):
        """Record the invoice lines that charged the penalties."""
        for line in lines.filtered("water_penalty_id"):
            line.water_penalty_id.sudo().write(
                {"state": "charged", "charge_line_id": line.id}
            )

    # ------------------------------------------------------------------
    # Waiver
    # ------------------------------------------------------------------

    def action_waive(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Penalty"),
            "res_model": "water.penalty.waive",
            "view_mode": "form",
            "target": "new",
            "context": {"default_penalty_ids": self.ids},
        }

    def _waive(self, reason):
        """Waive pending penalties; the reason goes to the chatter."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for waiving the penalty."))
        charged = self.filtered(lambda p: p.state != "pending")
        if charged:
            raise UserError(
                self.env._(
                    "Only pending penalties can be waived; %(penalties)s already "
                    "charged or waived. Issue a credit note for a charged one.",
                    penalties=", ".join(charged.mapped("display_name")),
                )
            )
        self.write({"state": "waived", "waive_reason": reason})
        for penalty in self:
            penalty._message_log(
                body=self.env._("Penalty waived: %(reason)s", reason=reason)
            )
