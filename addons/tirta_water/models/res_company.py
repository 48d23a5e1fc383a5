from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    water_journal_id = fields.Many2one(
        "account.journal",
        string="Water Sales Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Journal of the bills made by the billing run. Created on the first "
        "billing run when empty.",
    )

    def _get_water_journal(self):
        """Return the journal of water bills, creating it on first use."""
        self.ensure_one()
        if self.water_journal_id:
            return self.water_journal_id
        journal_model = self.env["account.journal"].sudo()
        journal = journal_model.search(
            [("company_id", "=", self.id), ("code", "=", "AIR"), ("type", "=", "sale")],
            limit=1,
        )
        if not journal:
            journal = journal_model.create(self._prepare_water_journal_vals())
        self.sudo().water_journal_id = journal
        return journal

    def _prepare_water_journal_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Water Sales"),
            "code": "AIR",
            "type": "sale",
            "company_id": self.id,
            "sequence": 5,
        }
