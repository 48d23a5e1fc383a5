from odoo import api, models
from odoo.tools.misc import formatLang


class ReportWaterTable(models.AbstractModel):
    _name = "report.tirta_account.report_water_table"
    _description = "Water Board Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["water.report.wizard"].browse(docids)
        lang = wizards[:1]._with_report_lang().env.lang if wizards else None
        report_env = self.with_context(lang=lang) if lang else self
        return {
            "doc_ids": docids,
            "doc_model": "water.report.wizard",
            "docs": wizards,
            "fmt": report_env._format_number,
            "cell": report_env._format_cell,
            "reports": {
                wizard.id: self._get_wizard_data(wizard._with_report_lang())
                for wizard in wizards
            },
        }

    @api.model
    def _get_wizard_data(self, wizard):
        """What the template shows of ``wizard``, already in the report's
        language."""
        return wizard._get_report_data()

    def _format_number(self, value, digits):
        return formatLang(self.env, value or 0, digits=digits)

    def _format_cell(self, value, kind):
        """Text of a table cell: numbers formatted in the user's language."""
        if kind == "text" or not isinstance(value, int | float):
            return value
        return self._format_number(value, 2 if kind in ("percent", "number") else 0)
