from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TirtaAccountCommon


@tagged("post_install", "-at_install")
class TestConsumption(TirtaAccountCommon):
    def _consumption(self, period, groupby):
        return {
            tuple(groups): (quantity, amount)
            for *groups, quantity, amount in self.env[
                "water.consumption.report"
            ]._read_group(
                [
                    ("connection_id", "in", self.connections.ids),
                    ("period_id", "=", period.id),
                ],
                groupby,
                ["quantity:sum", "amount:sum"],
            )
        }

    def test_blocks_per_tariff(self):
        """Each block line of the water product, as billed."""
        blocks = self._consumption(self.period_sep, ["tariff_id", "block_number"])
        self.assertEqual(
            blocks,
            {
                # c1 15 m³: 10 + 5; c2 3 m³ billed as the minimum 5
                (self.tariff_rt, 1): (15, 15 * 1500),
                (self.tariff_rt, 2): (5, 5 * 2000),
                # c3 25 m³: 10 + 15
                (self.tariff_niaga, 1): (10, 10 * 2500),
                (self.tariff_niaga, 2): (15, 15 * 3500),
            },
        )

    def test_amount_equals_income_journal_items(self):
        """The blocks' amounts are the credits of the water product lines."""
        lines = self.env["account.move.line"].search(
            [
                ("move_id", "in", (self.bills_sep | self.bills_oct).ids),
                ("product_id", "=", self.product_water.id),
            ]
        )
        totals = self.env["water.consumption.report"]._read_group(
            [("connection_id", "in", self.connections.ids)],
            [],
            ["quantity:sum", "amount:sum"],
        )[0]
        self.assertEqual(
            totals, (sum(lines.mapped("quantity")), -sum(lines.mapped("balance")))
        )
        self.assertEqual(totals[0], 45 + 35)

    def test_per_route(self):
        routes = self._consumption(self.period_oct, ["route_id"])
        # Krajan: c1 20 m³ and c3 10 m³; Sumber: c2 minimum 5 m³ (c4 is flat)
        self.assertEqual(routes[(self.route_a,)][0], 30)
        self.assertEqual(routes[(self.route_b,)][0], 5)

    def test_wizard_tables(self):
        wizard = self._wizard("consumption", date(2026, 9, 1), date(2026, 9, 30))
        block_table, route_table = wizard._get_report_data()["tables"]
        self.assertEqual(block_table["totals"][2:], [45, 22500 + 10000 + 25000 + 52500])
        routes = {row[0]: row[1:] for row in route_table["rows"]}
        # Krajan: c1 15 m³ (25,000) and c3 25 m³ (77,500)
        self.assertEqual(routes[self.route_a.display_name], [2, 40, 25000 + 77500])


@tagged("post_install", "-at_install")
class TestNonRevenueWater(TirtaAccountCommon):
    def test_produced_from_previous_reading(self):
        self.assertEqual(self.production.mapped("previous_index"), [1000, 1100])
        self.assertEqual(self.production.mapped("produced"), [100, 50])

    def test_reading_inserted_before_recomputes_the_next(self):
        august = self.env["water.production.reading"].create(
            {
                "meter_id": self.production_meter.id,
                "period_id": self.periods[8].id,
                "date": date(2026, 8, 31),
                "current_index": 1040,
            }
        )
        self.assertEqual(august.produced, 40)
        self.assertEqual(self.production.mapped("produced"), [60, 50])

    def test_lower_index_refused(self):
        with self.assertRaises(ValidationError):
            self.env["water.production.reading"].create(
                {
                    "meter_id": self.production_meter.id,
                    "period_id": self.periods[11].id,
                    "date": date(2026, 11, 30),
                    "current_index": 1149,
                }
            )

    def test_loss(self):
        """Produced vs billed m³ per period and the loss of the group."""
        rows = self.env["water.nrw.report"].read_group(
            [("period_id", "in", (self.period_sep | self.period_oct).ids)],
            ["produced", "billed", "loss", "loss_rate"],
            ["period_id"],
        )
        figures = {
            row["period_id"][0]: (
                row["produced"],
                row["billed"],
                row["loss"],
                row["loss_rate"],
            )
            for row in rows
        }
        self.assertEqual(figures[self.period_sep.id], (100, 45, 55, 55.0))
        self.assertEqual(figures[self.period_oct.id], (50, 35, 15, 30.0))
        # the list and the export read the rows themselves: same loss rates
        records = self.env["water.nrw.report"].search(
            [("period_id", "in", (self.period_sep | self.period_oct).ids)],
            order="date",
        )
        self.assertEqual(records.mapped("loss_rate"), [55.0, 30.0])
        total = self.env["water.nrw.report"].read_group(
            [("period_id", "in", (self.period_sep | self.period_oct).ids)],
            ["produced", "billed", "loss", "loss_rate"],
            [],
        )[0]
        # (150 - 80) / 150, not the average of 55 % and 30 %
        self.assertEqual(total["loss_rate"], 46.67)

    def test_zero_production(self):
        """A period with bills but no production shows no loss rate, no error."""
        self.production.unlink()
        rows = self.env["water.nrw.report"].read_group(
            [("period_id", "=", self.period_sep.id)],
            ["produced", "billed", "loss", "loss_rate"],
            ["period_id"],
        )
        self.assertEqual(
            (rows[0]["produced"], rows[0]["billed"], rows[0]["loss_rate"]),
            (0, 45, 0.0),
        )
        wizard = self._wizard("nrw", date(2026, 9, 1), date(2026, 9, 30))
        table = wizard._get_report_data()["tables"][0]
        self.assertEqual(table["rows"], [[self.period_sep.name, 0, 45, -45, 0.0]])
        self.assertEqual(table["totals"][1:], [0, 45, -45, 0.0])
