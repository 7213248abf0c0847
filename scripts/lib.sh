# Shared set-up steps for scripts/serve.sh, scripts/test.sh and .ci/run.
# Every step is idempotent: it checks before it acts.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CKAN_VERSION="${CKAN_VERSION:-2.11.6}"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv/ckan-$CKAN_VERSION}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
DB_USER="${DB_USER:-mofcompliance}"
DB_PASSWORD="${DB_PASSWORD:-mofcompliance}"
REDIS_PORT="${REDIS_PORT:-6379}"
export PGHOST PGPORT

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Run a SQL statement as a PostgreSQL superuser (local socket as `postgres`,
# or TCP as the current user, whichever this machine allows).
as_pg_superuser() {
    if command -v runuser >/dev/null && id postgres >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAtX -d postgres "$@"
    elif command -v sudo >/dev/null && id postgres >/dev/null 2>&1; then
        sudo -u postgres psql -v ON_ERROR_STOP=1 -qAtX -d postgres "$@"
    else
        psql -v ON_ERROR_STOP=1 -qAtX -h "$PGHOST" -p "$PGPORT" -d postgres "$@"
    fi
}

ensure_system_packages() {
    local missing=()
    command -v psql >/dev/null || missing+=(postgresql postgresql-contrib)
    command -v redis-server >/dev/null || missing+=(redis-server)
    "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
    command -v gcc >/dev/null || missing+=(gcc libpq-dev python3-dev)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Headless Chromium and its driver, with Thai fonts, for the end-to-end browser test.
ensure_browser() {
    local missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    # grep reads all of fc-list's output: with -q it stops at the first match, and under
    # pipefail the SIGPIPE fc-list then gets would count as "no Thai font"
    fc-list 2>/dev/null | grep -i "tlwg\|thai" >/dev/null || missing+=(fonts-thai-tlwg)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

ensure_postgres() {
    if pg_isready -q -h "$PGHOST" -p "$PGPORT"; then return; fi
    say "Starting PostgreSQL"
    local cluster
    cluster="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$cluster" ] && command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$cluster" main start 2>/dev/null \
            || pg_ctlcluster "$cluster" main start
    else
        service postgresql start
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && return; sleep 1; done
    echo "PostgreSQL did not start on $PGHOST:$PGPORT" >&2
    exit 1
}

ensure_redis() {
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then return; fi
    say "Starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
        --appendonly no --dir /tmp --logfile /tmp/redis-mofcompliance.log
    for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return; sleep 1; done
    echo "Redis did not start on port $REDIS_PORT" >&2
    exit 1
}

# ensure_role: the login role the catalog's databases belong to. Runs started side by side
# (.ci/run) may create it at the same moment; the loser of that race finds it made.
ensure_role() {
    if [ -n "$(as_pg_superuser -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" ]; then return; fi
    say "Creating PostgreSQL role $DB_USER"
    as_pg_superuser -c "DO \$\$ BEGIN CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END \$\$"
}

# ensure_database NAME: the role and an owned, UTF-8 database (C.UTF-8 collation,
# so that pg_trgm indexes Thai characters).
ensure_database() {
    local db="$1"
    ensure_role
    if [ -z "$(as_pg_superuser -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
        say "Creating database $db"
        as_pg_superuser -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
    fi
}

database_url() { echo "postgresql://$DB_USER:$DB_PASSWORD@$PGHOST:$PGPORT/$1"; }

# migrate_database INI: CKAN's migrations, then this extension's plugins' (CKAN 2.10's
# `db upgrade` migrates core only; from 2.11 it migrates plugins too, and `-p` is a no-op).
migrate_database() {
    "$VENV/bin/ckan" -c "$1" db upgrade >/dev/null
    local plugin
    for plugin in mofcompliance mofcompliance_pgsearch; do
        "$VENV/bin/ckan" -c "$1" db upgrade -p "$plugin" >/dev/null
    done
}

# pip, without the lines this workplace's pip configuration adds to every call.
quiet_pip() {
    "$VENV/bin/pip" -q --disable-pip-version-check "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }
}

# compile_translations: each catalog (.po) compiled to the .mo that CKAN reads. An editable
# install reads the source tree, where the .mo is not kept in git. Written aside and renamed
# into place: runs side by side (.ci/run) never read a half-written .mo.
compile_translations() {
    local po
    for po in "$ROOT"/ckanext/mofcompliance/i18n/*/LC_MESSAGES/ckanext-mofcompliance.po; do
        "$VENV/bin/pybabel" -q compile -i "$po" -o "${po%.po}.mo.$$"
        mv -f "${po%.po}.mo.$$" "${po%.po}.mo"
    done
}

# ensure_venv: a virtualenv with the pinned CKAN, this extension and the test tools,
# and the translations compiled.
ensure_venv() {
    local stamp="$VENV/.installed"
    local wanted
    wanted="$CKAN_VERSION $(cat "$ROOT/setup.py" "$ROOT/setup.cfg" "$ROOT/pyproject.toml" "$ROOT/requirements/dev.txt" | sha1sum | cut -c1-12)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then compile_translations; return; fi
    say "Installing CKAN $CKAN_VERSION and the extension into $VENV"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    quiet_pip install -U pip setuptools wheel
    quiet_pip install "ckan[requirements]==$CKAN_VERSION"
    quiet_pip install -r "$ROOT/requirements/dev.txt" -e "$ROOT"
    "$VENV/bin/python" -c "import ckan, ckanext.mofcompliance, ckanext.scheming" \
        || { echo "The installation in $VENV is incomplete" >&2; exit 1; }
    compile_translations
    echo "$wanted" > "$stamp"
}
