"""The policy calculator (/calculator/) and its CSV (/calculator/export.csv).

Both read the question through measures.public.calculator.CalculatorQuery, so the page and the file list
the same awards. A question that cannot be answered whole is a 400 with its messages and the form, never
a partial list. Queries, whatever the amount of data: the form's kinds and counts two, the policies in
force one, the kinds asked one, the answer three (the policies in force, the kinds it lists, the amounts:
measures.public.calculator) and its page six (awards, their kinds, the measures' and the awards'
application facts with their departments and guides, the measures' related documents)."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from measures.domain.eligibility import RecipientKind
from measures.public import calculator, exports
from measures.public.alerts import follow_url
from measures.public.formatting import site_url
from measures.public.query_urls import pager_urls, with_query


def calculator_page(request):
    query = calculator.CalculatorQuery.from_params(request.GET)
    answer = calculator.answer(query)
    results = answer.page(request.GET.get("page")) if answer else None
    chosen = {kind.slug for kind in query.kinds}
    chosen_slugs = [kind.slug for kind in query.kinds]
    kinds = calculator.kinds_with_counts(query.valid_only)
    groups = []
    for value, label in RecipientKind.Group.choices:
        members = [kind for kind in kinds if kind.group == value]
        if members:
            groups.append({"label": label, "kinds": members})
    context = {
        "groups": groups,
        "chosen": chosen,
        "valid_only": query.valid_only,
        "errors": [message for _name, message in query.errors],
        "query": query,
        "kinds": query.kinds,
        "chosen_chips": chosen_chips(request.GET, query.kinds),
        "results": results,
        "groups_listed": calculator.with_documents(calculator.grouped(results)) if results else [],
        "count": answer.count if answer else 0,
        "totals": answer.totals if answer else [],
        "notes": calculator.NOTES,
        # The file holds every award: the page number is no part of its question.
        "csv_url": with_query(reverse("measures:calculator_csv"), _without_page(request.GET)),
        **(pager_urls(request, results) if results else {}),
        # 关注: an answer's changes, and its windows' reminders when asked for (measures/public/alerts/).
        "follow_url": follow_url(kind="calculator", kinds=",".join(chosen_slugs)) if answer else None,
        "follow_kind": "calculator",
    }
    return render(request, "measures/calculator.html", context, status=400 if query.errors else 200)


def calculator_export_csv(request):
    query = calculator.CalculatorQuery.from_params(request.GET, require_kind=True)
    answer = calculator.answer(query)
    if query.errors:
        lines = [_("查询条件有误：")] + [message for _name, message in query.errors]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")
    response = exports.csv_response(exports.CALCULATOR_COLUMNS, answer.every_award(), site_url)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("calculator", "csv")}"'
    return response


def chosen_chips(params, kinds) -> list[dict]:
    """Each chosen kind with the address of the same question without it: back to the answer while
    kinds remain, to the form when it was the last one. The policies asked about are kept."""
    path = reverse("measures:calculator")
    valid = (params.getlist("valid") or [""])[-1]  # as CalculatorQuery reads it: one value from now on
    chips = []
    for kind in kinds:
        rest = [("kind", other.slug) for other in kinds if other is not kind]
        if valid:
            rest.append(("valid", valid))
        fragment = "#calculator-answer" if len(kinds) > 1 else "#calculator-form"
        chips.append({"kind": kind, "remove_url": f"{path}?{urlencode(rest)}{fragment}" if rest else path + fragment})
    return chips


def _without_page(query):
    query = query.copy()
    query.pop("page", None)
    return query
