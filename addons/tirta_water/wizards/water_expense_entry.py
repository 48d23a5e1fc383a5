from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class WaterExpenseEntry(models.TransientModel):
    _name = "water.expense.entry"
    _description = "Operating Expense Entry"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    allowed_account_ids = fields.Many2many(
        "account.account", compute="_compute_allowed_account_ids"
    )
    account_id = fields.Many2one(
        "account.account",
        string="Expense",
        required=True,
        domain="[('id', 'in', allowed_account_ids)]",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid From",
        required=True,
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
    )
    amount = fields.Monetary(required=True)
    note = fields.Char(string="Description", required=True)

    @api.depends("company_id")
    def _compute_allowed_account_ids(self):
        for entry in self:
            entry.allowed_account_ids = entry.company_id._get_water_expense_accounts()

    def _prepare_move_vals(self):
        """Values of the posted entry: expense debited, cash or bank credited."""
        self.ensure_one()
        amount = self.currency_id.round(self.amount)
        common = {"name": self.note}
        return {
            "move_type": "entry",
            "date": self.date,
            "journal_id": self.journal_id.id,
            "company_id": self.company_id.id,
            "ref": self.note,
            "line_ids": [
                Command.create(
                    dict(common, account_id=self.account_id.id, debit=amount)
                ),
                Command.create(
                    dict(
                        common,
                        account_id=self.journal_id.default_account_id.id,
                        credit=amount,
                    )
                ),
            ],
        }

    def action_confirm(self):
        self.ensure_one()
        if self.currency_id.compare_amounts(self.amount, 0) <= 0:
            raise UserError(self.env._("The expense amount must be positive."))
        if not self.journal_id.default_account_id:
            raise UserError(
                self.env._(
                    "Journal %(journal)s has no cash or bank account.",
                    journal=self.journal_id.name,
                )
            )
        move = self.env["account.move"].create(self._prepare_move_vals())
        move.action_post()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
        }
