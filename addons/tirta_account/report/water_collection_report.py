from odoo import fields, models
from odoo.tools import SQL

LIVE_BILL = SQL(
    "am.move_type = 'out_invoice' AND am.state = 'posted' "
    "AND am.water_bill_key IS NOT NULL"
)


class WaterCollectionReport(models.Model):
    _name = "water.collection.report"
    _inherit = ["water.report.mixin"]
    _auto = False
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "water_bill_key",
            "company_id",
            "currency_id",
            "water_period_id",
            "water_connection_id",
            "water_tariff_version_id",
            "partner_id",
            "invoice_date",
            "amount_total_signed",
            "amount_residual_signed",
        ],
        "account.move.line": ["move_id", "display_type", "journal_id", "date"],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount"],
        "account.journal": ["type"],
        "water.connection": ["route_id"],
        "water.tariff.version": ["tariff_id"],
    }
    _description = "Water Bills and Collection"
    _order = "date desc, id desc"
    _ratio_measures = {"collection_rate": ("amount_collected", "amount_billed")}

    kind = fields.Selection(
        [("bill", "Bill"), ("collection", "Collection")], readonly=True
    )
    date = fields.Date(
        readonly=True,
        help="Bill date for a bill; for a collection, the later of the payment "
        "date and the bill date.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period_id = fields.Many2one(
        "water.billing.period", string="Billing Period", readonly=True
    )
    connection_id = fields.Many2one("water.connection", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    route_id = fields.Many2one("water.route", readonly=True)
    tariff_id = fields.Many2one("water.tariff", string="Tariff Group", readonly=True)
    move_id = fields.Many2one("account.move", string="Bill", readonly=True)
    payment_journal_id = fields.Many2one("account.journal", readonly=True)
    bill_count = fields.Integer(string="Bills Issued", readonly=True)
    amount_billed = fields.Monetary(
        readonly=True, help="Total of the posted water bills."
    )
    amount_collected = fields.Monetary(
        readonly=True,
        help="Part of these bills settled by payments received in a cash or bank "
        "journal (reconciled with the bill's receivable). Grouped by billing "
        "period: what was collected on that period's bills so far; grouped by "
        "date: what was collected in that month. Credit notes are not collection.",
    )
    amount_residual = fields.Monetary(
        string="Still Due", readonly=True, help="What the bills still owe today."
    )
    collection_rate = fields.Float(
        string="Collection Efficiency (%)",
        readonly=True,
        aggregator="avg",
        help="Amount collected divided by amount billed, in percent.",
    )

    def _query(self):
        return SQL(
            """
            WITH bill AS (
                SELECT am.id AS move_id,
                       am.company_id,
                       am.currency_id,
                       am.water_period_id AS period_id,
                       am.water_connection_id AS connection_id,
                       am.partner_id,
                       wc.route_id,
                       tv.tariff_id,
                       am.invoice_date,
                       am.amount_total_signed,
                       am.amount_residual_signed
                  FROM account_move am
                  JOIN water_connection wc ON wc.id = am.water_connection_id
             LEFT JOIN water_tariff_version tv ON tv.id = am.water_tariff_version_id
                 WHERE %(live)s
            )
            SELECT bill.move_id * 2 AS id,
                   'bill' AS kind,
                   bill.invoice_date AS date,
                   bill.company_id, bill.currency_id, bill.period_id,
                   bill.connection_id, bill.partner_id, bill.route_id,
                   bill.tariff_id, bill.move_id,
                   NULL::integer AS payment_journal_id,
                   1 AS bill_count,
                   bill.amount_total_signed AS amount_billed,
                   0.0 AS amount_collected,
                   bill.amount_residual_signed AS amount_residual,
                   0.0 AS collection_rate
              FROM bill
            UNION ALL
            SELECT apr.id * 2 + 1 AS id,
                   'collection' AS kind,
                   GREATEST(bill.invoice_date, pay.date) AS date,
                   bill.company_id, bill.currency_id, bill.period_id,
                   bill.connection_id, bill.partner_id, bill.route_id,
                   bill.tariff_id, bill.move_id,
                   pay.journal_id AS payment_journal_id,
                   0 AS bill_count,
                   0.0 AS amount_billed,
                   apr.amount AS amount_collected,
                   0.0 AS amount_residual,
                   0.0 AS collection_rate
              FROM bill
              JOIN account_move_line due
                ON due.move_id = bill.move_id AND due.display_type = 'payment_term'
              JOIN account_partial_reconcile apr ON apr.debit_move_id = due.id
              JOIN account_move_line pay ON pay.id = apr.credit_move_id
              JOIN account_journal pj
                ON pj.id = pay.journal_id AND pj.type IN ('cash', 'bank')
              JOIN account_move pm ON pm.id = pay.move_id AND pm.state = 'posted'
            """,
            live=LIVE_BILL,
        )
