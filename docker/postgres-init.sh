#!/bin/bash
# First start of the database container: CKAN's role and database (UTF-8, C.UTF-8
# collation so that pg_trgm also indexes Thai text if the PostgreSQL search is used).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE ckan LOGIN PASSWORD '${CKAN_DB_PASSWORD}';
CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;
SQL
