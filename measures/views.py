"""Public pages. Each reads the domain through the named QuerySet methods in models.py, so the
number of SQL queries per page is fixed whatever the amount of data (pinned in tests)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from measures.models import Measure, Pillar, Policy


def home(request):
    policy = Policy.objects.for_overview().featured().first()
    if policy is None:
        return render(request, "measures/empty.html", status=200)
    return _render_policy(request, policy)


def policy_detail(request, slug):
    policy = get_object_or_404(Policy.objects.for_overview(), slug=slug)
    return _render_policy(request, policy)


def _render_policy(request, policy):
    return render(request, "measures/policy.html", {"policy": policy})


def pillar_detail(request, slug, number):
    pillar = get_object_or_404(
        Pillar.objects.select_related("policy").prefetch_related("measures"), policy__slug=slug, number=number
    )
    return render(request, "measures/pillar.html", {"pillar": pillar, "policy": pillar.policy})


def measure_detail(request, slug, number):
    measure = Measure.objects.for_detail().filter(policy__slug=slug, number=number).first()
    if measure is None:
        policy = get_object_or_404(Policy, slug=slug)
        if 1 <= number <= policy.declared_measure_count:
            # A declared measure whose text is not yet known: say so instead of a bare 404.
            return render(request, "measures/measure_pending.html", {"policy": policy, "number": number}, status=404)
        raise Http404("没有这条措施。")
    return render(request, "measures/measure.html", {"measure": measure, "policy": measure.policy})
