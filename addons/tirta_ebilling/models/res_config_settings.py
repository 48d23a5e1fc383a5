from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Bill delivery and reminders
    water_reminder_before_days = fields.Integer(
        related="company_id.water_reminder_before_days", readonly=False
    )
    water_reminder_after_days = fields.Integer(
        related="company_id.water_reminder_after_days", readonly=False
    )
    whatsapp_gateway = fields.Selection(
        related="company_id.whatsapp_gateway", readonly=False
    )
