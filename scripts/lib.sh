# shellcheck shell=bash
# Shared by scripts/test and scripts/demo (sourced, not run): find Odoo 18 and
# PostgreSQL, list our addons, and build a database for an Indonesian company.
#
# Environment read here:
#   ODOO_PYTHON        the Python that imports Odoo 18 (default: the interpreter
#                      named in the shebang of `odoo` on PATH)
#   TIRTA_ADDONS_DIR   folder holding our addons (default: <repo>/addons)
#   HOST PORT USER PASSWORD   database server, as the official odoo image
#                      reads them (used when HOST is set)
#   PGHOST PGPORT PGUSER PGPASSWORD   database server otherwise
#   ODOO_RC            an Odoo config file; its db_* options fill what the
#                      variables above leave unset

TIRTA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TIRTA_ME=${TIRTA_ME:-tirta}
TIRTA_ADDONS_DIR=${TIRTA_ADDONS_DIR:-$TIRTA_ROOT/addons}

tirta_say() { printf '%s: %s\n' "$TIRTA_ME" "$*"; }
tirta_die() {
    printf '%s: %s\n' "$TIRTA_ME" "$*" >&2
    exit 1
}

# Sets PY to the Python interpreter that runs Odoo 18, or stops with one line.
tirta_find_python() {
    local launcher first
    local -a words=()
    PY=${ODOO_PYTHON:-}
    if [ -z "$PY" ] && launcher=$(command -v odoo 2>/dev/null); then
        IFS= read -r first <"$launcher" || true
        if [[ $first == '#!'* ]]; then
            read -r -a words <<<"${first#\#!}"
            if [[ ${words[0]:-} == */env ]]; then
                # "#!/usr/bin/env [-S] python3"
                PY=${words[1]:-}
                [[ $PY == -* ]] && PY=${words[2]:-}
            else
                PY=${words[0]:-}
            fi
        fi
    fi
    local major=""
    if [ -n "$PY" ]; then
        major=$("$PY" -c 'import odoo.release; print(odoo.release.version_info[0])' \
            2>/dev/null </dev/null) || major=""
    fi
    if [ "$major" != 18 ]; then
        tirta_die "Odoo 18 not found: set ODOO_PYTHON or put odoo on PATH"
    fi
}

# Sets DB_HOST DB_PORT DB_USER DB_PASSWORD (each possibly empty: libpq default).
tirta_db_params() {
    local rc_host="" rc_port="" rc_user="" rc_password=""
    if [ -n "${ODOO_RC:-}" ] && [ -r "$ODOO_RC" ]; then
        # One value per line, in this order; "False" means unset in Odoo configs.
        {
            IFS= read -r rc_host
            IFS= read -r rc_port
            IFS= read -r rc_user
            IFS= read -r rc_password
        } < <("$PY" - "$ODOO_RC" <<'EOF'
import configparser, sys
p = configparser.RawConfigParser()
p.read(sys.argv[1])
for key in ("db_host", "db_port", "db_user", "db_password"):
    value = p.get("options", key, fallback="") if p.has_section("options") else ""
    print("" if value in ("False", "None") else value)
EOF
        )
    fi
    if [ -n "${HOST:-}" ]; then
        DB_HOST=$HOST
        DB_PORT=${PORT:-${PGPORT:-$rc_port}}
        DB_USER=${USER:-${PGUSER:-$rc_user}}
        DB_PASSWORD=${PASSWORD:-${PGPASSWORD:-$rc_password}}
    else
        DB_HOST=${PGHOST:-$rc_host}
        DB_PORT=${PGPORT:-$rc_port}
        DB_USER=${PGUSER:-$rc_user}
        DB_PASSWORD=${PGPASSWORD:-$rc_password}
    fi
}

# Runs Python code from stdin with a psycopg2 connection `conn` (autocommit) to
# the database TIRTA_PG_DB (default "postgres"). Arguments land in sys.argv[1:].
tirta_pg_py() {
    local code
    code=$(cat)
    TIRTA_DB_HOST=$DB_HOST TIRTA_DB_PORT=$DB_PORT TIRTA_DB_USER=$DB_USER \
        TIRTA_DB_PASSWORD=$DB_PASSWORD "$PY" -c "
import os, sys
import psycopg2
params = {'dbname': os.environ.get('TIRTA_PG_DB') or 'postgres'}
for key in ('host', 'port', 'user', 'password'):
    value = os.environ['TIRTA_DB_' + key.upper()]
    if value:
        params[key] = value
try:
    conn = psycopg2.connect(**params)
except psycopg2.Error as e:
    sys.exit(' '.join(str(e).split()[:40]) or type(e).__name__)
conn.autocommit = True
$code
" "$@" </dev/null
}

# Stops with one line unless PostgreSQL answers within TIRTA_DB_WAIT seconds.
tirta_check_pg() {
    local waited=0 limit=${TIRTA_DB_WAIT:-10} err=""
    while :; do
        err=$(tirta_pg_py 2>&1 <<<'conn.close()') && return 0
        [ "$waited" -ge "$limit" ] && break
        sleep 1
        waited=$((waited + 1))
    done
    err=$(printf '%s\n' "$err" | grep -v '^\s*$' | tail -n 1)
    err=${err#FATAL:  }
    tirta_die "PostgreSQL unreachable at ${DB_HOST:-local socket}${DB_PORT:+:$DB_PORT}" \
        "as ${DB_USER:-default user}: ${err:-no answer}"
}

tirta_db_exists() {
    tirta_pg_py "$1" <<'EOF'
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cur.fetchone() else 1)
EOF
}

tirta_db_drop() {
    tirta_pg_py "$1" <<'EOF'
from psycopg2 import sql
conn.cursor().execute(
    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(sys.argv[1]))
)
EOF
}

# Prints the chart of accounts of database $1's main company ("none" if it has
# none), or nothing when `account` is not installed there.
tirta_chart_template() {
    TIRTA_PG_DB=$1 tirta_pg_py <<'EOF'
cur = conn.cursor()
cur.execute(
    "SELECT 1 FROM information_schema.columns"
    " WHERE table_name = 'res_company' AND column_name = 'chart_template'"
)
if cur.fetchone():
    cur.execute("SELECT chart_template FROM res_company ORDER BY id LIMIT 1")
    print(cur.fetchone()[0] or "none")
EOF
}

# Prints the installable addons in TIRTA_ADDONS_DIR, comma-separated.
tirta_modules() {
    "$PY" - "$TIRTA_ADDONS_DIR" <<'EOF'
import ast, pathlib, sys
names = []
for manifest in sorted(pathlib.Path(sys.argv[1]).glob("*/__manifest__.py")):
    if (manifest.parent / "__init__.py").is_file() and ast.literal_eval(
        manifest.read_text()
    ).get("installable", True):
        names.append(manifest.parent.name)
print(",".join(names))
EOF
}

# Core addons installed beside ours in the test database only: the demo
# payment provider that the e-billing tests pay with (the demo village has it
# too, enabled in test mode, so that a visitor can pay a bill end to end).
# shellcheck disable=SC2034  # read by scripts/test
TIRTA_TEST_EXTRA_MODULES=payment_demo

# tirta_pip_install PIP_ARGS...: pip install into $PY, as the current user
# can: into a venv or a writable site-packages, else into ~/.local (the docker
# image's odoo user); past Debian's "externally managed" guard.
tirta_pip_install() {
    local -a opts=(-q --disable-pip-version-check --no-warn-script-location)
    if "$PY" -c 'import os, sys, sysconfig
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)' </dev/null; then
        opts+=(--break-system-packages)
    fi
    if ! "$PY" -c 'import os, sys, sysconfig
sys.exit(0 if os.access(sysconfig.get_path("purelib"), os.W_OK)
         or sys.prefix != sys.base_prefix else 1)' </dev/null; then
        opts+=(--user)
    fi
    (cd "$TIRTA_ROOT" && "$PY" -m pip install "${opts[@]}" "$@" </dev/null)
}

# tirta_debian_tools COMMAND:PACKAGE...: installs the Debian packages whose
# command is missing, when running as root on a machine with apt-get; says
# what is missing otherwise (the tests that need it will then fail).
tirta_debian_tools() {
    local pair command package
    local -a missing=()
    for pair in "$@"; do
        command=${pair%%:*} package=${pair#*:}
        command -v "$command" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        tirta_say "installing ${missing[*]} from Debian"
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null </dev/null ||
            tirta_say "could not install ${missing[*]}"
    else
        tirta_say "missing ${missing[*]} (install them from Debian as root)"
    fi
}

# Prints the addons path: core addons beside a source checkout's odoo package
# (the odoo/addons inside the package is always on the path), then ours.
tirta_addons_path() {
    local core
    core=$("$PY" -c '
import os, odoo
path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))), "addons")
print(path if os.path.isfile(os.path.join(path, "web", "__manifest__.py")) else "")
' </dev/null)
    printf '%s\n' "${core:+$core,}$TIRTA_ADDONS_DIR"
}

# Prints a TCP port nobody listens on, for the HTTP server of test runs.
tirta_free_port() {
    "$PY" -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
' </dev/null
}

# tirta_conf_lines ADDONS_PATH DATA_DIR: the Odoo options that differ between
# this machine and the docker image, as config file lines.
tirta_conf_lines() {
    printf 'addons_path = %s\n' "$1"
    printf 'data_dir = %s\n' "$2"
    if [ -n "$DB_HOST" ]; then printf 'db_host = %s\n' "$DB_HOST"; fi
    if [ -n "$DB_PORT" ]; then printf 'db_port = %s\n' "$DB_PORT"; fi
    if [ -n "$DB_USER" ]; then printf 'db_user = %s\n' "$DB_USER"; fi
    if [ -n "$DB_PASSWORD" ]; then printf 'db_password = %s\n' "$DB_PASSWORD"; fi
}

# tirta_write_conf FILE ADDONS_PATH DATA_DIR HTTP_PORT: the config of a test run.
tirta_write_conf() {
    {
        printf '[options]\n'
        tirta_conf_lines "$2" "$3"
        printf 'http_port = %s\n' "$4"
        printf 'max_cron_threads = 0\n'
    } >"$1"
}

tirta_odoo() {
    "$PY" -m odoo "$@" </dev/null
}

# The chart of accounts follows the company's country when `account` gets
# installed, so the company must be Indonesian, in rupiah, before that.
TIRTA_SET_INDONESIA='
company = env.ref("base.main_company")
idr = env.ref("base.IDR")
# whole Rupiah, set while no entry exists yet (accounting refuses it later)
idr.write({"active": True, "rounding": 1.0})
company.write({"country_id": env.ref("base.id").id, "currency_id": idr.id})
env.cr.commit()
print("tirta: main company set to %s, %s" % (company.country_id.name, company.currency_id.name))
'

# Finishes a demo database: the administrator works in Indonesian, in WIB.
TIRTA_DEMO_FINISH='
env.ref("base.user_admin").write({"lang": "id_ID", "tz": "Asia/Jakarta"})
# The demo provider, in test mode: bills can be paid online in the demo.
env.ref("payment.payment_provider_demo").write({"state": "test", "is_published": True})
env.cr.commit()
print("tirta: administrator set to id_ID, Asia/Jakarta")
'

# tirta_run CONF DB LOG ODOO_OPTIONS...: one Odoo run that stops when the
# database is loaded; output goes to the terminal and is appended to LOG.
tirta_run() {
    local conf=$1 db=$2 log=$3
    shift 3
    tirta_odoo -c "$conf" -d "$db" "$@" --stop-after-init --log-level=info 2>&1 |
        tee -a "$log"
    return "${PIPESTATUS[0]}"
}

# tirta_shell CONF DB LOG CODE: runs Python CODE in `odoo shell` (env is set).
tirta_shell() {
    printf '%s\n' "$4" | "$PY" -m odoo shell -c "$1" -d "$2" --no-http \
        --log-level=info 2>&1 | tee -a "$3"
    return "${PIPESTATUS[1]}"
}

# tirta_new_db CONF DB LOG WITH_DEMO(yes|no): a new database with base
# installed and the main company in Indonesia, in IDR.
tirta_new_db() {
    local conf=$1 db=$2 log=$3 demo=$4
    local -a demo_opt=(--without-demo=all)
    [ "$demo" = yes ] && demo_opt=()
    tirta_say "creating database $db (base${demo_opt[*]:+, no demo data})"
    tirta_run "$conf" "$db" "$log" -i base "${demo_opt[@]}" &&
        tirta_shell "$conf" "$db" "$log" "$TIRTA_SET_INDONESIA"
}

# tirta_demo_db CONF DB LOG MODULES: the demo village, as scripts/demo serves
# it: demo data, Indonesian loaded and set for the administrator.
tirta_demo_db() {
    tirta_new_db "$1" "$2" "$3" yes &&
        tirta_run "$1" "$2" "$3" -i "$4,$TIRTA_TEST_EXTRA_MODULES" --load-language=id_ID &&
        tirta_shell "$1" "$2" "$3" "$TIRTA_DEMO_FINISH"
}

# Log lines that are allowed at WARNING level or above, compared with the
# message text exactly (everything after "<logger>: ").
TIRTA_LOG_ALLOWED=(
    "Running as user 'root' is a security risk."
)

# tirta_scan_log LOG...: prints the WARNING/ERROR/CRITICAL lines of Odoo logs
# that are not allowed; returns 1 if there are any. Odoo's closing test summary
# ("N failed, N error(s) of N tests when loading database") is left to the
# test counts, which scripts/test reads from it.
tirta_scan_log() {
    local line message bad=0
    local -A allowed=()
    for message in "${TIRTA_LOG_ALLOWED[@]}"; do allowed[$message]=1; done
    while IFS= read -r line; do
        message=${line#* * * * * *: }
        message=${message%"${message##*[![:space:]]}"}
        if [[ ${allowed[$message]:-} ]]; then
            continue
        fi
        if [[ $line == *" odoo.tests.result: "*" tests when loading database "* ]]; then
            continue
        fi
        printf '  %s\n' "$line"
        bad=1
    done < <(grep -hE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$@")
    return "$bad"
}
