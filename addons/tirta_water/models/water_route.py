from odoo import fields, models


class WaterRoute(models.Model):
    _name = "water.route"
    _description = "Reading Route"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=False)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Reader",
        help="Meter reader who walks this route and may enter its readings.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    connection_ids = fields.One2many("water.connection", "route_id")
    connection_count = fields.Integer(compute="_compute_connection_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A route with this name already exists.",
        ),
    ]

    def _compute_connection_count(self):
        counts = dict(
            self.env["water.connection"]._read_group(
                [("route_id", "in", self.ids)], ["route_id"], ["__count"]
            )
        )
        for route in self:
            route.connection_count = counts.get(route, 0)
