from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    water_penalty_enabled = fields.Boolean(
        related="company_id.water_penalty_enabled", readonly=False
    )
    water_penalty_mode = fields.Selection(
        related="company_id.water_penalty_mode", readonly=False
    )
    water_penalty_amount = fields.Monetary(
        related="company_id.water_penalty_amount",
        readonly=False,
    )
    water_penalty_rate = fields.Float(
        related="company_id.water_penalty_rate", readonly=False
    )
    water_penalty_grace_days = fields.Integer(
        related="company_id.water_penalty_grace_days", readonly=False
    )
    water_penalty_charge = fields.Selection(
        related="company_id.water_penalty_charge", readonly=False
    )
    water_disconnect_threshold = fields.Integer(
        related="company_id.water_disconnect_threshold", readonly=False
    )
    water_reconnection_fee = fields.Monetary(
        related="company_id.water_reconnection_fee",
        readonly=False,
    )
    water_connection_fee = fields.Monetary(
        related="company_id.water_connection_fee",
        readonly=False,
    )
    water_connection_payment_term_id = fields.Many2one(
        related="company_id.water_connection_payment_term_id", readonly=False
    )
