from datetime import date

from odoo import Command

from odoo.addons.mis_builder.models.accounting_none import AccountingNone
from odoo.addons.tirta_water.tests.common import TirtaWaterCommon

# (code, name, type) of the board's accounts the reports rely on
BOARD_ACCOUNTS = [
    ("41100010", "Pendapatan Air", "income"),
    ("41100020", "Pendapatan Abonemen", "income"),
    ("41100030", "Pendapatan Administrasi", "income"),
    ("11110100", "Kas Loket", "asset_cash"),
    ("61200050", "Biaya Kantor dan ATK", "expense"),
]


def mis_kpis(report, company, date_from, date_to):
    """{kpi name: value} of the MIS ``report`` for ``company`` and the dates,
    computed as the report's preview computes it (empty cells are 0)."""
    instance = report.env["mis.report.instance"].create(
        {
            "name": report.name,
            "report_id": report.id,
            "company_id": company.id,
            "period_ids": [
                Command.create(
                    {
                        "name": "Period",
                        "mode": "fix",
                        "manual_date_from": date_from,
                        "manual_date_to": date_to,
                    }
                )
            ],
        }
    )
    values = {}
    for row in instance._compute_matrix().iter_rows():
        if row.account_id:
            continue
        cell = next(iter(row.iter_cells()))
        value = cell.val if cell else AccountingNone
        values[row.kpi.name] = 0 if value is AccountingNone else value
    return values


class TirtaAccountCommon(TirtaWaterCommon):
    """Two months of bills, payments, production readings and one expense.

    September 2026 (tariff A) and October 2026 (tariff B):

    ======  =====  =======  ==========  =========  ========================
    conn.   group  route    Sep bill    Oct bill   payments
    ======  =====  =======  ==========  =========  ========================
    c1      RT     Krajan   32,000      48,000     cash 32,000 on 15 Sep,
                            (15 m³)     (20 m³)    cash 48,000 on 18 Oct
    c2      RT     Sumber   14,500      15,500     none
                            (3→5 m³)    (4→5 m³)
    c3      NIAGA  Krajan   89,500      39,000     bank 50,000 on 10 Oct
                            (25 m³)     (10 m³)
    c4      flat   Sumber   27,000      27,000     cash 27,000 on 30 Sep
    ======  =====  =======  ==========  =========  ========================

    Production: 1,000 → 1,100 (Sep) → 1,150 (Oct). Cash expense: 20,000 of
    office costs paid from the counter on 20 Oct.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accounts = {
            code: cls._ensure_account(code, name, account_type)
            for code, name, account_type in BOARD_ACCOUNTS
        }
        cls.journal_cash = cls._ensure_cash_journal()
        # money taken at the counter is cash at once, without an outstanding
        # account in between (the bank journal keeps its outstanding accounts)
        (
            cls.journal_cash.inbound_payment_method_line_ids
            | cls.journal_cash.outbound_payment_method_line_ids
        ).payment_account_id = cls.journal_cash.default_account_id
        cls.journal_bank = cls.company_data["default_journal_bank"]
        cls.cashier = cls.env["res.users"].create(
            {
                "name": "Kasir Loket",
                "login": "tirta_account_cashier",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set([cls.env.ref("tirta_water.group_water_cashier").id])
                ],
            }
        )

        cls.c1 = cls._create_connection(cls.tariff_rt, route=cls.route_a)
        cls.c2 = cls._create_connection(cls.tariff_rt, route=cls.route_b)
        cls.c3 = cls._create_connection(cls.tariff_niaga, route=cls.route_a)
        cls.c4 = cls._create_connection(billing_type="flat", route=cls.route_b)
        cls.connections = cls.c1 | cls.c2 | cls.c3 | cls.c4

        for period, indexes in (
            (cls.period_sep, (15, 3, 25)),
            (cls.period_oct, (35, 7, 35)),
        ):
            for connection, index in zip(
                (cls.c1, cls.c2, cls.c3), indexes, strict=True
            ):
                cls._read(connection, period, index)
        cls.bills_sep = cls.period_sep._run_billing()["invoices"]
        cls.bills_oct = cls.period_oct._run_billing()["invoices"]
        cls.bill = {
            (connection, month): cls._bill_of(connection, period)
            for connection in cls.connections
            for month, period in ((9, cls.period_sep), (10, cls.period_oct))
        }

        cls.payments = (
            cls._register_payment(
                cls.bill[cls.c1, 9], date(2026, 9, 15), cls.journal_cash
            )
            | cls._register_payment(
                cls.bill[cls.c4, 9], date(2026, 9, 30), cls.journal_cash
            )
            | cls._register_payment(
                cls.bill[cls.c3, 9],
                date(2026, 10, 10),
                cls.journal_bank,
                amount=50000,
            )
            | cls._register_payment(
                cls.bill[cls.c1, 10],
                date(2026, 10, 18),
                cls.journal_cash,
                user=cls.cashier,
            )
        )

        cls.expense = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.journal_cash.id,
                "date": date(2026, 10, 20),
                "ref": "ATK",
                "line_ids": [
                    Command.create(
                        {
                            "account_id": cls.accounts["61200050"].id,
                            "debit": 20000,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": cls.journal_cash.default_account_id.id,
                            "credit": 20000,
                        }
                    ),
                ],
            }
        )
        cls.expense.action_post()

        cls.production_meter = cls.env["water.production.meter"].create(
            {"name": "Sumber Mata Air", "initial_index": 1000}
        )
        cls.production = cls.env["water.production.reading"].create(
            [
                {
                    "meter_id": cls.production_meter.id,
                    "period_id": cls.period_sep.id,
                    "date": date(2026, 9, 30),
                    "current_index": 1100,
                },
                {
                    "meter_id": cls.production_meter.id,
                    "period_id": cls.period_oct.id,
                    "date": date(2026, 10, 31),
                    "current_index": 1150,
                },
            ]
        )

    @classmethod
    def _ensure_account(cls, code, name, account_type):
        account = cls.env["account.account"].search(
            [
                *cls.env["account.account"]._check_company_domain(cls.company),
                ("code", "=", code),
            ],
            limit=1,
        )
        return account or cls.env["account.account"].create(
            {
                "code": code,
                "name": name,
                "account_type": account_type,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )

    @classmethod
    def _ensure_cash_journal(cls):
        journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("code", "=", "KLKT")], limit=1
        )
        return journal or cls.env["account.journal"].create(
            {
                "name": "Kas Loket",
                "code": "KLKT",
                "type": "cash",
                "company_id": cls.company.id,
                "default_account_id": cls.accounts["11110100"].id,
            }
        )

    @classmethod
    def _bill_of(cls, connection, period):
        return cls.env["account.move"].search(
            [
                ("water_connection_id", "=", connection.id),
                ("water_period_id", "=", period.id),
                ("state", "=", "posted"),
            ]
        )

    @classmethod
    def _register_payment(cls, bill, pay_date, journal, amount=None, user=None):
        env = cls.env(user=user) if user else cls.env
        vals = {"payment_date": pay_date, "journal_id": journal.id}
        if amount is not None:
            vals["amount"] = amount
        return (
            env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create(vals)
            ._create_payments()
        )

    def _wizard(self, report, date_from, date_to, **vals):
        return self.env["water.report.wizard"].create(
            {
                "report": report,
                "range_type": "custom",
                "date_from": date_from,
                "date_to": date_to,
                **vals,
            }
        )

    def _receivable_lines(self, **domain):
        """Journal items on the receivable account of the test customers."""
        return self.env["account.move.line"].search(
            [
                ("partner_id", "in", self.connections.partner_id.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                *[(field, op, value) for field, (op, value) in domain.items()],
            ]
        )
