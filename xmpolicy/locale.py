"""The interface language: Chinese unless the visitor chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language, which would show English to
every visitor whose phone or office computer happens to be set to English. This portal is a
Chinese government site: its default is Chinese, and English is a choice the visitor makes
(set_language stores it in the language cookie). Pages then vary on that cookie only.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        translation.deactivate()
        return response
