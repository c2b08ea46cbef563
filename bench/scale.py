"""Fast at scale (issue 6): a synthetic city library of 100,000 clauses on PostgreSQL, and every figure
measured against its baseline in the same run.

    .venv/bin/python bench/scale.py [--policies 500] [--clauses-per-policy 200] [--seconds 10] [--keep]
        [--only pages|calendar|library|feedback|import|mixed] [--database NAME] [--redis-db N]
    .venv/bin/python bench/scale.py --search-only DATABASE    # the search rows alone, on a kept corpus

--only pages measures the page rows alone (4, 5 and 6), e.g. on a small corpus:
    .venv/bin/python bench/scale.py --only pages --policies 20 --database mybench --redis-db 13
--only calendar measures the query counts (1) and the application calendar's rows (3) alone.
--only library measures the query counts (1), the award finder's rows and the policy library's (3) alone.
--only feedback measures the query counts (1) and the 纠错/提问 pages' rows (3) alone.
--only import measures the query counts (1) and the import and publication of a new policy (3) alone.
--only mixed measures the mixed load (7) alone, on the corpus of --policies; --seconds shortens its phases:
    .venv/bin/python bench/scale.py --only mixed --policies 20 --seconds 15 --database mybench --redis-db 9

1. Query counts per page on a small corpus (5 policies), then on the whole one: they must not grow.
2. Search: sampled Chinese terms answered through the index, against the naive substring scan (the same
   search without the index) on the same data: p95, the ratio, and the results compared one by one; then
   amount queries (三千万, 0.3亿, 500万以上, 孵化器 500万以上 …) the same way, and the reading of a
   20,000-character policy and of a 1 MB one-line paragraph full of amounts (bench/reading.py).
3. The award finder with filters and sorting: p95 of the answer (the filtered, sorted first page and
   its count), and of the whole finder page with its facet counts; the policy calculator's answer for
   three recipient kinds (its awards with their kinds and application facts, and the totals): p95, and
   its queries on the small corpus and on the whole one (equal); the e-mail alerts: each of 60
   subscriptions (a policy, a measure, finder filters, search words) settled after an edit: p95, and the
   most queries one took, on the small corpus and on the whole one (equal) (bench/alerting.py); the
   application calendar's page (sections, months, filters) and the calculator's calendar feed: p95; the
   policy library's page (/policies/: filters, 文号 and title words, sorts, pages) within the finder
   page's budget, and the time to read its catalogue once per revision (after an edit); the 纠错/提问
   pages (/feedback/'s figures over 20 messages a policy, the form from a measure): p95 (bench/feedback.py).
   A new policy's text (12 measures, 50 awards) read, imported as drafts and published through the admin
   in ≤ 3 s in all (bench/importing.py). Every time target is judged at the reference speed, measured in
   the same run (bench/speed.py).
4. Pages served by gunicorn (2 workers) against a static file of the same bytes served by the same
   gunicorn and whitenoise, side by side with wrk: requests per second, p50 and p99.
5. Two gunicorn instances sharing PostgreSQL and a Redis cache: an edit saved in the admin of one is
   on the next page served by either, both ways.
6. The peak memory of every gunicorn worker.
7. Mixed load, on the two instances of 5 (bench/mixed.py): 50 readers (wrk, 25 on each instance) over
   bench/load.py's 28 URLs laid on the corpus, alone for 60 s (--seconds), then for as long with four
   editors correcting published awards and a reviewer publishing imported drafts (发布所选草稿) through
   the admin of either instance in turn. Rows: the readers' errors (non-2xx/3xx, socket) in each phase
   (0), the edits refused or never seen (0), the longest delay from a save's response until its page
   showed it on both instances (≤ 1 s, judged at the reference speed), and the readers' p99 with the
   editors over their p99 alone (≤ 1.5).

Everything it starts (database, gunicorns, Redis keys) is removed at the end; --keep keeps the database.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.admin_client import AdminClient
from bench.alerting import settle_each
from bench.feedback import feedback_urls, seed_feedback
from bench.harness import (
    BenchDatabase,
    Gunicorn,
    Table,
    ensure_services,
    free_port,
    http_get,
    log,
    percentile,
    pg_url,
    wrk,
)
from bench.importing import import_and_publish
from bench.mixed import mixed_rows
from bench.reading import amount_search_rows, one_line_rows, reading_rows
from bench.speed import add_speed_row, add_static_speed_row, add_timed

DATABASE = "xmp_bench_scale"
SEED = 2025
SMALL_POLICIES = 5
FEATURED = f"synthetic-{SEED}-0001"
REDIS_DB = 14  # a database of Redis's own for the bench, emptied before and after
EDITOR, EDITOR_PASSWORD = "bench-editor", "bench-editor-password-2025"

SEARCH_P95_MS = 15
SEARCH_SPEEDUP = 10  # the index against the naive substring scan, p95 over p95 in the same run (issue 18)
FINDER_P95_MS = 30
FINDER_PAGE_P95_MS = 40  # the whole finder page: its results, its count and its facets' counts
# The first finder page after an edit against a warm one's p95, in the same run (issue 32).
FINDER_AFTER_EDIT_RATIO = 2
LIBRARY_PAGE_P95_MS = FINDER_PAGE_P95_MS  # the policy library's page, with its facets' counts (issue 31)
CALCULATOR_P95_MS = 30
ALERTS_P95_MS = 30  # one subscription judged and mailed after an edit
# The calculator's questions: three kinds each. Those for the query counts are the corpus's three commonest
# kinds (present in the small corpus too); those timed are drawn from the long tail (a kind of organisation,
# not a third of the library), every policy included (valid=0: the answer does not depend on today).
CALCULATOR_COUNTED_KINDS = (1, 2, 3)
CALCULATOR_TIMED_FROM_RANK = 20
THROUGHPUT_RATIO = 0.8  # issue 18: a cached page near a static file of the same bytes
ADMIN_SAVE_RATIO = 3  # issue 32: an editor's save against a plain admin change list, same server, same run
ADMIN_SAVES = 20
MIXED_SECONDS = 60  # issue 32: each phase of the mixed load, readers alone then with the editors
THROUGHPUT_SECONDS = 10  # each wrk run of the page rows
IMPORT_SECONDS = 3  # issue 32: a 12-measure, 50-award policy's text read, imported as drafts and published

# The pages whose query counts must not grow with the data.
PAGES = {
    "home": "/",
    "policy": f"/policies/{FEATURED}/",
    "pillar": f"/policies/{FEATURED}/pillars/1/",
    "measure": f"/policies/{FEATURED}/measures/1/",
    "measure history": f"/policies/{FEATURED}/measures/1/history/",
    "award finder": "/awards/?min=100&sort=amount",
    "policy library": "/policies/",
    # The first question of a revision reads the library's catalogue; the next ones none.
    "policy library, filtered": "/policies/?validity=in_force&has_awards=yes&q=若干措施&sort=title",
    "API policies, filtered": "/api/v1/policies/?has_awards=yes&sort=title",
    "search": "/search/?q=人工智能",
    "changes": "/changes/",
    "sitemap": "/sitemap.xml",
    "API awards": "/api/v1/awards/?min=100",
    "calendar": "/calendar/",
    "calendar of a month": "/calendar/?month=2026-06&pillar=2",
    "measure's calendar feed": f"/policies/{FEATURED}/measures/1/calendar.ics",
    "calculator's calendar feed (3 kinds)": "/calculator/calendar.ics?valid=0"
    + "".join(f"&kind=synthetic-kind-{rank:02d}" for rank in CALCULATOR_COUNTED_KINDS),
    # Visitors' messages grow with the library (bench/feedback.py): 100 on the small corpus, 10,000 on the whole.
    "feedback figures": "/feedback/",
    "feedback form, from a clause": f"/feedback/new/?kind=question&policy={FEATURED}&measure=1&clause=1",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policies", type=int, default=500)
    parser.add_argument("--clauses-per-policy", type=int, default=200)
    parser.add_argument(
        "--seconds",
        type=int,
        help=f"length of each wrk run (default {THROUGHPUT_SECONDS}; of each mixed load phase: {MIXED_SECONDS})",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--search-only",
        metavar="DATABASE",
        help="only the search rows, on this existing database holding generate_corpus's library (left as it is)",
    )
    parser.add_argument(
        "--only",
        choices=("pages", "calendar", "library", "feedback", "import", "mixed"),
        help="pages: only the page-throughput and two-instance rows (4, 5), on the corpus of --policies; "
        "calendar: only the query counts and the calendar's rows; "
        "library: only the query counts, the finder's and the policy library's rows; "
        "feedback: only the query counts and the 纠错/提问 pages' rows; "
        "import: only the query counts and the import-and-publish rows; "
        "mixed: only the mixed load's rows (7), on the corpus of --policies",
    )
    parser.add_argument("--database", default=DATABASE, help="the benchmark database's name (dropped first)")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis database to use (emptied)")
    args = parser.parse_args()
    if args.search_only:
        return search_only(args.search_only)
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"

    ensure_services()
    table = Table(f"xmpolicy at scale: {args.policies} policies × {args.clauses_per_policy} clauses, PostgreSQL")
    with BenchDatabase(args.database, keep=args.keep) as db:
        django_in_process(db.env)
        from django.db import connections

        def corpus(policies):
            connections.close_all()  # nothing of ours may hold the tables the generator locks
            log(f"generating the corpus: {policies} policies")
            db.manage("generate_corpus", "--policies", policies, "--clauses-per-policy", args.clauses_per_policy)
            seed_feedback(policies, SEED)

        if args.only == "pages":
            corpus(args.policies)
        elif args.only == "mixed":
            corpus(args.policies)
            vacuum(db.name)
        elif args.only in ("calendar", "library", "feedback", "import"):
            corpus(SMALL_POLICIES)
            small_counts = query_counts()
            corpus(args.policies)
            vacuum(db.name)
            count_rows(table, query_counts(), small_counts)
            add_speed_row(table)
            if args.only == "calendar":
                calendar_rows(table)
            elif args.only == "feedback":
                feedback_rows(table)
            elif args.only == "import":
                import_rows(table)
            else:
                finder_rows(table)  # the library's budget is the finder page's: both measured in this run
                library_rows(table)
            table.print()
            return 1 if table.failed else 0
        else:
            corpus(SMALL_POLICIES)
            small_counts = {**query_counts(), "calculator answer (3 kinds)": calculator_query_count()}
            small_alert_queries = settle_each(FEATURED, SEED)[1]
            corpus(args.policies)
            vacuum(db.name)
            large_counts = {**query_counts(), "calculator answer (3 kinds)": calculator_query_count()}
            count_rows(table, large_counts, small_counts)

            add_speed_row(table)
            search_rows(table)
            amount_search_rows(table, SEARCH_P95_MS)  # bench/reading.py: amounts in any notation, ranges
            reading_rows(table)
            one_line_rows(table)  # a 1 MB one-line paragraph full of amounts: linear, bounded memory
            finder_rows(table)
            calculator_rows(table)
            calendar_rows(table)
            feedback_rows(table)
            library_rows(table)
            alert_rows(table, small_alert_queries)
            import_rows(table)  # last of the rows in this process: it adds a policy to the library

        db.manage("create_editor", EDITOR, env_extra={"XMPOLICY_EDITOR_PASSWORD": EDITOR_PASSWORD}, capture=True)
        pages = {"home": "/", "measure": f"/policies/{FEATURED}/measures/1/"}
        static_copies(db.env["STATIC_ROOT"], pages)
        servers = []
        if args.only != "mixed":
            with Gunicorn(free_port(), db.env, workers=2) as server:
                throughput_rows(table, server, pages, args.seconds or THROUGHPUT_SECONDS)
                admin_save_rows(table, server)
                servers.append(("single instance", server.peak_rss_mib()))
        flush_redis(redis_url)
        shared = {**db.env, "CACHE_URL": redis_url}
        # 2 processes × 4 threads each, as bench/load.py runs its 50 clients (docs/benchmarks.md says why):
        # the mixed load's 25 readers per instance would leave sync workers' clients waiting past wrk's timeout.
        instance = {"workers": 2, "threads": 4}
        try:
            with (
                Gunicorn(free_port(), shared, **instance) as first,
                Gunicorn(free_port(), shared, **instance) as second,
            ):
                if args.only != "mixed":
                    two_instances_rows(table, first, second)
                if args.only in (None, "mixed"):
                    mixed_rows(table, first, second, args.seconds or MIXED_SECONDS, FEATURED, SEED)
                servers += [("instance A", first.peak_rss_mib()), ("instance B", second.peak_rss_mib())]
        finally:
            flush_redis(redis_url)
        for name, peaks in servers:
            for number, (_pid, mib) in enumerate(sorted(peaks.items()), 1):
                table.add(f"peak memory, {name} worker {number}", f"{mib:.0f} MiB", "", "", "", None)
        connections.close_all()
    table.print()
    return 1 if table.failed else 0


def search_only(database: str) -> int:
    """The search rows alone, against a corpus kept from an earlier run (--keep) or generated by hand:
    for measuring a change to the search again and again without rebuilding 100,000 clauses."""
    table = Table(f"search on the kept corpus {database}, PostgreSQL")
    django_in_process({"XMPOLICY_ENV": "local", "DEBUG": "0", "DATABASE_URL": pg_url(database), "SECRET_KEY": "bench"})
    add_speed_row(table)
    search_rows(table)
    amount_search_rows(table, SEARCH_P95_MS)
    table.print()
    return 1 if table.failed else 0


def django_in_process(env: dict) -> None:
    """Django in this process, on the benchmark's database, as a worker runs it (its cache in memory).
    Each page timed here is asked for once, so none comes from the page cache."""
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "xmpolicy.settings"})
    import django

    django.setup()


def client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def query_counts() -> dict[str, int]:
    """Each page's queries, asked by a worker that has just started (nothing kept from the other corpus:
    on the small corpus and on the whole one, the same first request of a revision)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.public.calendar import tally as calendar_tally
    from measures.public.finder import tally
    from measures.public.library import catalogue

    cache.clear()
    tally.LATEST.clear()
    calendar_tally.COUNTED.clear()
    catalogue.LATEST_CATALOGUE.clear()
    browser, counts = client(), {}
    for name, path in PAGES.items():
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        counts[name] = len(queries)
    return counts


def count_rows(table: Table, large_counts: dict, small_counts: dict) -> None:
    for name, count in large_counts.items():
        table.add(f"SQL queries: {name}", count, small_counts[name], "", "= baseline", count == small_counts[name])


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def search_queries(count: int = 100) -> list[str]:
    """Terms of the corpus's vocabulary, as a reader would type them: whole terms, their first two
    characters, and two terms at once."""
    from bench.corpus.generate import VOCABULARY

    rng = random.Random(SEED)
    terms = rng.sample(VOCABULARY, count)
    whole, two = terms[: count * 2 // 5], terms[count * 2 // 5 : count * 4 // 5]
    pairs = terms[count * 4 // 5 :]
    return whole + [t[:2] for t in two] + [f"{a} {b}" for a, b in zip(pairs, reversed(pairs), strict=True)]


def search_rows(table: Table) -> None:
    from measures.search.query import find, parse_query

    queries = [parse_query(text) for text in search_queries()]
    for query in queries:  # warm the caches of the database, as a running site has them
        find(query)
    indexed, naive, different, capped = [], [], [], 0
    for query in queries:
        # Each query's time is the median of three runs, so that one hiccup of a shared machine is not
        # read as the query's cost; the two searches take turns.
        fast_runs, slow_runs = [], []
        for _ in range(3):
            fast, found = timed(find, query)
            slow, scanned = timed(find, query, indexed=False)
            fast_runs.append(fast)
            slow_runs.append(slow)
        indexed.append(statistics.median(fast_runs))
        naive.append(statistics.median(slow_runs))
        capped += found.capped
        if ([c.pk for c in found.clauses], found.total, found.capped) != (
            [c.pk for c in scanned.clauses],
            scanned.total,
            scanned.capped,
        ):
            different.append(query.text)
    fast95, slow95 = percentile(indexed, 95), percentile(naive, 95)
    log(f"search: {len(queries)} queries, {capped} in more than 1000 clauses; differing: {different or 'none'}")
    table.add(
        "search p50 (index)", f"{percentile(indexed, 50):.1f} ms", f"{percentile(naive, 50):.1f} ms", "", "", None
    )
    add_timed(
        table,
        "search p95 (index vs naive scan)",
        fast95,
        SEARCH_P95_MS,
        baseline=f"{slow95:.1f} ms",
        ratio=f"{slow95 / fast95:.1f}× faster",
    )
    table.add(
        "search speed-up over the naive scan, same run",
        f"{slow95 / fast95:.1f}×",
        "",
        "",
        f"≥ {SEARCH_SPEEDUP}×",
        slow95 / fast95 >= SEARCH_SPEEDUP,
    )
    table.add(
        "search results equal to the naive scan",
        f"{len(queries) - len(different)}/{len(queries)} queries",
        "",
        "",
        "all",
        not different,
    )


def finder_urls(count: int = 60) -> list[str]:
    """Award finder questions: amounts, bands, pillars, frequencies, kinds, a policy, both sort orders."""
    rng = random.Random(SEED)
    choices = {
        "band": ["under-100", "100-500", "500-1000", "1000-plus"],
        "min": ["50", "100", "300", "1000"],
        "max": ["500", "1000", "3000"],
        "pillar": ["1", "2", "3", "4"],
        "recurrence": ["once", "per_year", "unspecified"],
        "limit": ["exact", "ceiling"],
        "policy": [f"synthetic-{SEED}-{index:04d}" for index in (1, 42, 137, 250, 499)],
    }
    urls = []
    for _ in range(count):
        params = {name: rng.choice(values) for name, values in choices.items() if rng.random() < 0.35}
        if "min" in params and "max" in params and int(params["min"]) > int(params["max"]):
            del params["max"]
        params["sort"] = rng.choice(["amount", "-amount"])
        urls.append(urllib.parse.urlencode(params))
    return urls


def finder_rows(table: Table) -> None:
    browser = client()
    browser.get("/awards/")  # a worker that has answered one question already (its counts are kept)
    answers, pages = [], []
    for query in finder_urls():
        for path, times in ((f"/api/v1/awards/?{query}", answers), (f"/awards/?{query}", pages)):
            took, response = timed(browser.get, path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            times.append(took)
    answer95 = percentile(answers, 95)
    speed = add_timed(table, "award finder p95: filtered, sorted first page + count", answer95, FINDER_P95_MS)
    page95 = percentile(pages, 95)
    add_timed(table, "award finder p95: whole page with facet counts", page95, FINDER_PAGE_P95_MS, speed=speed)
    finder_after_edit_rows(table, browser, page95)


def finder_after_edit_rows(table: Table, browser, warm95: float, edits: int = 12) -> None:
    """The first finder page after an edit (issue 32): an award saved as the admin saves it (in a
    transaction, with its history), then a finder question, by the worker that answered the warm ones."""
    from django.db import transaction

    from measures.domain.models import Award
    from measures.domain.revision import content_revision
    from measures.public.finder import tally
    from measures.public.page_cache.revision_watch import WATCH

    rng = random.Random(SEED)
    published = list(Award.objects.published().order_by("pk").values_list("pk", flat=True))
    times = []
    for award_id, query in zip(rng.sample(published, edits), itertools.cycle(finder_urls()), strict=False):
        with transaction.atomic():
            award = Award.objects.get(pk=award_id)
            award.amount_yuan += 10_000
            award._change_reason = "bench: an edit"
            award.save()
        # As the admin's save is answered (ConditionalGetMiddleware.write): once announced to every worker.
        WATCH.forget()
        WATCH.wait_until_announced(content_revision())
        took, response = timed(browser.get, f"/awards/?{query}")
        if response.status_code != 200:
            raise RuntimeError(f"/awards/?{query}: HTTP {response.status_code}")
        if tally.LATEST.key != tally.revision_key(request=None):  # the page must have seen the edit
            raise RuntimeError("the finder page after an edit answered from an earlier revision")
        times.append(took)
    after95 = percentile(times, 95)
    ratio = after95 / warm95
    table.add(
        f"award finder: first page after an edit, p95 of {edits}",
        f"{after95:.1f} ms",
        f"{warm95:.1f} ms",
        f"{ratio:.1f}×",
        f"≤ {FINDER_AFTER_EDIT_RATIO}× the warm page p95",
        ratio <= FINDER_AFTER_EDIT_RATIO,
    )


def library_urls(count: int = 60) -> list[str]:
    """Policy library questions: an issuer, a validity, a year, awards or not, a kind, 文号 or title words,
    each sort, a later page."""
    from bench.corpus.generate import ISSUERS, KIND_SLUG

    rng = random.Random(SEED)
    choices = {
        "issuer": sorted({name for bodies, _prefix in ISSUERS for name in bodies.split("、")}),
        "validity": ["not_yet", "in_force", "expiring", "expired"],
        "year": [str(year) for year in range(2015, 2026)],
        "has_awards": ["yes", "no"],
        "kind": [KIND_SLUG.format(index=rank) for rank in range(1, 30)],
        "q": ["厦科", "厦府办", "〔2020〕", "人工智能", "若干措施", "第0042号"],
        "sort": ["-date", "date", "title"],
        "page": ["2", "3"],
    }
    urls = []
    for _ in range(count):
        params = {name: rng.choice(values) for name, values in choices.items() if rng.random() < 0.3}
        urls.append("/policies/?" + urllib.parse.urlencode(params))
    return urls


def library_rows(table: Table) -> None:
    """The policy library's page, each URL asked once (no page cache) by a worker that has read the
    revision's catalogue; and the catalogue's reading itself, which the first question after an edit pays."""
    from measures.public.library import catalogue

    browser = client()
    browser.get("/policies/")  # a worker that has answered one question already (its catalogue is kept)
    times = []
    for path in library_urls():
        took, response = timed(browser.get, path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        times.append(took)
    page95 = percentile(times, 95)
    add_timed(table, "policy library p95: whole page with facet counts", page95, LIBRARY_PAGE_P95_MS)
    builds = [timed(catalogue.build)[0] for _ in range(7)]
    table.add(
        "policy library: its catalogue read (once per revision), median",
        f"{statistics.median(builds):.1f} ms",
        "",
        "",
        "",
        None,
    )


def calculator_question(ranks) -> "object":
    """The calculator's question for the synthetic kinds of these ranks (bench/corpus/generate.py)."""
    # Imported here, as in the functions above: Django is set up at run time, on the bench's database.
    from django.http import QueryDict

    from bench.corpus.generate import KIND_SLUG
    from measures.public.calculator import CalculatorQuery

    params = QueryDict(mutable=True)
    params.setlist("kind", [KIND_SLUG.format(index=rank) for rank in ranks])
    params["valid"] = "0"
    return CalculatorQuery.from_params(params, require_kind=True)


def calculator_answer(ranks) -> int:
    """The calculator's answer, as its page and API compute it: every award counted and summed, and the
    first page of them with their kinds and application facts. Returns how many awards it found."""
    from measures.public import calculator

    query = calculator_question(ranks)
    answer = calculator.answer(query)
    if query.errors:
        raise RuntimeError(f"calculator {ranks}: {query.errors}")
    answer.page(1)
    return answer.count


def calculator_query_count() -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        calculator_answer(CALCULATOR_COUNTED_KINDS)
    return len(queries)


def tail_ranks() -> list[int]:
    """The ranks of the kinds the calculator is timed on: the long tail, with awards."""
    from bench.corpus.generate import KIND_SLUG
    from measures.public.calculator import kinds_with_counts

    ranks = {kind.slug: kind.order for kind in kinds_with_counts(valid_only=False) if kind.award_count}
    return sorted(
        rank
        for slug, rank in ranks.items()
        if rank >= CALCULATOR_TIMED_FROM_RANK and slug == KIND_SLUG.format(index=rank)
    )


def calculator_rows(table: Table, count: int = 60) -> None:
    rng = random.Random(SEED)
    tail = tail_ranks()
    times, listed = [], []
    for _ in range(count):
        took, awards = timed(calculator_answer, rng.sample(tail, 3))
        times.append(took)
        listed.append(awards)
    p95 = percentile(times, 95)
    add_timed(
        table,
        f"calculator p95: 3 kinds' awards (median {statistics.median(listed):.0f}) summed, first page listed",
        p95,
        CALCULATOR_P95_MS,
    )


def alert_rows(table: Table, small_queries: list[int]) -> None:
    times, queries, sent = settle_each(FEATURED, SEED)
    p95 = percentile(times, 95)
    add_timed(
        table,
        f"alerts p95: one subscription settled after an edit ({len(times)}, 4 kinds; {sent} mailed)",
        p95,
        ALERTS_P95_MS,
    )
    table.add(
        "SQL queries: alerts, per subscription (most)",
        max(queries),
        max(small_queries),
        "",
        "= baseline",
        max(queries) == max(small_queries),
    )


def static_copies(static_root: str, pages: dict[str, str]) -> None:
    """Each page's exact bytes as a static file, for gunicorn and whitenoise to serve beside it."""
    browser = client()
    for name, path in pages.items():
        Path(static_root, f"bench-{name}.html").write_bytes(browser.get(path).content)


def throughput_rows(table: Table, server: Gunicorn, pages: dict[str, str], seconds: int) -> None:
    for name, path in pages.items():
        static = server.url(f"/static/bench-{name}.html")
        page = server.url(path)
        for url in (static, page):
            # Warm every worker (a request alone reaches one): its page cache, its connections.
            wrk(url, 1, connections=8)
        base = wrk(static, seconds, connections=8)
        measured = wrk(page, seconds, connections=8)
        if name == next(iter(pages)):
            add_static_speed_row(table, base.requests_per_second)
        size = len(http_get(page)[2])
        ratio = measured.requests_per_second / base.requests_per_second
        errors = base.errors + measured.errors
        table.add(
            f"{name} page via gunicorn ({size / 1024:.0f} KiB) vs static file",
            f"{measured.requests_per_second:.0f} req/s",
            f"{base.requests_per_second:.0f} req/s",
            f"{ratio:.2f}",
            f"≥ {THROUGHPUT_RATIO}",
            ratio >= THROUGHPUT_RATIO and errors == 0,
        )
        table.add(
            f"{name} page latency p50 / p99",
            f"{measured.p50_ms:.1f} / {measured.p99_ms:.1f} ms",
            f"{base.p50_ms:.1f} / {base.p99_ms:.1f} ms",
            "",
            "",
            None,
        )


def admin_save_rows(table: Table, server: Gunicorn) -> None:
    """An editor's save through the admin (a published award's recipient changed, with a reason): each
    answered once every worker has heard of the change (measures/public/page_cache/revision_watch.py),
    against the admin's award change list, both timed on the same server as the editor's browser sees them."""
    from measures.domain.models import Award

    editor = AdminClient(server.url())
    editor.log_in(EDITOR, EDITOR_PASSWORD)
    awards = list(Award.objects.published().filter(listed_policy__slug=FEATURED).order_by("pk")[:ADMIN_SAVES])
    lists, saves = [], []
    for number, award in enumerate(awards, 1):
        took, (status, _headers, _text) = timed(editor.request, "GET", "/admin/measures/award/")
        if status != 200:
            raise RuntimeError(f"the award change list: HTTP {status}")
        lists.append(took)
        change = f"/admin/measures/award/{award.pk}/change/"
        changes = {
            "recipient": f"{award.recipient}（第{number}次修订）",
            "change_reason": f"基准测试：第{number}次修订",
        }
        took, (status, _headers, _text) = timed(editor.request, "POST", change, editor.filled_form(change, changes))
        if status != 302:
            raise RuntimeError(f"{change}: the save was refused (HTTP {status})")
        saves.append(took)
    list95, save95 = percentile(lists, 95), percentile(saves, 95)
    table.add(
        f"admin save p95 ({len(saves)} awards) vs the award change list p95",
        f"{save95:.1f} ms",
        f"{list95:.1f} ms",
        f"{save95 / list95:.2f}",
        f"≤ {ADMIN_SAVE_RATIO}",
        save95 / list95 <= ADMIN_SAVE_RATIO,
    )


def two_instances_rows(table: Table, first: Gunicorn, second: Gunicorn) -> None:
    """An edit saved through one instance's admin is on the very next page served by either."""
    from measures.domain.models import Pillar

    pillar = Pillar.objects.get(policy__slug=FEATURED, number=1)
    change = f"/admin/measures/pillar/{pillar.pk}/change/"
    for number, (editing, other) in enumerate(((first, second), (second, first)), 1):
        for server in (first, second):  # both have the page in the shared cache before the edit
            http_get(server.url("/"))
        editor = AdminClient(editing.url())
        editor.log_in(EDITOR, EDITOR_PASSWORD)
        title = f"{pillar.title}（第{number}次修订）"
        status = editor.save(change, {"title": title, "change_reason": f"基准测试：第{number}次修订"})
        seen = [title in http_get(server.url("/"))[2].decode() for server in (other, editing)]
        name = "A → B" if editing is first else "B → A"
        table.add(
            f"edit saved on {name[0]}, next page on {name[-1]} / on {name[0]}",
            " / ".join("new title" if ok else "OLD TITLE" for ok in seen),
            "",
            "",
            "new title on both",
            status == 302 and all(seen),
        )


def vacuum(database: str) -> None:
    """What autovacuum does on a live site after a bulk load: the visibility map lets counts read
    indexes only."""
    import psycopg

    log("VACUUM ANALYZE")
    with psycopg.connect(pg_url(database), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def calendar_urls(count: int = 60) -> list[str]:
    """Calendar pages as visitors ask for them: the overview, a section or a month, filtered or not."""
    from bench.corpus.generate import KIND_SLUG

    rng = random.Random(SEED)
    choices = {
        "kind": [KIND_SLUG.format(index=rank) for rank in range(1, 30)],
        "pillar": ["1", "2", "3", "4"],
        "policy": [f"synthetic-{SEED}-{index:04d}" for index in (1, 42, 137, 250, 499)],
    }
    parts = [None, "closing-soon", "open", "opening-soon", "closed", "year-round", "annual-notice", "unpublished"]
    urls = []
    for number in range(count):
        params = {name: rng.choice(values) for name, values in choices.items() if rng.random() < 0.3}
        if number % 3 == 1:
            params["month"] = f"{rng.choice((2026, 2027, 2028))}-{rng.randint(1, 12):02d}"
        elif number % 3 == 2 and (part := rng.choice(parts)):
            params["section"] = part
        urls.append("/calendar/?" + urllib.parse.urlencode(params))
    return urls


def calendar_rows(table: Table, count: int = 60) -> None:
    """The application calendar's page and the calculator's calendar feed (three kinds from the long
    tail, as calculator_rows asks), each URL asked once (no page cache): p95 within the calculator's budget."""
    from bench.corpus.generate import KIND_SLUG

    browser = client()
    rng = random.Random(SEED)
    tail = tail_ranks()
    feeds = [
        "/calculator/calendar.ics?valid=0"
        + "".join(f"&kind={KIND_SLUG.format(index=rank)}" for rank in rng.sample(tail, 3))
        for _ in range(count)
    ]
    for name, urls in (
        ("calendar page p95: overview, a section or a month, filtered", calendar_urls(count)),
        ("calculator's calendar feed p95: 3 kinds' dated windows", feeds),
    ):
        times = []
        for path in urls:
            took, response = timed(browser.get, path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            times.append(took)
        p95 = percentile(times, 95)
        add_timed(table, name, p95, CALCULATOR_P95_MS)


def feedback_rows(table: Table) -> None:
    """The 纠错 and 提问 pages (never cached: each request reads the messages or the content): /feedback/'s
    figures over the last twelve months of messages, and the form opened from a measure or a clause."""
    browser = client()
    times = []
    for path in feedback_urls(FEATURED):
        took, response = timed(browser.get, path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        times.append(took)
    add_timed(
        table, "纠错/提问 pages p95: the figures, the form from a measure", percentile(times, 95), CALCULATOR_P95_MS
    )


def import_rows(table: Table) -> None:
    """A new policy's official text imported and published on the whole library (bench/importing.py)."""
    done = import_and_publish(SEED)
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in done.seconds.items())
    add_timed(
        table,
        f"import and publish a {done.measures}-measure policy text ({steps})",
        done.total,
        IMPORT_SECONDS,
        unit="s",
    )
    table.add(
        "  then public: measures / awards",
        f"{done.public_measures} / {done.public_awards}",
        f"{done.measures} / {done.awards} imported",
        "",
        "all",
        (done.public_measures, done.public_awards) == (done.measures, done.awards),
    )


if __name__ == "__main__":
    sys.exit(main())
