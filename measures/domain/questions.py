"""政策问答: a question about a measure, as the editors word it, with the bureau's answer, published on the
measure's page (国办发〔2019〕14号 asks for 政策简明问答 beside a policy).

A 问答 is content like a clause: it has its own history (who changed what and why), a draft state that
only editors see, and the public history follows it (measures/domain/public_history.py, subject 'qa').
The public sees it when it is published and its measure is (`QuestionAnswerQuerySet.published`,
`is_public_question`; migration 0030's triggers count a write of such a row in the content revision).

It never holds anything about who asked: no name, no address, no reference to a visitor's message. A
visitor's question (the feedback queue) becomes a 问答 through `QuestionAnswer.draft_from`, which copies
only the wording; an editor then edits it, writes the answer, and a reviewer publishes it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from measures.domain.models import (
    Audited,
    BatchedHistory,
    Clause,
    ContentQuerySet,
    Measure,
    PublicationStatus,
    is_public_clause,
)


def is_public_question(*, status, measure_status) -> bool:
    """Whether the public sees a 问答: the one rule, in Python (the QuerySet and the migration's SQL say the same)."""
    return status == PublicationStatus.PUBLISHED and measure_status == PublicationStatus.PUBLISHED


class QuestionAnswerQuerySet(ContentQuerySet):
    def published(self):
        """The 问答 the public sees: published, on a published measure."""
        return self.filter(status=PublicationStatus.PUBLISHED, measure__status=PublicationStatus.PUBLISHED)

    def named(self, word_groups, limit: int):
        """The published 问答 holding, in the question or the answer, one word of every group (Latin letters
        in any case; search's terms, each with the words it is widened to), their measure and policy
        joined, in the order of the policies, at most `limit`: what search lists beside the clauses (one
        query). A plain substring test on a few short rows, like the clauses' rule in measures/search/match.py."""
        questions = self.published()
        for group in word_groups:
            matches = models.Q()
            for word in group:
                matches |= models.Q(question__icontains=word) | models.Q(answer__icontains=word)
            questions = questions.filter(matches)
        ordered = questions.select_related("measure__policy").defer("measure__policy__preamble")
        return ordered.order_by("measure__policy__slug", "measure__number", "position", "pk")[:limit]

    def for_page(self):
        """What the measure page and the API show: in order, with the clause each concerns (its position,
        when that clause is public: a draft clause's number is not shown). One query."""
        return self.order_by("position", "pk").select_related("clause", "clause__measure")


class QuestionAnswer(Audited):
    measure = models.ForeignKey(Measure, verbose_name="所属措施", on_delete=models.PROTECT, related_name="questions")
    clause = models.ForeignKey(
        Clause,
        verbose_name="涉及的条款",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text="问答只涉及本条措施的某一段时选择；公开页面链接到那一段。",
    )
    # Deleting the clause empties the link (SET_NULL, an UPDATE by Django's collector: no version of the
    # 问答 is recorded for it). The link is not shown in the public history, only on the page, which
    # reads it live.
    position = models.PositiveSmallIntegerField("顺序", default=1, help_text="在本条措施的问答中排第几，从1开始。")
    question = models.TextField(
        "问题",
        help_text="由编辑整理的问题文字：可以改写访客的原话，但不得写入提问人的姓名、电话、邮箱等个人信息。",
    )
    answer = models.TextField("答复", help_text="向公众公开的答复，依据政策原文，不得编造条款或金额。")
    answered_on = models.DateField("答复日期", default=timezone.localdate, help_text="向公众显示的答复日期。")
    status = models.CharField(
        "发布状态",
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        help_text="草稿只有编辑能看到；审核人发布后才出现在措施页面、修改记录、接口、下载和搜索中。",
    )

    objects = QuestionAnswerQuerySet.as_manager()
    history = HistoricalRecords(bases=[BatchedHistory])

    duplicate_number_message = "本条措施中已有相同顺序的问答，请换一个顺序号。"

    class Meta:
        verbose_name = "政策问答"
        verbose_name_plural = "政策问答"
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="question_position_unique_in_measure"),
        ]

    def __str__(self):
        return f"问答{self.position}：{self.question[:30]}"

    def clean(self):
        if self.clause_id is not None and self.measure_id is not None and self.clause.measure_id != self.measure_id:
            raise ValidationError({"clause": "涉及的条款必须是所属措施中的一段。"})

    @property
    def anchor(self) -> str:
        """Its place on the measure page ('qa-3'), inside the 政策问答 section ('#questions')."""
        return f"qa-{self.position}"

    @classmethod
    def draft_from(cls, *, measure, question: str, clause=None) -> "QuestionAnswer":
        """A new, unsaved draft 问答 of `measure` holding a visitor's question as its wording (the seam for
        the feedback queue: copy only the text, never who asked). Its answer is empty and its position the
        next free one: the editor completes it and saves it with a reason; a reviewer publishes it.

        The admin's add page can be prefilled the same way: /admin/measures/questionanswer/add/?measure=<id>
        &clause=<id>&question=<text>. One query (the next position)."""
        last = cls.objects.filter(measure=measure).aggregate(models.Max("position"))["position__max"]
        return cls(
            measure=measure,
            clause=clause,
            question=question,
            answer="",
            position=(last or 0) + 1,
            status=PublicationStatus.DRAFT,
        )

    def public_clause_position(self) -> int | None:
        """The paragraph this 问答 concerns, when the public sees that paragraph on the measure's page
        (reads self.clause: select it, as for_page() does). A 问答 read from its history for a past day
        carries that day's answer in `_clause_position` instead (measures/public/timeline.py)."""
        if hasattr(self, "_clause_position"):
            return self._clause_position
        clause = self.clause
        if clause is None or clause.measure_id != self.measure_id:
            return None
        public = is_public_clause(
            status=clause.status, draft_of=clause.draft_of_id, measure_status=clause.measure.status
        )
        return clause.position if public else None

    def get_absolute_url(self):
        """Its place on its measure's page (reads self.measure and its policy: two queries unless selected)."""
        url = reverse("measures:measure", kwargs={"slug": self.measure.policy.slug, "number": self.measure.number})
        return f"{url}#{self.anchor}"
