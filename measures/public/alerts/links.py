"""The signed links in the alerts' mail: confirm a sign-up, manage what an address follows, unsubscribe.

Made and checked with django.core.signing (HMAC with SECRET_KEY, one salt per purpose, so a link made
for one purpose never works for another). A subscription's links carry its id and its random `key`:
a link made for a deleted subscription never works for a later one given the same id. The confirmation
link expires with the sign-up (7 days); the others last as long as what they name. Rotating SECRET_KEY
makes every link sent so far invalid (the pages then say so).
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from measures.domain.subscriptions import CONFIRMATION_DAYS, Subscription
from measures.public.presentation import site_url

CONFIRM = "xmpolicy.alerts.confirm"
UNSUBSCRIBE = "xmpolicy.alerts.unsubscribe"
MANAGE = "xmpolicy.alerts.manage"
CONFIRMATION_AGE = datetime.timedelta(days=CONFIRMATION_DAYS)
MAX_TOKEN_LENGTH = 500  # far longer than any token made here; a longer one is not even read


class LinkError(Exception):
    """A signed link that cannot be used: `reason` is 'invalid' (tampered, cut short, made for
    something else) or 'expired'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SubscriptionRef:
    """What a confirmation or unsubscribe link names: a subscription's id and key."""

    id: int
    key: str

    def find(self) -> Subscription | None:
        """The subscription, if it still exists (one query)."""
        return Subscription.objects.filter(pk=self.id, key=self.key).first()


def _token(payload, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def _read(token: str, salt: str, max_age=None):
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkError("invalid")
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise LinkError("invalid") from None


def _subscription_ref(payload) -> SubscriptionRef:
    if not isinstance(payload, list) or len(payload) != 2:
        raise LinkError("invalid")
    pk, key = payload
    if not isinstance(pk, int) or not isinstance(key, str):
        raise LinkError("invalid")
    return SubscriptionRef(pk, key)


def confirm_path(subscription: Subscription) -> str:
    return reverse("alerts:confirm", args=[_token([subscription.pk, subscription.key], CONFIRM)])


def unsubscribe_path(subscription: Subscription) -> str:
    return reverse("alerts:unsubscribe", args=[_token([subscription.pk, subscription.key], UNSUBSCRIBE)])


def manage_path(email: str) -> str:
    return reverse("alerts:manage", args=[_token(email, MANAGE)])


def read_confirmation(token: str) -> SubscriptionRef:
    return _subscription_ref(_read(token, CONFIRM, max_age=CONFIRMATION_AGE))


def read_unsubscribe(token: str) -> SubscriptionRef:
    return _subscription_ref(_read(token, UNSUBSCRIBE))


def read_manage(token: str) -> str:
    email = _read(token, MANAGE)
    if not isinstance(email, str) or "@" not in email:
        raise LinkError("invalid")
    return email


def absolute(path: str) -> str:
    return site_url(path)
