import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import escape_psql

_logger = logging.getLogger(__name__)


class WaterCounter(models.TransientModel):
    _name = "water.counter"
    _description = "Payment Counter"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    search_code = fields.Char(
        string="Connection Number",
        help="Type or scan the connection number (or a bill number) and press "
        "Enter.",
    )
    connection_id = fields.Many2one(
        "water.connection",
        compute="_compute_connection_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    lookup_message = fields.Char(compute="_compute_connection_id", store=True)
    partner_id = fields.Many2one(related="connection_id.partner_id")
    connection_state = fields.Selection(
        related="connection_id.state", string="Connection Status"
    )
    line_ids = fields.One2many(
        "water.counter.line",
        "counter_id",
        string="Unpaid Bills",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid By",
        required=True,
        check_company=True,
        default=lambda self: self._default_journal(),
        domain="[('id', 'in', allowed_journal_ids)]",
        help="The cash journal of your session, or a bank journal for a transfer.",
    )
    allowed_journal_ids = fields.Many2many(
        "account.journal", compute="_compute_allowed_journal_ids"
    )
    amount_owed = fields.Monetary(
        string="Total Owed", compute="_compute_amounts", store=True
    )
    amount_selected = fields.Monetary(
        string="Selected Bills", compute="_compute_amounts", store=True
    )
    amount = fields.Monetary(
        string="Amount Paid",
        compute="_compute_amount",
        store=True,
        readonly=False,
    )
    keep_credit = fields.Boolean(
        string="Keep the Excess as Credit",
        help="Record the amount above the selected bills as the customer's "
        "credit; it pays the next bills.",
    )
    amount_credit = fields.Monetary(
        string="Excess", compute="_compute_amounts_after", store=True
    )
    amount_remaining = fields.Monetary(
        string="Still Owed After Payment", compute="_compute_amounts_after", store=True
    )
    amount_tendered = fields.Monetary(
        string="Cash Handed Over",
        help="Optional: the cash the customer hands over, to compute the change.",
    )
    amount_change = fields.Monetary(string="Change", compute="_compute_amount_change")
    state = fields.Selection(
        [("draft", "To Pay"), ("done", "Paid")], default="draft", required=True
    )
    payment_id = fields.Many2one("account.payment", readonly=True)
    session_id = fields.Many2one(
        "water.cashier.session",
        string="Cashier Session",
        readonly=True,
        default=lambda self: self.env["water.cashier.session"]._get_open_session(),
    )

    @api.model
    def _default_journal(self):
        session = self.env["water.cashier.session"]._get_open_session()
        return (
            session.cash_journal_id
            or self.env["water.cashier.session"]._default_cash_journal()
        )

    @api.depends("search_code", "company_id")
    def _compute_connection_id(self):
        for counter in self:
            code = (counter.search_code or "").strip()
            connection = counter._find_connection(code) if code else False
            counter.connection_id = connection
            counter.lookup_message = (
                self.env._("No connection or bill with number %(code)s.", code=code)
                if code and not connection
                else False
            )

    def _find_connection(self, code):
        """The connection of a typed or scanned number: a connection number,
        else the number of one of its bills."""
        self.ensure_one()
        pattern = escape_psql(code)
        connection = self.env["water.connection"].search(
            [("name", "=ilike", pattern), ("company_id", "=", self.company_id.id)],
            limit=1,
        )
        if not connection:
            bill = self.env["account.move"].search(
                [
                    ("name", "=ilike", pattern),
                    ("move_type", "=", "out_invoice"),
                    ("water_connection_id", "!=", False),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
            connection = bill.water_connection_id
        return connection

    @api.depends("connection_id")
    def _compute_line_ids(self):
        for counter in self:
            if counter.state == "done":
                counter.line_ids = counter.line_ids
                continue
            bills = counter._get_unpaid_bills()
            counter.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"invoice_id": bill.id, "selected": True})
                for bill in bills
            ]

    def _get_unpaid_bills(self):
        """The connection's posted, unpaid bills, oldest first."""
        self.ensure_one()
        if not self.connection_id:
            return self.env["account.move"]
        bills = self.env["account.move"].search(
            self.env["account.payment"]._get_water_unpaid_bills_domain(
                self.connection_id
            ),
            order="invoice_date, id",
        )
        return bills.sorted(
            lambda m: (m.water_period_id.date_start or m.invoice_date, m.id)
        )

    @api.depends("session_id", "company_id")
    def _compute_allowed_journal_ids(self):
        for counter in self:
            cash = counter.session_id.cash_journal_id or self.env[
                "water.cashier.session"
            ]._default_cash_journal(counter.company_id)
            banks = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(
                        counter.company_id
                    ),
                    ("type", "=", "bank"),
                ]
            )
            counter.allowed_journal_ids = cash | banks

    @api.depends("line_ids.selected", "line_ids.amount_residual")
    def _compute_amounts(self):
        for counter in self:
            lines = counter.line_ids
            counter.amount_owed = sum(lines.mapped("amount_residual"))
            counter.amount_selected = sum(
                lines.filtered("selected").mapped("amount_residual")
            )

    @api.depends("amount_selected")
    def _compute_amount(self):
        for counter in self:
            # a recorded payment keeps the amount it was taken for
            if counter.state == "draft":
                counter.amount = counter.amount_selected
            else:
                counter.amount = counter.amount

    @api.depends("amount", "amount_owed", "amount_selected", "state")
    def _compute_amounts_after(self):
        for counter in self:
            if counter.state == "done":
                counter.amount_remaining = counter.payment_id.water_amount_owed_after
                counter.amount_credit = counter.amount_credit
                continue
            applied = min(counter.amount, counter.amount_selected)
            counter.amount_credit = max(counter.amount - counter.amount_selected, 0.0)
            counter.amount_remaining = counter.amount_owed - max(applied, 0.0)

    @api.depends("amount_tendered", "amount")
    def _compute_amount_change(self):
        for counter in self:
            counter.amount_change = (
                counter.amount_tendered - counter.amount
                if counter.amount_tendered
                else 0.0
            )

    def _allocate(self, amount):
        """Split ``amount`` on the selected lines, oldest bill first.

        :return: dict line -> amount applied
        """
        self.ensure_one()
        allocation = {}
        rest = amount
        for line in self.line_ids.filtered("selected"):
            applied = max(min(rest, line.amount_residual), 0.0)
            allocation[line] = applied
            rest -= applied
        return allocation

    # ------------------------------------------------------------------
    # Payment
    # ------------------------------------------------------------------

    def _check_payable(self):
        self.ensure_one()
        currency = self.currency_id
        if self.state != "draft":
            raise UserError(self.env._("This payment has already been recorded."))
        if not self.connection_id:
            raise UserError(self.env._("Look up a connection first."))
        selected = self.line_ids.filtered("selected")
        if not selected:
            raise UserError(self.env._("Select at least one bill to pay."))
        paid_meanwhile = selected.filtered(
            lambda line: currency.is_zero(line.invoice_id.amount_residual)
            or line.invoice_id.state != "posted"
        )
        if paid_meanwhile:
            raise UserError(
                self.env._(
                    "Bill %(bill)s has been paid or cancelled meanwhile. Look the "
                    "connection up again.",
                    bill=paid_meanwhile[0].invoice_id.name,
                )
            )
        if currency.compare_amounts(self.amount, 0.0) <= 0:
            raise UserError(self.env._("The amount paid must be positive."))
        if currency.compare_amounts(self.amount, round(self.amount)) != 0:
            raise UserError(self.env._("The amount paid must be whole Rupiah."))
        excess = currency.compare_amounts(self.amount, self.amount_selected) > 0
        if excess and not self.keep_credit:
            raise UserError(
                self.env._(
                    "The amount paid (%(amount)s) is more than the selected bills "
                    "(%(selected)s). Give the change back, or tick “Keep the Excess "
                    "as Credit”.",
                    amount=currency.format(self.amount),
                    selected=currency.format(self.amount_selected),
                )
            )
        if self.journal_id not in self.allowed_journal_ids:
            raise UserError(
                self.env._(
                    "Journal %(journal)s cannot be used at the counter: use your "
                    "session's cash journal or a bank journal.",
                    journal=self.journal_id.display_name,
                )
            )

    def _prepare_payment_vals(self, session):
        """Values of the counter's ``account.payment``."""
        self.ensure_one()
        bills = self.line_ids.filtered("selected").invoice_id
        receivable = bills.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).account_id[:1]
        periods = ", ".join(bills.mapped(lambda b: b.water_period_id.name or b.name))
        return {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": self.connection_id.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "amount": self.amount,
            "date": fields.Date.context_today(self),
            "journal_id": self.journal_id.id,
            "destination_account_id": receivable.id,
            "memo": f"{self.connection_id.name} {periods}",
            "water_connection_id": self.connection_id.id,
            "water_cashier_session_id": session.id,
        }

    def _reconcile_bills(self, payment):
        """Reconcile the payment with the selected bills, one bill at a time
        from the oldest, so that a partial payment settles the oldest first."""
        self.ensure_one()
        payment_line = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        for bill in self.line_ids.filtered("selected").invoice_id:
            if payment_line.reconciled:
                break
            bill_lines = bill.line_ids.filtered(
                lambda line: line.account_id == payment_line.account_id
                and not line.reconciled
            )
            (payment_line + bill_lines).reconcile()

    def action_pay(self):
        """Take the payment: one posted ``account.payment`` reconciled with the
        selected bills, in the cashier's open session."""
        self.ensure_one()
        self._check_payable()
        session = self.env["water.cashier.session"]._get_or_open_session(
            company=self.company_id
        )
        payment = self.env["account.payment"].create(
            self._prepare_payment_vals(session)
        )
        payment.action_post()
        self._reconcile_bills(payment)
        owed = sum(
            self.env["account.move"]
            .search(
                self.env["account.payment"]._get_water_unpaid_bills_domain(
                    self.connection_id
                )
            )
            .mapped("amount_residual")
        )
        payment.water_amount_owed_after = owed
        self.write(
            {"state": "done", "payment_id": payment.id, "session_id": session.id}
        )
        _logger.info(
            "Counter payment %s of %s for connection %s by %s",
            payment.name,
            payment.amount,
            self.connection_id.name,
            self.env.user.login,
        )
        return True

    def action_print_receipt_roll(self):
        self.ensure_one()
        return self.payment_id.action_water_receipt_roll()

    def action_print_receipt_a4(self):
        self.ensure_one()
        return self.payment_id.action_water_receipt_a4()

    def action_send_receipt_whatsapp(self):
        self.ensure_one()
        return self.payment_id.action_water_receipt_whatsapp()

    def action_next_customer(self):
        """A fresh counter screen for the next customer."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_ebilling.water_counter_action"
        )
        action["target"] = "main"
        return action


class WaterCounterLine(models.TransientModel):
    _name = "water.counter.line"
    _description = "Payment Counter Bill"
    _order = "id"

    counter_id = fields.Many2one("water.counter", required=True, ondelete="cascade")
    invoice_id = fields.Many2one("account.move", string="Bill", required=True)
    selected = fields.Boolean(string="Pay", default=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    period_id = fields.Many2one(related="invoice_id.water_period_id")
    consumption = fields.Integer(related="invoice_id.water_consumption")
    invoice_date_due = fields.Date(related="invoice_id.invoice_date_due")
    amount_total = fields.Monetary(related="invoice_id.amount_total")
    amount_residual = fields.Monetary(related="invoice_id.amount_residual")
    amount_applied = fields.Monetary(
        string="Paid Now", compute="_compute_amount_applied"
    )

    @api.depends("selected", "counter_id.amount", "counter_id.line_ids.selected")
    def _compute_amount_applied(self):
        for counter in self.counter_id:
            allocation = counter._allocate(counter.amount)
            for line in self.filtered(lambda line, c=counter: line.counter_id == c):
                line.amount_applied = allocation.get(line, 0.0)
        (self - self.filtered("counter_id")).amount_applied = 0.0
