import calendar
from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..report.water_arrears_report import AGING_BUCKETS

PNL_INCOME_TYPES = ("income", "income_other")
PNL_EXPENSE_TYPES = ("expense", "expense_depreciation", "expense_direct_cost")


class WaterReportWizard(models.TransientModel):
    _name = "water.report.wizard"
    _description = "Water Board Report"

    report = fields.Selection(
        [
            ("collection", "Billing and Collection"),
            ("arrears", "Arrears Aging"),
            ("consumption", "Consumption"),
            ("nrw", "Non-Revenue Water"),
            ("cash_book", "Cash Book"),
            ("lpj", "Village-Meeting Report (LPJ)"),
        ],
        required=True,
        default="collection",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    range_type = fields.Selection(
        [("month", "Month"), ("year", "Year"), ("custom", "Dates")],
        string="Period",
        required=True,
        default="month",
    )
    month = fields.Date(
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="Any day of the month to report on.",
    )
    year = fields.Integer(default=lambda self: fields.Date.context_today(self).year)
    date_from = fields.Date(
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_to = fields.Date(
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    journal_ids = fields.Many2many(
        "account.journal",
        string="Journals",
        domain="[('type', 'in', ('cash', 'bank')), ('company_id', '=', company_id)]",
        help="Cash and bank journals of the cash book; all of them when empty.",
    )

    @api.depends("range_type", "month", "year")
    def _compute_dates(self):
        for wizard in self:
            if wizard.range_type == "month" and wizard.month:
                start = wizard.month.replace(day=1)
                last = calendar.monthrange(start.year, start.month)[1]
                wizard.date_from, wizard.date_to = start, start.replace(day=last)
            elif wizard.range_type == "year" and wizard.year:
                wizard.date_from = date(wizard.year, 1, 1)
                wizard.date_to = date(wizard.year, 12, 31)
            elif not wizard.date_from:
                today = fields.Date.context_today(wizard)
                wizard.date_from = today.replace(day=1)
                wizard.date_to = today

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_range(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(
                    self.env._(
                        "The report cannot start (%(start)s) after it ends (%(end)s).",
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    def action_print_pdf(self):
        self.ensure_one()
        self._check_range()
        xmlid = (
            "tirta_account.action_report_water_lpj"
            if self.report == "lpj"
            else "tirta_account.action_report_water_table"
        )
        return self.env.ref(xmlid).report_action(self)

    def action_print_xlsx(self):
        self.ensure_one()
        self._check_range()
        return self.env.ref(
            "tirta_account.action_report_water_table_xlsx"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Report data: every report is a title and a list of tables
    # ------------------------------------------------------------------

    def _with_report_lang(self):
        """This wizard in the language of the board's printed documents."""
        self.ensure_one()
        lang = self.company_id._get_water_lang()
        return self.with_context(lang=lang)

    def _get_report_data(self):
        """Return ``{"title", "subtitle", "tables"}`` of the chosen report.

        A table is ``{"title", "columns": [{"label", "type"}], "rows",
        "totals"}``; a column type is ``text``, ``int``, ``money`` or ``percent``.
        """
        self.ensure_one()
        self._check_range()
        method = {
            "collection": self._get_collection_tables,
            "arrears": self._get_arrears_tables,
            "consumption": self._get_consumption_tables,
            "nrw": self._get_nrw_tables,
            "cash_book": self._get_cash_book_tables,
            "lpj": self._get_lpj_tables,
        }[self.report]
        return {
            "title": dict(self._fields["report"]._description_selection(self.env))[
                self.report
            ],
            "subtitle": self._get_range_label(),
            "company": self.company_id.name,
            "tables": method(),
        }

    def _get_range_label(self):
        if self.report == "arrears":
            return self.env._("As of %(date)s", date=self._format_date(self.date_to))
        return self.env._(
            "%(start)s to %(end)s",
            start=self._format_date(self.date_from),
            end=self._format_date(self.date_to),
        )

    def _format_date(self, value):
        return value.strftime("%d-%m-%Y")

    @api.model
    def _column(self, label, kind="text"):
        return {"label": label, "type": kind}

    def _ratio(self, numerator, denominator):
        return self.env["water.report.mixin"]._ratio(numerator, denominator)

    def _period_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            ("period_id.date_start", ">=", self.date_from),
            ("period_id.date_start", "<=", self.date_to),
        ]

    # Billing and collection ------------------------------------------------

    def _get_collection_figures(self, groupby):
        """Bills, billed, collected by ``groupby`` for the periods in range.

        Collected counts the payments reconciled with these bills up to the end
        of the range, so that a report printed later for the same months shows
        the same figures until then.
        """
        Report = self.env["water.collection.report"]
        domain = self._period_domain() + [("date", "<=", self.date_to)]
        groups = Report._read_group(
            domain,
            [groupby] if groupby else [],
            ["bill_count:sum", "amount_billed:sum", "amount_collected:sum"],
        )
        if groupby == "period_id":
            groups.sort(key=lambda group: group[0].date_start)
        return groups

    def _get_collection_tables(self):
        columns = [
            self._column(self.env._("Bills"), "int"),
            self._column(self.env._("Billed"), "money"),
            self._column(self.env._("Collected"), "money"),
            self._column(self.env._("Efficiency (%)"), "percent"),
        ]
        tables = []
        for groupby, label in (
            ("period_id", self.env._("Billing Period")),
            ("route_id", self.env._("Route")),
            ("tariff_id", self.env._("Tariff Group")),
        ):
            rows = [
                [
                    record.display_name or self.env._("Undefined"),
                    count,
                    billed,
                    collected,
                    self._ratio(collected, billed),
                ]
                for record, count, billed, collected in self._get_collection_figures(
                    groupby
                )
            ]
            tables.append(
                {
                    "title": self.env._("By %(group)s", group=label.lower()),
                    "columns": [self._column(label), *columns],
                    "rows": rows,
                    "totals": self._totals(rows, [3]),
                }
            )
        return tables

    def _totals(self, rows, ratio_of=None, label=None):
        """A totals row: sums of numeric columns; a ratio column is recomputed.

        :param ratio_of: index of the numerator column of the ratio in the last
            column (the denominator is the column before it)
        """
        if not rows:
            return []
        width = len(rows[0])
        totals = [label or self.env._("Total")]
        for index in range(1, width):
            values = [row[index] for row in rows]
            if all(isinstance(value, int | float) for value in values):
                totals.append(sum(values))
            else:
                totals.append("")
        if ratio_of:
            numerator = ratio_of[0]
            totals[-1] = self._ratio(totals[numerator], totals[numerator - 1])
        return totals

    # Arrears aging ---------------------------------------------------------

    def _get_arrears_lines(self, as_of=None):
        """Open receivable of every live water bill on ``as_of``.

        :return: list of dicts with ``connection_id``, ``route_id``,
            ``partner_id``, ``date_due``, ``residual`` and ``aging``
        """
        as_of = as_of or self.date_to
        self.env["account.move.line"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT am.water_connection_id, wc.route_id, am.partner_id,
                       due.date_maturity,
                       due.balance - COALESCE((
                           SELECT SUM(apr.amount)
                             FROM account_partial_reconcile apr
                            WHERE apr.debit_move_id = due.id
                              AND apr.max_date <= %(as_of)s
                       ), 0) + COALESCE((
                           SELECT SUM(apr.amount)
                             FROM account_partial_reconcile apr
                            WHERE apr.credit_move_id = due.id
                              AND apr.max_date <= %(as_of)s
                       ), 0) AS residual
                  FROM account_move_line due
                  JOIN account_move am ON am.id = due.move_id
                  JOIN water_connection wc ON wc.id = am.water_connection_id
                 WHERE due.display_type = 'payment_term'
                   AND am.move_type = 'out_invoice'
                   AND am.state = 'posted'
                   AND am.water_bill_key IS NOT NULL
                   AND am.company_id = %(company)s
                   AND due.date <= %(as_of)s
                """,
                as_of=as_of,
                company=self.company_id.id,
            )
        )
        lines = []
        for connection, route, partner, date_due, residual in self.env.cr.fetchall():
            if self.currency_id.is_zero(residual):
                continue
            lines.append(
                {
                    "connection_id": connection,
                    "route_id": route,
                    "partner_id": partner,
                    "date_due": date_due,
                    "residual": float(residual),
                    "aging": self._aging_bucket(date_due, as_of),
                }
            )
        return lines

    @api.model
    def _aging_bucket(self, date_due, as_of):
        """Aging bucket of a bill due on ``date_due``, seen on ``as_of``.

        Not due yet is ``current``; a bill is 1 month overdue from the day after
        its due date to the same day of the next month, and so on up to ``3``
        (3 months or more).
        """
        if not date_due or date_due >= as_of:
            return "current"
        delta = relativedelta(as_of - relativedelta(days=1), date_due)
        months = delta.years * 12 + delta.months + 1
        return str(min(months, 3))

    def _get_arrears_tables(self):
        lines = self._get_arrears_lines()
        buckets = [key for key, _label in AGING_BUCKETS]
        labels = dict(
            self.env["water.arrears.report"]
            ._fields["aging"]
            ._description_selection(self.env)
        )
        money_columns = [self._column(labels[key], "money") for key in buckets]
        money_columns.append(self._column(self.env._("Total Arrears"), "money"))

        by_connection = defaultdict(lambda: dict.fromkeys(buckets, 0.0))
        by_route = defaultdict(lambda: dict.fromkeys(buckets, 0.0))
        for line in lines:
            by_connection[line["connection_id"]][line["aging"]] += line["residual"]
            by_route[line["route_id"]][line["aging"]] += line["residual"]

        connections = self.env["water.connection"].browse(list(by_connection))
        routes = self.env["water.route"].browse([r for r in by_route if r])
        route_rows = [
            [
                route.display_name,
                *(by_route[route.id][key] for key in buckets),
                sum(by_route[route.id].values()),
            ]
            for route in routes.sorted()
        ]
        if None in by_route:
            route_rows.append(
                [
                    self.env._("No route"),
                    *(by_route[None][key] for key in buckets),
                    sum(by_route[None].values()),
                ]
            )
        connection_rows = [
            [
                connection.name,
                connection.partner_id.name,
                connection.route_id.display_name or "",
                *(by_connection[connection.id][key] for key in buckets),
                sum(by_connection[connection.id].values()),
            ]
            for connection in connections.sorted(
                lambda c: (c.route_id.sequence, c.route_sequence, c.name)
            )
        ]
        return [
            {
                "title": self.env._("By route"),
                "columns": [self._column(self.env._("Route")), *money_columns],
                "rows": route_rows,
                "totals": self._totals(route_rows),
            },
            {
                "title": self.env._("By connection"),
                "columns": [
                    self._column(self.env._("Connection")),
                    self._column(self.env._("Customer")),
                    self._column(self.env._("Route")),
                    *money_columns,
                ],
                "rows": connection_rows,
                "totals": self._totals(connection_rows),
            },
        ]

    # Consumption -----------------------------------------------------------

    def _get_consumption_tables(self):
        Report = self.env["water.consumption.report"]
        domain = self._period_domain()
        block_rows = [
            [tariff.display_name, block, quantity, amount]
            for tariff, block, quantity, amount in Report._read_group(
                domain,
                ["tariff_id", "block"],
                ["quantity:sum", "amount:sum"],
                order="tariff_id, block",
            )
        ]
        route_rows = [
            [route.display_name or self.env._("No route"), moves, quantity, amount]
            for route, moves, quantity, amount in Report._read_group(
                domain,
                ["route_id"],
                ["move_id:count_distinct", "quantity:sum", "amount:sum"],
            )
        ]
        m3 = self._column(self.env._("Billed (m³)"), "int")
        amount = self._column(self.env._("Amount"), "money")
        return [
            {
                "title": self.env._("By tariff group and block"),
                "columns": [
                    self._column(self.env._("Tariff Group")),
                    self._column(self.env._("Block")),
                    m3,
                    amount,
                ],
                "rows": block_rows,
                "totals": self._totals(block_rows),
            },
            {
                "title": self.env._("By route"),
                "columns": [
                    self._column(self.env._("Route")),
                    self._column(self.env._("Metered Bills"), "int"),
                    m3,
                    amount,
                ],
                "rows": route_rows,
                "totals": self._totals(route_rows),
            },
        ]

    # Non-revenue water -----------------------------------------------------

    def _get_nrw_rows(self):
        Report = self.env["water.nrw.report"]
        groups = Report._read_group(
            self._period_domain(),
            ["period_id"],
            ["produced:sum", "billed:sum", "loss:sum"],
        )
        return [
            [period.name, produced, billed, loss, self._ratio(loss, produced)]
            for period, produced, billed, loss in sorted(
                groups, key=lambda group: group[0].date_start
            )
        ]

    def _get_nrw_tables(self):
        rows = self._get_nrw_rows()
        totals = self._totals(rows)
        if totals:
            totals[-1] = self._ratio(totals[3], totals[1])
        return [
            {
                "title": self.env._("Produced and billed water"),
                "columns": [
                    self._column(self.env._("Billing Period")),
                    self._column(self.env._("Produced (m³)"), "int"),
                    self._column(self.env._("Billed (m³)"), "int"),
                    self._column(self.env._("Non-Revenue Water (m³)"), "int"),
                    self._column(self.env._("Loss (%)"), "percent"),
                ],
                "rows": rows,
                "totals": totals,
            }
        ]

    # Cash book -------------------------------------------------------------

    def _get_cash_journals(self):
        return self.journal_ids or self.env["account.journal"].search(
            [
                ("type", "in", ("cash", "bank")),
                ("company_id", "=", self.company_id.id),
            ]
        )

    def _get_cash_book_rows(self):
        """Per journal: opening balance, receipts, payments, closing balance."""
        Report = self.env["water.cash.book.report"]
        journals = self._get_cash_journals()
        base = [("journal_id", "in", journals.ids)]
        opening = dict(
            Report._read_group(
                base + [("date", "<", self.date_from)], ["journal_id"], ["balance:sum"]
            )
        )
        moves = {
            journal: (amount_in, amount_out)
            for journal, amount_in, amount_out in Report._read_group(
                base + [("date", ">=", self.date_from), ("date", "<=", self.date_to)],
                ["journal_id"],
                ["amount_in:sum", "amount_out:sum"],
            )
        }
        rows = []
        for journal in journals.sorted(lambda j: (j.type != "cash", j.sequence)):
            start = opening.get(journal, 0.0)
            amount_in, amount_out = moves.get(journal, (0.0, 0.0))
            rows.append(
                [
                    journal.display_name,
                    start,
                    amount_in,
                    amount_out,
                    start + amount_in - amount_out,
                ]
            )
        return rows

    def _get_cash_book_tables(self):
        rows = self._get_cash_book_rows()
        Report = self.env["water.cash.book.report"]
        user_rows = [
            [journal.display_name, user.name or "", amount_in, amount_out]
            for journal, user, amount_in, amount_out in Report._read_group(
                [
                    ("journal_id", "in", self._get_cash_journals().ids),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                ["journal_id", "user_id"],
                ["amount_in:sum", "amount_out:sum"],
            )
        ]
        return [
            {
                "title": self.env._("Cash and bank journals"),
                "columns": [
                    self._column(self.env._("Journal")),
                    self._column(self.env._("Opening Balance"), "money"),
                    self._column(self.env._("Receipts"), "money"),
                    self._column(self.env._("Payments"), "money"),
                    self._column(self.env._("Closing Balance"), "money"),
                ],
                "rows": rows,
                "totals": self._totals(rows, label=self.env._("Board total")),
            },
            {
                "title": self.env._("By cashier or collector"),
                "columns": [
                    self._column(self.env._("Journal")),
                    self._column(self.env._("Recorded By")),
                    self._column(self.env._("Receipts"), "money"),
                    self._column(self.env._("Payments"), "money"),
                ],
                "rows": user_rows,
                "totals": self._totals(user_rows),
            },
        ]

    # Village-meeting report ------------------------------------------------

    def _get_pnl(self):
        """Income and expenses of the range from the journal items, by type."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("parent_state", "=", "posted"),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
                ("account_id.account_type", "in", PNL_INCOME_TYPES + PNL_EXPENSE_TYPES),
            ],
            ["account_id"],
            ["balance:sum"],
        )
        income = defaultdict(float)
        expense = defaultdict(float)
        for account, balance in groups:
            if account.account_type in PNL_INCOME_TYPES:
                income[account.display_name] -= balance
            else:
                expense[account.display_name] += balance
        return income, expense

    def _get_lpj_values(self):
        """Key figures and monthly series of the village-meeting report."""
        self.ensure_one()
        bills, billed, collected = self._get_collection_figures(None)[0]
        nrw = self._get_nrw_rows()
        produced = sum(row[1] for row in nrw)
        billed_m3 = sum(row[2] for row in nrw)
        arrears = self._get_arrears_lines()
        income, expense = self._get_pnl()
        total_income = sum(income.values())
        total_expense = sum(expense.values())
        cash_rows = self._get_cash_book_rows()
        connections = self.env["water.connection"].search_count(
            [("company_id", "=", self.company_id.id), ("state", "=", "active")]
        )
        months = self._get_monthly_series()
        return {
            "range_label": self._get_range_label(),
            "connections": connections,
            "bills": bills,
            "billed": billed,
            "collected": collected,
            "efficiency": self._ratio(collected, billed),
            "produced": produced,
            "billed_m3": billed_m3,
            "nrw": produced - billed_m3,
            "nrw_rate": self._ratio(produced - billed_m3, produced),
            "arrears": sum(line["residual"] for line in arrears),
            "arrears_connections": len({line["connection_id"] for line in arrears}),
            "income": sorted(income.items()),
            "expense": sorted(expense.items()),
            "total_income": total_income,
            "total_expense": total_expense,
            "result": total_income - total_expense,
            "cash_rows": cash_rows,
            "cash_total": sum(row[4] for row in cash_rows),
            "months": months,
            "chart_money": self._svg_bars(
                months, ("billed", "collected"), ("#1f6fb2", "#4caf50")
            ),
            "chart_water": self._svg_bars(
                months, ("produced", "billed_m3"), ("#8e44ad", "#1f6fb2")
            ),
        }

    def _get_monthly_series(self):
        """Billed, collected, produced and billed m³ per billing period."""
        collection = {
            period: (billed, collected)
            for period, billed, collected in self.env[
                "water.collection.report"
            ]._read_group(
                self._period_domain() + [("date", "<=", self.date_to)],
                ["period_id"],
                ["amount_billed:sum", "amount_collected:sum"],
            )
        }
        water = {
            period: (produced, billed)
            for period, produced, billed in self.env["water.nrw.report"]._read_group(
                self._period_domain(), ["period_id"], ["produced:sum", "billed:sum"]
            )
        }
        periods = (set(collection) | set(water)) - {False}
        series = []
        for period in sorted(periods, key=lambda p: p.date_start):
            billed, collected = collection.get(period, (0.0, 0.0))
            produced, billed_m3 = water.get(period, (0, 0))
            series.append(
                {
                    "label": period.date_start.strftime("%m/%Y"),
                    "billed": billed,
                    "collected": collected,
                    "produced": produced,
                    "billed_m3": billed_m3,
                }
            )
        return series

    @api.model
    def _svg_bars(self, series, keys, colors, width=640, height=200):
        """Grouped bars of ``keys`` per item of ``series``, for an inline SVG.

        :return: dict with the chart size and its ``bars`` and ``labels``
            (coordinates in pixels), so that the template only draws them
        """
        top = max([item[key] for item in series for key in keys] or [0]) or 1
        plot_height = height - 30
        slot = width / max(len(series), 1)
        bar_width = slot * 0.8 / len(keys)
        bars = []
        labels = []
        for index, item in enumerate(series):
            left = index * slot + slot * 0.1
            for position, key in enumerate(keys):
                bar_height = round(plot_height * item[key] / top, 1)
                bars.append(
                    {
                        "x": round(left + position * bar_width, 1),
                        "y": round(plot_height - bar_height, 1),
                        "width": round(bar_width - 1, 1),
                        "height": bar_height,
                        "color": colors[position],
                    }
                )
            labels.append(
                {"x": round(index * slot + slot / 2, 1), "text": item["label"]}
            )
        return {
            "width": width,
            "height": height,
            "axis_y": plot_height,
            "bars": bars,
            "labels": labels,
        }

    def _get_lpj_tables(self):
        """The LPJ as tables, for its XLSX export."""
        values = self._get_lpj_values()
        figure = self._column(self.env._("Figure"))
        rows = [
            [self.env._("Active connections"), values["connections"]],
            [self.env._("Bills issued"), values["bills"]],
            [self.env._("Produced (m³)"), values["produced"]],
            [self.env._("Billed (m³)"), values["billed_m3"]],
            [self.env._("Non-revenue water (%)"), values["nrw_rate"]],
            [self.env._("Amount billed"), values["billed"]],
            [self.env._("Amount collected"), values["collected"]],
            [self.env._("Collection efficiency (%)"), values["efficiency"]],
            [self.env._("Arrears"), values["arrears"]],
            [self.env._("Total income"), values["total_income"]],
            [self.env._("Total expenses"), values["total_expense"]],
            [self.env._("Result"), values["result"]],
            [self.env._("Cash and bank"), values["cash_total"]],
        ]
        return [
            {
                "title": self.env._("Key figures"),
                "columns": [figure, self._column(self.env._("Value"), "number")],
                "rows": rows,
                "totals": [],
            }
        ]
