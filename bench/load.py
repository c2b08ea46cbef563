"""Load: 50 concurrent clients for 60 s against gunicorn + PostgreSQL, over the public pages and the
API, with no error (issue 7, item 5).

    .venv/bin/python bench/load.py                 # the real run (about 70 s)
    .venv/bin/python bench/load.py --seconds 10    # a quick trial

A fresh database (xmp_fault_load) with the real policy loaded, gunicorn with 2 gthread workers of 4
threads each (why: see WORKERS below), then `wrk -c50 -d60s --latency` with a script that rotates
over the public pages: the home page, the policy, pillar and measure pages (pending ones included),
the award finder with filters, search, the changes page and the API. Every page is checked for a 200
first. Prints throughput and latency in a table; exits 1 on any error (non-2xx/3xx or socket).

The page cache is each worker's memory (the default without CACHE_URL); --cache-url redis://… shares
it, dummy:// turns it off (every request then runs its view: the uncached cost).
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # after the project is on the path
    BenchDatabase,
    Gunicorn,
    Table,
    ensure_services,
    free_port,
    http_get,
    log,
    lua_rotation,
    wrk,
)

POLICY = "/policies/kjcx-2025"
# The public pages a visitor (or a crawler) asks for, in the proportions of this list.
PATHS = [
    "/",
    f"{POLICY}/",
    *(f"{POLICY}/pillars/{n}/" for n in (1, 2, 3, 4)),
    *(f"{POLICY}/measures/{n}/" for n in range(1, 7)),  # 7–12 are pending: a 404 page that says so
    f"{POLICY}/measures/2/history/",
    "/awards/",
    "/awards/?min=100",
    "/awards/?band=500-1000&sort=amount",
    "/awards/?pillar=1&recurrence=once",
    "/awards/?min=50&max=1000&limit=ceiling&sort=-amount",
    "/search/?q=" + quote("中试"),
    "/search/?q=" + quote("金砖"),
    "/search/?q=" + quote("人才 平台"),
    "/changes/",
    "/api/v1/policies/",
    "/api/v1/measures/",
    "/api/v1/awards/?min=1000&ordering=-amount",
    "/api/v1/awards/?pillar=2",
    "/api/v1/clauses/",
    "/api/v1/search/?q=" + quote("中试"),
]

# 2 cores, shared with PostgreSQL and wrk. The work per request is Python (CPU, under the GIL) plus
# short waits on the database and the cache. One process per core: more processes (or more threads in
# all) than the cores only contend with PostgreSQL and wrk for them, with worse tails and no more
# throughput. Threads let a process go on while a request waits on PostgreSQL, and keep connections
# alive; sync workers take one connection at a time and close it, and on a busy machine left some of
# the 50 clients waiting past wrk's timeout. 8 threads also means at most 8 PostgreSQL connections.
# The runs behind this choice: docs/benchmarks.md.
WORKERS = 2
THREADS = 4


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="how long wrk runs (default 60)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--cache-url", default="", help="CACHE_URL for the app (default: each worker's memory)")
    parser.add_argument("--database", default="xmp_fault_load")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    ensure_services()
    log(f"database {args.database}: create, migrate, load_policy")
    with BenchDatabase(args.database, keep=args.keep_db) as database:
        database.manage("load_policy", capture=True)
        env = dict(database.env)
        if args.cache_url:
            env["CACHE_URL"] = args.cache_url
        port = free_port()
        log(f"gunicorn on :{port}, {args.workers} workers x {args.threads} threads")
        with Gunicorn(port, env, workers=args.workers, threads=args.threads) as server:
            broken = [(path, status) for path in PATHS if (status := http_get(server.url(path))[0]) != 200]
            if broken:
                for path, status in broken:
                    log(f"not a 200 before the load: {path} -> {status}")
                return 1
            log(f"wrk: {args.connections} connections for {args.seconds} s over {len(PATHS)} URLs")
            result = wrk(server.url("/"), args.seconds, args.connections, threads=2, script=lua_rotation(PATHS))
            peaks = server.peak_rss_mib()
            server_log = server.log_text()

    table = Table(
        f"bench/load.py: {args.connections} clients, {args.seconds} s, {len(PATHS)} URLs, gunicorn "
        f"{args.workers}x{args.threads} {'gthread' if args.threads > 1 else 'sync'}, PostgreSQL, "
        f"page cache {args.cache_url or 'per-worker memory'}"
    )
    table.add("requests", f"{result.requests}", "", "", "> 0", result.requests > 0)
    table.add("throughput (req/s)", f"{result.requests_per_second:.0f}", "", "", "", None)
    table.add("latency p50 (ms)", f"{result.p50_ms:.1f}", "", "", "", None)
    table.add("latency p99 (ms)", f"{result.p99_ms:.1f}", "", "", "", None)
    table.add("errors (non-2xx/3xx)", f"{result.non_2xx_3xx}", "", "", "0", result.non_2xx_3xx == 0)
    table.add("errors (socket)", f"{result.socket_errors}", "", "", "0", result.socket_errors == 0)
    tracebacks = server_log.count("Traceback")
    table.add("tracebacks in server log", f"{tracebacks}", "", "", "0", tracebacks == 0)
    if peaks:
        table.add("worker peak RSS (MiB, max)", f"{max(peaks.values()):.0f}", "", "", "", None)
    table.print()
    if table.failed:
        print(result.output, file=sys.stderr)
        print(server_log[-4000:], file=sys.stderr)
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
