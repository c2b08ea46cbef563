"""A query parameter that takes one value is refused when given twice (`?min=abc&min=500`), on every
public page, CSV and API answer alike: Django's QueryDict.get would quietly take the last one, so that
`?measure=x&measure=3` passed where `?measure=3&measure=x` was refused, and a link could show one value
and mean another. The few parameters that take several (the calculator's `kind`) are named here.

Checked once the URL is resolved (process_view), before any view reads its parameters: a 400 that names
the parameter, as {"errors": {name: [message]}} under /api/ (the API's invalid-filter answer) and as a
page elsewhere. The editors' admin keeps Django's own handling.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xmpolicy.api_errors import is_api

# The parameters a view reads all the values of, by view name. The calculator's form once sent `valid` as
# a hidden 0 followed by its checkbox's 1 when ticked; links shared then still work, the last value being
# the visitor's choice (measures/public/calculator.py).
MULTI_VALUED = {
    "measures:calculator": {"kind", "valid"},
    "measures:calculator_csv": {"kind", "valid"},
    "measures:calculator_ics": {"kind", "valid"},
    "api:calculator": {"kind"},
}
NOT_CHECKED_NAMESPACES = {"admin"}


def repeated_parameters(query, view_name: str) -> dict[str, int]:
    """{name: how many times} for each parameter of `query` given more than once that takes one value."""
    multi = MULTI_VALUED.get(view_name, set())
    return {name: len(values) for name, values in query.lists() if len(values) > 1 and name not in multi}


def repeated_message(name: str, count: int) -> str:
    return _("参数“%(name)s”只能给出一次，这里给出了%(count)s次。") % {"name": name, "count": count}


class OneValueMiddleware:
    """After the language is chosen (the message is in the visitor's language), before the views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or NOT_CHECKED_NAMESPACES.intersection(match.namespaces):
            return None
        repeated = repeated_parameters(request.GET, match.view_name)
        if not repeated:
            return None
        errors = {name: [repeated_message(name, count)] for name, count in repeated.items()}
        if is_api(request):
            return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
        messages = [message for listed in errors.values() for message in listed]
        return render(request, "400.html", {"messages": messages}, status=400)
