"""Who the client is (xmpolicy/proxies.py): the connection's address, unless that is a trusted proxy,
whose X-Forwarded-For entries are then read from the right. The login throttle and every fair-use
limit count clients by this one reading (tests/test_login_throttle.py, tests/test_rate_limit.py,
tests/test_alerts_signup.py drive them)."""

import ipaddress

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from xmpolicy import ratelimit
from xmpolicy.proxies import client_address

PROXIES = "10.0.0.0/24, fd00::/64, 127.0.0.1"


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/search/", **headers)


@pytest.fixture(autouse=True)
def trusted(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(item.strip()) for item in PROXIES.split(",")]


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # Straight to the app: the header is the client's own writing.
        ("203.0.113.66", "1.1.1.1", "203.0.113.66"),
        ("203.0.113.66", "1.1.1.1, 10.0.0.1", "203.0.113.66"),
        ("2001:db8::7", "1.1.1.1", "2001:db8::7"),
        # Through a trusted proxy: the address it appended, never what the client put before it.
        ("10.0.0.1", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        ("10.0.0.1", " 1.1.1.1 ,203.0.113.5 ", "203.0.113.5"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        ("::ffff:127.0.0.1", "203.0.113.5", "203.0.113.5"),
        # Through a chain of trusted proxies: the first address from the right that is none of them.
        ("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        ("127.0.0.1", "10.0.0.9, 10.0.0.2", "10.0.0.9"),
        # A trusted proxy that says nothing usable is itself the furthest hop known.
        ("10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "1.1.1.1, unknown", "10.0.0.1"),
        ("127.0.0.1", "1.1.1.1, 203.0.113.5:4711, 10.0.0.2", "10.0.0.2"),
        # A connection without an address.
        ("", "1.1.1.1", None),
        ("nonsense", "1.1.1.1", None),
    ],
)
def test_the_client_is_the_connection_or_the_address_a_trusted_proxy_saw(remote, forwarded, client):
    request = request_from(remote, forwarded)

    assert client_address(request) == client
    # The login throttle reads the very same address.
    assert get_client_ip_address(request) == client


def test_with_no_trusted_proxy_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(request_from("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_the_fair_use_limits_count_the_same_client(settings):
    assert ratelimit.client_of(request_from("10.0.0.1", "1.1.1.1, 203.0.113.5")) == "203.0.113.5"
    assert ratelimit.client_of(request_from("203.0.113.66", "203.0.113.5")) == "203.0.113.66"
    assert ratelimit.client_of(request_from("fd00::1", "2001:db8:1:2::7")) == "2001:db8:1:2::/64"
