#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGDATABASE point at the throwaway cluster):
# pg_regress, then isolation specs, then pgTAP. Each suite writes its log into $1.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$1

make installcheck REGRESS_OPTS="--load-extension=data_bridge" ISOLATION= 2>&1 | tee "$logs/regress.log"
if ls specs/*.spec >/dev/null 2>&1; then
    make installcheck REGRESS= 2>&1 | tee "$logs/isolation.log"
fi
pg_prove --verbose test/pgtap/*.sql 2>&1 | tee "$logs/pgtap.log"
