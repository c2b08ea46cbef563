"""Related documents (相关文件): documents that implement, explain or cite a policy, each with the
sentence that cites it, quoted, and the measures it concerns.

They are public content like a policy's sources: always visible (no drafts), kept with their history,
counted by the content revision's triggers (migration 0008), shown on the policy page and on the pages
of the measures they concern, in the API and in the downloads. What no source gives (a 文号, an issuing
body) is left empty and shown as 待录入, never guessed.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.domain.models import Audited, Measure, Policy, PublicationStatus

PUBLISHED = PublicationStatus.PUBLISHED


class RelatedDocumentQuerySet(models.QuerySet):
    def for_display(self):
        """Documents as the pages, the API and the downloads show them: the policy joined, the published
        measures they concern prefetched in their order (two queries)."""
        return self.select_related("policy").prefetch_related(
            models.Prefetch("measures", queryset=Measure.objects.published().for_tree().order_by("number"))
        )

    def listed(self) -> list["RelatedDocument"]:
        """These documents, each with `concerned_measures`: the published measures it concerns, in their
        order. Always two queries, with or without documents (a page's query count stays fixed)."""
        documents = list(self)
        links = (
            RelatedDocumentMeasure.objects.filter(document__in=self.values("pk"), measure__status=PUBLISHED)
            .select_related("measure")
            .only("document_id", "measure__id", "measure__number", "measure__title", "measure__policy_id")
            .order_by("measure__number")
        )
        concerned = {}
        for link in links:
            concerned.setdefault(link.document_id, []).append(link.measure)
        for document in documents:
            document.concerned_measures = concerned.get(document.pk, [])
        return documents

    def named(self, words):
        """The documents whose title or 文号 holds every one of `words` (Latin letters in any case), their
        policy joined, in order: what search lists beside the clauses (one query)."""
        documents = self
        for word in words:
            documents = documents.filter(models.Q(title__icontains=word) | models.Q(document_number__icontains=word))
        return documents.select_related("policy").order_by("policy_id", "position")

    def concerning(self, measure):
        """The documents that name `measure` among the measures they concern."""
        return self.filter(measure_links__measure=measure)


class RelatedDocument(Audited):
    class Relation(models.TextChoices):
        IMPLEMENTS = "implements", _("配套文件")
        INTERPRETS = "interprets", _("政策解读")
        DRAFT_FOR_COMMENT = "draft_for_comment", _("征求意见稿")
        CITES = "cites", _("引用")

    class DateKind(models.TextChoices):
        ISSUED = "issued", _("印发日期")
        PUBLISHED = "published", _("发布日期")
        REPUBLISHED = "republished", _("转载日期")

    policy = models.ForeignKey(Policy, verbose_name="政策", on_delete=models.PROTECT, related_name="related_documents")
    position = models.PositiveSmallIntegerField("顺序", default=1, help_text="在政策的相关文件中排第几，从1开始。")
    title = models.CharField("标题", max_length=200, help_text="文件全称，不含书名号，照来源录入。")
    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="来源未给出时留空：公众页面显示“待录入”，不要推测。"
    )
    issuing_body = models.CharField(
        "发文机关", max_length=200, blank=True, help_text="来源未写明时留空：公众页面显示“待录入”。"
    )
    date = models.DateField("日期", null=True, blank=True, help_text="来源给出的日期；不知道时留空。")
    date_kind = models.CharField(
        "日期性质",
        max_length=12,
        choices=DateKind.choices,
        default=DateKind.PUBLISHED,
        help_text="这个日期是文件的印发日期、发布日期，还是转载页面的日期。",
    )
    url = models.URLField("链接", max_length=500, blank=True, help_text="可以读到这份文件的网址。")
    relation = models.CharField(
        "与政策的关系",
        max_length=20,
        choices=Relation.choices,
        help_text="配套文件：落实本政策的文件；政策解读；征求意见稿：尚未定稿的配套文件；引用：只提到本政策。",
    )
    quotation = models.TextField(
        "引用原文", blank=True, help_text="文件中提到本政策的那一句，照录原文（包括原文的标点），不要改写。"
    )
    note = models.CharField("说明", max_length=300, blank=True, help_text="向公众显示：来源的情况、尚未确认的事项。")
    measures = models.ManyToManyField(
        Measure,
        through="RelatedDocumentMeasure",
        related_name="related_documents",
        blank=True,
        verbose_name="涉及的措施",
    )

    objects = RelatedDocumentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "同一政策下已有相同顺序号的相关文件，请换一个顺序号。"

    class Meta:
        verbose_name = "相关文件"
        verbose_name_plural = "相关文件"
        ordering = ["policy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "position"], name="related_document_position_unique"),
        ]

    def __str__(self):
        return f"《{self.title}》"


class RelatedDocumentMeasure(Audited):
    """That a related document concerns a measure: one row per measure, edited on the document's page."""

    document = models.ForeignKey(
        RelatedDocument, verbose_name="相关文件", on_delete=models.CASCADE, related_name="measure_links"
    )
    # PROTECT: a measure named by a document is unlinked on the document's page before it can go.
    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="document_links")

    history = HistoricalRecords()

    duplicate_number_message = "这份文件已经关联了这条措施。"

    class Meta:
        verbose_name = "涉及的措施"
        verbose_name_plural = "涉及的措施"
        ordering = ["document", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["document", "measure"], name="related_document_measure_unique"),
        ]

    def __str__(self):
        return str(self.measure) if self.measure_id else "—"

    def clean(self):
        """A document names measures of its own policy (the pages link them under its slug)."""
        try:
            document = self.document
        except RelatedDocument.DoesNotExist:
            document = None
        if document is not None and self.measure_id and self.measure.policy_id != document.policy_id:
            raise ValidationError({"measure": "只能关联这份文件所属政策中的措施。"})
