"""The API's query parameters. Awards take the award finder's own FilterSet (measures.public.finder.filters), so
the API, the finder page and its CSV read the same parameters with the same meanings and messages;
the other lists take a policy slug and pillar/measure numbers, checked the same way.

An invalid parameter is a 400 whose body names it: {"errors": {"min": ["最低金额必须是数字…"]}}.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status
from rest_framework.exceptions import APIException

from measures.domain.documents import RelatedDocument
from measures.domain.models import Clause, Measure, Pillar, Policy
from measures.domain.questions import QuestionAnswer
from measures.public.finder.filters import SORT_CHOICES, AwardFilter, PolicyFilter, WanFilter, WholeNumberFilter


class InvalidFilter(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_filter"

    def __init__(self, errors):
        super().__init__({"errors": errors})


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend answering invalid parameters with {"errors": {parameter: [messages]}}.

    The bound, valid FilterSet is kept on the view (`view.filterset`, as django-filter's own FilterView
    keeps it), for what else needs the question: the awards' pagination counts from it."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidFilter(filterset.errors)
        view.filterset = filterset
        return filterset.qs


class ApiAwardFilter(AwardFilter):
    """The finder's filters, as its OpenAPI document describes them (measures/public/api/schema.py):

    - `min` and `max` are any numbers from 0 to the largest: finer than a yuan, a bound is made whole
      the way that keeps its meaning (amounts are whole yuan: at least 0.3 yuan is at least 1 yuan);
    - a `min` above `max` finds nothing, as it says, rather than being an error (the finder page
      points it out to the person who typed it);
    - `ordering`, the API's first name for `sort`, is still read (`sort` wins when both are given).
    """

    min = WanFilter(field_name="amount_yuan", lookup_expr="gte", label=_("最低金额"), rounding=ROUND_CEILING)
    max = WanFilter(field_name="amount_yuan", lookup_expr="lte", label=_("最高金额"), rounding=ROUND_FLOOR)
    ordering = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=SORT_CHOICES,
        method="sort_later",
        error_messages={"invalid_choice": _("排序无效：“%(value)s”不是可选的值，只能是 -amount 或 amount。")},
    )

    ALIASES = {"ordering": "sort"}  # deprecated in the document

    class Meta(AwardFilter.Meta):
        form = forms.Form  # without the finder form's check that min ≤ max

    def sort_later(self, queryset, name, value):
        return queryset  # in filter_queryset, once `sort` or the default order is applied

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)  # sorted by `sort`, else by the default
        ordering = self.form.cleaned_data.get("ordering")
        if ordering and not self.form.cleaned_data.get("sort"):
            queryset = self.sort_by(queryset, "ordering", ordering)
        return queryset


def _policy_filter(field_name):
    return PolicyFilter(
        label=_("政策"),
        field_name=field_name,
        to_field_name="slug",
        queryset=Policy.objects.all(),
        error_messages={"invalid_choice": _("政策无效：没有网址标识为“%(value)s”的政策。")},
    )


def _number_filter(label, field_name, message, **kwargs):
    return WholeNumberFilter(
        label=label,
        field_name=field_name,
        min_value=1,
        max_value=9999,
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value"), message),
        **kwargs,
    )


PILLAR_MESSAGE = _("方面无效：请填写方面的序号，如 2。")
MEASURE_MESSAGE = _("措施无效：请填写措施的编号，如 3。")


class PillarFilter(django_filters.FilterSet):
    policy = _policy_filter("policy")

    class Meta:
        model = Pillar
        fields = []


class MeasureFilter(django_filters.FilterSet):
    policy = _policy_filter("policy")
    pillar = _number_filter(_("方面"), "pillar__number", PILLAR_MESSAGE)

    class Meta:
        model = Measure
        fields = []


class ClauseFilter(django_filters.FilterSet):
    policy = _policy_filter("measure__policy")
    pillar = _number_filter(_("方面"), "measure__pillar__number", PILLAR_MESSAGE)
    measure = _number_filter(_("措施"), "measure__number", MEASURE_MESSAGE)

    class Meta:
        model = Clause
        fields = []


class QuestionFilter(django_filters.FilterSet):
    policy = _policy_filter("measure__policy")
    measure = _number_filter(_("措施"), "measure__number", MEASURE_MESSAGE)

    class Meta:
        model = QuestionAnswer
        fields = []


class RelatedDocumentFilter(django_filters.FilterSet):
    policy = _policy_filter("policy")
    measure = _number_filter(
        _("措施"), "measure_links__measure__number", MEASURE_MESSAGE, method="concerning_published_measure"
    )

    class Meta:
        model = RelatedDocument
        fields = []

    def concerning_published_measure(self, queryset, name, value):
        # A document may be linked to a draft measure: through its link it would tell a draft's number
        # from a missing one's, so only published measures count (a draft's number finds nothing).
        return queryset.filter(measure_links__measure__in=Measure.objects.published().filter(number=value))
