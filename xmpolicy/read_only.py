"""`read_only(view)`: a view that answers GET and HEAD only. Any other method is a 405 naming the two
(`Allow: GET, HEAD`), as HTTP asks, rather than the CSRF middleware's 403, which would otherwise answer
a POST, PUT, PATCH or DELETE before the view is reached, as if the page could take one with a token."""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def read_only(view):
    # Exempting it from CSRF is safe: CSRF guards requests that act, and this view refuses every one
    # that could (a GET or HEAD is never checked for a token anyway).
    return csrf_exempt(require_safe(view))
