#!/usr/bin/env python3
"""Checks of the Dockerfile, .dockerignore and docker-compose.yml that need no container engine (deploy/validate.sh).

  check_container_files.py dockerfile          static checks of the Dockerfile against the build context
  check_container_files.py context DEST        copy the build context (the repository less .dockerignore) to DEST
  check_container_files.py stage-run STAGE     print the RUN commands of a Dockerfile stage, one per line
  check_container_files.py runtime-env         print the final stage's ENV, one KEY=VALUE per line
  check_container_files.py compose             check `docker-compose config` output (YAML on standard input)

Standard library only, except `compose`, which needs PyYAML (a dependency of Debian's docker-compose).
"""

import fnmatch
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
failures = []


def ok(message):
    print(f"  ok    {message}")


def fail(message):
    print(f"  FAIL  {message}")
    failures.append(message)


def check(condition, message):
    (ok if condition else fail)(message)
    return condition


# --- .dockerignore (the semantics of moby/patternmatcher: last matching line wins, `!` re-includes, a pattern that
# matches a parent directory excludes everything below it) ---------------------------------------------------------

def pattern_regex(pattern):
    out, i = "^", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
            continue
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out += re.escape(c)
            else:
                body = pattern[i + 1:end]
                out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + "$")


def read_dockerignore():
    rules = []
    path = os.path.join(ROOT, ".dockerignore")
    if not os.path.exists(path):
        return rules
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        if exception:
            line = line[1:].strip()
        line = os.path.normpath(line).lstrip("/")
        rules.append((exception, pattern_regex(line)))
    return rules


RULES = read_dockerignore()


def excluded(rel):
    parts = rel.split("/")
    candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for exception, regex in RULES:
        if any(regex.match(c) for c in candidates):
            result = not exception
    return result


def context_files():
    """Every file Docker would send as the build context, relative to the repository root."""
    has_exceptions = any(exception for exception, _ in RULES)
    files = []
    for directory, dirs, names in os.walk(ROOT):
        rel_dir = os.path.relpath(directory, ROOT)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        if not has_exceptions:
            dirs[:] = [d for d in dirs if not excluded(rel_dir + d)]
        dirs.sort()
        for name in sorted(names):
            rel = rel_dir + name
            if not excluded(rel):
                files.append(rel)
    return files


# --- Dockerfile -------------------------------------------------------------------------------------------------

def instructions():
    """(keyword, arguments) per instruction, continuation lines joined, comments dropped."""
    result, current = [], ""
    for raw in open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8"):
        line = raw.rstrip("\n")
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        keyword, _, args = current.strip().partition(" ")
        result.append((keyword.upper(), args.strip()))
        current = ""
    return result


def stages():
    """[(image, name, [(keyword, args)])] in order."""
    result = []
    for keyword, args in instructions():
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--platform")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append((words[0], name, []))
        elif result:
            result[-1][2].append((keyword, args))
    return result


def copy_parts(args):
    """(flags, sources, destination) of a COPY or ADD."""
    if args.lstrip().startswith("["):
        import json
        words = json.loads(args)
    else:
        words = shlex.split(args)
    flags = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    return flags, words[:-1], words[-1]


def env_pairs(args):
    words = shlex.split(args)
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [tuple(w.split("=", 1)) for w in words]


SECRET_NAME = re.compile(r"master_?key|password|passwd|secret|token|connectionstring|apikey", re.I)


def check_dockerfile():
    print("Dockerfile:")
    all_stages = stages()
    context = context_files()
    context_set = set(context)
    context_dirs = {"/".join(f.split("/")[:n]) for f in context for n in range(1, f.count("/") + 1)}

    check(any(image == "mcr.microsoft.com/dotnet/sdk:10.0" for image, _, _ in all_stages[:-1]),
          "builds in mcr.microsoft.com/dotnet/sdk:10.0")
    final_image, _, final = all_stages[-1]
    check(final_image == "mcr.microsoft.com/dotnet/aspnet:10.0", f"runs on mcr.microsoft.com/dotnet/aspnet:10.0 ({final_image})")

    names = []
    for image, name, body in all_stages:
        for keyword, args in body:
            if keyword not in ("COPY", "ADD"):
                continue
            flags, sources, _ = copy_parts(args)
            if "from" in flags:
                check(flags["from"] in names, f"COPY --from={flags['from']} names an earlier stage")
                continue
            for source in sources:
                source = os.path.normpath(source).lstrip("/")
                if source == ".":
                    check(len(context) > 0, "COPY . : the build context is not empty")
                    continue
                present = source in context_set or source in context_dirs or any(
                    fnmatch.fnmatchcase(f, source) for f in context)
                in_repo = bool(glob.glob(os.path.join(ROOT, source)))
                check(present, f"COPY source {source} is in the build context"
                      + ("" if present or not in_repo else " (it exists but .dockerignore excludes it)"))
        if name:
            names.append(name)

    # Files the build scripts run must reach the build.
    referenced = set()
    for _, _, body in all_stages:
        for keyword, args in body:
            if keyword == "RUN":
                referenced.update(re.findall(r"\bdeploy/[\w./-]+", args))
    build_script = os.path.join(ROOT, "deploy/build.sh")
    if os.path.exists(build_script):
        code = "".join(l for l in open(build_script, encoding="utf-8") if not l.lstrip().startswith("#"))
        referenced.update(re.findall(r"\bdeploy/[\w.-]+\.(?:sh|py)\b", code))
    for path in sorted(referenced):
        check(path in context_set, f"{path} (used by the build) is in the build context")

    # Every source file of the projects the image builds reaches the build.
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        tracked = context
    needed = [f for f in tracked
              if f.startswith(("src/", "deploy/")) or re.fullmatch(r"Directory\.[^/]*\.(props|targets)|[^/]*\.slnx?|global\.json|[Nn]u[Gg]et\.[Cc]onfig", f)]
    lost = [f for f in needed if f not in context_set and os.path.exists(os.path.join(ROOT, f))]
    check(not lost, f"no tracked source under src/ or deploy/ is excluded by .dockerignore ({len(needed)} files)"
          + (f": {lost[:5]}" if lost else ""))
    for sensitive in ("src/Secr.Federation.Server/data/master.key", "data/master.key", "src/x/bin/Release/a.dll",
                      "src/x/obj/project.assets.json", ".env"):
        check(excluded(sensitive), f".dockerignore keeps out {sensitive}")

    users = [args for keyword, args in final if keyword == "USER"]
    check(users == ["$APP_UID"], f"the final stage runs as USER $APP_UID ({users})")
    check(any(keyword == "EXPOSE" and "8080" in args.split() for keyword, args in final), "EXPOSE 8080")
    entry = [args for keyword, args in final if keyword == "ENTRYPOINT"]
    check(bool(entry) and "Secr.Federation.Server.dll" in entry[-1], "ENTRYPOINT runs Secr.Federation.Server.dll")

    baked = []
    for _, _, body in all_stages:
        for keyword, args in body:
            if keyword in ("ENV", "ARG", "LABEL"):
                baked += [key for key, _ in (env_pairs(args) if keyword != "ARG" else [(args.split("=")[0], "")])
                          if SECRET_NAME.search(key)]
    check(not baked, f"no secret-looking ENV, ARG or LABEL in the image ({baked})")


def print_stage_runs(stage_name):
    for _, name, body in stages():
        if name == stage_name:
            for keyword, args in body:
                if keyword == "RUN":
                    print(args)
            return
    sys.exit(f"no stage named {stage_name}")


def print_runtime_env():
    for keyword, args in stages()[-1][2]:
        if keyword == "ENV":
            for key, value in env_pairs(args):
                print(f"{key}={value}")


def copy_context(dest):
    for rel in context_files():
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), target, follow_symlinks=False)


# --- docker-compose.yml (the output of `docker-compose config`) ---------------------------------------------------

def check_compose(text):
    import yaml
    print("docker-compose.yml (as `docker-compose config` resolves it):")
    config = yaml.safe_load(text)
    services = config.get("services", {})
    declared_volumes = set((config.get("volumes") or {}).keys())

    check(set(services) == {"secr", "sqlserver", "postgres", "secr-postgres"},
          f"services secr, sqlserver, postgres, secr-postgres ({sorted(services)})")
    profiles = {name: service.get("profiles") or [] for name, service in services.items()}
    check(profiles.get("secr") == [] and profiles.get("sqlserver") == [], "secr and sqlserver run without a profile")
    check(profiles.get("postgres") == ["postgres"] and profiles.get("secr-postgres") == ["postgres"],
          "postgres and secr-postgres only under the postgres profile")

    for name, service in sorted(services.items()):
        check(bool((service.get("healthcheck") or {}).get("test")), f"{name} has a health check")
        for target, how in (service.get("depends_on") or {}).items():
            check(target in services, f"{name} depends on {target}, which exists")
            check((how or {}).get("condition") == "service_healthy", f"{name} waits for {target} to be healthy")
            mine, theirs = set(profiles[name]), set(profiles.get(target, []))
            check(not theirs or (mine and mine <= theirs), f"{name} depends on {target}, which runs whenever {name} does")
        for mount in service.get("volumes") or []:
            if isinstance(mount, str):
                source = mount.split(":")[0]
                kind = "volume" if source in declared_volumes else "bind"
            else:
                source, kind = mount.get("source"), mount.get("type")
            check(kind == "volume" and source in declared_volumes, f"{name} mounts the named volume {source}")
        build = service.get("build")
        args = (build.get("args") or {}) if isinstance(build, dict) else {}
        check(not any(SECRET_NAME.search(k) for k in args), f"{name} passes no secret as a build argument")

    expected_key = os.environ.get("EXPECTED_MASTER_KEY")
    for name, database in (("secr", "sqlserver"), ("secr-postgres", "postgres")):
        service = services.get(name, {})
        env = service.get("environment") or {}
        build = service.get("build") or {}
        context = build.get("context") if isinstance(build, dict) else build
        check(context is not None and os.path.realpath(context) == os.path.realpath(ROOT), f"{name} builds this repository's Dockerfile")
        check(env.get("Secr__Database__Provider") == database, f"{name}: Secr__Database__Provider={database}")
        check(database in (service.get("depends_on") or {}), f"{name} depends on {database}")
        check(bool(env.get("Secr__Database__ConnectionString")), f"{name}: Secr__Database__ConnectionString is set")
        check(bool(env.get("Secr__Issuer")), f"{name}: Secr__Issuer is set")
        check("Secr__BootstrapAdminToken" in env, f"{name}: Secr__BootstrapAdminToken is passed through")
        check(expected_key is None or env.get("Secr__MasterKey") == expected_key,
              f"{name}: Secr__MasterKey comes from SECR_MASTER_KEY")
        test = " ".join((service.get("healthcheck") or {}).get("test") or [])
        check("secr-probe" in test and "/readyz" in test, f"{name}'s health check is secr-probe /readyz")
        check(any(str(p).endswith("8080") or (isinstance(p, dict) and p.get("target") == 8080)
                  for p in service.get("ports") or []), f"{name} publishes container port 8080")

    sqlserver = services.get("sqlserver", {})
    check(sqlserver.get("image") == "mcr.microsoft.com/mssql/server:2022-latest", "sqlserver: mcr.microsoft.com/mssql/server:2022-latest")
    senv = sqlserver.get("environment") or {}
    check(senv.get("ACCEPT_EULA") == "Y" and bool(senv.get("MSSQL_SA_PASSWORD")), "sqlserver: ACCEPT_EULA=Y, MSSQL_SA_PASSWORD set")
    stest = " ".join((sqlserver.get("healthcheck") or {}).get("test") or [])
    check("/opt/mssql-tools18/bin/sqlcmd" in stest and " -C" in stest, "sqlserver's health check is sqlcmd -C (mssql-tools18)")
    postgres = services.get("postgres", {})
    check(postgres.get("image") == "postgres:16", "postgres: postgres:16")
    check("pg_isready" in " ".join((postgres.get("healthcheck") or {}).get("test") or []), "postgres's health check is pg_isready")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "dockerfile":
        check_dockerfile()
    elif command == "context" and len(sys.argv) == 3:
        copy_context(sys.argv[2])
    elif command == "stage-run" and len(sys.argv) == 3:
        print_stage_runs(sys.argv[2])
    elif command == "runtime-env":
        print_runtime_env()
    elif command == "compose":
        check_compose(sys.stdin.read())
    else:
        sys.exit(__doc__)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
