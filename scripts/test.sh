#!/usr/bin/env bash
# Run the whole test suite against a real PostgreSQL and Redis.
#   bash scripts/test.sh [pytest arguments]
# CKAN_VERSION=2.12.0 selects the other supported CKAN (default 2.11.6);
# TEST_DB names the database (default mofcompliance_test), REDIS_DB the Redis database
# (default 1) and CKAN_STORAGE_PATH the storage folder: runs side by side each take their own.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
ensure_browser
ensure_postgres
ensure_redis
TEST_DB="${TEST_DB:-mofcompliance_test}"
ensure_database "$TEST_DB"
ensure_database "${TEST_DB}_gdcatalog"   # the GD Catalog of the end-to-end harvest test
ensure_venv

export CKAN_SQLALCHEMY_URL="$(database_url "$TEST_DB")"
export CKAN_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/${REDIS_DB:-1}"
export CKAN_STORAGE_PATH="${CKAN_STORAGE_PATH:-/tmp/ckanext-mofcompliance-test-storage-$CKAN_VERSION}"
cd "$ROOT"
say "Type check (mypy.ini) and lint (ruff.toml)"
# Each virtualenv keeps its own caches: runs side by side (.ci/run) type-check against
# different SQLAlchemy versions, and one shared mypy cache breaks the other runs' mypy.
MYPY_CACHE_DIR="$VENV/.mypy_cache" "$VENV/bin/mypy"
RUFF_CACHE_DIR="$VENV/.ruff_cache" "$VENV/bin/ruff" check .
say "Testing with CKAN $CKAN_VERSION"
"$VENV/bin/python" -m pytest "$@"
