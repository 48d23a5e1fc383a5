"""Village A's first day on Tirta, through the screens a board uses.

The clerk imports the old register and three months of reading sheets with
the import wizards (dry run first), sets up the tariff of TARIF.md, and runs
billing for September to November 2026. The bills must be those that
``expected.json`` computed independently for every clean reading.

The sample folder is $TIRTA_SAMPLE_DIR, by default ../shared/data/village-a
beside this repository.
"""

import base64
import json
import os
from pathlib import Path

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

REPO_ROOT = Path(__file__).resolve().parents[1]


def sample_dir():
    """$TIRTA_SAMPLE_DIR, else ../shared/data/village-a, else the copy in tests/."""
    if os.environ.get("TIRTA_SAMPLE_DIR"):
        return Path(os.environ["TIRTA_SAMPLE_DIR"])
    shared = REPO_ROOT.parent / "shared" / "data" / "village-a"
    if shared.is_dir():
        return shared
    return REPO_ROOT / "tests" / "data" / "village-a"


SAMPLE_DIR = sample_dir()
BILLING_LOGGER = "odoo.addons.tirta_water.models.water_billing_period"
PERIODS = ("2026-09", "2026-10", "2026-11")
# TARIF.md gives no start to version A, only its end.
VERSION_A_FROM = "2020-01-01"


def read_tariff_groups(text):
    """{code: (who, [spellings])} from the "Groups" table of TARIF.md."""
    groups, in_table = {}, False
    for line in text.splitlines():
        if line.startswith("## "):
            in_table = line.strip() == "## Groups"
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not in_table or len(cells) != 3 or not cells[0].isupper():
            continue
        groups[cells[0]] = (cells[2], [s.strip() for s in cells[1].split(",")])
    return groups


class VillageACase(TransactionCase):
    """Village A's company after its first day: register and three reading
    sheets imported, tariff set up; nothing billed yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (SAMPLE_DIR / "expected.json").is_file():
            raise FileNotFoundError(
                f"Sample data not found in {SAMPLE_DIR}: set TIRTA_SAMPLE_DIR"
            )
        cls.expected = json.loads((SAMPLE_DIR / "expected.json").read_text())
        cls.company = cls._create_company()
        cls.clerk = new_test_user(
            cls.env,
            "village_a_clerk",
            name="Clerk of Village A",
            groups="tirta_water.group_water_manager,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.env = cls.env(user=cls.clerk)
        cls.tariffs = cls._set_up_tariffs()

        cls.register_dry_run = cls._analyse("water.import.register", "pelanggan.xls")
        cls.register_dry_run_counts = cls._counts(cls.register_dry_run)
        cls.register_dry_run.action_import()
        cls.register_again = cls._analyse("water.import.register", "pelanggan.xls")

        cls.reading_wizards = {}
        sheets = sorted(SAMPLE_DIR.glob("stand_meter_*.xls"))
        for sheet in sheets:
            wizard = cls._analyse("water.import.reading", sheet.name)
            dry_run = (cls._counts(wizard), wizard.count_review)
            wizard.action_import()
            cls.reading_wizards[wizard.period_month.strftime("%Y-%m")] = (
                wizard,
                dry_run,
            )
        cls.connections = cls.env["water.connection"].search(
            [("company_id", "=", cls.company.id)]
        )
        cls.by_number = {c.name: c for c in cls.connections}
        cls.periods = {
            period.name: period
            for period in cls.env["water.billing.period"].search(
                [("company_id", "=", cls.company.id)]
            )
        }

    @classmethod
    def _create_company(cls):
        company = cls.env["res.company"].create(
            {
                "name": "KPSPAMS Tirta Village A",
                "country_id": cls.env.ref("base.id").id,
                "currency_id": cls.env.ref("base.IDR").id,
            }
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        cls.env["account.chart.template"].try_loading("id", company, install_demo=False)
        return company

    @classmethod
    def _set_up_tariffs(cls):
        """Both versions of TARIF.md, with the register's spellings."""
        groups = read_tariff_groups((SAMPLE_DIR / "TARIF.md").read_text())
        figures = cls.expected["tariffs"]
        starts = {"A": VERSION_A_FROM, "B": cls.expected["tariff_b_from"]}
        tariffs = {}
        for code, (who, spellings) in groups.items():
            tariffs[code] = cls.env["water.tariff"].create(
                {
                    "name": who.capitalize(),
                    "code": code,
                    "version_ids": [
                        Command.create(
                            cls._version_vals(starts[version], figures[version][code])
                        )
                        for version in ("A", "B")
                    ],
                }
            )
            cls.env["water.tariff.alias"].create(
                [{"name": name, "tariff_id": tariffs[code].id} for name in spellings]
            )
        return tariffs

    @classmethod
    def _version_vals(cls, date_start, figures):
        return {
            "date_start": date_start,
            "fixed_charge": figures["fixed"],
            "min_consumption": figures["min_m3"],
            "admin_fee": cls.expected["admin_fee"],
            "flat_amount": cls.expected["flat_unmetered"],
            "block_mode": "cumulative",
            "block_ids": [
                Command.create(
                    {"sequence": index, "upper_limit": limit or 0, "price": price}
                )
                for index, (limit, price) in enumerate(figures["blocks"])
            ],
        }

    @classmethod
    def _analyse(cls, model, filename):
        wizard = cls.env[model].create(
            {
                "file": base64.b64encode((SAMPLE_DIR / filename).read_bytes()),
                "filename": filename,
            }
        )
        wizard.action_analyse()
        return wizard

    @staticmethod
    def _counts(wizard):
        return {
            "new": wizard.count_new,
            "updated": wizard.count_updated,
            "unchanged": wizard.count_unchanged,
            "skipped": wizard.count_skipped,
        }

    def _run_billing(self, period):
        pending = period.reading_ids.filtered(lambda r: r.review_state == "pending")
        with self.assertLogs(BILLING_LOGGER, level="WARNING") as logs:
            result = period._run_billing()
        self.assertEqual(result["skipped"], len(pending), period.name)
        self.assertEqual(len(logs.records), 1)
        message = logs.records[0].getMessage()
        self.assertIn(f"{len(pending)} metered connections skipped", message)
        first = sorted(pending.connection_id.mapped("name"))[:20]
        self.assertIn(", ".join(first), message)
        return result["invoices"]

    def _posted_bills(self):
        bills = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        by_key = {}
        for bill in bills:
            key = (bill.water_connection_id.name, bill.water_period_id.name)
            by_key.setdefault(key, self.env["account.move"])
            by_key[key] |= bill
        return bills, by_key


@tagged("post_install", "-at_install")
class TestVillageA(VillageACase):
    # ------------------------------------------------------------------
    # The imports
    # ------------------------------------------------------------------

    def test_register_import(self):
        customers = self.expected["customers"]
        wizard = self.register_dry_run
        problems = wizard.problem_ids
        duplicates = problems.filtered(lambda p: "already on row" in p.reason)
        self.assertEqual(
            self.register_dry_run_counts,
            {
                "new": customers,
                "updated": 0,
                "unchanged": 0,
                "skipped": len(duplicates),
            },
        )
        self.assertEqual(set(problems.mapped("severity")), {"error"})
        self.assertEqual(problems, duplicates)
        self.assertEqual(len(self.connections), customers)
        self.assertEqual(set(self.connections.mapped("state")), {"active"})

        unmetered = self.connections.filtered(lambda c: c.billing_type == "flat")
        self.assertCountEqual(unmetered.mapped("name"), self.expected["unmetered"])
        self.assertFalse(unmetered.meter_ids)
        metered = self.connections - unmetered
        self.assertEqual(len(metered.meter_id), len(metered))

        # importing the same register again changes nothing
        self.assertEqual(
            self._counts(self.register_again),
            {
                "new": 0,
                "updated": 0,
                "unchanged": customers,
                "skipped": len(duplicates),
            },
        )

    def test_meter_digits_fit_the_rollovers(self):
        """Every rollover of expected.json happens on a dial of its size."""
        rollovers = [b for b in self.expected["bills"] if b["current"] < b["previous"]]
        self.assertTrue(rollovers)
        for bill in rollovers:
            meter = self.by_number[bill["code"]].meter_id
            self.assertEqual(meter.digits, bill["digits"], bill["code"])

    def test_reading_imports(self):
        metered = self.connections.filtered(lambda c: c.billing_type == "metered")
        self.assertEqual(sorted(self.reading_wizards), list(PERIODS))
        for name, (wizard, (dry_run, dry_run_review)) in self.reading_wizards.items():
            unknown = wizard.problem_ids.filtered(
                lambda p: "not in the register" in p.reason
            )
            self.assertEqual(
                dry_run,
                {"new": len(metered), "updated": 0, "unchanged": 0, "skipped": 1},
                name,
            )
            self.assertEqual(unknown.mapped("value"), ["TM-9999"], name)
            self.assertEqual(unknown.severity, "error")
            readings = self.periods[name].reading_ids
            self.assertEqual(len(readings), len(metered), name)
            pending = readings.filtered(lambda r: r.review_state == "pending")
            self.assertEqual(wizard.count_review, len(pending), name)
            self.assertEqual(dry_run_review, len(pending), name)
            self.assertEqual(set(readings.mapped("state")), {"validated"}, name)
        self.assertFalse(
            self.env["water.connection"].search([("name", "=", "TM-9999")])
        )

    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------

    def test_first_day_billing(self):
        for name in PERIODS:
            self._run_billing(self.periods[name])
        bills, by_key = self._posted_bills()

        mismatches = []
        for expected in self.expected["bills"]:
            if expected["after_gap"]:
                continue
            key = (expected["code"], expected["period"])
            found = by_key.get(key, self.env["account.move"])
            if len(found) != 1 or found.amount_total != expected["amount"]:
                mismatches.append(
                    (key, expected["amount"], found.mapped("amount_total"))
                )
        self.assertEqual(mismatches, [])

        # Nothing is billed that the independent computation did not bill: an
        # outlier or a flagged reading would show up here.
        expected_amounts = {
            (b["code"], b["period"]): b["amount"] for b in self.expected["bills"]
        }
        unmetered = set(self.expected["unmetered"])
        unexpected = [
            (key, found.mapped("amount_total"))
            for key, found in by_key.items()
            if key[0] not in unmetered
            and (len(found) != 1 or found.amount_total != expected_amounts.get(key))
        ]
        self.assertEqual(unexpected, [])

        pending = self.env["water.meter.reading"].search(
            [("company_id", "=", self.company.id), ("review_state", "=", "pending")]
        )
        self.assertTrue(pending)
        self.assertFalse(pending.invoice_id)
        self.assertNotIn("billed", pending.mapped("state"))
        self.assertFalse(bills.water_reading_id & pending)

        self._assert_flat_bills(by_key)
        self._assert_journal_items(by_key)

    def _assert_flat_bills(self, by_key):
        flat = self.expected["flat_unmetered"]
        admin = self.expected["admin_fee"]
        product_flat = self.env.ref("tirta_water.product_water_flat_rate")
        product_admin = self.env.ref("tirta_water.product_water_admin_fee")
        for code in self.expected["unmetered"]:
            for name in PERIODS:
                bill = by_key.get((code, name))
                self.assertEqual(len(bill), 1, (code, name))
                self.assertEqual(bill.amount_total, flat + admin)
                self.assertEqual(
                    [
                        (line.product_id, line.quantity, line.price_subtotal)
                        for line in bill.invoice_line_ids.sorted("sequence")
                    ],
                    [(product_flat, 1, flat), (product_admin, 1, admin)],
                )

    def _assert_journal_items(self, by_key):
        """The entry of one version-B household bill above 20 m³."""
        expected = next(
            b
            for b in self.expected["bills"]
            if b["group"] == "RT"
            and b["tariff_version"] == "B"
            and b["m3"] > 20
            and not b["after_gap"]
        )
        bill = by_key[expected["code"], expected["period"]]
        figures = self.expected["tariffs"]["B"]["RT"]
        admin = self.expected["admin_fee"]
        water = expected["amount"] - figures["fixed"] - admin

        self.assertEqual(bill.journal_id, self.company.water_journal_id)
        due = f"{expected['period']}-{self.expected['due_day']:02d}"
        self.assertEqual(bill.invoice_date_due, fields.Date.to_date(due))
        receivable = bill.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.debit, expected["amount"])
        self.assertEqual(
            receivable.partner_id, self.by_number[expected["code"]].partner_id
        )
        revenue = bill.line_ids - receivable
        self.assertEqual(set(revenue.mapped("account_id.account_type")), {"income"})
        self.assertFalse(sum(revenue.mapped("debit")))
        by_product = {}
        for line in revenue:
            by_product.setdefault(line.product_id, 0)
            by_product[line.product_id] += line.credit
        self.assertEqual(
            by_product,
            {
                self.env.ref("tirta_water.product_water_consumption"): water,
                self.env.ref("tirta_water.product_water_fixed_charge"): figures[
                    "fixed"
                ],
                self.env.ref("tirta_water.product_water_admin_fee"): admin,
            },
        )
        water_lines = revenue.filtered(
            lambda line: line.product_id.default_code == "AIR-M3"
        )
        self.assertEqual(sum(water_lines.mapped("quantity")), expected["m3"])
        self.assertEqual(len(water_lines), 3)
        self.assertEqual(
            sum(bill.line_ids.mapped("debit")), sum(bill.line_ids.mapped("credit"))
        )
