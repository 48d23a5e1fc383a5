import logging

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# The board's own accounts on top of the Indonesian chart: code, Indonesian
# name (what the board reads), type.
WATER_ACCOUNTS = [
    ("41100010", "Pendapatan Air", "income"),
    ("41100020", "Pendapatan Abonemen", "income"),
    ("41100030", "Pendapatan Administrasi", "income"),
    ("41100040", "Pendapatan Denda", "income"),
    ("41100050", "Pendapatan Sambungan Baru", "income"),
    ("41100060", "Pendapatan Penyambungan Kembali", "income"),
    ("11110100", "Kas Loket", "asset_cash"),
    ("11110200", "Kas Penagih", "asset_cash"),
    ("61200010", "Listrik Pompa", "expense"),
    ("61200020", "Perbaikan dan Pemeliharaan Jaringan", "expense"),
    ("61200030", "Bahan Kimia (Kaporit)", "expense"),
    ("61200040", "Honor Pengurus dan Operator", "expense"),
    ("61200050", "Biaya Kantor dan ATK", "expense"),
]
WATER_EXPENSE_CODES = [
    code for code, _name, kind in WATER_ACCOUNTS if kind == "expense"
]
# Cash journals of the board: code, name, account code.
WATER_CASH_JOURNALS = [
    ("KLKT", "Kas Loket", "11110100"),
    ("KPNG", "Kas Penagih", "11110200"),
]
# Income account of each product (xml id in tirta_water), by account code.
WATER_PRODUCT_ACCOUNTS = {
    "product_water_consumption": "41100010",
    "product_water_fixed_charge": "41100020",
    "product_water_admin_fee": "41100030",
    "product_water_flat_rate": "41100010",
    "product_water_penalty": "41100040",
    "product_water_connection_fee": "41100050",
    "product_water_reconnection_fee": "41100060",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    water_journal_id = fields.Many2one(
        "account.journal",
        string="Water Sales Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', id)]",
        help="Journal of the bills made by the billing run. Created on the first "
        "billing run when empty.",
    )
    water_penalty_enabled = fields.Boolean(
        string="Late-Payment Penalty",
        help="Charge a penalty on bills still unpaid after their due date.",
    )
    water_penalty_mode = fields.Selection(
        [
            ("fixed_bill", "Fixed amount per late bill"),
            ("fixed_month", "Fixed amount per month late"),
            ("percent", "Percentage of the bill"),
        ],
        string="Penalty Mode",
        default="fixed_bill",
        required=True,
    )
    water_penalty_amount = fields.Monetary(
        string="Penalty Amount",
        currency_field="currency_id",
        default=5000,
        help="Amount per late bill, or per month late.",
    )
    water_penalty_rate = fields.Float(
        string="Penalty Rate (%)",
        default=2.0,
        help="Percentage of the bill's total, charged once per late bill.",
    )
    water_penalty_grace_days = fields.Integer(
        string="Penalty Grace Days",
        help="Days after the due date before a penalty is charged.",
    )
    water_penalty_charge = fields.Selection(
        [("next_bill", "On the next bill"), ("invoice", "On its own invoice")],
        string="Penalty Charged",
        default="next_bill",
        required=True,
    )
    water_disconnect_threshold = fields.Integer(
        string="Unpaid Bills Before Disconnection",
        default=3,
        help="A connection with this many overdue unpaid bills is listed for "
        "disconnection.",
    )
    water_reconnection_fee = fields.Monetary(
        string="Reconnection Fee",
        currency_field="currency_id",
        default=30000,
    )
    water_connection_fee = fields.Monetary(
        string="New Connection Fee",
        currency_field="currency_id",
        default=1000000,
    )
    water_connection_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="New Connection Payment Term",
        default=lambda self: self.env.ref(
            "tirta_water.account_payment_term_cicilan_3", raise_if_not_found=False
        ),
        help="Payment term of new-connection fee invoices, e.g. instalments.",
    )

    @api.model
    def _get_water_sequence_number(self, vals, code):
        """Next number of sequence ``code`` for the company of the record
        values ``vals`` (the current company when they name none)."""
        company = self.browse(vals.get("company_id") or self.env.company.id)
        return self.env["ir.sequence"].with_company(company).next_by_code(code)

    def _get_water_lang(self):
        """Language of what the board prints and sends to its customers
        (bill lines, receipts, reports): Indonesian when it is installed,
        else the company's language."""
        self.ensure_one()
        if self.env["res.lang"]._lang_get("id_ID"):
            return "id_ID"
        return self.partner_id.lang or self.env.lang

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

    # ------------------------------------------------------------------
    # The board's account set
    # ------------------------------------------------------------------

    def _get_water_account(self, code):
        """Return the account of ``code`` of this company (empty if missing)."""
        self.ensure_one()
        return (
            self.env["account.account"]
            .with_company(self)
            .sudo()
            .search(
                [
                    *self.env["account.account"]._check_company_domain(self),
                    ("code", "=", code),
                ],
                limit=1,
            )
        )

    def _prepare_water_account_vals(self, code, name, account_type):
        self.ensure_one()
        return {
            "code": code,
            "name": name,
            "account_type": account_type,
            "company_ids": [Command.set(self.ids)],
        }

    def _prepare_water_cash_journal_vals(self, code, name, account):
        self.ensure_one()
        # The chart's cash-difference accounts, for the cashier's closing.
        profit = self._get_water_account("99900002")
        loss = self._get_water_account("99900001")
        return {
            "name": name,
            "code": code,
            "type": "cash",
            "company_id": self.id,
            "default_account_id": account.id,
            "profit_account_id": profit.id,
            "loss_account_id": loss.id,
        }

    def _setup_water_accounts(self):
        """Create the board's accounts, cash journals and product accounts.

        Idempotent: what exists (by code) is kept as it is. Only companies on
        the Indonesian chart get the set, its codes follow that chart.
        """
        for company in self.filtered(lambda c: c.chart_template == "id"):
            account_model = self.env["account.account"].with_company(company).sudo()
            accounts = {}
            for code, name, account_type in WATER_ACCOUNTS:
                account = company._get_water_account(code)
                if not account:
                    account = account_model.create(
                        company._prepare_water_account_vals(code, name, account_type)
                    )
                accounts[code] = account
            journal_model = self.env["account.journal"].sudo()
            for code, name, account_code in WATER_CASH_JOURNALS:
                exists = journal_model.search_count(
                    [("company_id", "=", company.id), ("code", "=", code)], limit=1
                )
                if not exists:
                    journal = journal_model.create(
                        company._prepare_water_cash_journal_vals(
                            code, name, accounts[account_code]
                        )
                    )
                    # Cash taken is in the drawer at once: payments post
                    # straight to the cash account, not to outstanding receipts.
                    (
                        journal.inbound_payment_method_line_ids
                        | journal.outbound_payment_method_line_ids
                    ).payment_account_id = accounts[account_code]
            for xmlid, code in WATER_PRODUCT_ACCOUNTS.items():
                product = self.env.ref(f"tirta_water.{xmlid}", raise_if_not_found=False)
                if product:
                    product.product_tmpl_id.with_company(company).sudo().write(
                        {"property_account_income_id": accounts[code].id}
                    )
            _logger.info("Water account set ready for company %s", company.name)

    def _get_water_expense_accounts(self):
        """The expense accounts of the board's set."""
        self.ensure_one()
        return (
            self.env["account.account"]
            .with_company(self)
            .search(
                [
                    *self.env["account.account"]._check_company_domain(self),
                    ("code", "in", WATER_EXPENSE_CODES),
                ]
            )
        )
