#!/usr/bin/env python3
"""Replays docker compose's e2e scenario projects (../shared/conformance/docker-compose-e2e) on
berth. Run by scenarios.sh, which provides the daemon; see that file for the environment.

Each project of testdata/ (one per SCENARIOS.md entry) and of fixtures/ (the older tests' projects,
LEGACY-TESTS.md) that needs no image build is copied, its images replaced by the local
busybox:latest. Then, for each scenario not listed in MISSES:

  * `up -d` as the upstream test's first `up -d` step runs it (its arguments and environment), and
    that step's assertions: exit status, output it must (not) contain, ServiceState,
    ServiceNotCreated, ServiceScale (SCENARIOS.md); without such a step, `up -d` must succeed and
    every service must have a container, running or exited;
  * `ps -a` shows each service in the expected state (polled until a deadline);
  * `down -v -t 0` succeeds and leaves no container, no container folder and no project behind.

Prints one line per scenario, then `scenarios: P passed of N`; exits 1 when a scenario not
listed in MISSES failed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import yaml

CORPUS = os.environ["CORPUS"]
BERTH = [os.environ["BERTH_BIN"], "-H", "unix://" + os.environ["SOCK"]]
WORK = os.environ["WORK"]
DATA_ROOT = os.environ["DATA_ROOT"]
HOME = os.environ["HOME_DIR"]
ONLY = os.environ.get("SCENARIOS_ONLY", "")

# Scenarios berth cannot pass yet, each with the reason. A listed miss that passes is reported
# (take it off the list) without failing the run.
HOOKS = "lifecycle hooks (pre_start, post_start, pre_stop) are not supported yet"
WAIT_HOOKS = "pre_start hooks are not supported yet (the steps run up --wait)"
PROVIDER = "provider services (a plugin instead of an image) are not supported"
EXTERNAL_FROM_ENV = ("its external volumes are made by `docker volume create` in the upstream test, "
                     "and named through EXTERNAL_VOLUME, which that test sets")
DEVICE_FROM_ENV = ("its volume's driver_opts device is ${TEST_DIR}, a folder the upstream test "
                   "makes and sets")
VALUE_FROM_ENV = ("its config or secret is an environment variable the upstream test sets in Go")
UNUSED_ENV_FILE = ("ps and down load every service and fail on the missing env_file of one that "
                   "was not started; docker compose checks env files only for the services it "
                   "acts on (TestUnusedMissingEnvFile)")
MISSES = {
    "TestComposeModel": "models are not supported yet",
    "TestComposeRunPullAlways": "its service runs the nginx binary, which busybox does not have",
    "TestConfigFromEnv": VALUE_FROM_ENV,
    "TestDependsOnMultipleProviders": PROVIDER,
    "TestIPC": "ipc: container:NAME is not supported yet",
    "TestImageVolume": "volumes of type image are not supported",
    "TestImageVolumeImageAlreadyLocal": "volumes of type image are not supported",
    "TestLocalComposeConfigNoConsistency":
        "an invalid model on purpose (a service without image), only for config --no-consistency",
    "TestLoggingDriver": "the fluentd logging driver is not supported (only json-file)",
    "TestMacAddress": "mac_address is not supported yet",
    "TestPostStartAndPreStopHook": HOOKS,
    "TestPostStartHookInError": HOOKS,
    "TestPostStartHookSuccess": HOOKS,
    "TestPreStartHookForceRecreate": WAIT_HOOKS,
    "TestPreStartHookIdempotentReUp": WAIT_HOOKS,
    "TestPreStartHookInError": HOOKS,
    "TestPreStartHookMidSequenceFailure": HOOKS,
    "TestPreStartHookNotReRunOnScaleUp": WAIT_HOOKS,
    "TestPreStartHookReRunOnSpecChange": WAIT_HOOKS,
    "TestPreStartHookRunsOnceForScaledService": WAIT_HOOKS,
    "TestPreStartHookSequentialOrder": WAIT_HOOKS,
    "TestPreStartHookSuccess": WAIT_HOOKS,
    "TestPreStopHookInError": HOOKS,
    "TestPreStopHookSuccess": HOOKS,
    "TestPreStopHookSuccessWithPreviousStop": HOOKS,
    "TestProviderRawSetEnv": PROVIDER,
    "TestProviderRawSetEnvOverridesInheritedEnv": PROVIDER,
    "TestProviderRawSetEnvOverridesInheritedEnvMapForm": PROVIDER,
    "TestProviderRawSetEnvOverridesUserEnv": PROVIDER,
    "TestProviderStopHook": PROVIDER,
    "TestSecretFromEnv": VALUE_FROM_ENV,
    "TestSecretFromInclude": VALUE_FROM_ENV,
    "TestUpContainerNameConflict":
        "its container_name comes from a variable the upstream test sets in Go, and its up is "
        "attached",
    "TestUpStopWithLogsMixed": HOOKS,
    "TestUpSwitchVolumes": EXTERNAL_FROM_ENV,
    "fixtures/env_file": UNUSED_ENV_FILE,
    "fixtures/project-volume-bind-test": DEVICE_FROM_ENV,
    "fixtures/run-test": "no compose file at its top: its test runs `run` with -f piped-test.yaml",
}

# The legacy fixtures have no SCENARIOS.md entry; where their test (LEGACY-TESTS.md) starts only
# some services, so does the replay.
FIXTURE_UP = {
    "fixtures/env_file": ["up", "-d", "serviceA"],
}

# What a listed miss's failure must show, so the table stays true: a miss failing for another
# reason fails the run.
EVIDENCE = {
    HOOKS: r"(pre_start|post_start|pre_stop) is not supported",
    WAIT_HOOKS: r"pre_start is not supported",
    PROVIDER: r"has no image",
    UNUSED_ENV_FILE: r"env file /doesnotexist/\.env not found",
    EXTERNAL_FROM_ENV: r"has no name in the model",
    DEVICE_FROM_ENV: r'"device" is missing',
    "models are not supported yet": r"models is not supported",
    VALUE_FROM_ENV: r"is not set where the project was loaded",
    "volumes of type image are not supported": r'type "image" is not supported',
    "mac_address is not supported yet": r"mac_address is not supported",
    "ipc: container:NAME is not supported yet": r'ipc "container:" is not supported',
    "the fluentd logging driver is not supported (only json-file)":
        r'logging driver "fluentd" is not supported',
    "its service runs the nginx binary, which busybox does not have": r'exec "nginx"',
}


# Images whose own command is a long-running server: busybox's `sh` would exit at once, so their
# stand-in sleeps. Every other image keeps busybox's default command, as a shell image would.
SERVER_IMAGES = ("nginx", "httpd", "redis", "postgres", "mysql", "mariadb", "traefik", "mongo",
                 "fluent", "registry", "memcached", "rabbitmq", "elasticsearch", "tomcat")

STEP_TIMEOUT = 30


def berth(args, cwd, env=None, timeout=STEP_TIMEOUT):
    full_env = {"PATH": os.environ["PATH"], "HOME": HOME, "BERTH_NO_AUTOSTART": "1"}
    full_env.update(env or {})
    try:
        p = subprocess.run(BERTH + args, cwd=cwd, env=full_env, capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, "berth %s did not finish within %ss" % (" ".join(args), timeout)


# ---------------------------------------------------------------------------------------------
# SCENARIOS.md: the steps of each scenario

def read_scenarios():
    text = open(os.path.join(CORPUS, "SCENARIOS.md"), encoding="utf-8").read()
    steps = {}
    name = None
    for line in text.splitlines():
        m = re.match(r"## (Test\w+)", line)
        if m:
            name = m.group(1)
            steps[name] = []
        elif name and line.strip().startswith("- step:"):
            steps[name].append(line.strip())
    return steps


STRING = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|s\.Project\(\))'


def go_string(expr, project):
    """A concatenation of Go string literals and s.Project(); None when it holds anything else."""
    parts = re.findall(STRING, expr)
    rest = re.sub(STRING, "", expr).replace("+", "").strip()
    if rest:
        return None
    out = ""
    for p in parts:
        if p == "s.Project()":
            out += project
        elif p.startswith('"'):
            out += json.loads(p)
        else:
            out += p[1:-1]
    return out


def call_args(step, fn):
    """The argument texts of each call fn(...) in step (balanced parentheses)."""
    out = []
    for m in re.finditer(r"\b%s\(" % fn, step):
        depth, i = 1, m.end()
        while i < len(step) and depth:
            depth += {"(": 1, ")": -1}.get(step[i], 0)
            i += 1
        out.append(step[m.end():i - 1])
    return out


def up_expectations(steps, project):
    """What the first `up -d` step runs and asserts, or None when there is none to replay."""
    for step in steps:
        cmds = call_args(step, "ComposeCmd")
        if not cmds:
            continue
        args = [go_string(a, project) for a in split_args(cmds[0])]
        if not args or args[0] != "up" or "-d" not in args:
            continue
        if None in args:
            return None
        exp = {"args": args, "env": {}, "rc": 0, "contains": [], "lacks": [], "states": {},
               "absent": [], "scale": {}}
        for env_args in call_args(step, "WithEnv"):
            for a in split_args(env_args):
                kv = go_string(a, project)
                if kv is None or "=" not in kv:
                    return None
                k, v = kv.split("=", 1)
                exp["env"][k] = v
        codes = call_args(step, "ExitCode")
        if codes:
            exp["rc"] = int(codes[0])
        elif ".MayFail()" in step:
            exp["rc"] = None
        for fn, key in (("OutputContains", "contains"), ("OutputNotContains", "lacks")):
            for a in call_args(step, fn):
                s = go_string(a, project)
                if s is not None:
                    exp[key].append(s)
        for a in call_args(step, "ServiceState"):
            svc, state = [go_string(x, project) for x in split_args(a)]
            exp["states"][svc] = state
        for a in call_args(step, "ServiceNotCreated"):
            exp["absent"].append(go_string(a, project))
        for a in call_args(step, "ServiceScale"):
            svc, n = split_args(a)
            exp["scale"][go_string(svc, project)] = int(n)
        return exp
    return None


def split_args(text):
    """Top-level comma-separated arguments of a Go call."""
    out, depth, cur, quote = [], 0, "", None
    for ch in text:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


# ---------------------------------------------------------------------------------------------
# Projects

class IgnoreTags(yaml.SafeLoader):
    pass


IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def compose_files(folder):
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith((".yaml", ".yml")):
                yield os.path.join(root, f)


def needs_build(folder):
    for path in compose_files(folder):
        try:
            doc = yaml.load(open(path, encoding="utf-8"), Loader=IgnoreTags)
        except yaml.YAMLError:
            continue
        services = doc.get("services") if isinstance(doc, dict) else None
        if isinstance(services, dict) and any(
                isinstance(s, dict) and "build" in s for s in services.values()):
            return True
    return False


def substitute(folder):
    """Rewrites the compose files in folder in place: busybox images, no network by default."""
    for path in compose_files(folder):
        text = open(path, encoding="utf-8").read()
        if "services:" not in text:
            continue
        doc = yaml.safe_load(text)
        services = doc.get("services") if isinstance(doc, dict) else None
        if not isinstance(services, dict):
            continue
        for svc in services.values():
            if not isinstance(svc, dict):
                continue
            if "image" in svc:
                base = str(svc["image"]).split("/")[-1].split(":")[0].split("@")[0]
                svc["image"] = "busybox:latest"
                if "command" not in svc and "entrypoint" not in svc and base in SERVER_IMAGES:
                    svc["command"] = ["sleep", "infinity"]
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(doc, f, sort_keys=False)


# ---------------------------------------------------------------------------------------------
# Checks

def containers(project, cwd):
    rc, out = berth(["-p", project, "ps", "-a", "--format", "json"], cwd)
    if rc != 0:
        return None
    rows = []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith(("{", "[")):
            continue
        doc = json.loads(line)
        rows.extend(doc if isinstance(doc, list) else [doc])
    return rows


def state_problems(exp, project, cwd, services):
    """What ps -a shows against the expected states; polled until they hold or a deadline."""
    deadline = time.monotonic() + 10
    while True:
        rows = containers(project, cwd)
        problems = []
        if rows is None:
            problems.append("ps -a failed")
        else:
            by_service = {}
            for r in rows:
                by_service.setdefault(r.get("Service"), []).append(r)
            for svc, state in exp["states"].items():
                got = [r.get("State") for r in by_service.get(svc, [])]
                if state not in got:
                    problems.append("%s: expected %s, ps says %s" % (svc, state, got or "none"))
            for svc in exp["absent"]:
                if by_service.get(svc):
                    problems.append("%s: expected no container" % svc)
            for svc, n in exp["scale"].items():
                if len(by_service.get(svc, [])) != n:
                    problems.append("%s: expected %d containers, got %d" % (
                        svc, n, len(by_service.get(svc, []))))
            if not exp["states"] and not exp["absent"] and not exp["scale"]:
                for svc in services:
                    got = [r.get("State") for r in by_service.get(svc, [])]
                    if not any(s in ("running", "exited") for s in got):
                        problems.append("%s: expected a running or exited container, got %s" % (
                            svc, got or "none"))
        if not problems or time.monotonic() > deadline:
            return problems
        time.sleep(0.1)


COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")


def default_services(folder):
    """The services `up -d` starts by default: no profile, replicas other than 0."""
    path = next((os.path.join(folder, n) for n in COMPOSE_NAMES
                 if os.path.exists(os.path.join(folder, n))), None)
    if path is None:
        # COMPOSE_FILE from the project's .env names it: the loader knows.
        rc, out = berth(["config", "--services"], folder)
        return out.split() if rc == 0 else ["(config --services failed: %s)" % out.strip()]
    doc = yaml.load(open(path, encoding="utf-8"), Loader=IgnoreTags)
    out = []
    for name, svc in (doc.get("services") or {}).items():
        svc = svc or {}
        if svc.get("profiles"):
            continue
        if (svc.get("deploy") or {}).get("replicas") == 0 or svc.get("scale") == 0:
            continue
        out.append(name)
    return out


def container_folders():
    folder = os.path.join(DATA_ROOT, "containers")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def source_folder(name):
    """testdata/<TestName> for a scenario, fixtures/<name> for a legacy fixture project."""
    return os.path.join(CORPUS, name if name.startswith("fixtures/") else "testdata/" + name)


def project_name(name):
    if name.startswith("fixtures/"):
        return "scn-fx-" + re.sub(r"[^a-z0-9-]", "-", name[len("fixtures/"):].lower())
    return "scn-" + name[len("Test"):].lower()


def run_scenario(name, steps):
    project = project_name(name)
    folder = os.path.join(WORK, name)
    shutil.copytree(source_folder(name), folder)
    try:
        substitute(folder)
    except yaml.YAMLError as e:
        return ["the compose file does not parse: %s" % e], False
    exp = up_expectations(steps, project)
    replayed = exp is not None
    if exp is None:
        exp = {"args": FIXTURE_UP.get(name, ["up", "-d"]), "env": {}, "rc": 0, "contains": [],
               "lacks": [], "states": {}, "absent": [], "scale": {}}
    problems = []
    before = set(container_folders())
    rc, out = berth(["-p", project, "--progress", "plain"] + exp["args"], folder, exp["env"])
    if exp["rc"] is not None and rc != exp["rc"]:
        problems.append("%s exited %d, expected %d: %s" % (
            " ".join(exp["args"]), rc, exp["rc"], out.strip()[-400:]))
    for s in exp["contains"]:
        if s not in out:
            problems.append("up's output lacks %r: %s" % (s, out.strip()[-400:]))
    for s in exp["lacks"]:
        if s in out:
            problems.append("up's output has %r" % s)
    if not problems:
        services = [] if replayed else default_services(folder)
        problems += state_problems(exp, project, folder, services)
    rc, out = berth(["-p", project, "down", "-v", "-t", "0", "--remove-orphans"], folder, exp["env"])
    if rc != 0:
        problems.append("down exited %d: %s" % (rc, out.strip()[-400:]))
        # By name, without the files, so that what is left does not spill into the next scenario.
        berth(["-p", project, "down", "-v", "-t", "0", "--remove-orphans"], "/")
    rows = containers(project, "/")
    if rows:
        problems.append("containers left after down: %s" % [r.get("Name") for r in rows])
    left = sorted(set(container_folders()) - before)
    if left:
        problems.append("container folders left after down: %s" % left)
    rc, out = berth(["ls", "-a"], folder)
    if rc != 0 or re.search(r"^%s\s" % re.escape(project), out, re.M):
        problems.append("ls -a after down (status %d) still lists the project: %s" % (rc, out))
    return problems, replayed


def main():
    scenarios = read_scenarios()
    os.makedirs(WORK, exist_ok=True)
    names = sorted(os.listdir(os.path.join(CORPUS, "testdata")))
    names += sorted("fixtures/" + d for d in os.listdir(os.path.join(CORPUS, "fixtures")))
    names = [n for n in names if not needs_build(source_folder(n))]
    if ONLY:
        names = [n for n in names if re.search(ONLY, n)]
    passed, unexpected = 0, []
    started = time.monotonic()
    for name in names:
        t0 = time.monotonic()
        problems, replayed = run_scenario(name, scenarios.get(name, []))
        took = time.monotonic() - t0
        how = "upstream up -d step" if replayed else "up -d, every service created"
        if not problems:
            passed += 1
            if name in MISSES:
                print("PASS %s (%s, %.1fs), listed as a miss (take it off MISSES): %s" % (
                    name, how, took, MISSES[name]))
            else:
                print("PASS %s (%s, %.1fs)" % (name, how, took))
        elif name in MISSES:
            print("MISS %s: %s" % (name, MISSES[name]))
            print("     " + "; ".join(problems)[:600])
            for reason, pattern in EVIDENCE.items():
                if (MISSES[name] == reason or MISSES[name].startswith(reason + " ")) and \
                        not re.search(pattern, "; ".join(problems)):
                    unexpected.append(name)
                    print("     the failure does not show the listed reason (/%s/)" % pattern)
        else:
            unexpected.append(name)
            print("FAIL %s (%.1fs): %s" % (name, took, "; ".join(problems)[:1500]))
        sys.stdout.flush()
    print("scenarios: %d passed of %d (%d listed as misses, %.0fs)" % (
        passed, len(names), sum(1 for n in names if n in MISSES), time.monotonic() - started))
    if unexpected:
        print("unexpected: " + " ".join(unexpected))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
