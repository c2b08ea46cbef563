"""The shared cast of the test suite: the real policy loaded from fixtures/ (once per worker, each test
in a transaction rolled back afterwards), a small policy built in code, logged-in editors, and a real SMTP
server on 127.0.0.1 for the alerts' mail."""

import asyncio
import datetime
import email
import email.policy
import gc
import socket
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management.commands import migrate
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread
from django.utils import timezone
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from measures.domain.subscriptions import Subscription
from measures.editing.editors import EDITORS_GROUP
from measures.editing.loader import PolicyLoader
from measures.editing.review import REVIEWERS_GROUP
from measures.public.calendar import tally as calendar_tally
from measures.public.finder import tally
from measures.public.library import catalogue
from measures.public.page_cache.revision_watch import WATCH
from tests import migrated_database
from tests.data import REAL_POLICY_FILE
from tests.kept_rows import KEPT, keepable

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_sessionstart(session):
    """The collector, left as it is, scans Django's and the modules' long-lived objects over and over in
    a run that makes millions of short-lived ones: those are set aside (frozen) and it runs less often.
    A test process lives a few minutes; the site's processes keep Python's defaults."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_modifyitems(items):
    """The slow families that are not marked in their modules (pyproject.toml lists the markers)."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)
        elif getattr(getattr(item, "obj", None), "is_hypothesis_test", False) and not item.get_closest_marker("fuzz"):
            item.add_marker(pytest.mark.property)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no rendered page, finder or calendar tally nor library catalogue kept from another
    (measures/public/page_cache/, measures/public/finder/tally.py, measures/public/calendar/tally.py,
    measures/public/library/catalogue.py)."""
    cache.clear()
    tally.LATEST.clear()
    calendar_tally.COUNTED.clear()
    catalogue.LATEST_CATALOGUE.clear()


@pytest.fixture
def sequences_put_back(db):
    """For a test that moves the id sequences back (emptying the database, restoring a backup, which sets
    each to its table's highest id): PostgreSQL's sequences live outside transactions, so afterwards each
    goes back to where it was, and the next test's new rows do not take the ids of the real policy's rows
    (loaded once, see django_db_setup)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND sequencename LIKE 'measures%%'"
        )
        before = cursor.fetchall()
    yield
    with connection.cursor() as cursor:
        for name, value in before:
            if value is not None:
                cursor.execute(
                    "SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM pg_sequences WHERE sequencename = %s)))",
                    [name, value, name],
                )


class NoDelayWSGIServer(ThreadedWSGIServer):
    """Django's test server, answering without Nagle's algorithm. Its handler sends a response's headers
    and body in two writes; on a kept-alive connection the second waited for the client's delayed ACK,
    40 ms on Linux, on every request after the first (Schemathesis took 24 s instead of 6)."""

    def get_request(self):
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


@pytest.fixture(scope="session", autouse=True)
def live_server_without_delay():
    """Every live server (pytest-django's `live_server`) is a NoDelayWSGIServer."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", NoDelayWSGIServer)
        yield


# What pytest-django changes when told not to migrate (django_db_use_migrations), put back once the
# test database is made: the migrations are read again by tests and commands after that.
MIGRATION_MODULES, MIGRATE_COMMAND = settings.MIGRATION_MODULES, migrate.Command


@pytest.fixture(scope="session")
def django_db_use_migrations(django_db_use_migrations):
    """On SQLite, the test database is a copy of one migrated in an earlier run, when there is one for
    the migrations as they are (tests/migrated_database.py); else it is migrated, and copied for the next."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or not django_db_use_migrations:
        return django_db_use_migrations
    return not migrated_database.kept_copy().exists()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    """The test database with the real policy loaded, once per worker, as `make run` loads it. Each test
    runs in a transaction rolled back afterwards, so every test starts from these rows. Gives the tables
    the load filled (for `empty_database`). Only tests that use the database ask for it: a run without
    any has no test database to load into."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            copy = migrated_database.kept_copy()
            if django_db_use_migrations:
                migrated_database.keep(connection, copy)
            else:
                migrated_database.restore(connection, copy)
                settings.MIGRATION_MODULES, migrate.Command = MIGRATION_MODULES, MIGRATE_COMMAND
        before = _tables_with_rows()
        PolicyLoader().load_file(REAL_POLICY_FILE)
        filled = sorted(_tables_with_rows() - before)
    FILLED_TABLES[:] = filled
    KEPT.database_ready = True
    yield filled
    KEPT.close(django_db_blocker)
    KEPT.database_ready = False
    # The process's listening connection (measures/domain/revision_watch.py) is closed before the test
    # database is dropped, which PostgreSQL refuses while a session is connected to it.
    WATCH.close()


# The tables the real policy's load filled (django_db_setup), which empty_database empties.
FILLED_TABLES = []


def _tables_with_rows():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        filled = set()
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                filled.add(table)
    return filled


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: the rows it starts from, kept from the previous test when it asked for
    the same (tests/kept_rows.py); a test that uses no database leaves them as they are."""
    if _uses_database(item):
        blocker = item.config.stash[blocking_manager_key]
        KEPT.switch_to(KEPT.wanted(item, _commits(item)), blocker)
    return (yield)


def pytest_fixture_post_finalizer(fixturedef, request):
    """After the last test's own transaction is rolled back, the kept rows' is too, before the session's
    fixtures (the live server, the browser, the test database) are torn down."""
    if fixturedef.argname == "_django_db_helper" and KEPT.closing:
        KEPT.close(request.config.stash[blocking_manager_key])


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(item.fixturenames)


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits (a live server's, or one marked transaction=True) has every table emptied
    after it by Django's flush: the real policy is loaded again, so that the next test starts from the
    same rows as every other."""
    KEPT.closing = nextitem is None
    result = yield
    # After the last test, the test database is gone (and the settings name the real one).
    if nextitem is not None and _commits(item):
        with item.config.stash[blocking_manager_key].unblock():
            PolicyLoader().load_file(REAL_POLICY_FILE)
    return result


def _commits(item):
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    return transactional or reset_sequences or not {"transactional_db", "live_server"}.isdisjoint(item.fixturenames)


@pytest.fixture
def real_policy(db):
    """The real policy (loaded once per worker, see django_db_setup)."""
    return Policy.objects.get(slug="kjcx-2025")


@pytest.fixture
def empty_database(request, db, django_db_setup):
    """For a test that builds its own content and counts it: the real policy's rows deleted, in the
    test's transaction (so they are back for the next test). Raw SQL, as the rows were never there:
    no history of their deletion is written. Ask for it with @pytest.mark.usefixtures("empty_database"),
    which sets it up before the test's own fixtures build their rows."""
    if "real_policy" in request.fixturenames:
        pytest.fail("a test cannot ask for both real_policy and empty_database")
    if KEPT.get("empty_database") is None:
        _empty_the_database()


@keepable("empty_database")
def _empty_the_database():
    with connection.cursor() as cursor:
        for table in FILLED_TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    return True


@pytest.fixture
def small_policy(db):
    """A two-pillar, three-measure policy with one award, for tests that need no real data."""
    kept = KEPT.get("small_policy")
    return Policy.objects.get(pk=kept if kept is not None else _build_small_policy())


@keepable("small_policy")
def _build_small_policy():
    policy = Policy.objects.create(
        slug="test-policy",
        title="测试政策",
        issuing_bodies="测试机关",
        issue_date=datetime.date(2025, 1, 10),
        issue_date_confirmed=True,
        validity_years=2,
        declared_measure_count=5,
    )
    first = Pillar.objects.create(policy=policy, number=1, title="第一方面")
    second = Pillar.objects.create(policy=policy, number=2, title="第二方面")
    measure = Measure.objects.create(policy=policy, pillar=first, number=1, title="孵化器建设")
    Measure.objects.create(policy=policy, pillar=first, number=2, title="平台建设")
    Measure.objects.create(policy=policy, pillar=second, number=3, title="成果转化")
    clause = Clause.objects.create(
        measure=measure,
        position=1,
        text="支持孵化器建设，给予每年每家最高500万元奖励。",
        provenance=Clause.Provenance.NEWS_SUMMARY,
        source_url="https://example.org/news",
    )
    Award.objects.create(
        clause=clause,
        amount_yuan=5_000_000,
        limit=Award.Limit.CEILING,
        recurrence=Award.Recurrence.PER_YEAR,
        per_recipient=True,
        nature=Award.Nature.REWARD,
        recipient="孵化器",
        source_phrase="给予每年每家最高500万元奖励",
    )
    return policy.pk


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="editor-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer(db):
    """An editor who is also a reviewer (审核), as `create_editor NAME --reviewer` makes one."""
    user = User.objects.create_user("reviewer", password="reviewer-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP), Group.objects.get(name=REVIEWERS_GROUP))
    return user


@pytest.fixture
def reviewer_client(reviewer):
    """A browser of its own: a test may act as an editor (editor_client) and as a reviewer in turn."""
    client = Client()
    client.force_login(reviewer)
    return client


# --- a real SMTP server --------------------------------------------------------------------------


class Inbox:
    """What SMTP servers started by the `smtp_server` fixture received, in order: each message parsed
    (email.message.EmailMessage, headers decoded), with the envelope's recipients."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.received = threading.Condition(self.lock)

    def add(self, message, recipients):
        with self.received:
            self.messages.append((message, recipients))
            self.received.notify_all()

    def wait_for(self, count, timeout=10.0):
        with self.received:
            return self.received.wait_for(lambda: len(self.messages) >= count, timeout)


class Handler:
    """aiosmtpd's handler: accepts every message into `inbox`. `before_mail(n)`, called at the n-th
    MAIL FROM of this server's sessions, may return seconds to wait before answering it (a slow server,
    or one that holds a sender still while the test kills it)."""

    def __init__(self, inbox, before_mail=None):
        self.inbox = inbox
        self.before_mail = before_mail
        self.mails = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        wait = self.before_mail(self.mails) if self.before_mail else 0
        if wait:
            await asyncio.sleep(wait)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.inbox.add(message, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A function that starts an SMTP server on 127.0.0.1 (plain, no TLS, no login) delivering into an
    Inbox (a new one, or the one given) and returns (port, inbox); every server stops after the test."""
    controllers = []

    def start(inbox=None, before_mail=None):
        inbox = inbox or Inbox()
        port = free_port()
        controller = Controller(Handler(inbox, before_mail), hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return port, inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mail_through_smtp(settings, smtp_server):
    """Django's mail going out through a real SMTP server on 127.0.0.1: returns its Inbox."""
    port, inbox = smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return inbox


# --- e-mail alerts ---------------------------------------------------------------------------------


@pytest.fixture
def follower(db):
    """A function that makes a subscription confirmed now (unless told), following what it is given: a
    Policy, a Measure, the finder's filters (kind="awards", query) or a search (kind="search")."""

    def make(target=None, *, email="wang@example.cn", kind=None, query="", frequency="instant", confirmed_at=None):
        if isinstance(target, Policy):
            kind, target_id = Subscription.Kind.POLICY, target.pk
        elif isinstance(target, Measure):
            kind, target_id = Subscription.Kind.MEASURE, target.pk
        else:
            target_id = 0
        now = timezone.now()
        return Subscription.objects.create(
            email=email,
            kind=kind,
            target_id=target_id,
            query=query,
            label="（测试）",
            frequency=frequency,
            created_at=now - datetime.timedelta(minutes=5),
            confirmed_at=confirmed_at or now,
        )

    return make
