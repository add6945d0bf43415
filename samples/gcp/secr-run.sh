#!/bin/sh
# Runs a command with one secr environment's secrets as environment variables, on a Compute Engine VM: the metadata
# server's identity token for the VM's service account, with the secr server as audience, is exchanged for a secr
# access token, and `secr run` starts the command with the secrets.
#
#   SECR_SERVER=https://secr.example.com SECR_PROJECT=payments SECR_ENV=prod secr-run.sh ./nightly-report
#
# Needs curl and the secr CLI. GCE_METADATA_HOST (host[:port], the variable Google's client libraries read) points
# it at another metadata server, e.g. a test's.
set -eu
: "${SECR_SERVER:?}" "${SECR_PROJECT:?}" "${SECR_ENV:?}"
[ "$#" -gt 0 ] || { echo "usage: secr-run.sh COMMAND [ARGS...]" >&2; exit 2; }
server=${SECR_SERVER%/}

# format=full adds the google.compute_engine claims (project_id, instance_id, zone) a binding can pin.
jwt=$(curl -sSf --max-time 10 -H 'Metadata-Flavor: Google' --get \
  --data-urlencode "audience=$server/" --data-urlencode format=full \
  "http://${GCE_METADATA_HOST:-metadata.google.internal}/computeMetadata/v1/instance/service-accounts/default/identity")
# The token goes to secr on standard input, not as an argument other processes could read.
SECR_TOKEN=$(printf '%s' "$jwt" | secr exchange --token-file /dev/stdin)
export SECR_TOKEN
exec secr run --project "$SECR_PROJECT" --env "$SECR_ENV" -- "$@"
