{
    "name": "Tirta: Books and Reports",
    "summary": "A water board's reports from its books: collection, arrears, "
    "consumption, non-revenue water, cash book, financial statements and the "
    "village-meeting report",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/tirta-water/tirta",
    "author": "Tirta",
    "license": "AGPL-3",
    "depends": [
        "tirta_water",
        "mis_builder",
        "account_financial_report",
        "report_xlsx",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/tirta_account_security.xml",
        "data/mis_report_data.xml",
        "report/water_report_reports.xml",
        "report/water_report_templates.xml",
        "wizards/water_report_wizard_views.xml",
        "views/water_production_meter_views.xml",
        "views/water_production_reading_views.xml",
        "views/water_report_views.xml",
        "views/tirta_account_menus.xml",
    ],
    "demo": [],
    "installable": True,
}
