#!/usr/bin/env bash
# Runs every test on a fresh machine: restores, builds and runs the unit and integration suites.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Secr.Federation.sln --configuration Release --logger "console;verbosity=normal" 2>&1 | tee /tmp/secr-test.log
