from odoo import api, fields, models
from odoo.exceptions import UserError


class WaterConnection(models.Model):
    _name = "water.connection"
    _description = "Water Connection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "route_id, route_sequence, name"
    _rec_names_search = ["name", "partner_id.name"]

    name = fields.Char(
        string="Connection Number",
        required=True,
        copy=False,
        default=lambda self: self.env._("New"),
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, tracking=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    phone = fields.Char(related="partner_id.phone", readonly=False)
    mobile = fields.Char(related="partner_id.mobile", readonly=False)
    dusun = fields.Char(string="Hamlet (Dusun)")
    rt = fields.Char(string="RT")
    rw = fields.Char(string="RW")
    street = fields.Char(string="Address")
    route_id = fields.Many2one("water.route", tracking=True, index=True)
    route_sequence = fields.Integer(
        aggregator=None,
        string="Position in Route",
        help="Order in which the reader visits it.",
    )
    tariff_id = fields.Many2one(
        "water.tariff", string="Tariff Group", required=True, tracking=True
    )
    billing_type = fields.Selection(
        [("metered", "Metered"), ("flat", "Flat rate (no meter)")],
        required=True,
        default="metered",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("disconnected", "Disconnected"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    date_start = fields.Date(string="Connected On", tracking=True)
    date_disconnected = fields.Date(string="Disconnected On", tracking=True)
    date_closed = fields.Date(string="Closed On", tracking=True)
    meter_ids = fields.One2many("water.meter", "connection_id", string="Meters")
    meter_id = fields.Many2one(
        "water.meter", string="Current Meter", compute="_compute_meter_id", store=True
    )
    reading_ids = fields.One2many("water.meter.reading", "connection_id")
    invoice_ids = fields.One2many("account.move", "water_connection_id", "Bills")
    reading_count = fields.Integer(compute="_compute_counts")
    invoice_count = fields.Integer(compute="_compute_counts")
    note = fields.Text()

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "This connection number is already used.",
        ),
    ]

    @api.depends("meter_ids.state")
    def _compute_meter_id(self):
        for connection in self:
            installed = connection.meter_ids.filtered(lambda m: m.state == "installed")
            connection.meter_id = installed[:1]

    def _compute_counts(self):
        readings = dict(
            self.env["water.meter.reading"]._read_group(
                [("connection_id", "in", self.ids)], ["connection_id"], ["__count"]
            )
        )
        invoices = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("water_connection_id", "in", self.ids)],
                ["water_connection_id"],
                ["__count"],
            )
        )
        for connection in self:
            connection.reading_count = readings.get(connection, 0)
            connection.invoice_count = invoices.get(connection, 0)

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for connection in self:
            connection.display_name = (
                f"{connection.name} {connection.partner_id.name or ''}".strip()
            )

    @api.model_create_multi
    def create(self, vals_list):
        new_label = self.env._("New")
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == new_label:
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("water.connection")
                ) or new_label
        return super().create(vals_list)

    def action_activate(self):
        for connection in self:
            if connection.billing_type == "metered" and not connection.meter_id:
                raise UserError(
                    self.env._(
                        "Connection %(number)s needs a meter before it can be "
                        "activated, or must be set to flat rate.",
                        number=connection.name,
                    )
                )
        today = fields.Date.context_today(self)
        for connection in self:
            connection.write(
                {
                    "state": "active",
                    "date_start": connection.date_start or today,
                    "date_disconnected": False,
                }
            )

    def action_disconnect(self):
        self.write(
            {
                "state": "disconnected",
                "date_disconnected": fields.Date.context_today(self),
            }
        )

    def action_close(self):
        self.write({"state": "closed", "date_closed": fields.Date.context_today(self)})

    def action_view_readings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_water.water_meter_reading_action"
        )
        action["domain"] = [("connection_id", "=", self.id)]
        action["context"] = {"default_connection_id": self.id}
        return action

    def action_view_consumption(self):
        action = self.action_view_readings()
        action["view_mode"] = "graph,list,form"
        action["views"] = [
            (self.env.ref("tirta_water.water_meter_reading_view_graph").id, "graph"),
            (False, "list"),
            (False, "form"),
        ]
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("water_connection_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def action_replace_meter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replace Meter"),
            "res_model": "water.meter.replace",
            "view_mode": "form",
            "target": "new",
            "context": {"default_connection_id": self.id},
        }
