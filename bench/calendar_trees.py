"""The application calendar's rows of bench/scale.py (sixty calendar pages, sixty calculator feeds, each
asked once) on a kept corpus, for the code of each source tree given, one after the other in one run: a
before and after on the same data and the same machine, as docs/benchmarks.md asks of a figure.

    .venv/bin/python bench/scale.py --only calendar --database xmp_calbench --keep   # the corpus, once
    git archive OLD | tar -x -C /tmp/old && ln -s $PWD/.venv /tmp/old/.venv
    .venv/bin/python bench/calendar_trees.py xmp_calbench /tmp/old . [--rounds 2]

Each tree is timed in a process of its own (its code imported, the database's schema as it is: migrate
it with the newest tree), beside the wall clock the Python CPU time of each request, which a busy
machine moves less. Nothing is written to the database.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import pg_url

ONE_TREE = """
import os, random, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from bench import scale
from bench.corpus.generate import KIND_SLUG
from bench.harness import percentile
browser = scale.client()
rng = random.Random(scale.SEED)
tail = scale.tail_ranks()
feeds = [
    "/calculator/calendar.ics?valid=0" + "".join(f"&kind={KIND_SLUG.format(index=r)}" for r in rng.sample(tail, 3))
    for _ in range(60)
]
for name, urls in (("calendar page", scale.calendar_urls(60)), ("calculator feed", feeds)):
    browser.get(urls[0] + "&warm=1")  # the worker's first request (imports, the calendar's tally) apart
    wall, cpu = [], []
    for path in urls:
        started, used = time.perf_counter(), time.process_time()
        response = browser.get(path + "&round=" + sys.argv[1])  # never from the page cache
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    print(f"{name}: p95 {percentile(wall, 95):.1f} ms (CPU {percentile(cpu, 95):.1f} ms), "
          f"p50 {percentile(wall, 50):.1f} ms (CPU {percentile(cpu, 50):.1f} ms)", flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="a kept corpus (bench/scale.py --keep)")
    parser.add_argument("trees", nargs="+", help="source trees, each with its .venv")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    static_root = os.environ.get("STATIC_ROOT") or "/tmp/xmpolicy-calendar-trees-static"
    env = {
        **os.environ,
        "XMPOLICY_ENV": "local",
        "DEBUG": "0",
        "DATABASE_URL": pg_url(args.database),
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "xmpolicy.settings",
        "STATIC_ROOT": static_root,
    }
    first = Path(args.trees[-1]).resolve()
    subprocess.run(
        [str(first / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=first,
        env=env,
        check=True,
    )
    for round_number in range(1, args.rounds + 1):
        for tree in args.trees:
            root = Path(tree).resolve()
            print(f"round {round_number}, {root}:", flush=True)
            subprocess.run(
                [str(root / ".venv/bin/python"), "-c", ONE_TREE, str(round_number)], cwd=root, env=env, check=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
