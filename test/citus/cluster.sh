#!/usr/bin/env bash
# A throwaway Citus cluster on 127.0.0.1: a coordinator and two workers, each with citus and
# data_bridge, for the distributed tests and benchmarks.
#   cluster.sh start DIR [PORT]   initdb and start the nodes under DIR (ports PORT, PORT+1, PORT+2;
#                                 default 5701), add the workers, create the database "citus_test"
#   cluster.sh stop DIR           stop the nodes and remove DIR
# initdb refuses root: as root the nodes run as the postgres user.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory}
port=${3:-5701}
bin=$(pg_config --bindir)
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); fi

case "$action" in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    for n in 0 1 2; do
        node="$dir/node$n"
        "${as_postgres[@]}" "$bin/initdb" -D "$node" -A trust -N -U postgres >/dev/null
        cat >>"$node/postgresql.conf" <<CONF
port = $((port + n))
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
max_prepared_transactions = 20
CONF
        "${as_postgres[@]}" "$bin/pg_ctl" -D "$node" -l "$dir/node$n.log" -w start >/dev/null
    done
    for n in 0 1 2; do
        "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p $((port + n)) -U postgres -d postgres -qAt \
            -c "CREATE DATABASE citus_test" >/dev/null
        "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p $((port + n)) -U postgres -d citus_test -qAt \
            -c "CREATE EXTENSION citus" >/dev/null
    done
    "${as_postgres[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d citus_test -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT citus_set_coordinator_host('127.0.0.1', $port);
SELECT citus_add_node('127.0.0.1', $((port + 1)));
SELECT citus_add_node('127.0.0.1', $((port + 2)));
SQL
    ;;
stop)
    for n in 0 1 2; do
        if [ -d "$dir/node$n" ]; then
            "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/node$n" -m immediate stop >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$dir"
    ;;
*)
    echo "usage: cluster.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
