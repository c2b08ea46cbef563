"""Settings come from the environment and refuse what they cannot use."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.settings_env import PRODUCTION_ENV, load_settings, read_settings, run_with_settings
from xmpolicy.env import local_secret_key

PROJECT = Path(__file__).resolve().parent.parent


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(XMPOLICY_ENV="production", ALLOWED_HOSTS="policy.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = load_settings(XMPOLICY_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_with_its_settings_starts_with_secure_cookies_and_debug_off():
    result = load_settings(XMPOLICY_ENV="production", SECRET_KEY="x" * 60, ALLOWED_HOSTS="policy.example.cn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "['policy.example.cn']"]


def test_debug_is_off_unless_asked_for():
    assert load_settings().stdout.split()[0] == "False"
    assert load_settings(DEBUG="true").stdout.split()[0] == "True"


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("XMPOLICY_ENV", "staging")])
def test_a_value_the_settings_cannot_understand_is_refused(name, value):
    result = load_settings(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_the_embedded_default_generates_a_private_secret_key_once(tmp_path):
    path = tmp_path / "var" / "secret_key"
    key = local_secret_key(path)
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert local_secret_key(path) == key


def test_the_generated_key_and_the_sqlite_database_are_kept_out_of_git():
    ignored = subprocess.run(
        ["git", "check-ignore", "var/secret_key", "var/db.sqlite3"], cwd=PROJECT, capture_output=True, text=True
    )
    assert ignored.stdout.split() == ["var/secret_key", "var/db.sqlite3"]


def test_production_sends_session_and_csrf_cookies_over_https_only():
    result = read_settings("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[True, True, True]"


def test_production_keeps_the_language_choice_a_year_over_https_only():
    names = ("LANGUAGE_COOKIE_AGE", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "SECURE_REDIRECT_EXEMPT")
    result = read_settings(*names, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[31536000, 'Lax', True, ['^healthz$']]"


def test_admin_logins_lock_after_five_failures_for_thirty_minutes_unless_configured():
    names = ("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME")
    assert read_settings(*names).stdout.strip() == "[5, datetime.timedelta(seconds=1800)]"
    configured = read_settings(*names, ADMIN_LOGIN_FAILURE_LIMIT="3", ADMIN_LOGIN_LOCKOUT_MINUTES="120")
    assert configured.stdout.strip() == "[3, datetime.timedelta(seconds=7200)]"


# The address the login throttle and the fair-use limits count a request by, under the real settings.
CLIENT_OF_A_REQUEST = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "xmpolicy.settings"
django.setup()
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from xmpolicy.ratelimit import client_of
request = RequestFactory().get("/search/", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.7")
print(get_client_ip_address(request), client_of(request))
"""


@pytest.mark.parametrize("environment", [{}, PRODUCTION_ENV], ids=["local", "production"])
def test_unless_proxies_are_trusted_a_forwarded_for_header_is_never_read(environment):
    result = run_with_settings(CLIENT_OF_A_REQUEST, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["203.0.113.66", "203.0.113.66"]
    assert read_settings("TRUSTED_PROXIES", **environment).stdout.strip() == "[[]]"


def test_behind_trusted_proxies_the_address_they_saw_is_the_client():
    environment = {**PRODUCTION_ENV, "TRUSTED_PROXIES": "10.0.0.0/24, 203.0.113.66"}
    result = run_with_settings(CLIENT_OF_A_REQUEST, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1.1.1.1", "1.1.1.1"]


def test_trusted_proxies_are_addresses_and_networks():
    result = read_settings("TRUSTED_PROXIES", TRUSTED_PROXIES=" 127.0.0.1, 10.0.0.0/8,fd00::/8 ,")
    assert result.stdout.strip() == (
        "[[IPv4Network('127.0.0.1/32'), IPv4Network('10.0.0.0/8'), IPv6Network('fd00::/8')]]"
    )


@pytest.mark.parametrize("value", ["localhost", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/8;192.168.0.0/16"])
def test_a_trusted_proxy_that_is_no_address_or_network_is_refused(value):
    result = read_settings("TRUSTED_PROXIES", TRUSTED_PROXIES=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "TRUSTED_PROXIES" in result.stderr


@pytest.mark.parametrize("name", ["ADMIN_LOGIN_FAILURE_LIMIT", "ADMIN_LOGIN_LOCKOUT_MINUTES"])
@pytest.mark.parametrize("value", ["five", "0", "-3"])
def test_a_login_throttle_setting_that_is_not_a_positive_number_is_refused(name, value):
    result = read_settings("AXES_FAILURE_LIMIT", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    """What `.ci/run` checks too: `manage.py check --deploy` under production's environment is silent."""
    # DJANGO_ALLOW_ASYNC_UNSAFE: set for the session by the browser tests (tests/browser/conftest.py), and
    # itself an error of the deployment checks.
    unwanted = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unwanted}
    env = {
        **base,
        **PRODUCTION_ENV,
        # pytest-django points this at the test settings; the check is of the real ones.
        "DJANGO_SETTINGS_MODULE": "xmpolicy.settings",
        # A key as random as a real one: Django warns about a short or repetitive key (security.W009).
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
