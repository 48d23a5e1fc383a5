"""Cleaning rules of the spreadsheet imports, and the builders of the small
spreadsheets the import tests feed to the wizards."""

import base64
import csv
import io
from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from odoo.addons.tirta_water.wizards.water_import_common import (
    canonical_number,
    month_in_text,
    normalize_title,
    parse_date,
    parse_integer,
    split_phones,
)


def make_xls(rows, sheet="Data"):
    """An Excel 97 workbook (xlwt) with ``rows``; dates become date cells."""
    import xlwt

    book = xlwt.Workbook()
    worksheet = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for row_index, row in enumerate(rows):
        for col_index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                worksheet.write(row_index, col_index, value, date_style)
            else:
                worksheet.write(row_index, col_index, value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def make_xlsx(rows, sheet="Data"):
    """An .xlsx workbook (openpyxl) with ``rows``."""
    import openpyxl

    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def make_csv(rows, delimiter=",", encoding="utf-8"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return output.getvalue().encode(encoding)


def run_analyse(env, model, content, filename, **vals):
    """Upload ``content`` to a new import wizard and analyse it (dry run)."""
    wizard = env[model].create(
        {"file": base64.b64encode(content), "filename": filename, **vals}
    )
    wizard.action_analyse()
    return wizard


def counts(wizard):
    return (
        wizard.count_new,
        wizard.count_updated,
        wizard.count_unchanged,
        wizard.count_skipped,
    )


def problems(wizard):
    """(row, column, value, severity) of the problem lines, in row order."""
    return [
        (p.row_number, p.column, p.value, p.severity)
        for p in wizard.problem_ids.sorted(lambda p: (p.row_number, p.id))
    ]


@tagged("post_install", "-at_install")
class TestImportCleaning(BaseCase):
    def test_connection_numbers(self):
        for raw in ("TM-0005", " tm0005 ", "TM 0005", "TM-5", "tm-05", "TM.0005"):
            self.assertEqual(canonical_number(raw), "TM-0005", raw)
        self.assertEqual(canonical_number("TM-0001"), "TM-0001")
        self.assertEqual(canonical_number("tm12345"), "TM-12345")
        self.assertEqual(canonical_number(5.0), "0005")
        self.assertIsNone(canonical_number("  "))
        self.assertIsNone(canonical_number(None))
        for junk in ("JUMLAH", "TM-12A", "12-34"):
            with self.assertRaises(ValueError):
                canonical_number(junk)

    def test_phone_numbers(self):
        cases = {
            "08528505195": ["+628528505195"],
            "+62 8159207498": ["+628159207498"],
            "0811-8665-646": ["+628118665646"],
            "628293893225": ["+628293893225"],
            "8123456789": ["+628123456789"],
            8123456789.0: ["+628123456789"],
            "(0331) 412345": ["+62331412345"],
            "0812 1111 2222 / 0813-3333-4444": ["+6281211112222", "+6281333334444"],
            "08509067165 / 08509067165": ["+628509067165"],
        }
        for raw, expected in cases.items():
            self.assertEqual(split_phones(raw), (expected, []), raw)
        self.assertEqual(split_phones(""), ([], []))
        self.assertEqual(split_phones(None), ([], []))
        self.assertEqual(split_phones("tidak ada"), ([], ["tidak ada"]))
        self.assertEqual(split_phones("0812"), ([], ["0812"]))
        self.assertEqual(split_phones("+1 555 123 4567"), ([], ["+1 555 123 4567"]))
        self.assertEqual(
            split_phones("0812-1111-2222 / hp istri"),
            (["+6281211112222"], ["hp istri"]),
        )

    def test_integers(self):
        self.assertEqual(parse_integer("01634"), 1634)
        self.assertEqual(parse_integer(9988.0), 9988)
        self.assertEqual(parse_integer(" 00043 "), 43)
        self.assertEqual(parse_integer("1.234"), 1234)
        self.assertEqual(parse_integer("12,0"), 12)
        self.assertEqual(parse_integer(0), 0)
        self.assertIsNone(parse_integer(""))
        self.assertIsNone(parse_integer(None))
        for junk in ("rusak", "12.5", 12.5, -3, "-3", True):
            with self.assertRaises(ValueError):
                parse_integer(junk)

    def test_dates(self):
        self.assertEqual(parse_date(44896.0), date(2022, 12, 1))
        # the 1904 date system of old Mac workbooks
        self.assertEqual(parse_date(43434.0, datemode=1), date(2022, 12, 1))
        self.assertEqual(parse_date(datetime(2022, 12, 1, 8, 30)), date(2022, 12, 1))
        self.assertEqual(parse_date("25/03/2023"), date(2023, 3, 25))
        self.assertEqual(parse_date("25-03-2023"), date(2023, 3, 25))
        self.assertEqual(parse_date("2023-03-25"), date(2023, 3, 25))
        self.assertEqual(parse_date("Maret 2019"), date(2019, 3, 1))
        self.assertEqual(parse_date("agustus 2020"), date(2020, 8, 1))
        self.assertEqual(parse_date("17 Agustus 1995"), date(1995, 8, 17))
        self.assertEqual(parse_date("Mei 2016"), date(2016, 5, 1))
        self.assertIsNone(parse_date(""))
        for junk in ("belum tahu", "31/02/2023", "Maretan 2019", "25/03/1850", 3.5e7):
            with self.assertRaises(ValueError):
                parse_date(junk)

    def test_titles(self):
        self.assertEqual(normalize_title(" No. Sambungan "), "no sambungan")
        self.assertEqual(normalize_title("NO_HP"), "no hp")
        self.assertEqual(normalize_title("Pemakaian (m³)"), "pemakaian m3")
        self.assertEqual(normalize_title(None), "")

    def test_month_of_a_sheet(self):
        self.assertEqual(
            month_in_text("REKAP STAND METER BULAN SEPTEMBER 2026"), date(2026, 9, 1)
        )
        self.assertEqual(month_in_text("Oktober 2026"), date(2026, 10, 1))
        self.assertEqual(month_in_text("stand_meter_2026_11.xls"), date(2026, 11, 1))
        self.assertIsNone(month_in_text("Data Pelanggan"))
