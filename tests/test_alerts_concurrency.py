"""send_notifications is safe to run twice at once and again after a crash: two real sender processes
work through the same subscriptions at the same time, one of them is killed in the middle of its batch
(held by its mail server in the middle of a mail), a third run follows, and every change has reached
every subscription exactly once, through a real SMTP server. On PostgreSQL the senders share the test
database; on SQLite (an in-memory test database) they share a copy of it in a file."""

import collections
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from measures.domain.models import Award, Measure
from measures.domain.public_history import PublicChange

PROJECT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = 8
# Every mail server answers MAIL FROM after this long: a batch takes a few seconds, long enough to
# have two senders at work at once.
SLOW = 0.1
# Sender A's server holds A's third mail this long: A is killed while it waits.
HOLD = 60


def database_url(tmp_path) -> str:
    """The test database, as a URL another process can open."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings["USER"] or "postgres"
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        return f"postgres://{user}{password}@{host}/{settings['NAME']}"
    path = tmp_path / "senders.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])  # the in-memory test database, committed, into a file
    return f"sqlite:///{path}"


def sender(database, port, **popen):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "EMAIL_URL", "SITE_URL"}}
    env.update(DATABASE_URL=database, EMAIL_URL=f"smtp://127.0.0.1:{port}", XMPOLICY_ENV="local")
    command = [sys.executable, "manage.py", "send_notifications"]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_one_killed_mid_batch_mail_each_change_to_each_subscription_once(
    real_policy, follower, smtp_server, tmp_path
):
    measure = Measure.objects.get(policy=real_policy, number=3)
    emails = [f"reader{n}@example.cn" for n in range(SUBSCRIBERS)]
    for address in emails:
        follower(measure, email=address)
    award = Award.objects.get(clause__measure=measure, amount_yuan=2_000_000)
    award.amount_yuan, award._change_reason = 2_500_000, "调整金额"
    award.save()
    measure.title, measure._change_reason = "拓展科技交流合作平台（修订）", "标题修订"
    measure.save()
    changes = [f"change-{e.subject}-{e.pk}" for e in PublicChange.objects.filter(measure_id=measure.pk).order_by("id")]
    changes = changes[-2:]
    expected = {(address, change) for address in emails for change in changes}
    database = database_url(tmp_path)

    a_is_held = threading.Event()

    def a_server(mail_number):
        if mail_number == 3:
            a_is_held.set()
            return HOLD
        return SLOW

    port_a, inbox = smtp_server(before_mail=a_server)
    port_b, _ = smtp_server(inbox=inbox, before_mail=lambda n: SLOW)
    a, b = sender(database, port_a), sender(database, port_b)
    try:
        assert a_is_held.wait(60), a.communicate(timeout=5)
        a.kill()  # mid-batch: two mails sent, the third held at MAIL FROM, its subscription locked
        a.wait(10)
        _out, errors = b.communicate(timeout=120)
        assert b.returncode == 0, errors
    finally:
        for process in (a, b):
            if process.poll() is None:
                process.kill()
                process.wait()
    # Again after the crash: what A had not committed goes now.
    c = sender(database, port_b)
    output, errors = c.communicate(timeout=120)
    assert c.returncode == 0, errors

    received = collections.Counter()
    for message, recipients in inbox.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        for change in re.findall(r"#(change-[a-z]+-\d+)", body):
            for address in recipients:
                received[(address, change)] += 1
    assert set(received) == expected
    assert set(received.values()) == {1}, [pair for pair, count in received.items() if count > 1]
    assert a.returncode != 0
