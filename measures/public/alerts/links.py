"""The links in the alerts' mail: confirm a sign-up, manage what an address follows, unsubscribe.

A link carries a random secret (measures/domain/subscriptions.py's new_secret), signed with
django.core.signing (HMAC with SECRET_KEY, one salt per purpose, so a link made for one purpose never
works for another, and a secret read from the database alone makes no link). It holds neither the
address nor the subscription's id: what lands in an access log names no one. The confirm and
unsubscribe links carry their subscription's `key`, the manage link its address's `manage_key`; each
works as long as a row holding its secret exists, so a link dies with what it manages (after an
address cancels everything its manage link opens nothing, even once it follows something again). The
confirmation link also expires with the sign-up (7 days). Rotating SECRET_KEY makes every link sent so
far invalid, and so did the change to these secrets (the pages then say so).
"""

import datetime
import re

from django.core import signing
from django.urls import reverse

from measures.domain.subscriptions import CONFIRMATION_DAYS, SECRET_LENGTH, Subscription
from measures.public.formatting import site_url

# Not the salts of the links that carried the address and the id: those are refused as invalid.
CONFIRM = "xmpolicy.alerts.confirm-secret"
UNSUBSCRIBE = "xmpolicy.alerts.unsubscribe-secret"
MANAGE = "xmpolicy.alerts.manage-secret"
CONFIRMATION_AGE = datetime.timedelta(days=CONFIRMATION_DAYS)
MAX_TOKEN_LENGTH = 200  # far longer than any token made here; a longer one is not even read
SECRET = re.compile(rf"[A-Za-z0-9_-]{{{SECRET_LENGTH}}}")


class LinkError(Exception):
    """A signed link that cannot be used: `reason` is 'invalid' (tampered, cut short, made for
    something else, or from before these secrets) or 'expired'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _signer(salt: str) -> signing.Signer:
    # The confirmation's signature holds its time, so that it can expire; the others need none.
    return signing.TimestampSigner(salt=salt) if salt == CONFIRM else signing.Signer(salt=salt)


def _token(secret: str, salt: str) -> str:
    return _signer(salt).sign(secret)


def _read(token: str, salt: str, **max_age) -> str:
    """The secret a token carries; LinkError if it is not one made here for this purpose."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("invalid")
    try:
        secret = _signer(salt).unsign(token, **max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise LinkError("invalid") from None
    if not SECRET.fullmatch(secret):
        raise LinkError("invalid")
    return secret


def confirm_path(subscription: Subscription) -> str:
    return reverse("alerts:confirm", args=[_token(subscription.key, CONFIRM)])


def unsubscribe_path(subscription: Subscription) -> str:
    return reverse("alerts:unsubscribe", args=[_token(subscription.key, UNSUBSCRIBE)])


def manage_path(subscription: Subscription) -> str:
    """The page of everything the subscription's address follows."""
    return reverse("alerts:manage", args=[_token(subscription.manage_key, MANAGE)])


def read_confirmation(token: str) -> Subscription | None:
    """The sign-up a confirmation link names, None if it is gone (one query); LinkError for a bad link."""
    return Subscription.objects.filter(key=_read(token, CONFIRM, max_age=CONFIRMATION_AGE)).first()


def read_unsubscribe(token: str) -> Subscription | None:
    """The subscription an unsubscribe link names, None if it is gone (one query); LinkError for a bad link."""
    return Subscription.objects.filter(key=_read(token, UNSUBSCRIBE)).first()


def read_manage(token: str):
    """The subscriptions a manage link manages (a queryset: empty once they are all cancelled);
    LinkError for a bad link."""
    return Subscription.objects.managed_by(_read(token, MANAGE))


def absolute(path: str) -> str:
    return site_url(path)
