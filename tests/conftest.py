"""The shared cast of the test suite: the real policy loaded from fixtures/, a small policy
built in code, logged-in editors, and a real SMTP server on 127.0.0.1 for the alerts' mail."""

import asyncio
import datetime
import email
import email.policy
import socket
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone

from measures.domain.models import Award, Clause, Measure, Pillar, Policy
from measures.domain.subscriptions import Subscription
from measures.editing.editors import EDITORS_GROUP
from measures.editing.loader import PolicyLoader

REAL_POLICY_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "kjcx-2025.json"


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no rendered page kept from another (measures/public/caching.py)."""
    cache.clear()


@pytest.fixture
def real_policy(db):
    """The real policy, loaded the way `make run` loads it."""
    PolicyLoader().load_file(REAL_POLICY_FILE)
    return Policy.objects.get(slug="kjcx-2025")


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
