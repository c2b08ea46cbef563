"""Test settings: the real settings with the few overrides that make the suite fast and hermetic."""

from xmpolicy.settings import *  # noqa: F403 -- deliberately the real settings, then overrides

# A fast hasher: the default PBKDF2 is slow on purpose, and the suite signs in many times
# (docs/benchmarks.md).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Templates use {% static %}; the manifest storage would need `collectstatic` before every run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Serve static files from the finders, as the live-server browser tests need, without a
# collected STATIC_ROOT (whitenoise would warn that the folder is missing).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# django-axes refuses `Client.login()` (which authenticates without a request); the throttling
# tests (tests/test_login_throttle.py) switch it back on.
AXES_ENABLED = False
# No fair-use limit: the suite asks for the same pages and API answers far more often than a visitor
# would; tests/test_rate_limit.py turns it on.
SEARCH_RATE_LIMIT = None
API_RATE_LIMIT = None
# No limit on the alerts' sign-ups either; tests/test_alerts_signup.py turns them on.
FOLLOW_RATE_LIMIT = None
FOLLOW_ADDRESS_RATE_LIMIT = None
# Nor on 纠错 and 提问; tests/test_feedback_form.py turns it on.
FEEDBACK_RATE_LIMIT = None
# The site's own address is the test client's default host, whatever the environment says; the tests
# of absolute URLs ask with another allowed Host and still expect this one (tests/test_site_url.py).
SITE_URL = "http://testserver"
