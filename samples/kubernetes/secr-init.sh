#!/bin/sh
# The init container's command (pod.yaml runs it from the secr-init ConfigMap; the samples tests run this very file):
# trade the pod's projected service-account token for a secr access token and write the environment's secrets to a
# shell-sourceable env file (0600) on the shared in-memory volume, for the app container to `. /secr/env`.
#
# Needs only sh and the secr CLI, as in the secr-federation image (/opt/secr/bin/secr; no curl or jq there).
# Environment: SECR_SERVER, SECR_PROJECT, SECR_ENV; SECR_TOKEN_FILE (the projected token), SECR_ENV_FILE (the output).
set -eu

# --write KEY...: inside `secr run`, print each variable as `export KEY='value'` (a ' inside becomes '\''), so any
# value, multi-line ones included, survives `. file` byte for byte.
if [ "${1:-}" = --write ]; then
  shift
  for key do
    eval "value=\${$key}"
    printf "export %s='" "$key"
    # shellcheck disable=SC2154 # the eval above assigns it
    printf '%s' "$value" | sed "s/'/'\\\\''/g"
    printf "'\n"
  done
  exit 0
fi

: "${SECR_SERVER:?}" "${SECR_PROJECT:?}" "${SECR_ENV:?}" "${SECR_TOKEN_FILE:?}" "${SECR_ENV_FILE:?}"
umask 077
# A refused or failed read leaves no partial file behind, and the access token is revoked (RFC 7009) however the script
# ends: the app container reads the env file, never the token, so the token is done with when this container is.
trap 'rm -f "$SECR_ENV_FILE.tmp"; [ -z "${SECR_TOKEN:-}" ] || secr revoke > /dev/null || echo "secr-init: could not revoke the access token; it expires with its binding ttl" >&2' EXIT

# An assignment alone, so a refused exchange stops the script (`export X=$(…)` would hide the failure).
SECR_TOKEN=$(secr exchange --token-file "$SECR_TOKEN_FILE")
export SECR_TOKEN

# The keys, from the CLI's JSON listing (one "key" member per line; the server only accepts [A-Za-z_][A-Za-z0-9_]*
# as a key, so every key is also a valid variable name).
listing=$(secr secrets list --project "$SECR_PROJECT" --env "$SECR_ENV" --json)
keys=$(printf '%s\n' "$listing" | sed -n 's/^ *"key": "\([A-Za-z_][A-Za-z0-9_]*\)",\{0,1\}$/\1/p')

# `secr run` hands the values to this script's --write mode as environment variables (see the top).
# shellcheck disable=SC2086 # the keys are plain words, one argument each
secr run --project "$SECR_PROJECT" --env "$SECR_ENV" -- /bin/sh "$0" --write $keys > "$SECR_ENV_FILE.tmp"
mv "$SECR_ENV_FILE.tmp" "$SECR_ENV_FILE"
# shellcheck disable=SC2086
echo "secr-init: $(printf '%s\n' $keys | grep -c .) secret(s) of $SECR_PROJECT/$SECR_ENV written to $SECR_ENV_FILE"
