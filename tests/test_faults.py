"""A database that is down: /healthz says so, visitors get a 503 "temporarily unavailable" page (or
JSON under /api/) instead of a 500 or a traceback, an editor's save is whole or not at all, and the
connection is replaced once the database is back (xmpolicy/faults.py, xmpolicy/health.py).

The database is taken away by making every connection attempt fail, or single queries fail, with the
errors psycopg's connection failures surface as; on PostgreSQL the last tests also kill the app's real
server connection and check that the next request opens a new one.

The error reaches Django's handling of uncaught exceptions (handler500 answers the 503), which tells
the test client about it: the clients here are told not to raise it, so that each test sees the
answer a visitor gets."""

import contextlib
import logging
from unittest import mock

import psycopg
import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, InterfaceError, OperationalError, close_old_connections, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from measures.domain.models import Award, Clause, Measure
from measures.domain.revision import content_revision
from tests.admin_forms import clause_url, form_data, measure_url
from xmpolicy import faults

MEASURE = "/policies/test-policy/measures/1/"
PUBLIC_PAGES = [
    "/",
    MEASURE,
    "/policies/test-policy/",
    "/awards/?min=100&sort=amount",
    "/search/?q=孵化器",
    "/changes/",
]
API_URLS = ["/api/v1/awards/", "/api/v1/measures/1/", "/api/v1/search/?q=孵化器"]

CHINESE_TITLE = "网站暂时无法访问"
CHINESE_TEXT = "已经保存的内容都没有丢失"
ENGLISH_TITLE = "Site temporarily unavailable"
ENGLISH_TEXT = "Nothing that was saved has been lost"
# What a stack trace or Django's technical page would show.
TRACE_MARKERS = ("Traceback", 'File "', "OperationalError", "InterfaceError", "psycopg", "connection refused")

REFUSED = 'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@contextlib.contextmanager
def database_down():
    """Every attempt to use the database fails as psycopg fails when the server is down. The test's
    own connection stays open underneath, for the test to check and roll back afterwards."""
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError(REFUSED)):
        yield


def failing_queries(error, after=0):
    """An execute_wrapper failing every query after the first `after` with `error`."""
    seen = []

    def execute(run, sql, params, many, context):
        seen.append(sql)
        if len(seen) > after:
            raise error
        return run(sql, params, many, context)

    return execute


@pytest.fixture
def client():
    """A visitor's view: the answer, not the exception that Django turned into it."""
    return Client(raise_request_exception=False)


def english_client():
    client = Client(raise_request_exception=False)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def assert_unavailable(response):
    """The headers every 503 of a database outage carries, and no trace of the error in the body."""
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "ETag" not in response
    assert not response.cookies
    body = response.content.decode()
    for marker in TRACE_MARKERS:
        assert marker not in body, marker
    return body


def fault_records(caplog):
    return [r for r in caplog.records if r.name in ("xmpolicy.faults", "xmpolicy.health", "django.request")]


# --- /healthz ----------------------------------------------------------------------------------


def test_healthz_answers_ok_after_asking_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        response = client.get("/healthz")
    assert captured.captured_queries[0]["sql"] == "SELECT 1"
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    assert not response.cookies


def test_healthz_is_503_with_a_short_reason_when_the_database_is_down(client, db, caplog):
    caplog.set_level(logging.WARNING)
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable (OperationalError)"}
    assert "no-store" in response["Cache-Control"]
    assert "127.0.0.1" not in response.content.decode()  # the driver's message stays in the log
    (record,) = fault_records(caplog)
    assert record.levelno == logging.WARNING
    assert "Connection refused" in record.getMessage()
    assert record.exc_info is None


def test_healthz_reports_a_lost_connection_too(client, db):
    with connection.execute_wrapper(failing_queries(InterfaceError("connection already closed"))):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable (InterfaceError)"


def test_healthz_takes_only_get_and_head(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


# --- the public pages and the API ----------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_page_is_a_friendly_503_in_chinese_when_the_database_is_down(client, small_policy, url, caplog):
    caplog.set_level(logging.WARNING)
    with database_down():
        response = client.get(url)
    body = assert_unavailable(response)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == "zh-hans"
    assert CHINESE_TITLE in body
    assert CHINESE_TEXT in body
    assert "请稍等片刻" in body
    # The whole site frame (base.html) rendered without the database, not the plain fallback.
    assert 'class="site-header"' in body
    assert 'href="/awards/"' in body
    # Logged once, as one line.
    (record,) = fault_records(caplog)
    assert record.name == "django.request"
    assert record.levelno == logging.ERROR
    assert "OperationalError" in record.getMessage()
    assert record.exc_info is None


@pytest.mark.parametrize("url", PUBLIC_PAGES[:3])
def test_a_page_is_a_friendly_503_in_english_for_a_visitor_who_chose_english(small_policy, url):
    client = english_client()
    with database_down():
        response = client.get(url)
    body = assert_unavailable(response)
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert ENGLISH_TITLE in body
    assert ENGLISH_TEXT in body
    assert CHINESE_TITLE not in body


@pytest.mark.parametrize("url", API_URLS)
def test_the_api_answers_503_in_json_when_the_database_is_down(client, small_policy, url):
    with database_down():
        response = client.get(url)
    assert_unavailable(response)
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert set(response.json()) == {"detail"}
    assert "服务暂时不可用" in detail


def test_the_apis_503_is_in_english_for_a_visitor_who_chose_english(small_policy):
    client = english_client()
    with database_down():
        response = client.get("/api/v1/awards/")
    assert_unavailable(response)
    assert response.json()["detail"].startswith("Service temporarily unavailable")


def test_a_connection_lost_in_the_view_after_the_revision_read_is_a_503_too(client, small_policy, caplog):
    caplog.set_level(logging.WARNING)
    client.get(MEASURE)
    with connection.execute_wrapper(failing_queries(InterfaceError("connection already closed"), after=1)):
        response = client.get("/awards/?min=200")  # not in the page cache: the view runs and fails
    body = assert_unavailable(response)
    assert CHINESE_TITLE in body
    assert len(fault_records(caplog)) == 1


def test_a_page_already_in_the_cache_is_not_served_while_the_database_is_down(client, small_policy):
    assert client.get(MEASURE).status_code == 200
    with database_down():
        assert Client(raise_request_exception=False).get(MEASURE).status_code == 503
    assert Client().get(MEASURE).status_code == 200


def test_the_site_answers_again_as_soon_as_the_database_is_back(client, small_policy):
    with database_down():
        assert client.get(MEASURE).status_code == 503
        assert client.get("/healthz").status_code == 503
    assert client.get(MEASURE).status_code == 200
    assert client.get("/healthz").status_code == 200


class FailAfterTheView:
    """A middleware inside the page cache whose database work after the view fails (as a session
    saved after the view would): Django turns it into a 500 before our middleware sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("server closed the connection unexpectedly")


def test_a_database_error_another_middleware_turned_into_a_500_is_a_503_all_the_same(small_policy, settings, caplog):
    caplog.set_level(logging.WARNING)
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, f"{__name__}.FailAfterTheView"
    )
    settings.MIDDLEWARE = middleware
    response = Client(raise_request_exception=False).get(MEASURE)
    body = assert_unavailable(response)
    assert CHINESE_TITLE in body
    # Django logged it once, as one line; the 503 is not logged a second time.
    (record,) = fault_records(caplog)
    assert record.name == "django.request"
    assert record.exc_info is None


def test_the_page_falls_back_to_plain_text_if_the_template_fails(client, small_policy, caplog):
    with database_down(), mock.patch.object(faults, "render", side_effect=RuntimeError("template broken")):
        response = client.get(MEASURE)
    body = assert_unavailable(response)
    assert CHINESE_TITLE in body
    assert "temporarily unavailable" in body


# --- other errors stay 500s ----------------------------------------------------------------------


def test_an_error_that_is_not_the_database_being_down_is_still_a_500(small_policy):
    client = Client(raise_request_exception=False)
    with mock.patch("measures.public.page_cache.middleware.content_revision", side_effect=RuntimeError("a bug")):
        response = client.get(MEASURE)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert CHINESE_TITLE not in response.content.decode()


@pytest.mark.parametrize("url", [MEASURE, "/api/v1/awards/"])
def test_a_database_error_that_is_a_bug_is_still_a_500(small_policy, url):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing_queries(IntegrityError("a constraint"), after=1)):
        response = client.get(url)
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_500_is_not_turned_into_a_503_by_an_earlier_database_error(small_policy):
    """The mark is per request: a bug after an outage is a 500 again."""
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get(MEASURE).status_code == 503
    with mock.patch("measures.public.page_cache.middleware.content_revision", side_effect=RuntimeError("a bug")):
        assert client.get(MEASURE).status_code == 500


# --- an edit in flight: whole or nothing ---------------------------------------------------------


def history_counts():
    return (
        Measure.history.count(),
        Clause.history.count(),
        Award.history.count(),
        LogEntry.objects.count(),
        content_revision().key,
    )


@pytest.mark.parametrize("failing_model", [Clause, Award], ids=["measure-with-clauses", "clause-with-awards"])
def test_a_save_that_loses_the_database_half_way_saves_nothing_and_tells_the_editor(
    editor_client, small_policy, failing_model, caplog
):
    caplog.set_level(logging.WARNING)
    editor_client.raise_request_exception = False
    measure = Measure.objects.get(policy=small_policy, number=1)
    clause = measure.clauses.get(position=1)
    award = clause.awards.get()
    reason = "故障演练：这次修改不应留下任何痕迹"
    if failing_model is Clause:
        # A measure's title and its clause's text in one save; the clause is written after the measure.
        url = measure_url(measure)
        data = form_data(editor_client.get(url), "measure")
        data["title"] = "孵化器建设（改）"
        data["clauses-0-text"] = "支持孵化器建设，给予每年每家最高600万元奖励。"
    else:
        # A clause's text and its award's amount; the award is written after the clause.
        url = clause_url(clause)
        data = form_data(editor_client.get(url), "clause")
        data["text"] = "支持孵化器建设，给予每年每家最高600万元奖励。"
        data["awards-0-amount_yuan"] = "600"
    data["change_reason"] = reason
    before = history_counts()

    with mock.patch.object(
        failing_model, "save", autospec=True, side_effect=OperationalError("server closed the connection unexpectedly")
    ) as save:
        response = editor_client.post(url, data)
    assert save.called  # the failure came half way, after the first row was written

    body = assert_unavailable(response)
    assert CHINESE_TITLE in body
    assert "要么已完整保存，要么完全没有保存" in body
    measure.refresh_from_db()
    clause.refresh_from_db()
    award.refresh_from_db()
    assert measure.title == "孵化器建设"
    assert clause.text == "支持孵化器建设，给予每年每家最高500万元奖励。"
    assert award.amount_yuan == 5_000_000
    assert history_counts() == before
    assert not Measure.history.filter(history_change_reason=reason).exists()
    assert not Clause.history.filter(history_change_reason=reason).exists()
    assert not Award.history.filter(history_change_reason=reason).exists()
    assert reason not in editor_client.get(f"/admin/measures/measure/{measure.pk}/history/").content.decode()
    assert len(fault_records(caplog)) == 1

    # Once the database is back, posting the same form again (the editor reloads) saves it whole.
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert Measure.history.filter(history_change_reason=reason).exists() == (failing_model is Clause)
    assert Clause.history.filter(history_change_reason=reason).exists()
    assert Award.history.filter(history_change_reason=reason).exists() == (failing_model is Award)


# --- the real thing, on PostgreSQL: the server drops the app's connection --------------------------

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a PostgreSQL backend")


def terminate_backend(pid: int) -> None:
    """Ends the server process behind one connection, from another connection, and waits for it."""
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            other.execute("SELECT pg_sleep(0.02)")
    raise AssertionError(f"backend {pid} still running")


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def kept_backend_pid() -> int:
    """The server process of a connection opened now, so that close_old_connections() keeps it for
    the next request: one opened by an earlier test may be past DATABASE_CONN_MAX_AGE and be closed
    there, and a request on a fresh connection would never meet the dropped one."""
    connection.close()
    return backend_pid()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_between_requests_is_replaced_on_the_next_request(small_policy):
    client = Client()
    assert client.get(MEASURE).status_code == 200
    old = kept_backend_pid()
    terminate_backend(old)
    close_old_connections()  # what the WSGI handler does when a request starts
    assert client.get(MEASURE).status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    assert backend_pid() != old


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_public_page_whose_connection_was_dropped_reconnects_and_answers(small_policy, caplog):
    """The content revision, the first query of every public request, opens a fresh connection when
    the database has dropped the kept one (measures/public/page_cache/middleware.py): the visitor sees the page."""
    caplog.set_level(logging.WARNING)
    client = Client()
    assert client.get("/").status_code == 200
    old = kept_backend_pid()

    def drop_then_run(run, sql, params, many, context):
        terminate_backend(old)  # the old backend only: the fresh connection is left alone
        return run(sql, params, many, context)

    close_old_connections()
    with connection.execute_wrapper(drop_then_run):
        response = client.get("/awards/?min=300")
    assert response.status_code == 200
    assert "database connection lost; reconnecting" in caplog.text
    assert backend_pid() != old


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_healthz_reconnects_too(small_policy):
    client = Client()
    assert client.get("/healthz").status_code == 200
    old = kept_backend_pid()
    terminate_backend(old)
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    assert backend_pid() != old


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_in_the_admin_a_connection_the_server_dropped_between_requests_is_replaced_and_the_page_answers(
    small_policy, editor, caplog
):
    """After a database restart the editor's next admin page answers: reading the session, the first
    query of a signed-in request, opens a fresh connection (xmpolicy/sessions.py), as the content
    revision does for public pages. It was a 503 on each worker."""
    caplog.set_level(logging.WARNING)
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/measures/clause/").status_code == 200
    old = kept_backend_pid()
    terminate_backend(old)
    close_old_connections()  # what the WSGI handler does when a request starts
    response = client.get("/admin/measures/clause/")
    assert response.status_code == 200
    assert "孵化器" in response.content.decode()
    assert "database connection lost; reconnecting" in caplog.text
    assert backend_pid() != old


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_in_the_admin_a_connection_dropped_during_the_request_is_a_503_then_replaced(small_policy, editor):
    """Formerly test_in_the_admin_a_dropped_connection_is_a_503_then_replaced: the connection is now
    dropped after the request's first query, which is the only one that reconnects."""
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assert client.get("/admin/measures/clause/").status_code == 200
    old = kept_backend_pid()
    queries = []

    def drop_after_the_first_query(run, sql, params, many, context):
        queries.append(sql)
        if len(queries) == 2:
            terminate_backend(old)
        return run(sql, params, many, context)

    close_old_connections()
    with connection.execute_wrapper(drop_after_the_first_query):
        response = client.get("/admin/measures/clause/")
    assert response.status_code == 503
    assert CHINESE_TITLE in response.content.decode()
    close_old_connections()  # when the request finishes: the broken connection is closed
    assert client.get("/admin/measures/clause/").status_code == 200
    assert backend_pid() != old


# --- reconnecting, and the log, on either database --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_request_whose_first_query_finds_the_connection_lost_reconnects(editor, caplog):
    caplog.set_level(logging.WARNING)
    client = Client()
    client.force_login(editor)
    queries = []

    def lose_the_first_query(run, sql, params, many, context):
        queries.append(sql)
        if len(queries) == 1:
            raise InterfaceError("connection already closed")
        return run(sql, params, many, context)

    with connection.execute_wrapper(lose_the_first_query):
        response = client.get("/admin/")
    assert response.status_code == 200
    assert "django_session" in queries[0] and "django_session" in queries[1]  # the session, read twice
    assert "database connection lost; reconnecting" in caplog.text


def test_a_database_that_cannot_be_reached_is_not_asked_a_second_time():
    """No connection was kept, so there is nothing to replace: the first refusal is the answer."""
    query = mock.Mock(side_effect=OperationalError(REFUSED))
    with (
        mock.patch.object(connection, "connection", None),
        mock.patch.object(connection, "in_atomic_block", False),
        pytest.raises(OperationalError),
    ):
        faults.reconnecting_once(query)
    assert query.call_count == 1


@pytest.mark.parametrize("where", ["first query", "view", "after the view"])
def test_each_request_the_database_fails_is_logged_once_as_one_line(small_policy, settings, caplog, where):
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    if where == "after the view":
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
            f"{__name__}.FailAfterTheView",
        )
        settings.MIDDLEWARE = middleware
    failing = {
        "first query": database_down(),
        "view": connection.execute_wrapper(failing_queries(OperationalError(REFUSED + "\nsecond line"), after=1)),
        "after the view": contextlib.nullcontext(),
    }
    with failing[where]:
        for _ in range(2):
            assert client.get("/awards/?min=200&sort=amount").status_code == 503
    records = fault_records(caplog)
    assert len(records) == 2
    for record in records:
        assert record.levelno == logging.ERROR
        assert record.exc_info is None
        assert record.getMessage().startswith("Database unavailable, answered 503: GET /awards/ (")
    assert "Traceback" not in caplog.text
    assert len(caplog.text.strip().splitlines()) == 2
