#!/usr/bin/env bash
# Runs every benchmark (bench/*.sql) on a throwaway PostgreSQL 15 cluster, each side by side with
# what a user would otherwise do, and prints the ratios. Usage: scripts/bench.sh [name ...]
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
    if [ -f "bench/$name.js" ]; then
        # The peers from npm, at the versions package-lock.json pins.
        (cd bench/node && npm ci --no-audit --no-fund --silent)
        pg_virtualenv -v 15 node "bench/$name.js"
    elif [ -f "bench/$name.pl" ]; then
        pg_virtualenv -v 15 perl "bench/$name.pl"
    else
        pg_virtualenv -v 15 sh -c "psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION data_bridge' &&
                                   psql -X -v ON_ERROR_STOP=1 -f bench/$name.sql"
    fi 2>&1 | grep -v '^Creating new\|^Dropping cluster'
done
