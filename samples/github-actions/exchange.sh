#!/usr/bin/env bash
# The secr action's one step (action.yml runs it; the samples tests run this very file): trade the job's OIDC token
# for a short-lived secr access token and hand an environment's secrets to the rest of the job, masked.
#
# Environment (action.yml maps its inputs onto these):
#   SECR_SERVER       the server's URL, e.g. https://secr.example.com
#   SECR_AUDIENCE     the audience to request; default "$SECR_SERVER/" (the server's issuer URL as discovery publishes it)
#   SECR_PROJECT, SECR_ENVIRONMENT   both or neither: the secrets to read
#   SECR_SCOPE        optional token endpoint scope, e.g. binding:NAME or secrets:read
#   SECR_EXPORT       env (default: later steps see the secrets as environment variables, via GITHUB_ENV) or
#                     outputs (this step's outputs, via GITHUB_OUTPUT; for a run: step of your own with an id)
# Writes the output access-token (masked) in both cases.
#
# Every token and value is registered with ::add-mask:: before anything could print it, and goes to curl on standard
# input rather than as an argument, which other processes on a self-hosted runner could read. Failures are ::error::
# lines naming what to fix and exit non-zero, before anything is exported.
set -euo pipefail
# `printf … | request …` runs request in this shell, so the HTTP_* variables it sets survive the pipe.
shopt -s lastpipe

fail() { printf '::error::secr: %s\n' "$(command_data "$*")"; exit 1; }

# Workflow-command data is escaped as @actions/core escapes it, so a value cannot end the command early.
command_data() { local s=${1//'%'/%25}; s=${s//$'\r'/%0D}; printf '%s' "${s//$'\n'/%0A}"; }

mask() {
  local value=$1 line
  [ -n "$value" ] || return 0
  printf '::add-mask::%s\n' "$(command_data "$value")"
  # The runner masks the log line by line, so a multi-line value is masked one line at a time as well
  # (blank lines excepted: masking whitespace would blank out the whole log).
  if [[ $value == *$'\n'* ]]; then
    while IFS= read -r line; do
      line=${line%$'\r'}
      if [[ $line =~ [^[:space:]] ]]; then printf '::add-mask::%s\n' "$(command_data "$line")"; fi
    done <<< "$value"
  fi
}

# NAME<<DELIMITER ... DELIMITER, the runner's multiline-safe file syntax, with a random delimiter the value cannot hold.
write_file_command() {
  local file=$1 name=$2 value=$3 delimiter
  delimiter=secr_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  [[ $value != *"$delimiter"* ]] || fail "the value of $name contains the random delimiter; run the step again"
  printf '%s<<%s\n%s\n%s\n' "$name" "$delimiter" "$value" "$delimiter" >> "$file"
}

# HTTP_STATUS and HTTP_BODY from one curl call; curl's own error (connection refused...) names no credential.
request() {
  local response
  response=$(curl -sS --max-time 30 -w '\n%{http_code}' "$@") || return 1
  HTTP_STATUS=${response##*$'\n'}
  HTTP_BODY=${response%$'\n'*}
}

field() { jq -r "$1 // empty" <<< "$HTTP_BODY" 2>/dev/null || true; }

uri() { jq -rn --arg value "$1" '$value | @uri'; }

for tool in curl jq; do
  command -v "$tool" > /dev/null || fail "$tool is not installed on this runner (GitHub-hosted runners have it)"
done
server=${SECR_SERVER:?the server input is required}
server=${server%/}
audience=${SECR_AUDIENCE:-$server/}
project=${SECR_PROJECT:-}
environment=${SECR_ENVIRONMENT:-}
export_to=${SECR_EXPORT:-env}
case "$export_to" in
  env) target=${GITHUB_ENV:-} ;;
  outputs) target=${GITHUB_OUTPUT:-} ;;
  *) fail "export-to must be env or outputs, not '$export_to'" ;;
esac
if [ -z "$target" ] || [ -z "${GITHUB_OUTPUT:-}" ]; then
  fail "GITHUB_ENV or GITHUB_OUTPUT is not set: run this inside a GitHub Actions job"
fi
if [ -z "$project" ] || [ -z "$environment" ]; then
  [ -z "$project$environment" ] || fail "give both project and environment, or neither (to get only the access token)"
fi

# 1. The job's OIDC token, requested the way @actions/core's getIDToken does.
if [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ] || [ -z "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:-}" ]; then
  fail "the job has no OIDC token: give it 'permissions: id-token: write' (pull_request jobs from forks never get one)"
fi
printf 'Authorization: bearer %s\n' "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
  | request -H @- "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=$(uri "$audience")" \
  || fail "the runner's OIDC token service could not be reached"
[ "$HTTP_STATUS" = 200 ] || fail "GitHub refused the OIDC token request (HTTP $HTTP_STATUS)"
job_token=$(field .value)
[ -n "$job_token" ] || fail "GitHub's answer holds no OIDC token"
mask "$job_token"

# 2. RFC 8693 token exchange at the server's token endpoint.
form=(--data-urlencode grant_type=urn:ietf:params:oauth:grant-type:token-exchange
      --data-urlencode subject_token_type=urn:ietf:params:oauth:token-type:jwt)
if [ -n "${SECR_SCOPE:-}" ]; then form+=(--data-urlencode "scope=$SECR_SCOPE"); fi
printf '%s' "$job_token" | request "${form[@]}" --data-urlencode subject_token@- "$server/connect/token" \
  || fail "the server $server could not be reached"
if [ "$HTTP_STATUS" != 200 ]; then
  fail "the server refused the token exchange (HTTP $HTTP_STATUS $(field .error)): $(field .error_description)"
fi
access_token=$(field .access_token)
[ -n "$access_token" ] || fail "the server's answer holds no access token"
mask "$access_token"
write_file_command "$GITHUB_OUTPUT" access-token "$access_token"
[ -n "$project" ] || exit 0

# 3. The environment's secrets: every value masked first, then all of them exported.
printf 'Authorization: Bearer %s\n' "$access_token" \
  | request -H @- "$server/v1/secrets/$(uri "$project")/$(uri "$environment")" \
  || fail "the server $server could not be reached"
if [ "$HTTP_STATUS" != 200 ]; then
  fail "the server refused to read $project/$environment (HTTP $HTTP_STATUS $(field .code)): $(field .detail)"
fi
declare -A secrets=()
while IFS=' ' read -r key encoded; do
  # Base64 carries each value through the shell intact (newlines, quotes); the x keeps trailing newlines.
  value=$(printf '%s' "$encoded" | base64 -d; printf x)
  secrets[$key]=${value%x}
done < <(field '.secrets | to_entries[] | "\(.key) \(.value | @base64)"')
for key in "${!secrets[@]}"; do mask "${secrets[$key]}"; done
for key in "${!secrets[@]}"; do write_file_command "$target" "$key" "${secrets[$key]}"; done
echo "secr: ${#secrets[@]} secret(s) of $project/$environment exported to $export_to: ${!secrets[*]}"
