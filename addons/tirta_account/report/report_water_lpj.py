from odoo import api, models
from odoo.tools.misc import formatLang


class ReportWaterLpj(models.AbstractModel):
    _name = "report.tirta_account.report_water_lpj"
    _description = "Village-Meeting Report (PDF)"

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
            "lpj": {
                wizard.id: wizard._with_report_lang()._get_lpj_values()
                for wizard in wizards
            },
        }

    def _format_number(self, value, digits):
        return formatLang(self.env, value or 0, digits=digits)
