#!/usr/bin/env bash
# Checks the container files without a container engine (CI has none); ./test.sh runs it.
#
#  1. docker-compose.yml: `docker-compose config -q` with Debian's docker-compose 1.29 (python, needs no daemon;
#     installed with apt-get when missing), without and with the postgres profile, the SECR_MASTER_KEY guard, and
#     the resolved file's shape (services, profiles, health checks, dependencies, named volumes, environment).
#     docker-compose 1.29 understands `profiles:`; `config` validates and prints every service whatever profile is
#     active (`--profile` only changes what `up` starts), so the profile checks read the resolved file.
#  2. Dockerfile: base images, non-root user, port, entrypoint, no secret-looking ENV/ARG; every COPY source is in
#     the build context (the repository less .dockerignore), and so is every source file the build needs.
#  3. The build itself, as the Dockerfile runs it, in a copy of the build context: the restore-inputs stage's find,
#     `deploy/build.sh restore` on what it leaves, the full context over it, `deploy/build.sh publish`. Then the
#     published server is started with the image's ENV (data directory and port aside) from its own directory, as
#     in the image (WORKDIR /app), and must answer secr-probe (the compose health check) on /readyz and /healthz
#     on a non-loopback binding with JSON logs, and the `secr` wrapper must run.
#
# What it cannot check here: pulling the base images, `docker build` itself (USER, chown and the volume's mode
# need an engine), and SQL Server or PostgreSQL behind the server (the server runs on SQLite here).
set -uo pipefail
cd "$(dirname "$0")/.."
failures=0
step() { printf '\n== %s\n' "$*"; }
pass() { printf '  ok    %s\n' "$*"; }
flunk() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. docker-compose.yml --------------------------------------------------------------------------------------
step "docker-compose.yml"
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "  installing Debian's docker-compose (config needs no daemon; --no-install-recommends skips docker.io)"
  if [ "$(id -u)" -ne 0 ]; then
    flunk "docker-compose is missing and installing it needs root: apt-get install --no-install-recommends docker-compose"
  elif ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose; } >"$work/apt.log" 2>&1; then
    tail -20 "$work/apt.log"
    flunk "apt-get install docker-compose"
  fi
fi
if command -v docker-compose >/dev/null 2>&1; then
  echo "  $(docker-compose version --short 2>/dev/null || docker-compose version | head -1)"
  # An empty env file: a developer's .env must not change the result. The key is a throwaway.
  : >"$work/empty.env"
  compose() { docker-compose --env-file "$work/empty.env" -f docker-compose.yml "$@"; }
  key=$(head -c 32 /dev/urandom | base64)
  if env -u SECR_MASTER_KEY docker-compose --env-file "$work/empty.env" -f docker-compose.yml config -q >"$work/guard.log" 2>&1; then
    flunk "config without SECR_MASTER_KEY must fail"
  elif grep -q SECR_MASTER_KEY "$work/guard.log"; then
    pass "config without SECR_MASTER_KEY fails, naming it"
  else
    cat "$work/guard.log"; flunk "config without SECR_MASTER_KEY fails for another reason"
  fi
  if SECR_MASTER_KEY=$key compose config -q; then pass "docker-compose config -q"; else flunk "docker-compose config -q"; fi
  if SECR_MASTER_KEY=$key compose --profile postgres config -q; then
    pass "docker-compose --profile postgres config -q"
  else
    flunk "docker-compose --profile postgres config -q"
  fi
  profiles=$(SECR_MASTER_KEY=$key compose config --profiles 2>&1)
  if [ "$profiles" = postgres ]; then pass "profiles: postgres"; else flunk "profiles: expected postgres, got: $profiles"; fi
  if SECR_MASTER_KEY=$key compose config >"$work/compose.yml" &&
     SECR_MASTER_KEY=$key EXPECTED_MASTER_KEY=$key /usr/bin/python3 deploy/check_container_files.py compose <"$work/compose.yml"; then
    :
  else
    flunk "the resolved docker-compose.yml (above)"
  fi
fi

# --- 2. Dockerfile, statically ----------------------------------------------------------------------------------
step "Dockerfile"
python3 deploy/check_container_files.py dockerfile || flunk "Dockerfile checks (above)"

# --- 3. The build, as the Dockerfile runs it --------------------------------------------------------------------
step "build as the Dockerfile does (in a copy of the build context)"
# Stage restore-inputs: the context less everything its find deletes. Stage build: restore on that, then the whole
# context copied over it (COPY . .), then publish.
src=$work/src
mkdir -p "$src"
python3 deploy/check_container_files.py context "$src"
restore_inputs=$(python3 deploy/check_container_files.py stage-run restore-inputs)
projects=$(cd "$src" && find . -type f \( -name '*.csproj' -o -name '*.sln' -o -name 'Directory.*.props' \) | sort)
if (cd "$src" && [ "$PWD" = "$src" ] && sh -c "$restore_inputs"); then
  kept=$(cd "$src" && find . -type f | sort)
  if [ "$kept" = "$(printf '%s\n' "$projects" ./deploy/build.sh | sort)" ]; then
    pass "restore-inputs keeps exactly the project files, the solution, Directory.*.props and deploy/build.sh ($(echo "$kept" | wc -l) files)"
  else
    flunk "restore-inputs keeps: $(echo "$kept" | tr '\n' ' ') (expected the project files, the solution, Directory.*.props and deploy/build.sh)"
  fi
else
  flunk "the restore-inputs stage's RUN"
fi
if (cd "$src" && bash deploy/build.sh restore) >"$work/restore.log" 2>&1; then
  pass "deploy/build.sh restore with only the restore inputs"
else
  tail -30 "$work/restore.log"; flunk "deploy/build.sh restore with only the restore inputs"
fi
python3 deploy/check_container_files.py context "$src"
out=$work/out
if (cd "$src" && bash deploy/build.sh publish "$out") >"$work/publish.log" 2>&1; then
  pass "deploy/build.sh publish (server and CLI, Release)"
else
  tail -40 "$work/publish.log"; flunk "deploy/build.sh publish"
fi

step "the published image contents"
for f in server/Secr.Federation.Server.dll server/appsettings.json cli/secr.dll bin/secr bin/secr-probe; do
  if [ -e "$out/$f" ]; then pass "$f"; else flunk "$f missing"; fi
done
if "$out/bin/secr" --help >"$work/cli.log" 2>&1; then pass "secr --help (the wrapper on PATH)"; else cat "$work/cli.log"; flunk "secr --help"; fi

if [ -f "$out/server/Secr.Federation.Server.dll" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if "$out/bin/secr-probe" /readyz "$port" >/dev/null; then flunk "secr-probe succeeds with nothing listening"; else pass "secr-probe fails with nothing listening"; fi
  # The image's ENV, with its data directory and port moved here.
  mapfile -t image_env < <(python3 deploy/check_container_files.py runtime-env | grep -v '^PATH=')
  mkdir -m 0700 "$work/data"
  (
    cd "$out/server"
    exec env "${image_env[@]}" "URLS=http://+:$port" "Secr__DataDirectory=$work/data" dotnet Secr.Federation.Server.dll
  ) >"$work/server.log" 2>&1 &
  server_pid=$!
  ready=
  for _ in $(seq 1 60); do
    if "$out/bin/secr-probe" /readyz "$port" >"$work/probe.log" 2>&1; then ready=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -n "$ready" ]; then pass "secr-probe /readyz: $(tr '\n' ' ' <"$work/probe.log")"; else cat "$work/probe.log"; tail -20 "$work/server.log"; flunk "secr-probe /readyz within 30 s"; fi
  if "$out/bin/secr-probe" /healthz "$port" >/dev/null; then pass "secr-probe /healthz"; else flunk "secr-probe /healthz"; fi
  if "$out/bin/secr-probe" /no-such-path "$port" >/dev/null; then flunk "secr-probe succeeds on a 404"; else pass "secr-probe fails on a 404"; fi
  if grep -q "Now listening on: http://\[::\]:$port" "$work/server.log"; then
    pass "listens on every interface (URLS in the image outranks appsettings.json's Urls)"
  else
    grep -i "listening" "$work/server.log"; flunk "listens on every interface"
  fi
  if grep -q '^{"Timestamp":"[0-9-]*T[0-9:.]*Z","EventId"' "$work/server.log"; then
    pass "logs are JSON lines with UTC timestamps"
  else
    head -5 "$work/server.log"; flunk "logs are JSON lines with UTC timestamps"
  fi
  kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=
fi

echo
if [ "$failures" -eq 0 ]; then
  echo "deploy/validate.sh: all checks passed"
else
  echo "deploy/validate.sh: $failures check(s) failed"
  exit 1
fi
