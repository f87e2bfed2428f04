#!/usr/bin/env bash
# Installs, with apt-get, whatever data_bridge needs to build, test, demo and benchmark that this
# Debian 12 machine lacks. Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
    g++ make cmake                      # compilers and the unit-test build
    postgresql-15                       # the server the tests and the demo start
    postgresql-server-dev-15            # PGXS, server headers, clang for JIT bitcode
    postgresql-common                   # pg_virtualenv
    libfmt-dev                          # fmt
    libgtest-dev                        # GoogleTest
    postgresql-15-pgtap                 # pgTAP
    libtap-parser-sourcehandler-pgtap-perl  # pg_prove
    libdbd-pg-perl libjson-xs-perl      # the client-side N+1 loop of the benchmarks
    libipc-run-perl                     # PostgreSQL::Test::Cluster, for the TAP tests
    python3-psycopg2 ruby ruby-pg       # the driver tests (Perl DBD::Pg above; node-postgres from npm)
    debhelper postgresql-server-dev-all # the Debian package (make deb)
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

# Node.js and npm, for node-postgres: the machine's own when it has them (Debian's npm would
# conflict with them), Debian's otherwise.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
