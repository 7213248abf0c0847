#!/usr/bin/env bash
# Create the benchmark catalog (its own database and config), reproducibly from a seed.
#   bash bench/setup.sh [DATASETS] [ORGS] [SEED]      (default 50000 200 2567)
# BENCH_DB, BENCH_PORT and BENCH_REDIS_DB choose the database, the port bench/run.py serves
# on and the Redis database (defaults mofcompliance_bench, 5055, 2), so benches can run
# side by side.
# Run `bash scripts/serve.sh` once first (SETUP_ONLY=1 is enough): it installs everything.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

DATASETS="${1:-50000}"; ORGS="${2:-200}"; SEED="${3:-2567}"
DB_NAME="${BENCH_DB:-mofcompliance_bench}"
BENCH_PORT="${BENCH_PORT:-5055}"
BENCH_REDIS_DB="${BENCH_REDIS_DB:-2}"
INI="$ROOT/.local/bench.ini"

ensure_postgres
ensure_redis
ensure_venv
as_pg_superuser -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null
ensure_database "$DB_NAME"
cp "$ROOT/.local/ckan.ini" "$INI"
"$VENV/bin/ckan" config-tool "$INI" "sqlalchemy.url=$(database_url "$DB_NAME")" \
    "ckan.site_id=mofcompliance-bench" "ckan.site_url=http://127.0.0.1:$BENCH_PORT" \
    "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/$BENCH_REDIS_DB" >/dev/null
"$VENV/bin/ckan" config-tool "$INI" -s logger_ckan "level=WARNING" >/dev/null
migrate_database "$INI"
"$VENV/bin/ckan" -c "$INI" user add bench email=bench@localhost.localdomain \
    password="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(16))')" >/dev/null
"$VENV/bin/ckan" -c "$INI" sysadmin add bench >/dev/null
"$VENV/bin/ckan" -c "$INI" user token add bench bench 2>/dev/null | tail -n 1 | tr -d '\t ' \
    > "$ROOT/.local/bench-token"
# The evaluator reads the dashboards in the HTTP figures: a user with no activity of its
# own (CKAN's header counts the reader's new activities on every page, and "bench" writes
# hundreds of updates while measuring package_update).
"$VENV/bin/ckan" -c "$INI" user add evaluator email=evaluator@localhost.localdomain \
    password="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(16))')" >/dev/null
"$VENV/bin/ckan" config-tool "$INI" "ckanext.mofcompliance.evaluators=evaluator" >/dev/null
"$VENV/bin/ckan" -c "$INI" user token add evaluator bench 2>/dev/null | tail -n 1 | tr -d '\t ' \
    > "$ROOT/.local/bench-evaluator-token"
say "Building $DATASETS datasets in $ORGS organisations (seed $SEED)"
"$VENV/bin/python" "$ROOT/bench/build_catalog.py" --ini "$INI" --datasets "$DATASETS" \
    --orgs "$ORGS" --seed "$SEED"
