# Secr Federation: the server, with the `secr` command line on PATH, as a non-root user.
#
#   docker build -t secr-federation .
#   docker run -p 8080:8080 -v secr-data:/data -e Secr__MasterKey=... secr-federation           # SQLite in /data
#   docker run --rm -e Secr__Database__Provider=postgres -e Secr__Database__ConnectionString=... \
#     -e Secr__MasterKey=... secr-federation migrate                                           # one-off migration job
#
# All configuration (database, master key, issuer, bootstrap admin token) comes from the environment at run time;
# nothing secret is built into the image. See docs/operations.md. The build steps themselves live in
# deploy/build.sh, which deploy/validate.sh also runs in CI (no container engine there).

# 1. Only the files that restore reads: project files, Directory.*.props/targets, the solution and the build script.
#    Copying them out of the whole context with one find (rather than one COPY per .csproj) keeps the restore layer
#    below cached until one of them changes, and a project added later cannot be forgotten here.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore-inputs
WORKDIR /src
COPY . .
RUN find . -type f ! \( -name '*.csproj' -o -name '*.sln' -o -name '*.slnx' -o -name 'Directory.*.props' \
        -o -name 'Directory.*.targets' -o -name 'global.json' -o -iname 'nuget.config' -o -path ./deploy/build.sh \) \
        -delete \
 && find . -mindepth 1 -depth -type d -empty -delete

# 2. Restore (cached), then build and publish the server and the CLI in Release.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY --from=restore-inputs /src ./
RUN bash deploy/build.sh restore
COPY . .
RUN bash deploy/build.sh publish /out

# 3. The runtime: ASP.NET Core 10 (Ubuntu 24.04 based), no SDK, no extra packages.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# URLS rather than ASPNETCORE_URLS: the server's appsettings.json sets Urls (http://localhost:8080, loopback only),
# and appsettings.json outranks ASPNETCORE_-prefixed variables but not plain ones. Override with URLS=... or --urls.
# Logs are JSON lines with their scopes, so each line logged during a request carries its RequestId, the
# request_id of the matching audit record.
ENV URLS=http://+:8080 \
    Secr__DataDirectory=/data \
    Logging__Console__FormatterName=json \
    Logging__Console__FormatterOptions__IncludeScopes=true \
    Logging__Console__FormatterOptions__UseUtcTimestamp=true \
    Logging__Console__FormatterOptions__TimestampFormat=yyyy-MM-ddTHH:mm:ss.fffZ \
    PATH=/opt/secr/bin:$PATH
WORKDIR /app
COPY --from=build /out/server/ ./
COPY --from=build /out/cli/ /opt/secr/cli/
COPY --from=build /out/bin/ /opt/secr/bin/
# The data directory (SQLite database, generated key files, admin-token) belongs to the non-root user, 0700;
# a named volume mounted here starts with this owner and mode.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data && chmod 0700 /data
VOLUME /data
EXPOSE 8080
# The aspnet image's non-root user `app` (UID 1654).
USER $APP_UID
# No HEALTHCHECK here: the image has no curl or wget (and gets none), Kubernetes ignores HEALTHCHECK in favour of
# its own probes, and which endpoint to check and how often is the orchestrator's decision. For orchestrators that
# run a command, the image ships /opt/secr/bin/secr-probe [PATH] [PORT] (bash's /dev/tcp, exit 0 on HTTP 200):
# docker-compose.yml runs `secr-probe /readyz`; Kubernetes uses httpGet probes on /healthz and /readyz.
ENTRYPOINT ["dotnet", "Secr.Federation.Server.dll"]
