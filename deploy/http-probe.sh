#!/usr/bin/env bash
# secr-probe [PATH] [PORT]: exit 0 when GET http://127.0.0.1:PORT/PATH answers HTTP 200 within 5 seconds, else 1.
# Defaults: /readyz on 8080. For health checks that run a command inside the container: the aspnet image has no curl
# or wget, and bash's /dev/tcp is enough for one plain-HTTP request on loopback. Prints the status line and the
# JSON body (readiness names what is not ready), which `docker inspect` shows in the health log.
path=${1:-/readyz}
port=${2:-8080}

if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "secr-probe: nothing listens on 127.0.0.1:$port"
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
if ! read -r -t 5 proto code reason <&3; then
  echo "secr-probe: no answer from 127.0.0.1:$port$path within 5 s"
  exit 1
fi
echo "$proto $code ${reason%$'\r'}"
# The body (chunked or not): print its JSON line, if one arrives in time.
while IFS= read -r -t 5 line <&3; do
  case "$line" in '{'*) echo "${line%$'\r'}" ;; esac
done
exec 3<&-
[ "$code" = 200 ]
