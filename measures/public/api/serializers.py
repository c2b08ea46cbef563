"""What each API object carries. Every value comes from the domain (display texts, 万元, URLs,
validity), never recomputed here; none of the editing internals (history, versions, editors,
search tokens, drafts) is a field."""

import html
import re

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from measures.domain.documents import RelatedDocument
from measures.domain.eligibility import ApplicationFacts, RecipientKind
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.domain.questions import QuestionAnswer
from measures.public.formatting import site_url
from measures.search import query as finder
from measures.text import money


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicySource
        fields = ["label", "url", "note"]


class ConcernedMeasureSerializer(serializers.Serializer):
    """A measure a related document concerns."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class RelatedDocumentSerializer(serializers.ModelSerializer):
    """A document that implements, explains or cites a policy. An empty document_number or issuing_body
    means no source gives it (the site shows 待录入)."""

    policy = serializers.CharField(source="policy.slug", read_only=True)
    relation_label = serializers.CharField(source="get_relation_display", read_only=True)
    date_kind_label = serializers.CharField(source="get_date_kind_display", read_only=True)
    measures = serializers.SerializerMethodField()

    class Meta:
        model = RelatedDocument
        fields = [
            "id",
            "policy",
            "title",
            "document_number",
            "issuing_body",
            "date",
            "date_kind",
            "date_kind_label",
            "url",
            "relation",
            "relation_label",
            "quotation",
            "note",
            "measures",
        ]

    @extend_schema_field(ConcernedMeasureSerializer(many=True))
    def get_measures(self, document) -> list:
        """The published measures it concerns (a document names measures of its own policy)."""
        slug = document.policy.slug
        return [
            {
                "number": measure.number,
                "title": measure.title,
                "url": site_url(reverse("measures:measure", kwargs={"slug": slug, "number": measure.number})),
            }
            for measure in document.measures.all()
        ]


class PolicySerializer(serializers.ModelSerializer):
    expiry_date = serializers.DateField(read_only=True, allow_null=True)
    validity_status = serializers.SerializerMethodField()
    validity_status_label = serializers.SerializerMethodField()
    recorded_measure_numbers = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    pending_measure_numbers = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    related_documents = RelatedDocumentSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = [
            "slug",
            "title",
            "short_title",
            "document_number",
            "issuing_bodies",
            "issue_date",
            "issue_date_confirmed",
            "issue_date_note",
            "effective_date",
            "validity_years",
            "expiry_date",
            "validity_status",
            "validity_status_label",
            "declared_measure_count",
            "recorded_measure_numbers",
            "pending_measure_numbers",
            "sources",
            "related_documents",
            "url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Policy.ValidityStatus.choices))
    def get_validity_status(self, policy) -> str:
        return policy.validity_status(timezone.localdate()).value

    def get_validity_status_label(self, policy) -> str:
        return str(policy.validity_status(timezone.localdate()).label)

    def get_url(self, policy) -> str:
        return site_url(policy.get_absolute_url())


class PillarSerializer(serializers.ModelSerializer):
    policy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Pillar
        fields = ["id", "number", "title", "policy", "url"]

    def get_url(self, pillar) -> str:
        return site_url(reverse("measures:pillar", kwargs={"slug": pillar.policy.slug, "number": pillar.number}))


class RecipientKindSerializer(serializers.ModelSerializer):
    """A kind of applicant (申报主体类别). `award_count`: its published awards. `name_en` is the site's own
    unofficial English gloss; `aliases` are what people commonly call it, not the policy's words."""

    group_label = serializers.CharField(source="get_group_display", read_only=True)
    aliases = serializers.ListField(
        source="alias_list", child=serializers.CharField(), read_only=True, help_text="常见叫法（非政策原文）"
    )
    award_count = serializers.IntegerField(read_only=True)
    calculator_url = serializers.SerializerMethodField()

    class Meta:
        model = RecipientKind
        fields = [
            "slug",
            "name",
            "name_en",
            "aliases",
            "group",
            "group_label",
            "explanation",
            "award_count",
            "calculator_url",
        ]

    def get_calculator_url(self, kind) -> str:
        return site_url(f"{reverse('measures:calculator')}?kind={kind.slug}")


class KindRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()


class DepartmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="空字符串表示待录入")
    website = serializers.CharField(help_text="空字符串表示待录入")
    address = serializers.CharField(help_text="空字符串表示待录入")


class GuideSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()


class WindowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["year_round", "dates", "annual_notice"])
    label = serializers.CharField()
    opens = serializers.DateField(allow_null=True)
    closes = serializers.DateField(allow_null=True)


class ExpectedWindowSerializer(serializers.Serializer):
    opens = serializers.DateField(allow_null=True)
    closes = serializers.DateField(allow_null=True)
    basis = serializers.CharField(help_text="编辑预计的依据，如“以往年度通知于3月发布”")


class EntrySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="官方办理系统或窗口的名称")
    url = serializers.CharField(help_text="官方办理系统的网址（http 或 https）；空字符串表示没有网址")
    online = serializers.BooleanField(allow_null=True, help_text="true：网上办理；false：线下办理；null：待录入")


class ApplicationFactsSerializer(serializers.Serializer):
    """How to apply (申兑信息). A fact no source gives is null or empty, and named in `pending` (待录入)."""

    departments = DepartmentSerializer(many=True)
    delivery_mode = serializers.ChoiceField(choices=["automatic", "on_application"], allow_null=True)
    delivery_mode_label = serializers.CharField(allow_null=True)
    window = WindowSerializer(allow_null=True)
    expected_window = ExpectedWindowSerializer(
        allow_null=True, help_text="预计的申报时间（预计），只在没有正式申报时间（常年受理或起止日期）时给出"
    )
    entry = EntrySerializer(allow_null=True, help_text="去办理：官方办理入口；null 表示待录入")
    guides = GuideSerializer(many=True)
    materials = serializers.CharField()
    hotline = serializers.CharField()
    pending = serializers.ListField(child=serializers.CharField(), source="missing")

    def to_representation(self, facts: ApplicationFacts):
        # Written out, as AwardSerializer's (fifty a page): the fields above describe it.
        window, expected, entry = facts.window, facts.expected_window, facts.entry
        return {
            "departments": [
                {"name": d.name, "phone": d.phone, "website": d.website, "address": d.address}
                for d in facts.departments
            ],
            "delivery_mode": facts.delivery_mode,
            "delivery_mode_label": str(facts.delivery_mode_label) if facts.delivery_mode else None,
            "window": None
            if window is None
            else {
                "kind": window.kind,
                "label": str(window.label),
                "opens": window.opens.isoformat() if window.opens else None,
                "closes": window.closes.isoformat() if window.closes else None,
            },
            "expected_window": None
            if expected is None
            else {
                "opens": expected.opens.isoformat() if expected.opens else None,
                "closes": expected.closes.isoformat() if expected.closes else None,
                "basis": expected.basis,
            },
            "entry": None if entry is None else {"name": entry.name, "url": entry.url, "online": entry.online},
            "guides": [{"title": guide.title, "url": guide.url} for guide in facts.guides],
            "materials": facts.materials,
            "hotline": facts.hotline,
            "pending": facts.missing,
        }


class MeasureSerializer(serializers.ModelSerializer):
    """A measure; `application` is its own application facts (an award may differ: see its own), which
    the views set as `facts` (measures.domain.eligibility.attach_measure_facts)."""

    pillar = serializers.IntegerField(source="pillar.number", read_only=True)
    policy = serializers.CharField(source="policy.slug", read_only=True)
    url = serializers.SerializerMethodField()
    application = ApplicationFactsSerializer(source="facts", read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "number", "title", "pillar", "policy", "url", "checked_on", "application"]

    def get_url(self, measure) -> str:
        return site_url(measure.get_absolute_url())


class ClauseSerializer(serializers.ModelSerializer):
    provenance_label = serializers.CharField(source="get_provenance_display", read_only=True)
    measure = serializers.IntegerField(source="measure.number", read_only=True)
    pillar = serializers.IntegerField(source="measure.pillar.number", read_only=True)
    policy = serializers.CharField(source="measure.policy.slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "position",
            "text",
            "provenance",
            "provenance_label",
            "source_url",
            "is_complete",
            "measure",
            "pillar",
            "policy",
            "url",
        ]

    def get_url(self, clause) -> str:
        return site_url(clause.get_absolute_url())


class QuestionSerializer(serializers.ModelSerializer):
    """A published 政策问答 of a measure: the question as the editors word it (nothing about who asked),
    the answer and its date; `clause`: the paragraph it concerns, null when it concerns the whole measure."""

    measure = serializers.IntegerField(source="measure.number", read_only=True)
    policy = serializers.CharField(source="measure.policy.slug", read_only=True)
    clause = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = QuestionAnswer
        fields = ["id", "position", "question", "answer", "answered_on", "clause", "measure", "policy", "url"]

    def get_clause(self, question) -> int | None:
        return question.public_clause_position()

    def get_url(self, question) -> str:
        return site_url(question.get_absolute_url())


class AwardSerializer(serializers.ModelSerializer):
    """An award; `recipient_kinds` and `application` read `kinds` and `facts`, which
    measures.domain.eligibility.attach_eligibility sets (the views call it on each page)."""

    amount_wan = serializers.SerializerMethodField()
    display_text = serializers.CharField(read_only=True)
    measure = serializers.IntegerField(source="clause.measure.number", read_only=True)
    clause = serializers.IntegerField(source="clause.position", read_only=True)
    pillar = serializers.IntegerField(source="clause.measure.pillar.number", read_only=True)
    policy = serializers.CharField(source="clause.measure.policy.slug", read_only=True)
    clause_url = serializers.SerializerMethodField()
    recipient_kinds = KindRefSerializer(source="kinds", many=True, read_only=True)
    application = ApplicationFactsSerializer(source="facts", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "amount_yuan",
            "amount_wan",
            "display_text",
            "limit",
            "recurrence",
            "per_recipient",
            "nature",
            "recipient",
            "condition",
            "basis",
            "source_phrase",
            "policy",
            "pillar",
            "measure",
            "clause",
            "clause_url",
            "recipient_kinds",
            "application",
        ]

    @extend_schema_field({"type": "string", "format": "decimal", "example": "3000"})
    def get_amount_wan(self, award) -> str:
        """A decimal string ("3000", "0.5"): exact, unlike a JSON number read as a float."""
        return str(money.yuan_to_wan(award.amount_yuan))

    def get_clause_url(self, award) -> str:
        return site_url(award.clause.get_absolute_url())

    def to_representation(self, award):
        # The fields above, written out (the schema still reads them): DRF's walk of them, field by field,
        # cost as much as reading the page of awards. tests/test_api.py checks that both give the same.
        clause = award.clause
        measure = clause.measure
        return {
            "id": award.pk,
            "amount_yuan": award.amount_yuan,
            "amount_wan": self.get_amount_wan(award),
            "display_text": award.display_text,
            "limit": award.limit,
            "recurrence": award.recurrence,
            "per_recipient": award.per_recipient,
            "nature": award.nature,
            "recipient": award.recipient,
            "condition": award.condition,
            "basis": award.basis,
            "source_phrase": award.source_phrase,
            "policy": measure.policy.slug,
            "pillar": measure.pillar.number,
            "measure": measure.number,
            "clause": clause.position,
            "clause_url": self.get_clause_url(award),
            "recipient_kinds": [{"slug": kind.slug, "name": kind.name, "group": kind.group} for kind in award.kinds],
            "application": self.fields["application"].to_representation(award.facts),
        }


class TotalSerializer(serializers.Serializer):
    """A sum of amounts of one nature, with the awards it adds up (measures/public/calculator.py)."""

    recurrence = serializers.CharField(help_text="once、per_year 或 unspecified；按投入计算的金额为空字符串")
    limit = serializers.CharField(help_text="exact 或 ceiling；按投入计算的金额为空字符串")
    on_input = serializers.BooleanField(help_text="金额按投入等计算（如“按设备投入情况”），为最高数")
    amount_yuan = serializers.IntegerField()
    award_ids = serializers.ListField(child=serializers.IntegerField())
    label = serializers.CharField()
    expression = serializers.CharField(help_text="如“3000 + 200 = 3200万元”")


class CalculatorSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="所有页的奖补数")
    next = serializers.URLField(allow_null=True, help_text="下一页的地址，最后一页为 null")
    previous = serializers.URLField(allow_null=True, help_text="上一页的地址，第一页为 null")
    kinds = KindRefSerializer(many=True)
    awards = AwardSerializer(many=True, help_text="这一页的奖补")
    totals = TotalSerializer(many=True, help_text="所有页的奖补按性质分别合计")
    notes = serializers.ListField(child=serializers.CharField())


_MARK = re.compile(r"</?mark>")


def plain(snippet) -> str:
    """measures.search.query.highlight()'s HTML as plain text: in it every '<' of the text is escaped,
    so only the <mark> tags are tags."""
    return html.unescape(_MARK.sub("", str(snippet)))


class SearchResultSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="measure.number", read_only=True)
    measure_title = serializers.CharField(source="measure.title", read_only=True)
    policy = serializers.CharField(source="measure.policy.slug", read_only=True)
    snippet = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = ["id", "policy", "measure", "measure_title", "position", "provenance", "is_complete", "snippet", "url"]

    def get_snippet(self, clause) -> str:
        """The part of the clause around the first term found, as on /search/, without highlighting."""
        query = self.context["query"]
        return plain(finder.highlight(clause.text, query.marked, amounts=query.amounts))

    def get_url(self, clause) -> str:
        return site_url(clause.get_absolute_url())


class AmountTermSerializer(serializers.Serializer):
    """How a search term was read as an amount (measures/search/query.py's AmountTerm)."""

    term = serializers.CharField(help_text="检索词，如“500万以上”")
    min_yuan = serializers.IntegerField(source="low", allow_null=True, help_text="最低金额（元，含），无下限时为 null")
    max_yuan = serializers.IntegerField(source="high", allow_null=True, help_text="最高金额（元，含），无上限时为 null")
    exact = serializers.BooleanField(help_text="true：一个金额（不论写法）；false：金额范围")
    description = serializers.CharField(help_text="如“金额 ≥ 500万元”")
    beyond_any_award = serializers.BooleanField(help_text="true：金额超出任何奖补（1万亿元以上），找不到条款")
    finder_url = serializers.SerializerMethodField(
        help_text="奖补查询中同样金额的网址（/awards/?min=…&max=…）；超出任何奖补时为 null"
    )

    def get_finder_url(self, amount) -> str | None:
        return site_url(amount.finder_url) if amount.finder_url is not None else None
