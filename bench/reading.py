"""Reading policy text and searching by amount (issue 14), measured against baselines of the same run.

    .venv/bin/python bench/reading.py                          # reading only: no database needed
    .venv/bin/python bench/reading.py --database NAME          # and amount search on a generated corpus

1. Reading: a policy of 20,000+ characters, written out from the synthetic corpus's own policies (pillars,
   measures, clauses with awards in 万元), read by measures/text/document_reader.py: the median and the worst of
   several reads (target < 1 s), against tokenising the same text for search; and every award the corpus
   put in the text proposed back with its amount (none missing, none invented). Then one paragraph of
   1 MB on one line, full of amounts, as pasted from a PDF: its time (< 5 s) and peak memory (≤ 200 MB).
2. Amount search (with --database, a PostgreSQL database holding `manage.py generate_corpus`'s library,
   or as a row of bench/scale.py): amounts in several notations, ranges, and either with a word, through
   the indexes against the naive scan on the same data: p95, the ratio, and the results compared.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Table, log, percentile, pg_url
from bench.speed import Speed, add_timed

READ_TARGET_S = 1.0
DOCUMENT_CHARACTERS = 20_000
# A page pasted from a PDF as one line: one paragraph of 1 MB, full of amounts (issue 25). Read in a
# time linear in its length (it was quadratic: docs/benchmarks.md), in bounded memory.
ONE_LINE_CHARACTERS = 1_000_000
ONE_LINE_SENTENCE = "对新认定的企业，给予最高500万元奖励，对孵化器、加速器分别给予100万元、50万元补助；"
ONE_LINE_TARGET_S = 5.0
ONE_LINE_MEMORY_TARGET_MB = 200
SEED = 2025
NUMERALS = "一二三四五六七八九十"
# Amount queries: each corpus amount in another notation, ranges, and amounts with a word.
AMOUNT_QUERIES = [
    "三千万",
    "3千万元",
    "0.3亿",
    "叁仟万",
    "30000000元",
    "五百万",
    "伍佰万元",
    "1000万",
    "两千万",
    "0.5亿元",
    "二十万",
    "100万元",
    "500万以上",
    "不低于1000万",
    "100万到300万",
    "300万以内",
    "5000万以上",
    "孵化器 500万以上",
    "人工智能 三千万",
    "专精特新 100万到300万",
    "中试 五百万",
    "集成电路 1000万以上",
]


def django_setup(database: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmpolicy.settings")
    os.environ.setdefault("SECRET_KEY", "bench-reading-not-secret")
    if database:
        os.environ["DATABASE_URL"] = pg_url(database)
    import django

    django.setup()


def corpus_document(characters: int = DOCUMENT_CHARACTERS) -> tuple[str, list[int]]:
    """A policy document of at least `characters` characters written from the synthetic corpus's
    policies (no database), and the amounts (yuan) of the awards its text holds."""
    from bench.corpus.generate import build_policy

    lines, amounts, number, index = ["厦门市关于基准测试的若干措施（合成测试数据）", "厦科〔2025〕99号"], [], 0, 1
    lines.append("为检验政策原文读取的速度，制定如下措施。")
    while sum(map(len, lines)) < characters:
        rows = build_policy(SEED, index, 40)
        index += 1
        for pillar in rows.pillars:
            lines.append(f"{NUMERALS[(len([x for x in lines if x[1:2] == '、']) % 10)]}、{pillar.title}")
            for measure in (m for m in rows.measures if m.pillar is pillar):
                number += 1
                clauses = [c for c in rows.clauses if c.measure is measure]
                lines.append(f"{number}. {measure.title}。{clauses[0].text}")
                lines.extend(clause.text for clause in clauses[1:])
                amounts += [a.amount_yuan for a in rows.awards if any(a.clause is c for c in clauses)]
    return "\n".join(lines), amounts


def timed_reading(text: str, times: int):
    """Read `text` `times` times, each beside tokenising it for search (linear: the baseline): the last
    reading, and the seconds of each reading and of each tokenising."""
    from measures.text import document_reader, tokens

    runs, baseline = [], []
    for _ in range(times):
        start = time.perf_counter()
        reading = document_reader.read_policy(text)
        runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        tokens.tokens(text)
        baseline.append(time.perf_counter() - start)
    return reading, runs, baseline


def reading_rows(table: Table, speed: Speed | None = None) -> None:
    from measures.text import document_reader

    text, amounts = corpus_document()
    log(f"reading: a document of {len(text)} characters, {len(amounts)} awards")
    document_reader.read_policy(text)  # warm the regular expressions
    reading, runs, baseline = timed_reading(text, 7)
    median, worst = statistics.median(runs), max(runs)
    add_timed(
        table,
        f"read a {len(text):,}-character policy (worst of 7; median {median * 1000:.0f} ms)",
        worst,
        READ_TARGET_S,
        unit="s",
        strict=True,
        speed=speed,
        baseline=f"{statistics.median(baseline) * 1000:.0f} ms (search tokens)",
        ratio=f"{median / statistics.median(baseline):.1f}×",
    )
    proposed = sorted(award.amount_yuan for award in reading.awards)
    table.add(
        "awards proposed back from the text",
        f"{len(proposed)} of {len(amounts)}",
        "",
        "",
        "all, same amounts",
        proposed == sorted(amounts),
    )
    phrases_exact = all(text[a.start : a.end] == a.source_phrase for a in reading.awards)
    table.add(
        "every source phrase an exact substring at its offsets", str(phrases_exact), "", "", "True", phrases_exact
    )


def one_line_rows(table: Table, speed: Speed | None = None) -> None:
    """A 1 MB one-line paragraph with tens of thousands of amounts: the reading's time against tokenising
    the same text for search (linear, the baseline), and the most memory it held (tracemalloc, a second
    read: tracing slows it down)."""
    import tracemalloc

    from measures.text import document_reader

    repeated = ONE_LINE_SENTENCE * (ONE_LINE_CHARACTERS // len(ONE_LINE_SENTENCE) + 1)
    text = "关于基准测试的若干措施\n（一）测试措施。" + repeated[:ONE_LINE_CHARACTERS]
    reading, runs, baseline = timed_reading(text, 3)
    median = statistics.median(runs)
    log(f"reading: one line of {len(text):,} characters, {len(reading.awards):,} awards read")
    add_timed(
        table,
        f"read a {len(text) / 1e6:.0f} MB one-line paragraph, {len(reading.awards):,} awards (median of 3)",
        median,
        ONE_LINE_TARGET_S,
        unit="s",
        strict=True,
        speed=speed,
        baseline=f"{statistics.median(baseline):.2f} s (search tokens)",
        ratio=f"{median / statistics.median(baseline):.1f}×",
    )
    tracemalloc.start()
    try:
        document_reader.read_policy(text)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    table.add(
        "  its peak memory (tracemalloc)",
        f"{peak_mb:.0f} MB",
        f"{len(text.encode()) / 1e6:.1f} MB of text",
        f"{peak_mb / (len(text.encode()) / 1e6):.0f}×",
        f"≤ {ONE_LINE_MEMORY_TARGET_MB} MB",
        peak_mb <= ONE_LINE_MEMORY_TARGET_MB,
    )


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def amount_search_rows(table: Table, target_ms: float) -> None:
    """Amount queries through the index against the naive scan, and against word queries of the corpus's
    vocabulary in the same run (the search's own baseline)."""
    from bench.corpus.generate import VOCABULARY
    from measures.search.query import find, parse_query

    amount_queries = [parse_query(text) for text in AMOUNT_QUERIES]
    word_queries = [parse_query(text) for text in random.Random(SEED).sample(VOCABULARY, len(AMOUNT_QUERIES))]
    for query in amount_queries + word_queries:  # warm the caches, as a running site has them
        find(query)
    indexed, naive, words, different = [], [], [], []
    for query, word in zip(amount_queries, word_queries, strict=True):
        fast_runs, slow_runs, word_runs = [], [], []
        for _ in range(3):
            fast, found = timed(find, query)
            slow, scanned = timed(find, query, indexed=False)
            took, _ = timed(find, word)
            fast_runs.append(fast)
            slow_runs.append(slow)
            word_runs.append(took)
        indexed.append(statistics.median(fast_runs))
        naive.append(statistics.median(slow_runs))
        words.append(statistics.median(word_runs))
        if ([c.pk for c in found.clauses], found.total) != ([c.pk for c in scanned.clauses], scanned.total):
            different.append(query.text)
    fast95, slow95, word95 = percentile(indexed, 95), percentile(naive, 95), percentile(words, 95)
    log(f"amount search: {len(amount_queries)} queries; differing from the naive scan: {different or 'none'}")
    add_timed(
        table,
        "amount search p95 (index vs naive scan)",
        fast95,
        target_ms,
        baseline=f"{slow95:.1f} ms",
        ratio=f"{slow95 / fast95:.1f}× faster",
    )
    table.add(
        "amount search p95 vs word search p95, same run",
        f"{fast95:.1f} ms",
        f"{word95:.1f} ms",
        f"{fast95 / word95:.2f}",
        "",
        None,
    )
    table.add(
        "amount search results equal to the naive scan",
        f"{len(amount_queries) - len(different)}/{len(amount_queries)} queries",
        "",
        "",
        "all",
        not different,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL database holding generate_corpus's library")
    parser.add_argument("--target-ms", type=float, default=50, help="the search p95 target (bench/scale.py's)")
    args = parser.parse_args()
    django_setup(args.database)
    table = Table("Reading policy text and searching by amount")
    # Without a database the reference cannot be measured: the reading's times are judged as measured.
    speed = None if args.database else Speed.unscaled()
    reading_rows(table, speed)
    one_line_rows(table, speed)
    if args.database:
        amount_search_rows(table, args.target_ms)
    table.print()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
