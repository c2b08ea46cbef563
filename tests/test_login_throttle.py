"""Admin logins are throttled: too many wrong passwords lock that username from that address."""

import datetime
import ipaddress

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import User
from django.utils import timezone

LOGIN = "/admin/login/"
RIGHT = "editor-password-1"  # the `editor` fixture's password
LOCKED_MESSAGE = "登录失败次数过多，账户已暂时锁定，请30分钟后再试或联系管理员"


@pytest.fixture(autouse=True)
def throttling(settings):
    """The test settings switch django-axes off (it refuses Client.login()); here it is on, as in
    production, with the production defaults."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)


def log_in(client, username, password, address="192.0.2.10", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="192.0.2.10", **headers):
    return [log_in(client, username, "wrong-password", address, **headers) for _ in range(times)]


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_the_lockout_page(client, editor):
    responses = fail(client, "editor", 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the login form again, with its error
    assert responses[4].status_code == 429

    response = log_in(client, "editor", RIGHT)

    assert response.status_code == 429
    text = response.content.decode()
    assert LOCKED_MESSAGE in text
    assert 'name="password"' not in text  # no login form to try again on
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_before_the_limit_the_right_password_still_works_and_clears_the_count(client, editor):
    fail(client, "editor", 4)

    response = log_in(client, "editor", RIGHT)

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert is_logged_in(client)
    assert not AccessAttempt.objects.filter(username="editor").exists()
    client.logout()
    # Four more mistakes after a good login are not five in a row.
    assert [r.status_code for r in fail(client, "editor", 4)] == [200] * 4
    assert log_in(client, "editor", RIGHT).status_code == 302


def test_each_failure_is_recorded_with_the_username_and_address(client, editor):
    fail(client, "editor", 3)

    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.failures_since_start == 3
    assert attempt.ip_address == "192.0.2.10"
    assert AccessFailureLog.objects.filter(username="editor", ip_address="192.0.2.10").count() == 3
    assert "wrong-password" not in str(attempt.post_data)  # the password is never stored


def test_the_failure_log_outlives_a_successful_login(client, editor):
    fail(client, "editor", 2)
    log_in(client, "editor", RIGHT)

    assert AccessFailureLog.objects.filter(username="editor").count() == 2


def test_a_locked_username_does_not_lock_another_user(client, editor):
    User.objects.create_user("wangli", password="wangli-password-1", is_staff=True)
    fail(client, "editor", 5)

    response = log_in(client, "wangli", "wangli-password-1")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_same_username_from_another_address_is_not_locked(client, editor):
    fail(client, "editor", 5, address="192.0.2.10")

    assert log_in(client, "editor", RIGHT, address="198.51.100.7").status_code == 302


def test_the_lock_lifts_once_the_lockout_time_has_passed(client, editor):
    fail(client, "editor", 5)
    assert log_in(client, "editor", RIGHT).status_code == 429

    # As if the lockout time had gone by since the last failure.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    assert log_in(client, "editor", RIGHT).status_code == 302


def test_the_lockout_page_gives_the_configured_time(client, editor, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=10)
    fail(client, "editor", 5)

    response = log_in(client, "editor", RIGHT)

    assert "请10分钟后再试或联系管理员" in response.content.decode()


def test_a_new_forwarded_for_header_on_each_try_does_not_escape_the_lock(client, editor, settings):
    # A proxy is trusted, but this client connects to the app itself: the header is its own writing.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "10.0.0.1"):
        log_in(client, "editor", "wrong-password", "203.0.113.66", HTTP_X_FORWARDED_FOR=forged)

    response = log_in(client, "editor", RIGHT, "203.0.113.66", HTTP_X_FORWARDED_FOR="9.9.9.9")

    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="editor").ip_address == "203.0.113.66"


def test_behind_a_trusted_proxy_the_address_it_appended_is_locked(client, editor, settings):
    # The proxy appends the address it saw; whatever the client put before it is ignored.
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        log_in(client, "editor", "wrong-password", "10.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5")

    response = log_in(client, "editor", RIGHT, "10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")

    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="editor").ip_address == "203.0.113.5"
    # Another client behind the same proxy is not locked.
    assert log_in(client, "editor", RIGHT, "10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
