#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGDATABASE point at the throwaway cluster):
# pg_regress, then isolation specs, then pgTAP, then the driver tests. Each suite writes its log
# into $1.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$1

make regresscheck 2>&1 | tee "$logs/regress.log"
make isolationcheck 2>&1 | tee "$logs/isolation.log"
make pgtapcheck 2>&1 | tee "$logs/pgtap.log"
make drivercheck 2>&1 | tee "$logs/drivers.log"
make examplecheck 2>&1 | tee "$logs/examples.log"
