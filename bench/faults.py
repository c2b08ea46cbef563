"""Database faults (issue 7, item 6): PostgreSQL stopped under load and started again.

    .venv/bin/python bench/faults.py [--outage 10]

A fresh database with the real policy and an editor, gunicorn (2 workers); readers keep asking for
public pages and /healthz while an editor keeps saving a measure in the admin together with its
clause (an inline row on the same page, written in the same transaction), each save numbered in
both. Then the machine's PostgreSQL is stopped for --outage seconds and started again (every other
user of the server sees it go down too; it is always started again). Printed:

- what readers got while it was down: only 503s with the friendly message (pages) or {"detail": …}
  (API), `Retry-After` and `Cache-Control: no-store`, never a 500 or a trace;
- /healthz: 503 while down, 200 after;
- the time from PostgreSQL accepting connections again to the first page served (recovery);
- errors after recovery (none);
- the edits: each one the admin acknowledged (a redirect) is in the database (rows lost: 0), and
  every edit in the database is whole: the measure's title and its clause's text of the same save,
  never one without the other (in the history, and as they stand now).
"""

import argparse
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.admin_client import AdminClient
from bench.harness import (
    BenchDatabase,
    Gunicorn,
    Table,
    ensure_services,
    free_port,
    http_get,
    log,
    postgresql_ready,
    start_postgresql,
    stop_postgresql,
)

EDITOR, PASSWORD = "fault-editor", "fault-editor-password-2025"
FRIENDLY = "网站暂时无法访问"
READER_PATHS = [
    "/",
    "/policies/kjcx-2025/measures/3/",
    "/awards/?min=100",
    "/search/?q=%E4%B8%AD%E8%AF%95",
    "/api/v1/awards/",
]
READERS = 4


class Recorder:
    """Every answer the readers got, with when they got it."""

    def __init__(self):
        self.lock = threading.Lock()
        # (time, path, status, an explained 503, a stack trace shown)
        self.answers: list[tuple[float, str, int, bool, bool]] = []
        self.stop = threading.Event()

    def record(self, path, status, headers, body):
        text = body.decode("utf-8", errors="replace")
        traced = "Traceback" in text or 'File "' in text
        # A page says so in words; the API and /healthz in JSON.
        if path == "/healthz":
            explained = '"unavailable"' in text
        elif path.startswith("/api/"):
            explained = text.startswith('{"detail"')
        else:
            explained = FRIENDLY in text
        if path != "/healthz":  # /healthz is for machines: no Retry-After
            explained = explained and headers.get("retry-after") == "30"
        explained = explained and "no-store" in headers.get("cache-control", "")
        with self.lock:
            self.answers.append((time.monotonic(), path, status, explained and not traced, traced))


def reader(server: Gunicorn, recorder: Recorder, offset: int) -> None:
    paths = READER_PATHS[offset:] + READER_PATHS[:offset] + ["/healthz"]
    while not recorder.stop.is_set():
        for path in paths:
            try:
                status, headers, body = http_get(server.url(path), timeout=10)
            except OSError:
                status, headers, body = 0, {}, b""
            recorder.record(path, status, headers, body)
            time.sleep(0.02)


def numbered(text: str, number: int) -> str:
    return f"{text}（故障测试第{number:04d}次）"


def number_of(text: str) -> int | None:
    match = re.search(r"（故障测试第(\d{4})次）$", text)
    return int(match[1]) if match else None


def editor_loop(server: Gunicorn, edited, stop: threading.Event, acknowledged: list, failed: list):
    """Saves the measure's title and its clause's text (the inline row clauses-0) in one form, both
    numbered alike; an edit counts as acknowledged when the admin answers with its redirect."""
    measure_pk, title, text = edited
    editor = AdminClient(server.url(), timeout=15)
    path = f"/admin/measures/measure/{measure_pk}/change/"
    number = 0
    while not stop.is_set():
        number += 1
        changes = {
            "title": numbered(title, number),
            "clauses-0-text": numbered(text, number),
            "change_reason": f"故障测试第{number}次",
        }
        try:
            if not editor.cookies.get("sessionid"):
                editor.log_in(EDITOR, PASSWORD)
            status = editor.save(path, changes)
        except RuntimeError as error:  # the change form did not open: "GET …: HTTP 503"
            found = re.search(r"HTTP (\d+)", str(error))
            status = int(found[1]) if found else 0
        except OSError:
            status = 0
        (acknowledged if status == 302 else failed).append((number, changes["title"], status))
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=10, help="seconds PostgreSQL stays down")
    args = parser.parse_args()
    if not 0 < args.outage <= 12:
        # Other users share this PostgreSQL: stopped, plus stopping and starting, stays within 15 s.
        parser.error("--outage must be more than 0 and at most 12 seconds")

    ensure_services()
    table = Table(f"bench/faults.py: PostgreSQL stopped for {args.outage:.0f} s under load, gunicorn 2 workers")
    with BenchDatabase("xmp_bench_faults") as db:
        db.manage("load_policy", capture=True)
        db.manage("create_editor", EDITOR, env_extra={"XMPOLICY_EDITOR_PASSWORD": PASSWORD}, capture=True)
        # Measure 3 and its one clause (the readers ask for its page too).
        ((measure_pk, title),) = db.sql("SELECT id, title FROM measures_measure WHERE number = 3")
        ((clause_pk, text),) = db.sql(
            "SELECT id, text FROM measures_clause WHERE measure_id = %s AND draft_of_id IS NULL", [measure_pk]
        )
        with Gunicorn(free_port(), db.env, workers=2) as server:
            recorder, stop_editing = Recorder(), threading.Event()
            acknowledged, failed = [], []
            threads = [threading.Thread(target=reader, args=(server, recorder, i), daemon=True) for i in range(READERS)]
            threads.append(
                threading.Thread(
                    target=editor_loop,
                    args=(server, (measure_pk, title, text), stop_editing, acknowledged, failed),
                    daemon=True,
                )
            )
            for thread in threads:
                thread.start()
            time.sleep(5)  # the load running normally
            log(f"stopping PostgreSQL for {args.outage:.0f} s")
            try:
                stop_postgresql()  # returns once the server has stopped
                down_at = time.monotonic()
                time.sleep(args.outage)
            finally:
                restart_at = time.monotonic()
                start_postgresql()  # returns once it accepts connections
            up_at = time.monotonic()
            log("PostgreSQL accepts connections again")
            time.sleep(10)  # the load running after recovery
            stop_editing.set()
            recorder.stop.set()
            for thread in threads:
                thread.join(30)
            server_log = server.log_text()

        answers = recorder.answers
        during = [a for a in answers if down_at < a[0] < restart_at]
        after = [a for a in answers if a[0] > restart_at]
        pages_during = [a for a in during if a[1] != "/healthz"]
        first_ok = next((a[0] for a in after if a[1] != "/healthz" and a[2] == 200), None)
        # From the start command (the server accepted connections up_at - restart_at later).
        recovered_in = first_ok - restart_at if first_ok is not None else None
        settled = [a for a in after if first_ok is not None and a[0] > first_ok]

        statuses = sorted({a[2] for a in pages_during})
        table.add(
            "pages while down: answers",
            f"{len(pages_during)}, statuses {statuses}",
            "",
            "",
            "503 only, friendly",
            bool(pages_during) and all(a[2] == 503 and a[3] for a in pages_during),
        )
        health_during = {a[2] for a in during if a[1] == "/healthz"}
        table.add("/healthz while down", f"{sorted(health_during)}", "", "", "[503]", health_during == {503})
        table.add(
            f"recovery: start command (took {up_at - restart_at:.1f} s) → first page served",
            f"{recovered_in:.2f} s" if recovered_in is not None else "never",
            "",
            "",
            "≤ 5 s",
            recovered_in is not None and recovered_in <= 5,
        )
        bad_after = [a for a in settled if a[2] != 200]
        table.add(
            "errors after recovery",
            f"{len(bad_after)} of {len(settled)}",
            "",
            "",
            "0",
            not bad_after and bool(settled),
        )
        health_after = [a[2] for a in settled if a[1] == "/healthz"]
        table.add(
            "/healthz after recovery", f"{sorted(set(health_after))}", "", "", "[200]", set(health_after) == {200}
        )
        tracebacks = server_log.count("Traceback")
        traced = sum(1 for a in answers if a[4])
        table.add("stack traces shown to visitors", f"{traced} of {len(answers)} answers", "", "", "0", traced == 0)
        table.add("tracebacks in the server log (logged, not shown)", f"{tracebacks}", "", "", "", None)

        # The edits. Every acknowledged one is in the history, title and clause text alike; every
        # save in the history (acknowledged, or one whose answer was lost with the connection) has
        # both halves; and the measure and its clause now carry the same save.
        titles = db.sql("SELECT title FROM measures_historicalmeasure WHERE id = %s", [measure_pk])
        texts = db.sql("SELECT text FROM measures_historicalclause WHERE id = %s", [clause_pk])
        saved_titles = {number_of(row[0]) for row in titles} - {None}
        saved_texts = {number_of(row[0]) for row in texts} - {None}
        lost = [number for number, _title, _status in acknowledged if number not in saved_titles & saved_texts]
        half = sorted(saved_titles ^ saved_texts)
        ((current_title,),) = db.sql("SELECT title FROM measures_measure WHERE id = %s", [measure_pk])
        ((current_text,),) = db.sql("SELECT text FROM measures_clause WHERE id = %s", [clause_pk])
        now = (number_of(current_title), number_of(current_text))
        statuses_while_saving = sorted({status for _n, _t, status in failed})
        table.add(
            "edits acknowledged / not (their statuses)",
            f"{len(acknowledged)} / {len(failed)} {statuses_while_saving}",
            "",
            "",
            "",
            None,
        )
        table.add("acknowledged edits lost (rows lost)", f"{len(lost)}", "", "", "0", not lost and bool(acknowledged))
        table.add(
            "half-saved edits in the history (title xor clause)",
            f"{len(half)}" + (f" {half[:5]}" if half else ""),
            "",
            "",
            "0",
            not half,
        )
        table.add(
            "measure title and clause text now",
            f"save {now[0]} / save {now[1]}",
            "",
            "",
            "the same save",
            now[0] is not None and now[0] == now[1],
        )
    table.print()
    if not postgresql_ready():
        start_postgresql()
    return 1 if table.failed else 0


if __name__ == "__main__":
    sys.exit(main())
