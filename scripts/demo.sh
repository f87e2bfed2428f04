#!/usr/bin/env bash
# The newcomer's command: installs what is missing, builds and installs data_bridge, starts a
# throwaway PostgreSQL 15 cluster, loads the sample blog schema and shows the functions at work.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
make -j"$(nproc)" >/dev/null
make install >/dev/null
echo "data_bridge built and installed; starting a throwaway cluster"
pg_virtualenv -v 15 sh -c '
    psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION data_bridge" &&
    psql -X -q -v ON_ERROR_STOP=1 -f demo/sample_schema.sql &&
    psql -X -v ON_ERROR_STOP=1 -f demo/demo.sql' 2>&1 | grep -v '^Creating new\|^Dropping cluster'
