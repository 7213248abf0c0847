#!/usr/bin/env bash
# The package as pip installs it: build the sdist and, from it, the wheel (python -m build),
# install the wheel alone (--no-deps) in a fresh virtualenv and check that what the extension
# reads at run time is in it: the compiled Thai catalog (.mo), the templates, the KPI profiles,
# the scheming schemas, the migrations, the assets and every other file of the package; and
# the licence in both archives. Run by .ci/run once, before the tests.
#   bash scripts/check_dist.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_system_packages
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

say "Building the sdist and the wheel"
"$PYTHON" -m venv "$WORK/tools"
"$WORK/tools/bin/pip" -q --disable-pip-version-check install build 2>&1 | { grep -v '^WARNING: Location' || true; }
"$WORK/tools/bin/python" -m build --outdir "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; exit 1; }
sdist="$(ls "$WORK"/dist/*.tar.gz)"
wheel="$(ls "$WORK"/dist/*.whl)"

say "Installing $(basename "$wheel") in a fresh virtualenv (--no-deps)"
"$PYTHON" -m venv "$WORK/target"
"$WORK/target/bin/pip" -q --disable-pip-version-check install --no-deps "$wheel" 2>&1 | { grep -v '^WARNING: Location' || true; }
# -I: isolated, so that the checkout (the current folder) is not imported instead
installed="$("$WORK/target/bin/python" -I -c 'import ckanext.mofcompliance, os; print(os.path.dirname(ckanext.mofcompliance.__file__))')"

missing=0
fail() { echo "MISSING: $*" >&2; missing=1; }

# Every file of the package in git (the tests apart) is installed.
while IFS= read -r file; do
    [ -f "$installed/${file#ckanext/mofcompliance/}" ] || fail "$file"
done < <(git -C "$ROOT" ls-files ckanext/mofcompliance | grep -v '^ckanext/mofcompliance/tests/')

mo="$installed/i18n/th/LC_MESSAGES/ckanext-mofcompliance.mo"
[ -f "$mo" ] || fail "the compiled Thai catalog (i18n/th/LC_MESSAGES/ckanext-mofcompliance.mo)"
"$WORK/target/bin/python" -I - "$mo" "$ROOT/ckanext/mofcompliance/i18n/th/LC_MESSAGES/ckanext-mofcompliance.po" <<'PY' || missing=1
import gettext, re, sys
with open(sys.argv[1], "rb") as compiled:
    catalog = gettext.GNUTranslations(compiled)._catalog
msgids = re.findall(r'^msgid "(.+)"$', open(sys.argv[2], encoding="utf-8").read(), re.M)
if len(catalog) < len(msgids):
    sys.exit("MISSING: the .mo holds %d messages, the .po %d" % (len(catalog), len(msgids)))
PY
"$WORK/target/bin/python" -I - <<'PY' || missing=1
import sys
from importlib.metadata import distribution
dist = distribution("ckanext-mofcompliance")
plugins = {e.name for e in dist.entry_points if e.group == "ckan.plugins"}
wanted = {"mofcompliance", "mofcompliance_pgsearch", "mofcompliance_gdcatalog"}
if plugins != wanted:
    sys.exit("MISSING: CKAN plugin entry points %s" % sorted(wanted - plugins))
if not any(str(f).endswith("LICENSE") for f in dist.files):
    sys.exit("MISSING: LICENSE in the wheel's metadata")
PY
# grep reads the whole listing (with -q, tar's SIGPIPE under pipefail would read as missing)
tar -tzf "$sdist" | grep '^[^/]*/LICENSE$' >/dev/null || fail "LICENSE in the sdist"

[ "$missing" = 0 ] || exit 1
count() { find "$installed/$1" -name "$2" | wc -l; }
echo "check_dist: $(basename "$sdist") and $(basename "$wheel") complete:" \
     "the Thai .mo, $(count templates '*.html') templates, $(count kpi/profiles '*.yaml') profiles," \
     "$(count schemas '*.yaml') schemas, $(find "$installed/migration" -path '*/versions/*.py' | wc -l) migrations," \
     "$(count assets '*') asset files, LICENSE"
