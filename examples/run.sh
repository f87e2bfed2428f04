#!/usr/bin/env bash
# Runs the examples against the server PGHOST/PGPORT/PGUSER point at, on the sample schema, and
# checks that each prints expected.txt. TAP-style "ok"/"not ok" lines; non-zero exit on failure.
set -uo pipefail
cd "$(dirname "$0")"
export PGDATABASE=data_bridge_examples
export PGUSER=${PGUSER:-$(id -un)}
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
createdb "$PGDATABASE" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION data_bridge' -f ../demo/sample_schema.sql >/dev/null || exit 1
failed=0
check() {  # name command...
    local name=$1; shift
    local output
    output=$("$@" 2>&1)
    if [ "$output" == "$(cat expected.txt)" ]; then
        echo "ok - example $name"
    else
        echo "not ok - example $name"
        diff <(echo "$output") expected.txt | sed 's/^/#   /'
        failed=1
    fi
}
check python /usr/bin/python3 blog.py
if (cd node && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
    check node node node/blog.js
else
    echo "not ok - example node: npm ci failed"; failed=1
fi
dropdb "$PGDATABASE" >/dev/null 2>&1
exit $failed
