from odoo import api, fields, models
from odoo.exceptions import UserError


class WaterConnectionApplication(models.Model):
    _name = "water.connection.application"
    _description = "New Connection Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Application Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    date = fields.Date(
        string="Applied On", required=True, default=fields.Date.context_today
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        help="Leave empty for a new customer: one is created on approval from "
        "the applicant's name and phone.",
    )
    applicant_name = fields.Char(tracking=True)
    phone = fields.Char()
    dusun = fields.Char(string="Hamlet (Dusun)")
    rt = fields.Char(string="RT")
    rw = fields.Char(string="RW")
    street = fields.Char(string="Address")
    route_id = fields.Many2one("water.route")
    tariff_id = fields.Many2one(
        "water.tariff", string="Tariff Group", required=True, tracking=True
    )
    billing_type = fields.Selection(
        [("metered", "Metered"), ("flat", "Flat rate (no meter)")],
        required=True,
        default="metered",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    survey_date = fields.Date(tracking=True)
    survey_note = fields.Text()
    fee_amount = fields.Monetary(
        string="Connection Fee",
        compute="_compute_fee_amount",
        store=True,
        readonly=False,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        compute="_compute_fee_amount",
        store=True,
        readonly=False,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("surveyed", "Surveyed"),
            ("approved", "Approved"),
            ("installed", "Installed"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    refuse_reason = fields.Text(tracking=True)
    invoice_id = fields.Many2one(
        "account.move", string="Connection Fee Invoice", readonly=True, copy=False
    )
    invoice_payment_state = fields.Selection(
        related="invoice_id.payment_state", string="Fee Payment"
    )
    connection_id = fields.Many2one("water.connection", readonly=True, copy=False)
    meter_serial = fields.Char(string="Meter Serial Number")
    meter_digits = fields.Integer(default=5, aggregator=None)
    initial_index = fields.Integer(string="Opening Index", aggregator=None)
    date_install = fields.Date(string="Installed On")

    @api.depends("company_id")
    def _compute_fee_amount(self):
        for application in self:
            company = application.company_id
            application.fee_amount = company.water_connection_fee
            application.payment_term_id = company.water_connection_payment_term_id

    @api.depends("name", "applicant_name", "partner_id")
    def _compute_display_name(self):
        for application in self:
            who = application.partner_id.name or application.applicant_name or ""
            application.display_name = f"{application.name} {who}".strip()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["res.company"]._get_water_sequence_number(
                    vals, "water.connection.application"
                ) or self.env._("New")
        return super().create(vals_list)

    def _check_state(self, states):
        for application in self:
            if application.state not in states:
                raise UserError(
                    self.env._(
                        "Application %(application)s cannot do this in its "
                        "current state.",
                        application=application.name,
                    )
                )

    def action_survey(self):
        self._check_state(("draft",))
        for application in self:
            if not (application.survey_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write the survey note of application %(application)s.",
                        application=application.name,
                    )
                )
        today = fields.Date.context_today(self)
        for application in self:
            application.survey_date = application.survey_date or today
        self.write({"state": "surveyed"})

    def action_refuse(self):
        self._check_state(("draft", "surveyed"))
        for application in self:
            if not (application.refuse_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write why application %(application)s is refused.",
                        application=application.name,
                    )
                )
        self.write({"state": "refused"})

    def _prepare_partner_vals(self):
        self.ensure_one()
        return {
            "name": self.applicant_name,
            "phone": self.phone,
            "street": self.street,
            "lang": self.company_id._get_water_lang(),
        }

    def _prepare_connection_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "tariff_id": self.tariff_id.id,
            "billing_type": self.billing_type,
            "route_id": self.route_id.id,
            "dusun": self.dusun,
            "rt": self.rt,
            "rw": self.rw,
            "street": self.street,
            "state": "draft",
        }

    def _prepare_invoice_vals(self):
        """Values of the connection fee invoice, payable in instalments."""
        self.ensure_one()
        vals = self.connection_id._prepare_fee_invoice_vals(
            self.env.ref("tirta_water.product_water_connection_fee"),
            self.env._(
                "New connection fee, connection %(number)s",
                number=self.connection_id.name,
            ),
            self.fee_amount,
            self.name,
        )
        vals["invoice_payment_term_id"] = self.payment_term_id.id
        return vals

    def action_approve(self):
        """Approve: the customer, a draft connection and the fee invoice."""
        self._check_state(("surveyed",))
        for application in self:
            if not application.partner_id and not application.applicant_name:
                raise UserError(
                    self.env._(
                        "Application %(application)s needs a customer or the "
                        "applicant's name.",
                        application=application.name,
                    )
                )
        for application in self:
            if not application.partner_id:
                application.partner_id = self.env["res.partner"].create(
                    application._prepare_partner_vals()
                )
            application.connection_id = self.env["water.connection"].create(
                application._prepare_connection_vals()
            )
            if application.fee_amount > 0:
                invoice = self.env["account.move"].create(
                    application._prepare_invoice_vals()
                )
                invoice.action_post()
                application.invoice_id = invoice
        self.write({"state": "approved"})

    def action_install(self):
        """The meter is in: record it and activate the connection."""
        self._check_state(("approved",))
        today = fields.Date.context_today(self)
        for application in self:
            date_install = application.date_install or today
            if application.billing_type == "metered":
                if not application.meter_serial:
                    raise UserError(
                        self.env._(
                            "Enter the serial number of the meter installed for "
                            "application %(application)s.",
                            application=application.name,
                        )
                    )
                self.env["water.meter"].create(
                    {
                        "name": application.meter_serial,
                        "digits": application.meter_digits,
                        "initial_index": application.initial_index,
                        "date_install": date_install,
                        "connection_id": application.connection_id.id,
                        "company_id": application.company_id.id,
                    }
                )
            application.connection_id.date_start = date_install
            application.connection_id.action_activate()
            application.date_install = date_install
        self.write({"state": "installed"})
