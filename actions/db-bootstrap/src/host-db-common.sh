# shellcheck shell=bash
# What every db-bootstrap script on a host starts with: run in app-dir, reach the database as the
# app does (behind the command prefix), and read the schema. Every value is assigned above.
shopt -s inherit_errexit
cd -- "${APP_DIR}"

# Runs one command behind the prefix (e.g. inside the app container) with sh: `"${inside[@]}" cmd`;
# words after it become the command's $1…. PREFIX is an array of words (argv), never shell text.
inside=("${PREFIX[@]}" sh -c)

# The sh that runs a database tool behind the prefix, with the URL from the variable url-variable
# names, where the tool runs (the app's environment, not this script's). Its arguments: the mark,
# the variable's name, then the tool and its own arguments. An empty URL would send psql to a
# local socket, with an error that names no input: it says which variable is missing instead.
# shellcheck disable=SC2016 # expanded by that sh, behind the prefix, not here
WITH_URL='url="$(printenv "$2")" || true
if [ -z "$url" ]; then echo "$1:no-url" >&2; exit 7; fi
shift 2
exec "$@" --dbname="$url"'
with_url=("${inside[@]}" "${WITH_URL}" sh "${MARK}" "${URL_VARIABLE}")
# One query, its rows unaligned: `"${psql[@]}" "$sql"`.
psql=("${with_url[@]}" psql -X -q -A -t -v ON_ERROR_STOP=1 -c)

# The tables of the current schema, and the tool's version when its table is one of them.
# Assignments, not arguments: a failing psql then stops the script (errexit).
snapshot() {
  local tables version
  tables="$("${psql[@]}" "${TABLES_SQL}")"
  printf 'tables:%s\n' "${tables}"
  if [[ ",${tables}," == *",${VERSION_TABLE},"* ]]; then
    version="$("${psql[@]}" "${VERSION_SQL}")"
    printf 'version:%s\n' "${version}"
  else
    echo "version-table:none"
  fi
}
