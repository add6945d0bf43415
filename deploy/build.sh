#!/usr/bin/env bash
# How the image builds the server and the CLI, in one place: the Dockerfile runs it, and deploy/validate.sh runs it
# outside a container in CI, so what CI checks is what the image gets.
#
#   deploy/build.sh restore        restore the server and the CLI (reads project files only; Docker caches this step)
#   deploy/build.sh publish OUT    after restore: Release builds into OUT/server and OUT/cli, and into OUT/bin the
#                                  `secr` command (a wrapper running OUT/cli/secr.dll) and `secr-probe`
#
# Framework-dependent and without an apphost, so the output runs on the aspnet image of any architecture.
set -euo pipefail
cd "$(dirname "$0")/.."

server=src/Secr.Federation.Server/Secr.Federation.Server.csproj
cli=src/Secr.Cli/Secr.Cli.csproj

case "${1:-}" in
  restore)
    dotnet restore "$server"
    dotnet restore "$cli"
    ;;
  publish)
    out=${2:?usage: deploy/build.sh publish OUT}
    dotnet publish "$server" --configuration Release --no-restore -p:UseAppHost=false --output "$out/server"
    dotnet publish "$cli" --configuration Release --no-restore -p:UseAppHost=false --output "$out/cli"
    mkdir -p "$out/bin"
    # PATH finds the wrapper as <dir>/bin/secr, and the CLI sits beside bin/ (in the image: /opt/secr/{bin,cli}).
    printf '%s\n' '#!/bin/sh' 'exec dotnet "$(dirname "$0")/../cli/secr.dll" "$@"' > "$out/bin/secr"
    cp deploy/http-probe.sh "$out/bin/secr-probe"
    chmod 0755 "$out/bin/secr" "$out/bin/secr-probe"
    ;;
  *)
    echo "usage: deploy/build.sh restore | publish OUT" >&2
    exit 2
    ;;
esac
