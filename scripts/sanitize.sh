#!/usr/bin/env bash
# Runs data_bridge under AddressSanitizer and UBSan (make sanitize-check):
#   1. the core's unit tests, built instrumented (any report fails the test);
#   2. the module, built instrumented in a copy of the tree and installed into a private copy of
#      the PostgreSQL 15 installation (the server finds its libraries relative to its binaries),
#      loaded by a throwaway cluster whose postmaster runs with libasan preloaded;
#   3. pg_regress, the isolation specs, pgTAP and seeded random calls of every function
#      (test/sanitize/random_calls.sql) against that cluster;
#   4. every sanitizer report written by any backend is printed and fails the run, as does a
#      backend that died of a signal.
# The last line sums up as "N passed, M failed"; SKIP_UNIT=1 skips step 1 (quicker reruns).
# Leak detection is off in the server: PostgreSQL frees by memory context, not call by call.
# See CONTRIBUTING.md for the start-up fix (test/sanitize/asan_startup.c).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
"$root/scripts/deps.sh" || { echo "deps: installing dependencies failed"; echo "0 passed, 1 failed"; exit 1; }

sanitize=address,undefined
seeds=(0.11 0.42 0.73)        # random-call runs, reproducible
calls_per_seed=2000
work=$(mktemp -d /tmp/data_bridge-sanitize.XXXXXX)
chmod 755 "$work"
reports=$work/reports
mkdir -p "$reports" "$work/logs"
chmod 777 "$reports"
pg_bin_dir=$(pg_config --bindir)
pg_lib_dir=$(pg_config --pkglibdir)
pg_share_dir=$(pg_config --sharedir)

passed=0
failed=0
result() {  # name passed failed
    printf 'sanitize %-22s %4d passed, %d failed\n' "$1:" "$2" "$3"
    passed=$((passed + $2))
    failed=$((failed + $3))
}
finish() {
    echo "$passed passed, $failed failed"
    # Kept for a look when something failed; otherwise only the logs stay.
    [ "$failed" -ne 0 ] || rm -rf "$work/pg" "$work/data" "$work/unit" "$work/tree"
    [ "$failed" -eq 0 ]
    exit
}

# 1. Unit tests, instrumented; UBSan findings are fatal there too.
echo "== unit tests under ASan+UBSan"
flags="-fsanitize=$sanitize -fno-omit-frame-pointer -fno-sanitize-recover=all"
if [ -n "${SKIP_UNIT:-}" ]; then
    result unit 0 0
elif cmake -S "$root" -B "$work/unit" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" \
        >"$work/logs/unit.log" 2>&1 &&
   cmake --build "$work/unit" -j"$(nproc)" >>"$work/logs/unit.log" 2>&1; then
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$work/unit" --output-on-failure >>"$work/logs/unit.log" 2>&1
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$work/logs/unit.log")
    bad=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$work/logs/unit.log")
    [ "${bad:-0}" -eq 0 ] || grep -B2 -A30 "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$work/logs/unit.log" | head -80
    result unit "$(( ${total:-0} - ${bad:-0} ))" "${bad:-1}"
else
    tail -30 "$work/logs/unit.log"
    result unit 0 1
fi

# 2. The instrumented module in a private copy of the server installation.
echo "== module under ASan+UBSan"
tree=$work/tree
prefix=$work/pg
pg_home=$(dirname "$pg_bin_dir")  # Debian: /usr/lib/postgresql/15, holding bin/ and lib/
mkdir -p "$tree" "$prefix$(dirname "$pg_home")" "$prefix$(dirname "$pg_share_dir")"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree")
# Copies, not links: the server resolves links to find the installation it belongs to.
cp -rL "$pg_home" "$prefix$(dirname "$pg_home")/"
cp -rL "$pg_share_dir" "$prefix$(dirname "$pg_share_dir")/"
if ! { make -C "$tree" -j"$(nproc)" SANITIZE=$sanitize &&
       make -C "$tree" install SANITIZE=$sanitize DESTDIR="$prefix"; } >"$work/logs/build.log" 2>&1; then
    tail -30 "$work/logs/build.log"
    result module-build 0 1
    finish
fi
if [ "$(nm -D "$prefix$pg_lib_dir/data_bridge.so" | grep -c __asan_report)" -eq 0 ]; then
    echo "the installed module is not instrumented"
    result module-build 0 1
    finish
fi
gcc -shared -fPIC -o "$work/asan_startup.so" "$root/test/sanitize/asan_startup.c"

# 3. A throwaway cluster; initdb refuses root, so as root the cluster runs as postgres.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$work"
    run_as=(runuser -u postgres --)
fi
bin=$prefix$pg_bin_dir
port=$(( 56000 + RANDOM % 4000 ))
"${run_as[@]}" "$bin/initdb" -D "$work/data" -U postgres -A trust >"$work/logs/initdb.log" 2>&1 ||
    { tail -20 "$work/logs/initdb.log"; result cluster 0 1; finish; }
cat >>"$work/data/postgresql.conf" <<EOF
port = $port
listen_addresses = ''
unix_socket_directories = '$work'
max_prepared_transactions = 10
fsync = off
EOF
preload="$(gcc -print-file-name=libasan.so) $work/asan_startup.so"
asan_options="detect_leaks=0:log_path=$reports/asan:print_suppressions=0"
ubsan_options="print_stacktrace=1:log_path=$reports/ubsan"
if ! "${run_as[@]}" env LD_PRELOAD="$preload" ASAN_OPTIONS="$asan_options" UBSAN_OPTIONS="$ubsan_options" \
        "$bin/pg_ctl" -D "$work/data" -l "$work/logs/server.log" -w -t 120 start >/dev/null; then
    tail -30 "$work/logs/server.log"
    result cluster 0 1
    finish
fi
export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres
trap '"${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1' EXIT
served=$(psql -X -Atc "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'")
if [ "$served" != "$prefix$pg_lib_dir" ]; then
    echo "the server loads modules from $served, not from $prefix$pg_lib_dir"
    result cluster 0 1
    finish
fi

count_regress() {  # log -> "passed failed"
    local log=$1 bad total
    if grep -q "tests passed" "$log"; then
        echo "$(sed -n 's/.*All \([0-9]*\) tests passed.*/\1/p' "$log" | head -1) 0"
    elif grep -q "tests failed" "$log"; then
        bad=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\1/p' "$log" | head -1)
        total=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) tests failed.*/\2/p' "$log" | head -1)
        echo "$((total - bad)) $bad"
    else
        echo "0 1"
    fi
}
echo "== pg_regress, isolation, pgTAP under ASan+UBSan"
make -C "$tree" regresscheck >"$work/logs/regress.log" 2>&1
result pg_regress $(count_regress "$work/logs/regress.log")
[ -s "$tree/regression.diffs" ] && head -100 "$tree/regression.diffs"
make -C "$tree" isolationcheck >"$work/logs/isolation.log" 2>&1
result isolation $(count_regress "$work/logs/isolation.log")
[ -s "$tree/output_iso/regression.diffs" ] && head -100 "$tree/output_iso/regression.diffs"
make -C "$tree" pgtapcheck >"$work/logs/pgtap.log" 2>&1
ok=$(grep -c '^ok ' "$work/logs/pgtap.log" || true)
not_ok=$(grep -c '^not ok ' "$work/logs/pgtap.log" || true)
if ! grep -q '^Result: PASS' "$work/logs/pgtap.log" && [ "$not_ok" -eq 0 ]; then not_ok=1; fi
result pgTAP "$ok" "$not_ok"

echo "== seeded random calls of every function"
psql -X -q -c "CREATE DATABASE random_calls" && psql -X -q -d random_calls -c "CREATE EXTENSION data_bridge"
for seed in "${seeds[@]}"; do
    if psql -X -q -d random_calls -v seed="$seed" -v calls="$calls_per_seed" \
            -f "$root/test/sanitize/random_calls.sql" >"$work/logs/random-$seed.log" 2>&1; then
        echo "seed $seed: $(grep -A2 functions_called "$work/logs/random-$seed.log" | tail -1)"
        result "random calls $seed" 1 0
    else
        tail -30 "$work/logs/random-$seed.log"
        result "random calls $seed" 0 1
    fi
done

# 4. Every report of every backend, and any backend that died of a signal.
"${run_as[@]}" "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1
trap - EXIT
report_count=0
for file in "$reports"/*; do
    [ -e "$file" ] || continue
    report_count=$((report_count + 1))
    echo "== sanitizer report $file"
    head -60 "$file"
done
signals=$(grep -c "terminated by signal" "$work/logs/server.log" || true)
[ "$signals" -eq 0 ] || grep -B2 -A4 "terminated by signal" "$work/logs/server.log" | head -40
if [ "$report_count" -eq 0 ] && [ "$signals" -eq 0 ]; then
    result "reports and crashes" 1 0
else
    echo "$report_count sanitizer report(s), $signals backend(s) killed by a signal; logs in $work/logs"
    result "reports and crashes" 0 1
fi
finish
