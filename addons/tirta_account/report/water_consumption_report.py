from odoo import fields, models
from odoo.tools import SQL

from .water_collection_report import LIVE_BILL

# the invoice lines of the tariff's water product: one line per priced block
WATER_LINES = SQL(
    """
    SELECT aml.id, aml.move_id, aml.name, aml.sequence, aml.quantity,
           aml.price_unit, -aml.balance AS amount,
           am.company_id, am.currency_id, am.invoice_date,
           am.water_period_id, am.water_connection_id, am.water_tariff_version_id,
           wc.route_id, tv.tariff_id
      FROM account_move_line aml
      JOIN account_move am ON am.id = aml.move_id
      JOIN water_connection wc ON wc.id = am.water_connection_id
      JOIN water_tariff_version tv ON tv.id = am.water_tariff_version_id
      JOIN water_tariff wt ON wt.id = tv.tariff_id
     WHERE aml.display_type = 'product'
       AND aml.product_id = wt.product_water_id
       AND %s
    """,
    LIVE_BILL,
)


class WaterConsumptionReport(models.Model):
    _name = "water.consumption.report"
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
            "invoice_date",
        ],
        "account.move.line": [
            "move_id",
            "display_type",
            "product_id",
            "name",
            "sequence",
            "quantity",
            "price_unit",
            "balance",
        ],
        "water.connection": ["route_id"],
        "water.tariff.version": ["tariff_id"],
        "water.tariff": ["product_water_id"],
    }
    _description = "Water Consumption by Block"
    _order = "date desc, id"

    date = fields.Date(string="Bill Date", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period_id = fields.Many2one(
        "water.billing.period", string="Billing Period", readonly=True
    )
    connection_id = fields.Many2one("water.connection", readonly=True)
    route_id = fields.Many2one("water.route", readonly=True)
    tariff_id = fields.Many2one("water.tariff", string="Tariff Group", readonly=True)
    tariff_version_id = fields.Many2one("water.tariff.version", readonly=True)
    move_id = fields.Many2one("account.move", string="Bill", readonly=True)
    block = fields.Char(readonly=True, help="The block as printed on the bill.")
    block_number = fields.Integer(readonly=True, aggregator=None)
    quantity = fields.Integer(string="Billed (m³)", readonly=True)
    price_unit = fields.Monetary(string="Price per m³", readonly=True, aggregator=None)
    amount = fields.Monetary(readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT line.id,
                   line.invoice_date AS date,
                   line.company_id, line.currency_id,
                   line.water_period_id AS period_id,
                   line.water_connection_id AS connection_id,
                   line.route_id, line.tariff_id,
                   line.water_tariff_version_id AS tariff_version_id,
                   line.move_id,
                   line.name AS block,
                   ROW_NUMBER() OVER (
                       PARTITION BY line.move_id ORDER BY line.sequence, line.id
                   )::integer AS block_number,
                   line.quantity::integer AS quantity,
                   line.price_unit,
                   line.amount
              FROM (%s) line
            """,
            WATER_LINES,
        )
