from odoo import fields, models
from odoo.tools import SQL

from .water_collection_report import LIVE_BILL

AGING_BUCKETS = [
    ("current", "Current"),
    ("1", "1 month overdue"),
    ("2", "2 months overdue"),
    ("3", "3+ months overdue"),
]


class WaterArrearsReport(models.Model):
    _name = "water.arrears.report"
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
        ],
        "account.move.line": [
            "move_id",
            "display_type",
            "date_maturity",
            "amount_residual",
        ],
        "water.connection": ["route_id"],
        "water.tariff.version": ["tariff_id"],
    }
    _description = "Water Arrears Aging (today)"
    _order = "date_due, id"

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
    date_due = fields.Date(string="Due Date", readonly=True)
    months_overdue = fields.Integer(readonly=True, aggregator="max")
    aging = fields.Selection(
        AGING_BUCKETS,
        readonly=True,
        help="Current: not due yet. 1 month overdue: from the day after the due "
        "date to the same day of the next month; 2 months: the month after; "
        "3+ months: later.",
    )
    amount_residual = fields.Monetary(
        string="Arrears",
        readonly=True,
        help="Open amount of the bill's receivable journal item today.",
    )

    def _query(self):
        # a bill is 1 month overdue from the day after its due date until the
        # same day of the next month, 2 months overdue in the month after...
        months = SQL(
            "(EXTRACT(YEAR FROM age(CURRENT_DATE - 1, due.date_maturity)) * 12"
            " + EXTRACT(MONTH FROM age(CURRENT_DATE - 1, due.date_maturity))"
            " + 1)::integer"
        )
        return SQL(
            """
            SELECT due.id,
                   am.company_id, am.currency_id,
                   am.water_period_id AS period_id,
                   am.water_connection_id AS connection_id,
                   am.partner_id, wc.route_id, tv.tariff_id,
                   am.id AS move_id,
                   due.date_maturity AS date_due,
                   CASE WHEN due.date_maturity >= CURRENT_DATE THEN 0
                        ELSE %(months)s END AS months_overdue,
                   CASE WHEN due.date_maturity >= CURRENT_DATE THEN 'current'
                        WHEN %(months)s >= 3 THEN '3'
                        WHEN %(months)s = 2 THEN '2'
                        ELSE '1' END AS aging,
                   due.amount_residual
              FROM account_move_line due
              JOIN account_move am ON am.id = due.move_id
              JOIN water_connection wc ON wc.id = am.water_connection_id
         LEFT JOIN water_tariff_version tv ON tv.id = am.water_tariff_version_id
             WHERE due.display_type = 'payment_term'
               AND due.amount_residual != 0
               AND %(live)s
            """,
            months=months,
            live=LIVE_BILL,
        )
