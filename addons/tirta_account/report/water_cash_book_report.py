from odoo import fields, models
from odoo.tools import SQL

# Money lines of cash and bank journals: the journal's own account and the
# outstanding receipt/payment accounts of its payments. An outstanding line
# stops counting once a statement line has matched it, and the statement's
# own outstanding counterpart never counts: the matched money is then the
# statement's line on the journal account, so a receipt is never counted twice.
CASH_LINES = SQL(
    """
    SELECT aml.id, aml.company_id, aml.journal_id, aml.date, aml.move_id,
           aml.partner_id, aml.account_id, aml.name, am.create_uid AS user_id,
           aml.debit, aml.credit, aml.balance, j.type AS journal_type
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      JOIN account_journal j ON j.id = aml.journal_id
     WHERE am.state = 'posted'
       AND j.type IN ('cash', 'bank')
       AND (
            aml.account_id = j.default_account_id
            OR (
                (
                    aml.account_id IN (
                        SELECT pml.payment_account_id
                          FROM account_payment_method_line pml
                         WHERE pml.journal_id = j.id
                    )
                    OR aml.account_id IN (
                        SELECT pay.outstanding_account_id
                          FROM account_payment pay
                         WHERE pay.move_id = am.id
                    )
                )
                AND am.statement_line_id IS NULL
                AND NOT aml.reconciled
            )
       )
    """
)


class WaterCashBookReport(models.Model):
    _name = "water.cash.book.report"
    _inherit = ["water.report.mixin"]
    _auto = False
    _depends = {
        "account.move": ["state", "create_uid", "statement_line_id"],
        "account.move.line": [
            "company_id",
            "journal_id",
            "date",
            "move_id",
            "partner_id",
            "account_id",
            "name",
            "debit",
            "credit",
            "balance",
            "reconciled",
        ],
        "account.journal": ["type", "default_account_id"],
        "account.payment.method.line": ["journal_id", "payment_account_id"],
        "account.payment": ["move_id", "outstanding_account_id"],
    }
    _description = "Cash Book"
    _order = "date, id"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    journal_id = fields.Many2one("account.journal", readonly=True)
    journal_type = fields.Selection([("cash", "Cash"), ("bank", "Bank")], readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    name = fields.Char(string="Label", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Recorded By", readonly=True, help="Who recorded the entry."
    )
    amount_in = fields.Monetary(string="Receipts", readonly=True)
    amount_out = fields.Monetary(string="Payments", readonly=True)
    balance = fields.Monetary(string="Net", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT line.id, line.date, line.company_id, line.journal_id,
                   line.journal_type, line.move_id, line.partner_id,
                   line.account_id, line.name, line.user_id,
                   line.debit AS amount_in, line.credit AS amount_out,
                   line.balance
              FROM (%s) line
            """,
            CASH_LINES,
        )
