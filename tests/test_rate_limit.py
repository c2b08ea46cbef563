"""Fair use (xmpolicy/ratelimit.py): one client may search and call the API only so often; over the
limit it gets a 429 saying when to come back, while other clients and the rest of the site are served."""

import ipaddress

import pytest
from django.test import Client, RequestFactory, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.settings_env import PRODUCTION_ENV, read_settings
from xmpolicy import ratelimit

SEARCH = "/search/?q=孵化器"
API = "/api/v1/awards/"
ME, SOMEONE_ELSE = "192.0.2.10", "198.51.100.7"
# The site behind a proxy at 10.0.0.1 (TRUSTED_PROXIES=10.0.0.0/24), which appends the address it saw.
PROXY = "10.0.0.1"
BEHIND_THE_PROXY = dict(TRUSTED_PROXIES=[ipaddress.ip_network("10.0.0.0/24")])
# A moment 10 seconds into a minute, so that a one-minute window has 50 seconds left.
START = 1_764_000_000.0 - 1_764_000_000.0 % 60 + 10


@pytest.fixture
def clock(monkeypatch):
    """A clock the test turns by hand, instead of sleeping through a window."""
    current = [START]
    monkeypatch.setattr(ratelimit, "now", lambda: current[0])
    return current


@pytest.fixture(autouse=True)
def limits(settings, clock):
    """The test settings turn the limits off; here they are low, per minute."""
    settings.SEARCH_RATE_LIMIT = (3, 60)
    settings.API_RATE_LIMIT = (5, 60)


def get(url, address=ME, client=None, **extra):
    return (client or Client()).get(url, REMOTE_ADDR=address, **extra)


def use_up(url, times, address=ME, **extra):
    responses = [get(url, address, **extra) for _ in range(times)]
    assert [r.status_code for r in responses] == [200] * times
    return responses


# Over the limit


def test_one_search_too_many_gets_a_page_saying_when_to_try_again(small_policy):
    use_up(SEARCH, 3)

    response = get(SEARCH)

    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<h1>搜索过于频繁</h1>" in html
    assert "目前的上限是每分钟 3 次。" in html
    assert "请 50 秒后再试。" in html
    assert 'href="/">返回首页</a>' in html
    assert 'class="site-nav"' in html  # the site's own page, with its header and navigation


def test_another_address_is_still_served(small_policy):
    use_up(SEARCH, 3)
    assert get(SEARCH).status_code == 429

    assert get(SEARCH, SOMEONE_ELSE).status_code == 200


def test_the_page_is_in_english_for_a_visitor_who_chose_english(small_policy):
    english = Client()
    english.cookies["django_language"] = "en"
    use_up(SEARCH, 3)

    response = get(SEARCH, client=english)

    assert response.status_code == 429
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Too many searches</h1>" in html
    assert "The current limit is 3 searches per minute." in html
    assert "Please try again in 50 seconds." in html
    assert 'href="/">Back to the home page</a>' in html
    assert "搜索过于频繁" not in html


def test_a_long_wait_is_given_in_minutes(small_policy, settings):
    settings.SEARCH_RATE_LIMIT = (3, 60 * 60)
    use_up(SEARCH, 3)

    response = get(SEARCH)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 50 * 60
    assert "请 60 分钟后再试。" in response.content.decode()  # 3590 seconds, rounded up


def test_one_api_call_too_many_gets_a_json_429(small_policy):
    use_up(API, 5)

    response = get(API)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "50"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"detail": "请求过于频繁，请 50 秒后再试。"}
    assert get(API, SOMEONE_ELSE).status_code == 200


def test_the_api_message_follows_the_chosen_language(small_policy):
    use_up(API, 5)
    english = Client()
    english.cookies["django_language"] = "en"
    assert get(API, client=english).json() == {"detail": "Too many requests: please try again in 50 seconds."}


def test_the_whole_api_shares_one_allowance_separate_from_the_search_page(small_policy):
    for url in ("/api/v1/awards/", "/api/v1/measures/", "/api/v1/search/?q=孵化器", "/api/schema/", "/api/v1/"):
        assert get(url).status_code == 200, url
    assert get("/api/v1/search/?q=孵化器").status_code == 429
    assert get("/api/v1/policies/").status_code == 429
    assert get(SEARCH).status_code == 200  # the search page counts on its own


def test_refused_requests_do_not_lengthen_the_wait(small_policy, clock):
    use_up(SEARCH, 3)
    for _ in range(20):
        assert get(SEARCH).status_code == 429
    clock[0] += 50
    assert get(SEARCH).status_code == 200


# What counts


def test_the_same_page_from_the_cache_still_counts(small_policy):
    first = get(SEARCH)
    assert first.status_code == 200
    # Served from the page cache, and answered 304 by its ETag: each is still a request.
    assert get(SEARCH).status_code == 200
    assert get(SEARCH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    assert get(SEARCH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 429


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/policies/test-policy/",
        "/policies/test-policy/measures/1/",
        "/awards/?min=100",
        "/awards/export.csv",
        "/changes/",
        "/downloads/",
        "/sitemap.xml",
        "/static/css/site.css",
    ],
)
def test_pages_other_than_search_and_the_api_are_never_limited(small_policy, url):
    use_up(SEARCH, 3)
    use_up(API, 5)
    for _ in range(10):
        assert get(url).status_code == 200, url


def test_the_limit_starts_afresh_in_the_next_window(small_policy, clock):
    use_up(SEARCH, 3)
    clock[0] += 49
    response = get(SEARCH)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"

    clock[0] += 1  # the next minute
    use_up(SEARCH, 3)
    assert get(SEARCH).status_code == 429


def test_no_limit_when_it_is_off(small_policy, settings):
    settings.SEARCH_RATE_LIMIT = None
    settings.API_RATE_LIMIT = None
    use_up(SEARCH, 10)
    use_up(API, 10)


# Who the client is


@pytest.fixture(params=[{}, BEHIND_THE_PROXY], ids=["no proxy trusted", "a proxy trusted"])
def trusted_proxies(request):
    with override_settings(**request.param):
        yield


def test_a_forwarded_for_header_from_a_client_that_is_no_trusted_proxy_does_not_make_another_client(
    small_policy, trusted_proxies
):
    # The client connects to the app itself (ME is no trusted proxy): whatever is in X-Forwarded-For,
    # the client wrote, so a new value each time must not escape the limit.
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        assert get(SEARCH, HTTP_X_FORWARDED_FOR=forged).status_code == 200

    assert get(SEARCH, HTTP_X_FORWARDED_FOR="4.4.4.4").status_code == 429


def test_a_forwarded_for_header_does_not_make_another_api_client(small_policy, trusted_proxies):
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        assert get(API, HTTP_X_FORWARDED_FOR=f"{forged}, {PROXY}").status_code == 200

    assert get(API, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {PROXY}").status_code == 429


@pytest.fixture
def behind_the_proxy():
    with override_settings(**BEHIND_THE_PROXY):
        yield


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(small_policy, behind_the_proxy):
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        assert get(SEARCH, PROXY, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5").status_code == 200

    assert get(SEARCH, PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5").status_code == 429
    # Another client behind the same proxy is served.
    assert get(SEARCH, PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200


def test_an_ipv6_client_is_counted_by_its_64(small_policy):
    for suffix in ("1", "2", "3"):
        assert get(SEARCH, f"2001:db8:1:2::{suffix}").status_code == 200

    assert get(SEARCH, "2001:db8:1:2:ffff::9").status_code == 429
    assert get(SEARCH, "2001:db8:1:3::1").status_code == 200  # another /64


# What a client may put in X-Forwarded-For (in production the proxy appends a real address to it).
FORWARDED_FOR = st.one_of(
    st.sampled_from(["1.1.1.1, 2.2.2.2", "unknown", "::1", "300.1.1.1", ",,,", "1.1.1.1 " * 1_000, "fe80::1%eth0"]),
    st.text(max_size=200),
)


@hypothesis_settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(forwarded=FORWARDED_FOR, remote=st.sampled_from([PROXY, "192.0.2.10", "2001:db8::1", "", "nonsense"]))
def test_whatever_the_headers_say_a_client_is_found_and_nothing_breaks(forwarded, remote):
    request = RequestFactory().get(SEARCH, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    for proxy in ({}, BEHIND_THE_PROXY):
        with override_settings(**proxy):
            client = ratelimit.client_of(request)
        assert client and isinstance(client, str)


@hypothesis_settings(
    max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=[*HealthCheck]
)
@given(forwarded=FORWARDED_FOR)
def test_behind_the_proxy_a_hostile_forwarded_for_header_is_a_429_at_worst(small_policy, forwarded):
    with override_settings(**BEHIND_THE_PROXY):
        for url in (SEARCH, API):
            assert get(url, PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code in (200, 429)


# A cache that fails


def test_a_cache_server_that_is_down_lets_everyone_through(small_policy, settings, caplog):
    # Nothing listens on port 1: every counter read and write fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    use_up(SEARCH, 5)
    use_up(API, 7)
    assert "rate limit counter unavailable" in caplog.text


# Settings


def test_the_default_limits_are_60_searches_and_120_api_calls_a_minute():
    result = read_settings("SEARCH_RATE_LIMIT", "API_RATE_LIMIT")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(60, 60), (120, 60)]"
    assert read_settings("SEARCH_RATE_LIMIT", **PRODUCTION_ENV).stdout.strip() == "[(60, 60)]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30/minute", "(30, 60)"),
        ("5/second", "(5, 1)"),
        (" 1000 / Hour ", "(1000, 3600)"),
        ("20000/day", "(20000, 86400)"),
        ("off", "None"),
        ("OFF", "None"),
        ("0", "None"),
        ("0/minute", "None"),
        ("", "(60, 60)"),
    ],
)
def test_a_limit_is_a_number_per_second_minute_hour_or_day_or_off(value, expected):
    result = read_settings("SEARCH_RATE_LIMIT", "API_RATE_LIMIT", SEARCH_RATE_LIMIT=value, API_RATE_LIMIT=value)
    assert result.returncode == 0, result.stderr
    default = "(120, 60)" if value == "" else expected
    assert result.stdout.strip() == f"[{expected}, {default}]"


@pytest.mark.parametrize("name", ["SEARCH_RATE_LIMIT", "API_RATE_LIMIT"])
@pytest.mark.parametrize("value", ["sixty/minute", "60", "60/fortnight", "-5/minute", "60/minute/2", "1.5/second"])
def test_a_limit_the_settings_cannot_understand_is_refused(name, value):
    result = read_settings(name, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
