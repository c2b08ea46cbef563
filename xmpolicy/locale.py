"""The interface language: Chinese unless the visitor chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English to
every visitor whose phone or office computer happens to be set to English. This portal is a
Chinese government site: its default is Chinese, and English is a choice the visitor makes
(choose_language, below, stores it in the language cookie). Pages then vary on that cookie only.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from xmpolicy.preferences import back, remember, submitted, switch_view


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


# The switch in base.html posts here; how a choice is taken and kept is xmpolicy/preferences.py.
@switch_view
def choose_language(request):
    response = back(request)
    language = submitted(request).get("language")
    if is_offered(language):
        remember(response, settings.LANGUAGE_COOKIE_NAME, language)
    return response
