from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.tirta_water.tests.common import TirtaWaterCommon


class TirtaCounterCommon(TirtaWaterCommon):
    """One household connection with three unpaid bills (September to
    November 2026) and the counter's cash and bank journals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # "Kas Loket" when tirta_water's account set made it, else the chart's
        cls.cash_journal = cls.env["water.cashier.session"]._default_cash_journal(
            cls.company
        )
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.cash_account = cls.cash_journal.default_account_id
        # counter cash goes straight to the drawer's account, not to
        # "outstanding receipts" waiting for a statement
        cls.cash_journal.inbound_payment_method_line_ids.payment_account_id = (
            cls.cash_account
        )
        cls.loss_account = cls._account_by_code("99900001")
        cls.gain_account = cls._account_by_code("99900002")
        cls.cash_journal.write(
            {
                "loss_account_id": cls.loss_account.id,
                "profit_account_id": cls.gain_account.id,
            }
        )
        cls.receivable = cls.company_data["default_account_receivable"]

        group_cashier = cls.env.ref("tirta_water.group_water_cashier")
        group_reader = cls.env.ref("tirta_water.group_water_reader")
        user_vals = {
            "company_id": cls.company.id,
            "company_ids": [Command.set(cls.company.ids)],
        }
        cls.cashier = new_test_user(
            cls.env,
            login="kasir_counter",
            name="Siti Kasir",
            groups_id=group_cashier.ids,
            **user_vals,
        )
        cls.cashier_2 = new_test_user(
            cls.env,
            login="kasir_counter_2",
            name="Budi Kasir",
            groups_id=group_cashier.ids,
            **user_vals,
        )
        cls.reader = new_test_user(
            cls.env,
            login="pembaca_counter",
            groups_id=group_reader.ids,
            **user_vals,
        )

        cls.connection = cls._create_connection(name="TM-0042", opening=100)
        cls.partner = cls.connection.partner_id
        cls.partner.write({"name": "Suparman Hadi", "mobile": "0812-3456-7890"})
        cls.bills = cls.env["account.move"]
        for period, index in (
            (cls.period_sep, 112),
            (cls.period_oct, 130),
            (cls.period_nov, 140),
        ):
            cls._read(cls.connection, period, index)
            cls.bills |= period._run_billing()["invoices"]
        cls.bill_sep, cls.bill_oct, cls.bill_nov = cls.bills

    @classmethod
    def _account_by_code(cls, code):
        return cls.env["account.account"].search(
            [
                *cls.env["account.account"]._check_company_domain(cls.company),
                ("code", "=", code),
            ],
            limit=1,
        )

    def _counter(self, user=None, **vals):
        """A counter screen of ``user`` (the cashier) with the connection
        looked up."""
        counter_model = self.env["water.counter"].with_user(user or self.cashier)
        counter = counter_model.create({"search_code": self.connection.name, **vals})
        # as the screen does: the bills are listed before the cashier edits
        counter.flush_recordset()
        return counter

    def _pay(self, user=None, amount=None, unselect=(), **vals):
        counter = self._counter(user, **vals)
        for line in counter.line_ids:
            if line.invoice_id in unselect:
                line.selected = False
        if amount is not None:
            counter.amount = amount
        counter.action_pay()
        return counter

    def _receivable_lines(self, move):
        return move.line_ids.filtered(lambda line: line.account_id == self.receivable)
