# Sourced by the image's start-up (web container only): CKAN's migrations and those of every
# plugin listed (this extension's tables, the PostgreSQL search index). Idempotent. A failure
# is printed and `ckan mofcompliance doctor` (the healthcheck) reports the migrations behind.
echo "[mofcompliance] ckan db upgrade"
# CKAN 2.10 (CKAN_VERSION=2.10 at build) migrates only core in `db upgrade`: the extension's
# plugins are named too, which from CKAN 2.11 on finds nothing left to do.
{ ckan -c "$CKAN_INI" db upgrade \
    && ckan -c "$CKAN_INI" db upgrade -p mofcompliance \
    && ckan -c "$CKAN_INI" db upgrade -p mofcompliance_pgsearch; } \
    || echo "[mofcompliance] ckan db upgrade FAILED: see above"
