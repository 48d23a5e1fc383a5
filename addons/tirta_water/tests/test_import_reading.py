import base64
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import TirtaWaterCommon
from .test_import_common import counts, make_xls, make_xlsx, problems, run_analyse

READING = "water.import.reading"
TITLE = [["REKAP STAND METER BULAN SEPTEMBER 2026"], []]
HEADER = [
    "No",
    "No Sambungan",
    "Nama",
    "Stand Lalu",
    "Stand Kini",
    "Pemakaian (m3)",
    "Petugas",
    "Tgl Baca",
    "Keterangan",
]
ROWS = [
    # row 4: read; the sheet's consumption is wrong
    [1, " tm0001 ", "Sumarni", 100, 112, 11, "Imam", "02/09/2026", ""],
    # row 5: locked house
    [2, "TM-2", "Sutrisno", 200, "", "", "Sugeng", "02/09/2026", "rumah terkunci"],
    # row 6: broken meter
    [3, "TM 0003", "Rukmini", 300, "rusak", "", "Imam", "03/09/2026", "meter rusak"],
    # row 7: rollover of a four-digit dial
    [4, "TM-0004", "Rudi", 9977, 7, 30, "Imam", "03/09/2026", "meter kembali ke nol"],
    # row 8: lower than the previous index
    [5, "TM-0005", "Kholil", 500, 490, "", "Imam", "03/09/2026", ""],
    # row 9: the sheet's previous index is not Tirta's; read in October
    [6, "TM-0006", "Yusuf", 590, "0615", "", "Imam", "05/10/2026", ""],
    # row 10: zero consumption
    [7, "TM-0007", "Ahmad", 700, 700, 0, "Imam", "", ""],
    # row 11: does not fit on the four-digit dial
    [8, "TM-0008", "Siti", 800, 12345, "", "Imam", "04/09/2026", ""],
    # row 12: a flat-rate connection
    [9, "TM-0009", "Masjid", "", 15, "", "Imam", "04/09/2026", ""],
    # row 13: not in the register
    [10, "TM-9999", "Pelanggan baru", 0, 7, "", "", "", ""],
    # row 14: the same connection again
    [11, "TM-0001", "Sumarni", 100, 113, "", "Imam", "04/09/2026", ""],
    [],
    [None, None, "JUMLAH", None, None, 1234],
]  # fmt: skip


def reading_rows(rows=None, title=None):
    return (TITLE if title is None else title) + [HEADER] + (rows or ROWS)


@tagged("post_install", "-at_install")
class TestImportReading(TirtaWaterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.imam = new_test_user(
            cls.env,
            "imam",
            name="Imam Santoso",
            groups="tirta_water.group_water_reader",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def _village(self):
        """Connections TM-0001 to TM-0009 as the sheet expects them."""
        openings = {1: 100, 2: 200, 3: 300, 4: 9977, 5: 500, 6: 600, 7: 700, 8: 800}
        connections = {
            number: self._create_connection(
                name=f"TM-{number:04d}",
                opening=opening,
                digits=4 if number in (4, 8) else 5,
            )
            for number, opening in openings.items()
        }
        connections[9] = self._create_connection(name="TM-0009", billing_type="flat")
        return connections

    def _readings(self, period=None):
        return self.env["water.meter.reading"].search(
            [("period_id", "=", (period or self.period_sep).id)]
        )

    def test_dry_run_counts_and_problems(self):
        self._village()
        wizard = run_analyse(self.env, READING, make_xls(reading_rows()), "sep.xls")
        self.assertEqual(wizard.period_month, date(2026, 9, 1))
        self.assertEqual(wizard.period_id, self.period_sep)
        self.assertEqual(wizard.header_row, 3)
        self.assertEqual(counts(wizard), (7, 0, 0, 4))
        # zero on TM-0007 is not flagged: without history its usual use is unknown
        self.assertEqual(wizard.count_review, 3)
        self.assertEqual(
            problems(wizard),
            [
                (4, "Pemakaian (m3)", "11", "warning"),
                (5, "Stand Kini", "", "review"),
                (6, "Stand Kini", "rusak", "review"),
                (8, "Stand Kini", "490", "review"),
                (9, "Tgl Baca", "05/10/2026", "warning"),
                (9, "Stand Lalu", "590", "warning"),
                (11, "Stand Kini", "12345", "error"),
                (12, "No Sambungan", "TM-0009", "error"),
                (13, "No Sambungan", "TM-9999", "error"),
                (14, "No Sambungan", "TM-0001", "error"),
            ],
        )
        reasons = {(p.row_number, p.column): p.reason for p in wizard.problem_ids}
        self.assertIn("No reading", reasons[5, "Stand Kini"])
        self.assertIn("Meter broken", reasons[6, "Stand Kini"])
        self.assertIn("Lower than previous", reasons[8, "Stand Kini"])
        self.assertIn("differs from Tirta's 600", reasons[9, "Stand Lalu"])
        self.assertIn("4-digit dial", reasons[11, "Stand Kini"])
        self.assertIn("flat rate", reasons[12, "No Sambungan"])
        self.assertIn("not in the register", reasons[13, "No Sambungan"])
        # nothing was saved, and no connection was created for TM-9999
        self.assertFalse(self._readings())
        self.assertFalse(
            self.env["water.connection"].search([("name", "=", "TM-9999")])
        )

    def test_import_validates_and_flags(self):
        connections = self._village()
        wizard = run_analyse(self.env, READING, make_xls(reading_rows()), "sep.xls")
        wizard.action_import()
        self.assertEqual(counts(wizard), (7, 0, 0, 4))
        readings = self._readings().sorted(lambda r: r.connection_id.name)
        self.assertEqual(
            readings.connection_id,
            self.env["water.connection"].concat(*(connections[n] for n in range(1, 8))),
        )
        # a reader who is not a user keeps the name written on the sheet
        self.assertEqual(
            readings.mapped("reader_name"), [False, "Sugeng"] + [False] * 5
        )
        self.assertRecordValues(
            readings,
            [
                {
                    "status": "read",
                    "previous_index": 100,
                    "current_index": 112,
                    "consumption": 12,
                    "review_state": "none",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    "date": date(2026, 9, 2),
                    "note": False,
                },
                {
                    "status": "missing",
                    "previous_index": 200,
                    "current_index": 0,
                    "consumption": 0,
                    "review_state": "pending",
                    "state": "validated",
                    "reader_id": False,
                    "date": date(2026, 9, 2),
                    "note": "rumah terkunci",
                },
                {
                    "status": "broken",
                    "previous_index": 300,
                    "current_index": 0,
                    "consumption": 0,
                    "review_state": "pending",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    "date": date(2026, 9, 3),
                    "note": "meter rusak",
                },
                {
                    "status": "read",
                    "previous_index": 9977,
                    "current_index": 7,
                    "consumption": 30,
                    "review_state": "none",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    "date": date(2026, 9, 3),
                    "note": "meter kembali ke nol",
                },
                {
                    "status": "read",
                    "previous_index": 500,
                    "current_index": 490,
                    "consumption": 0,
                    "review_state": "pending",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    "date": date(2026, 9, 3),
                    "note": False,
                },
                {
                    "status": "read",
                    "previous_index": 600,
                    "current_index": 615,
                    "consumption": 15,
                    "review_state": "none",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    "date": date(2026, 10, 5),
                    "note": False,
                },
                {
                    "status": "read",
                    "previous_index": 700,
                    "current_index": 700,
                    "consumption": 0,
                    "review_state": "none",
                    "state": "validated",
                    "reader_id": self.imam.id,
                    # no date in the sheet: the end of the reading window
                    "date": date(2026, 9, 5),
                    "note": False,
                },
            ],
        )
        self.assertEqual(
            readings.mapped("anomaly"),
            [False, "missing", "broken", False, "lower", False, False],
        )

    def test_reimport_unchanged_then_update(self):
        self._village()
        content = make_xls(reading_rows())
        run_analyse(self.env, READING, content, "sep.xls").action_import()

        again = run_analyse(self.env, READING, content, "sep.xls")
        self.assertEqual(counts(again), (0, 0, 7, 4))
        self.assertEqual(again.count_review, 0)
        again.action_import()
        self.assertEqual(counts(again), (0, 0, 7, 4))
        self.assertEqual(len(self._readings()), 7)

        rows = [list(row) for row in ROWS]
        rows[1][4] = 215  # the house was open after all
        rows[1][8] = ""
        changed = run_analyse(self.env, READING, make_xls(reading_rows(rows)), "s.xls")
        self.assertEqual(counts(changed), (0, 1, 6, 4))
        changed.action_import()
        reading = self._readings().filtered(lambda r: r.connection_id.name == "TM-0002")
        self.assertRecordValues(
            reading,
            [
                {
                    "status": "read",
                    "current_index": 215,
                    "consumption": 15,
                    "review_state": "none",
                    "state": "validated",
                    "reader_name": "Sugeng",
                    "note": False,
                }
            ],
        )

    def test_prepared_readings_are_filled(self):
        connections = self._village()
        self.period_sep.action_prepare_readings()
        self.assertEqual(len(self._readings()), 8)
        self.assertEqual(set(self._readings().mapped("status")), {"todo"})
        wizard = run_analyse(self.env, READING, make_xls(reading_rows()), "sep.xls")
        wizard.action_import()
        self.assertEqual(counts(wizard), (0, 7, 0, 4))
        tm1 = self._readings().filtered(lambda r: r.connection_id == connections[1])
        self.assertEqual(
            (tm1.status, tm1.current_index, tm1.state), ("read", 112, "validated")
        )
        # TM-0008 could not be read from the sheet and stays to do
        tm8 = self._readings().filtered(lambda r: r.connection_id == connections[8])
        self.assertEqual((tm8.status, tm8.state), ("todo", "draft"))

    def test_billed_reading_is_not_changed(self):
        connection = self._create_connection(name="TM-0001", opening=100)
        rows = [ROWS[0]]
        content = make_xls(reading_rows(rows))
        run_analyse(self.env, READING, content, "sep.xls").action_import()
        invoice = self._bill(self.period_sep)
        self.assertEqual(invoice.water_connection_id, connection)
        # 12 m³: 10 x 1,500 + 2 x 2,000 + 5,000 fixed + 2,000 fee
        self.assertEqual(invoice.amount_total, 26000)

        self.assertEqual(
            counts(run_analyse(self.env, READING, content, "sep.xls")), (0, 0, 1, 0)
        )
        rows = [list(ROWS[0])]
        rows[0][4] = 120
        wizard = run_analyse(self.env, READING, make_xls(reading_rows(rows)), "s.xls")
        self.assertEqual(counts(wizard), (0, 0, 0, 1))
        self.assertEqual(problems(wizard)[-1], (4, "Stand Kini", "120", "error"))
        self.assertIn("already billed", wizard.problem_ids[-1].reason)
        wizard.action_import()
        self.assertEqual(invoice.water_reading_id.current_index, 112)

    def test_previous_index_follows_last_month(self):
        self._create_connection(name="TM-0001", opening=100)
        run_analyse(
            self.env, READING, make_xls(reading_rows([ROWS[0]])), "sep.xls"
        ).action_import()
        october = [[1, "TM-0001", "Sumarni", 112, 125, 13, "Imam", "01/10/2026", ""]]
        wizard = run_analyse(
            self.env,
            READING,
            make_xlsx(reading_rows(october, title=[["Stand Oktober 2026"]])),
            "okt.xlsx",
        )
        self.assertEqual(wizard.period_id, self.period_oct)
        self.assertEqual(counts(wizard), (1, 0, 0, 0))
        self.assertFalse(wizard.problem_ids)
        wizard.action_import()
        reading = self._readings(self.period_oct)
        self.assertEqual(
            (reading.previous_index, reading.current_index, reading.consumption),
            (112, 125, 13),
        )

    def test_period_from_file_name_and_created(self):
        self._create_connection(name="TM-0001", opening=100)
        rows = [[1, "TM-0001", "Sumarni", 100, 112, 12, "Imam", "02/01/2027", ""]]
        content = make_xls(reading_rows(rows, title=[]), sheet="Sheet1")
        wizard = run_analyse(self.env, READING, content, "stand_meter_2027_01.xls")
        self.assertEqual(wizard.period_month, date(2027, 1, 1))
        self.assertFalse(wizard.period_id)
        self.assertEqual(counts(wizard), (1, 0, 0, 0))
        # the dry run left no period behind
        periods = self.env["water.billing.period"]
        self.assertFalse(periods.search([("date_start", "=", date(2027, 1, 1))]))
        wizard.action_import()
        period = periods.search([("date_start", "=", date(2027, 1, 1))])
        self.assertEqual(len(period), 1)
        self.assertEqual(len(self._readings(period)), 1)

    def test_period_needed_and_open(self):
        self._create_connection(name="TM-0001", opening=100)
        content = make_xls(reading_rows([ROWS[0]], title=[]), sheet="Sheet1")
        wizard = self.env[READING].create(
            {"file": base64.b64encode(content), "filename": "a.xls"}
        )
        with self.assertRaisesRegex(UserError, "Choose the month"):
            wizard.action_analyse()
        self.period_sep.state = "closed"
        wizard.period_month = date(2026, 9, 14)
        with self.assertRaisesRegex(UserError, "is closed"):
            wizard.action_analyse()
        self.assertFalse(self._readings())
