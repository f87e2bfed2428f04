#!/usr/bin/env bash
# Runs every benchmark (bench/*.sql, *.pl, *.js) on a throwaway PostgreSQL 15 cluster (citus: on a
# coordinator and two workers), each side by side with what a user would otherwise do, and prints
# the ratios. Usage: scripts/bench.sh [name ...]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
make -j"$(nproc)" >/dev/null
make install >/dev/null

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for file in bench/*.sql bench/*.pl bench/*.js; do
        [ -e "$file" ] || continue
        name=$(basename "${file%.*}")
        [ "$name" = common ] || names+=("$name")
    done
fi

for name in "${names[@]}"; do
    echo "== benchmark: $name"
    if [ "$name" = citus ]; then
        # On a coordinator and two workers of its own (Citus installed as for its test suite).
        if ! why=$(scripts/citus-install.sh 2>&1 | tail -1; exit "${PIPESTATUS[0]}"); then
            echo "citus: skipped ($why)"
            continue
        fi
        dir=$(mktemp -d /tmp/data_bridge-citus-bench.XXXXXX)
        chmod 755 "$dir"
        port=${CITUS_PORT:-5711}
        test/citus/cluster.sh start "$dir/cluster" "$port"
        PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=citus_test perl bench/citus.pl || true
        test/citus/cluster.sh stop "$dir/cluster"
        rmdir "$dir" 2>/dev/null || true
    elif [ -f "bench/$name.js" ]; then
        # The peers from npm, at the versions package-lock.json pins.
        (cd bench/node && npm ci --no-audit --no-fund --silent)
        pg_virtualenv -v 15 node "bench/$name.js"
    elif [ "$name" = large_schema ]; then
        # Twice: as installed, and with the module in shared_preload_libraries (the postmaster
        # loads it once; a new connection does not).
        pg_virtualenv -v 15 perl "bench/$name.pl"
        pg_virtualenv -v 15 -o shared_preload_libraries=data_bridge perl "bench/$name.pl" first-calls
    elif [ -f "bench/$name.pl" ]; then
        pg_virtualenv -v 15 perl "bench/$name.pl"
    else
        pg_virtualenv -v 15 sh -c "psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION data_bridge' &&
                                   psql -X -v ON_ERROR_STOP=1 -f bench/$name.sql"
    fi 2>&1 | grep -v '^Creating new\|^Dropping cluster'
done
