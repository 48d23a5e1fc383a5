import base64
import io
from datetime import date
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.tirta_water.wizards import water_import_common

from .common import TirtaWaterCommon
from .test_import_common import (
    counts,
    make_csv,
    make_xls,
    make_xlsx,
    problems,
    run_analyse,
)

REGISTER = "water.import.register"
HEADER = [
    "No",
    "No Sambungan",
    "Nama Pelanggan",
    "Dusun",
    "RT",
    "RW",
    "No HP",
    "Golongan",
    "No Meter",
    "Tgl Pasang",
    "Stand Awal",
    "Keterangan",
]
TITLE = [["DAFTAR PELANGGAN AIR MINUM"], ["Dicetak: 30-08-2026"], []]
ROWS = [
    # row 5
    [1, " tm0001 ", "Sumarni", "Krajan", 4, 5, "08528505195", "Rumah Tangga",
     "MS618350", "25/03/2023", 9988, ""],
    # row 6: a date cell, a lost leading zero, the code itself as spelling
    [2, "TM 0002", "Sutrisno", "Krajan", "04", 3, "8123456789", "RT",
     "MS677312", date(2022, 12, 1), 4, ""],
    # row 7: two numbers, text index, Indonesian month
    [3, "TM-3", "Toko Rudi", "Gumuk Mas", 2, 1, "0812-1111-2222 / 0813-3333-4444",
     "niaga kecil", "ML861600", "Maret 2019", "02287", ""],
    # row 8: no meter, junk phone
    [4, "TM-0004", "Masjid Al-Ikhlas", "Krajan", 1, 1, "tidak ada", "Masjid/Sekolah",
     "", "2019-10-20", "", "tanpa meter (tarif tetap)"],
    # row 9: the same connection again
    [5, "TM-0001", "Sumarni", "Krajan", 4, 5, "08528505195", "R1",
     "MS618350", "25/03/2023", 9988, ""],
    # row 10: unknown tariff spelling
    [6, "TM-0006", "Pak Kades", "Krajan", 1, 1, "", "Kantor Desa",
     "MA000006", "", 10, ""],
    # row 11: a date nobody can read, kept without it
    [7, "TM-0007", "Bu Tini", "Krajan", 1, 1, "", "rumah tangga ",
     "MA000007", "belum tahu", 120, ""],
    # row 12: a numbered line left empty
    [8],
    [],
    [None, None, "JUMLAH PELANGGAN", 6],
    # below the total: signatures, not customers
    [None, "Mengetahui, Ketua KPSPAMS"],
]  # fmt: skip


def register_rows(rows=None):
    return TITLE + [HEADER] + (ROWS if rows is None else rows)


@tagged("post_install", "-at_install")
class TestImportRegister(TirtaWaterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spellings = {
            cls.tariff_rt: ["Rumah Tangga", "R1", "R.Tangga"],
            cls.tariff_sos: ["Sosial", "S", "sos", "Masjid/Sekolah"],
            cls.tariff_niaga: ["Niaga", "N", "Usaha", "niaga kecil"],
        }
        cls.env["water.tariff.alias"].create(
            [
                {"name": spelling, "tariff_id": tariff.id}
                for tariff, names in spellings.items()
                for spelling in names
            ]
        )

    def _connections(self):
        return self.env["water.connection"].search(
            [("company_id", "=", self.company.id)]
        )

    # ------------------------------------------------------------------
    # Dry run
    # ------------------------------------------------------------------

    def test_dry_run_counts_and_problems(self):
        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows()), "reg.xls")
        self.assertEqual(wizard.state, "review")
        self.assertEqual((wizard.sheet_name, wizard.header_row), ("Data", 4))
        self.assertEqual(counts(wizard), (5, 0, 0, 2))
        self.assertEqual(
            problems(wizard),
            [
                (8, "No HP", "tidak ada", "warning"),
                (9, "No Sambungan", "TM-0001", "error"),
                (10, "Golongan", "Kantor Desa", "error"),
                (11, "Tgl Pasang", "belum tahu", "warning"),
            ],
        )
        reasons = wizard.problem_ids.sorted("row_number").mapped("reason")
        self.assertIn("already on row 5", reasons[1])
        self.assertIn("Unknown tariff group spelling 'kantor desa'", reasons[2])
        # nothing was saved
        self.assertFalse(self._connections())
        self.assertFalse(
            self.env["water.meter"].search([("name", "in", ["MS618350", "MS677312"])])
        )

    def test_problem_report_download(self):
        import openpyxl

        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows()), "reg.xls")
        self.assertEqual(wizard.report_filename, "reg-problems.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.report_file)))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("Row", "Column", "Value", "Problem", "Severity"))
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[3][:3], (10, "Golongan", "Kantor Desa"))
        self.assertEqual(rows[3][4], "Error: row skipped")
        action = wizard.action_download_report()
        self.assertEqual(
            action["url"],
            f"/web/content/{REGISTER}/{wizard.id}/report_file/reg-problems.xlsx"
            "?download=true",
        )

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def test_import_creates_connections(self):
        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows()), "reg.xls")
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(counts(wizard), (5, 0, 0, 2))
        connections = self._connections()
        self.assertEqual(
            sorted(connections.mapped("name")),
            ["TM-0001", "TM-0002", "TM-0003", "TM-0004", "TM-0007"],
        )
        by_name = {c.name: c for c in connections}
        self.assertRecordValues(
            connections.sorted("name"),
            [
                {
                    "dusun": "Krajan",
                    "rt": "004",
                    "rw": "005",
                    "tariff_id": self.tariff_rt.id,
                    "billing_type": "metered",
                    "state": "active",
                    "date_start": date(2023, 3, 25),
                    "route_id": False,
                },
                {
                    "dusun": "Krajan",
                    "rt": "004",
                    "rw": "003",
                    "tariff_id": self.tariff_rt.id,
                    "billing_type": "metered",
                    "state": "active",
                    "date_start": date(2022, 12, 1),
                    "route_id": False,
                },
                {
                    "dusun": "Gumuk Mas",
                    "rt": "002",
                    "rw": "001",
                    "tariff_id": self.tariff_niaga.id,
                    "billing_type": "metered",
                    "state": "active",
                    "date_start": date(2019, 3, 1),
                    "route_id": False,
                },
                {
                    "dusun": "Krajan",
                    "rt": "001",
                    "rw": "001",
                    "tariff_id": self.tariff_sos.id,
                    "billing_type": "flat",
                    "state": "active",
                    "date_start": date(2019, 10, 20),
                    "route_id": False,
                },
                {
                    "dusun": "Krajan",
                    "rt": "001",
                    "rw": "001",
                    "tariff_id": self.tariff_rt.id,
                    "billing_type": "metered",
                    "state": "active",
                    "date_start": False,
                    "route_id": False,
                },
            ],
        )
        self.assertRecordValues(
            connections.sorted("name").partner_id,
            [
                {"name": "Sumarni", "phone": "+628528505195", "mobile": False},
                {"name": "Sutrisno", "phone": "+628123456789", "mobile": False},
                {
                    "name": "Toko Rudi",
                    "phone": "+6281211112222",
                    "mobile": "+6281333334444",
                },
                {"name": "Masjid Al-Ikhlas", "phone": False, "mobile": False},
                {"name": "Bu Tini", "phone": False, "mobile": False},
            ],
        )
        # the address the bill shows
        self.assertEqual(
            by_name["TM-0001"].partner_id.street, "Dusun Krajan, RT 004/RW 005"
        )
        self.assertFalse(by_name["TM-0004"].meter_ids)
        meters = (connections - by_name["TM-0004"]).sorted("name").meter_id
        self.assertRecordValues(
            meters,
            [
                # an opening index above 9,000 is read as a 4-digit dial
                {"name": "MS618350", "digits": 4, "initial_index": 9988},
                {"name": "MS677312", "digits": 5, "initial_index": 4},
                {"name": "ML861600", "digits": 5, "initial_index": 2287},
                {"name": "MA000007", "digits": 5, "initial_index": 120},
            ],
        )
        self.assertEqual(meters[0].date_install, date(2023, 3, 25))
        self.assertEqual(meters[0].connection_id, by_name["TM-0001"])
        self.assertEqual(set(meters.mapped("state")), {"installed"})

    def test_reimport_changes_nothing_then_updates(self):
        content = make_xls(register_rows())
        run_analyse(self.env, REGISTER, content, "reg.xls").action_import()
        partner = self._connections().filtered(lambda c: c.name == "TM-0002").partner_id

        again = run_analyse(self.env, REGISTER, content, "reg.xls")
        self.assertEqual(counts(again), (0, 0, 5, 2))
        again.action_import()
        self.assertEqual(counts(again), (0, 0, 5, 2))
        self.assertEqual(len(self._connections()), 5)

        rows = [list(row) for row in ROWS]
        rows[1][6] = "0857-1234-5678"
        rows[1][7] = "Niaga"
        rows[1][11] = "pindah usaha"
        changed = run_analyse(
            self.env, REGISTER, make_xls(register_rows(rows)), "r.xls"
        )
        self.assertEqual(counts(changed), (0, 1, 4, 2))
        changed.action_import()
        connection = self._connections().filtered(lambda c: c.name == "TM-0002")
        self.assertEqual(connection.partner_id, partner)
        self.assertEqual(partner.phone, "+6285712345678")
        self.assertEqual(connection.tariff_id, self.tariff_niaga)
        self.assertEqual(connection.note, "pindah usaha")

    def test_register_update_keeps_meter_with_readings(self):
        content = make_xls(register_rows())
        run_analyse(self.env, REGISTER, content, "reg.xls").action_import()
        connection = self._connections().filtered(lambda c: c.name == "TM-0002")
        self._read(connection, self.period_sep, 15)

        rows = [list(row) for row in ROWS]
        rows[1][10] = 7  # another opening index: the readings start from 4
        rows[2][8] = "ML999999"  # another serial: that is a meter replacement
        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows(rows)), "r.xls")
        self.assertEqual(counts(wizard), (0, 0, 5, 2))
        self.assertIn((7, "No Meter", "ML999999", "warning"), problems(wizard))
        wizard.action_import()
        self.assertEqual(connection.meter_id.initial_index, 4)
        tm3 = self._connections().filtered(lambda c: c.name == "TM-0003")
        self.assertEqual(tm3.meter_id.name, "ML861600")

    def test_digits_column_and_flat_rate(self):
        header = HEADER + ["Digit"]
        rows = [list(row) + [None] for row in ROWS[:3]]
        rows[0][12] = 5  # the register knows better than the 9,000 rule
        rows[1][12] = "6"
        rows[2][11] = "Tanpa Meter"  # a serial, but billed at a flat rate
        wizard = run_analyse(
            self.env, REGISTER, make_xls(TITLE + [header] + rows), "d.xls"
        )
        self.assertEqual(counts(wizard), (3, 0, 0, 0))
        wizard.action_import()
        by_name = {c.name: c for c in self._connections()}
        self.assertEqual(by_name["TM-0001"].meter_id.digits, 5)
        self.assertEqual(by_name["TM-0002"].meter_id.digits, 6)
        self.assertEqual(by_name["TM-0003"].billing_type, "flat")
        self.assertFalse(by_name["TM-0003"].meter_ids)

        rows[0][12] = 12
        rows[0][10] = "12.5"
        wizard = run_analyse(
            self.env, REGISTER, make_xls(TITLE + [header] + rows), "d.xls"
        )
        self.assertEqual(
            problems(wizard),
            [(5, "Stand Awal", "12.5", "error"), (5, "Digit", "12", "error")],
        )
        self.assertEqual(counts(wizard), (0, 0, 2, 1))

    def test_meter_of_another_connection(self):
        other = self._create_connection(name="TM-0100")
        rows = [list(ROWS[0])]
        rows[0][8] = other.meter_id.name
        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows(rows)), "r.xls")
        self.assertEqual(counts(wizard), (0, 0, 0, 1))
        self.assertEqual(
            problems(wizard), [(5, "No Meter", other.meter_id.name, "error")]
        )
        self.assertIn("already on connection TM-0100", wizard.problem_ids.reason)

    # ------------------------------------------------------------------
    # Tariff spellings and column mapping
    # ------------------------------------------------------------------

    def test_unknown_spelling_then_alias(self):
        wizard = run_analyse(self.env, REGISTER, make_xls(register_rows()), "reg.xls")
        self.assertEqual(counts(wizard), (5, 0, 0, 2))
        self.env["water.tariff.alias"].create(
            {"name": " KANTOR   Desa ", "tariff_id": self.tariff_sos.id}
        )
        wizard.action_dry_run()
        self.assertEqual(counts(wizard), (6, 0, 0, 1))
        self.assertFalse(wizard.problem_ids.filtered(lambda p: "spelling" in p.reason))
        wizard.action_import()
        tm6 = self._connections().filtered(lambda c: c.name == "TM-0006")
        self.assertEqual(tm6.tariff_id, self.tariff_sos)

    def test_alias_spelling_is_normalised_and_unique(self):
        alias = self.env["water.tariff.alias"].create(
            {"name": "  Rumah   TANGGA Kecil ", "tariff_id": self.tariff_rt.id}
        )
        self.assertEqual(alias.name, "rumah tangga kecil")
        mapping = self.env["water.tariff.alias"]._get_mapping(self.company)
        self.assertEqual(mapping["rumah tangga kecil"], self.tariff_rt)
        # codes and names of the tariff groups count without an alias
        self.assertEqual(mapping["niaga"], self.tariff_niaga)
        self.assertEqual(mapping["household"], self.tariff_rt)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["water.tariff.alias"].create(
                {"name": "RUMAH TANGGA KECIL", "tariff_id": self.tariff_sos.id}
            )

    def test_alias_access(self):
        reader = new_test_user(
            self.env,
            "reader1",
            groups="tirta_water.group_water_reader",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        alias = self.env["water.tariff.alias"].search([], limit=1)
        self.assertTrue(alias.with_user(reader).name)
        with self.assertRaises(AccessError):
            alias.with_user(reader).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env[REGISTER].with_user(reader).create({"filename": "a.xls"})

    def test_mapping_fix(self):
        header = list(HEADER)
        header[2] = "Pemilik Sambungan"
        rows = TITLE + [header] + ROWS[:2]
        wizard = run_analyse(self.env, REGISTER, make_xls(rows), "reg.xls")
        owner = wizard.column_ids.filtered(lambda c: c.name == "Pemilik Sambungan")
        self.assertFalse(owner.field_name)
        self.assertEqual(owner.sample, "Sumarni")
        # new connections need a customer name
        self.assertEqual(counts(wizard), (0, 0, 0, 2))
        owner.field_name = "partner_name"
        wizard.action_dry_run()
        self.assertEqual(counts(wizard), (2, 0, 0, 0))
        # one target for two columns is refused
        dusun = wizard.column_ids.filtered(lambda c: c.name == "Dusun")
        dusun.field_name = "partner_name"
        with self.assertRaisesRegex(UserError, "both imported as Customer name"):
            wizard.action_dry_run()
        dusun.field_name = False
        wizard.column_ids.filtered(lambda c: c.name == "Golongan").field_name = False
        with self.assertRaisesRegex(UserError, "Tariff group"):
            wizard.action_dry_run()

    def test_unrecognised_required_column_opens_the_mapping(self):
        """A title Tirta does not know leaves the clerk at the column mapping."""
        header = ["Kelompok" if title == "Golongan" else title for title in HEADER]
        wizard = run_analyse(
            self.env,
            REGISTER,
            make_xls(TITLE + [header] + ROWS),
            "reg.xls",
        )
        self.assertEqual(wizard.state, "review")
        self.assertIn(
            "No column was recognised for: Tariff group", wizard.mapping_error
        )
        self.assertIn("Kelompok", wizard.mapping_error)
        self.assertEqual(counts(wizard), (0, 0, 0, 0))
        with self.assertRaisesRegex(UserError, "Tariff group"):
            wizard.action_import()
        self.assertFalse(self._connections())

        wizard.column_ids.filtered(lambda c: c.name == "Kelompok").field_name = "tariff"
        wizard.action_dry_run()
        self.assertFalse(wizard.mapping_error)
        self.assertEqual(counts(wizard), (5, 0, 0, 2))

    def test_header_variants(self):
        header = [
            "NO.",
            "No. Pelanggan",
            "Nama",
            "DUSUN",
            "R.T.",
            "R.W.",
            "Telepon",
            "Gol",
            "No. Meter",
            "Tanggal Pasang",
            "Stand  Awal",
            "Ket.",
        ]
        wizard = run_analyse(self.env, REGISTER, make_xls([header] + ROWS[:1]), "a.xls")
        self.assertEqual(
            wizard.column_ids.sorted("column_index").mapped("field_name"),
            [
                False,
                "number",
                "partner_name",
                "dusun",
                "rt",
                "rw",
                "phone",
                "tariff",
                "meter_serial",
                "date_install",
                "initial_index",
                "note",
            ],
        )
        self.assertEqual(counts(wizard), (1, 0, 0, 0))

    # ------------------------------------------------------------------
    # Other formats
    # ------------------------------------------------------------------

    def test_xlsx_file(self):
        rows = [list(row) for row in ROWS[:3]]
        rows[0][9] = date(2023, 3, 25)
        wizard = run_analyse(
            self.env, REGISTER, make_xlsx(register_rows(rows)), "reg.xlsx"
        )
        self.assertEqual(wizard.header_row, 4)
        self.assertEqual(counts(wizard), (3, 0, 0, 0))
        wizard.action_import()
        tm1 = self._connections().filtered(lambda c: c.name == "TM-0001")
        self.assertEqual(tm1.date_start, date(2023, 3, 25))
        self.assertEqual(tm1.meter_id.initial_index, 9988)

    def test_csv_files(self):
        rows = [list(row) for row in ROWS[:2]]
        rows[0][2] = "Sumarni Hérawati"
        for delimiter, encoding in (
            (";", "cp1252"),
            (",", "utf-8-sig"),
            (",", "utf-8"),
        ):
            content = make_csv(register_rows(rows), delimiter, encoding)
            wizard = run_analyse(self.env, REGISTER, content, "reg.csv")
            self.assertEqual(counts(wizard), (2, 0, 0, 0), (delimiter, encoding))
            self.assertEqual(wizard.header_row, 4)
        wizard.action_import()
        tm1 = self._connections().filtered(lambda c: c.name == "TM-0001")
        self.assertEqual(tm1.partner_id.name, "Sumarni Hérawati")
        self.assertEqual(tm1.date_start, date(2023, 3, 25))

    # ------------------------------------------------------------------
    # Bad files
    # ------------------------------------------------------------------

    def _assert_refused(self, content, filename, message):
        wizard = self.env[REGISTER].create(
            {"file": base64.b64encode(content), "filename": filename}
        )
        with self.assertRaisesRegex(UserError, message):
            wizard.action_analyse()
        self.assertEqual(wizard.state, "upload")
        self.assertFalse(self._connections())

    def test_bad_files(self):
        xlsx = make_xlsx(register_rows())
        xls = make_xls(register_rows())
        self._assert_refused(b"", "reg.xls", "is empty")
        self._assert_refused(b"\x00\x01garbage" * 50, "reg.xls", "is damaged")
        self._assert_refused(xls[:600], "reg.xls", "is damaged")
        self._assert_refused(xlsx[:300], "reg.xlsx", "is damaged")
        self._assert_refused(xlsx, "reg.xls", "really a .xlsx workbook")
        self._assert_refused(xls, "reg.xlsx", "really a .xls workbook")
        self._assert_refused(xls, "reg.pdf", "really a .xls workbook")
        self._assert_refused(b"%PDF-1.4 ...", "reg.pdf", "not a spreadsheet")
        self._assert_refused(
            make_xls([["Nama", "Alamat"], ["Budi", "Krajan"]]), "reg.xls", "No header"
        )
        encrypted = (
            water_import_common.OLE_MAGIC
            + b"\x00" * 1000
            + "EncryptedPackage".encode("utf-16-le")
            + b"\x00" * 1000
        )
        self._assert_refused(encrypted, "reg.xlsx", "protected by a password")
        # an Excel 97 workbook with a password starts with a FILEPASS record;
        # turn its CODEPAGE record, as long, into one
        codepage = xls.find(b"\x42\x00\x02\x00")
        self.assertGreater(codepage, 0)
        locked = xls[:codepage] + b"\x2f\x00" + xls[codepage + 2 :]
        self._assert_refused(locked, "reg.xls", "protected by a password")
        self.assertEqual(water_import_common.MAX_FILE_SIZE, 20 * 1024 * 1024)
        with patch.object(water_import_common, "MAX_FILE_SIZE", 1000):
            self._assert_refused(xls, "reg.xls", "larger than 0 MB")
        wizard = self.env[REGISTER].create({})
        with self.assertRaisesRegex(UserError, "Choose the spreadsheet"):
            wizard.action_analyse()

    def test_import_as_water_manager(self):
        # the board's clerk: a water manager who may create contacts
        clerk = new_test_user(
            self.env,
            "clerk1",
            groups="tirta_water.group_water_manager,base.group_partner_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        wizard = run_analyse(
            self.env(user=clerk), REGISTER, make_xls(register_rows()), "reg.xls"
        )
        wizard.action_import()
        self.assertEqual(counts(wizard), (5, 0, 0, 2))
        self.assertEqual(len(self._connections()), 5)
