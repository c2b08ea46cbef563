"""The interface language: Chinese unless the visitor chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English to
every visitor whose phone or office computer happens to be set to English. This portal is a
Chinese government site: its default is Chinese, and English is a choice the visitor makes
(choose_language, below, stores it in the language cookie). Pages then vary on that cookie only.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def is_offered(language) -> bool:
    """Whether `language` is a code of settings.LANGUAGES ('zh-hans', 'en')."""
    return language in {code for code, _name in settings.LANGUAGES}


def chosen_language(request) -> str:
    """The language of this visitor's pages: the one chosen with the switch, else Chinese."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if is_offered(chosen) else settings.LANGUAGE_CODE


def is_english(language: str | None) -> bool:
    """Whether an interface language code ('en', 'en-gb', 'zh-hans', None) asks for English; anything
    else reads Chinese. For the active language: is_english(translation.get_language())."""
    return bool(language) and language.lower().split("-")[0] == "en"


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response


# Choosing the display language changes nothing but how this visitor's own pages are worded: no
# data, no account. A forged request could at worst switch someone's interface to English, so the
# switch needs no CSRF token, and public pages need no CSRF cookie, which would stop a CDN from
# caching them (measures/public/caching.py). It answers a POST from the switch's form or a plain GET link.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def choose_language(request):
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"  # never send the visitor to another site
    response = HttpResponseRedirect(next_url)
    language = data.get("language")
    if is_offered(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
