# Sourced by the image's start-up (ckan-base's start_ckan.sh, after its prerun.py) and by
# start_worker.sh: docker/settings.ini merged into this container's ckan.ini, then the
# image's plugin list (the settings' list with envvars last, CKAN__PLUGINS).
echo "[mofcompliance] applying the production settings and plugins: ${CKAN__PLUGINS}"
ckan config-tool "$CKAN_INI" -f "$APP_DIR/mofcompliance-settings.ini"
ckan config-tool "$CKAN_INI" "ckan.plugins = ${CKAN__PLUGINS}"
