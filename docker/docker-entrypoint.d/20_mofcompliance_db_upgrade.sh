# Sourced by the image's start-up (web container only): CKAN's migrations and those of every
# plugin listed (this extension's tables, the PostgreSQL search index). Idempotent. A failure
# is printed and `ckan mofcompliance doctor` (the healthcheck) reports the migrations behind.
echo "[mofcompliance] ckan db upgrade"
ckan -c "$CKAN_INI" db upgrade || echo "[mofcompliance] ckan db upgrade FAILED: see above"
