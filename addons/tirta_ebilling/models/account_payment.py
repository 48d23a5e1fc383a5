from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .water_connection import normalize_phone


class AccountPayment(models.Model):
    _inherit = "account.payment"

    water_connection_id = fields.Many2one(
        "water.connection",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    water_cashier_session_id = fields.Many2one(
        "water.cashier.session",
        string="Cashier Session",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    water_amount_owed_after = fields.Monetary(
        string="Still Owed After Payment",
        readonly=True,
        copy=False,
        help="Unpaid total of the connection's bills right after this payment, "
        "as printed on the receipt.",
    )

    def _check_water_session_open(self):
        closed = self.water_cashier_session_id.filtered(lambda s: s.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "This payment belongs to the closed cashier session "
                    "%(session)s: it cannot be changed any more.",
                    session=closed[0].name,
                )
            )

    def action_draft(self):
        self._check_water_session_open()
        return super().action_draft()

    def action_cancel(self):
        self._check_water_session_open()
        return super().action_cancel()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_water_session(self):
        self._check_water_session_open()

    # ------------------------------------------------------------------
    # Receipt
    # ------------------------------------------------------------------

    def _get_water_connection(self):
        self.ensure_one()
        return (
            self.water_connection_id
            or self.reconciled_invoice_ids.water_connection_id[:1]
        )

    def _get_water_amount_owed(self):
        """What the connection still owes: its posted bills' unpaid total.

        A counter payment keeps the figure of the moment it was taken, so that
        a receipt printed again tells the same story.
        """
        self.ensure_one()
        if self.water_cashier_session_id:
            return self.water_amount_owed_after
        connection = self._get_water_connection()
        if not connection:
            return 0.0
        return sum(
            self.env["account.move"]
            .search(self._get_water_unpaid_bills_domain(connection))
            .mapped("amount_residual")
        )

    @api.model
    def _get_water_unpaid_bills_domain(self, connection):
        return [
            ("water_connection_id", "=", connection.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0),
        ]

    def _get_water_receipt_lines(self):
        """The bills this payment paid, oldest first.

        :return: list of dicts with ``invoice``, ``label`` (period or bill
            number) and ``amount`` (the part of this payment applied to it)
        """
        self.ensure_one()
        amounts = {}
        partials = self.move_id._get_reconciled_invoices_partials()[0]
        for _partial, amount, line in partials:
            invoice = line.move_id
            if invoice.move_type in ("out_invoice", "out_refund"):
                amounts[invoice] = amounts.get(invoice, 0.0) + amount
        invoices = sorted(
            amounts,
            key=lambda m: (
                m.water_period_id.date_start or m.invoice_date or fields.Date.today(),
                m.id,
            ),
        )
        return [
            {
                "invoice": invoice,
                "label": invoice.water_period_id.name or invoice.name,
                "amount": amounts[invoice],
            }
            for invoice in invoices
        ]

    def _get_water_receipt_values(self):
        """Everything a receipt shows, for the QWeb templates and WhatsApp."""
        self.ensure_one()
        lines = self._get_water_receipt_lines()
        applied = sum(line["amount"] for line in lines)
        connection = self._get_water_connection()
        return {
            "lines": lines,
            "amount_applied": applied,
            "amount_credit": self.currency_id.round(self.amount - applied),
            "amount_owed": self._get_water_amount_owed(),
            "connection": connection,
            "partner": connection.partner_id or self.partner_id,
            "cashier": self.water_cashier_session_id.user_id or self.create_uid,
        }

    @api.model
    def _water_whatsapp_number(self, phone):
        """The number as wa.me wants it (62...), by the delivery's own rule;
        empty when it is missing or not a phone number."""
        return normalize_phone(phone) or ""

    def _get_water_receipt_whatsapp_text(self):
        self.ensure_one()
        values = self._get_water_receipt_values()
        partner = values["partner"]
        lang = self.company_id._get_water_lang()
        payment = self.with_context(lang=lang)
        env = payment.env
        currency = self.currency_id.with_context(lang=lang)
        bill_lines = "\n".join(
            env._(
                "- %(period)s: %(amount)s",
                period=line["label"],
                amount=currency.format(line["amount"]),
            )
            for line in values["lines"]
        )
        parts = [
            env._(
                "Payment received, thank you.\n"
                "Receipt: %(number)s\n"
                "Date: %(date)s\n"
                "Connection: %(connection)s\n"
                "Customer: %(customer)s",
                number=self.name,
                date=format_date(env, self.date, lang_code=lang),
                connection=values["connection"].name or "-",
                customer=partner.name or "",
            ),
        ]
        if bill_lines:
            parts.append(env._("Bills paid:\n%(lines)s", lines=bill_lines))
        parts.append(
            env._("Amount paid: %(amount)s", amount=currency.format(self.amount))
        )
        if not currency.is_zero(values["amount_credit"]):
            parts.append(
                env._(
                    "Kept as credit for the next bills: %(amount)s",
                    amount=currency.format(values["amount_credit"]),
                )
            )
        parts.append(
            env._(
                "Still owed: %(amount)s", amount=currency.format(values["amount_owed"])
            )
        )
        parts.append(self.company_id.name)
        return "\n".join(parts)

    def _get_water_receipt_whatsapp_url(self):
        """Click-to-chat link with the receipt text, to the customer's phone.

        Without a phone number, WhatsApp lets the cashier pick the contact.
        """
        self.ensure_one()
        partner = self._get_water_receipt_values()["partner"]
        number = self._water_whatsapp_number(partner.mobile or partner.phone)
        text = quote(self._get_water_receipt_whatsapp_text(), safe="")
        return f"https://wa.me/{number}?text={text}"

    def action_water_receipt_roll(self):
        return self.env.ref(
            "tirta_ebilling.action_report_water_receipt_roll"
        ).report_action(self)

    def action_water_receipt_a4(self):
        return self.env.ref(
            "tirta_ebilling.action_report_water_receipt_a4"
        ).report_action(self)

    def action_water_receipt_whatsapp(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._get_water_receipt_whatsapp_url(),
            "target": "new",
        }
