"""Shared parts of the spreadsheet imports: reading the file, finding the
header row, mapping the columns, cleaning the cells, the dry run and the
problem report."""

import base64
import csv
import io
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 30
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted .xlsx is an OLE compound file holding this stream (UTF-16 name).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
TOTAL_WORDS = ("jumlah", "total", "rekap", "grand total")

MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "agustus": 8,
    "august": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "okt": 10,
    "oct": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "december": 12,
    "des": 12,
    "dec": 12,
}

NUMBER_RE = re.compile(r"^([A-Za-z]*)[\s.\-_/]*(\d{1,9})$")
PHONE_SPLIT_RE = re.compile(r"\s*(?:/|,|;|&|\|)\s*|\s+(?:dan|atau|or)\s+", re.I)
DMY_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
YMD_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
MONTH_YEAR_RE = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?[\s\-]+(\d{4})$")
MONTH_IN_TEXT_RE = re.compile(r"([A-Za-z]+)\s+(\d{4})")
THOUSANDS_RE = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
WHOLE_RE = re.compile(r"^\d+(?:[.,]0+)?$")


class RowProblem(Exception):
    """A cell that cannot be used; ``message`` is already translated."""

    def __init__(self, message, severity="error"):
        super().__init__(message)
        self.message = message
        self.severity = severity


@dataclass
class SheetRow:
    """One data row of the sheet: its 1-based row number and mapped cells."""

    number: int
    values: dict
    titles: dict
    datemode: int = 0

    def get(self, key):
        return self.values.get(key)


@dataclass
class ImportResult:
    """What an import did or, in a dry run, would do."""

    counts: dict = field(
        default_factory=lambda: dict.fromkeys(
            ("new", "updated", "unchanged", "skipped"), 0
        )
    )
    problems: list = field(default_factory=list)

    def count(self, outcome):
        self.counts[outcome] += 1

    def add(self, row, key, reason, severity="error", value=None):
        """Record a problem of ``row`` (a SheetRow) in the column of ``key``."""
        if value is None and key:
            value = row.get(key)
        self.problems.append(
            {
                "row_number": row.number,
                "column": row.titles.get(key, "") if key else "",
                "value": cell_text(value),
                "reason": reason,
                "severity": severity,
            }
        )


def cell_text(value):
    """Readable text of a cell: 9988.0 gives '9988', a date its ISO form."""
    if value is None or value is False:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def normalize_title(title):
    """Column title without case, punctuation or repeated spaces."""
    text = cell_text(title).lower().replace("³", "3")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def canonical_number(value):
    """'tm0001 ', 'TM 5', 'TM-0005' give 'TM-0001', 'TM-0005'; None if empty.

    :raises ValueError: when the cell does not hold a connection number
    """
    text = cell_text(value)
    if not text:
        return None
    match = NUMBER_RE.match(text)
    if not match:
        raise ValueError(text)
    prefix, digits = match.groups()
    number = f"{int(digits):04d}"
    return f"{prefix.upper()}-{number}" if prefix else number


def clean_phone(text):
    """One Indonesian phone number as E.164 ('+628…'), or None if invalid."""
    text = text.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") and not digits.startswith("62"):
        return None
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        # A number typed into a numeric cell loses its leading zero.
        national = digits
    else:
        return None
    national = national.removeprefix("0")
    if not 8 <= len(national) <= 12 or national[0] not in "23456789":
        return None
    return "+62" + national


def split_phones(value):
    """Return (valid numbers without repeats, invalid parts) of one cell."""
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else str(value)
    text = cell_text(value)
    numbers, junk = [], []
    for part in PHONE_SPLIT_RE.split(text) if text else []:
        if not part or not part.strip():
            continue
        number = clean_phone(part)
        if number is None:
            junk.append(part.strip())
        elif number not in numbers:
            numbers.append(number)
    return numbers, junk


def parse_integer(value):
    """'01634' gives 1634, 9988.0 gives 9988, '' gives None.

    :raises ValueError: for text, fractions and negative numbers
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        text = re.sub(r"\s+", "", str(value))
        if not text:
            return None
        if THOUSANDS_RE.match(text):
            # Indonesian writes 1.234 for one thousand two hundred and thirty-four.
            number = int(re.sub(r"[.,]", "", text))
        elif WHOLE_RE.match(text):
            number = int(re.split(r"[.,]", text)[0])
        else:
            raise ValueError(value)
    if number < 0:
        raise ValueError(value)
    return number


def _check_year(year):
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not 1950 <= year <= 2100:
        raise ValueError(year)
    return year


def parse_date(value, datemode=0):
    """A cell as a date: Excel date, '25/03/2023', '2023-03-25', 'Maret 2019'.

    A month and year without a day give the first of the month.

    :param int datemode: the workbook's date system (xlrd), 0 for 1900
    :raises ValueError: when the cell is not a date
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_date(value, datemode)
    text = cell_text(value)
    if not text:
        return None
    if match := DMY_RE.match(text):
        day, month, year = (int(part) for part in match.groups())
        return date(_check_year(year), month, day)
    if match := YMD_RE.match(text):
        year, month, day = (int(part) for part in match.groups())
        return date(_check_year(year), month, day)
    if match := MONTH_YEAR_RE.match(text):
        day, month_name, year = match.groups()
        month = MONTHS.get(month_name.lower())
        if not month:
            raise ValueError(text)
        return date(_check_year(int(year)), month, int(day or 1))
    if text.isdigit() and len(text) == 5:
        return _excel_date(int(text), datemode)
    raise ValueError(text)


def _excel_date(number, datemode):
    import xlrd

    if not 1 <= number < 2958466:
        raise ValueError(number)
    result = xlrd.xldate.xldate_as_datetime(number, datemode).date()
    _check_year(result.year)
    return result


def month_in_text(text):
    """First day of the month named in a title like 'BULAN SEPTEMBER 2026'."""
    for name, year in MONTH_IN_TEXT_RE.findall(text or ""):
        month = MONTHS.get(name.lower())
        if month and 1950 <= int(year) <= 2100:
            return date(int(year), month, 1)
    match = re.search(r"(20\d\d)[_\-.](\d{1,2})(?!\d)", text or "")
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    return None


class WaterImportColumnMixin(models.AbstractModel):
    _name = "water.import.column.mixin"
    _description = "Spreadsheet Import Column"
    _order = "column_index"

    _wizard_model = None

    column_index = fields.Integer(readonly=True)
    name = fields.Char(string="Column Title", readonly=True)
    sample = fields.Char(string="First Value", readonly=True)
    field_name = fields.Selection(
        selection="_selection_field_name",
        string="Import As",
        help="Leave empty to ignore this column.",
    )

    @api.model
    def _selection_field_name(self):
        if not self._wizard_model:
            return []
        return self.env[self._wizard_model]._get_column_choices()


class WaterImportProblemMixin(models.AbstractModel):
    _name = "water.import.problem.mixin"
    _description = "Spreadsheet Import Problem"
    _order = "row_number, id"

    row_number = fields.Integer(string="Row", readonly=True)
    column = fields.Char(readonly=True)
    value = fields.Char(readonly=True)
    reason = fields.Char(string="Problem", readonly=True)
    severity = fields.Selection(
        [
            ("error", "Error: row skipped"),
            ("warning", "Warning: row imported"),
            ("review", "Will wait for review"),
        ],
        readonly=True,
    )


class WaterImportMixin(models.AbstractModel):
    _name = "water.import.mixin"
    _description = "Spreadsheet Import"

    # the transient model of the wizard's problem lines
    _problem_model = None

    mapping_error = fields.Char(readonly=True)
    state = fields.Selection(
        [("upload", "Upload"), ("review", "Dry run"), ("done", "Imported")],
        default="upload",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(string="Spreadsheet", attachment=False)
    filename = fields.Char()
    sheet_name = fields.Char(readonly=True)
    header_row = fields.Integer(readonly=True)
    count_new = fields.Integer(string="New", readonly=True)
    count_updated = fields.Integer(string="Updated", readonly=True)
    count_unchanged = fields.Integer(string="Unchanged", readonly=True)
    count_skipped = fields.Integer(string="Skipped", readonly=True)
    report_file = fields.Binary(string="Problem Report", readonly=True)
    report_filename = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # To be defined by each import
    # ------------------------------------------------------------------

    @api.model
    def _get_column_specs(self):
        """Return {key: (label, [normalised titles])} of the importable columns."""
        raise NotImplementedError()

    @api.model
    def _get_required_keys(self):
        return ["number"]

    def _process(self, rows, result):
        """Import the rows (list of SheetRow), recording outcomes in ``result``."""
        raise NotImplementedError()

    def _parse_row(self, row, result, context):
        """Cleaned values of one row (with its ``number``), or None to skip it."""
        raise NotImplementedError

    def _parse_rows(self, rows, result, context):
        """Clean every row; a connection number seen before skips its row.

        :return: list of (row, values) of the rows to import
        """
        parsed, first_row = [], {}
        for row in rows:
            values = self._parse_row(row, result, context)
            if values is None:
                result.count("skipped")
                continue
            number = values["number"]
            if number in first_row:
                result.add(
                    row,
                    "number",
                    self.env._(
                        "Connection %(number)s is already on row %(row)s; this "
                        "row is skipped.",
                        number=number,
                        row=first_row[number],
                    ),
                    "error",
                )
                result.count("skipped")
                continue
            first_row[number] = row.number
            parsed.append((row, values))
        return parsed

    @api.model
    def _get_column_choices(self):
        return [(key, spec[0]) for key, spec in self._get_column_specs().items()]

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------

    def _get_content(self):
        self.ensure_one()
        if not self.file and not self.filename:
            raise UserError(self.env._("Choose the spreadsheet to import."))
        if len(self.file or b"") * 3 // 4 > MAX_FILE_SIZE + 3:
            raise self._size_error()
        content = base64.b64decode(self.file or b"")
        if not content:
            raise UserError(
                self.env._("The file %(name)s is empty.", name=self.filename or "")
            )
        if len(content) > MAX_FILE_SIZE:
            raise self._size_error()
        return content

    def _size_error(self):
        return UserError(
            self.env._(
                "The file %(name)s is larger than %(size)s MB: split it or remove "
                "what is not a customer or reading row.",
                name=self.filename or "",
                size=MAX_FILE_SIZE // (1024 * 1024),
            )
        )

    def _read_sheets(self):
        """Return ([(sheet name, [(row number, [values])])], datemode).

        The format follows the content; the file name only has to agree.
        ``datemode`` is the workbook's date system (1904-based when 1).
        """
        self.ensure_one()
        content = self._get_content()
        name = self.filename or ""
        extension = os.path.splitext(name)[1].lower()
        if content.startswith(OLE_MAGIC):
            if ENCRYPTED_STREAM in content:
                raise self._password_error()
            if extension not in (".xls", ""):
                raise self._mismatch_error(".xls")
            return self._read_xls(content)
        if content.startswith(ZIP_MAGIC):
            if extension not in (".xlsx", ".xlsm", ""):
                raise self._mismatch_error(".xlsx")
            return self._read_xlsx(content)
        if extension in (".csv", ".txt"):
            return self._read_csv(content)
        if extension in (".xls", ".xlsx"):
            raise self._corrupt_error()
        raise UserError(
            self.env._(
                "%(name)s is not a spreadsheet Tirta can read: save it as .xls, "
                ".xlsx or .csv.",
                name=name,
            )
        )

    def _password_error(self):
        return UserError(
            self.env._(
                "The workbook %(name)s is protected by a password. Open it in "
                "Excel, remove the password (File, Info, Protect Workbook) and "
                "save it again.",
                name=self.filename or "",
            )
        )

    def _corrupt_error(self):
        return UserError(
            self.env._(
                "The file %(name)s is damaged or is not a spreadsheet. Open it "
                "in Excel and save it again as .xls or .xlsx.",
                name=self.filename or "",
            )
        )

    def _mismatch_error(self, real_extension):
        return UserError(
            self.env._(
                "The file %(name)s is really a %(real)s workbook under another "
                "name. Rename it to end in %(real)s and upload it again.",
                name=self.filename or "",
                real=real_extension,
            )
        )

    def _read_xls(self, content):
        import xlrd

        # xlrd writes its complaints to a log file, stdout by default.
        messages = io.StringIO()
        try:
            book = xlrd.open_workbook(file_contents=content, logfile=messages)
        except Exception as error:
            _logger.debug("xlrd cannot read %s: %s", self.filename, messages.getvalue())
            # xlrd raises many exception types for damaged files.
            if "encrypted" in str(error).lower():
                raise self._password_error() from error
            raise self._corrupt_error() from error
        sheets = []
        for sheet in book.sheets():
            rows = []
            for index in range(sheet.nrows):
                cells = [self._xls_value(c, book.datemode) for c in sheet.row(index)]
                rows.append((index + 1, cells))
            sheets.append((sheet.name, rows))
        return sheets, book.datemode

    @api.model
    def _xls_value(self, cell, datemode):
        import xlrd

        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        return cell.value

    def _read_xlsx(self, content):
        import openpyxl

        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
            sheets = []
            for sheet in book.worksheets:
                sheet.reset_dimensions()
                rows = [
                    (index, list(values))
                    for index, values in enumerate(
                        sheet.iter_rows(min_row=1, values_only=True), start=1
                    )
                ]
                sheets.append((sheet.title, rows))
            book.close()
        except Exception as error:
            # openpyxl raises zip, XML and key errors for damaged files.
            raise self._corrupt_error() from error
        return sheets, 0

    def _read_csv(self, content):
        text = None
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None or "\x00" in text:
            raise self._corrupt_error()
        delimiter = self._csv_delimiter(text.splitlines()[:HEADER_SCAN_ROWS])
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [
            (reader.line_num, [cell.strip() or None for cell in cells])
            for cells in reader
        ]
        return [(os.path.splitext(self.filename or "")[0], rows)], 0

    @api.model
    def _csv_delimiter(self, lines):
        """The delimiter giving the widest row: ';' or ','."""
        best, width = ",", 0
        for delimiter in (",", ";", "\t"):
            widest = max(
                (len(cells) for cells in csv.reader(lines, delimiter=delimiter)),
                default=0,
            )
            if widest > width:
                best, width = delimiter, widest
        return best

    # ------------------------------------------------------------------
    # Header and columns
    # ------------------------------------------------------------------

    @api.model
    def _match_title(self, title):
        """The key of the column whose title this is, or None."""
        normalized = normalize_title(title)
        if not normalized:
            return None
        titles = {
            alias: key
            for key, (_label, aliases) in self._get_column_specs().items()
            for alias in aliases
        }
        if normalized in titles:
            return titles[normalized]
        compact = {alias.replace(" ", ""): key for alias, key in titles.items()}
        if normalized.replace(" ", "") in compact:
            # "R.T." or "No.HP" written without the usual spaces
            return compact[normalized.replace(" ", "")]
        for alias in sorted(titles, key=len, reverse=True):
            if normalized.startswith(alias + " "):
                return titles[alias]
        return None

    def _find_header(self, sheets):
        """Return (sheet name, header row number, cells, rows) of the first
        sheet with a header, looking through its first rows."""
        required = self._get_required_keys()[0]
        for name, rows in sheets:
            for number, cells in rows[:HEADER_SCAN_ROWS]:
                keys = [self._match_title(cell) for cell in cells]
                if required in keys and len({k for k in keys if k}) >= 2:
                    return name, number, cells, rows
        raise UserError(
            self.env._(
                "No header row found in %(name)s: one of the first %(count)s rows "
                "must hold the column titles, with a connection number column "
                "such as 'No Sambungan' or 'No Pelanggan'.",
                name=self.filename or "",
                count=HEADER_SCAN_ROWS,
            )
        )

    def _prepare_column_vals(self, header, header_cells, rows):
        """Values of the mapping lines, mapped automatically from the titles."""
        vals_list, used = [], set()
        data = [cells for number, cells in rows if number > header]
        for index, title in enumerate(header_cells):
            if not cell_text(title):
                continue
            key = self._match_title(title)
            if key in used:
                key = False
            used.add(key)
            sample = next(
                (
                    cell_text(cells[index])
                    for cells in data
                    if index < len(cells) and cell_text(cells[index])
                ),
                "",
            )
            vals_list.append(
                {
                    "column_index": index,
                    "name": cell_text(title),
                    "sample": sample[:80],
                    "field_name": key or False,
                }
            )
        return vals_list

    def _get_mapping(self):
        """Return {column index: key} of the mapped columns, checked."""
        mapping, error = self._check_mapping()
        if error:
            raise UserError(error)
        return mapping

    def _check_mapping(self):
        """Return ({column index: key}, the mapping's problem or False)."""
        self.ensure_one()
        mapping, seen = {}, {}
        for line in self.column_ids.sorted("column_index"):
            if not line.field_name:
                continue
            if line.field_name in seen:
                return mapping, (
                    self.env._(
                        "Columns %(first)s and %(second)s are both imported as "
                        "%(target)s: choose one.",
                        first=seen[line.field_name],
                        second=line.name,
                        target=dict(self._get_column_choices())[line.field_name],
                    )
                )
            seen[line.field_name] = line.name
            mapping[line.column_index] = line.field_name
        labels = dict(self._get_column_choices())
        missing = [key for key in self._get_required_keys() if key not in seen]
        if missing:
            return mapping, self.env._(
                "No column was recognised for: %(columns)s. Choose it in the "
                "Columns tab, then run the dry run again. Columns found: "
                "%(found)s.",
                columns=", ".join(labels[key] for key in missing),
                found=", ".join(self.column_ids.mapped("name")) or "-",
            )
        return mapping, False

    def _get_rows(self):
        """The data rows under the header, as SheetRow, with the user's mapping."""
        self.ensure_one()
        mapping = self._get_mapping()
        sheets, datemode = self._read_sheets()
        rows = dict(sheets).get(self.sheet_name)
        if rows is None:
            raise UserError(self.env._("The sheet changed: analyse the file again."))
        titles = {line.field_name: line.name for line in self.column_ids}
        result = []
        for number, cells in rows:
            if number <= self.header_row:
                continue
            values = {
                key: cells[index] if index < len(cells) else None
                for index, key in mapping.items()
            }
            if not any(cell_text(cell) for cell in cells):
                continue
            if not cell_text(values.get("number")) and self._is_total_row(cells):
                break
            if not any(cell_text(value) for value in values.values()):
                # only ignored columns filled, like a running number
                continue
            result.append(SheetRow(number, values, titles, datemode))
        return result

    @api.model
    def _is_total_row(self, cells):
        return any(
            normalize_title(cell).startswith(TOTAL_WORDS)
            for cell in cells
            if isinstance(cell, str)
        )

    # ------------------------------------------------------------------
    # Cleaning, one cell at a time; RowProblem explains a refused cell
    # ------------------------------------------------------------------

    @api.model
    def _clean_number(self, value):
        try:
            number = canonical_number(value)
        except ValueError as error:
            raise RowProblem(self.env._("Not a connection number.")) from error
        if not number:
            raise RowProblem(self.env._("The connection number is missing."))
        return number

    @api.model
    def _clean_integer(self, value):
        try:
            return parse_integer(value)
        except ValueError as error:
            raise RowProblem(
                self.env._("Not a whole number of zero or more.")
            ) from error

    @api.model
    def _clean_date(self, value, datemode=0):
        try:
            return parse_date(value, datemode)
        except ValueError as error:
            raise RowProblem(
                self.env._(
                    "Not a date: write it as 25/03/2023, 2023-03-25 or Maret 2019."
                ),
                severity="warning",
            ) from error

    @api.model
    def _clean_text(self, value):
        return cell_text(value) or False

    @api.model
    def _create_batch(self, model_name, vals_list):
        """``create(vals_list)``, with the defaults computed once for the batch.

        The ORM computes the default values of each new record on its own; for
        thousands of partners that is half the time of an import. The values
        are the same for every row, so they are computed once and merged.
        """
        model = self.env[model_name]
        if not vals_list:
            return model
        given = set().union(*vals_list)
        missing = [name for name in model._fields if name not in given]
        defaults = model.default_get(missing) if missing else {}
        for name, value in defaults.items():
            field_type = model._fields[name].type
            if field_type == "many2many" and value and isinstance(value[0], int):
                defaults[name] = [Command.set(value)]
            elif field_type == "one2many" and value and isinstance(value[0], dict):
                defaults[name] = [Command.create(vals) for vals in value]
        return model.create([{**defaults, **vals} for vals in vals_list])

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_analyse(self):
        """Read the file, find its header, map the columns, then dry-run."""
        self.ensure_one()
        sheets, _datemode = self._read_sheets()
        sheet_name, header, cells, rows = self._find_header(sheets)
        vals_list = self._prepare_column_vals(header, cells, rows)
        self.write(
            {
                "sheet_name": sheet_name,
                "header_row": header,
                "column_ids": [Command.clear()]
                + [Command.create(vals) for vals in vals_list],
            }
        )
        self._after_analyse(sheet_name, rows[: max(header - 1, 0)])
        _mapping, error = self._check_mapping()
        if error:
            self.write({"state": "review", "mapping_error": error})
            return self._reopen()
        return self.action_dry_run()

    def _after_analyse(self, sheet_name, rows_above_header):
        """Hook: read what stands above the header (titles) once analysed."""

    def action_dry_run(self):
        self.ensure_one()
        self._execute(dry_run=True)
        self.write({"state": "review", "mapping_error": False})
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        result = self._execute(dry_run=False)
        self.state = "done"
        _logger.info(
            "%s of %s by %s: %s",
            self._description,
            self.filename,
            self.env.user.login,
            result.counts,
        )
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.state = "upload"
        return self._reopen()

    def _execute(self, dry_run):
        """Process the rows; a dry run does the same work, then rolls it back."""
        rows = self._get_rows()
        result = ImportResult()
        records = self.with_company(self.company_id).with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        if dry_run:
            with self.env.cr.savepoint() as savepoint:
                records._process(rows, result)
                # also empties the ORM cache of the records it undoes
                savepoint.rollback()
        else:
            records._process(rows, result)
        self._write_result(result)
        return result

    def _write_result(self, result):
        problems = sorted(result.problems, key=lambda p: p["row_number"])
        self.write(
            {
                "count_new": result.counts["new"],
                "count_updated": result.counts["updated"],
                "count_unchanged": result.counts["unchanged"],
                "count_skipped": result.counts["skipped"],
                "problem_ids": [Command.clear()]
                + [Command.create(vals) for vals in problems],
            }
        )
        self.write(self._prepare_report(problems))

    def _prepare_report(self, problems):
        """The problem rows as an .xlsx file, for the board to fix its sheet."""
        if not problems:
            return {"report_file": False, "report_filename": False}
        import xlsxwriter

        severities = dict(
            self.env[self._problem_model]
            ._fields["severity"]
            ._description_selection(self.env)
        )
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet(self.env._("Problems"))
        bold = book.add_format({"bold": True})
        headers = [
            self.env._("Row"),
            self.env._("Column"),
            self.env._("Value"),
            self.env._("Problem"),
            self.env._("Severity"),
        ]
        sheet.write_row(0, 0, headers, bold)
        for index, problem in enumerate(problems, start=1):
            sheet.write_row(
                index,
                0,
                [
                    problem["row_number"],
                    problem["column"],
                    problem["value"],
                    problem["reason"],
                    severities.get(problem["severity"], ""),
                ],
            )
        sheet.set_column(1, 2, 18)
        sheet.set_column(3, 3, 70)
        sheet.set_column(4, 4, 22)
        book.close()
        base = os.path.splitext(self.filename or "import")[0]
        return {
            "report_file": base64.b64encode(output.getvalue()),
            "report_filename": f"{base}-problems.xlsx",
        }

    def action_download_report(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/report_file/"
            f"{self.report_filename}?download=true",
            "target": "self",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env["ir.model"]._get(self._name).name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }
