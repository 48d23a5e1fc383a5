from datetime import date

from odoo.tests import tagged

from .common import TirtaAccountCommon


@tagged("post_install", "-at_install")
class TestArrears(TirtaAccountCommon):
    def _aging(self, as_of):
        wizard = self._wizard("arrears", date(2026, 1, 1), as_of)
        lines = [
            line
            for line in wizard._get_arrears_lines()
            if line["connection_id"] in self.connections.ids
        ]
        return wizard, lines

    def _by_bucket(self, lines):
        buckets = {}
        for line in lines:
            buckets[line["aging"]] = buckets.get(line["aging"], 0) + line["residual"]
        return buckets

    def test_aging_total_equals_receivable_balance(self):
        """On any date, the arrears are the receivable balance of the bills."""
        for as_of in (date(2026, 9, 20), date(2026, 10, 15), date(2026, 12, 31)):
            _wizard, lines = self._aging(as_of)
            receivable = self._receivable_lines(date=("<=", as_of))
            self.assertEqual(
                sum(line["residual"] for line in lines),
                sum(receivable.mapped("balance")),
                as_of,
            )

    def test_buckets(self):
        _wizard, lines = self._aging(date(2026, 10, 15))
        # October bills not due yet (c1's is paid on 18 Oct, later);
        # September bills 25 days late: c2 in full, c3 after 50,000
        self.assertEqual(
            self._by_bucket(lines),
            {"current": 48000 + 15500 + 39000 + 27000, "1": 14500 + 39500},
        )
        _wizard, lines = self._aging(date(2026, 11, 10))
        self.assertEqual(
            self._by_bucket(lines),
            {"2": 14500 + 39500, "1": 15500 + 39000 + 27000},
        )
        _wizard, lines = self._aging(date(2026, 12, 20))
        self.assertEqual(
            self._by_bucket(lines), {"3": 14500 + 39500, "2": 15500 + 39000 + 27000}
        )

    def test_bucket_boundaries(self):
        wizard = self.env["water.report.wizard"]
        due = date(2026, 9, 20)
        self.assertEqual(wizard._aging_bucket(due, date(2026, 9, 20)), "current")
        self.assertEqual(wizard._aging_bucket(due, date(2026, 9, 21)), "1")
        self.assertEqual(wizard._aging_bucket(due, date(2026, 10, 20)), "1")
        self.assertEqual(wizard._aging_bucket(due, date(2026, 10, 21)), "2")
        self.assertEqual(wizard._aging_bucket(due, date(2026, 11, 21)), "3")
        self.assertEqual(wizard._aging_bucket(due, date(2027, 9, 21)), "3")

    def test_tables_per_route_and_connection(self):
        wizard, _lines = self._aging(date(2026, 11, 10))
        route_table, connection_table = wizard._get_report_data()["tables"]
        routes = {row[0]: row[1:] for row in route_table["rows"]}
        # current, 1, 2, 3+, total
        self.assertEqual(routes[self.route_a.display_name], [0, 39000, 39500, 0, 78500])
        self.assertEqual(
            routes[self.route_b.display_name], [0, 15500 + 27000, 14500, 0, 57000]
        )
        connections = {row[0]: row[3:] for row in connection_table["rows"]}
        self.assertNotIn(self.c1.name, connections)
        self.assertEqual(connections[self.c2.name], [0, 15500, 14500, 0, 30000])
        self.assertEqual(connection_table["totals"][-1], 135500)
        self.assertEqual(route_table["totals"][-1], 135500)

    def test_view_total_equals_receivable_balance(self):
        """The pivot (aging today) totals the open receivable of the bills."""
        rows = self.env["water.arrears.report"].search(
            [("connection_id", "in", self.connections.ids)]
        )
        self.assertEqual(
            sum(rows.mapped("amount_residual")),
            sum(self._receivable_lines().mapped("balance")),
        )
        self.assertEqual(sum(rows.mapped("amount_residual")), 135500)
        self.assertEqual(rows.connection_id, self.c2 | self.c3 | self.c4)
