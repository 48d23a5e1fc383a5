from odoo import http
from odoo.http import request

MAX_NUMBER_LENGTH = 40


def mask_name(name):
    """Keep the first two letters of each word: SUPARMAN HADI -> SU****** HA**."""
    return " ".join(
        word[:2] + "*" * max(len(word) - 2, 0) for word in (name or "").split()
    )


def escape_like(value):
    """Make ``value`` match itself only in an ``=ilike`` comparison."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class WaterBillCheck(http.Controller):
    """Public "Cek tagihan": what a connection owes, without login.

    Shows only the connection number, the masked customer name, the months
    owed with their amounts and a signed link to pay them.
    """

    def _find_water_connections(self, number):
        """Connections with exactly this number (any letter case), in sudo."""
        return (
            request.env["water.connection"]
            .sudo()
            .search(
                [
                    ("name", "=ilike", escape_like(number)),
                    ("state", "!=", "draft"),
                ]
            )
        )

    def _prepare_bill_check_result(self, connection):
        """What the public page may show of one connection (in sudo)."""
        bills = request.env["account.move"].sudo()._get_water_open_bills(connection)
        newest = bills.sorted(lambda b: (b.invoice_date, b.id))[-1:]
        return {
            "number": connection.name,
            "masked_name": mask_name(connection.partner_id.name),
            "months": [
                {
                    "period": bill._get_water_bill_period_label(),
                    "amount": bill.amount_residual,
                    "date_due": bill.invoice_date_due,
                }
                for bill in bills
            ],
            "total": sum(bills.mapped("amount_residual")),
            "currency": connection.currency_id,
            "pay_url": newest.get_portal_url(query_string="&scope=all")
            if newest
            else False,
        }

    @http.route(
        ["/cek-tagihan"],
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def bill_check(self, number=None, **kwargs):
        number = (number or "").strip()[:MAX_NUMBER_LENGTH]
        values = {"number": number, "results": [], "searched": bool(number)}
        status = 200
        if number:
            address = request.httprequest.remote_addr or "unknown"
            allowed = request.env["water.bill.check.hit"].sudo()._register_hit(address)
            if not allowed:
                values["searched"] = False
                values["error"] = request.env._(
                    "Too many look-ups from your connection. Wait one minute, "
                    "then try again."
                )
                status = 429
            else:
                values["results"] = [
                    self._prepare_bill_check_result(connection)
                    for connection in self._find_water_connections(number)
                ]
        return request.render("tirta_ebilling.bill_check_page", values, status=status)
