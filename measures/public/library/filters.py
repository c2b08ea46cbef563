"""The library's parameters, one FilterSet for the page (/policies/), its CSV (/policies/export.csv) and the
API's /api/v1/policies/, so that the three read the same names with the same meanings and messages.

The parameters are checked by the FilterSet's form (every message names its parameter, in the words the
page uses for it); an issuer or a kind is checked against the catalogue (measures/public/library/catalogue.py),
which also does the filtering, counting and sorting (`select`, `facets`), in Python, with no query.
"""

import dataclasses
from dataclasses import dataclass

import django_filters
from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from measures.domain.models import Policy
from measures.public.finder.filters import Facet, FacetOption, WholeNumberFilter
from measures.public.formatting import kind_label
from measures.public.library.catalogue import Catalogue, LibraryEntry, Validity, catalogue_for, searchable
from measures.text import money
from xmpolicy.nul import without_nul

MAX_WORDS = 100  # characters of `q` searched for at most

LIBRARY_SORT_CHOICES = (
    ("-date", _("印发日期从新到旧")),
    ("date", _("印发日期从旧到新")),
    ("title", _("按标题")),
)
LIBRARY_DEFAULT_SORT = "-date"
HAS_AWARDS_CHOICES = (("yes", _("已录入奖补")), ("no", _("未录入奖补")))


class WordsField(forms.CharField):
    """Free text: a NUL is dropped (PostgreSQL refuses one), and so is what is longer than MAX_WORDS."""

    def to_python(self, value):
        return without_nul(super().to_python(value)).strip()[:MAX_WORDS]


class WordsFilter(django_filters.CharFilter):
    field_class = WordsField


class IssuerFilter(WordsFilter):
    """发文机关: one of the catalogue's issuers (the OpenAPI document lists them)."""


class LibraryKindFilter(WordsFilter):
    """申报主体: the slug of a public recipient kind (the OpenAPI document lists them)."""


class LibraryForm(forms.Form):
    """The parameters' form; `catalogue` (set by LibraryFilter) says which issuers and kinds exist."""

    catalogue: Catalogue | None = None

    def clean_issuer(self):
        issuer = self.cleaned_data.get("issuer")
        if issuer and issuer not in self.catalogue.issuers:
            raise forms.ValidationError(_("发文机关无效：没有发文机关为“%(value)s”的政策。"), params={"value": issuer})
        return issuer or None

    def clean_kind(self):
        slug = self.cleaned_data.get("kind")
        if not slug:
            return None
        kind = self.catalogue.kinds_by_slug.get(slug)
        if kind is None:
            raise forms.ValidationError(
                _("申报主体无效：没有网址标识为“%(value)s”的申报主体类别。"), params={"value": slug}
            )
        return kind


def _unchanged(queryset, name, value):
    return queryset  # the catalogue filters (LibraryFilter.filter_queryset)


class LibraryFilter(django_filters.FilterSet):
    """The library's GET parameters. Bound to request.GET with the request's catalogue, it validates them
    (`is_valid()`, `errors`), lists the matching policies (`entries()`) and counts each facet (`facets()`)."""

    q = WordsFilter(label=_("标题、简称或文号"), method=_unchanged)
    issuer = IssuerFilter(label=_("发文机关"), method=_unchanged)
    validity = django_filters.ChoiceFilter(
        label=_("有效性"),
        choices=Validity.choices,
        method=_unchanged,
        error_messages={"invalid_choice": _("有效性无效：“%(value)s”不是可选的值。")},
    )
    year = WholeNumberFilter(
        label=_("印发年份"),
        field_name="issue_date",  # for the OpenAPI document, which reads an integer from WholeNumberFilter
        method=_unchanged,
        min_value=1900,
        max_value=2999,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), _("印发年份无效：请填写四位数的年份，如 2025。")
        ),
    )
    has_awards = django_filters.ChoiceFilter(
        label=_("奖补"),
        choices=HAS_AWARDS_CHOICES,
        method=_unchanged,
        error_messages={"invalid_choice": _("奖补无效：“%(value)s”不是可选的值，只能是 yes 或 no。")},
    )
    kind = LibraryKindFilter(label=_("申报主体"), method=_unchanged)
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=LIBRARY_SORT_CHOICES,
        method=_unchanged,
        error_messages={"invalid_choice": _("排序无效：“%(value)s”不是可选的值，只能按印发日期或标题排序。")},
    )

    # The parameters shown as facets, in the order the page lists them.
    FACETS = ("validity", "issuer", "year", "has_awards", "kind")

    class Meta:
        model = Policy
        fields = []
        form = LibraryForm

    def __init__(self, data=None, queryset=None, *, catalogue=None, today=None, request=None, **kwargs):
        """`catalogue`: the request's (catalogue_for) unless given; `today`: today in Xiamen unless given."""
        super().__init__(data, Policy.objects.all() if queryset is None else queryset, request=request, **kwargs)
        self.catalogue = catalogue if catalogue is not None else catalogue_for(request)
        self.today = today or timezone.localdate()

    @property
    def form(self):
        form = super().form
        form.catalogue = self.catalogue
        return form

    def error_messages(self) -> list[tuple[str, str]]:
        """(parameter, message) for each invalid parameter, in the order of the form."""
        return [(name, str(message)) for name, messages in self.errors.items() for message in messages]

    def selected(self) -> dict[str, str]:
        """The valid facet parameters given, as they appear in URLs."""
        cleaned = self.form.cleaned_data
        chosen = {name: cleaned.get(name) for name in self.FACETS}
        if chosen["kind"] is not None:
            chosen["kind"] = chosen["kind"].slug
        return {name: str(value) for name, value in chosen.items() if value not in (None, "")}

    def filter_queryset(self, queryset):
        """The matching policies as a QuerySet (unsorted): for what reads them from the database."""
        return queryset.filter(pk__in=[entry.policy.pk for entry in self.entries()])

    # What the catalogue does with the parameters

    def _tests(self) -> dict:
        """For each filter given (`q` too), a test of an entry."""
        cleaned = self.form.cleaned_data
        validity = self.catalogue.validity(self.today)
        tests = {}
        if cleaned.get("q"):
            words = searchable(cleaned["q"])
            tests["q"] = lambda entry: words in entry.search_text
        if cleaned.get("issuer"):
            tests["issuer"] = lambda entry, issuer=cleaned["issuer"]: issuer in entry.issuers
        if cleaned.get("validity"):
            tests["validity"] = lambda entry, wanted=cleaned["validity"]: validity[entry.policy.pk] == wanted
        if cleaned.get("year") is not None:
            tests["year"] = lambda entry, year=cleaned["year"]: entry.policy.issue_date.year == year
        if cleaned.get("has_awards"):
            tests["has_awards"] = lambda entry, wanted=cleaned["has_awards"] == "yes": bool(entry.award_count) == wanted
        if cleaned.get("kind") is not None:
            tests["kind"] = lambda entry, pk=cleaned["kind"].pk: pk in entry.kind_ids
        return tests

    def entries(self) -> list[LibraryEntry]:
        """The matching policies, sorted (by `sort`, newest first by default)."""
        tests = list(self._tests().values())
        found = [entry for entry in self.catalogue.entries if all(test(entry) for test in tests)]
        sort = self.form.cleaned_data.get("sort") or LIBRARY_DEFAULT_SORT
        if sort == "date":
            found.sort(key=lambda entry: (entry.policy.issue_date, entry.policy.slug))
        elif sort == "title":
            found.sort(key=lambda entry: (entry.policy.title, entry.policy.slug))
        return found  # the catalogue's order: newest first

    def facets(self) -> list[Facet]:
        """Each facet's options with their counts, each counted with every filter applied but the facet's
        own: what the results would be once it is chosen. One pass over the catalogue."""
        tests = self._tests()
        validity = self.catalogue.validity(self.today)
        counts = {name: {} for name in self.FACETS}
        totals = dict.fromkeys(self.FACETS, 0)
        for entry in self.catalogue.entries:
            failed = [name for name, test in tests.items() if not test(entry)]
            if len(failed) > 1 or failed == ["q"]:
                continue
            values = {
                "validity": (validity[entry.policy.pk].value,),
                "issuer": entry.issuers,
                "year": (entry.policy.issue_date.year,),
                "has_awards": ("yes" if entry.award_count else "no",),
                "kind": entry.kind_ids,
            }
            for name in failed or self.FACETS:
                totals[name] += 1
                for value in values[name]:
                    counts[name][value] = counts[name].get(value, 0) + 1
        chosen = self.selected()
        label = {name: self.filters[name].label for name in self.FACETS}
        facets = {
            "validity": Facet(
                "validity",
                label["validity"],
                [FacetOption(value, text, counts["validity"].get(value, 0)) for value, text in Validity.choices],
            ),
            "has_awards": Facet(
                "has_awards",
                label["has_awards"],
                [FacetOption(value, text, counts["has_awards"].get(value, 0)) for value, text in HAS_AWARDS_CHOICES],
            ),
            "year": Facet(
                "year",
                label["year"],
                [
                    FacetOption(str(year), str(year), counts["year"].get(year, 0))
                    for year in self.catalogue.years
                    if counts["year"].get(year) or str(year) == chosen.get("year")
                ],
                total=totals["year"],
            ),
            "kind": Facet(
                "kind",
                label["kind"],
                [
                    FacetOption(kind.slug, kind_label(kind.name, kind.name_en), counts["kind"].get(kind.pk, 0))
                    for kind in self.catalogue.kinds
                    if counts["kind"].get(kind.pk) or kind.slug == chosen.get("kind")
                ],
                total=totals["kind"],  # a policy open to two kinds counts in both
            ),
            "issuer": self._issuer_facet(label["issuer"], counts["issuer"], totals["issuer"], chosen.get("issuer")),
        }
        if chosen.get("year") and not any(option.value == chosen["year"] for option in facets["year"].options):
            facets["year"].options.insert(0, FacetOption(chosen["year"], chosen["year"], 0))
        # A library of one policy, or of one issuer, reads better without choices that change nothing: the
        # options that would find nothing are left out (but the chosen one), and so is a facet none of
        # whose options would narrow the list (unless one is chosen).
        shown = []
        for name in self.FACETS:
            facet = facets[name]
            options = [option for option in facet.options if option.count or option.value == chosen.get(name)]
            if name in chosen or any(0 < option.count < totals[name] for option in options):
                shown.append(dataclasses.replace(facet, options=options))
        return shown

    def _issuer_facet(self, label, counts, total, chosen) -> Facet:
        """The issuers of the matching policies, most policies first; the chosen one even when it has none.
        A library names a few dozen issuers at most: all are listed."""
        names = sorted((name for name in counts if counts[name]), key=lambda name: (-counts[name], name))
        if chosen and chosen not in names:
            names.append(chosen)
        return Facet("issuer", label, [FacetOption(name, name, counts.get(name, 0)) for name in names], total=total)

    def listed(self) -> list["Listed"]:
        """entries(), each with its validity today."""
        validity = self.catalogue.validity(self.today)
        return [Listed(entry, validity[entry.policy.pk]) for entry in self.entries()]


@dataclass(frozen=True)
class Listed:
    """A policy as the library lists it: its entry and its validity today."""

    entry: LibraryEntry
    validity: Validity

    @property
    def largest_award_text(self) -> str:
        """The largest award's amount in the interface language ("3000万元"), "" without awards."""
        yuan = self.entry.largest_award_yuan
        return "" if yuan is None else money.format_amount_in(yuan, translation.get_language())
