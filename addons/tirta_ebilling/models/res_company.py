from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    # Bill delivery and reminders
    water_reminder_before_days = fields.Integer(
        string="Reminder Days Before Due",
        default=3,
        help="Unpaid bills get a reminder this many days before their due date. "
        "0 sends no reminder before the due date.",
    )
    water_reminder_after_days = fields.Integer(
        string="Reminder Days After Due",
        default=3,
        help="Unpaid bills get a reminder this many days after their due date. "
        "0 sends no reminder after the due date.",
    )
    whatsapp_gateway = fields.Selection(
        [("manual", "Manual (click-to-chat)")],
        string="WhatsApp Gateway",
        default="manual",
        required=True,
        help="How WhatsApp messages leave: by staff, one click per message in "
        "the delivery list, or by a provider added by another module.",
    )

    @api.constrains("water_reminder_before_days", "water_reminder_after_days")
    def _check_water_reminder_days(self):
        for company in self:
            if (
                company.water_reminder_before_days < 0
                or company.water_reminder_after_days < 0
            ):
                raise ValidationError(self.env._("Reminder days cannot be negative."))
