from odoo import api, fields, models
from odoo.exceptions import UserError


class WaterDisconnection(models.Model):
    _name = "water.disconnection"
    _description = "Disconnection Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_planned desc, id desc"

    name = fields.Char(
        string="Order Number",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
    )
    connection_id = fields.Many2one(
        "water.connection",
        required=True,
        index=True,
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    partner_id = fields.Many2one(related="connection_id.partner_id", string="Customer")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    unpaid_bill_count = fields.Integer(related="connection_id.unpaid_bill_count")
    amount_arrears = fields.Monetary(related="connection_id.amount_arrears")
    date_planned = fields.Date(string="Planned Date", tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Officer", tracking=True, domain="[('share', '=', False)]"
    )
    date_done = fields.Date(string="Disconnected On", tracking=True, copy=False)
    final_index = fields.Integer(
        string="Final Meter Index", aggregator=None, tracking=True, copy=False
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    reconnection_invoice_id = fields.Many2one(
        "account.move", string="Reconnection Fee Invoice", readonly=True, copy=False
    )
    reconnection_payment_state = fields.Selection(
        related="reconnection_invoice_id.payment_state",
        string="Reconnection Fee Payment",
    )
    date_reconnected = fields.Date(
        string="Reconnected On", readonly=True, copy=False, tracking=True
    )
    note = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        connections = self.env["water.connection"].browse(
            [vals["connection_id"] for vals in vals_list if vals.get("connection_id")]
        )
        for vals in vals_list:
            if not vals.get("company_id") and vals.get("connection_id"):
                vals["company_id"] = connections.browse(
                    vals["connection_id"]
                ).company_id.id
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["res.company"]._get_water_sequence_number(
                    vals, "water.disconnection"
                ) or self.env._("New")
        return super().create(vals_list)

    def action_plan(self):
        for order in self:
            if order.state != "draft":
                raise UserError(self.env._("Only a draft order can be planned."))
            if not order.date_planned or not order.user_id:
                raise UserError(
                    self.env._(
                        "Order %(order)s needs a planned date and an officer.",
                        order=order.name,
                    )
                )
        self.write({"state": "planned"})

    def action_done(self):
        """The officer closed the valve: the connection is disconnected."""
        for order in self:
            if order.state not in ("draft", "planned"):
                raise UserError(
                    self.env._(
                        "Order %(order)s is not open.",
                        order=order.name,
                    )
                )
            if order.connection_id.state != "active":
                raise UserError(
                    self.env._(
                        "Connection %(number)s is not active.",
                        number=order.connection_id.name,
                    )
                )
        today = fields.Date.context_today(self)
        for order in self:
            order.write({"state": "done", "date_done": order.date_done or today})
            order.connection_id.action_disconnect()
            order.connection_id.date_disconnected = order.date_done

    def action_cancel(self):
        if self.filtered(lambda o: o.state == "done"):
            raise UserError(
                self.env._(
                    "A done order cannot be cancelled: reconnect the connection."
                )
            )
        self.write({"state": "cancel"})

    def action_draft(self):
        self.filtered(lambda o: o.state == "cancel").write({"state": "draft"})

    def _prepare_reconnection_invoice_vals(self):
        """Values of the reconnection fee invoice of this order."""
        self.ensure_one()
        return self.connection_id._prepare_fee_invoice_vals(
            self.env.ref("tirta_water.product_water_reconnection_fee"),
            self.env._(
                "Reconnection fee, connection %(number)s",
                number=self.connection_id.name,
            ),
            self.company_id.water_reconnection_fee,
            self.name,
        )

    def action_invoice_reconnection_fee(self):
        """Post the reconnection fee invoice of done orders without one."""
        orders = self.filtered(
            lambda o: o.state == "done"
            and not o.date_reconnected
            and (
                not o.reconnection_invoice_id
                or o.reconnection_invoice_id.state == "cancel"
            )
            and o.company_id.water_reconnection_fee > 0
        )
        if not orders:
            return False
        moves = self.env["account.move"].create(
            [order._prepare_reconnection_invoice_vals() for order in orders]
        )
        moves.action_post()
        for order, move in zip(orders, moves, strict=True):
            order.reconnection_invoice_id = move
        return True

    def _check_fee_paid(self):
        for order in self:
            if order.company_id.water_reconnection_fee <= 0:
                continue
            invoice = order.reconnection_invoice_id
            if not invoice or invoice.state != "posted":
                raise UserError(
                    self.env._(
                        "Invoice the reconnection fee of order %(order)s first.",
                        order=order.name,
                    )
                )
            if invoice.payment_state not in ("paid", "in_payment"):
                raise UserError(
                    self.env._(
                        "The reconnection fee %(invoice)s of connection %(number)s "
                        "is not paid yet.",
                        invoice=invoice.name,
                        number=order.connection_id.name,
                    )
                )

    def action_reconnect(self):
        """Back to active once arrears and the reconnection fee are paid."""
        for order in self:
            if order.state != "done" or order.date_reconnected:
                raise UserError(
                    self.env._(
                        "Order %(order)s has no disconnection to undo.",
                        order=order.name,
                    )
                )
        self.connection_id.action_activate()

    def action_view_reconnection_invoice(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            {
                "views": [(False, "form")],
                "res_id": self.reconnection_invoice_id.id,
                "domain": [("id", "=", self.reconnection_invoice_id.id)],
            }
        )
        return action
