"""The award finder's filters, shared by the finder page, its CSV export and the API's awards
(measures/public/api/filters.py), so that all three read the same GET parameters, apply the same rules
and report the same errors. How many awards a question matches is measures/public/finder/tally.py's.

Amounts are given in 万元 and converted by measures.text.money (whole yuan, no floats). Every message
names the parameter it is about, in the words the page uses for it.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import django_filters
import django_filters.fields
from django import forms
from django.db.models import Count, F, FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import LISTING_ORDER, Award, Policy
from measures.public.finder.bands import AMOUNT_BANDS, BANDS_BY_SLUG
from measures.public.formatting import kind_label
from measures.text import money
from xmpolicy.nul import has_nul, without_nul


def finder_awards():
    """Every award the finder may show, the published ones: the one place where `published()` is
    applied, so that the results, the facet counts, the policy choices and the CSV all agree."""
    return Award.objects.published()


def finder_policies(request=None):
    """The policies one may filter by: those with an award in the finder (so they follow
    finder_awards()). Takes the request because django-filter calls it with one."""
    return Policy.objects.filter(pk__in=finder_awards().values("listed_policy"))


# Ties (equal amounts) keep the order in which the awards appear in their policy (policies in the order
# they were added): the columns the database copies onto each award, so the order needs no join and is
# read straight from an index (the award listing columns, kept by database triggers: measures/domain/models.py).
ORDER_IN_POLICY = LISTING_ORDER
SORT_CHOICES = (("-amount", _("金额从高到低")), ("amount", _("金额从低到高")))
DEFAULT_SORT = "-amount"

# Far above any award (money.LARGEST_AWARD_YUAN, which the search also keeps to); refusing larger
# amounts keeps a value like 1e999999999 from being expanded into a billion-digit integer.
LARGEST_WAN = money.yuan_to_wan(money.LARGEST_AWARD_YUAN)  # 1万亿元


class WanField(forms.Field):
    """An amount typed in 万元 ("500", "0.5"), cleaned to whole yuan by measures.text.money: finer than a yuan
    is an error, unless `rounding` says which way to round (money.wan_to_yuan)."""

    def __init__(self, *, rounding=None, **kwargs):
        self.rounding = rounding
        super().__init__(**kwargs)

    def to_python(self, value):
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            wan = Decimal(text)
        except InvalidOperation:
            wan = None
        if wan is None or not wan.is_finite():
            raise forms.ValidationError(
                _("%(label)s必须是数字（万元），例如 500 或 0.5。"), params={"label": self.label}
            )
        if wan > LARGEST_WAN:
            raise forms.ValidationError(
                _("%(label)s太大：不能超过%(largest)s万元。"), params={"label": self.label, "largest": LARGEST_WAN}
            )
        try:
            return money.wan_to_yuan(wan, rounding=self.rounding)
        except money.AmountError as error:  # negative, or finer than one yuan
            raise forms.ValidationError(
                _("%(label)s：%(error)s"), params={"label": self.label, "error": error}
            ) from None


class WanFilter(django_filters.Filter):
    field_class = WanField


class WholeNumberFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PolicyChoiceField(django_filters.fields.ModelChoiceField):
    def validate_no_null_characters(self, value):
        # Django's own message here names no field: report it as any other unknown policy.
        if has_nul(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": without_nul(str(value))},
            )


class PolicyFilter(django_filters.ModelChoiceFilter):
    field_class = PolicyChoiceField


class KindFilter(django_filters.ModelChoiceFilter):
    """申报主体: the awards open to one recipient kind (by its slug), read through the links' index rather
    than a join, so that an award is listed once."""

    field_class = PolicyChoiceField  # the same NUL-safe choice field: a NUL is an unknown kind

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(pk__in=AwardRecipientKind.objects.filter(kind=value).values("award_id"))


class FinderForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min"), cleaned.get("max")
        if low is not None and high is not None and low > high:
            self.add_error("min", _("最低金额不能大于最高金额。"))
        return cleaned


class AwardFilter(django_filters.FilterSet):
    """The finder's GET parameters. Bound to request.GET, it validates them (`is_valid()`, `errors`),
    filters and sorts finder_awards() (`qs`). It can count each facet with the database (`facets()`); the
    finder counts them from its tally (measures/public/finder/facets.py), and asks this only for what the
    tally does not hold."""

    min = WanFilter(field_name="amount_yuan", lookup_expr="gte", label=_("最低金额"))
    max = WanFilter(field_name="amount_yuan", lookup_expr="lte", label=_("最高金额"))
    band = django_filters.ChoiceFilter(
        label=_("金额区间"),
        choices=[(band.slug, band.label) for band in AMOUNT_BANDS],
        method="filter_band",
        error_messages={"invalid_choice": _("金额区间无效：“%(value)s”不是可选的值。")},
    )
    policy = PolicyFilter(
        label=_("政策"),
        field_name="listed_policy",
        to_field_name="slug",
        queryset=finder_policies,
        error_messages={"invalid_choice": _("政策无效：没有网址标识为“%(value)s”且录入了奖补的政策。")},
    )
    kind = KindFilter(
        label=_("申报主体"),
        field_name="recipient_kinds",  # what the OpenAPI document reads; filter() uses the links' index
        to_field_name="slug",
        queryset=RecipientKind.objects.public().in_order(),
        error_messages={"invalid_choice": _("申报主体无效：没有网址标识为“%(value)s”的申报主体类别。")},
    )
    pillar = WholeNumberFilter(
        label=_("方面"),
        field_name="listed_pillar_number",
        min_value=1,
        max_value=99,
        error_messages={key: _("方面无效：请填写方面的序号，如 2。") for key in ("invalid", "min_value", "max_value")},
    )
    recurrence = django_filters.ChoiceFilter(
        label=_("发放频次"),
        choices=Award.Recurrence.choices,
        error_messages={"invalid_choice": _("发放频次无效：“%(value)s”不是可选的值。")},
    )
    limit = django_filters.ChoiceFilter(
        label=_("金额性质"),
        choices=Award.Limit.choices,
        error_messages={"invalid_choice": _("金额性质无效：“%(value)s”不是可选的值。")},
    )
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=SORT_CHOICES,
        method="sort_by",
        error_messages={"invalid_choice": _("排序无效：“%(value)s”不是可选的值，只能按金额从高到低或从低到高。")},
    )

    # The parameters shown as facets, in the order the page lists them.
    FACETS = ("band", "policy", "pillar", "kind", "recurrence", "limit")

    class Meta:
        model = Award
        fields = []
        form = FinderForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, finder_awards() if queryset is None else queryset, **kwargs)

    def filter_band(self, queryset, name, value):
        return queryset.filter(BANDS_BY_SLUG[value].q)

    def sort_by(self, queryset, name, value):
        amount = "amount_yuan" if value == "amount" else "-amount_yuan"
        return queryset.order_by(amount, *ORDER_IN_POLICY)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.sort_by(queryset, "sort", DEFAULT_SORT)
        return queryset

    def error_messages(self) -> list[tuple[str, str]]:
        """(parameter, message) for each invalid parameter, in the order of the form."""
        return [(name, str(message)) for name, messages in self.errors.items() for message in messages]

    def selected(self) -> dict[str, str]:
        """The valid facet parameters given, as they appear in URLs ({'band': '1000-plus', 'pillar': '2'})."""
        cleaned = self.form.cleaned_data
        chosen = {name: cleaned.get(name) for name in self.FACETS}
        for name in ("policy", "kind"):
            if chosen[name] is not None:
                chosen[name] = chosen[name].slug
        return {name: str(value) for name, value in chosen.items() if value not in (None, "")}

    def facets(self) -> list["Facet"]:
        """Each facet's options with their counts, each counted with every filter applied except the
        facet's own: what the results would be after choosing that option. One query per facet, each
        reading every award the other filters select: for a question whose awards are few."""
        return [
            self._band_facet(),
            self.policy_facet(),
            self._grouped_facet("pillar", "listed_pillar_number", "listed_pillar__title"),
            self.kind_facet(),
            self._choice_facet("recurrence", Award.Recurrence.choices),
            self._choice_facet("limit", Award.Limit.choices),
        ]

    def _filtered_without(self, facet):
        """finder_awards() with every valid filter but `facet` (and unsorted, for grouping). The award's
        pillar is reached through its policy and pillar number (copied onto the award), not through its
        clause and measure: two small tables joined instead of two large ones."""
        queryset = self.queryset.alias(
            listed_pillar=FilteredRelation(
                "listed_policy__pillars", condition=Q(listed_policy__pillars__number=F("listed_pillar_number"))
            )
        )
        for name, value in self.form.cleaned_data.items():
            if name not in (facet, "sort"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def _band_facet(self):
        counts = self._filtered_without("band").aggregate(
            **{f"band_{i}": Count("pk", filter=band.q) for i, band in enumerate(AMOUNT_BANDS)}
        )
        options = [FacetOption(band.slug, band.label, counts[f"band_{i}"]) for i, band in enumerate(AMOUNT_BANDS)]
        return Facet("band", self.filters["band"].label, options)

    def policy_facet(self):
        return self._grouped_facet(
            "policy", "listed_policy__slug", "listed_policy__short_title", "listed_policy__title"
        )

    def kind_facet(self):
        """The kinds the awards are open to, in the kinds' order, each with its count (one query; an award
        open to two kinds counts in both, so the awards whatever their kind are not the sum: the finder
        counts them, as `total`). The chosen kind is listed even when nothing matches it, so that it shows
        as chosen."""
        awards = self._filtered_without("kind")
        rows = (
            AwardRecipientKind.objects.filter(award__in=awards.values("pk"))
            .values("kind__slug", "kind__name", "kind__name_en", "kind__order")
            .annotate(count=Count("award_id"))
            .order_by("kind__order", "kind__slug")
        )
        options = [
            FacetOption(row["kind__slug"], kind_label(row["kind__name"], row["kind__name_en"]), row["count"])
            for row in rows
        ]
        chosen = self.form.cleaned_data.get("kind")
        if chosen is not None and chosen.slug not in {option.value for option in options}:
            options.append(FacetOption(chosen.slug, kind_label(chosen.name, chosen.name_en), 0))
        return Facet("kind", self.filters["kind"].label, options)

    def _choice_facet(self, name, choices):
        rows = self._filtered_without(name).values(name).annotate(count=Count("pk"))
        counts = {row[name]: row["count"] for row in rows}
        options = [FacetOption(value, label, counts.get(value, 0)) for value, label in choices]
        return Facet(name, self.filters[name].label, options)

    def _grouped_facet(self, name, value_field, *label_fields):
        """A facet whose options come from the data, labelled by the first non-empty label field.
        One value may carry several labels (pillar 1 of two policies): they are joined. The value
        chosen in the URL is listed even when nothing matches it, so that it shows as chosen."""
        rows = (
            self._filtered_without(name)
            .values(value_field, *label_fields)
            .annotate(count=Count("pk"))
            .order_by(value_field, *label_fields)
        )
        merged = {}
        for row in rows:
            value = str(row[value_field])
            label = next((row[field] for field in label_fields if row[field]), value)
            labels, count = merged.get(value, ([], 0))
            merged[value] = ([*labels, label], count + row["count"])
        chosen = self.selected().get(name)
        if chosen is not None and chosen not in merged:
            policy = self.form.cleaned_data["policy"] if name == "policy" else None
            merged[chosen] = ([policy.short_title or policy.title] if policy else [], 0)
        options = [FacetOption(value, "／".join(labels), count) for value, (labels, count) in merged.items()]
        return Facet(name, self.filters[name].label, options)


@dataclass(frozen=True)
class FacetOption:
    value: str  # as it appears in the URL
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    name: str  # the GET parameter
    label: str
    options: list[FacetOption]
    total: int | None = None  # the awards whatever the option, where it is not the sum of the options' counts
    more: int = 0  # options not listed, left to a full list (the policies beyond the first few)
