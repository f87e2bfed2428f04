#!/usr/bin/env bash
# The Citus suite: installs Citus 13.2.2 (scripts/citus-install.sh), starts a coordinator and two
# workers (test/citus/cluster.sh), runs pg_regress on
# test/citus against the coordinator, stops the cluster. Without the Citus release or a way to
# install it, prints one "citus: skipped" line and exits 0.
# The last line is "N passed, M failed" (or the skip line).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if ! why=$(scripts/citus-install.sh 2>&1 | tail -1; exit "${PIPESTATUS[0]}"); then
    echo "citus: skipped ($why)"
    exit 0
fi
dir=$(mktemp -d /tmp/data_bridge-citus.XXXXXX)
chmod 755 "$dir"
port=${CITUS_PORT:-5701}
trap 'test/citus/cluster.sh stop "$dir/cluster" >/dev/null 2>&1' EXIT
if ! test/citus/cluster.sh start "$dir/cluster" "$port"; then
    tail -20 "$dir"/cluster/node*.log 2>/dev/null
    echo "0 passed, 1 failed"
    exit 1
fi
pg_regress="$(pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress"
tests=$(cd test/citus/sql && ls *.sql | sed 's/\.sql$//')
"$pg_regress" --use-existing --host=127.0.0.1 --port="$port" --user=postgres --dbname=citus_test \
    --inputdir=test/citus --outputdir="$dir/out" $tests >"$dir/regress.log" 2>&1
cat "$dir/regress.log" | grep -E "^(test|ok|not ok)|tests (passed|failed)" || true
if [ -s "$dir/out/regression.diffs" ]; then head -100 "$dir/out/regression.diffs"; fi
total=$(echo $tests | wc -w)
if grep -q "tests passed" "$dir/regress.log"; then
    echo "$total passed, 0 failed"
else
    bad=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\1/p' "$dir/regress.log" | head -1)
    bad=${bad:-$total}
    echo "$((total - bad)) passed, $bad failed"
    exit 1
fi
