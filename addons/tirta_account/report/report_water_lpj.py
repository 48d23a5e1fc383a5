from odoo import api, models


class ReportWaterLpj(models.AbstractModel):
    _name = "report.tirta_account.report_water_lpj"
    _inherit = "report.tirta_account.report_water_table"
    _description = "Village-Meeting Report (PDF)"

    @api.model
    def _get_wizard_data(self, wizard):
        return wizard._get_lpj_values()
