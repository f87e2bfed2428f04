#!/usr/bin/env bash
# Driver tests: every function called through each driver's ordinary parameter binding, no casts,
# must answer as the same call with typed values answers in psql. Runs against the server that
# PGHOST/PGPORT/PGUSER point at (scripts/server-tests.sh runs it inside pg_virtualenv). Prints
# TAP-style "ok"/"not ok" lines; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
export PGDATABASE=data_bridge_drivers
export PGUSER=${PGUSER:-$(id -un)}  # node-postgres, unlike libpq, has no default
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
createdb "$PGDATABASE" || exit 1
psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION data_bridge' -f schema.sql >/dev/null || exit 1

work=$(mktemp -d)
# What psql answers with typed values, each call in a transaction that is rolled back.
/usr/bin/python3 - "$work/expected" <<'PY'
import json, subprocess, sys
calls = json.load(open("calls.json"))
with open(sys.argv[1], "w") as out:
    for call in calls:
        answer = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-c", "BEGIN", "-c", call["typed"], "-c", "ROLLBACK"],
                                capture_output=True, text=True)
        value = answer.stdout.strip() if answer.returncode == 0 and not answer.stderr else "psql: " + answer.stderr.strip()
        out.write(f"{call['name']}\t{value}\n")
PY

failed=0
check() {  # driver output-file
    local driver=$1 output=$2
    while IFS=$'\t' read -r name expected; do
        got=$(grep -F -m1 "$name"$'\t' "$output" | cut -f2-)
        if [ "$got" == "$expected" ]; then
            echo "ok - $driver: $name"
        else
            echo "not ok - $driver: $name"
            echo "#   expected: $expected"
            echo "#   got:      $got"
            failed=1
        fi
    done <"$work/expected"
}

# node-postgres, from npm (its lock file pins the version).
if (cd node && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$work/npm.log"); then
    node node/call.js >"$work/node" 2>&1
    check node-postgres "$work/node"
else
    echo "not ok - node-postgres: npm ci failed"; sed 's/^/#   /' "$work/npm.log"; failed=1
fi
/usr/bin/python3 call.py >"$work/python" 2>&1
check psycopg2 "$work/python"
perl call.pl >"$work/perl" 2>&1
check DBD::Pg "$work/perl"
ruby call.rb >"$work/ruby" 2>&1
check ruby-pg "$work/ruby"

dropdb "$PGDATABASE" >/dev/null 2>&1
rm -rf "$work"
exit $failed
