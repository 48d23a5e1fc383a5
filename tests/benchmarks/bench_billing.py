"""Benchmark of the billing run against a naive one-bill-at-a-time loop.

Creates, in a throw-away company of an existing database, two equal sets of N
metered connections with a validated reading each, then bills the first set
with ``water.billing.period._run_billing()`` and the second set with a loop
that creates and posts one invoice at a time (same invoice values, same
context). Prints invoices per second of both and their ratio. Everything
happens in one transaction that is rolled back at the end: the database is
left as it was.

    /opt/odoo-venv/bin/python tests/benchmarks/bench_billing.py -d DB \\
        --addons-path /opt/odoo-src/addons,addons [-n 2000] [--profile]

The database needs ``tirta_water`` installed (with ``l10n_id`` available).
"""

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from contextlib import contextmanager
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api

PERIOD = date(2026, 1, 1)
# One open block, a fixed charge and the fee: three invoice lines per bill.
BLOCK_PRICE = 2000
FIXED_CHARGE = 5000
ADMIN_FEE = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument(
        "-n", "--count", type=int, default=2000, help="bills per method (2000)"
    )
    parser.add_argument(
        "--warmup", type=int, default=10, help="bills posted before timing (10)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile both methods with cProfile, print the top functions and "
        "write bench_billing_<method>.prof in the current directory",
    )
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def start_odoo(args):
    odoo.tools.config.parse_config(
        [
            "-d",
            args.database,
            "--addons-path",
            args.addons_path,
            "--log-level",
            "warn",
            "--no-http",
        ]
    )
    return odoo.modules.registry.Registry(args.database)


def setup_company(env):
    """A fresh Indonesian company, so that the run sees only our connections."""
    company = env["res.company"].create(
        {
            "name": "Tirta benchmark",
            "country_id": env.ref("base.id").id,
            "currency_id": env.ref("base.IDR").id,
        }
    )
    env["account.chart.template"].try_loading("id", company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    tariff = env["water.tariff"].create(
        {
            "name": "Benchmark",
            "code": "BENCH",
            "company_id": company.id,
            "version_ids": [
                Command.create(
                    {
                        "date_start": date(2000, 1, 1),
                        "fixed_charge": FIXED_CHARGE,
                        "admin_fee": ADMIN_FEE,
                        "block_ids": [Command.create({"price": BLOCK_PRICE})],
                    }
                )
            ],
        }
    )
    period = env["water.billing.period"]._get_or_create(PERIOD, company)
    return env, tariff, period


def create_readings(env, tariff, period, count, prefix, state, rng):
    """``count`` connections with a meter and a validated reading each."""
    partners = env["res.partner"].create(
        [{"name": f"Customer {prefix}{n:05d}"} for n in range(count)]
    )
    connections = env["water.connection"].create(
        [
            {
                "name": f"{prefix}{n:05d}",
                "partner_id": partner.id,
                "tariff_id": tariff.id,
                "state": state,
            }
            for n, partner in enumerate(partners)
        ]
    )
    env["water.meter"].create(
        [
            {
                "name": f"M-{connection.name}",
                "connection_id": connection.id,
                "initial_index": rng.randint(0, 5000),
            }
            for connection in connections
        ]
    )
    readings = (
        env["water.meter.reading"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "connection_id": connection.id,
                    "period_id": period.id,
                    "date": PERIOD.replace(day=3),
                    "current_index": connection.meter_id.initial_index
                    + rng.randint(1, 30),
                }
                for connection in connections
            ]
        )
    )
    readings.action_validate()
    flagged = readings.filtered(lambda r: r.review_state == "pending")
    if flagged:
        raise RuntimeError(f"{len(flagged)} benchmark readings were flagged")
    env.flush_all()
    return readings


def naive_billing(period, readings):
    """One invoice at a time: prepare, create, post."""
    moves = period.env["account.move"].with_context(tracking_disable=True)
    for reading in readings:
        reading._compute_estimate_credit()
        vals = period._prepare_invoice_vals(reading.connection_id, reading)
        moves.create(vals).action_post()


@contextmanager
def measure(env, label, results, count, profile):
    cr = env.cr
    queries = cr.sql_log_count
    profiler = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    yield
    env.flush_all()
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - start
    results[label] = {
        "seconds": elapsed,
        "rate": count / elapsed,
        "queries": cr.sql_log_count - queries,
    }
    if profiler:
        profiler.dump_stats(f"bench_billing_{label.replace(' ', '_')}.prof")
        for sort in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(25)
            print(f"\n===== {label}: top 25 by {sort} =====")
            print(out.getvalue())


def main():
    args = parse_args()
    registry = start_odoo(args)
    rng = random.Random(args.seed)
    count = args.count
    results = {}
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if "water.billing.period" not in env:
                sys.exit(f"tirta_water is not installed in {args.database}")
            print(f"Setting up 2 × {count} connections in database {args.database}...")
            setup_start = time.perf_counter()
            env, tariff, period = setup_company(env)
            batch = create_readings(env, tariff, period, count, "RUN-", "active", rng)
            # Draft connections are ignored by the billing run.
            naive = create_readings(env, tariff, period, count, "LOOP-", "draft", rng)
            warmup = create_readings(
                env, tariff, period, args.warmup, "WARM-", "draft", rng
            )
            naive_billing(period, warmup)
            env.flush_all()
            print(f"Setup done in {time.perf_counter() - setup_start:.1f} s.")

            with measure(env, "billing run", results, count, args.profile):
                result = period._run_billing()
            assert result["invoices"].water_reading_id == batch, result
            assert result["skipped"] == 0, result

            with measure(env, "naive loop", results, count, args.profile):
                naive_billing(period, naive)
            billed = naive.filtered(lambda r: r.state == "billed")
            assert len(billed) == count, len(billed)

            invoices = result["invoices"]
            lines = ", ".join(sorted({str(len(m.invoice_line_ids)) for m in invoices}))
            amount = sum(result["invoices"].mapped("amount_total"))
            amount_naive = sum(naive.invoice_id.mapped("amount_total"))
        finally:
            cr.rollback()

    run, loop = results["billing run"], results["naive loop"]
    print()
    print(f"Billing benchmark, {count} bills per method ({lines} lines each)")
    print(f"{'method':<14}{'seconds':>10}{'bills/s':>10}{'queries/bill':>14}")
    for label, figures in results.items():
        print(
            f"{label:<14}{figures['seconds']:>10.2f}{figures['rate']:>10.1f}"
            f"{figures['queries'] / count:>14.1f}"
        )
    print(f"ratio run / naive: {run['rate'] / loop['rate']:.2f}×")
    print(f"amount billed: run {amount:,.0f}, naive {amount_naive:,.0f} (IDR)")
    print("(all changes rolled back)")


if __name__ == "__main__":
    main()
