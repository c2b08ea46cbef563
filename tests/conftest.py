"""The shared cast of the test suite: the real policy loaded from fixtures/ (once per session, its rows
copied into each test that asks for it), a small policy built in code, logged-in editors, and a real SMTP
server on 127.0.0.1 for the alerts' mail."""

import asyncio
import datetime
import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, transaction
from django.test.testcases import LiveServerThread
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from measures.domain.subscriptions import Subscription
from measures.editing.editors import EDITORS_GROUP
from measures.editing.loader import PolicyLoader
from measures.public.finder import tally as finder_counts
from measures.public.page_cache.revision_watch import WATCH
from measures.search import table as search_table
from tests.data import REAL_POLICY_FILE


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no rendered page nor finder tally kept from another (measures/public/caching.py,
    measures/public/finder_counts.py)."""
    cache.clear()
    finder_counts.LATEST.clear()


@pytest.fixture
def sequences_put_back(db):
    """For a test that moves the id sequences back (emptying the database, restoring a backup, which sets
    each to its table's highest id): PostgreSQL's sequences live outside transactions, so afterwards each
    goes back to where it was, and the next test's new rows do not take the ids of the rows `real_policy`
    copies in."""
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


@pytest.fixture(scope="session", autouse=True)
def tables_emptied_by_delete():
    """After each test that commits (the live-server tests), Django empties every table. On PostgreSQL it
    does so with one TRUNCATE, which gives each table new files and costs over a second even when they
    are empty; DELETE costs milliseconds for the few rows a test leaves. (Foreign keys are checked at
    commit, so the order does not matter; the id sequences are kept either way.)"""
    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = truncate


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


@pytest.fixture(scope="session", autouse=True)
def revision_watch_closed(django_db_setup):
    """The process's listening connection (measures/domain/revision_watch.py) is closed before the test
    database is dropped, which PostgreSQL refuses while a session is connected to it."""
    yield
    WATCH.close()


@pytest.fixture(scope="session")
def real_policy_rows(django_db_setup, django_db_blocker):
    """What loading the real policy writes, table by table, captured once per session.

    `load_policy` derives history, search tokens and the public history in Python, which costs most of
    a second; copying its rows back costs a few milliseconds. The load runs in a transaction that is
    rolled back, so the test database stays empty; its ids are kept out of the way of later writes."""
    with django_db_blocker.unblock():
        return RowSnapshot.of(lambda: PolicyLoader().load_file(REAL_POLICY_FILE))


@pytest.fixture
def real_policy(db, real_policy_rows):
    """The real policy, as `make run` loads it (the same rows, copied in; see real_policy_rows)."""
    real_policy_rows.restore()
    return Policy.objects.get(slug="kjcx-2025")


class RowSnapshot:
    """The rows a write adds or changes, and a way to write them again with raw SQL (no Python signals,
    so nothing is derived twice; the database's triggers run and are overruled by the copied values)."""

    def __init__(self, tables):
        # [(table, columns, primary key column, rows, how many are new)]: new rows, then changed ones
        self.tables = tables

    @classmethod
    def of(cls, write):
        # Tables the database's triggers fill from the rows copied in are left to the triggers.
        names = [
            name for name in _tables_referenced_first() if name not in (search_table.TABLE, search_table.FREQUENCY)
        ]
        with transaction.atomic():
            before = {name: _rows_by_pk(name) for name in names}
            write()
            changes = []
            for name in names:
                columns, pk, after = _rows_by_pk(name, with_columns=True)
                new = [row for key, row in after.items() if key not in before[name]]
                changed = [row for key, row in after.items() if key in before[name] and before[name][key] != row]
                if new or changed:
                    changes.append((bool(changed), name, columns, pk, new + changed, len(new)))
            transaction.set_rollback(True)
        # Tables in the order of their references (a trigger reads the row an award points to); a
        # counter the triggers move, last.
        changes.sort(key=lambda change: change[0])
        snapshot = cls([change[1:] for change in changes])
        snapshot._keep_ids_free()
        return snapshot

    def restore(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, columns, pk, rows, new in self.tables:
                if changed := [row[columns.index(pk)] for row in rows[new:]]:
                    cursor.execute(
                        f"DELETE FROM {quote(table)} WHERE {quote(pk)} IN ({', '.join(['%s'] * len(changed))})",
                        changed,
                    )
                # A statement per table, not per row: on PostgreSQL each statement is a round trip.
                # (SQLite takes 999 parameters in a statement at least: far more than these rows need.)
                placeholders = f"({', '.join(['%s'] * len(columns))})"
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                    f"VALUES {', '.join([placeholders] * len(rows))}",
                    [_adapt(value) for row in rows for value in row],
                )

    def _keep_ids_free(self):
        """Later writes must not take the copied rows' ids. PostgreSQL's sequences kept their advance
        through the rollback; SQLite's counters (sqlite_sequence) are moved past the copied ids."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for table, columns, pk, rows, _ in self.tables:
                highest = max(row[columns.index(pk)] for row in rows)
                if isinstance(highest, int):
                    cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest])


def _tables_referenced_first():
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        references = {
            table: {target for _, target in connection.introspection.get_relations(cursor, table).values()}
            for table in tables
        }
    ordered = []

    def visit(table, seen=()):
        if table not in ordered and table not in seen:
            for target in sorted(references.get(table, ())):
                visit(target, (*seen, table))
            ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def _rows_by_pk(table, with_columns=False):
    with connection.cursor() as cursor:
        pk = connection.introspection.get_primary_key_column(cursor, table)
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        columns = [column[0] for column in cursor.description]
        rows = {row[columns.index(pk)]: row for row in cursor.fetchall()}
    return (columns, pk, rows) if with_columns else rows


def _adapt(value):
    # psycopg reads jsonb as Python objects; they go back as jsonb.
    if connection.vendor == "postgresql" and isinstance(value, dict):
        from psycopg.types.json import Jsonb  # only on PostgreSQL: SQLite runs without psycopg

        return Jsonb(value)
    return value


@pytest.fixture
def small_policy(db):
    """A two-pillar, three-measure policy with one award, for tests that need no real data."""
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
    return policy


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="editor-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
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
