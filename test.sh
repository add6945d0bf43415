#!/usr/bin/env bash
# Runs every test on a fresh machine: restores, builds in Release and runs the unit and integration suites
# (the integration suite hosts the real server in-process against WireMock fake issuers; nothing to install),
# then the benchmark's smoke run, then deploy/validate.sh (the container files; installs Debian's docker-compose
# when missing).
set -uo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
# The multi-node tests need a shared PostgreSQL server (tests/postgres.sh); they are not wired in here yet.
dotnet test Secr.Federation.sln --configuration Release --filter "Storage!=postgres-only" --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The benchmark in its short smoke mode, so it cannot rot: it must run end to end without a single error.
if ! dotnet run --configuration Release --project bench/Secr.Federation.LoadTest -- --smoke; then
  echo "benchmark smoke run failed"
  status=1
fi
# The container files (Dockerfile, docker-compose.yml), checked and built without a container engine.
if ! bash deploy/validate.sh; then
  echo "deploy/validate.sh failed"
  status=1
fi
passed=$(grep -E '^\s+Passed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+Failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
