#!/usr/bin/env bash
# The runner runs dist/ as committed, so dist/ must be exactly what src/ builds: installs the locked packages and
# builds in a scratch copy, then compares. Run by the repository's test.sh; after changing src/, run
# `npm ci && npm run build` here and commit dist/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$here/src" "$here/build.js" "$here/package.json" "$here/package-lock.json" "$scratch/"
cd "$scratch"
npm ci --no-audit --no-fund --loglevel=error > /dev/null
node build.js > /dev/null 2>&1
if ! diff -rq "$here/dist" "$scratch/dist"; then
  echo "samples/github-actions/dist is not what src/ builds: run 'npm ci && npm run build' there and commit dist/" >&2
  exit 1
fi
echo "samples/github-actions/dist matches its sources"
