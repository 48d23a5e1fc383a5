from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _post_load_data(self, template_code, company, template_data):
        res = super()._post_load_data(template_code, company, template_data)
        company = company or self.env.company
        # the chart is loaded: the board's accounts can be added by code
        if company.chart_template == "id":
            company._setup_water_accounts()
        return res
