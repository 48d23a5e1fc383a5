from odoo import fields, models
from odoo.tools import SQL

from .water_consumption_report import WATER_LINES


class WaterNrwReport(models.Model):
    _name = "water.nrw.report"
    _inherit = ["water.report.mixin"]
    _auto = False
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "water_bill_key",
            "water_period_id",
            "water_connection_id",
            "water_tariff_version_id",
        ],
        "account.move.line": ["move_id", "display_type", "product_id", "quantity"],
        "water.tariff.version": ["tariff_id"],
        "water.tariff": ["product_water_id"],
        "water.production.reading": ["period_id", "produced"],
        "water.billing.period": ["date_start", "company_id"],
    }
    _description = "Non-Revenue Water"
    _order = "date desc"
    _ratio_measures = {"loss_rate": ("loss", "produced")}

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    period_id = fields.Many2one(
        "water.billing.period", string="Billing Period", readonly=True
    )
    produced = fields.Integer(
        string="Produced (m³)",
        readonly=True,
        help="Sum of the production meters' readings of the period.",
    )
    billed = fields.Integer(
        string="Billed (m³)",
        readonly=True,
        help="Cubic metres on the period's live water bills (minimum volumes "
        "included; flat-rate bills carry none).",
    )
    loss = fields.Integer(
        string="Non-Revenue Water (m³)", readonly=True, help="Produced minus billed."
    )
    loss_rate = fields.Float(
        string="Loss (%)",
        readonly=True,
        aggregator="avg",
        help="Non-revenue water divided by production, in percent; 0 when "
        "nothing was recorded as produced.",
    )

    def _query(self):
        return SQL(
            """
            WITH produced AS (
                SELECT period_id, SUM(produced) AS produced
                  FROM water_production_reading
                 GROUP BY period_id
            ), billed AS (
                SELECT water_period_id AS period_id, SUM(quantity) AS billed
                  FROM (%(lines)s) line
                 GROUP BY water_period_id
            )
            SELECT wbp.id,
                   wbp.date_start AS date,
                   wbp.company_id,
                   wbp.id AS period_id,
                   COALESCE(produced.produced, 0)::integer AS produced,
                   COALESCE(billed.billed, 0)::integer AS billed,
                   (COALESCE(produced.produced, 0)
                    - COALESCE(billed.billed, 0))::integer AS loss,
                   CASE WHEN COALESCE(produced.produced, 0) > 0
                        THEN ROUND(100.0 * (produced.produced
                             - COALESCE(billed.billed, 0)) / produced.produced, 2)
                        ELSE 0.0
                   END AS loss_rate
              FROM water_billing_period wbp
         LEFT JOIN produced ON produced.period_id = wbp.id
         LEFT JOIN billed ON billed.period_id = wbp.id
             WHERE produced.period_id IS NOT NULL OR billed.period_id IS NOT NULL
            """,
            lines=WATER_LINES,
        )
