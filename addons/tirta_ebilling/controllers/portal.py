from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.fields import Command
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount

from .bill_check import mask_name

CHART_MONTHS = 12
BILLS_SHOWN = 24


class WaterPortal(PortalAccount):
    """The customer's water connections, bills and their online payment."""

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _get_water_connections(self):
        """Connections of the logged-in customer, in sudo (filtered here)."""
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            request.env["water.connection"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partner.id),
                    ("state", "!=", "draft"),
                ]
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "water_connection_count" in counters:
            values["water_connection_count"] = len(self._get_water_connections())
        return values

    def _get_water_chart(self, bills):
        """Bars of the last months' billed cubic metres, oldest first."""
        billed = bills.filtered("water_period_id").sorted(
            lambda b: b.water_period_id.date_start, reverse=True
        )[:CHART_MONTHS]
        bars = [
            {
                "label": bill.water_period_id.date_start.strftime("%m/%y"),
                "volume": bill.water_consumption,
            }
            for bill in reversed(billed)
        ]
        peak = max((bar["volume"] for bar in bars), default=0) or 1
        for bar in bars:
            bar["percent"] = round(100 * bar["volume"] / peak)
        return bars

    def _prepare_water_connection_values(self, connection):
        """Values of one connection block on /my/water (``connection`` in sudo)."""
        Move = request.env["account.move"].sudo()
        bills = Move.search(
            [
                ("water_connection_id", "=", connection.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ],
            order="invoice_date desc, id desc",
        )
        open_bills = bills.filtered(
            lambda b: b.payment_state in ("not_paid", "partial")
        )
        shown = (open_bills + (bills - open_bills))[:BILLS_SHOWN]
        payments = bills._get_reconciled_payments().sorted(
            lambda p: (p.date, p.id), reverse=True
        )
        return {
            "connection": connection,
            "bills": shown,
            "open_bills": open_bills,
            "amount_open": sum(open_bills.mapped("amount_residual")),
            "pay_bill": open_bills[:1],
            "payments": payments,
            "chart": self._get_water_chart(bills),
        }

    def _water_bill_check_access(self, bill_id, access_token):
        """The bill in sudo when the visitor may see it, else None."""
        try:
            bill_sudo = self._document_check_access(
                "account.move", bill_id, access_token
            )
        except (AccessError, MissingError):
            return None
        if not bill_sudo._is_water_bill() or bill_sudo.state != "posted":
            return None
        return bill_sudo

    def _get_water_payable_bills(self, bill_sudo):
        """Open bills of the bill's connection and customer, oldest first."""
        bills = bill_sudo._get_water_open_bills(bill_sudo.water_connection_id)
        partner = bill_sudo.commercial_partner_id
        return bills.filtered(lambda b: b.commercial_partner_id == partner)

    def _prepare_water_bill_page_values(self, bill_sudo, access_token, scope=None):
        """Values of the mobile bill page, with the payment form when payable.

        :param str scope: ``all`` to pay every open bill of the connection at
            once, ``bill`` for this bill only; by default all when the
            connection owes more than this bill.
        """
        payable = self._get_water_payable_bills(bill_sudo)
        others = payable - bill_sudo
        if scope not in ("all", "bill"):
            scope = "all" if others else "bill"
        if scope == "bill" and bill_sudo not in payable:
            scope = "all"
        to_pay = payable if scope == "all" else bill_sudo
        amount = sum(to_pay.mapped("amount_residual"))
        values = {
            "page_name": "water_bill",
            "today": fields.Date.context_today(bill_sudo),
            "res_company": bill_sudo.company_id,
            "bill": bill_sudo,
            "details": bill_sudo._prepare_water_bill_values(),
            "payable": payable,
            "other_open_bills": others,
            "scope": scope,
            "to_pay": to_pay,
            "amount_to_pay": amount,
            "access_token": access_token,
            "bill_url": bill_sudo.get_portal_url(),
            # a QRIS code carries one bill's amount: only when paying it alone
            "qris_image": bill_sudo._get_water_qris_image()
            if scope == "bill"
            else None,
            "tx_pending": bill_sudo.transaction_ids.filtered(
                lambda tx: tx.state in ("pending", "authorized")
            ),
        }
        if to_pay and not bill_sudo.currency_id.is_zero(amount):
            transaction_route = (
                f"/my/water/transaction/{bill_sudo.id}"
                if scope == "all"
                else f"/invoice/transaction/{bill_sudo.id}"
            )
            values.update(
                self._get_common_page_view_values(
                    invoices_data={
                        "partner": bill_sudo.partner_id,
                        "company": bill_sudo.company_id,
                        "total_amount": amount,
                        "currency": bill_sudo.currency_id,
                        "amount_residual": amount,
                        "landing_route": bill_sudo.get_portal_url(),
                        "transaction_route": transaction_route,
                    },
                    access_token=bill_sudo.access_token,
                )
            )
            values["amount"] = amount
        return values

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @http.route(["/my/water"], type="http", auth="user", website=True)
    def portal_my_water(self, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "water",
                "today": fields.Date.context_today(request.env.user),
                "connections": [
                    self._prepare_water_connection_values(connection)
                    for connection in self._get_water_connections()
                ],
            }
        )
        return request.render("tirta_ebilling.portal_my_water", values)

    @http.route(
        ["/my/water/bills/<int:bill_id>"], type="http", auth="public", website=True
    )
    def portal_water_bill(
        self,
        bill_id,
        access_token=None,
        report_type=None,
        download=False,
        scope=None,
        **kwargs,
    ):
        bill_sudo = self._water_bill_check_access(bill_id, access_token)
        if not bill_sudo:
            return request.redirect("/my")
        anonymous = request.env.user._is_public()
        if report_type in ("html", "pdf") and not anonymous:
            return self._show_report(
                model=bill_sudo,
                report_type=report_type,
                report_ref="tirta_ebilling.action_report_water_bill",
                download=download,
            )
        values = self._prepare_water_bill_page_values(bill_sudo, access_token, scope)
        # A link can be forwarded, and the bill check hands one to anybody who
        # knows a connection number: without login, the page names the
        # customer as the bill check does and leaves the printed bill (with
        # the address) to the customer's e-mail and portal.
        values["customer_label"] = (
            mask_name(bill_sudo.partner_id.name)
            if anonymous
            else bill_sudo.partner_id.name
        )
        values["show_pdf"] = not anonymous
        values = self._get_page_view_values(
            bill_sudo, access_token, values, "my_invoices_history", False, **kwargs
        )
        return request.render("tirta_ebilling.portal_water_bill_page", values)

    @http.route("/my/water/transaction/<int:bill_id>", type="json", auth="public")
    def portal_water_transaction(
        self, bill_id, access_token=None, payment_reference=None, **kwargs
    ):
        """Create one transaction paying every open bill of the connection.

        The amount is the connection's open total computed here: a page left
        open while a bill was paid elsewhere is refused rather than overpaid.
        """
        bill_sudo = self._water_bill_check_access(bill_id, access_token)
        if not bill_sudo:
            raise ValidationError(request.env._("The access token is invalid."))
        bills = self._get_water_payable_bills(bill_sudo)
        amount = sum(bills.mapped("amount_residual"))
        currency = bill_sudo.currency_id
        if not bills or currency.is_zero(amount):
            raise ValidationError(request.env._("These bills are already paid."))
        self._validate_transaction_kwargs(kwargs)
        asked = kwargs.pop("amount", None)
        if asked is None or currency.compare_amounts(float(asked), amount):
            raise ValidationError(
                request.env._(
                    "The amount to pay has changed to %(amount)s. Reload the page "
                    "before paying.",
                    amount=currency.format(amount),
                )
            )
        logged_in = not request.env.user._is_public()
        partner = request.env.user.partner_id if logged_in else bill_sudo.partner_id
        tx_sudo = self._create_transaction(
            amount=amount,
            currency_id=currency.id,
            partner_id=partner.id,
            custom_create_values={"invoice_ids": [Command.set(bills.ids)]},
            **kwargs,
        )
        return tx_sudo._get_processing_values()
