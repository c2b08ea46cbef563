"""How a visitor's choices about their own pages are taken and kept: the interface language
(xmpolicy/locale.py) and the 长辈版 (xmpolicy/elder.py).

Each choice is a plain form in the header of every page (a GET link works too), so it works without
JavaScript. It changes nothing but how this visitor's pages read: no data, no account. A forged
request could at worst switch someone's pages to English or to large print, so the switches need no
CSRF token, and public pages need no CSRF cookie, which would stop a CDN from caching them
(measures/public/page_cache/middleware.py). The choice is kept in a cookie for a year, sent only to this site (Lax)
and, in production, only over HTTPS (the LANGUAGE_COOKIE_* settings, shared by both), and the visitor
is sent back to the page they were reading, never to another site.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def switch_view(view):
    """A view that takes a choice: from the switch's form (POST) or a plain link (GET); no CSRF
    token (see above); never cached (it sets a cookie)."""
    return csrf_exempt(never_cache(require_http_methods(["GET", "POST"])(view)))


def submitted(request):
    """The switch's fields: the form's for a POST, the query string's for a GET link."""
    return request.POST if request.method == "POST" else request.GET


def back(request) -> HttpResponseRedirect:
    """A redirect to the `next` page, if it is on this site; else to the home page."""
    next_url = submitted(request).get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"  # never send the visitor to another site
    return HttpResponseRedirect(next_url)


def remember(response, name: str, value: str) -> None:
    """Keep `value` in the cookie `name` for a year, with the language cookie's attributes."""
    response.set_cookie(
        name,
        value,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def forget(response, name: str) -> None:
    """Remove the cookie `name`: the visitor is back to the default."""
    response.delete_cookie(
        name,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
