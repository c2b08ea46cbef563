"""Shared helpers for the benchmarks in bench/: services, a fresh PostgreSQL database, gunicorn, wrk,
and the printed result table.

    from bench.harness import BenchDatabase, Gunicorn, Table, ensure_services, wrk

    ensure_services()
    with BenchDatabase("xmp_bench_x") as db, Gunicorn(free_port(), db.env, workers=2, threads=4) as server:
        db.manage("load_policy")
        result = wrk(server.url("/"), seconds=10, connections=50)

Everything runs against 127.0.0.1: PostgreSQL at :5432 (user postgres, trust authentication), Redis at
:6379, gunicorn on the port given. Nothing here touches a process it did not start, except that
ensure_services() starts PostgreSQL or Redis when they are down, and stop_postgresql() stops the
machine's PostgreSQL (for bench/faults.py; every other user of the server sees it go down too).
"""

import atexit
import contextlib
import http.client
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = "postgres"
PG_VERSION = "15"
PG_CTL = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main"]
REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379

# The app's configuration variables (docs/operations.md): a value set in the calling shell never leaks into a
# benchmark's processes; a benchmark sets what it wants in BenchDatabase.env.
APP_VARIABLES = (
    "XMPOLICY_ENV",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_ROOT",
    "LOG_LEVEL",
    "PUBLIC_CACHE_SECONDS",
    "CACHE_URL",
    "SEARCH_RATE_LIMIT",
    "API_RATE_LIMIT",
    "ADMIN_LOGIN_FAILURE_LIMIT",
    "ADMIN_LOGIN_LOCKOUT_MINUTES",
    "XMPOLICY_EDITOR_PASSWORD",
    "DJANGO_SETTINGS_MODULE",
)

DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def log(message: str) -> None:
    """Progress, on standard error (standard output is for the result table)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def pg_url(dbname: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


# --- services ----------------------------------------------------------------------------------


def postgresql_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"], check=False).returncode == 0


def wait_for(check, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(interval)


def start_postgresql(timeout: float = 30) -> None:
    """Starts the cluster (if it is not running) and waits until it accepts connections."""
    if not postgresql_ready():
        subprocess.run([*PG_CTL, "start"], check=False, capture_output=True)
        wait_for(postgresql_ready, timeout, "PostgreSQL")


def stop_postgresql() -> None:
    """Stops the cluster (fast mode: open sessions are ended). Every user of the server is affected:
    always start it again in a `finally`."""
    subprocess.run([*PG_CTL, "stop"], check=True, capture_output=True)


def redis_ready() -> bool:
    try:
        with contextlib.closing(socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1)) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_services() -> None:
    """PostgreSQL and Redis up (started if down), wrk installed (apt-get if missing)."""
    start_postgresql()
    if not redis_ready():
        log("starting Redis")
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", REDIS_HOST, "--port", str(REDIS_PORT)]
            + ["--save", "", "--appendonly", "no"],
            check=True,
            capture_output=True,
        )
        wait_for(redis_ready, 30, "Redis")
    if shutil.which("wrk") is None:
        log("installing wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, check=False).returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, check=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, check=True)


# --- processes ----------------------------------------------------------------------------------


def child_env(env: dict) -> dict:
    """The environment of a benchmark's subprocess: ours without the app's variables, then `env`."""
    base = {key: value for key, value in os.environ.items() if key not in APP_VARIABLES}
    return {**base, **{key: str(value) for key, value in env.items()}}


def free_port() -> int:
    """A TCP port nothing listens on at the moment, on 127.0.0.1."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


_SECRET_KEY = secrets.token_urlsafe(50)
_static = {"root": None, "collected": False}


def _static_root() -> str:
    """One STATIC_ROOT per benchmark process, removed when it ends."""
    if _static["root"] is None:
        root = tempfile.mkdtemp(prefix="xmpolicy-bench-static-")
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _static["root"] = root
    return _static["root"]


class BenchDatabase:
    """A fresh PostgreSQL database (dropped first if it exists), migrated; dropped on exit unless
    keep=True. `env` is the environment for the app's processes (manage.py, gunicorn)."""

    def __init__(self, name: str, keep: bool = False):
        if not DATABASE_NAME.fullmatch(name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.name = name
        self.keep = keep
        self.url = pg_url(name)
        self.env = {
            "XMPOLICY_ENV": "local",
            "DEBUG": "0",
            "DATABASE_URL": self.url,
            "SECRET_KEY": _SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": _static_root(),
            "LOG_LEVEL": "WARNING",
            # The whole load comes from one address: the fair-use limits would answer it with 429s.
            "SEARCH_RATE_LIMIT": "off",
            "API_RATE_LIMIT": "off",
            "PYTHONUNBUFFERED": "1",
        }

    def __enter__(self):
        self._admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        # A UTF-8 ctype (the cluster's default, C.UTF-8 here): Chinese search relies on it.
        self._admin_sql(f"CREATE DATABASE \"{self.name}\" TEMPLATE template0 ENCODING 'UTF8'")
        try:
            self.manage("migrate", "--noinput", "--verbosity", "0")
            if not _static["collected"]:
                self.manage("collectstatic", "--noinput", "--verbosity", "0")
                _static["collected"] = True
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if not self.keep:
            with contextlib.suppress(Exception):
                start_postgresql()
                self._admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        return False

    def manage(self, *args, env_extra=None, capture=False):
        """Runs `PYTHON manage.py *args` with self.env (and env_extra). Raises RuntimeError when it
        fails. With capture=True returns its standard output (a str); otherwise None, its output
        going to ours."""
        command = [str(PYTHON), "manage.py", *map(str, args)]
        result = subprocess.run(
            command,
            cwd=PROJECT,
            env=child_env({**self.env, **(env_extra or {})}),
            capture_output=capture,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            detail = f":\n{(result.stderr or result.stdout or '')[-3000:]}" if capture else ""
            raise RuntimeError(f"manage.py {' '.join(map(str, args))} failed (exit {result.returncode}){detail}")
        return result.stdout if capture else None

    def sql(self, query: str, params=None) -> list[tuple]:
        """Rows of one query on this database (for checks after a run)."""
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=self.name) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    @staticmethod
    def _admin_sql(statement: str) -> None:
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as conn:
            conn.execute(statement)


class Gunicorn:
    """gunicorn serving the app on 127.0.0.1:port; sync workers, or gthread when threads > 1; no
    access log. Its error log (Django's log included) goes to `log_path`."""

    def __init__(self, port: int, env: dict, workers: int = 2, threads: int = 1):
        self.port = port
        self.env = env
        self.workers = workers
        self.threads = threads
        self.process = None
        self.log_path = None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        if port_in_use(self.port):
            raise RuntimeError(f"something already listens on 127.0.0.1:{self.port}")
        command = [str(PYTHON), "-m", "gunicorn", "xmpolicy.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(self.workers), "--graceful-timeout", "5", "--error-logfile", "-"]
        if self.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(self.threads)]
        handle, self.log_path = tempfile.mkstemp(prefix=f"gunicorn-{self.port}-", suffix=".log")
        # Readable after stop() (log_text), removed when the benchmark ends.
        atexit.register(lambda path=self.log_path: Path(path).unlink(missing_ok=True))
        with os.fdopen(handle, "w") as log_file:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT,
                env=child_env(self.env),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: stopped whole, and only it
            )
        try:
            self._wait_until_serving(30)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def _wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _headers, _body = http_get(self.url("/"), timeout=5)
                if status < 500:
                    return
                last = f"HTTP {status}"
            except OSError as error:
                last = str(error)
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not answering GET / after {timeout:.0f} s ({last}):\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to its process group after 10 s; always."""
        process = self.process
        if process is None or process.poll() is not None:
            self._kill_group()
            return
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(10)
        self._kill_group()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(5)

    def _kill_group(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            return sorted(int(child) for child in children)
        except OSError:
            found = []
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    with contextlib.suppress(OSError):
                        if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                            found.append(int(entry.name))
            return sorted(found)

    def peak_rss_mib(self) -> dict[int, float]:
        """Each worker's peak resident memory (VmHWM), in MiB."""
        peaks = {}
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_text()[-characters:]

    def log_text(self) -> str:
        if not self.log_path:
            return ""
        try:
            return Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""


def http_get(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of one GET on a new connection."""
    match = re.fullmatch(r"http://([^/:]+):(\d+)(/.*)?", url)
    if not match:
        raise ValueError(f"not an http://host:port/ URL: {url}")
    connection = http.client.HTTPConnection(match[1], int(match[2]), timeout=timeout)
    try:
        connection.request("GET", match[3] or "/", headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, {name.lower(): value for name, value in response.getheaders()}, body
    finally:
        connection.close()


# --- wrk ----------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    # Non-2xx/3xx responses plus socket errors (connect, read, write, timeout).
    errors: int
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    output: str = ""  # wrk's own report


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output: str) -> WrkResult:
    def number(pattern: str, default=None):
        match = re.search(pattern, output)
        if match is None:
            if default is None:
                raise ValueError(f"wrk output without {pattern!r}:\n{output}")
            return default
        return match

    requests = int(number(r"(\d+) requests in ")[1])
    rps = float(number(r"Requests/sec:\s+([0-9.]+)")[1])
    p50 = _duration_ms(number(r"\n\s+50%\s+(\S+)")[1])
    p99 = _duration_ms(number(r"\n\s+99%\s+(\S+)")[1])
    socket = number(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", False)
    socket_errors = sum(int(socket[i]) for i in range(1, 5)) if socket else 0
    non_2xx = number(r"Non-2xx or 3xx responses: (\d+)", False)
    non_2xx_3xx = int(non_2xx[1]) if non_2xx else 0
    return WrkResult(
        requests_per_second=rps,
        p50_ms=p50,
        p99_ms=p99,
        requests=requests,
        errors=non_2xx_3xx + socket_errors,
        non_2xx_3xx=non_2xx_3xx,
        socket_errors=socket_errors,
        output=output,
    )


def wrk(url: str, seconds: int, connections: int, threads: int = 2, script: str | None = None) -> WrkResult:
    """Runs `wrk --latency` and parses its report. `script` is a Lua file's path, or Lua source."""
    command = ["wrk", "--latency", "-t", str(min(threads, connections)), "-c", str(connections), "-d", f"{seconds}s"]
    script_file = None
    if script is not None:
        if "\n" not in script and Path(script).is_file():
            command += ["-s", script]
        else:
            handle, script_file = tempfile.mkstemp(prefix="wrk-", suffix=".lua")
            with os.fdopen(handle, "w") as lua:
                lua.write(script)
            command += ["-s", script_file]
    try:
        result = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        if script_file:
            os.unlink(script_file)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


def lua_rotation(paths: list[str], ports: list[int] | None = None) -> str:
    """A wrk script sending GETs to `paths` in turn (each wrk thread starting at its own offset). With
    `ports`, thread n sends all its requests to ports[n % len] on 127.0.0.1, keeping the Host of the URL wrk
    is given: one wrk, one latency histogram, for several servers behind one name (bench/mixed.py)."""
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    listed = ", ".join(str(port) for port in ports or [])
    return f"""
local paths = {{ {quoted} }}
local ports = {{ {listed} }}
local counter = 0
function setup(thread)
  counter = counter + 1
  if #ports > 0 then
    thread.addr = wrk.lookup("127.0.0.1", tostring(ports[(counter - 1) % #ports + 1]))[1]
  end
  thread:set("offset", counter)
end
function init(args)
  counter = tonumber(offset) or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


# --- numbers and the table ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) of `values`, interpolating between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be within 0 and 100; got {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


class Table:
    """The printed result: metric | value | at reference speed | baseline | ratio | target | result (PASS,
    FAIL or - for an informational row). "At reference speed" is a time row's twin (bench/speed.py), by
    which it is judged."""

    HEADER = ("metric", "value", "at reference speed", "baseline", "ratio", "target", "result")

    def __init__(self, title: str | None = None):
        self.title = title
        self.rows: list[tuple[str, str, str, str, str, str, bool | None]] = []

    def add(
        self, metric: str, value: str, baseline: str, ratio: str, target: str, passed: bool | None, *, twin: str = ""
    ) -> None:
        self.rows.append((str(metric), str(value), twin, str(baseline), str(ratio), str(target), passed))

    @property
    def failed(self) -> bool:
        return any(passed is False for *_cells, passed in self.rows)

    def lines(self) -> list[str]:
        cells = [list(self.HEADER)]
        for *texts, passed in self.rows:
            cells.append([*texts, "-" if passed is None else "PASS" if passed else "FAIL"])
        if not any(twin for _metric, _value, twin, *_rest in self.rows):  # a table without time targets
            cells = [row[:2] + row[3:] for row in cells]
        widths = [max(display_width(row[i]) for row in cells) for i in range(len(cells[0]))]
        right = set(range(1, len(cells[0]) - 2))  # numbers: every column but the metric, target and result
        lines = []
        if self.title:
            lines.append(self.title)
        for index, row in enumerate(cells):
            lines.append(" | ".join(_pad(text, widths[i], i in right and index > 0) for i, text in enumerate(row)))
            if index == 0:
                lines.append("-+-".join("-" * width for width in widths))
        verdict = "FAIL" if self.failed else "PASS"
        lines.append(f"overall: {verdict}")
        return lines

    def print(self) -> None:
        print("\n".join(self.lines()), flush=True)
