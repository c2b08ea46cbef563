"""/api/v1/: read-only lists (paginated: count, next, previous, results) and details of the
published content. Each endpoint runs a fixed number of queries whatever the amount of data
(tests/test_api.py pins them): a list counts, then reads a page with everything it shows joined
or prefetched; a detail reads one row the same way."""

import functools

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import RecipientKind, attach_eligibility, attach_measure_facts
from measures.domain.models import Clause, Measure, Pillar, Policy
from measures.public import calculator, exports
from measures.public.api import serializers
from measures.public.api.filters import (
    ApiAwardFilter,
    ClauseFilter,
    FilterBackend,
    InvalidFilter,
    MeasureFilter,
    PillarFilter,
    QuestionFilter,
    RelatedDocumentFilter,
)
from measures.public.api.pagination import Pages, SearchPagination
from measures.public.api.schema import (
    INVALID_FILTER,
    NOT_FOUND,
    SERVER_ERROR,
    TOO_MANY_REQUESTS,
    UNAVAILABLE,
    ApiSchema,
    CalculatorSchema,
)
from measures.public.finder.filters import finder_awards
from measures.public.finder.tally import KnownCountPaginator, finder_count
from measures.public.library.filters import LibraryFilter
from measures.search import query as finder
from measures.search.widening import widen
from xmpolicy.nul import has_nul


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    schema = ApiSchema()
    pagination_class = Pages
    # Any id, even "1.5" or "a b", reaches the view and gets its JSON 404 (DRF's default leaves out dots).
    lookup_value_regex = "[^/]+"
    # A list's parameters, when it has any (filterset_class): a bad one is a 400 naming it.
    filter_backends = [FilterBackend]

    def get_object(self):
        # No id or slug holds a NUL, and PostgreSQL refuses one in a string it compares (a 500):
        # /api/v1/policies/%00/ is a 404 like any other unknown slug.
        if has_nul(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")):
            raise NotFound
        try:
            return super().get_object()
        except Http404:
            # Django's message names the model, in English ("No Award matches the given query.").
            raise NotFound from None


class AttachedViewSet(ReadOnlyViewSet):
    """A viewset whose objects carry what `attach` sets on them (measures/domain/eligibility.py), for
    each page and each detail: a fixed number of queries more, whatever the page's length."""

    attach = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return type(self).attach(page) if page is not None else page

    def get_object(self):
        obj = super().get_object()
        type(self).attach([obj])
        return obj


class PolicyViewSet(ReadOnlyViewSet):
    """Policies, with their validity and which of their declared measures are recorded (published); the
    list takes the policy library's filters (/policies/: `q`, `issuer`, `validity`, `year`, `has_awards`,
    `kind`, `sort`), which its catalogue applies (measures/public/library/), in the library's order."""

    serializer_class = serializers.PolicySerializer
    filterset_class = LibraryFilter
    lookup_field = "slug"
    queryset = Policy.objects.order_by("-issue_date", "slug").prefetch_related(
        "sources",
        # recorded_measure_numbers reads these: the published measures only.
        Prefetch("measures", queryset=Measure.objects.published().only("id", "number", "status", "policy_id")),
        Prefetch("related_documents", queryset=RelatedDocument.objects.for_display()),
    )

    def filter_queryset(self, queryset):
        # A policy's own address answers whatever the list's filters (and needs no catalogue).
        return queryset if self.action == "retrieve" else super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        """The library's policies in its order (the catalogue sorts them as the page does), then the page's
        rows read with what they show: one query and three prefetches, no COUNT."""
        library = LibraryFilter(request.GET, request=request)
        if not library.is_valid():
            raise InvalidFilter(library.errors)
        page = self.paginate_queryset([entry.policy.pk for entry in library.entries()])
        policies = self.get_queryset().in_bulk(page)
        return self.get_paginated_response(self.get_serializer([policies[pk] for pk in page], many=True).data)


class PillarViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PillarSerializer
    filterset_class = PillarFilter
    queryset = (
        Pillar.objects.select_related("policy")
        .only("id", "number", "title", "policy__slug")
        .order_by("policy__slug", "number")
    )


class MeasureViewSet(AttachedViewSet):
    """Published measures (a draft's id is a 404), with their application facts (`application`)."""

    attach = attach_measure_facts
    serializer_class = serializers.MeasureSerializer
    filterset_class = MeasureFilter
    queryset = (
        Measure.objects.published()
        .select_related("policy", "pillar")
        .only("id", "number", "title", "status", "checked_on", "policy__slug", "pillar__number")
        .order_by("policy__slug", "number")
    )


class ClauseViewSet(ReadOnlyViewSet):
    """Published clauses of published measures (never a draft, nor a pending draft of a change)."""

    serializer_class = serializers.ClauseSerializer
    filterset_class = ClauseFilter
    # The rows of the clauses download, in the same order: one query for a page.
    queryset = exports.published_clauses()


class QuestionViewSet(ReadOnlyViewSet):
    """Published 政策问答 of published measures (a draft's id is a 404), in the order of the policy."""

    serializer_class = serializers.QuestionSerializer
    filterset_class = QuestionFilter
    # The rows of the questions download, in the same order: one query for a page.
    queryset = exports.published_questions()


class AwardPagination(Pages):
    """Pages of the award finder's awards, their number read from its counts
    (measures/public/finder/tally.py) rather than by a COUNT(*) of the awards."""

    def paginate_queryset(self, queryset, request, view=None):
        count = finder_count(view.filterset, request)  # the filter backend kept the question on the view
        self.django_paginator_class = functools.partial(KnownCountPaginator, count=count)
        return super().paginate_queryset(queryset, request, view)


class RelatedDocumentViewSet(ReadOnlyViewSet):
    """Documents that implement, explain or cite a policy (相关文件), with the citing sentence quoted and
    the measures they concern; `policy` and `measure` filter them."""

    serializer_class = serializers.RelatedDocumentSerializer
    filter_backends = [FilterBackend]
    filterset_class = RelatedDocumentFilter
    queryset = RelatedDocument.objects.for_display().order_by("policy__slug", "position")


class AwardViewSet(AttachedViewSet):
    """The award finder's awards (published only), with its filters: `min`/`max` in 万元, inclusive
    (a `min` above `max` finds nothing); `band`, `policy`, `pillar`, `kind` (申报主体), `recurrence`,
    `limit`; `sort`: `-amount` (the default) or `amount` (`ordering`, its former name, still works). Each
    award says who can apply (`recipient_kinds`) and how (`application`; what no source gives: `pending`)."""

    attach = attach_eligibility
    serializer_class = serializers.AwardSerializer
    filterset_class = ApiAwardFilter
    pagination_class = AwardPagination

    def get_queryset(self):
        return finder_awards().for_finder()

    def filter_queryset(self, queryset):
        # A detail is found by id alone: the list's filters do not apply to it.
        return super().filter_queryset(queryset) if self.action == "list" else queryset


class RecipientKindViewSet(ReadOnlyViewSet):
    """Kinds of applicant (申报主体类别), in their order, each with its number of published awards and its
    address in the calculator."""

    serializer_class = serializers.RecipientKindSerializer
    lookup_field = "slug"
    filter_backends = []
    queryset = (
        RecipientKind.objects.public()
        .annotate(award_count=Count("award_links", filter=Q(award_links__award__is_public=True)))
        .order_by("order", "slug")
    )


@extend_schema(
    parameters=[
        OpenApiParameter(
            "kind",
            {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": calculator.MAX_KINDS},
            explode=True,
            required=True,
            description=(
                "申报主体类别的网址标识（见 /api/v1/recipient-kinds/），可重复，最多50个。未知或为空的类别、"
                "所选类别没有奖补时答 400 并指明是哪一个。"
            ),
        ),
        OpenApiParameter(
            "valid",
            {"type": "string", "enum": ["1", "0"]},
            description="1（默认）：只看今天有效的政策；0：包括已失效和尚未施行的政策。",
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1},
            description="奖补每页50项（合计 totals 包括所有页）；不存在的页答 404。",
        ),
    ],
    responses={
        200: serializers.CalculatorSerializer,
        400: INVALID_FILTER,
        404: NOT_FOUND,  # as every operation: a bad page or address under /api/
        429: TOO_MANY_REQUESTS,
        500: SERVER_ERROR,
        503: UNAVAILABLE,
    },
)
class CalculatorView(APIView):
    """政策计算器: every published award open to any of the kinds, as /api/v1/awards/ gives them (50 a page,
    `count` in all, `next` and `previous` pages as in the other lists), and their amounts summed by nature
    with the awards each sum adds up (never one sum: the policy does not say whether awards can be
    combined, which `notes` says). The same answer as /calculator/."""

    schema = CalculatorSchema()

    def get(self, request):
        query = calculator.CalculatorQuery.from_params(request.query_params, require_kind=True)
        answer = calculator.answer(query)
        if query.errors:
            errors = {}
            for name, message in query.errors:
                errors.setdefault(name, []).append(message)
            return Response({"errors": errors}, status=400)
        pages = Pages()
        pages.page_size = calculator.RESULTS_PER_PAGE
        awards = pages.paginate_queryset(answer.listed, request, view=self)
        data = {
            "count": answer.count,
            "next": pages.get_next_link(),
            "previous": pages.get_previous_link(),
            "kinds": query.kinds,
            "awards": attach_eligibility(awards),
            "totals": answer.totals,
            "notes": [str(note) for note in calculator.NOTES],
        }
        return Response(serializers.CalculatorSerializer(data, context={"request": request}).data)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description=(
                "检索词，以空格分隔；每个词都须出现在条款或其措施标题中。读作金额的词（三千万、3000万元、0.3亿）"
                "也找到有该金额奖补的条款，不论原文怎样写；金额范围（500万以上、100万到300万、300万以内，含两端）"
                "只保留有该范围内奖补的条款。检索词也按近义词（补贴：补助、资助）和申报主体的常见叫法"
                "（国家重点实验室：全国重点实验室）搜索，见 `widened`。与网站的 /search/ 相同。"
            ),
        )
    ]
)
class SearchView(generics.ListAPIView):
    """Published clauses matching every term of `q`, best first, as on /search/; an empty `q` finds nothing.
    At most 1000 are listed (`count` is then 1000): when more match, the first 1000 in the policies' order.
    `amounts` says how the terms read as amounts were understood, with the same amounts in the award finder;
    `widened`, which words a term was also searched with (its synonyms, a kind's name for its alias)."""

    schema = ApiSchema()
    serializer_class = serializers.SearchResultSerializer
    queryset = Clause.objects.none()  # tells the schema the model; get_queryset() gives the results
    pagination_class = SearchPagination

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        understood = serializers.AmountTermSerializer(
            self.get_query().amounts, many=True, context={"request": self.request}
        )
        widened = [{"term": widening.term, "words": list(widening.words)} for widening in self.get_query().widenings]
        response.data = {**response.data, "amounts": understood.data, "widened": widened}
        return response

    def get_query(self):
        if not hasattr(self, "_query"):
            self._query = widen(finder.parse_query(self.request.query_params.get("q")))
        return self._query

    def get_queryset(self):
        # A sequence the paginator slices a page at a time (measures/search/query.py): at most MAX_RANKED.
        return finder.Matches(self.get_query())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "query": self.get_query()}
