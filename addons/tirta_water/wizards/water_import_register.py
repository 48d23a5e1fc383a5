from odoo import api, fields, models

from .water_import_common import RowProblem, normalize_title, split_phones

FLAT_WORDS = ("tanpa meter", "tarif tetap", "non meter", "tidak ada meter")
# An opening index this high on a register without a digits column is read as
# a four-digit dial about to pass 9999; below it, meters get five digits.
FOUR_DIGIT_TOP = 9000


class WaterImportRegister(models.TransientModel):
    _name = "water.import.register"
    _inherit = "water.import.mixin"
    _description = "Import Customer Register"

    _problem_model = "water.import.register.problem"

    column_ids = fields.One2many("water.import.register.column", "wizard_id")
    problem_ids = fields.One2many("water.import.register.problem", "wizard_id")

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
            "partner_name": (
                self.env._("Customer name"),
                ["nama pelanggan", "nama", "nama lengkap"],
            ),
            "dusun": (self.env._("Hamlet (dusun)"), ["dusun", "dukuh"]),
            "rt": (self.env._("RT"), ["rt"]),
            "rw": (self.env._("RW"), ["rw"]),
            "street": (self.env._("Address"), ["alamat", "jalan"]),
            "phone": (
                self.env._("Phone numbers"),
                [
                    "no hp",
                    "nomor hp",
                    "hp",
                    "no telepon",
                    "no telp",
                    "telepon",
                    "telp",
                    "no wa",
                    "wa",
                    "whatsapp",
                ],
            ),
            "tariff": (
                self.env._("Tariff group"),
                ["golongan", "gol", "golongan tarif", "gol tarif", "tarif"],
            ),
            "meter_serial": (
                self.env._("Meter serial number"),
                ["no meter", "nomor meter", "no seri meter", "seri meter"],
            ),
            "date_install": (
                self.env._("Connected on"),
                [
                    "tgl pasang",
                    "tanggal pasang",
                    "tgl pemasangan",
                    "tanggal pemasangan",
                ],
            ),
            "initial_index": (
                self.env._("Opening index"),
                ["stand awal", "angka awal", "stand meter awal"],
            ),
            "digits": (
                self.env._("Meter digits"),
                ["digit", "jumlah digit", "digit meter"],
            ),
            "route": (self.env._("Reading route"), ["rute", "jalur", "rute baca"]),
            "note": (self.env._("Note"), ["keterangan", "ket", "catatan"]),
        }

    @api.model
    def _get_required_keys(self):
        return ["number", "tariff"]

    # ------------------------------------------------------------------
    # Parsing one row
    # ------------------------------------------------------------------

    def _parse_row(self, row, result, tariffs):
        """Return the cleaned values of a register row, or None to skip it."""
        values = {}
        cleaners = [
            ("number", self._clean_number),
            ("partner_name", self._clean_text),
            ("dusun", self._clean_text),
            ("rt", self._clean_neighbourhood),
            ("rw", self._clean_neighbourhood),
            ("street", self._clean_text),
            ("tariff", lambda v: self._clean_tariff(v, tariffs)),
            ("meter_serial", self._clean_serial),
            ("date_install", lambda v: self._clean_date(v, row.datemode)),
            ("initial_index", self._clean_integer),
            ("digits", self._clean_digits),
            ("route", self._clean_text),
            ("note", self._clean_text),
        ]
        failed = False
        for key, cleaner in cleaners:
            try:
                values[key] = cleaner(row.get(key))
            except RowProblem as problem:
                result.add(row, key, problem.message, problem.severity)
                failed = failed or problem.severity == "error"
                values[key] = False
        values["phone"], values["mobile"] = self._parse_phones(row, result)
        values["billing_type"] = self._billing_type(values)
        if not failed and values["billing_type"] == "metered":
            failed = not self._check_meter_values(row, result, values)
        return None if failed else values

    @api.model
    def _clean_neighbourhood(self, value):
        """RT and RW as on the identity card: '4', 4.0 and '04' give '004'."""
        text = self._clean_text(value)
        if text and text.isdigit():
            return f"{int(text):03d}"
        return text

    @api.model
    def _clean_serial(self, value):
        text = self._clean_text(value)
        return text and text.replace(" ", "").upper()

    @api.model
    def _clean_tariff(self, value, tariffs):
        spelling = self.env["water.tariff.alias"]._normalize(self._clean_text(value))
        if not spelling:
            raise RowProblem(self.env._("The tariff group is missing."))
        tariff = tariffs.get(spelling)
        if not tariffs:
            raise RowProblem(
                self.env._(
                    "No tariff group exists yet: create the tariff groups under "
                    "Configuration, Tariff Groups, then run the dry run again."
                )
            )
        if not tariff:
            raise RowProblem(
                self.env._(
                    "Unknown tariff group spelling '%(spelling)s': add it under "
                    "Configuration, Tariff Spellings, then run the dry run again.",
                    spelling=spelling,
                )
            )
        return tariff

    @api.model
    def _clean_digits(self, value):
        digits = self._clean_integer(value)
        if digits is not None and not 3 <= digits <= 9:
            raise RowProblem(self.env._("A meter dial has between 3 and 9 digits."))
        return digits

    def _parse_phones(self, row, result):
        """Phone and mobile of the cell; junk is reported, the row still goes."""
        numbers, junk = split_phones(row.get("phone"))
        for part in junk:
            result.add(
                row,
                "phone",
                self.env._(
                    "'%(part)s' is not an Indonesian phone number; left out.",
                    part=part,
                ),
                "warning",
            )
        if len(numbers) > 2:
            result.add(
                row,
                "phone",
                self.env._("More than two numbers: only the first two are kept."),
                "warning",
            )
        return (numbers[0] if numbers else False), (
            numbers[1] if len(numbers) > 1 else False
        )

    @api.model
    def _billing_type(self, values):
        note = normalize_title(values.get("note"))
        if not values.get("meter_serial") or any(w in note for w in FLAT_WORDS):
            return "flat"
        return "metered"

    def _check_meter_values(self, row, result, values):
        """Fill the dial size and check the opening index fits on it."""
        index = values.get("initial_index") or 0
        digits = values.get("digits")
        if not digits:
            digits = 4 if FOUR_DIGIT_TOP <= index < 10**4 else max(5, len(str(index)))
        if index >= 10**digits:
            result.add(
                row,
                "initial_index",
                self.env._(
                    "Index %(index)s does not fit on a %(digits)s-digit dial.",
                    index=index,
                    digits=digits,
                ),
            )
            return False
        values["initial_index"] = index
        values["digits"] = digits
        return True

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def _process(self, rows, result):
        company = self.company_id
        tariffs = self.env["water.tariff.alias"]._get_mapping(company)
        parsed = self._parse_rows(rows, result, tariffs)
        context = self._load_existing(parsed)
        parsed = self._check_meters(parsed, context, result)
        new, existing = [], []
        for row, values in parsed:
            connection = context["connections"].get(values["number"])
            if connection:
                existing.append((row, values, connection))
            elif not values["partner_name"]:
                result.add(
                    row, "partner_name", self.env._("The customer name is missing.")
                )
                result.count("skipped")
            else:
                new.append(values)
        self._create_connections(new, context)
        for _values in new:
            result.count("new")
        for row, values, connection in existing:
            changed = self._update_connection(connection, values, context)
            changed |= self._update_meter(row, connection, values, context, result)
            result.count("updated" if changed else "unchanged")

    def _load_existing(self, parsed):
        """One search per model for what the rows refer to."""
        company = self.company_id
        numbers = [values["number"] for _row, values in parsed]
        serials = [v["meter_serial"] for _r, v in parsed if v["meter_serial"]]
        routes = {v["route"] for _r, v in parsed if v["route"]}
        connections = self.env["water.connection"].search(
            [("company_id", "=", company.id), ("name", "in", numbers)]
        )
        meters = (
            self.env["water.meter"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("name", "in", serials)])
        )
        route_records = self.env["water.route"].search(
            [("company_id", "=", company.id), ("name", "in", list(routes))]
        )
        read_meters = {
            meter.id
            for [meter] in self.env["water.meter.reading"]._read_group(
                [("meter_id", "in", meters.ids)], ["meter_id"]
            )
        }
        return {
            "connections": {c.name: c for c in connections},
            "meters": {m.name: m for m in meters},
            "routes": {r.name: r for r in route_records},
            "read_meters": read_meters,
        }

    def _check_meters(self, parsed, context, result):
        """Refuse a serial installed on another connection or used twice."""
        kept, owner = [], {}
        for row, values in parsed:
            serial = values["meter_serial"]
            if values["billing_type"] != "metered" or not serial:
                kept.append((row, values))
                continue
            meter = context["meters"].get(serial)
            other = meter and meter.connection_id.name
            if not other and serial in owner:
                other = owner[serial]
            if other and other != values["number"]:
                result.add(
                    row,
                    "meter_serial",
                    self.env._(
                        "Meter %(serial)s is already on connection %(other)s.",
                        serial=serial,
                        other=other,
                    ),
                )
                result.count("skipped")
                continue
            owner[serial] = values["number"]
            kept.append((row, values))
        return kept

    def _get_route(self, name, context):
        if not name:
            return self.env["water.route"]
        if name not in context["routes"]:
            context["routes"][name] = self.env["water.route"].create(
                {"name": name, "company_id": self.company_id.id}
            )
        return context["routes"][name]

    @api.model
    def _partner_street(self, values):
        """The customer's address line: street, dusun, RT/RW, as on a letter."""
        neighbourhood = "/".join(
            f"{label} {values[key]}"
            for label, key in (("RT", "rt"), ("RW", "rw"))
            if values[key]
        )
        dusun = values["dusun"] and f"Dusun {values['dusun']}"
        return ", ".join(p for p in (values["street"], dusun, neighbourhood) if p)

    def _prepare_partner_vals(self, values):
        vals = {
            "name": values["partner_name"],
            "street": self._partner_street(values) or False,
            "phone": values["phone"],
            "mobile": values["mobile"],
            "company_id": self.company_id.id,
            "customer_rank": 1,
            "lang": self.company_id._get_water_lang(),
        }
        if self.company_id.country_id:
            vals["country_id"] = self.company_id.country_id.id
        return vals

    @api.model
    def _prepare_connection_vals(self, values, context):
        """Values of the connection of a register row, also used to compare."""
        vals = {
            "dusun": values["dusun"],
            "rt": values["rt"],
            "rw": values["rw"],
            "street": values["street"],
            "tariff_id": values["tariff"].id,
            "billing_type": values["billing_type"],
            "date_start": values["date_install"],
            "note": values["note"],
        }
        if values["route"]:
            vals["route_id"] = self._get_route(values["route"], context).id
        return vals

    @api.model
    def _prepare_meter_vals(self, values):
        return {
            "name": values["meter_serial"],
            "digits": values["digits"],
            "initial_index": values["initial_index"],
            "date_install": values["date_install"],
        }

    def _create_connections(self, new, context):
        """Batch-create partners, connections and meters of new register rows."""
        if not new:
            return
        partners = self._create_batch(
            "res.partner", [self._prepare_partner_vals(values) for values in new]
        )
        connection_vals = []
        for values, partner in zip(new, partners, strict=True):
            vals = self._prepare_connection_vals(values, context)
            vals.update(
                name=values["number"],
                partner_id=partner.id,
                company_id=self.company_id.id,
                state="active",
            )
            connection_vals.append(vals)
        connections = self._create_batch("water.connection", connection_vals)
        meter_vals = []
        for values, connection in zip(new, connections, strict=True):
            context["connections"][connection.name] = connection
            if values["billing_type"] != "metered":
                continue
            vals = dict(self._prepare_meter_vals(values), connection_id=connection.id)
            in_stock = context["meters"].get(values["meter_serial"])
            if in_stock:
                in_stock.write(dict(vals, date_removal=False, active=True))
            else:
                meter_vals.append(dict(vals, company_id=self.company_id.id))
        self._create_batch("water.meter", meter_vals)

    @api.model
    def _changed(self, record, vals):
        """The part of ``vals`` that differs from ``record``, empty values left."""
        changes = {}
        for name, value in vals.items():
            if value is None or value is False or value == "":
                continue
            current = record[name]
            if record._fields[name].type == "many2one":
                current = current.id
            if current != value:
                changes[name] = value
        return changes

    def _update_connection(self, connection, values, context):
        partner_changes = self._changed(
            connection.partner_id,
            {
                "name": values["partner_name"],
                "phone": values["phone"],
                "mobile": values["mobile"],
            },
        )
        if partner_changes:
            connection.partner_id.write(partner_changes)
        changes = self._changed(
            connection, self._prepare_connection_vals(values, context)
        )
        if changes:
            connection.write(changes)
        return bool(partner_changes or changes)

    def _update_meter(self, row, connection, values, context, result):
        """Install, keep or refresh the meter of an existing connection."""
        serial = values["meter_serial"]
        if values["billing_type"] != "metered" or not serial:
            return False
        meter = connection.meter_id
        if not meter:
            vals = dict(self._prepare_meter_vals(values), connection_id=connection.id)
            existing = context["meters"].get(serial)
            if existing:
                existing.write(dict(vals, date_removal=False, active=True))
            else:
                self.env["water.meter"].create(
                    dict(vals, company_id=self.company_id.id)
                )
            return True
        if meter.name != serial:
            result.add(
                row,
                "meter_serial",
                self.env._(
                    "Connection %(number)s has meter %(meter)s: to change it, use "
                    "Replace Meter on the connection. The meter is left as it is.",
                    number=connection.name,
                    meter=meter.name,
                ),
                "warning",
            )
            return False
        vals = self._prepare_meter_vals(values)
        if meter.id in context["read_meters"]:
            # Its readings start from these figures: they are no longer the
            # register's to change.
            vals = {"date_install": vals["date_install"]}
        elif not row.get("digits"):
            vals.pop("digits")
        changes = self._changed(meter, vals)
        if changes:
            meter.write(changes)
        return bool(changes)


class WaterImportRegisterColumn(models.TransientModel):
    _name = "water.import.register.column"
    _inherit = "water.import.column.mixin"
    _description = "Register Import Column"

    _wizard_model = "water.import.register"

    wizard_id = fields.Many2one(
        "water.import.register", required=True, ondelete="cascade"
    )


class WaterImportRegisterProblem(models.TransientModel):
    _name = "water.import.register.problem"
    _inherit = "water.import.problem.mixin"
    _description = "Register Import Problem"

    wizard_id = fields.Many2one(
        "water.import.register", required=True, ondelete="cascade"
    )
