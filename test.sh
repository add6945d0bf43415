#!/usr/bin/env bash
# Runs every test on a fresh machine: installs curl, jq and Chromium when missing (the samples' and console's tests),
# restores, builds in Release and runs the unit and integration suites on the embedded SQLite (the integration suite
# hosts the real server in-process against WireMock fake issuers), then the integration suite again on a real
# PostgreSQL server with the two-node tests (tests/postgres.sh installs PostgreSQL from the distribution when missing
# and starts a throwaway cluster on a free loopback port), then the benchmark's smoke run, then deploy/validate.sh
# (the container files; installs Debian's docker-compose when missing).
set -uo pipefail
cd "$(dirname "$0")"
# What the tests run besides .NET, installed when missing: the samples' shell steps need curl and jq (as GitHub's
# runners have), and the console's end-to-end tests drive Debian's headless Chromium through chromedriver.
missing=$(for tool in curl jq; do command -v "$tool" > /dev/null || printf '%s ' "$tool"; done)
command -v chromium > /dev/null || missing+="chromium "
command -v chromedriver > /dev/null || missing+="chromium-driver "
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086 # one package per word
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing > /dev/null; } \
    || echo "could not install $missing: the samples' and the console's tests will fail"
fi
log=$(mktemp)
dotnet test Secr.Federation.sln --configuration Release --filter "Storage!=postgres-only" --logger "console;verbosity=normal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The same integration suite on PostgreSQL (each test server gets its own database), and the two-node tests.
if pg_env=$(tests/postgres.sh start); then
  eval "$pg_env"
  trap 'tests/postgres.sh stop "$SECR_TEST_POSTGRES_DIR"' EXIT
  SECR_TEST_DATABASE=postgres dotnet test tests/Secr.Federation.Server.Tests --configuration Release --no-build \
    --filter "Storage!=sqlite-only" --logger "console;verbosity=normal" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
else
  echo "could not start a PostgreSQL cluster for the tests"
  status=1
fi
# The benchmark in its short smoke mode, so it cannot rot: it must run end to end without a single error.
if ! dotnet run --configuration Release --project bench/Secr.Federation.LoadTest -- --smoke; then
  echo "benchmark smoke run failed"
  status=1
fi
# The GitHub action's committed bundles (what the runner runs) must be what its sources build.
if ! bash samples/github-actions/check-dist.sh; then
  echo "samples/github-actions/check-dist.sh failed"
  status=1
fi
# The container files (Dockerfile, docker-compose.yml), checked and built without a container engine.
if ! bash deploy/validate.sh; then
  echo "deploy/validate.sh failed"
  status=1
fi
passed=$(grep -E '^\s+Passed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+Failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
# The failing tests' names and first error lines last, where a reader of a truncated CI log looks first.
if grep -qE '^\s+Failed [A-Za-z]' "$log"; then
  echo "failing tests:"
  grep -A 3 -E '^\s+Failed [A-Za-z]' "$log" | cut -c 1-400
fi
if grep -qE 'Test host process crashed|The active test run was aborted' "$log"; then
  echo "a test host crashed:"
  grep -B 2 -A 5 -E 'Test host process crashed|The active test run was aborted' "$log" | cut -c 1-400
fi
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
