from odoo import api, fields, models
from odoo.exceptions import UserError

from .water_import_common import RowProblem, cell_text, month_in_text, normalize_title

BROKEN_WORDS = {"rusak", "macet", "mati", "pecah", "buram"}


class WaterImportReading(models.TransientModel):
    _name = "water.import.reading"
    _inherit = "water.import.mixin"
    _description = "Import Meter Readings"

    _problem_model = "water.import.reading.problem"

    column_ids = fields.One2many("water.import.reading.column", "wizard_id")
    problem_ids = fields.One2many("water.import.reading.problem", "wizard_id")
    period_month = fields.Date(
        string="Month",
        help="Any day of the month of the readings; its billing period is created "
        "when it does not exist yet. Found in the sheet's title when left empty.",
    )
    period_id = fields.Many2one(
        "water.billing.period",
        string="Existing Period",
        compute="_compute_period_id",
    )
    count_review = fields.Integer(string="To Review", readonly=True)

    @api.depends("period_month", "company_id")
    def _compute_period_id(self):
        for wizard in self:
            month = wizard.period_month
            wizard.period_id = month and self.env["water.billing.period"].search(
                [
                    ("company_id", "=", wizard.company_id.id),
                    ("date_start", "=", month.replace(day=1)),
                ],
                limit=1,
            )

    @api.model
    def _get_column_specs(self):
        return {
            "number": (
                self.env._("Connection number"),
                [
                    "no sambungan",
                    "nomor sambungan",
                    "no sambungan rumah",
                    "no sr",
                    "no pelanggan",
                    "nomor pelanggan",
                    "no pel",
                    "id pelanggan",
                    "kode pelanggan",
                ],
            ),
            "previous_index": (
                self.env._("Previous index (checked)"),
                ["stand lalu", "stand bulan lalu", "angka lalu", "stand awal"],
            ),
            "current_index": (
                self.env._("Current index"),
                [
                    "stand kini",
                    "stand akhir",
                    "stand sekarang",
                    "stand bulan ini",
                    "angka kini",
                ],
            ),
            "consumption": (
                self.env._("Consumption (checked)"),
                ["pemakaian", "pemakaian m3", "volume", "pakai"],
            ),
            "reader": (
                self.env._("Reader"),
                ["petugas", "petugas baca", "pembaca", "pencatat"],
            ),
            "date": (
                self.env._("Reading date"),
                ["tgl baca", "tanggal baca", "tgl catat", "tanggal"],
            ),
            "note": (self.env._("Note"), ["keterangan", "ket", "catatan"]),
        }

    @api.model
    def _get_required_keys(self):
        return ["number", "current_index"]

    def _after_analyse(self, sheet_name, rows_above_header):
        """Take the month from the title, the sheet name or the file name."""
        if self.period_month:
            return
        texts = [cell_text(c) for _n, cells in rows_above_header for c in cells]
        texts += [sheet_name or "", self.filename or ""]
        for text in texts:
            month = month_in_text(text)
            if month:
                self.period_month = month
                return

    def _get_period(self):
        if not self.period_month:
            raise UserError(
                self.env._("Choose the month of the readings, then run it again.")
            )
        period = self.env["water.billing.period"]._get_or_create(
            self.period_month, self.company_id
        )
        if period.state == "closed":
            raise UserError(
                self.env._(
                    "Period %(period)s is closed: its readings cannot change.",
                    period=period.name,
                )
            )
        return period

    # ------------------------------------------------------------------
    # Parsing one row
    # ------------------------------------------------------------------

    def _parse_row(self, row, result, period):
        """Return the cleaned values of a reading row, or None to skip it."""
        values = {}
        try:
            values["number"] = self._clean_number(row.get("number"))
            values["status"], values["current_index"] = self._clean_status(row)
        except RowProblem as problem:
            key = "number" if "number" not in values else "current_index"
            result.add(row, key, problem.message)
            return None
        for key in ("previous_index", "consumption"):
            try:
                values[key] = self._clean_integer(row.get(key))
            except RowProblem as problem:
                result.add(row, key, problem.message, "warning")
                values[key] = None
        try:
            values["date"] = self._clean_date(row.get("date"), row.datemode)
        except RowProblem as problem:
            result.add(row, "date", problem.message, "warning")
            values["date"] = None
        if values["date"] and values["date"].replace(day=1) != period.date_start:
            result.add(
                row,
                "date",
                self.env._(
                    "Read on %(date)s, outside period %(period)s.",
                    date=values["date"],
                    period=period.name,
                ),
                "warning",
            )
        values["date"] = values["date"] or period.reading_date_end
        values["reader"] = self._clean_text(row.get("reader"))
        values["note"] = self._clean_text(row.get("note"))
        return values

    def _clean_status(self, row):
        """Status and index of the Stand Kini cell and its note."""
        value = row.get("current_index")
        note_words = set(normalize_title(row.get("note")).split())
        if not cell_text(value):
            return ("broken" if note_words & BROKEN_WORDS else "missing"), 0
        if set(normalize_title(value).split()) & BROKEN_WORDS:
            return "broken", 0
        index = self._clean_integer(value)
        return "read", index

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def _process(self, rows, result):
        period = self._get_period()
        parsed = self._parse_rows(rows, result, period)
        context = self._load_existing(parsed, period)
        new, changed_ids, done = [], [], []
        for row, values in parsed:
            connection = context["connections"].get(values["number"])
            if not self._check_connection(row, values, connection, result):
                result.count("skipped")
                continue
            vals = self._prepare_reading_vals(values, connection, period, context)
            reading = context["readings"].get(connection)
            if not reading:
                new.append((row, values, vals))
                continue
            outcome = self._update_reading(row, reading, vals, result)
            result.count(outcome)
            if outcome == "updated":
                changed_ids.append(reading.id)
            if outcome != "skipped":
                done.append((row, values, reading, outcome))
        readings = self._create_batch(
            "water.meter.reading", [vals for _row, _values, vals in new]
        )
        for (row, values, _vals), reading in zip(new, readings, strict=True):
            result.count("new")
            done.append((row, values, reading, "new"))
        changed = self.env["water.meter.reading"].browse(changed_ids)
        (readings | changed).action_validate()
        self._check_imported(done, result)

    def _load_existing(self, parsed, period):
        """One search per model for the connections, readings and readers."""
        numbers = [values["number"] for _row, values in parsed]
        connections = self.env["water.connection"].search(
            [("company_id", "=", self.company_id.id), ("name", "in", numbers)]
        )
        readings = self.env["water.meter.reading"].search(
            [("period_id", "=", period.id), ("connection_id", "in", connections.ids)]
        )
        users = self.env["res.users"].search([("share", "=", False)])
        by_name = {}
        for user in users:
            by_name.setdefault(normalize_title(user.name), user)
            first = normalize_title(user.name).split(" ")[0]
            by_name.setdefault(("first", first), []).append(user)
        return {
            "connections": {c.name: c for c in connections},
            "readings": {r.connection_id: r for r in readings},
            "users": by_name,
        }

    def _check_connection(self, row, values, connection, result):
        message = None
        if not connection:
            message = self.env._(
                "Connection %(number)s is not in the register: import it with the "
                "customer register first. No connection is created from readings.",
                number=values["number"],
            )
        elif connection.billing_type == "flat":
            message = self.env._(
                "Connection %(number)s pays a flat rate and has no meter to read.",
                number=connection.name,
            )
        elif not connection.meter_id:
            message = self.env._(
                "Connection %(number)s has no meter installed.", number=connection.name
            )
        elif values["current_index"] >= connection.meter_id._dial_size():
            message = self.env._(
                "Index %(index)s does not fit on the %(digits)s-digit dial of meter "
                "%(meter)s.",
                index=values["current_index"],
                digits=connection.meter_id.digits,
                meter=connection.meter_id.name,
            )
        if message:
            fits = connection and connection.meter_id
            result.add(row, "current_index" if fits else "number", message)
        return not message

    def _find_reader(self, name, users):
        """The user of that name, or of that first name if only one has it."""
        key = normalize_title(name)
        if not key:
            return self.env["res.users"]
        if key in users:
            return users[key]
        same_first = users.get(("first", key), [])
        return same_first[0] if len(same_first) == 1 else self.env["res.users"]

    @api.model
    def _prepare_reading_vals(self, values, connection, period, context):
        reader = self._find_reader(values["reader"], context["users"])
        return {
            "connection_id": connection.id,
            "period_id": period.id,
            "status": values["status"],
            "kind": "actual",
            "current_index": values["current_index"],
            "date": values["date"],
            "reader_id": reader.id,
            "reader_name": False if reader else values["reader"] or False,
            "note": values["note"] or False,
        }

    def _update_reading(self, row, reading, vals, result):
        """Return 'updated', 'unchanged' or 'skipped' for an existing reading."""
        compared = (
            "status",
            "current_index",
            "date",
            "reader_id",
            "reader_name",
            "note",
        )
        changes = {}
        for name in compared:
            current = reading[name]
            if reading._fields[name].type == "many2one":
                current = current.id
            if (current or False) != (vals[name] or False):
                changes[name] = vals[name]
        if not changes:
            return "unchanged"
        if reading.kind == "estimated" or reading.review_state in (
            "accepted",
            "corrected",
        ):
            result.add(
                row,
                "current_index",
                self.env._(
                    "The reading of %(number)s was already reviewed by a manager; "
                    "it is kept as reviewed.",
                    number=reading.connection_id.name,
                ),
                "warning",
            )
            return "unchanged"
        if reading.state == "billed":
            result.add(
                row,
                "current_index",
                self.env._(
                    "The reading of %(number)s for this period is already billed: "
                    "cancel its bill to change it.",
                    number=reading.connection_id.name,
                ),
            )
            return "skipped"
        reading.write(dict(changes, state="draft"))
        return "updated"

    def _check_imported(self, done, result):
        """Compare with the sheet's own figures and list what waits for review."""
        count_review = 0
        for row, values, reading, outcome in done:
            sheet_previous = values["previous_index"]
            if sheet_previous is not None and sheet_previous != reading.previous_index:
                result.add(
                    row,
                    "previous_index",
                    self.env._(
                        "The sheet's previous index %(sheet)s differs from Tirta's "
                        "%(tirta)s; Tirta's is used.",
                        sheet=sheet_previous,
                        tirta=reading.previous_index,
                    ),
                    "warning",
                )
            sheet_use = values["consumption"]
            if (
                sheet_use is not None
                and reading.status == "read"
                and sheet_use != reading.consumption
            ):
                result.add(
                    row,
                    "consumption",
                    self.env._(
                        "The sheet's consumption %(sheet)s m³ differs from Tirta's "
                        "%(tirta)s m³.",
                        sheet=sheet_use,
                        tirta=reading.consumption,
                    ),
                    "warning",
                )
            if outcome != "unchanged" and reading.review_state == "pending":
                count_review += 1
                result.add(
                    row,
                    "current_index",
                    self.env._(
                        "Waits for a manager's review: %(reason)s.",
                        reason=reading._anomaly_label(),
                    ),
                    "review",
                )
        result.counts["review"] = count_review

    def _write_result(self, result):
        res = super()._write_result(result)
        self.count_review = result.counts.get("review", 0)
        return res


class WaterImportReadingColumn(models.TransientModel):
    _name = "water.import.reading.column"
    _inherit = "water.import.column.mixin"
    _description = "Reading Import Column"

    _wizard_model = "water.import.reading"

    wizard_id = fields.Many2one(
        "water.import.reading", required=True, ondelete="cascade"
    )


class WaterImportReadingProblem(models.TransientModel):
    _name = "water.import.reading.problem"
    _inherit = "water.import.problem.mixin"
    _description = "Reading Import Problem"

    wizard_id = fields.Many2one(
        "water.import.reading", required=True, ondelete="cascade"
    )
