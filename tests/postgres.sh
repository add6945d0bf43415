#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the integration tests, on a free loopback port in a temporary directory.
#   eval "$(tests/postgres.sh start)"   # installs PostgreSQL from the distribution if missing; exports SECR_TEST_POSTGRES, SECR_TEST_POSTGRES_DIR
#   tests/postgres.sh stop "$SECR_TEST_POSTGRES_DIR"
# fsync is off, as the tests need no durability; SECR_TEST_POSTGRES_FSYNC=on keeps it (the load test's --postgres).
set -euo pipefail

bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# initdb and postgres refuse to run as root: as root, the cluster belongs to the package's postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ -z "$(bin)" ]; then
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } >&2
    fi
    dir=$(mktemp -d /tmp/secr-pg-XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    as_owner "$(bin)/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2
    for _ in 1 2 3 4 5; do
      port=$((20000 + RANDOM % 40000))
      if as_owner "$(bin)/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
           -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${SECR_TEST_POSTGRES_FSYNC:-off}" start >&2; then
        echo "export SECR_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true'"
        echo "export SECR_TEST_POSTGRES_DIR='$dir'"
        exit 0
      fi
    done
    cat "$dir/log" >&2
    exit 1
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    as_owner "$(bin)/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
