"""关注: e-mail alerts on published changes, without an account.

- targets.py: what can be followed (a policy, a measure, the award finder's filters, a search) and
  which public changes concern it;
- links.py: the signed links (confirm, manage, unsubscribe);
- mail.py: the mail; sender.py: `manage.py send_notifications`;
- forms.py, views.py, urls.py: the pages (sign-up, confirmation, managing, unsubscribing).
"""

from urllib.parse import urlencode

from django.urls import reverse


def follow_url(**params) -> str:
    """The sign-up form for what `params` name (targets.from_params reads them): a page's 关注 link."""
    return f"{reverse('alerts:follow')}?{urlencode(params)}"
