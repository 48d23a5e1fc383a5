from odoo import api, fields, models
from odoo.exceptions import UserError

# Fields a closed session still accepts: the chatter keeps working.
CLOSED_WRITABLE_FIELDS = {"message_main_attachment_id"}


class WaterCashierSession(models.Model):
    _name = "water.cashier.session"
    _description = "Cashier Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Cashier",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    cash_journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'cash')]",
        default=lambda self: self._default_cash_journal(),
        help="Cash drawer of the cashier; its cash is counted at closing.",
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
    )
    payment_ids = fields.One2many(
        "account.payment", "water_cashier_session_id", string="Receipts"
    )
    payment_count = fields.Integer(
        string="Number of Receipts", compute="_compute_totals"
    )
    amount_total = fields.Monetary(string="Total Received", compute="_compute_totals")
    cash_count = fields.Integer(string="Cash Receipts", compute="_compute_totals")
    cash_amount = fields.Monetary(string="Cash Received", compute="_compute_totals")
    transfer_count = fields.Integer(
        string="Transfer Receipts", compute="_compute_totals"
    )
    transfer_amount = fields.Monetary(
        string="Transfers Received", compute="_compute_totals"
    )
    opening_cash = fields.Monetary(
        help="Change in the drawer when the session started.",
    )
    expected_cash = fields.Monetary(
        compute="_compute_expected_cash",
        help="Opening cash plus the cash received in this session.",
    )
    counted_cash = fields.Monetary(help="Cash found in the drawer when closing.")
    cash_difference = fields.Monetary(
        string="Difference",
        compute="_compute_expected_cash",
        help="Counted cash minus expected cash: negative is a shortage.",
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    difference_move_id = fields.Many2one(
        "account.move",
        string="Difference Entry",
        readonly=True,
        help="Journal entry of the cash difference, posted at closing.",
    )

    @api.depends("user_id", "date")
    def _compute_name(self):
        for session in self:
            session.name = f"{session.date or ''} {session.user_id.name or ''}".strip()

    @api.depends(
        "payment_ids.state", "payment_ids.move_id.line_ids.balance", "cash_journal_id"
    )
    def _compute_totals(self):
        """Counts and totals by payment method, read from the journal items."""
        figures = {session.id: self._empty_figures() for session in self}
        payments = self.payment_ids
        if payments:
            lines = self.env["account.move.line"].search(
                [
                    ("payment_id", "in", payments.ids),
                    ("parent_state", "=", "posted"),
                    ("account_id", "in", payments.outstanding_account_id.ids),
                ]
            )
            for line in lines:
                payment = line.payment_id
                session = payment.water_cashier_session_id
                method = "cash" if line.journal_id.type == "cash" else "transfer"
                values = figures[session.id]
                values[f"{method}_payment_ids"].add(payment.id)
                values[f"{method}_amount"] += line.balance
        for session in self:
            values = figures[session.id]
            session.cash_count = len(values["cash_payment_ids"])
            session.cash_amount = values["cash_amount"]
            session.transfer_count = len(values["transfer_payment_ids"])
            session.transfer_amount = values["transfer_amount"]
            session.payment_count = session.cash_count + session.transfer_count
            session.amount_total = session.cash_amount + session.transfer_amount

    @api.model
    def _empty_figures(self):
        return {
            "cash_payment_ids": set(),
            "cash_amount": 0.0,
            "transfer_payment_ids": set(),
            "transfer_amount": 0.0,
        }

    @api.depends("opening_cash", "counted_cash", "cash_amount")
    def _compute_expected_cash(self):
        for session in self:
            session.expected_cash = session.opening_cash + session.cash_amount
            session.cash_difference = session.counted_cash - session.expected_cash

    @api.model
    def _default_cash_journal(self, company=None):
        """The counter's cash journal: "Kas Loket" (KLKT) when it exists."""
        company = company or self.env.company
        journals = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "cash"),
            ],
            order="sequence, id",
        )
        return journals.filtered(lambda j: j.code == "KLKT")[:1] or journals[:1]

    @api.model
    def _get_open_session(self, user=None, company=None):
        """The cashier's open session of today, if any."""
        user = user or self.env.user
        company = company or self.env.company
        return self.search(
            [
                ("user_id", "=", user.id),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date", "=", fields.Date.context_today(self)),
            ],
            limit=1,
        )

    @api.model
    def _get_or_open_session(self, user=None, company=None):
        """The cashier's open session of today, opened when there is none."""
        user = user or self.env.user
        company = company or self.env.company
        session = self._get_open_session(user, company)
        if not session:
            session = self.create(self._prepare_session_vals(user, company))
        return session

    @api.model
    def _prepare_session_vals(self, user, company):
        journal = self._default_cash_journal(company)
        if not journal:
            raise UserError(
                self.env._(
                    "Company %(company)s has no cash journal for the counter.",
                    company=company.name,
                )
            )
        return {
            "user_id": user.id,
            "company_id": company.id,
            "date": fields.Date.context_today(self),
            "cash_journal_id": journal.id,
        }

    def write(self, vals):
        if set(vals) - CLOSED_WRITABLE_FIELDS and any(
            session.state == "closed" for session in self
        ):
            raise UserError(self.env._("A closed cashier session cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_or_used(self):
        for session in self:
            if session.state == "closed" or session.payment_ids:
                raise UserError(
                    self.env._(
                        "Session %(session)s has receipts or is closed: it cannot "
                        "be deleted.",
                        session=session.name,
                    )
                )

    def action_close(self):
        """Close the sessions: post the cash difference, then freeze them."""
        for session in self:
            if session.state != "open":
                raise UserError(
                    self.env._(
                        "Session %(session)s is already closed.", session=session.name
                    )
                )
            if session.payment_ids.filtered(lambda p: p.state == "draft"):
                raise UserError(
                    self.env._(
                        "Session %(session)s has draft payments: confirm or delete "
                        "them before closing.",
                        session=session.name,
                    )
                )
        for session in self:
            move = session._post_cash_difference()
            session.write(
                {
                    "state": "closed",
                    "date_closed": fields.Datetime.now(),
                    "difference_move_id": move.id,
                }
            )
            session._message_log(body=session._get_closing_message(move))
        return True

    def _get_closing_message(self, move):
        self.ensure_one()
        amount = self.currency_id.format(self.cash_difference)
        if self.currency_id.is_zero(self.cash_difference):
            return self.env._("Closed: the counted cash equals the expected cash.")
        if move:
            return self.env._(
                "Closed with a cash difference of %(amount)s, posted in %(entry)s.",
                amount=amount,
                entry=move.name,
            )
        return self.env._(
            "Closed with a cash difference of %(amount)s; journal %(journal)s has "
            "no cash difference account, so it is recorded here only.",
            amount=amount,
            journal=self.cash_journal_id.name,
        )

    def _post_cash_difference(self):
        """Post the cash difference as a cash statement line of the session's
        journal against the journal's profit or loss account.

        :return: the posted ``account.move``, or an empty recordset when there
            is no difference or the journal has no account for it.
        """
        self.ensure_one()
        difference = self.currency_id.round(self.cash_difference)
        if self.currency_id.is_zero(difference):
            return self.env["account.move"]
        journal = self.cash_journal_id
        account = (
            journal.profit_account_id if difference > 0 else journal.loss_account_id
        )
        if not account:
            return self.env["account.move"]
        # cashiers may read statement lines only; the closing is the one place
        # where their counter writes one, on the journal of their own session
        line = (
            self.env["account.bank.statement.line"]
            .sudo()
            .create(self._prepare_difference_line_vals(difference, account))
        )
        return line.move_id.sudo(False)

    def _prepare_difference_line_vals(self, difference, account):
        self.ensure_one()
        return {
            "journal_id": self.cash_journal_id.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "amount": difference,
            "payment_ref": self.env._(
                "Cash difference of cashier session %(session)s", session=self.name
            ),
            "counterpart_account_id": account.id,
        }

    def action_view_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_ebilling.account_payment_action_water_receipt"
        )
        action["domain"] = [("water_cashier_session_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
