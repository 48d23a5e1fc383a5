{
    "name": "Tirta: E-Billing",
    "summary": "Water bills on the phone: portal, bill links, online payment, "
    "delivery by WhatsApp, SMS and e-mail, and the payment counter",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/tirta-water/tirta",
    "author": "Tirta",
    "license": "AGPL-3",
    "depends": ["tirta_water", "portal", "account_payment", "l10n_id", "sms"],
    "data": [
        # security
        "security/ir.model.access.csv",
        "security/water_bill_delivery_security.xml",
        "security/water_cashier_session_security.xml",
        # data
        "data/sms_template_data.xml",
        "data/ir_cron_data.xml",
        # reports
        "report/water_bill_report.xml",
        "report/water_bill_templates.xml",
        "report/water_receipt_report.xml",
        "report/water_receipt_templates.xml",
        "report/water_cashier_session_report.xml",
        # mail templates attach the reports: after them
        "data/mail_template_data.xml",
        # wizards
        "wizards/water_counter_views.xml",
        # views
        "views/portal_templates.xml",
        "views/bill_check_templates.xml",
        "views/res_config_settings_views.xml",
        "views/water_connection_views.xml",
        "views/water_billing_period_views.xml",
        "views/water_bill_delivery_views.xml",
        "views/account_payment_views.xml",
        "views/water_cashier_session_views.xml",
        # menus
        "views/tirta_ebilling_menus.xml",
    ],
    "demo": [
        "demo/tirta_ebilling_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "tirta_ebilling/static/src/js/tours/*.js",
        ],
    },
    "installable": True,
}
