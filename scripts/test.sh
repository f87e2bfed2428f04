#!/usr/bin/env bash
# Runs every test of data_bridge on a fresh Debian 12 machine: installs what is missing, runs the
# C++ unit tests (ctest), builds and installs the extension (PGXS), then starts a throwaway
# PostgreSQL 15 cluster (pg_virtualenv) and runs pg_regress, isolation and pgTAP tests in it,
# then the package, TAP, Citus (coordinator + 2 workers) and sanitizer (ASan + UBSan) stages.
# Exits non-zero on any failure; the last line sums up every suite as "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs=$(mktemp -d /tmp/data_bridge-test.XXXXXX)

"$root/scripts/deps.sh" || { echo "deps: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
report() {  # suite passed failed
    printf '%-12s %4d passed, %d failed\n' "$1:" "$2" "$3" >>"$logs/summary"
    passed=$((passed + $2))
    failed=$((failed + $3))
}

# 1. Unit tests of the PostgreSQL-free core, and the formatting of every C++ file.
echo "== unit tests (make unitcheck)"
if make -s -C "$root" unitcheck >"$logs/ctest.log" 2>&1; then :; fi
cat "$logs/ctest.log" | tail -5
total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$logs/ctest.log")
bad=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$logs/ctest.log")
if [ -n "$total" ]; then
    report unit $(( total - ${bad:-0} )) "${bad:-0}"
else
    cat "$logs/ctest.log"
    report unit 0 1
fi
echo "== make format-check"
if make -s -C "$root" format-check >"$logs/format.log" 2>&1; then
    report format 1 0
else
    head -40 "$logs/format.log"
    report format 0 1
fi

# 2. Build and install the extension: the build of record.
echo "== make && make install"
if ! { make -C "$root" -j"$(nproc)" WERROR=1 && make -C "$root" install; } >"$logs/build.log" 2>&1; then
    cat "$logs/build.log"
    report build 0 1
    cat "$logs/summary"
    echo "$passed passed, $failed failed"
    exit 1
fi

# 3. Server tests against a throwaway cluster.
echo "== pg_regress, isolation and pgTAP (pg_virtualenv)"
pg_virtualenv -v 15 -o max_prepared_transactions=10 \
    "$root/scripts/server-tests.sh" "$logs" >"$logs/server.log" 2>&1
cat "$logs/server.log" | grep -v '^\(20[0-9][0-9]-\|\*\*\*\)' || true

count_regress() {  # log -> "passed failed"
    local log=$1
    if grep -q "tests passed" "$log"; then
        echo "$(sed -n 's/.*All \([0-9]*\) tests passed.*/\1/p' "$log" | head -1) 0"
    elif grep -q "tests failed" "$log"; then
        local bad total
        bad=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\1/p' "$log" | head -1)
        total=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\2/p' "$log" | head -1)
        echo "$((total - bad)) $bad"
    else
        echo "0 1"
    fi
}
if [ -f "$logs/regress.log" ]; then report pg_regress $(count_regress "$logs/regress.log"); else report pg_regress 0 1; fi
if [ -f "$logs/isolation.log" ]; then report isolation $(count_regress "$logs/isolation.log"); else report isolation 0 1; fi
count_tap_lines() {  # log name -> report
    local log=$1 name=$2 ok not_ok
    ok=$(grep -c '^ok ' "$log" || true)
    not_ok=$(grep -c '^not ok ' "$log" || true)
    report "$name" "$ok" "$not_ok"
}
if [ -f "$logs/drivers.log" ] && grep -q '^ok \|^not ok ' "$logs/drivers.log"; then
    count_tap_lines "$logs/drivers.log" drivers
else
    report drivers 0 1
fi
if [ -f "$logs/examples.log" ] && grep -q '^ok \|^not ok ' "$logs/examples.log"; then
    count_tap_lines "$logs/examples.log" examples
else
    report examples 0 1
fi
if [ -f "$logs/pgtap.log" ]; then
    ok=$(grep -c '^ok ' "$logs/pgtap.log" || true)
    not_ok=$(grep -c '^not ok ' "$logs/pgtap.log" || true)
    if ! grep -q '^Result: PASS' "$logs/pgtap.log" && [ "$not_ok" -eq 0 ]; then not_ok=1; fi
    report pgTAP "$ok" "$not_ok"
else
    report pgTAP 0 1
fi

# 4. The Debian package: built with pg_buildext (make deb), installed with apt-get, and the
# pg_regress suite run against the installed package in a throwaway cluster.
echo "== Debian package (make deb, apt-get install, pg_regress against the package)"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
rm -f "$root"/dist/postgresql-15-data-bridge_*.deb
if make -C "$root" deb >"$logs/deb.log" 2>&1 &&
   DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --reinstall \
       "$root"/dist/postgresql-15-data-bridge_*.deb >>"$logs/deb.log" 2>&1; then
    dpkg-query -W -f='${Package} ${Version}: ${Status}\n' postgresql-15-data-bridge
    pg_virtualenv -v 15 make -C "$root" regresscheck >"$logs/package.log" 2>&1
    grep -E "tests (passed|failed)" "$logs/package.log" || tail -20 "$logs/package.log"
    report package $(count_regress "$logs/package.log")
else
    tail -30 "$logs/deb.log"
    report package 0 1
fi

# 5. Perl TAP tests (roles that log in, clusters of their own). initdb refuses to run as root,
# so as root they run as postgres, from a copy of the tree that user can write to.
echo "== TAP (PostgreSQL::Test::Cluster)"
tap_tree=$root
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    tap_tree=$(mktemp -d /tmp/data_bridge-tap.XXXXXX)
    cp -r "$root/Makefile" "$root/test" "$tap_tree/"
    cp "$root"/data_bridge.control "$tap_tree/"
    chown -R postgres "$tap_tree"
    run_as=(runuser -u postgres --)
fi
(cd "$tap_tree" && "${run_as[@]}" make -s tapcheck PROVE_FLAGS=--verbose) >"$logs/tap.log" 2>&1
grep -E '^(ok|not ok)|^Result|^#' "$logs/tap.log" | grep -v '^ok' || true
tap_ok=$(grep -c '^ok ' "$logs/tap.log" || true)
tap_not_ok=$(grep -c '^not ok ' "$logs/tap.log" || true)
if ! grep -q '^Result: PASS' "$logs/tap.log" && [ "$tap_not_ok" -eq 0 ]; then tap_not_ok=1; fi
report TAP "$tap_ok" "$tap_not_ok"

# 6. Citus: distributed and reference tables on a coordinator and two workers (skipped, with a
# line saying so, where the Citus release cannot be found or installed).
echo "== Citus (scripts/citus-tests.sh)"
"$root/scripts/citus-tests.sh" >"$logs/citus.log" 2>&1
grep -E '^(test |citus: skipped)|tests (passed|failed)' "$logs/citus.log" || tail -20 "$logs/citus.log"
if grep -q '^citus: skipped' "$logs/citus.log"; then
    echo "citus:       skipped" >>"$logs/summary"
else
    citus_counts=$(tail -1 "$logs/citus.log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
    if [ -n "$citus_counts" ]; then report citus $citus_counts; else tail -40 "$logs/citus.log"; report citus 0 1; fi
fi

# 7. Memory safety: the unit tests and the server suites again, plus seeded random calls of every
# function, against builds instrumented with AddressSanitizer and UBSan (make sanitize-check).
echo "== sanitizers (scripts/sanitize.sh: ASan + UBSan)"
"$root/scripts/sanitize.sh" >"$logs/sanitize.log" 2>&1
grep -E '^(sanitize |seed |== sanitizer report|==[0-9]+==ERROR)' "$logs/sanitize.log" || tail -20 "$logs/sanitize.log"
sanitize_counts=$(tail -1 "$logs/sanitize.log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$sanitize_counts" ]; then report sanitize $sanitize_counts; else tail -40 "$logs/sanitize.log"; report sanitize 0 1; fi

for diff in "$root/regression.diffs" "$root/output_iso/regression.diffs"; do
    if [ -s "$diff" ]; then echo "== $diff"; head -200 "$diff"; fi
done
echo "== summary"
cat "$logs/summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
