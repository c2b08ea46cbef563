"""send_notifications is safe to run twice at once and again after a crash: two real sender processes
start together on the same subscriptions, the first of them to reach its second mail is held there by
its mail server and killed (mid-batch, mid-mail, its subscription locked), the other goes on, a third
run follows, and every change has reached every subscription exactly once, through a real SMTP server.
On PostgreSQL the senders share the test database (and work side by side: SKIP LOCKED); on SQLite (an
in-memory test database) they share a copy of it in a file (and take turns: the write lock)."""

import collections
import re
import threading

import pytest

from measures.domain.models import Award, Measure
from measures.domain.public_history import PublicChange
from tests.sender_processes import database_url, sender

SUBSCRIBERS = 8
# Every mail server answers MAIL FROM after this long: a batch takes a second or two.
SLOW = 0.1
# The server of the first sender to reach its second mail holds that mail this long: it is killed meanwhile.
HOLD = 60


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
    changes = [
        f"change-{e.subject}-{e.history_id}" for e in PublicChange.objects.filter(measure_id=measure.pk).order_by("id")
    ]
    changes = changes[-2:]
    expected = {(address, change) for address in emails for change in changes}
    database = database_url(tmp_path)

    held = []  # the sender whose mail is held: "a" or "b"
    one_is_held = threading.Event()

    def server_of(name):
        lock = threading.Lock()

        def before_mail(mail_number):
            with lock:
                if mail_number == 2 and not held:
                    held.append(name)
                    one_is_held.set()
                    return HOLD
            return SLOW

        return before_mail

    port_a, inbox = smtp_server(before_mail=server_of("a"))
    port_b, _ = smtp_server(inbox=inbox, before_mail=server_of("b"))
    senders = {"a": sender(database, port_a), "b": sender(database, port_b)}
    try:
        assert one_is_held.wait(90), [process.communicate(timeout=5) for process in senders.values()]
        killed = senders.pop(held[0])
        killed.kill()  # mid-batch: a mail sent, the next held at MAIL FROM, its subscription locked
        killed.wait(10)
        (survivor,) = senders.values()
        _out, errors = survivor.communicate(timeout=120)
        assert survivor.returncode == 0, errors
    finally:
        for process in senders.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    assert killed.returncode != 0
    # Again after the crash: what the killed sender had not committed goes now.
    again = sender(database, port_b if held[0] == "a" else port_a)
    _out, errors = again.communicate(timeout=120)
    assert again.returncode == 0, errors

    received = collections.Counter()
    for message, recipients in inbox.messages:
        body = message.get_body(preferencelist=("plain",)).get_content()
        for change in re.findall(r"#(change-[a-z]+-\d+)", body):
            for address in recipients:
                received[(address, change)] += 1
    assert set(received) == expected
    assert set(received.values()) == {1}, [pair for pair, count in received.items() if count > 1]
