from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TirtaWaterCommon


@tagged("post_install", "-at_install")
class TestTariff(TirtaWaterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The same blocks as household version A, priced on the whole volume.
        cls.version_rt_a_whole = (
            cls.env["water.tariff"]
            .create(
                {
                    "name": "Household, whole-volume pricing",
                    "code": "RT-NC",
                    "version_ids": [
                        Command.create(
                            {
                                "date_start": date(2026, 1, 1),
                                "fixed_charge": 5000,
                                "min_consumption": 5,
                                "admin_fee": 2000,
                                "block_mode": "non_cumulative",
                                "block_ids": [
                                    Command.create({"upper_limit": 20, "price": 2000}),
                                    Command.create({"upper_limit": 0, "price": 3000}),
                                    Command.create({"upper_limit": 10, "price": 1500}),
                                ],
                            }
                        )
                    ],
                }
            )
            .version_ids
        )

    def _blocks(self, version, consumption):
        return [
            (line["name"], line["quantity"], line["price_unit"])
            for line in version._compute_block_lines(consumption)
        ]

    def test_cumulative_blocks_at_block_edges(self):
        version = self.version_rt_a
        block_1 = "Water, block 1 (0–10 m³)"
        block_2 = "Water, block 2 (11–20 m³)"
        block_3 = "Water, block 3 (above 20 m³)"
        self.assertEqual(self._blocks(version, 10), [(block_1, 10, 1500)])
        self.assertEqual(
            self._blocks(version, 11), [(block_1, 10, 1500), (block_2, 1, 2000)]
        )
        self.assertEqual(
            self._blocks(version, 20), [(block_1, 10, 1500), (block_2, 10, 2000)]
        )
        self.assertEqual(
            self._blocks(version, 21),
            [(block_1, 10, 1500), (block_2, 10, 2000), (block_3, 1, 3000)],
        )
        # water + fixed charge 5,000 + administration fee 2,000
        amounts = {
            volume: version._compute_amount(volume) for volume in (10, 11, 20, 21)
        }
        self.assertEqual(amounts, {10: 22000, 11: 24000, 20: 42000, 21: 45000})

    def test_non_cumulative_blocks_at_block_edges(self):
        version = self.version_rt_a_whole
        self.assertEqual(
            self._blocks(version, 10), [("Water, block 1 (0–10 m³)", 10, 1500)]
        )
        self.assertEqual(
            self._blocks(version, 11), [("Water, block 2 (11–20 m³)", 11, 2000)]
        )
        self.assertEqual(
            self._blocks(version, 20), [("Water, block 2 (11–20 m³)", 20, 2000)]
        )
        self.assertEqual(
            self._blocks(version, 21), [("Water, block 3 (above 20 m³)", 21, 3000)]
        )
        amounts = {
            volume: version._compute_amount(volume) for volume in (10, 11, 20, 21)
        }
        self.assertEqual(amounts, {10: 22000, 11: 29000, 20: 47000, 21: 70000})

    def test_minimum_billed_volume(self):
        rt_a = self.version_rt_a
        for volume in (0, 1, 4, 5):
            self.assertEqual(
                self._blocks(rt_a, volume), [("Water, block 1 (0–10 m³)", 5, 1500)]
            )
            self.assertEqual(rt_a._compute_amount(volume), 14500)
        self.assertEqual(rt_a._compute_amount(6), 16000)
        # Business: 10 m³ minimum, so 8 m³ are billed as 10.
        niaga_a = self.tariff_niaga._get_version(date(2026, 9, 1))
        self.assertEqual(
            self._blocks(niaga_a, 8), [("Water, block 1 (0–10 m³)", 10, 2500)]
        )
        self.assertEqual(niaga_a._compute_amount(8), 37000)
        # Social: no minimum and no fixed charge; zero use pays the fee only.
        sos_a = self.tariff_sos._get_version(date(2026, 9, 1))
        self.assertEqual(self._blocks(sos_a, 0), [])
        self.assertEqual(sos_a._compute_amount(0), 2000)
        self.assertEqual(
            [
                (ln["quantity"], ln["price_unit"])
                for ln in sos_a._compute_block_lines(44)
            ],
            [(44, 1000)],
        )
        self.assertEqual(sos_a._compute_amount(44), 46000)

    def test_flat_rate_lines(self):
        lines = self.version_rt_b._prepare_bill_lines(None)
        self.assertEqual(
            [
                (ln["product_id"], ln["name"], ln["quantity"], ln["price_unit"])
                for ln in lines
            ],
            [
                (self.product_flat.id, "Water, flat monthly rate", 1, 25000),
                (self.product_admin.id, "Administration fee", 1, 2000),
            ],
        )
        self.assertEqual(self.version_rt_b._compute_amount(None), 27000)

    def test_worked_example_of_the_regulation(self):
        """TARIF.md: household, version B, 1,348 → 1,371 = 23 m³ → Rp 58,500."""
        lines = self.version_rt_b._prepare_bill_lines(23)
        self.assertEqual(
            [
                (ln["product_id"], ln["name"], ln["quantity"], ln["price_unit"])
                for ln in lines
            ],
            [
                (self.product_water.id, "Water, block 1 (0–10 m³)", 10, 1500),
                (self.product_water.id, "Water, block 2 (11–20 m³)", 10, 2500),
                (self.product_water.id, "Water, block 3 (above 20 m³)", 3, 3500),
                (self.product_fixed.id, "Fixed charge", 1, 6000),
                (self.product_admin.id, "Administration fee", 1, 2000),
            ],
        )
        self.assertEqual(self.version_rt_b._compute_amount(23), 58500)

    def test_version_valid_on_the_first_day_of_the_period(self):
        tariff = self.tariff_rt
        self.assertEqual(tariff._get_version(date(2026, 9, 1)), self.version_rt_a)
        self.assertEqual(tariff._get_version(date(2026, 9, 30)), self.version_rt_a)
        self.assertEqual(tariff._get_version(date(2026, 10, 1)), self.version_rt_b)
        self.assertFalse(tariff._get_version(date(2025, 12, 31)))
        self.assertEqual(self.version_rt_a.date_end, date(2026, 9, 30))
        self.assertFalse(self.version_rt_b.date_end)
        self.assertEqual(self.version_rt_a.fixed_charge, 5000)
        self.assertEqual(self.version_rt_b.fixed_charge, 6000)

    def test_blocks_must_cover_every_volume(self):
        version = self.version_rt_a.copy({"date_start": date(2027, 1, 1)})
        version.block_ids.filtered(lambda b: not b.upper_limit).unlink()
        self.assertEqual(version._compute_amount(20), 42000)
        with self.assertRaisesRegex(ValidationError, "do not cover 21 m³"):
            version._compute_block_lines(21)

    def test_block_constraints(self):
        version = self.version_rt_a
        with self.assertRaisesRegex(ValidationError, "Only the last block"):
            with self.env.cr.savepoint():
                version.block_ids = [Command.create({"upper_limit": 0, "price": 4000})]
        with self.assertRaisesRegex(ValidationError, "end at the same volume"):
            with self.env.cr.savepoint():
                version.block_ids = [Command.create({"upper_limit": 10, "price": 4000})]
        self.assertEqual(len(version.block_ids), 3)

    def test_amounts_are_whole_rupiah(self):
        """Rupiah is set to whole units, so a price with cents is rounded."""
        self.assertEqual(self.currency_idr.rounding, 1.0)
        block = self.version_rt_a._sorted_blocks()[0]
        block.price = 1500.4
        self.assertEqual(block.price, 1500)
        self.assertEqual(self.version_rt_a._compute_amount(10), 22000)
