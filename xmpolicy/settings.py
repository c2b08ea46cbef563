"""Settings for xmpolicy, read from the environment (docs/operations.md lists every variable).

XMPOLICY_ENV chooses between the embedded default ("local": SQLite file, generated secret key,
plain HTTP on 127.0.0.1) and "production", which refuses to start without SECRET_KEY and
ALLOWED_HOSTS and turns on the HTTPS-only protections.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xmpolicy.env import (
    env_bool,
    env_cache,
    env_choice,
    env_email,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_site_url,
    env_str,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the app writes locally (SQLite file, secret key, collected static) lives here, git-ignored.
VAR_DIR = BASE_DIR / "var"

ENVIRONMENT = env_choice("XMPOLICY_ENV", ("local", "production"), "local")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when XMPOLICY_ENV=production.")
    SECRET_KEY = local_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when XMPOLICY_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin, with the editors' site (titles, the index in the policy's order).
    "measures.editing.site.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    # The API docs page's JavaScript and CSS, served from here rather than from a CDN.
    "drf_spectacular_sidecar",
    "simple_history",
    # Throttles admin logins: counts failures per username and address, locks after too many.
    "axes",
    "measures",
]
if not PRODUCTION:
    # The benchmarks' synthetic library (bench/corpus/: `manage.py generate_corpus`), never in production.
    INSTALLED_APPS.append("bench.corpus")

MIDDLEWARE = [
    # Outermost: any error under /api/ is JSON, whichever layer answered it (a 500, a CSRF 403…).
    "xmpolicy.api_errors.ApiErrorsAsJsonMiddleware",
    # The Content-Security-Policy and X-Frame-Options, outside everything else, so that static files,
    # 304s, cached pages and the HTTPS redirect carry them too (as they do SecurityMiddleware's headers).
    "xmpolicy.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Fair use: a client that searches or calls the API too often gets a 429. Before the page cache
    # and the 304s below, so that answers they give count too.
    "xmpolicy.ratelimit.RateLimitMiddleware",
    # ETag / 304 / Cache-Control for public GETs; outside the session and CSRF middleware so it
    # sees the cookies they set (a response that sets one is never marked public).
    "measures.public.page_cache.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xmpolicy.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A query parameter that takes one value, given twice, is a 400 naming it, before any view reads it.
    "measures.public.one_value.OneValueMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the signed-in editor as the author of each historical version.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xmpolicy.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `elder_mode`: whether the visitor chose the 长辈版 (large print).
                "xmpolicy.elder.elder_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "xmpolicy.wsgi.application"

# One switch for the database. The default is an SQLite file inside the project, so a fresh
# machine needs no server; production sets postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # No "SELECT 1" before every request: the first query of a request (the content revision of a
        # public one, the session of a signed-in one) and /healthz reconnect once when the database has
        # dropped the connection; elsewhere a dropped connection fails that one request (a 503) and is
        # replaced for the next (xmpolicy/faults.py).
        conn_health_checks=False,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # Several processes (gunicorn workers, the loader) may write: wait for the lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # Chinese text search relies on a UTF-8 ctype (pg_trgm finds no trigrams under "C").
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    # The planner's price of reading a page out of order. PostgreSQL's default (4) is for spinning disks;
    # the library is read from memory or an SSD. At 4 the calculator scanned every award to find a few
    # hundred rather than reading them by their ids (figures in docs/benchmarks.md). A DATABASE_URL's own
    # ?options=… replaces this.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c random_page_cost=1.1")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered public pages are kept here (measures/public/page_cache/middleware.py), keyed by the content's fingerprint, so
# an edit is seen at once without invalidating anything. Several machines share one with CACHE_URL.
CACHES = env_cache("CACHE_URL")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# The visitor's choice of language (xmpolicy/locale.py) is remembered for a year, sent only to this site
# (Lax) and, in production, only over HTTPS. Scripts never need it: readable by them is harmless.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our own formats, where Django's for a language do not read as the pages want (English dates as
# "17 February 2025"); Django's own for everything else (Chinese: "2025年2月17日").
FORMAT_MODULE_PATH = ["xmpolicy.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT") or str(VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed file names let browsers cache static files for a year; needs `collectstatic`.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Files served at the site's root (/favicon.ico, drawn by scripts/make_icons.py) by WhiteNoise, ahead of
# every middleware that reads the database. Their names never change, so caches keep them a week rather
# than WhiteNoise's minute (hashed static files keep their year).
WHITENOISE_ROOT = BASE_DIR / "webroot"
ROOT_FILE_CACHE_SECONDS = 7 * 24 * 60 * 60


def _cache_root_files(headers, path, url):
    if not url.startswith(STATIC_URL):
        headers["Cache-Control"] = f"max-age={ROOT_FILE_CACHE_SECONDS}, public"


WHITENOISE_ADD_HEADERS_FUNCTION = _cache_root_files

LOGIN_URL = "admin:login"

# How long a CDN or browser may reuse a public page or API answer without asking again (seconds).
# After that it revalidates with the ETag: a 304 costs one query. 0 means always revalidate.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)
if PUBLIC_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(f"PUBLIC_CACHE_SECONDS must be 0 or more; got {PUBLIC_CACHE_SECONDS}.")

# 审核 (measures/editing/review.py): nobody publishes a draft they wrote or submitted. A site run by one
# person can only work by allowing it, and says so here, explicitly.
REVIEW_ALLOW_SELF_APPROVAL = env_bool("REVIEW_ALLOW_SELF_APPROVAL", False)

# 核对 (measures/editing/source_check.py): the editors' start page lists the published measures not
# checked against their sources for more than this many days.
SOURCE_CHECK_MAX_AGE_DAYS = env_int("SOURCE_CHECK_MAX_AGE_DAYS", 180)
if SOURCE_CHECK_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured(f"SOURCE_CHECK_MAX_AGE_DAYS must be 1 or more; got {SOURCE_CHECK_MAX_AGE_DAYS}.")

# Admin logins are throttled by django-axes: its backend refuses a locked-out username and address
# before the password is even checked; ModelBackend does the real authentication.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(f"ADMIN_LOGIN_FAILURE_LIMIT must be at least 1; got {AXES_FAILURE_LIMIT}.")
_lockout_minutes = env_int("ADMIN_LOGIN_LOCKOUT_MINUTES", 30)
if _lockout_minutes < 1:
    raise ImproperlyConfigured(f"ADMIN_LOGIN_LOCKOUT_MINUTES must be at least 1; got {_lockout_minutes}.")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_lockout_minutes)
# Lock a username only from the address that guessed: a stranger cannot lock an editor out of the
# office, and one address cannot try many usernames without each locking in turn.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Keep every failed attempt too (the counters above are cleared by a successful login).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client's address, for this throttle and every fair-use limit (xmpolicy/proxies.py): the
# connection's, unless that is one of TRUSTED_PROXIES (comma-separated addresses or CIDR networks), whose
# X-Forwarded-For entries are then read from the right. Empty, as by default: the header is never read.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "xmpolicy.proxies.client_address"

# Fair use (xmpolicy/ratelimit.py): how often one client, identified by its address as above, may
# load the search page and call the API (/api/…), as (requests, seconds); None is no limit. Counted
# in the cache, so shared by every process only when CACHE_URL names a Redis.
SEARCH_RATE_LIMIT = env_rate("SEARCH_RATE_LIMIT", "60/minute")
API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "120/minute")

# Fair use of the e-mail alerts' sign-up form (measures/public/alerts/): how many sign-ups one client may
# send, and how many confirmation mails one address may receive (more are not sent, and the form says
# the same as ever: it never tells whether an address is known).
FOLLOW_RATE_LIMIT = env_rate("FOLLOW_RATE_LIMIT", "10/hour")
FOLLOW_ADDRESS_RATE_LIMIT = env_rate("FOLLOW_ADDRESS_RATE_LIMIT", "3/day")

# 纠错 and 提问 (measures/domain/feedback.py): how many messages one client may send, how many days the
# editors have to answer one (its due date; the national rule for government sites is three months),
# and how many days after a message is closed its address is kept before send_notifications erases it.
FEEDBACK_RATE_LIMIT = env_rate("FEEDBACK_RATE_LIMIT", "5/hour")
FEEDBACK_DUE_DAYS = env_int("FEEDBACK_DUE_DAYS", 7)
FEEDBACK_ADDRESS_KEEP_DAYS = env_int("FEEDBACK_ADDRESS_KEEP_DAYS", 180)

# The site's own address, for every absolute URL (e-mails, QR codes, a printed page's address, the feed,
# the sitemap, the API and the CSV): never the request's Host, which a client chooses. Locally `make run`'s;
# in production the first of ALLOWED_HOSTS over HTTPS.
if PRODUCTION and ALLOWED_HOSTS[0].startswith("."):
    _default_site_url = ""  # a wildcard names no one host: SITE_URL must be given
else:
    _default_site_url = f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000"
SITE_URL = env_site_url("SITE_URL", _default_site_url)

# Outgoing mail (the alerts): EMAIL_URL, read by xmpolicy/env.py's env_email. The local default
# writes mails to the console, so that `make run` never sends one out.
_email = env_email("EMAIL_URL", "console://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "厦门科技创新政策库 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS-only protections, on in production (the portal sits behind a TLS-terminating proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer probes /healthz on the internal port over plain HTTP: answer it there, never redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, stated: no page shares its window with a page of another site it opened or was opened by.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database, ignoring a cookie's session key of a form Django never makes (a NUL in
# it was a database error on PostgreSQL): xmpolicy/sessions.py.
SESSION_ENGINE = "xmpolicy.sessions"
# No script reads the CSRF cookie (the admin's forms carry the token in a hidden field), so it is
# hidden from scripts altogether: one injected into a page could not read the token there.
CSRF_COOKIE_HTTPONLY = True

# The read-only JSON API (/api/v1/, measures/public/api/): JSON only (no browsable HTML API), anyone may read.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "xmpolicy 开放数据 API",
    "DESCRIPTION": (
        "厦门《若干措施》政策库的只读数据接口：政策、方面、措施、条款、奖补金额和全文检索，只含已发布的内容。"
        "金额以元存为整数（amount_yuan），另给出万元（amount_wan，十进制字符串）；"
        "奖补的筛选参数与网站的奖补查询（/awards/）相同。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from this site (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Our own page and start-up script (templates/api/docs.html: no inline code, for the CSP). No
    # validator: Swagger UI would send the schema's address to validator.swagger.io and show its badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request that failed because the database is down is logged as one line, without the
    # traceback Django writes for other uncaught exceptions (xmpolicy/faults.py).
    "filters": {"database_down_one_line": {"()": "xmpolicy.faults.OneLineWhenTheDatabaseIsDown"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["database_down_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING").upper()},
}
