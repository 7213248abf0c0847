#!/bin/bash
# The job worker's start-up, through the image's own settings step: the same settings and
# plugin list as the web container (so this extension is loaded and its checks can run),
# then one worker on every queue the extension uses (`ckan mofcompliance worker`).
# The web container runs the migrations; compose starts the worker once it is healthy.
set -eu
. /docker-entrypoint.d/10_mofcompliance_settings.sh
exec ckan -c "$CKAN_INI" mofcompliance worker
