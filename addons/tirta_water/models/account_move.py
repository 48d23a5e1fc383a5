from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    water_connection_id = fields.Many2one(
        "water.connection",
        index="btree_not_null",
        readonly=True,
    )
    water_period_id = fields.Many2one(
        "water.billing.period",
        string="Billing Period",
        index="btree_not_null",
        readonly=True,
    )
    water_reading_id = fields.Many2one(
        "water.meter.reading", string="Meter Reading", readonly=True
    )
    water_tariff_version_id = fields.Many2one(
        "water.tariff.version", string="Tariff Version", readonly=True
    )
    water_previous_index = fields.Integer(
        aggregator=None,
        related="water_reading_id.previous_index",
        string="Previous Index",
    )
    water_current_index = fields.Integer(
        aggregator=None,
        related="water_reading_id.current_index",
        string="Current Index",
    )
    water_consumption = fields.Integer(
        related="water_reading_id.billed_consumption", string="Billed m³"
    )
    water_bill_key = fields.Char(
        readonly=True,
        copy=False,
        help="Connection and period of a live water bill; unique, so that no "
        "connection is ever billed twice for one period.",
    )

    _sql_constraints = [
        (
            "water_bill_key_uniq",
            "unique(water_bill_key)",
            "This connection already has a bill for this billing period.",
        ),
    ]

    @api.model
    def _compose_water_bill_key(self, connection_id, period_id):
        return f"{connection_id}-{period_id}"

    def _water_bill_key(self):
        self.ensure_one()
        return self._compose_water_bill_key(
            self.water_connection_id.id, self.water_period_id.id
        )

    def _is_water_bill(self):
        self.ensure_one()
        return bool(
            self.move_type == "out_invoice"
            and self.water_connection_id
            and self.water_period_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        for move in moves:
            if move._is_water_bill() and not move.water_bill_key:
                move.water_bill_key = move._water_bill_key()
        return moves

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        for move in posted:
            if move._is_water_bill() and not move.water_bill_key:
                move.water_bill_key = move._water_bill_key()
            reading = move.water_reading_id
            if move._is_water_bill() and reading and reading.invoice_id != move:
                # a cashier may post a bill again without rights on readings
                reading.sudo().write({"state": "billed", "invoice_id": move.id})
        refunds = posted.filtered(
            lambda m: m.move_type == "out_refund"
            and m.reversed_entry_id.water_bill_key
            and m.currency_id.compare_amounts(
                m.amount_total, m.reversed_entry_id.amount_total
            )
            == 0
        )
        refunds.reversed_entry_id._release_water_bill()
        self.env["water.penalty"]._mark_charged(posted.invoice_line_ids)
        return posted

    def button_draft(self):
        res = super().button_draft()
        self.filtered("water_bill_key")._release_water_bill()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self.filtered("water_bill_key")._release_water_bill()
        # a cancelled bill charged nothing: its penalties wait for the next one
        penalties = self.sudo().invoice_line_ids.water_penalty_id.filtered(
            lambda p: p.state == "charged" and p.charge_move_id in self
        )
        penalties.sudo().write({"state": "pending", "charge_line_id": False})
        return res

    def _release_water_bill(self):
        """Free the connection's period and reading so that it can be billed again."""
        readings = self.water_reading_id.filtered(lambda r: r.invoice_id in self)
        self.write({"water_bill_key": False})
        readings.sudo()._release_bill()

    def _apply_outstanding_credits(self):
        """Pay posted customer invoices from their customer's open credits.

        A customer who paid ahead (a payment with no bill) has a credit on the
        receivable; it goes to the new invoices, oldest credit first.
        """
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "posted"
            and m.payment_state not in ("paid", "in_payment")
        )
        receivables = invoices.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )
        if not receivables:
            return
        credits = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("account_id", "in", receivables.account_id.ids),
                    ("company_id", "in", invoices.company_id.ids),
                    ("parent_state", "=", "posted"),
                    ("partner_id", "child_of", invoices.commercial_partner_id.ids),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                ],
                order="date, id",
            )
        )
        for invoice in invoices:
            partner = invoice.commercial_partner_id
            for credit in credits.filtered(
                lambda c, p=partner: c.partner_id.commercial_partner_id == p
            ):
                lines = receivables.filtered(
                    lambda line, m=invoice, c=credit: line.move_id == m
                    and line.account_id == c.account_id
                    and not line.reconciled
                )
                if not lines:
                    break
                if credit.reconciled:
                    continue
                (credit | lines).sudo().reconcile()
