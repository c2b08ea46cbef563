"""Small typed readers for environment variables.

Each one refuses a value it cannot understand with ImproperlyConfigured, so a typo in a
deployment fails at start-up instead of silently falling back to a default.
"""

import ipaddress
import os
import re
import secrets
import urllib.parse
from pathlib import Path

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """A comma-separated list of networks in CIDR notation (10.0.0.0/8, fd00::/8); a bare address is
    a network of one. A network with host bits set (10.0.0.1/8) is refused: it says two things."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of addresses or networks in CIDR notation, "
                f"such as 127.0.0.1/32,10.0.0.0/8; {item!r} is not one ({error})."
            ) from None
    return networks


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


_RATE_PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


def env_rate(name: str, default: str) -> tuple[int, int] | None:
    """A rate such as "60/minute" (per second, minute, hour or day) as (requests, seconds);
    "off" or 0 (also "0/minute") means no limit: None."""
    raw = os.environ.get(name)
    value = (default if raw is None or raw.strip() == "" else raw).strip().lower()
    if value in {"off", "0"}:
        return None
    match = re.fullmatch(r"([0-9]+)\s*/\s*(second|minute|hour|day)", value)
    if not match:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, such as 60/minute, "
            f"or off; got {raw!r}."
        )
    requests = int(match[1])
    return (requests, _RATE_PERIODS[match[2]]) if requests else None


def env_cache(name: str) -> dict:
    """The CACHES setting from a URL: unset means each process keeps its own pages in memory
    (right for one machine); redis://host:port/db shares them between processes and machines."""
    url = os.environ.get(name, "").strip()
    if not url or url == "locmem://":
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    if url == "dummy://":
        return {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    raise ImproperlyConfigured(f"{name} must be redis://host:port/db, rediss://…, locmem:// or dummy://; got {url!r}.")


def local_secret_key(path: Path) -> str:
    """The embedded default's secret key: generated on first run, kept in a git-ignored file.

    Only for a machine without SECRET_KEY set outside production; production refuses to start
    without SECRET_KEY (see settings.py).
    """
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Create the file readable by its owner only, then write: never a world-readable moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


# STARTTLS on the submission port unless the URL says otherwise (?tls=0); smtps:// is TLS from the start.
SUBMISSION_PORT = 587
SMTPS_PORT = 465


def env_email(name: str, default: str) -> dict:
    """The outgoing mail settings (EMAIL_BACKEND, EMAIL_HOST, …) from a URL, read by dj-email-url:

    - smtp://user:password@host:587 — SMTP with STARTTLS (the submission port; elsewhere plain
      SMTP unless ?tls=1, e.g. a relay on the same machine);
    - smtps://user:password@host:465 — SMTP over TLS from the first byte (port 465 by default);
    - console:// writes each mail to standard output and sends nothing; memory:// keeps them in
      memory (tests); dummy:// drops them.

    User name and password may be percent-encoded (an @ in a password is %40); ?timeout=N sets the
    connection's timeout in seconds (default 30: a hung server must not hold the sender forever)."""
    raw = os.environ.get(name)
    url = (default if raw is None or raw.strip() == "" else raw).strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"smtp", "smtps", "console", "memory", "dummy"}:
        raise ImproperlyConfigured(
            f"{name} must be smtp://user:password@host:587, smtps://user:password@host:465, console://, "
            f"memory:// or dummy://; got {url!r}."
        )
    query = urllib.parse.parse_qs(parts.query)
    unknown = set(query) - {"tls", "ssl", "timeout"}
    if unknown:
        raise ImproperlyConfigured(f"{name} has unknown options {', '.join(sorted(unknown))}; got {url!r}.")
    try:
        port = parts.port
        # dj-email-url reads smtps:// as STARTTLS, and warns that the scheme is deprecated: give it the
        # plain scheme and set implicit TLS here.
        config = dj_email_url.parse(urllib.parse.urlunsplit(parts._replace(scheme="smtp")))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid mail URL ({error}); got {url!r}.") from None
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} must name the mail server's host; got {url!r}.")
        explicit_tls = "tls" in query or "ssl" in query
        if parts.scheme == "smtps":
            config["EMAIL_PORT"] = port or SMTPS_PORT
            config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"] = True, False
        elif not explicit_tls:
            config["EMAIL_USE_TLS"] = (port or 25) == SUBMISSION_PORT
        if config["EMAIL_TIMEOUT"] is None:
            config["EMAIL_TIMEOUT"] = 30
        config["EMAIL_HOST_USER"] = config["EMAIL_HOST_USER"] or ""
        config["EMAIL_HOST_PASSWORD"] = config["EMAIL_HOST_PASSWORD"] or ""
    else:
        config = {"EMAIL_BACKEND": dj_email_url.SCHEMES[parts.scheme]}
    return {key: value for key, value in config.items() if key.startswith("EMAIL_") and key != "EMAIL_FILE_PATH"}


def env_site_url(name: str, default: str) -> str:
    """The site's own address, scheme and host (and port), no path: https://policy.example.cn."""
    raw = os.environ.get(name)
    url = (default if raw is None or raw.strip() == "" else raw).strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name} must be the site's address, such as https://policy.example.cn (no path); got {url!r}."
        )
    return url
