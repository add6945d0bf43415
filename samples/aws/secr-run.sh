#!/bin/sh
# Runs a command with one secr environment's secrets as environment variables, on AWS (EC2, ECS, CodeBuild, a
# container: anything with role credentials): STS signs a JWT for the role (IAM outbound identity federation), with
# the secr server as audience, which is exchanged for a secr access token, and `secr run` starts the command.
#
#   SECR_SERVER=https://secr.example.com SECR_PROJECT=payments SECR_ENV=prod secr-run.sh ./batch-job
#
# Needs the AWS CLI v2, a region (GetWebIdentityToken is not on STS's global endpoint: set AWS_REGION), the role's
# permission sts:GetWebIdentityToken, and the secr CLI. AWS_ENDPOINT_URL_STS, which the AWS CLI itself reads, points
# it at another STS endpoint (a VPC endpoint).
set -eu
: "${SECR_SERVER:?}" "${SECR_PROJECT:?}" "${SECR_ENV:?}"
[ "$#" -gt 0 ] || { echo "usage: secr-run.sh COMMAND [ARGS...]" >&2; exit 2; }
server=${SECR_SERVER%/}

# Five minutes is the shortest useful life: the token is exchanged at once.
jwt=$(aws sts get-web-identity-token --audience "$server/" --signing-algorithm RS256 --duration-seconds 300 \
  --query WebIdentityToken --output text)
# The token goes to secr on standard input, not as an argument other processes could read.
SECR_TOKEN=$(printf '%s' "$jwt" | secr exchange --token-file /dev/stdin)
export SECR_TOKEN
exec secr run --project "$SECR_PROJECT" --env "$SECR_ENV" -- "$@"
