"""The content revision kept in each process (measures/public/page_cache/revision_watch.py): a page from the cache
asks the database nothing, and an edit committed by another worker is still on the very next page."""

import queue
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.test import Client

from measures.domain.models import Measure, Pillar
from measures.domain.revision import content_revision
from measures.public.page_cache.revision_watch import WAIT_SECONDS, WATCH, RevisionWatch
from tests.admin_forms import form_data

MEASURE_PAGE = "/policies/test-policy/measures/1/"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's")


class Worker:
    """A worker: a thread with its own database connection and its own client, serving one request at
    a time, as a gunicorn worker does."""

    def __init__(self, user=None):
        self.user = user
        self.queries = []  # the SQL this worker ran
        self.requests, self.answers = queue.Queue(), queue.Queue()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        client = Client()
        if self.user is not None:
            client.force_login(self.user)
        try:
            with connection.execute_wrapper(self._count):  # this thread's connection only
                self._answer(client)
        finally:
            connections.close_all()  # this thread's connection, before the test database is flushed

    def _count(self, execute, sql, params, many, context):
        self.queries.append(sql)
        return execute(sql, params, many, context)

    def _answer(self, client):
        while (request := self.requests.get()) is not None:
            path, data = request
            try:
                self.answers.put(client.get(path) if data is None else client.post(path, data))
            except Exception as error:  # handed to the test, which fails with it
                self.answers.put(error)

    def get(self, path, data=None):
        self.requests.put((path, data))
        answer = self.answers.get(timeout=30)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def post(self, path, data):
        return self.get(path, data)

    def stop(self):
        self.requests.put(None)
        self.thread.join(timeout=30)


@pytest.fixture
def worker(transactional_db, small_policy):
    worker = Worker()
    yield worker
    worker.stop()


def test_an_edit_is_on_the_very_next_page_served_by_another_worker(worker):
    """An editor saves in the admin of one worker; the page is asked of the other right after, each time."""
    # A superuser: the editors' group is made by a migration, which an earlier test's flush may have emptied.
    editor = User.objects.create_superuser("chief-editor", password="chief-editor-password-1")
    ContentType.objects.clear_cache()  # the same flush emptied the content types this process remembers
    pillar = Pillar.objects.get(policy__slug="test-policy", number=1)
    change = f"/admin/measures/pillar/{pillar.pk}/change/"
    page = "/policies/test-policy/"
    editing = Worker(editor)
    try:
        for number in range(1, 4):
            before = worker.get(page)
            assert before.status_code == 200
            assert worker.get(page).content == before.content  # from the cache, nothing changed
            title = f"第一方面（第{number}次修订）"
            form = form_data(editing.get(change), "pillar")
            saved = editing.post(change, {**form, "title": title, "change_reason": f"第{number}次修订"})
            assert saved.status_code == 302, saved.content.decode()[:2000]
            after = worker.get(page)
            assert title in after.content.decode(), f"edit {number} missing from the next page"
            assert after["ETag"] != before["ETag"]
    finally:
        editing.stop()


@on_postgresql
def test_a_page_from_the_cache_asks_the_database_nothing(worker):
    worker.get(MEASURE_PAGE)
    worker.get(MEASURE_PAGE)  # the revision is now kept, and the page in the cache
    asked = len(worker.queries)
    for _ in range(20):
        assert worker.get(MEASURE_PAGE).status_code == 200
    # (At most one reading more: after RECHECK_SECONDS on a very slow machine.)
    assert len(worker.queries) - asked <= 1


@on_postgresql
def test_a_watch_reads_at_start_then_only_after_an_announcement(transactional_db, small_policy):
    """A process started after an edit reads the revision on its first request; it reads again only
    when PostgreSQL announces a change."""
    watch, reads = RevisionWatch(), []

    def read():
        reads.append(1)
        return content_revision()

    try:
        first, kept = watch.current(read)
        assert (first, kept, len(reads)) == (content_revision(), False, 1)
        assert watch.current(read) == (first, True)
        assert len(reads) == 1
        Measure.objects.filter(policy=small_policy, number=1).update(title="新的标题")
        second = _after_announcement(watch, read)
        assert second != first and second == content_revision()
        assert watch.current(read) == (second, True)
    finally:
        watch.close()


@on_postgresql
def test_a_dropped_listening_connection_falls_back_to_asking(transactional_db, small_policy):
    """When the listening connection is gone (the database restarted, a proxy cut it), an edit made
    meanwhile cannot be announced to it: every request asks the database until it listens again."""
    watch = RevisionWatch()
    try:
        first, _ = watch.current(content_revision)
        assert watch.current(content_revision) == (first, True)
        with connection.cursor() as cursor:  # what a restart does to it
            cursor.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = %s",
                ["xmpolicy revision watch"],
            )
        Measure.objects.filter(policy=small_policy, number=1).update(title="断线时的修改")
        revision, kept = watch.current(content_revision)
        assert (revision, kept) == (content_revision(), False)
        assert revision != first
        # Until it listens again (tried at most every few seconds), it keeps asking.
        assert watch.current(content_revision)[0] == revision
    finally:
        watch.close()


def test_on_sqlite_or_inside_a_transaction_every_request_asks(small_policy):
    """No channel to listen on (SQLite), or a write not yet committed (this test's transaction): the
    revision is read each time, so a change is never missed."""
    watch = RevisionWatch()
    first, kept = watch.current(content_revision)
    assert kept is False
    Measure.objects.filter(policy=small_policy, number=1).update(title="事务中的修改")
    revision, kept = watch.current(content_revision)
    assert kept is False and revision != first


def _after_announcement(watch, read, attempts=200):
    """The revision the watch gives once the announcement has arrived (delivered asynchronously)."""
    for _ in range(attempts):
        revision, kept = watch.current(read)
        if not kept:
            return revision
        time.sleep(0.01)
    raise AssertionError("no announcement arrived")


@on_postgresql
def test_a_save_that_is_a_workers_first_request_does_not_wait_for_an_announcement_it_cannot_hear(
    transactional_db, small_policy, caplog
):
    """The watch starts listening before the save commits: its announcement is heard at once, rather
    than the editor waiting out the timeout for one sent before anyone here listened."""
    WATCH.close()  # a worker that has served nothing yet
    editor = User.objects.create_superuser("first-editor", password="first-editor-password-1")
    ContentType.objects.clear_cache()
    pillar = Pillar.objects.get(policy__slug="test-policy", number=1)
    change = f"/admin/measures/pillar/{pillar.pk}/change/"
    client = Client()
    client.force_login(editor)
    form = form_data(client.get(change), "pillar")
    WATCH.close()
    start = time.monotonic()
    saved = client.post(change, {**form, "title": "第一方面（修订）", "change_reason": "修订"})
    assert saved.status_code == 302
    assert "did not come back" not in caplog.text
    assert time.monotonic() - start < WAIT_SECONDS
