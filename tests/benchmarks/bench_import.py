"""How fast the spreadsheet imports go on a large board.

Builds a register of N connections and its month of readings as Excel 97
files (xlwt), imports them through the register and reading wizards (dry run,
then import) and, for comparison, creates the same records one by one with
plain create() calls. Everything runs in one transaction that is rolled back:
the database is left as it was.

Run it with the Python that runs Odoo, on a database where tirta_water is
installed:

    python tests/benchmarks/bench_import.py -d DB \\
        --addons-path /opt/odoo-src/addons,addons [--rows 5000]
"""

import argparse
import base64
import io
import random
import sys
import time
from contextlib import contextmanager
from datetime import date

PREFIX = "BX"
MONTH = date(2031, 1, 1)
TARIFF_SPELLING = "Rumah Tangga Bench"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def make_xls(header, rows, title):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    sheet.write(0, 0, title)
    for col, value in enumerate(header):
        sheet.write(2, col, value)
    for row_index, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(row_index, col, value)
    sheet.write(len(rows) + 4, 2, "JUMLAH PELANGGAN")
    sheet.write(len(rows) + 4, 3, len(rows))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def build_sheets(count, seed):
    """(register rows, register file, reading file) of ``count`` connections."""
    rnd = random.Random(seed)
    register, readings = [], []
    for number in range(1, count + 1):
        opening = rnd.randint(0, 8000)
        code = f"{PREFIX}-{number:04d}"
        register.append(
            [
                number,
                code if number % 3 else f" {PREFIX.lower()}{number:04d} ",
                f"Customer {number}",
                f"Dusun {number % 7}",
                number % 9 + 1,
                number % 4 + 1,
                f"08{rnd.randint(10**9, 10**10 - 1)}",
                TARIFF_SPELLING,
                f"BM{number:07d}",
                "25/03/2023",
                opening,
                "",
            ]
        )
        use = rnd.randint(3, 40)
        current, note = opening + use, ""
        if number % 97 == 0:
            current, note = "", "rumah terkunci"
        elif number % 211 == 0:
            current = max(opening - 5, 0)
        readings.append(
            [
                number,
                code,
                f"Customer {number}",
                opening,
                current,
                "",
                "",
                "03/01/2031",
                note,
            ]
        )
    register_file = make_xls(
        [
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
        ],
        register,
        "DAFTAR PELANGGAN",
    )
    reading_file = make_xls(
        [
            "No",
            "No Sambungan",
            "Nama",
            "Stand Lalu",
            "Stand Kini",
            "Pemakaian",
            "Petugas",
            "Tgl Baca",
            "Keterangan",
        ],
        readings,
        "REKAP STAND METER JANUARI 2031",
    )
    return register, register_file, reading_file


@contextmanager
def timer(results, name, rows):
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    results.append((name, rows, seconds))


def baseline_connections(env, register, tariff):
    """The plain way: one create() per partner, connection and meter."""
    for row in register:
        partner = env["res.partner"].create({"name": row[2], "phone": row[6]})
        connection = env["water.connection"].create(
            {
                "name": f"{PREFIX}-{row[0]:04d}",
                "partner_id": partner.id,
                "tariff_id": tariff.id,
                "dusun": row[3],
                "rt": str(row[4]),
                "rw": str(row[5]),
                "state": "active",
                "date_start": date(2023, 3, 25),
            }
        )
        env["water.meter"].create(
            {
                "name": row[8],
                "connection_id": connection.id,
                "initial_index": row[10],
                "date_install": date(2023, 3, 25),
            }
        )


def baseline_readings(env, register, period):
    """The plain way: one create() and validation per reading."""
    connections = {
        c.name: c
        for c in env["water.connection"].search([("name", "=like", f"{PREFIX}-%")])
    }
    for row in register:
        reading = env["water.meter.reading"].create(
            {
                "connection_id": connections[f"{PREFIX}-{row[0]:04d}"].id,
                "period_id": period.id,
                "current_index": row[10] + 10,
            }
        )
        reading.action_validate()


def run(env, rows, seed):
    from odoo import Command

    register, register_file, reading_file = build_sheets(rows, seed)
    env = env(context=dict(env.context, tracking_disable=True))
    tariff = env["water.tariff"].create(
        {
            "name": "Bench household",
            "code": "BENCH",
            "version_ids": [
                Command.create(
                    {
                        "date_start": date(2020, 1, 1),
                        "admin_fee": 2000,
                        "block_ids": [Command.create({"price": 1500})],
                    }
                )
            ],
        }
    )
    env["water.tariff.alias"].create({"name": TARIFF_SPELLING, "tariff_id": tariff.id})
    results = []

    with env.cr.savepoint(flush=True) as savepoint:
        with timer(results, "baseline: create() per connection", rows):
            baseline_connections(env, register, tariff)
            env.flush_all()
        savepoint.rollback()
    env.invalidate_all()

    wizard = env["water.import.register"].create(
        {"file": base64.b64encode(register_file), "filename": "register.xls"}
    )
    with timer(results, "register: analyse + dry run", rows):
        wizard.action_analyse()
    with timer(results, "register: import", rows):
        wizard.action_import()
        env.flush_all()
    assert wizard.count_new == rows, wizard.count_new

    period = env["water.billing.period"]._get_or_create(MONTH)
    with env.cr.savepoint(flush=True) as savepoint:
        with timer(results, "baseline: create() + validate per reading", rows):
            baseline_readings(env, register, period)
            env.flush_all()
        savepoint.rollback()
    env.invalidate_all()

    wizard = env["water.import.reading"].create(
        {"file": base64.b64encode(reading_file), "filename": "readings.xls"}
    )
    with timer(results, "readings: analyse + dry run", rows):
        wizard.action_analyse()
    with timer(results, "readings: import", rows):
        wizard.action_import()
        env.flush_all()
    assert wizard.count_new == rows, wizard.count_new
    return results, wizard.count_review


def report(results, review):
    rates = {name: rows / seconds for name, rows, seconds in results}
    print(f"{'step':45} {'rows':>6} {'seconds':>8} {'rows/s':>8}")
    for name, rows, seconds in results:
        print(f"{name:45} {rows:6d} {seconds:8.2f} {rates[name]:8.0f}")
    for step, baseline in (
        ("register: import", "baseline: create() per connection"),
        ("readings: import", "baseline: create() + validate per reading"),
    ):
        ratio = rates[step] / rates[baseline]
        print(f"{step} is {ratio:.1f} times as fast as the baseline")
    print(f"readings flagged for review: {review}")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.tools import config

    config.parse_config(
        [
            "-d",
            args.database,
            "--addons-path",
            args.addons_path,
            "--log-level",
            "warn",
        ]
    )
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        try:
            results, review = run(env, args.rows, args.seed)
        finally:
            cr.rollback()
    report(results, review)


if __name__ == "__main__":
    main()
