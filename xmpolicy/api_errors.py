"""Every error under /api/ is JSON, {"detail": …}, whoever answers it.

The API's own views answer their errors in JSON (DRF, and the catch-all 404 of
measures/public/api/urls.py), and so do the rate limit's 429 and the database-down 503. Others answer
before or after them with a page: Django's 500 for an uncaught exception (handler500), its 400 for a
disallowed Host, the Swagger page's HTML renderer for a method it does not take, or the OpenAPI
document's renderer (YAML) for an error of /api/schema/. A client of a JSON API should not have to
parse HTML, so this middleware, outermost, gives any such answer under /api/ a JSON body with the
same status and headers: a DRF answer keeps its own data, any other gets DRF's message for its status
in the client's language. With DEBUG on, Django's technical 500 page is left for the developer to read.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from rest_framework import exceptions

from xmpolicy.locale import chosen_language

# Where the JSON API is mounted (xmpolicy/urls.py). Everything under it answers in JSON, never a page:
# its errors here, the rate limit's 429 (with the API's own limit, xmpolicy/ratelimit.py), the
# database-down 503 (xmpolicy/faults.py) and a parameter given twice (measures/public/one_value.py).
API_PREFIX = "/api/"

# DRF's messages (translated by DRF) for the statuses answered outside the API's views.
DETAILS = {
    400: exceptions.ParseError.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    405: exceptions.MethodNotAllowed.default_detail,
    500: exceptions.APIException.default_detail,
}
# The headers of the JSON body itself; every other header of the answer is kept (Allow, Retry-After…).
BODY_HEADERS = ("content-type", "content-length")


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request) or is_json(response):
            return response
        if settings.DEBUG and response.status_code == 500:
            return response  # Django's technical page, with the traceback
        return as_json(request, response)


def is_json(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def is_api(request) -> bool:
    """Whether a request is for the JSON API."""
    return request.path_info.startswith(API_PREFIX)


def as_json(request, response) -> JsonResponse:
    data = getattr(response, "data", None)  # a DRF answer, rendered as something else
    if isinstance(data, dict):
        # DRF's HTML renderer (the Swagger page's) writes the status into the data it renders.
        data = {key: value for key, value in data.items() if key != "status_code"}
    else:
        with translation.override(chosen_language(request)):
            detail = DETAILS.get(response.status_code, response.reason_phrase)
            data = {"detail": str(detail).format(method=request.method)}
    answer = JsonResponse(data, status=response.status_code, json_dumps_params={"ensure_ascii": False})
    for header, value in response.items():
        if header.lower() not in BODY_HEADERS:
            answer[header] = value
    answer.cookies = response.cookies
    return answer
