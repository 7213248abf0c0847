#!/usr/bin/env bash
# Set up everything and serve the demo catalog at http://127.0.0.1:5000
#   bash scripts/serve.sh            (idempotent: run it again at any time)
# SETUP_ONLY=1 stops before serving. CKAN_VERSION=2.12.0 uses the other CKAN.
# DB_NAME, PORT and REDIS_DB (default 0) let several demos run side by side.
# A job worker (`ckan mofcompliance worker`: every queue the extension uses) runs beside the
# server and stops with it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB_NAME="${DB_NAME:-mofcompliance}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
REDIS_DB="${REDIS_DB:-0}"
LOCAL="$ROOT/.local"
INI="$LOCAL/ckan.ini"

ensure_system_packages
ensure_postgres
ensure_redis
ensure_database "$DB_NAME"
ensure_venv
mkdir -p "$LOCAL/storage"

ckan() { "$VENV/bin/ckan" -c "$INI" "$@"; }

if [ ! -f "$INI" ]; then
    say "Writing $INI (with its own random secrets)"
    "$VENV/bin/ckan" generate config "$INI" >/dev/null
fi
# Re-applied on every run, so an edited checkout and its config stay in step: first the
# production settings (plugins, schema, uploads, queues: docker/settings.ini, as the image
# applies them), then what is this machine's.
"$VENV/bin/ckan" config-tool "$INI" -f "$ROOT/docker/settings.ini" >/dev/null
"$VENV/bin/ckan" config-tool "$INI" \
    "sqlalchemy.url=$(database_url "$DB_NAME")" \
    "ckan.site_url=http://$HOST:$PORT" \
    "ckan.site_id=mofcompliance-demo" \
    "ckan.site_title=บัญชีข้อมูลกระทรวงการคลัง (MOF Data Catalog demo)" \
    "ckan.redis.url=redis://127.0.0.1:$REDIS_PORT/$REDIS_DB" \
    "solr_url=http://127.0.0.1:8983/solr/ckan" \
    "ckanext.mofcompliance.enforcement=advisory" \
    "licenses_group_url=file://$ROOT/ckanext/mofcompliance/licences.json" \
    "ckan.storage_path=$LOCAL/storage" \
    "ckan.csrf_protection.ignore_extensions=false" \
    "ckan.views.default_views=" >/dev/null
"$VENV/bin/ckan" config-tool "$INI" -s logger_ckan "level=INFO" >/dev/null
"$VENV/bin/ckan" config-tool "$INI" -s logger_ckanext "level=WARNING" >/dev/null

say "Migrating the database"
migrate_database "$INI"

if [ ! -s "$LOCAL/admin-password" ]; then
    "$VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(12))" > "$LOCAL/admin-password"
    chmod 600 "$LOCAL/admin-password"
fi
if ! ckan user show admin 2>/dev/null | grep "name=admin" >/dev/null; then
    say "Creating the sysadmin"
    ckan user add admin email=admin@localhost.localdomain password="$(cat "$LOCAL/admin-password")" >/dev/null
    ckan sysadmin add admin >/dev/null
else
    # The database may outlive this checkout: the password printed below is made true.
    ckan user setpass admin -p "$(cat "$LOCAL/admin-password")" >/dev/null
fi

say "Loading the demo catalog"
ckan mofcompliance load-demo
ckan search-index rebuild --quiet >/dev/null

cat <<INFO

  Catalog:   http://$HOST:$PORT
  Sysadmin:  admin / $(cat "$LOCAL/admin-password")   (password kept in .local/admin-password)

INFO
if [ -n "${SETUP_ONLY:-}" ]; then exit 0; fi
say "Serving with a job worker (Ctrl-C stops both)"
"$VENV/bin/ckan" -c "$INI" mofcompliance worker &
WORKER=$!
"$VENV/bin/ckan" -c "$INI" run --host "$HOST" --port "$PORT" --disable-reloader &
SERVER=$!
stop() { kill "$SERVER" "$WORKER" 2>/dev/null || true; wait || true; }
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
wait -n "$SERVER" "$WORKER"   # when either ends, the EXIT trap ends the other
