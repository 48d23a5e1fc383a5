from odoo import Command, api, fields, models
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
    unpaid_bill_count = fields.Integer(
        string="Overdue Bills",
        compute="_compute_arrears",
        search="_search_unpaid_bill_count",
        help="Water bills not fully paid after their due date.",
    )
    amount_arrears = fields.Monetary(
        string="Arrears",
        compute="_compute_arrears",
        help="Unpaid amount of the connection's overdue invoices.",
    )
    is_disconnect_candidate = fields.Boolean(
        string="To Disconnect",
        compute="_compute_arrears",
        search="_search_is_disconnect_candidate",
        help="Active connection with at least the company's number of overdue "
        "unpaid bills.",
    )
    disconnection_ids = fields.One2many("water.disconnection", "connection_id")
    penalty_ids = fields.One2many("water.penalty", "connection_id")

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

    @api.model
    def _get_overdue_domain(self, bills_only=False):
        """Posted customer invoices of connections, unpaid after their due date."""
        domain = [
            ("water_connection_id", "!=", False),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
        ]
        if bills_only:
            domain.append(("water_period_id", "!=", False))
        return domain

    @api.model
    def _get_overdue_bill_counts(self, domain=None):
        """Number of overdue water bills by connection id."""
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                self._get_overdue_domain(bills_only=True) + (domain or []),
                ["water_connection_id"],
                ["__count"],
            )
        )
        return {connection.id: count for connection, count in groups}

    def _compute_arrears(self):
        counts = self._get_overdue_bill_counts(
            [("water_connection_id", "in", self.ids)]
        )
        amounts = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                self._get_overdue_domain() + [("water_connection_id", "in", self.ids)],
                ["water_connection_id"],
                ["amount_residual:sum"],
            )
        )
        for connection in self:
            connection.unpaid_bill_count = counts.get(connection.id, 0)
            connection.amount_arrears = amounts.get(connection, 0)
            connection.is_disconnect_candidate = (
                connection.state == "active"
                and connection.unpaid_bill_count
                >= connection.company_id.water_disconnect_threshold
            )

    def _search_unpaid_bill_count(self, operator, value):
        if operator not in ("=", "!=", ">", ">=", "<", "<=") or not isinstance(
            value, int
        ):
            raise UserError(self.env._("Unsupported search on overdue bills."))
        counts = self._get_overdue_bill_counts()
        compare = {
            "=": lambda c: c == value,
            "!=": lambda c: c != value,
            ">": lambda c: c > value,
            ">=": lambda c: c >= value,
            "<": lambda c: c < value,
            "<=": lambda c: c <= value,
        }[operator]
        if compare(0):
            # connections without any overdue bill match too
            return [
                ("id", "not in", [cid for cid, c in counts.items() if not compare(c)])
            ]
        return [("id", "in", [cid for cid, c in counts.items() if compare(c)])]

    def _search_is_disconnect_candidate(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on disconnection list."))
        counts = self._get_overdue_bill_counts()
        # read as superuser: the record rules apply to the search itself
        connections = (
            self.sudo()
            .browse(list(counts))
            .filtered(
                lambda c: c.state == "active"
                and counts[c.id] >= c.company_id.water_disconnect_threshold
            )
        )
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", connections.ids)]

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
                vals["name"] = self._next_free_number(company) or new_label
        return super().create(vals_list)

    @api.model
    def _next_free_number(self, company):
        """The sequence's next connection number that no connection of
        ``company`` has yet: numbers kept from an imported register may sit
        on the sequence's way, and it steps over them (once: the sequence
        goes on after them)."""
        sequence = self.env["ir.sequence"].with_company(company)
        number = sequence.next_by_code("water.connection")
        while number and self.with_context(active_test=False).search_count(
            [("company_id", "=", company.id), ("name", "=", number)], limit=1
        ):
            number = sequence.next_by_code("water.connection")
        return number

    def _prepare_fee_invoice_vals(self, product, label, amount, origin):
        """Values of a one-line fee invoice of this connection (connection or
        reconnection fee) in the water journal, dated today.

        :param product: the fee's ``product.product``
        :param str label: the invoice line's label
        :param amount: the fee, in the company's currency
        :param str origin: the document the fee comes from
        """
        self.ensure_one()
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "journal_id": self.company_id._get_water_journal().id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": origin,
            "water_connection_id": self.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "name": label,
                        "quantity": 1,
                        "price_unit": amount,
                    }
                )
            ],
        }

    def action_activate(self):
        self.filtered(lambda c: c.state == "disconnected")._check_reconnectable()
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
        self.disconnection_ids.filtered(
            lambda d: d.state == "done" and not d.date_reconnected
        ).write({"date_reconnected": today})

    def action_disconnect(self):
        self.write(
            {
                "state": "disconnected",
                "date_disconnected": fields.Date.context_today(self),
            }
        )

    def _check_reconnectable(self):
        """Refuse reconnecting a connection with arrears or an unpaid fee."""
        # arrears are not stored: payments made since they were read count
        self.invalidate_recordset(["amount_arrears", "unpaid_bill_count"])
        for connection in self:
            if connection.amount_arrears:
                raise UserError(
                    self.env._(
                        "Connection %(number)s still owes %(amount)s in overdue "
                        "bills: it can be reconnected once they are paid.",
                        number=connection.name,
                        amount=connection.currency_id.format(connection.amount_arrears),
                    )
                )
            connection.disconnection_ids.filtered(
                lambda d: d.state == "done" and not d.date_reconnected
            )._check_fee_paid()

    def action_create_disconnection(self):
        """Draft a disconnection order for each selected active connection."""
        connections = self.filtered(
            lambda c: c.state == "active"
            and not c.disconnection_ids.filtered(
                lambda d: d.state in ("draft", "planned")
            )
        )
        orders = self.env["water.disconnection"].create(
            [{"connection_id": connection.id} for connection in connections]
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "tirta_water.water_disconnection_action"
        )
        action["domain"] = [("id", "in", orders.ids)]
        return action

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
