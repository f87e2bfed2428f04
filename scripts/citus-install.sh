#!/usr/bin/env bash
# Installs Citus 13.2.2 for the Citus suite and benchmark: from $CITUS_DEPS, else
# ../shared/deps/citus next to the repository, else /work/shared/deps/citus, with the release's
# install.sh (prebuilt in seconds, or built from source). Exits 0 when Citus is installed; else
# prints why on one line and exits 3 (the callers then skip).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
deps=${CITUS_DEPS:-}
if [ -z "$deps" ]; then
    for candidate in "$root/../shared/deps/citus" /work/shared/deps/citus; do
        if [ -f "$candidate/install.sh" ]; then deps=$candidate; break; fi
    done
    deps=${deps:-$root/../shared/deps/citus}
fi
if [ ! -f "$deps/install.sh" ]; then
    echo "no Citus release at $deps; set CITUS_DEPS"
    exit 3
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
if ! "${sudo_cmd[@]}" bash "$deps/install.sh"; then
    echo "Citus could not be installed"
    exit 3
fi
