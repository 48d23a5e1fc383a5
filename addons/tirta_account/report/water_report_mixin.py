from odoo import api, models
from odoo.tools import SQL, drop_view_if_exists


class WaterReportMixin(models.AbstractModel):
    """A read-only reporting model backed by a SQL view.

    Subclasses return their SELECT from ``_query`` and may name ratio measures
    in ``_ratio_measures``: ``{ratio: (numerator, denominator)}``, computed per
    group as ``100 * numerator / denominator`` (0 when the denominator is 0),
    because a sum or an average of row ratios is not the ratio of the sums.
    """

    _name = "water.report.mixin"
    _description = "Water Report (SQL view)"
    _auto = False
    _ratio_measures = {}

    def _query(self):
        raise NotImplementedError()

    def init(self):
        if self._abstract:
            return
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    @api.model
    def _ratio(self, numerator, denominator):
        """Percentage, rounded to two decimals; 0 without a denominator."""
        if not denominator:
            return 0.0
        return round(100.0 * (numerator or 0) / denominator, 2)

    @api.model
    def read_group(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        names = {spec.split(":")[0] for spec in fields}
        ratios = {
            ratio: parts
            for ratio, parts in self._ratio_measures.items()
            if ratio in names
        }
        extra = [
            f"{part}:sum"
            for parts in ratios.values()
            for part in parts
            if part not in names
        ]
        result = super().read_group(
            domain,
            list(fields) + extra,
            groupby,
            offset=offset,
            limit=limit,
            orderby=orderby,
            lazy=lazy,
        )
        for row in result:
            for ratio, (numerator, denominator) in ratios.items():
                row[ratio] = self._ratio(row.get(numerator), row.get(denominator))
        return result
