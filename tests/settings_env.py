"""The real settings under a chosen environment, each read in a fresh interpreter (settings are read
once, at start-up).

A fresh `python -c` per reading costs a third of a second of start-up and imports; instead one helper
process per test session imports Django and the settings' libraries once, then forks a child per
reading: the child gets exactly the given environment, imports `xmpolicy.settings` anew and runs the
code, and its exit status and output come back as `subprocess.run` would give them."""

import atexit
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = dict(XMPOLICY_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="policy.example.cn")

# The helper: one JSON request per line on stdin ({"env": ..., "code": ...}), one JSON answer per line.
FORK_SERVER = r"""
import io, json, os, sys, traceback
import dj_database_url, dj_email_url, django.core.exceptions  # what the settings import, imported once
requests, answers = sys.stdin, sys.stdout
for line in requests:
    request = json.loads(line)
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    child = os.fork()
    if child == 0:
        os.dup2(out_write, 1)
        os.dup2(err_write, 2)
        sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb"), encoding="utf-8", line_buffering=True)
        sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb"), encoding="utf-8", line_buffering=True)
        os.environ.clear()
        os.environ.update(request["env"])
        status = 0
        try:
            exec(compile(request["code"], "<settings reading>", "exec"), {"__name__": "__main__"})
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    os.close(out_write)
    os.close(err_write)
    with os.fdopen(out_read, encoding="utf-8") as out, os.fdopen(err_read, encoding="utf-8") as err:
        stdout, stderr = out.read(), err.read()
    _, status = os.waitpid(child, 0)
    answer = {"returncode": os.waitstatus_to_exitcode(status), "stdout": stdout, "stderr": stderr}
    answers.write(json.dumps(answer) + "\n")
    answers.flush()
"""

_server = None


def run_python(code, env):
    """Like subprocess.run([python, "-c", code], env=env, cwd=PROJECT, capture_output=True, text=True)."""
    global _server
    if _server is None or _server.poll() is not None:
        _server = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER],
            cwd=PROJECT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
        )
        atexit.register(_server.kill)
    _server.stdin.write(json.dumps({"env": env, "code": code}) + "\n")
    _server.stdin.flush()
    answer = json.loads(_server.stdout.readline())
    return subprocess.CompletedProcess([sys.executable, "-c", code], **answer)


def _environment(env, leave_out=()):
    names = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "XMPOLICY_ENV"}
    base = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(leave_out)}
    return {**base, **env}


def load_settings(**env):
    """Import the real settings in a fresh interpreter with exactly this environment."""
    code = "import xmpolicy.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.ALLOWED_HOSTS)"
    return run_python(code, _environment(env))


def read_settings(*names, **env):
    """The named settings, as Python literals, from the real settings under this environment."""
    code = f"import xmpolicy.settings as s; print(repr([getattr(s, n) for n in {list(names)!r}]))"
    return run_python(code, _environment(env, leave_out=("ADMIN_LOGIN_",)))


def run_with_settings(code, **env):
    """Run `code` in a fresh interpreter under this environment (for code that sets Django up itself)."""
    return run_python(code, _environment(env))
