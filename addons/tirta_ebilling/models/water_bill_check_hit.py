from datetime import timedelta

from odoo import api, fields, models

# Look-ups allowed per client address within the window.
BILL_CHECK_LIMIT = 10
BILL_CHECK_WINDOW = timedelta(minutes=1)


class WaterBillCheckHit(models.Model):
    """One look-up of the public bill check, to limit look-ups per address.

    Kept in the database so that the limit holds across server workers; rows
    older than the window are deleted on the next look-up.
    """

    _name = "water.bill.check.hit"
    _description = "Public Bill Check Look-up"
    _log_access = False

    address = fields.Char(required=True, index=True)
    hit_time = fields.Datetime(required=True, index=True)

    @api.model
    def _register_hit(self, address):
        """Record a look-up from ``address``; False when over the limit.

        A refused look-up is not recorded, so that a client blocked for a
        minute gets through again once its earlier look-ups expire.
        """
        now = fields.Datetime.now()
        since = now - BILL_CHECK_WINDOW
        self.env.cr.execute(
            "DELETE FROM water_bill_check_hit WHERE hit_time < %s", [since]
        )
        count = self.search_count(
            [("address", "=", address), ("hit_time", ">=", since)]
        )
        if count >= BILL_CHECK_LIMIT:
            return False
        self.create({"address": address, "hit_time": now})
        return True
